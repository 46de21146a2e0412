"""The figures pages' query forms (issue 14, part 2). They only read the query (?school=&term=,
?term=<year>:<kind>); which school's and which district's figures the actor may see is the
selectors' to decide (a school or term not theirs is a 404)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jianfu.schools.models import TermKind


class SchoolFiguresQuery(forms.Form):
    """The school office's choice of school and term; blank = its first school, the current term."""

    school = forms.IntegerField(required=False, error_messages={"invalid": _("请从列表中选择学校")})
    term = forms.IntegerField(required=False, error_messages={"invalid": _("请从列表中选择学期")})

    def ids(self) -> tuple[int | None, int | None]:
        """The school and term read (None where blank or not readable: the default)."""
        self.is_valid()
        return self.cleaned_data.get("school"), self.cleaned_data.get("term")


class DistrictFiguresQuery(forms.Form):
    """The bureau's choice of term across its schools: "<school year>:<kind>" (the page's options);
    blank = the latest."""

    term = forms.CharField(required=False)

    def clean_term(self) -> tuple[str | None, str | None]:
        value: str = self.cleaned_data.get("term") or ""
        if not value:
            return None, None
        year, _sep, kind = value.partition(":")
        if not year or kind not in TermKind.values:
            raise ValidationError(_("请从列表中选择学期"), code="invalid")
        return year, kind

    def year_and_kind(self) -> tuple[str | None, str | None]:
        """The school year and term kind read (None, None where blank or not readable: the latest)."""
        found: tuple[str | None, str | None] = self.cleaned_data["term"] if self.is_valid() else (None, None)
        return found
