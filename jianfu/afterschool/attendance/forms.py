"""The attendance pages' forms (issue 14, part 2): the office's choice of day. It only reads the
date; which sessions the office may see is the selectors' to decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _


class DayQueryForm(forms.Form):
    """The office's date picker (a query, ?date=YYYY-MM-DD). A browser without a date picker lets
    the date be typed, so one it cannot read is shown again with the reason, and the page stays on
    `default`."""

    date = forms.DateField(required=False, error_messages={"invalid": _("请按 年-月-日 填写，如 2026-11-23")})

    def day(self, default: dt.date) -> dt.date:
        found: dt.date | None = self.cleaned_data.get("date") if self.is_valid() else None
        return found or default
