"""Filing exams (备案) against the exam rules, and entering results as levels.

A filing that breaks a hard rule is refused, naming the rule; only the district bureau can record an
exception, with a reason (docs/decisions/0027-exam-rules-kept.md). Levels are entered from the exam's
last day and reach families only when the school releases them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from jianfu.core.audit import audit
from jianfu.core.errors import DomainError, ErrorDetail, NotFound, PermissionDenied
from jianfu.exams.models import ExamKind, ExamPlan, ExamResult, Organiser
from jianfu.exams.permissions import (
    can_enter_levels,
    can_file_exam,
    can_record_exam_exception,
    can_release_levels,
    can_withdraw_exam,
    is_exam_school_leader,
)
from jianfu.exams.selectors import level_labels, plan_findings, results_for_entry, subjects_for_stage
from jianfu.notifications.services import notify
from jianfu.policies.rules.catalogue import RULES_BY_ID
from jianfu.schools.access import schools_for_actor
from jianfu.schools.models import Guardian, School, Student, Subject, TeachingAssignment

# A final with several sittings spans a few consecutive days; a "range" longer than a week is a
# series of tests, not one exam.
MAX_EXAM_DAYS = 7
REASON_MIN = 5  # like the other reasons (unsealing, closing, two-step resets)


class ExamError(DomainError):
    INVALID = "exam_invalid"
    RULE_BROKEN = "exam_rule_broken"
    LEVEL_INVALID = "exam_level_invalid"
    NOT_YET = "exam_levels_not_yet"
    NOT_ENTERABLE = "exam_not_enterable"
    LOCKED = "exam_locked"
    status = 422


def today() -> date:
    """Today in Beijing (settings.TIME_ZONE is Asia/Shanghai): the exam rules speak of school days."""
    return timezone.localdate()


def _check_filer(actor: Any, school: School, exception_reason: str) -> bool:
    """Who may file or change a plan: the school's principal or 教导处, or the district bureau's staff
    (who alone may record an exception). Returns whether the actor files as the district."""
    if not schools_for_actor(actor).filter(pk=school.pk).exists():
        raise NotFound(_("学校"))
    district = can_record_exam_exception(actor, school)
    if exception_reason.strip() and not district:
        raise PermissionDenied(_("只有区县教育局可以登记考试例外"))
    if district and (exception_reason.strip() or not is_exam_school_leader(actor, school)):
        return True
    if not can_file_exam(actor, school):
        raise PermissionDenied(_("只有校长或教导处可以备案考试"))
    return False


class Joined:
    """A list shown in a message, joined the way the active language joins (、/；in Chinese)."""

    def __init__(self, items: list[Any], sep: Any = None) -> None:
        self.items, self.sep = items, sep

    def __str__(self) -> str:
        sep = str(self.sep) if self.sep is not None else gettext("；")
        return sep.join(str(i) for i in self.items)


class Shown:
    """An error detail or a finding, rendered in the language of the message that quotes it."""

    def __init__(self, item: Any) -> None:
        self.item = item

    def __str__(self) -> str:
        return str(self.item.message)


class MonthDay:
    """A date as the active language writes a day of the year (12月3日, Dec 3)."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __str__(self) -> str:
        return date_format(self.day, gettext("n月j日"))


def _not_saved(problems: list[ErrorDetail], field: str | None = None) -> ExamError:
    """All or nothing: the first five problems in the message, every one in the details."""
    return ExamError(
        ExamError.LEVEL_INVALID,
        _("等级未保存：%(problems)s%(more)s"),
        params={
            "problems": Joined([Shown(p) for p in problems[:5]]),
            "more": gettext_lazy("……") if len(problems) > 5 else "",
        },
        details=problems,
        field=field,
    )


def _refusal(findings: list[Any]) -> ExamError:
    """One refusal naming every broken rule, in plain words, with its source."""
    details = [
        ErrorDetail(
            _("%(message)s（%(title)s；依据：%(source)s）"),
            field="kind",
            code=f.rule_id,
            params={
                "message": Shown(f),
                "title": Shown(RULES_BY_ID[f.rule_id]),
                "source": f.source,
            },
        )
        for f in findings
    ]
    return ExamError(
        ExamError.RULE_BROKEN,
        _("不能备案，违反考试管理规定：%(broken)s。"),
        params={"broken": Joined([Shown(f) for f in findings])},
        details=details,
        field="kind",
    )


