"""Exam pages: filing and the district's view, changing and withdrawing a plan, releasing levels,
the teacher's list of exams waiting for levels and the entry sheet, and levels for families.
Each page calls the same service as the API (jianfu.exams.services)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jianfu.core.errors import DomainError, NotFound
from jianfu.core.forms import add_domain_error
from jianfu.exams.forms import PasteForm, PlanForm, SheetForm
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


def _offered_subjects(school: School) -> list[tuple[str, str]]:
    stages = {g.stage for g in school.grades.all()}
    return [
        (v, label) for v, label in Subject.choices if any((v, label) in subjects_for_stage(s) for s in stages)
    ]


def _plan_form(request: HttpRequest, school: School, plan: ExamPlan | None = None) -> PlanForm:
    data = request.POST if request.method == "POST" else None
    initial = PlanForm.initial_for(plan) if plan is not None else None
    return PlanForm(data, school=school, subjects=_offered_subjects(school), initial=initial)


def _form_context(user: Any, school: School, form: PlanForm) -> dict[str, Any]:
    return {
        "school": school,
        "grades": list(school.grades.order_by("number")),
        "terms": list(school.terms.order_by("-start_date")),
        "kinds": ExamKind.choices,
        "organisers": Organiser.choices,
        "subjects": _offered_subjects(school),
        "values": form.shown(),
        "district_filer": files_as_district(user, school),
        "today": today(),
    }


def _submit(form: PlanForm, save: Callable[[PlanDraft, str], Any]) -> tuple[bool, DomainError | None, str]:
    """Run the service on a valid form; a refusal lands on the form. Returns (saved, error, message)."""
    if not form.is_valid():
        return False, None, gettext("；").join(str(m) for errors in form.errors.values() for m in errors)
    try:
        save(form.draft(), form.cleaned_data["exception_reason"])
    except DomainError as exc:
        add_domain_error(form, exc)
        return False, exc, exc.message
    return True, None, ""


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
    form = _plan_form(request, school) if school is not None else None
    if request.method == "POST" and school is not None and form is not None:
        filing_school = school
        saved, error, message = _submit(
            form,
            lambda draft, reason: exam_file(
                actor=request.user, school=filing_school, draft=draft, exception_reason=reason
            ),
        )
        if saved:
            messages.success(request, gettext("已备案。"))
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
    if school is not None and form is not None:
        context.update(_form_context(request.user, school, form))
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
    form = _plan_form(request, plan.school, plan)
    if request.method == "POST":
        saved, error, message = _submit(
            form,
            lambda draft, reason: exam_update(
                actor=request.user, plan_id=plan.pk, draft=draft, exception_reason=reason
            ),
        )
        if saved:
            messages.success(request, gettext("已修改。"))
            return redirect(f"/exams/?school={plan.school_id}")
    context = {
        "plan": plan,
        "error": error,
        "message": message,
        "error_codes": [d.code for d in error.details] if error else [],
        **_form_context(request.user, plan.school, form),
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
        messages.success(request, gettext("已撤回。"))
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
        messages.success(request, gettext("等级已发布，家长可查看自己孩子的等级。"))
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
    details: list[Any] = []
    pasted: dict[str, str] = {}
    keys = [f"{row['student'].pk}:{row['subject']}" for row in sheet]
    if request.method == "POST" and request.POST.get("paste"):
        paste = PasteForm(request.POST)
        pasted[request.POST["paste"]] = paste.data["text"]
        try:
            if not paste.is_valid():
                raise NotFound(_("考试"))
            count = results_paste(
                actor=request.user,
                plan_id=plan.pk,
                class_id=paste.class_id,
                subject=paste.subject,
                text=paste.cleaned_data["text"],
            )
        except DomainError as exc:
            error, details = exc.message, exc.details
        else:
            messages.success(request, gettext("已保存%(count)s条等级。") % {"count": count})
            return redirect("exams:results", plan_id=plan.pk)
    elif request.method == "POST":
        form = SheetForm(request.POST, keys=keys)
        if form.is_valid():
            d = form.cleaned_data
            entries = [
                ResultEntry(
                    row["student"].pk, row["subject"], d[f"level_{k}"], d[f"raw_{k}"], d[f"comment_{k}"]
                )
                for row, k in zip(sheet, keys, strict=True)
                if d[f"level_{k}"]
            ]
            try:
                count = results_enter(actor=request.user, plan_id=plan.pk, entries=entries)
            except DomainError as exc:
                add_domain_error(form, exc)
                error, details = exc.message, exc.details
            else:
                messages.success(request, gettext("已保存%(count)s条等级。") % {"count": count})
                return redirect("exams:results", plan_id=plan.pk)
        else:
            error = gettext("；").join(str(m) for errors in form.errors.values() for m in errors)
        for row, k in zip(sheet, keys, strict=True):  # shown again as typed, never lost
            row["level"] = form[f"level_{k}"].value() or ""
            row["comment"] = form[f"comment_{k}"].value() or ""
            row["raw_score"] = form[f"raw_{k}"].value() or None
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
            "details": details,
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
