"""Exam pages: filing and the district's view, results entry for teachers, levels for families."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from jianfu.accounts.models import Membership, Role
from jianfu.core.errors import DomainError
from jianfu.exams.models import ExamKind, ExamPlan, Organiser
from jianfu.exams.selectors import bureau_sees, child_levels, level_labels, plans_for_actor, results_for_entry
from jianfu.exams.services import ResultEntry, exam_file, results_enter
from jianfu.feedback.selectors import children_of
from jianfu.schools.models import Subject
from jianfu.schools.selectors import roles_of, schools_for_actor

STAFF = {Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS, Role.BUREAU_STAFF, Role.INSPECTOR, Role.CUSTODIAN}


def plans_page(request: HttpRequest) -> HttpResponse:
    if not roles_of(request.user) & STAFF:
        return render(request, "errors/404.html", status=404)
    filing_schools = [
        s
        for s in schools_for_actor(request.user)
        if Membership.objects.filter(
            user_id=request.user.pk or 0, school=s, role__in=[Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS]
        ).exists()
    ]
    if request.method == "POST":
        school = next((s for s in filing_schools if str(s.pk) == request.POST.get("school")), None)
        if school is None:
            return render(request, "errors/404.html", status=404)
        try:
            plan = exam_file(
                actor=request.user,
                school=school,
                grade_number=int(request.POST.get("grade") or 0),
                term_id=int(request.POST.get("term") or 0),
                kind=request.POST.get("kind", ""),
                subjects=request.POST.getlist("subjects"),
                date=date.fromisoformat(request.POST.get("date", "")),
                paper_based=request.POST.get("paper_based") == "on",
                whole_grade=request.POST.get("whole_grade") == "on",
                organiser=request.POST.get("organiser", Organiser.SCHOOL),
            )
        except ValueError:
            messages.error(request, "请填写完整：年级、学期、日期。")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if plan.has_violation:
                messages.error(
                    request,
                    "已备案，但违反考试管理规定："
                    + "；".join(f["message_zh"] for f in plan.findings if f["severity"] == "violation"),
                )
            else:
                messages.success(request, "已备案。")
        return redirect("exams:plans")
    plans = list(plans_for_actor(request.user))
    today = timezone.localdate()
    return render(
        request,
        "exams/exam_plans.html",
        {
            "plans": plans,
            "filing_schools": filing_schools,
            "kinds": ExamKind.choices,
            "organisers": Organiser.choices,
            "subjects": Subject.choices,
            "district": bureau_sees(request.user),
            "today": today,
            "terms": {s.pk: list(s.terms.all()) for s in filing_schools},
        },
    )


def results_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = (
        ExamPlan.objects.select_related("school", "grade")
        .filter(pk=plan_id, withdrawn_at__isnull=True)
        .first()
    )
    sheet = results_for_entry(plan, request.user) if plan else []
    if plan is None or not sheet:
        return render(request, "errors/404.html", status=404)
    if request.method == "POST":
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
            entries.append(ResultEntry(row["student"].pk, row["subject"], level, raw))
        try:
            count = results_enter(actor=request.user, plan_id=plan.pk, entries=entries)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已保存{count}条等级。")
        return redirect("exams:results", plan_id=plan.pk)
    return render(
        request,
        "exams/exam_results.html",
        {
            "plan": plan,
            "sheet": sheet,
            "labels": level_labels(plan.school, plan.date),
            "subject_labels": dict(Subject.choices),
        },
    )


def family_page(request: HttpRequest) -> HttpResponse:
    children = children_of(request.user)
    if not children:
        return render(request, "errors/404.html", status=404)
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
