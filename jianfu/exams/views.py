"""Exam pages: filing and the district's view, changing and withdrawing a plan, releasing levels,
the teacher's list of exams waiting for levels and the entry sheet, and levels for families.
Each page calls the same service as the API (jianfu.exams.services)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from jianfu.core.errors import DomainError
from jianfu.exams.models import ExamKind, ExamPlan, Organiser
from jianfu.exams.permissions import (
    can_change_exam,
    can_enter_levels,
    can_release_levels,
    can_see_exam_plans,
    files_as_district,
    keeps_levels,
    schools_filing_for,
)
from jianfu.exams.selectors import (
    bureau_sees,
    child_levels,
    level_labels,
    plans_awaiting_levels,
    plans_for_actor,
    results_for_entry,
    subjects_for_stage,
)
from jianfu.exams.services import (
    PlanDraft,
    ResultEntry,
    exam_file,
    exam_release,
    exam_update,
    exam_withdraw,
    results_enter,
    results_paste,
    today,
)
from jianfu.feedback.selectors import children_of
from jianfu.schools.access import schools_for_actor
from jianfu.schools.models import School, Subject


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def _filing_schools(user: Any) -> list[School]:
    return list(schools_filing_for(user).order_by("code"))


def _draft(post: QueryDict) -> tuple[PlanDraft | None, str]:
    """The form's fields as a draft, or a message naming the field that could not be read."""
    try:
        grade = int(post.get("grade") or "")
    except ValueError:
        return None, "请选择年级 / Choose a grade"
    try:
        term = int(post.get("term") or "")
    except ValueError:
        return None, "请选择学期 / Choose a term"
    try:
        first = date.fromisoformat(post.get("date", ""))
    except ValueError:
        return None, "请填写开始日期 / Fill in the first day"
    try:
        end = post.get("end_date", "")
        last = date.fromisoformat(end) if end else None
    except ValueError:
        return None, "结束日期格式不对 / The last day is not a date"
    return (
        PlanDraft(
            grade_number=grade,
            term_id=term,
            kind=post.get("kind", ""),
            subjects=post.getlist("subjects"),
            date=first,
            end_date=last,
            paper_based=post.get("paper_based") == "on",
            whole_grade=post.get("whole_grade") == "on",
            organiser=post.get("organiser", Organiser.SCHOOL),
        ),
        "",
    )


def _form_context(user: Any, school: School, values: dict[str, Any]) -> dict[str, Any]:
    grades = list(school.grades.order_by("number"))
    stages = {g.stage for g in grades}
    offered = [
        (v, label) for v, label in Subject.choices if any((v, label) in subjects_for_stage(s) for s in stages)
    ]
    return {
        "school": school,
        "grades": grades,
        "terms": list(school.terms.order_by("-start_date")),
        "kinds": ExamKind.choices,
        "organisers": Organiser.choices,
        "subjects": offered,
        "values": values,
        "district_filer": files_as_district(user, school),
        "today": today(),
    }


def _values(post: QueryDict | None, plan: ExamPlan | None = None) -> dict[str, Any]:
    """What the form shows: what was typed (never lost on an error), else the plan, else defaults."""
    if post is not None:
        return {
            "grade": post.get("grade", ""),
            "term": post.get("term", ""),
            "kind": post.get("kind", ""),
            "organiser": post.get("organiser", "school"),
            "date": post.get("date", ""),
            "end_date": post.get("end_date", ""),
            "subjects": post.getlist("subjects"),
            "paper_based": post.get("paper_based") == "on",
            "whole_grade": post.get("whole_grade") == "on",
            "exception_reason": post.get("exception_reason", ""),
        }
    if plan is not None:
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
    return {"paper_based": True, "whole_grade": True, "subjects": [], "organiser": "school"}


def plans_page(request: HttpRequest) -> HttpResponse:
    if not can_see_exam_plans(request.user):
        return _not_found(request)
    filing_schools = _filing_schools(request.user)
    chosen = request.POST.get("school") or request.GET.get("school")
    school = next((s for s in filing_schools if str(s.pk) == chosen), None)
    if (chosen or request.method == "POST") and school is None:
        return _not_found(request)
    school = school or (filing_schools[0] if filing_schools else None)
    error: DomainError | None = None
    message = ""
    values = _values(None)
    if request.method == "POST":
        assert school is not None  # a POST names a school, checked above
        values = _values(request.POST)
        draft, message = _draft(request.POST)
        if draft is not None:
            try:
                exam_file(
                    actor=request.user,
                    school=school,
                    draft=draft,
                    exception_reason=request.POST.get("exception_reason", ""),
                )
            except DomainError as exc:
                error, message = exc, exc.message
            else:
                messages.success(request, "已备案。")
                return redirect(f"{request.path}?school={school.pk}")
    plans = list(plans_for_actor(request.user))
    context: dict[str, Any] = {
        "plans": plans,
        "filing_schools": filing_schools,
        "district": bureau_sees(request.user),
        "changeable_ids": {p.pk for p in plans if can_change_exam(request.user, p)},
        "releasable_ids": {p.pk for p in plans if can_release_levels(request.user, p)},
        "error": error,
        "message": message,
        "error_codes": [d.code for d in error.details] if error else [],
        "today": today(),
    }
    if school is not None:
        context.update(_form_context(request.user, school, values))
    return render(request, "exams/exam_plans.html", context, status=422 if message else 200)


