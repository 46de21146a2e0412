"""The allocation pages' forms (issue 14, part 2). Two carry something typed: the seed of a public
draw and a course's new number of places. A value they cannot read, or a service refusal about it,
is shown again beside the field. The others are buttons and picks from the page's own lists (ids the
page wrote): an id they cannot read is a 404, and a refusal is a message above the page."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _


class HardshipVerifyForm(forms.Form):
    """Confirming or not a family's hardship claim: the application row's two buttons."""

    application = forms.IntegerField()
    verified = forms.ChoiceField(choices=[("1", "1"), ("0", "0")], required=False)

    def clean_verified(self) -> bool:
        return bool(self.cleaned_data.get("verified") == "1")


class RunForm(forms.Form):
    """Running the allocation; the seed is typed at a public draw (blank = drawn at random). Its
    range is allocation_run's to judge."""

    seed = forms.IntegerField(
        required=False,
        error_messages={"invalid": _("随机种子应为非负整数")},
    )


class CourseRefForm(forms.Form):
    """Cancelling a course below its minimum size: the course the button names."""

    course = forms.IntegerField()


class MergeForm(forms.Form):
    """Merging a course below its minimum size into another, picked from the page's list."""

    course = forms.IntegerField()
    into = forms.IntegerField()


class CapacityForm(forms.Form):
    """More places for a course with a waiting list: the new number is typed, the course is the
    row's. Whether the number is more than now (and within bounds) is course_capacity_raise's."""

    course = forms.IntegerField()
    capacity = forms.IntegerField(error_messages={"required": _("请填写整数"), "invalid": _("请填写整数")})


class WithdrawForm(forms.Form):
    """Ending a child's course (the roster's 退出 button)."""

    student = forms.IntegerField()


# The allocation page's forms by the "action" each posts (publish carries nothing).
ALLOCATION_FORMS: dict[str, type[forms.Form]] = {
    "run": RunForm,
    "cancel": CourseRefForm,
    "merge": MergeForm,
    "capacity": CapacityForm,
    "withdraw": WithdrawForm,
}
# The forms with something typed, and the fields typed: shown again when refused about those.
TYPED: dict[str, tuple[str, ...]] = {"run": ("seed",), "capacity": ("capacity",)}


APPLICATION_STATUSES = {
    "active": _("在报（未退出）"),
    "withdrawn": _("已退出"),
    "hardship": _("困难家庭申请"),
    "hardship_pending": _("困难家庭待核实"),
    "basic_only": _("仅基础托管"),
}


class ApplicationsQuery(forms.Form):
    """The applications list's search and filters, read from the query (?q=&course=&status=&page=)
    so a filtered list is a link. The old ?only=hardship link still works (status "hardship"). A
    value it cannot read is shown beside its field and that filter left off."""

    q = forms.CharField(required=False, max_length=40, label=_("姓名或班级"))
    course = forms.ChoiceField(required=False, label=_("志愿课程"))
    status = forms.ChoiceField(required=False, label=_("状态"))
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data: Any, *, courses: list[tuple[str, str]]) -> None:
        if data is not None and data.get("only") == "hardship" and not data.get("status"):
            data = data.copy()
            data["status"] = "hardship"
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["course"]).choices = [("", _("全部课程")), *courses]
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", _("全部状态")),
            *APPLICATION_STATUSES.items(),
        ]

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        got = getattr(self, "cleaned_data", {})
        return {
            "q": (got.get("q") or "").strip(),
            "course": got.get("course") or "",
            "status": got.get("status") or "",
            "page": got.get("page") or 1,
        }