@dataclass(frozen=True)
class PlanDraft:
    """What a filing says. `end_date` is the last sitting's day (None: a one-day exam)."""

    grade_number: int
    term_id: int
    kind: str
    subjects: list[str]
    date: dt.date
    end_date: dt.date | None = None
    paper_based: bool = True
    whole_grade: bool = True
    organiser: str = Organiser.SCHOOL


def _validate(school: School, draft: PlanDraft) -> tuple[Any, Any, date]:
    grade = school.grades.filter(number=draft.grade_number).first()
    term = school.terms.filter(pk=draft.term_id).first()
    end = draft.end_date or draft.date
    if grade is None:
        raise ExamError(ExamError.INVALID, _("请从本校的年级中选择"), field="grade")
    if term is None:
        raise ExamError(ExamError.INVALID, _("学期不存在"), field="term")
    if draft.kind not in ExamKind.values:
        raise ExamError(ExamError.INVALID, _("考试类型无效"), field="kind")
    if draft.organiser not in Organiser.values:
        raise ExamError(ExamError.INVALID, _("组织方无效"), field="organiser")
    if draft.date < today():
        raise ExamError(ExamError.INVALID, _("考试应在举行前备案：开始日期不能早于今天"), field="date")
    if end < draft.date:
        raise ExamError(ExamError.INVALID, _("结束日期不能早于开始日期"), field="end_date")
    if (end - draft.date).days >= MAX_EXAM_DAYS:
        raise ExamError(
            ExamError.INVALID,
            _("一次考试最多连续%(days)s天"),
            params={"days": MAX_EXAM_DAYS},
            field="end_date",
        )
    if not (term.start_date <= draft.date and end <= term.end_date):
        raise ExamError(ExamError.INVALID, _("考试日期不在该学期内"), field="date")
    if not draft.subjects:
        raise ExamError(ExamError.INVALID, _("请选择科目"), field="subjects")
    offered = dict(subjects_for_stage(grade.stage))
    wrong = sorted(set(draft.subjects) - set(offered))
    names = dict(Subject.choices)
    if wrong:
        raise ExamError(
            ExamError.INVALID,
            _("%(grade)s（%(stage)s）没有这些科目：%(subjects)s"),
            params={
                "grade": grade,
                "stage": grade.get_stage_display(),
                "subjects": Joined([names.get(w, w[:20]) for w in wrong]),
            },
            field="subjects",
        )
    # Filings for one grade take turns: two finals sent at once must not both pass the count rule
    # (PostgreSQL row lock; SQLite writers already take turns, decision 0020).
    grade = type(grade).objects.select_for_update().get(pk=grade.pk)
    return grade, term, end


def _judge(plan: ExamPlan, *, district: bool, exception_reason: str, actor: Any) -> None:
    """Attach this plan's own findings; refuse it when it breaks a hard rule, unless the district
    records an exception with a reason. Raising rolls back the whole filing or change."""
    mine = plan_findings(plan)
    plan.findings = [f.as_dict() for f in mine]
    violations = [f for f in mine if f.severity == "violation"]
    reason = exception_reason.strip()
    if not violations:
        plan.exception_reason, plan.exception_by = "", None
        return
    if not district or not reason:
        raise _refusal(violations)
    if len(reason) < REASON_MIN:
        raise ExamError(
            ExamError.INVALID,
            _("请写明例外理由（至少%(n)s个字）"),
            params={"n": REASON_MIN},
            field="exception_reason",
        )
    plan.exception_reason, plan.exception_by = reason[:300], actor


def _same_live_plan(school: School, grade: Any, term: Any, draft: PlanDraft, end: date) -> ExamPlan | None:
    # A double tap sends the same filing twice: the second is the first, not a second final.
    return (
        ExamPlan.objects.filter(
            school=school,
            grade=grade,
            term=term,
            kind=draft.kind,
            date=draft.date,
            end_date=end,
            paper_based=draft.paper_based,
            whole_grade=draft.whole_grade,
            organiser=draft.organiser,
            withdrawn_at__isnull=True,
        )
        .filter(subjects=sorted(set(draft.subjects)))
        .first()
    )


