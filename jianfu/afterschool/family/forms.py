"""The family's choosing form (issue 14, part 2). It reads what was posted — the ranked courses, the
circumstances ticked — and refuses only what it cannot read: a course that is not one offered to the
child, a hardship category that does not exist. Everything else (duplicates, grades, the window)
is family/services.py's to judge; its refusals come back onto the form, and the page shows again
what the family chose."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.models import SubsidyCategory

_PICK_A_COURSE = {"invalid_choice": _("请从列表中选择课程")}


class ChooseForm(forms.Form):
    basic_part = forms.BooleanField(required=False)
    both_parents_working = forms.BooleanField(required=False)
    hardship_claimed = forms.BooleanField(required=False)
    hardship_category = forms.ChoiceField(
        required=False,
        choices=[("", ""), *SubsidyCategory.choices],
        error_messages={"invalid_choice": _("请从列表中选择困难类别")},
    )

    def __init__(self, *args: Any, course_ids: list[int], max_choices: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", ""), *((pk, str(pk)) for pk in course_ids)]
        self.ranks = [f"rank_{n}" for n in range(1, max_choices + 1)]
        for name in self.ranks:
            self.fields[name] = forms.TypedChoiceField(
                required=False, coerce=int, empty_value=None, choices=choices, error_messages=_PICK_A_COURSE
            )

    def course_ids(self) -> list[int]:
        """The ranked courses in order, blanks left out."""
        return [c for c in (self.cleaned_data[name] for name in self.ranks) if c]


class FamilyWithdrawForm(forms.Form):
    """The results page's two buttons (leave the course, leave the service): which child and which
    programme are hidden fields the page wrote, nothing typed, so a value it cannot read is a 404."""

    action = forms.CharField(required=False)
    programme = forms.IntegerField()
    student = forms.IntegerField()

    def leaves_course_only(self) -> bool:
        return bool(self.cleaned_data["action"] == "leave_course")
