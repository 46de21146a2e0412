"""Forms for homework's pages: form fields parse what people type (dates, minutes); the services
judge it (jianfu.core.forms.add_domain_error shows their refusals on the fields)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def date_or(value: Any, default: date) -> date:
    """A date from an address or a form (2026-11-23), or `default` when absent or not a date: the
    pages show a sensible day rather than an error for a mistyped ?week= or ?day=."""
    try:
        parsed = forms.DateField(required=False).clean(value)
    except ValidationError:
        return default
    return parsed or default


def minutes_or_zero(value: Any) -> int:
    """Minutes as typed, or 0 when absent or not a whole number (the service then refuses with its
    own message, on the minutes field)."""
    try:
        parsed = forms.IntegerField(required=False).clean(value)
    except ValidationError:
        return 0
    return parsed or 0


class QuotasForm(forms.Form):
    """The head teacher's daily minute quota per subject: a field per subject sent; blank clears it.
    The range (0–240) is the service's rule (subject_quota_set), so its message is the one shown."""

    def __init__(self, data: Any, *, subjects: list[tuple[str, str]]) -> None:
        super().__init__(data)
        for code, label in subjects:
            if f"quota_{code}" in data:
                self.fields[f"quota_{code}"] = forms.IntegerField(required=False, label=label)

    def quotas(self) -> dict[str, int | None]:
        return {name.removeprefix("quota_"): value for name, value in self.cleaned_data.items()}