@transaction.atomic
def exam_file(*, actor: Any, school: School, draft: PlanDraft, exception_reason: str = "") -> ExamPlan:
    """File a planned exam (备案). A plan that breaks a hard rule of policy-defaults.md §2.3 is refused
    naming the rule; the district bureau alone may file it anyway with an exception reason, audited
    (docs/decisions/0027-exam-rules-kept.md)."""
    district = _check_filer(actor, school, exception_reason)
    grade, term, end = _validate(school, draft)
    same = _same_live_plan(school, grade, term, draft, end)
    if same is not None:
        return same
    plan = ExamPlan(
        school=school,
        grade=grade,
        term=term,
        kind=draft.kind,
        subjects=sorted(set(draft.subjects)),
        date=draft.date,
        end_date=end,
        paper_based=draft.paper_based,
        whole_grade=draft.whole_grade,
        organiser=draft.organiser,
        filed_by=actor,
    )
    _judge(plan, district=district, exception_reason=exception_reason, actor=actor)
    if district and not plan.exception_reason and not is_exam_school_leader(actor, school):
        # Filing (备案) is the school's own act; the district files only to except a plan that breaks
        # a rule (0027). Otherwise a bureau could file on a school's behalf and the school's
        # leaders would never have stood behind the plan (decision 0045).
        raise PermissionDenied(_("考试备案由学校校长或教导处提交；区县教育局只为违反规则的考试登记例外"))
    plan.save()
    audit(
        actor=actor,
        action="exam_filed",
        obj=plan,
        school_id=school.pk,
        region_code=school.region.code,
        data={"grade": grade.number, "kind": draft.kind, "days": (end - draft.date).days + 1},
    )
    if plan.exception_reason:
        audit(
            actor=actor,
            action="exam_exception_recorded",
            obj=plan,
            school_id=school.pk,
            region_code=school.region.code,
            data={"rules": sorted({f["rule_id"] for f in plan.findings}), "reason": plan.exception_reason},
        )
    return plan


def _plan_for_change(plan_id: int) -> ExamPlan:
    plan = (
        ExamPlan.objects.select_for_update()
        .select_related("school__region", "grade", "term")
        .filter(pk=plan_id, withdrawn_at__isnull=True)
        .first()
    )
    if plan is None:
        raise NotFound(_("考试"))
    return plan


def _check_not_started(plan: ExamPlan) -> None:
    if plan.date <= today():
        raise ExamError(ExamError.LOCKED, _("考试已开始，不能再修改或撤回"), field="date")


@transaction.atomic
def exam_update(*, actor: Any, plan_id: int, draft: PlanDraft, exception_reason: str = "") -> ExamPlan:
    """Change a plan before its first day. The change is judged like a new filing (against the term's
    other plans); a district exception does not carry over to what the school changes, so a changed
    plan that breaks a rule again needs the district again."""
    plan = _plan_for_change(plan_id)
    if not schools_for_actor(actor).filter(pk=plan.school_id).exists():
        raise NotFound(_("考试"))
    district = _check_filer(actor, plan.school, exception_reason)
    _check_not_started(plan)
    grade, term, end = _validate(plan.school, draft)
    before = {
        "grade": plan.grade.number,
        "kind": plan.kind,
        "subjects": plan.subjects,
        "date": plan.date.isoformat(),
        "end_date": plan.end_date.isoformat(),
    }
    plan.grade, plan.term, plan.kind = grade, term, draft.kind
    plan.subjects = sorted(set(draft.subjects))
    plan.date, plan.end_date = draft.date, end
    plan.paper_based, plan.whole_grade, plan.organiser = draft.paper_based, draft.whole_grade, draft.organiser
    _judge(plan, district=district, exception_reason=exception_reason, actor=actor)
    plan.save()
    audit(
        actor=actor,
        action="exam_updated",
        obj=plan,
        school_id=plan.school_id,
        region_code=plan.school.region.code,
        data={"before": before, "exception": bool(plan.exception_reason)},
    )
    return plan


