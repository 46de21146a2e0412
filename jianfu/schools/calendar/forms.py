"""The calendar page's two forms: a school's exception day, and a region's holiday year."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext

from jianfu.schools.calendar.rules.names import HOLIDAY_KINDS


def parse_holiday_lines(text: str) -> list[tuple[date, str, str]]:
    """Lines like `2027-01-01 holiday 元旦` or `2027-02-07 调休 春节调休`."""
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) < 2 or parts[1] not in HOLIDAY_KINDS:
            raise ValueError(
                gettext("第%(n)s行格式应为“日期 类型 名称”，类型为 holiday/放假 或 makeup_workday/调休")
                % {"n": n}
            )
        try:
            d = date.fromisoformat(parts[0])
        except ValueError as exc:
            raise ValueError(gettext("第%(n)s行日期格式错误：%(date)s") % {"n": n, "date": parts[0]}) from exc
        out.append((d, HOLIDAY_KINDS[parts[1]], " ".join(parts[2:])))
    return out


class SchoolChoiceForm(forms.Form):
    """Which school's calendar to show (GET); the view checks it is one of the person's."""

    school = forms.IntegerField(required=False)


class WhichForm(forms.Form):
    """Which of the page's two forms was sent."""

    form = forms.ChoiceField(choices=[("entry", "entry"), ("holidays", "holidays")])


class CalendarEntryForm(forms.Form):
    date = forms.DateField()
    kind = forms.CharField(required=False, max_length=30)
    name = forms.CharField(required=False, max_length=50)


class HolidayYearForm(forms.Form):
    year = forms.IntegerField()
    lines = forms.CharField(required=False)

    def clean_lines(self) -> list[tuple[date, str, str]]:
        try:
            return parse_holiday_lines(self.cleaned_data.get("lines") or "")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
