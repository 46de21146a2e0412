"""The programme pages' forms (issue 14, part 2). They parse what was posted (numbers, times,
choices); the services decide everything else (ranges, who may, the policy rules), and their
refusals come back onto these forms through jianfu.core.forms.add_domain_error, so what the school
office typed is shown again beside the reason."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.courses.services import CourseSpec
from jianfu.afterschool.models import CourseCategory, ServicePart, SubsidyCategory
from jianfu.afterschool.programme.rules import PRIORITY_FLAGS
from jianfu.afterschool.programme.services import SlotSpec
from jianfu.afterschool.rules import WEEKDAYS
from jianfu.core.errors import DomainError
from jianfu.core.forms import add_domain_error

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


def _pair_ids(value: str, message: Any) -> tuple[int, int]:
    """ "<a>:<b>" of two ids (the option values the pages build), else a field error."""
    first, _sep, second = (value or "").partition(":")
    if not (first.isdigit() and second.isdigit()):
        raise ValidationError(message, code="invalid")
    return int(first), int(second)


class ProgrammeCreateForm(forms.Form):
    """A new programme: the school and term (one option, "<school>:<term>") and a name. Whether the
    school and term are the office's, and the name's length, are programme_create's to judge."""

    term = forms.CharField(required=False)
    name = forms.CharField(required=False, strip=False)

    def clean_term(self) -> tuple[int, int]:
        return _pair_ids(self.cleaned_data.get("term") or "", _("请选择学校与学期"))


# A service refusal about the school or the term belongs beside the one choice that names both.
CREATE_FIELDS = {"school_id": "term", "term_id": "term"}

_DATETIME = {"invalid": _("请按 年-月-日 时:分 填写，如 2026-09-01 08:00")}


class SettingsForm(forms.Form):
    """The programme's settings. A blank or absent value leaves the setting as it is (None to
    programme_update); the weights are passed only when the form carries them."""

    name = forms.CharField(required=False, strip=False)
    max_choices = forms.IntegerField(required=False, error_messages=_WHOLE_NUMBER)
    choice_opens_at = forms.DateTimeField(required=False, error_messages=_DATETIME)
    choice_closes_at = forms.DateTimeField(required=False, error_messages=_DATETIME)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for flag in PRIORITY_FLAGS:
            self.fields[f"weight_{flag}"] = forms.IntegerField(required=False, error_messages=_WHOLE_NUMBER)

    def changes(self) -> dict[str, Any]:
        """programme_update's keyword arguments."""
        data: dict[str, Any] = self.cleaned_data
        carries_weights = any(f"weight_{flag}" in self.data for flag in PRIORITY_FLAGS)
        rules = {flag: data[f"weight_{flag}"] or 0 for flag in PRIORITY_FLAGS}
        return {
            # Absent (a partial form) is "unchanged"; present but blank is the service's to refuse.
            "name": data["name"] if "name" in self.data else None,
            "max_choices": data["max_choices"],
            "priority_rules": {k: v for k, v in rules.items() if v} if carries_weights else None,
            "choice_opens_at": data["choice_opens_at"],
            "choice_closes_at": data["choice_closes_at"],
        }

    def show_refusal(self, exc: DomainError) -> None:
        """A refusal about the priority rules belongs beside the weights: on the form as a whole."""
        add_domain_error(self, exc)


_TIME = {"invalid": _("请按 时:分 填写，如 16:50")}


def slot_field(part: str, weekday: int, end: str) -> str:
    """The grid's input for one part of one weekday: "<part>_<weekday>_start" or "…_end"."""
    return f"{part}_{weekday}_{end}"


class SlotsForm(forms.Form):
    """The weekly slot grid: one start/end pair per weekday and part; blank = no such part that
    day. "Same as Monday" copies Monday's row to Tuesday–Friday (input handling, not a rule)."""

    same_as_monday = forms.BooleanField(required=False)

    def __init__(self, *args: Any, weekdays: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.weekdays = weekdays
        for d in weekdays:
            for part in ServicePart.values:
                for end in ("start", "end"):
                    self.fields[slot_field(part, d, end)] = forms.TimeField(
                        required=False, error_messages=_TIME
                    )
        # The grid position each SlotSpec came from, by its row number in the service's refusal.
        self._sources: list[tuple[int, str]] = []

    def slots(self) -> list[SlotSpec]:
        data: dict[str, Any] = self.cleaned_data
        same = data["same_as_monday"]
        out: list[SlotSpec] = []
        self._sources = []
        for d in self.weekdays:
            source = 1 if same and 2 <= d <= 5 and 1 in self.weekdays else d
            for part in ServicePart.values:
                start, end = data[slot_field(part, source, "start")], data[slot_field(part, source, "end")]
                if start or end:
                    out.append(SlotSpec(d, part, start or time(0, 0), end or time(0, 0)))
                    self._sources.append((source, part))
        return out

    def show_refusal(self, exc: DomainError) -> None:
        """slots_set names the row (1-based, in the order of slots()) and start/end: each problem goes
        beside the cell it came from, the summary above the grid."""
        self.add_error(None, exc.message)
        for detail in exc.details:
            row = detail.row or 0
            if 1 <= row <= len(self._sources):
                weekday, part = self._sources[row - 1]
                end = detail.field if detail.field in ("start", "end") else "start"
                self.add_error(slot_field(part, weekday, end), detail.message)


class SubsidiesForm(forms.Form):
    """The share of a course's fee waived per category of family; blank = 0 (no waiver)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in SubsidyCategory.values:
            self.fields[f"subsidy_{category}"] = forms.IntegerField(
                required=False, error_messages=_WHOLE_NUMBER
            )

    def percents(self) -> dict[str, int]:
        return {c: self.cleaned_data[f"subsidy_{c}"] or 0 for c in SubsidyCategory.values}

    def show_refusal(self, exc: DomainError) -> None:
        add_domain_error(self, exc)


class CourseRefForm(forms.Form):
    """A course named by a button (remove): an id the page wrote, nothing typed."""

    course = forms.IntegerField()


class ProviderForm(forms.Form):
    """Registering an external provider. The scope is "r:<region>" or "s:<school>" (the page's
    options); which the actor may use, the name, kind and phone are provider_create's to judge."""

    scope = forms.CharField(required=False)
    name = forms.CharField(required=False, strip=False)
    kind = forms.CharField(required=False)
    contact_name = forms.CharField(required=False)
    contact_phone = forms.CharField(required=False)

    def clean_scope(self) -> tuple[int | None, int | None]:
        value: str = self.cleaned_data.get("scope") or ""
        kind, _sep, pk = value.partition(":")
        if kind not in ("r", "s") or not pk.isdigit():
            raise ValidationError(_("请选择登记范围：本区或本校"), code="invalid")
        return (int(pk), None) if kind == "r" else (None, int(pk))

    def values(self) -> dict[str, Any]:
        """provider_create's keyword arguments."""
        data: dict[str, Any] = self.cleaned_data
        region_id, school_id = data["scope"]
        return {
            "name": data["name"],
            "kind": data["kind"],
            "region_id": region_id,
            "school_id": school_id,
            "contact_name": data["contact_name"],
            "contact_phone": data["contact_phone"],
        }

    def show_refusal(self, exc: DomainError) -> None:
        if exc.field in ("region_id", "school_id"):
            self.add_error("scope", exc.message)
        else:
            add_domain_error(self, exc)


class ProviderStaffForm(forms.Form):
    """A person teaching for a provider (one small form per provider on the page)."""

    provider = forms.IntegerField()
    name = forms.CharField(required=False, strip=False)
    qualification = forms.CharField(required=False)
