"""The exam pages' forms: a filing (or its change), and the levels a teacher types or pastes.

The fields read and type what was posted; the rules (dates within the term, subjects of the grade's
stage, the exam rules) stay in jianfu.exams.services, whose refusals land on the form through
jianfu.core.forms.add_domain_error. A failed form is shown again with what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jianfu.exams.models import ExamKind, ExamPlan, Organiser
from jianfu.exams.services import PlanDraft
from jianfu.schools.models import School


class PlanForm(forms.Form):
    term = forms.TypedChoiceField(label=_("学期"), coerce=int, error_messages={"required": _("请选择学期")})
    grade = forms.TypedChoiceField(label=_("年级"), coerce=int, error_messages={"required": _("请选择年级")})
    kind = forms.ChoiceField(label=_("类型"), choices=ExamKind.choices)
    organiser = forms.ChoiceField(label=_("组织方"), choices=Organiser.choices, initial=Organiser.SCHOOL)
    date = forms.DateField(label=_("开始日期"), error_messages={"required": _("请填写开始日期")})
    end_date = forms.DateField(label=_("结束日期"), required=False)
    # The service names a missing or foreign subject in the domain's words (exam_invalid).
    subjects = forms.MultipleChoiceField(label=_("科目"), required=False)
    paper_based = forms.BooleanField(label=_("纸笔考试"), required=False, initial=True)
    whole_grade = forms.BooleanField(label=_("全年级统一"), required=False, initial=True)
    exception_reason = forms.CharField(label=_("例外理由"), required=False, max_length=300)

    def __init__(self, *args: Any, school: School, subjects: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choose("term", [(t.pk, str(t)) for t in school.terms.order_by("-start_date")])
        self._choose("grade", [(g.number, str(g)) for g in school.grades.order_by("number")])
        self._choose("subjects", subjects)

    def _choose(self, name: str, choices: list[tuple[Any, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    @classmethod
    def initial_for(cls, plan: ExamPlan) -> dict[str, Any]:
        """A plan as the form's starting values (dates as the date inputs' ISO text)."""
        return {
            "grade": str(plan.grade.number),
            "term": str(plan.term_id),
            "kind": plan.kind,
            "organiser": plan.organiser,
            "date": plan.date.isoformat(),
            "end_date": plan.end_date.isoformat() if plan.end_date != plan.date else "",
            "subjects": plan.subjects,
            "paper_based": plan.paper_based,
            "whole_grade": plan.whole_grade,
            "exception_reason": "",
        }

    def shown(self) -> dict[str, Any]:
        """What the page shows in each input: what was typed when bound, else the starting values."""
        return {name: self[name].value() for name in self.fields}

    def draft(self) -> PlanDraft:
        d = self.cleaned_data
        return PlanDraft(
            grade_number=d["grade"],
            term_id=d["term"],
            kind=d["kind"],
            subjects=d["subjects"],
            date=d["date"],
            end_date=d["end_date"],
            paper_based=d["paper_based"],
            whole_grade=d["whole_grade"],
            organiser=d["organiser"],
        )


class PasteForm(forms.Form):
    """A column of levels pasted for one block (class and subject) of the entry sheet."""

    paste = forms.RegexField(regex=r"^\d+:\w+$")
    text = forms.CharField(required=False, max_length=20000, strip=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        # The textarea is named after its block (levels_<class>:<subject>), so several sit on one page.
        if data is not None:
            data = {"paste": data.get("paste", ""), "text": data.get(f"levels_{data.get('paste', '')}", "")}
        super().__init__(data, **kwargs)

    @property
    def class_id(self) -> int:
        return int(self.cleaned_data["paste"].partition(":")[0])

    @property
    def subject(self) -> str:
        return str(self.cleaned_data["paste"].partition(":")[2])


class SheetForm(forms.Form):
    """The entry sheet: a level, an optional raw score and a comment per student and subject."""

    def __init__(self, *args: Any, keys: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys = keys
        for key in keys:
            self.fields[f"level_{key}"] = forms.CharField(required=False, max_length=20)
            self.fields[f"raw_{key}"] = forms.DecimalField(required=False, max_digits=7, decimal_places=2)
            self.fields[f"comment_{key}"] = forms.CharField(required=False, max_length=1000)