def _plan_for_filer(request: HttpRequest, plan_id: int) -> ExamPlan | None:
    plan = (
        ExamPlan.objects.select_related("school", "grade", "term")
        .filter(pk=plan_id, withdrawn_at__isnull=True)
        .first()
    )
    if plan is None or not can_change_exam(request.user, plan):
        return None
    return plan


def plan_edit_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_for_filer(request, plan_id)
    if plan is None:
        return _not_found(request)
    error: DomainError | None = None
    message = ""
    values = _values(None, plan)
    if request.method == "POST":
        values = _values(request.POST)
        draft, message = _draft(request.POST)
        if draft is not None:
            try:
                exam_update(
                    actor=request.user,
                    plan_id=plan.pk,
                    draft=draft,
                    exception_reason=request.POST.get("exception_reason", ""),
                )
            except DomainError as exc:
                error, message = exc, exc.message
            else:
                messages.success(request, "已修改。")
                return redirect(f"/exams/?school={plan.school_id}")
    context = {
        "plan": plan,
        "error": error,
        "message": message,
        "error_codes": [d.code for d in error.details] if error else [],
        **_form_context(request.user, plan.school, values),
    }
    return render(request, "exams/exam_plan_edit.html", context, status=422 if message else 200)


def plan_withdraw(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_for_filer(request, plan_id)
    if plan is None or request.method != "POST":
        return _not_found(request)
    try:
        exam_withdraw(actor=request.user, plan_id=plan.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已撤回。")
    return redirect(f"/exams/?school={plan.school_id}")


def plan_release(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = (
        ExamPlan.objects.filter(
            pk=plan_id, withdrawn_at__isnull=True, school__in=schools_for_actor(request.user)
        )
        .select_related("school")
        .first()
    )
    if plan is None or request.method != "POST":
        return _not_found(request)
    try:
        exam_release(actor=request.user, plan_id=plan.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "等级已发布，家长可查看自己孩子的等级。")
    return redirect(f"/exams/?school={plan.school_id}")


def levels_page(request: HttpRequest) -> HttpResponse:
    """The one menu entry "录入等级": the exams the teacher keeps levels for."""
    rows = plans_awaiting_levels(request.user, today())
    if not rows and not keeps_levels(request.user):
        return _not_found(request)
    return render(request, "exams/exam_levels.html", {"rows": rows})


def results_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = (
        ExamPlan.objects.select_related("school", "grade")
        .filter(pk=plan_id, withdrawn_at__isnull=True)
        .first()
    )
    sheet = results_for_entry(plan, request.user) if plan and can_enter_levels(request.user, plan) else []
    if plan is None or not sheet or not plan.enterable:
        return _not_found(request)
    error = ""
    pasted: dict[str, str] = {}
    if request.method == "POST" and request.POST.get("paste"):
        class_id, _, subject = request.POST["paste"].partition(":")
        text = request.POST.get(f"levels_{request.POST['paste']}", "")
        pasted[request.POST["paste"]] = text
        try:
            count = results_paste(
                actor=request.user, plan_id=plan.pk, class_id=int(class_id or 0), subject=subject, text=text
            )
        except (DomainError, ValueError) as exc:
            error = exc.message if isinstance(exc, DomainError) else "无效的提交 / Invalid form"
            details = exc.details if isinstance(exc, DomainError) else []
        else:
            messages.success(request, f"已保存{count}条等级。")
            return redirect("exams:results", plan_id=plan.pk)
    elif request.method == "POST":
        entries = []
        for row in sheet:
            key = f"{row['student'].pk}:{row['subject']}"
            level = request.POST.get(f"level_{key}", "")
            if not level:
                continue
            try:
                raw = Decimal(request.POST[f"raw_{key}"]) if request.POST.get(f"raw_{key}") else None
            except InvalidOperation:
                raw = None
            entries.append(
                ResultEntry(
                    row["student"].pk, row["subject"], level, raw, request.POST.get(f"comment_{key}", "")
                )
            )
        try:
            count = results_enter(actor=request.user, plan_id=plan.pk, entries=entries)
        except DomainError as exc:
            error, details = exc.message, exc.details
            for row in sheet:  # shown again as typed, never lost
                key = f"{row['student'].pk}:{row['subject']}"
                row["level"] = request.POST.get(f"level_{key}", "")
                row["comment"] = request.POST.get(f"comment_{key}", "")
                row["raw_score"] = request.POST.get(f"raw_{key}") or None
        else:
            messages.success(request, f"已保存{count}条等级。")
            return redirect("exams:results", plan_id=plan.pk)
    blocks: dict[str, dict[str, Any]] = {}
    for row in sheet:
        key = f"{row['class'].pk}:{row['subject']}"
        blocks.setdefault(key, {"key": key, "class": row["class"], "subject": row["subject"], "rows": []})
        blocks[key]["rows"].append(row)
    for key, text in pasted.items():
        if key in blocks:
            blocks[key]["pasted"] = text
    return render(
        request,
        "exams/exam_results.html",
        {
            "plan": plan,
            "blocks": list(blocks.values()),
            "labels": level_labels(plan.school, plan.date),
            "open": plan.end_date <= today(),
            "error": error,
            "details": details if error else [],
        },
        status=422 if error else 200,
    )


def family_page(request: HttpRequest) -> HttpResponse:
    children = children_of(request.user)
    if not children:
        return _not_found(request)
    subject_labels = dict(Subject.choices)
    cards = [
        {
            "child": c,
            "levels": [
                {**r, "subject": subject_labels.get(r["subject"], r["subject"])}
                for r in child_levels(request.user, c.pk)
            ],
        }
        for c in children
    ]
    return render(request, "exams/exam_family.html", {"cards": cards})
