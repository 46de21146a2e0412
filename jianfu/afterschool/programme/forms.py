"""The programme pages' forms (issue 14, part 2). They parse what was posted (numbers, times,
choices); the services decide everything else (ranges, who may, the policy rules), and their
refusals come back onto these forms through jianfu.core.forms.add_domain_error, so what the school
office typed is shown again beside the reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.courses.services import CourseSpec
from jianfu.afterschool.models import CourseCategory
from jianfu.afterschool.rules import WEEKDAYS

_WHOLE_NUMBER = {"invalid": _("请填写整数")}
# The service's field names for who runs a course, all shown on the form's one "runner" choice.
RUNNER_FIELDS = ("teacher_id", "provider_id", "provider_staff_id")


class CourseForm(forms.Form):
    """A course of the programme. Lengths, grade ranges, capacity and the weekdays' course times
    are the service's to judge (courses/services.py, _course_values)."""

    name = forms.CharField(required=False)
    category = forms.ChoiceField(
        choices=CourseCategory.choices, error_messages={"invalid_choice": _("请选择课程类别")}
    )
    room = forms.CharField(required=False)
    runner = forms.CharField(required=False)
    min_grade = forms.IntegerField(required=False, error_messages=_WHOLE_NUMBER)
    max_grade = forms.IntegerField(required=False, error_messages=_WHOLE_NUMBER)
    capacity = forms.IntegerField(required=False, error_messages=_WHOLE_NUMBER)
    min_size = forms.IntegerField(required=False, error_messages=_WHOLE_NUMBER)
    weekdays = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        choices=[(d, label) for d, label in WEEKDAYS.items()],
        error_messages={"invalid_choice": _("请选择上课星期")},
    )
    start = forms.TimeField(required=False, error_messages={"invalid": _("请按 时:分 填写，如 16:50")})
    end = forms.TimeField(required=False, error_messages={"invalid": _("请按 时:分 填写，如 17:50")})
    fee_per_term = forms.DecimalField(
        required=False,
        max_digits=8,
        decimal_places=2,
        error_messages={"invalid": _("请填写金额，如 0 或 300")},
    )
    teaches_new_lessons = forms.BooleanField(required=False)
    description = forms.CharField(required=False)

    def clean_runner(self) -> tuple[int | None, int | None, int | None]:
        """ "t:<teacher>" or "p:<provider>[:<staff>]" (the options of _runner_groups) → the three ids
        of CourseSpec; empty → none (the service asks for one)."""
        value: str = self.cleaned_data.get("runner") or ""
        if not value:
            return None, None, None
        kind, _sep, rest = value.partition(":")
        parts = rest.split(":")
        if (
            kind not in ("t", "p")
            or not all(p.isdigit() for p in parts)
            or len(parts) > (2 if kind == "p" else 1)
        ):
            raise ValidationError(_("请选择授课教师或校外机构（二选一）"), code="invalid")
        ids = [int(p) for p in parts]
        if kind == "t":
            return ids[0], None, None
        return None, ids[0], ids[1] if len(ids) == 2 else None

    def spec(self) -> CourseSpec:
        data: dict[str, Any] = self.cleaned_data
        teacher_id, provider_id, provider_staff_id = data["runner"]
        fee = data["fee_per_term"]
        return CourseSpec(
            name=data["name"],
            category=data["category"],
            capacity=data["capacity"] or 0,
            weekdays=list(data["weekdays"]),
            teacher_id=teacher_id,
            provider_id=provider_id,
            provider_staff_id=provider_staff_id,
            min_grade=data["min_grade"],
            max_grade=data["max_grade"],
            min_size=data["min_size"] or 0,
            room=data["room"],
            start=data["start"],
            end=data["end"],
            fee_per_term=Decimal("0") if fee is None else fee,
            teaches_new_lessons=data["teaches_new_lessons"],
            description=data["description"],
        )


def field_for(error_field: str | None) -> str | None:
    """The form field a service refusal about `error_field` belongs beside."""
    return "runner" if error_field in RUNNER_FIELDS else error_field
