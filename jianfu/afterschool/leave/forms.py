"""The leave page's forms: report leave (the dates and an optional reason typed; the child and
programme are the page's own), and withdraw one (the id the page wrote)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.leave.services import REASON_MAX


class LeaveForm(forms.Form):
    programme = forms.IntegerField()
    child = forms.IntegerField()
    start_date = forms.DateField(
        label=_("从哪天"),
        error_messages={"required": _("开始日期：请选择日期"), "invalid": _("开始日期：请选择日期")},
    )
    end_date = forms.DateField(
        label=_("到哪天（只请一天可不填）"),
        required=False,
        error_messages={"invalid": _("结束日期：请选择日期")},
    )
    reason = forms.CharField(
        label=_("原因（可不填）"),
        required=False,
        max_length=REASON_MAX,
        error_messages={"max_length": _("请假原因：最多%(limit_value)d个字")},
    )


class LeaveWithdrawForm(forms.Form):
    leave = forms.IntegerField()
