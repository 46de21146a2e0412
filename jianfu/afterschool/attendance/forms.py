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


class MarkForm(forms.Form):
    """One tap on the roster: the child's row and the status button (nothing typed). Which
    statuses exist and who may mark is attendance_mark's to judge."""

    student_id = forms.IntegerField(
        error_messages={"required": _("学生：请选择学生"), "invalid": _("学生：请选择学生")}
    )
    status = forms.CharField(required=False)