@transaction.atomic
def exam_withdraw(*, actor: Any, plan_id: int) -> ExamPlan:
    """Withdraw (撤回) a plan before its first day; it stops counting against the term's rules."""
    plan = _plan_for_change(plan_id)
    if not schools_for_actor(actor).filter(pk=plan.school_id).exists():
        raise NotFound(_("考试"))
    if not can_withdraw_exam(actor, plan):
        raise PermissionDenied(_("只有校长或教导处可以撤回考试"))
    _check_not_started(plan)
    plan.withdrawn_at = timezone.now()
    plan.save(update_fields=["withdrawn_at"])
    audit(
        actor=actor,
        action="exam_withdrawn",
        obj=plan,
        school_id=plan.school_id,
        region_code=plan.school.region.code,
    )
    return plan


def _check_open_for_levels(plan: ExamPlan) -> None:
    if not plan.enterable:
        raise ExamError(
            ExamError.NOT_ENTERABLE, _("该考试违反考试管理规定且未经区县教育局登记例外，不能录入或发布等级")
        )
    if plan.end_date > today():
        raise ExamError(
            ExamError.NOT_YET,
            _("考试最后一天（%(day)s）起才能录入或发布等级"),
            params={"day": MonthDay(plan.end_date)},
        )


@transaction.atomic
def exam_release(*, actor: Any, plan_id: int) -> ExamPlan:
    """Release (发布) the exam's levels to families: each family then sees its own child's levels,
    never anyone else's (exam_no_ranking_no_publication). The school's principal or 教导处 does it,
    from the exam's last day; releasing twice is the first release."""
    plan = _plan_for_change(plan_id)
    if not schools_for_actor(actor).filter(pk=plan.school_id).exists():
        raise NotFound(_("学校"))
    if not can_release_levels(actor, plan):
        raise PermissionDenied(_("只有校长或教导处可以进行此操作"))
    _check_open_for_levels(plan)
    if plan.released_at is not None:
        return plan
    plan.released_at, plan.released_by = timezone.now(), actor
    plan.save(update_fields=["released_at", "released_by"])
    audit(
        actor=actor,
        action="exam_levels_released",
        obj=plan,
        school_id=plan.school_id,
        region_code=plan.school.region.code,
        data={"results": ExamResult.objects.filter(exam=plan).count()},
    )
    # Each family with an account and a child with levels in it is told once (no names, no levels:
    # those are behind the sign-in).
    parents = Guardian.objects.filter(
        student__in=ExamResult.objects.filter(exam=plan).values("student_id"), user__isnull=False
    ).select_related("user")
    notify(
        parents,
        "exam_released",
        {"exam": f"{plan.grade}{plan.get_kind_display()}"},
        key=f"exam_released:{plan.pk}",
        link_url=reverse("exams:family"),
    )
    return plan


@dataclass(frozen=True)
class ResultEntry:
    student_id: int
    subject: str
    level: str
    raw_score: Decimal | None = None
    comment: str = ""


@transaction.atomic
def results_enter(*, actor: Any, plan_id: int, entries: list[ResultEntry]) -> int:
    """Enter or correct levels (all or nothing), from the exam's last day. Only a teacher of that
    subject in the student's class may enter them; levels must be the profile's labels (default
    优秀/良好/合格/待合格)."""
    plan = (
        ExamPlan.objects.select_related("school__region", "grade")
        .filter(pk=plan_id, withdrawn_at__isnull=True)
        .first()
    )
    if plan is None:
        raise NotFound(_("考试"))
    if not can_enter_levels(actor, plan):
        raise NotFound(_("考试"))
    labels = level_labels(plan.school, plan.date)
    taught = set(
        TeachingAssignment.objects.filter(
            teacher__user_id=getattr(actor, "pk", None) or 0,
            teacher__school_id=plan.school_id,
            school_class__grade=plan.grade,
        ).values_list("school_class_id", "subject")
    )
    if not taught:
        raise NotFound(_("考试"))
    _check_open_for_levels(plan)
    students = {
        s.pk: s
        for s in Student.objects.filter(
            pk__in=[e.student_id for e in entries],
            school=plan.school,
            school_class__grade=plan.grade,
            is_active=True,
        )
    }
    problems: list[ErrorDetail] = []
    for n, e in enumerate(entries, start=1):
        s = students.get(e.student_id)
        if s is None or (s.school_class_id, e.subject) not in taught:
            problems.append(
                ErrorDetail(
                    _("第%(n)s条：你不能录入该学生该科目的成绩"), row=n, field="student_id", params={"n": n}
                )
            )
        elif e.subject not in plan.subjects:
            problems.append(
                ErrorDetail(_("第%(n)s条：本次考试不含该科目"), row=n, field="subject", params={"n": n})
            )
        elif e.level not in labels:
            problems.append(
                ErrorDetail(
                    _("第%(n)s条（%(name)s）：等级应为%(labels)s之一"),
                    row=n,
                    field="level",
                    params={"n": n, "name": s.name, "labels": "/".join(labels)},
                )
            )
        elif len(e.comment.strip()) > 200:
            problems.append(
                ErrorDetail(
                    _("第%(n)s条（%(name)s）：评语最多200字"),
                    row=n,
                    field="comment",
                    params={"n": n, "name": s.name},
                )
            )
        elif e.raw_score is not None and not (Decimal(0) <= e.raw_score <= Decimal(1000)):
            problems.append(
                ErrorDetail(
                    _("第%(n)s条（%(name)s）：原始分应在0到1000之间"),
                    row=n,
                    field="raw_score",
                    params={"n": n, "name": s.name},
                )
            )
    if problems:
        raise _not_saved(problems)
    for e in entries:
        ExamResult.objects.update_or_create(
            exam=plan,
            student_id=e.student_id,
            subject=e.subject,
            defaults={
                "level": e.level,
                "raw_score": e.raw_score,
                "comment": e.comment.strip(),
                "entered_by": actor,
                "school_class_id": students[e.student_id].school_class_id,
            },
        )
    audit(
        actor=actor,
        action="exam_results_entered",
        obj=plan,
        school_id=plan.school_id,
        data={"count": len(entries)},
    )
    return len(entries)


