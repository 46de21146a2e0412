"""The allocation pages' forms (issue 14, part 2). Two carry something typed: the seed of a public
draw and a course's new number of places. A value they cannot read, or a service refusal about it,
is shown again beside the field. The others are buttons and picks from the page's own lists (ids the
page wrote): an id they cannot read is a 404, and a refusal is a message above the page."""

from __future__ import annotations

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
