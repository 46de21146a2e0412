"""The pickup-person page's forms: name a person (typed: name, relationship, phone, dates; the
child and programme are the page's own) and withdraw one (the id the page wrote)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.collectors.models import Relationship
from jianfu.afterschool.collectors.services import NAME_MAX


class PickupPersonForm(forms.Form):
    programme = forms.IntegerField()
    child = forms.IntegerField()
    name = forms.CharField(
        label=_("姓名"),
        max_length=NAME_MAX,
        error_messages={
            "required": _("姓名：请填写接孩子的人的姓名"),
            "max_length": _("姓名：最多%(limit_value)d个字"),
        },
    )
    relationship = forms.ChoiceField(
        label=_("与孩子的关系"),
        choices=[("", _("请选择")), *Relationship.choices],
        error_messages={"required": _("与孩子的关系：请选择"), "invalid_choice": _("与孩子的关系：请选择")},
    )
    # Never echoed back into the page after a refusal's re-render beyond what was typed, and never put
    # in a URL: the form posts it (decision 0052).
    phone = forms.CharField(
        label=_("手机号"), max_length=20, error_messages={"required": _("手机号：请填写 11 位手机号")}
    )
    start_date = forms.DateField(
        label=_("从哪天"),
        error_messages={"required": _("开始日期：请选择日期"), "invalid": _("开始日期：请选择日期")},
    )
    end_date = forms.DateField(
        label=_("到哪天（只一天可不填）"),
        required=False,
        error_messages={"invalid": _("结束日期：请选择日期")},
    )


class PickupPersonWithdrawForm(forms.Form):
    person = forms.IntegerField()
