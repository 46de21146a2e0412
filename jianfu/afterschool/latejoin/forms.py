"""The late join pages' forms: the family's request (what to join, a note) and the office's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.latejoin.services import NOTE_MAX


class LateJoinForm(forms.Form):
    programme = forms.IntegerField()
    child = forms.IntegerField()
    basic_part = forms.BooleanField(label=_("参加基础托管（作业辅导、答疑）"), required=False)
    course = forms.IntegerField(label=_("想参加的课程（可不选）"), required=False)
    note = forms.CharField(
        label=_("说明（可不填）"),
        required=False,
        max_length=NOTE_MAX,
        error_messages={"max_length": _("说明：最多%(limit_value)d个字")},
    )


class DecisionForm(forms.Form):
    request = forms.IntegerField()
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])
    note = forms.CharField(
        label=_("答复（可不填）"),
        required=False,
        max_length=NOTE_MAX,
        error_messages={"max_length": _("答复：最多%(limit_value)d个字")},
    )
