"""The pickup pages' forms (issue 14, part 2). They read what was posted (ids the page wrote, the
teacher chosen, a time or a reason typed); the services decide everything else, and their
refusals come back onto these forms through jianfu.core.forms.add_domain_error, so the page shows
again what the office chose and typed beside the reason."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _


class ProgrammeDayForm(forms.Form):
    """Which programme and day a page shows: its query, or the hidden fields a post carries back.
    Not typed (a link or a date picker), so a value it cannot read falls back to the default."""

    programme = forms.IntegerField(required=False)
    date = forms.DateField(required=False)

    def value(self, name: str, default: Any) -> Any:
        self.is_valid()
        found = self.cleaned_data.get(name)
        return default if found is None else found

    def day(self, default: dt.date) -> dt.date:
        on: dt.date = self.value("date", default)
        return on


class BookingForm(forms.Form):
    """A family's pickup booking: the child, programme and slot are the page's own choices; the
    day is picked from the open days."""

    programme = forms.IntegerField()
    child = forms.IntegerField()
    slot = forms.IntegerField(
        error_messages={"required": _("请选择接送时间"), "invalid": _("请选择接送时间")}
    )
    date = forms.DateField(
        error_messages={"required": _("日期：请选择日期"), "invalid": _("日期：请选择日期")}
    )
    weekly = forms.BooleanField(required=False)


class IdListField(forms.Field):
    """Several ids picked on the page (checkboxes of one name): a list of ints, at least one."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        try:
            return sorted({int(v) for v in values if str(v).strip()})
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class DutyForm(forms.Form):
    """Gate duty for one slot: several teachers at once (issue 15, finding G3)."""

    slot = forms.IntegerField()
    teacher = IdListField(
        error_messages={"required": _("值守教师：请至少选择一位"), "invalid": _("值守教师：请至少选择一位")}
    )

    key_field = "slot"


class DutyRemoveForm(forms.Form):
    duty = forms.IntegerField()


_TIME = {"required": _("时间：请按 时:分 填写，如 18:30"), "invalid": _("时间：请按 时:分 填写，如 18:30")}


class SlotForm(forms.Form):
    time = forms.TimeField(error_messages=_TIME)


class SupervisorForm(forms.Form):
    teacher = forms.IntegerField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["class"] = forms.IntegerField()  # "class" is the page's name; a keyword in Python


class CoverForm(forms.Form):
    """A substitute for one meeting of the day: "course:<id>" or "class:<id>" (the page's rows)."""

    meeting = forms.CharField()
    teacher = forms.IntegerField()
    reason = forms.CharField(required=False, strip=False)

    key_field = "meeting"

    def clean_meeting(self) -> tuple[int | None, int | None]:
        kind, _sep, pk = (self.cleaned_data.get("meeting") or "").partition(":")
        if kind not in ("course", "class") or not pk.isdigit():
            raise ValidationError(_("请选择场次"), code="invalid")
        return (int(pk), None) if kind == "course" else (None, int(pk))


class CoverRemoveForm(forms.Form):
    cover = forms.IntegerField()


# The arrangements page's forms by the "action" each posts.
ARRANGEMENT_FORMS: dict[str, type[forms.Form]] = {
    "duty": DutyForm,
    "duty_remove": DutyRemoveForm,
    "slot": SlotForm,
    "supervisor": SupervisorForm,
    "cover": CoverForm,
    "cover_remove": CoverRemoveForm,
}
# The forms with something typed or picked in numbers (a time, a reason, several teachers): a
# refusal shows them again, with the reason
# beside the field. The others are a button or a pick from the page's own lists, where a refusal is
# a message above the page (one click to choose again) and an id it cannot read is a 404.
TYPED = ("slot", "cover", "duty")


class DepartureForm(forms.Form):
    """The gate's tap: ids the page wrote (the programme, the child, the departure to undo)."""

    programme = forms.IntegerField()
    child = forms.IntegerField()
    undo = forms.IntegerField(required=False)
    # The person the family named who collected the child (empty: the family itself).
    person = forms.IntegerField(required=False)
    # The gate list's search, filters and page as they were, so that without JS the tap comes back
    # to the same rows (re-read through GateQuery's keys only: never more than a query string).
    back = forms.CharField(required=False, max_length=300)

    def back_query(self) -> str:
        got = QueryDict(self.cleaned_data.get("back") or "")
        kept = QueryDict(mutable=True)
        for key in ("q", "cls", "slot", "page"):
            if got.get(key):
                kept[key] = got[key]
        return kept.urlencode()


def show_refusal(form: forms.Form, exc: Any) -> None:
    """A service's refusal beside the field it names (the services say "teacher_id", the page
    "teacher"; a cover's course or class is the page's one "meeting"), else above the form."""
    name = (exc.field or "").removesuffix("_id")
    if isinstance(form, CoverForm) and name in ("course", "class"):
        name = "meeting"
    form.add_error(name if name in form.fields else None, exc.message)


class GateQuery(forms.Form):
    """The gate list's search and filters, read from the query (?q=&cls=&slot=&page=) so a filtered
    list is a link. The class and slot choices are the page's own; a value it cannot read is shown
    beside its field and that filter left off (the list is never refused)."""

    q = forms.CharField(required=False, max_length=40, label=_("姓名或班级"))
    cls = forms.ChoiceField(required=False, label=_("班级"))
    slot = forms.ChoiceField(required=False, label=_("接送时段"))
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data: Any, *, classes: list[tuple[str, str]], slots: list[tuple[str, str]]) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["cls"]).choices = [("", _("全部班级")), *classes]
        cast(forms.ChoiceField, self.fields["slot"]).choices = [("", _("全部时段")), *slots]

    def filters(self) -> dict[str, Any]:
        """What was asked for, each filter that could not be read left blank."""
        self.is_valid()
        got = getattr(self, "cleaned_data", {})
        return {
            "q": (got.get("q") or "").strip(),
            "cls": got.get("cls") or "",
            "slot": got.get("slot") or "",
            "page": got.get("page") or 1,
        }