def parse_level_column(text: str, names: list[str], labels: list[str]) -> tuple[list[str], list[ErrorDetail]]:
    """A column pasted from a spreadsheet: one level per line, in the order of `names` (the sheet's
    rows). An empty line leaves that student without a level; trailing empty lines are ignored.
    Returns the levels (\"\" for none) and the row errors; the caller saves only when there are none."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    errors: list[ErrorDetail] = []
    if len(lines) > len(names):
        errors.append(
            ErrorDetail(
                _("粘贴了%(lines)s行，但名单只有%(students)s名学生，请核对顺序"),
                field="levels",
                params={"lines": len(lines), "students": len(names)},
            )
        )
        return [], errors
    levels = []
    for n, line in enumerate(lines, start=1):
        # A copied cell may carry a tab (two columns copied) or full-width spaces.
        value = line.split("\t")[0].strip().replace("\u3000", "")
        if value and value not in labels:
            errors.append(
                ErrorDetail(
                    _("第%(n)s行（%(name)s）：“%(value)s”不是等级，应为%(labels)s之一"),
                    row=n,
                    field="levels",
                    params={"n": n, "name": names[n - 1], "value": value[:20], "labels": "/".join(labels)},
                )
            )
        levels.append(value)
    return levels + [""] * (len(names) - len(lines)), errors


def results_paste(*, actor: Any, plan_id: int, class_id: int, subject: str, text: str) -> int:
    """Save a pasted column of levels for one class and subject of the teacher's sheet, in the order
    the sheet shows (class, then roster order). All or nothing: any bad line and nothing is saved."""
    plan = (
        ExamPlan.objects.select_related("school", "grade")
        .filter(pk=plan_id, withdrawn_at__isnull=True)
        .first()
    )
    if plan is None:
        raise NotFound(_("考试"))
    rows = [
        r for r in results_for_entry(plan, actor) if r["class"].pk == class_id and r["subject"] == subject
    ]
    if not rows:
        raise NotFound(_("考试"))
    _check_open_for_levels(plan)
    levels, errors = parse_level_column(
        text, [r["student"].name for r in rows], level_labels(plan.school, plan.date)
    )
    if errors:
        raise _not_saved(errors, field="levels")
    if not any(levels):
        raise ExamError(ExamError.LEVEL_INVALID, _("请粘贴一列等级"), field="levels")
    # What is not pasted keeps what was there, comment and raw score included.
    entries = [
        ResultEntry(r["student"].pk, subject, level, r["raw_score"], r["comment"])
        for r, level in zip(rows, levels, strict=True)
        if level
    ]
    return results_enter(actor=actor, plan_id=plan.pk, entries=entries)
