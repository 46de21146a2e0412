"""The complaint pages' forms. They parse what was posted (types and choices); the services decide
everything else (lengths, limits, who may), and their refusals come back onto these forms through
jianfu.core.forms.add_domain_error, so what a person typed is shown again with the reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jianfu.cases.models import Category
from jianfu.cases.services import receipt_code_normalise

_CHOOSE_CATEGORY = {"required": _("请选择问题类别"), "invalid_choice": _("请选择问题类别")}
# The largest id a database key holds: past it a lookup would overflow instead of finding nothing.
_MAX_ID = 2**63 - 1


class ComplaintForm(forms.Form):
    """A parent's complaint. The text is not trimmed or length-checked here: the service does both,
    and on any refusal the form shows back exactly what the parent wrote."""

    student = forms.TypedChoiceField(coerce=int)
    category = forms.ChoiceField(choices=Category.choices, error_messages=_CHOOSE_CATEGORY)
    text = forms.CharField(required=False, strip=False)
    about_leadership = forms.BooleanField(required=False)
    idempotency_key = forms.CharField(required=False, strip=False)

    def __init__(self, *args: Any, children: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the parent's own children are choices: any other value is nobody's child to them.
        student = self.fields["student"]
        assert isinstance(student, forms.TypedChoiceField)
        student.choices = [(c.pk, f"{c.school.name} {c.school_class}") for c in children]


class RecordForm(forms.Form):
    """Bureau staff record a complaint that came by phone or letter."""

    school = forms.TypedChoiceField(coerce=int)
    channel = forms.ChoiceField(choices=[("phone", _("电话")), ("letter", _("信件"))])
    category = forms.ChoiceField(choices=Category.choices, error_messages=_CHOOSE_CATEGORY)
    text = forms.CharField(required=False, strip=False)
    contact = forms.CharField(required=False)

    def __init__(self, *args: Any, schools: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        school = self.fields["school"]
        assert isinstance(school, forms.TypedChoiceField)
        school.choices = [(s.pk, s.name) for s in schools]


class TriageForm(forms.Form):
    category = forms.ChoiceField(choices=Category.choices, error_messages={"invalid_choice": _("类别无效")})
    not_burden = forms.BooleanField(required=False)
    empty = forms.BooleanField(required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(required=False, strip=False)
    public = forms.BooleanField(required=False)


class CloseForm(forms.Form):
    close_reason = forms.CharField(required=False, strip=False)


class AssignForm(forms.Form):
    """Assign to a handler (empty: to oneself). The service decides who may be given it."""

    assignee = forms.IntegerField(required=False, min_value=1, max_value=_MAX_ID)


class NoteForm(forms.Form):
    text = forms.CharField(required=False, strip=False)


class SignoffForm(forms.Form):
    """The principal signs off a draft answer or returns it with a reason."""

    decision = forms.ChoiceField(choices=[("approve", _("同意发出")), ("return", _("退回修改"))])
    reason = forms.CharField(required=False, strip=False)


class ClosingForm(forms.Form):
    """Closing (办结) an answered complaint with a note the family reads."""

    note = forms.CharField(required=False, strip=False)


class UnsealForm(forms.Form):
    reason = forms.CharField(required=False, strip=False)
    code = forms.CharField(required=False)


class ClosureReviewForm(forms.Form):
    complaint = forms.IntegerField(min_value=1, max_value=_MAX_ID)
    decision = forms.ChoiceField(choices=[("uphold", "uphold"), ("reopen", "reopen")])


class ReceiptForm(forms.Form):
    """The receipt code, as typed (spaces and dashes allowed); read from a POST only (security.md L7)."""

    code = forms.CharField(required=False)

    def clean_code(self) -> str:
        return receipt_code_normalise(self.cleaned_data.get("code") or "")


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        # No default: the family chooses (product review F6); asked for only when they rate.
        error_messages={"invalid_choice": _("评价应为1到5"), "required": _("请选择评价（1到5）")},
    )
    reopen = forms.BooleanField(required=False)
