"""Forms for homework's pages: form fields parse what people type (dates, minutes); the services
judge it (jianfu.core.forms.add_domain_error shows their refusals on the fields)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jianfu.homework.days.selectors import Draft
from jianfu.homework.models import Kind, Tier, Where


def date_or(value: Any, default: date) -> date:
    """A date from an address or a form (2026-11-23), or `default` when absent or not a date: the
    pages show a sensible day rather than an error for a mistyped ?week= or ?day=."""
    try:
        parsed = forms.DateField(required=False).clean(value)
    except ValidationError:
        return default
    return parsed or default


def minutes_or_zero(value: Any) -> int:
    """Minutes as typed, or 0 when absent or not a whole number (the service then refuses with its
    own message, on the minutes field)."""
    try:
        parsed = forms.IntegerField(required=False).clean(value)
    except ValidationError:
        return 0
    return parsed or 0


class QuotasForm(forms.Form):
    """The head teacher's daily minute quota per subject: a field per subject sent; blank clears it.
    The range (0–240) is the service's rule (subject_quota_set), so its message is the one shown."""

    def __init__(self, data: Any, *, subjects: list[tuple[str, str]]) -> None:
        super().__init__(data)
        for code, label in subjects:
            if f"quota_{code}" in data:
                self.fields[f"quota_{code}"] = forms.IntegerField(required=False, label=label)

    def quotas(self) -> dict[str, int | None]:
        return {name.removeprefix("quota_"): value for name, value in self.cleaned_data.items()}


# Messages for what a form field cannot read (the services' own rules, such as the 1–240 minute
# range, are theirs to say: jianfu.core.forms.add_domain_error puts them on the same fields).
_WHOLE_MINUTES = {"invalid": _("请填写整数分钟")}
_A_DATE = {"invalid": _("请填写有效的日期，如 2026-11-23"), "required": _("请填写日期")}
# A preview of a figure beyond what the form allows shows the day without it.
_PREVIEW_MAX_MINUTES = 240

FLAG_LABELS = [
    ("needs_parent_marking", _("需要家长检查或批改")),
    ("assigned_to_parent", _("需要家长完成")),
    ("phone_required", _("需要用手机完成或提交")),
    ("self_marking", _("学生自批自改")),
    ("punitive", _("惩罚性或重复抄写")),
]


class _HomeworkForm(forms.Form):
    """The fields a post and a correction share. Blank choices mean "as before" on a correction and
    the usual default on a post."""

    minutes = forms.IntegerField(
        label=_("预计用时（分钟）"),
        error_messages={**_WHOLE_MINUTES, "required": _("请填写预计用时（分钟）")},
    )
    description = forms.CharField(label=_("作业内容"), required=False, max_length=1000)
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices, required=False)
    where = forms.ChoiceField(label=_("完成地点"), choices=Where.choices, required=False)
    tier = forms.ChoiceField(label=_("层次"), choices=Tier.choices, required=False)
    date_due = forms.DateField(label=_("完成日期"), required=False, error_messages=_A_DATE)
    request_exception = forms.BooleanField(required=False)
    exception_reason = forms.CharField(label=_("申请特批的理由"), required=False, max_length=200)
    confirm_warnings = forms.BooleanField(label=_("确认"), required=False)

    def exception_reason_given(self) -> str:
        """The reason, when the person asked for an exception (the box is offered after a refusal)."""
        if not self.cleaned_data.get("request_exception"):
            return ""
        return str(self.cleaned_data.get("exception_reason") or "")


class HomeworkPostForm(_HomeworkForm):
    """Post homework to the chosen class (and, at once, to sibling classes of the same grade and
    subject). The class and subject come from the page's choice (views._choice), not from here."""

    date_set = forms.DateField(label=_("布置日期"), error_messages=_A_DATE)
    also_class = forms.TypedMultipleChoiceField(coerce=int, required=False, label=_("同时布置给："))
    idempotency_key = forms.CharField(required=False, max_length=64)

    def __init__(self, data: Any = None, *, sibling_ids: Sequence[int] = (), **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        also = self.fields["also_class"]
        assert isinstance(also, forms.TypedMultipleChoiceField)
        also.choices = [(str(pk), str(pk)) for pk in sibling_ids]
        for name, label in FLAG_LABELS:
            self.fields[name] = forms.BooleanField(label=label, required=False)

    def draft(self, subject: str) -> Draft:
        """The item as typed (after is_valid), for the chosen subject."""
        data = self.cleaned_data
        return Draft(
            subject=subject,
            kind=data.get("kind") or Kind.WRITTEN,
            where=data.get("where") or Where.HOME,
            minutes=data["minutes"],
            tier=data.get("tier") or Tier.REQUIRED,
            **{name: bool(data.get(name)) for name, _label in FLAG_LABELS},
        )

    def preview(self, subject: str, today: date) -> tuple[date, Draft, str]:
        """(day, draft, description) for the live panel while the form is being filled in: what can be
        read so far, the rest as defaults (no minutes: the day without the item)."""
        self.is_valid()
        data = self.cleaned_data
        minutes = data.get("minutes") or 0
        if not 0 <= minutes <= _PREVIEW_MAX_MINUTES:
            minutes = 0
        draft = Draft(
            subject=subject,
            kind=data.get("kind") or Kind.WRITTEN,
            where=data.get("where") or Where.HOME,
            minutes=minutes,
            tier=data.get("tier") or Tier.REQUIRED,
            **{name: bool(data.get(name)) for name, _label in FLAG_LABELS},
        )
        return data.get("date_set") or today, draft, str(data.get("description") or "")


class HomeworkEditForm(_HomeworkForm):
    """Correct one's own item: the fields left blank keep the item's values."""


def error_summary(form: forms.BaseForm) -> list[str]:
    """Every error of a refused form for the box at its top (the same messages stand beside their
    fields): "label：message" for a field's, the message alone for the form's."""
    out = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for message in errors:
            if field is not None and field.label:
                out.append(gettext("%(label)s：%(message)s") % {"label": field.label, "message": message})
            else:
                out.append(str(message))
    return out


class DecisionForm(forms.Form):
    """Approve or turn down a waiting exception (the reason is the service's to require)."""

    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")], required=False)
    reason = forms.CharField(label=_("理由"), required=False, max_length=200)
    next = forms.CharField(required=False, max_length=20)


class PublishForm(forms.Form):
    """The class page's publication buttons: publish a day (today when none is given), create the
    public page, or change its address."""

    action = forms.ChoiceField(choices=[("", ""), ("page", "page"), ("revoke", "revoke")], required=False)
    date = forms.DateField(label=_("日期"), required=False, error_messages=_A_DATE)


class FamilyReportForm(forms.Form):
    """Which child and day a family's report is for, and how it was sent. The report's own values
    keep the page's "sent means given" reading (views._family_report_fields) and are judged by the
    service, field by field."""

    student = forms.IntegerField(min_value=1)
    date = forms.DateField(label=_("日期"), error_messages=_A_DATE)
    idempotency_key = forms.CharField(required=False, max_length=64)
    quick = forms.BooleanField(required=False)
