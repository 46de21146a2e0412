"""Homework pages for teachers, head teachers and families. Thin: every write calls a service."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianfu.core.errors import DomainError
from jianfu.feedback.selectors import (
    alerts_for_class,
    children_of,
    class_day_summaries,
    homework_day_minutes,
    report_comparison,
    report_for,
    report_window_is_open,
)
from jianfu.feedback.services import report_submit
from jianfu.homework import services
from jianfu.homework.models import Kind, Tier, Where
from jianfu.homework.selectors import (
    SUBJECT_LABELS,
    class_week,
    grade_week,
    publication_for,
    teaching_for,
    week_days,
)
from jianfu.homework.services import Draft, HomeworkError, homework_evaluate
from jianfu.schools.models import Subject
from jianfu.schools.selectors import class_get_for_actor, classes_for_actor_staff

FLAG_LABELS = [
    ("needs_parent_marking", "需要家长检查或批改"),
    ("assigned_to_parent", "需要家长完成"),
    ("phone_required", "需要用手机完成或提交"),
    ("self_marking", "学生自批自改"),
    ("punitive", "惩罚性或重复抄写"),
]


def _date(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _draft(data: Any) -> Draft:
    try:
        minutes = int(data.get("minutes") or 0)
    except ValueError:
        minutes = 0
    return Draft(
        subject=data.get("subject", ""),
        kind=data.get("kind", Kind.WRITTEN),
        where=data.get("where", Where.HOME),
        minutes=minutes,
        tier=data.get("tier", Tier.REQUIRED),
        **{flag: data.get(flag) == "on" for flag, _ in FLAG_LABELS},
    )


def _choice(request: HttpRequest) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    teaching = teaching_for(request.user)
    key = request.POST.get("assignment") or request.GET.get("assignment") or ""
    chosen = next(
        (t for t in teaching if f"{t['class'].pk}:{t['subject']}" == key), teaching[0] if teaching else None
    )
    return teaching, chosen


def post_page(request: HttpRequest) -> HttpResponse:
    """Post homework with the class's load for that day shown live (htmx)."""
    teaching, chosen = _choice(request)
    if not teaching:
        return render(request, "errors/404.html", status=404)
    today = timezone.localdate()
    # Other classes of the same grade where the teacher teaches the same subject: post to all at once.
    siblings = [
        t
        for t in teaching
        if chosen
        and t is not chosen
        and t["subject"] == chosen["subject"]
        and t["class"].grade_id == chosen["class"].grade_id
    ]
    context: dict[str, Any] = {
        "teaching": teaching,
        "chosen": chosen,
        "siblings": siblings,
        "kinds": Kind.choices,
        "wheres": Where.choices,
        "tiers": Tier.choices,
        "flags": FLAG_LABELS,
        "today": today,
        "data": request.POST or {"date_set": today.isoformat(), "date_due": today.isoformat()},
    }
    status = 200
    if request.method == "POST" and chosen is not None:
        data = request.POST
        day = _date(data.get("date_set"), today)
        draft = Draft(**{**_draft(data).__dict__, "subject": chosen["subject"]})
        try:
            services.homework_create(
                actor=request.user,
                class_ids=[chosen["class"].pk]
                + [t["class"].pk for t in siblings if str(t["class"].pk) in data.getlist("also_class")],
                date_set=day,
                date_due=_date(data.get("date_due"), day),
                draft=draft,
                description=data.get("description", ""),
                exception_reason=data.get("exception_reason", "") if data.get("request_exception") else "",
                confirm_warnings=bool(data.get("confirm_warnings")),
            )
        except HomeworkError as exc:
            context["error"] = exc
            context["offer_exception"] = exc.code == HomeworkError.DAILY_CAP_EXCEEDED
            context["offer_confirm"] = exc.code == HomeworkError.TEXT_NEEDS_CONFIRMATION
            status = 422
        except DomainError as exc:
            context["error"] = exc
            status = exc.status
        else:
            if data.get("request_exception"):
                messages.info(request, "已提交班主任特批申请；批准前这项作业不会公示，也不计入当天总量。")
            else:
                messages.success(request, "作业已布置。")
            return redirect(
                reverse("homework:class-week", args=[chosen["class"].pk]) + f"?week={day.isoformat()}"
            )
    if chosen is not None:
        context["panel"] = _panel(request, chosen, request.POST or None)
    return render(request, "homework/homework_post.html", context, status=status)


def _panel(request: HttpRequest, chosen: dict[str, Any], data: Any) -> dict[str, Any]:
    today = timezone.localdate()
    day = _date((data or {}).get("date_set"), today)
    draft = Draft(**{**_draft(data or {}).__dict__, "subject": chosen["subject"]})
    result = homework_evaluate(
        school_class=chosen["class"],
        on=day,
        draft=draft if draft.minutes > 0 else None,
        teacher=request.user,
        description=(data or {}).get("description", ""),
    )
    cap = result["cap"]
    by_subject: dict[str, int] = {}
    for item in result["existing"]:
        by_subject[item.subject] = by_subject.get(item.subject, 0) + item.minutes
    return {
        **result,
        "day": day,
        "draft": draft,
        "by_subject": [(SUBJECT_LABELS.get(k, k), v) for k, v in sorted(by_subject.items())],
        "adds": result["total_minutes"] - result["posted_minutes"],
        "percent": min(100, round(100 * result["total_minutes"] / cap)) if cap else 0,
        "over": cap is not None and result["total_minutes"] > cap + result["exception_minutes"],
    }


def post_preview(request: HttpRequest) -> HttpResponse:
    """The live load panel (htmx partial)."""
    _teaching, chosen = _choice(request)
    if chosen is None:
        return render(request, "errors/404.html", status=404)
    data = request.POST if request.method == "POST" else request.GET
    return render(
        request, "homework/_load_panel.html", {"panel": _panel(request, chosen, data), "chosen": chosen}
    )


def class_week_page(request: HttpRequest, class_id: int) -> HttpResponse:
    try:
        school_class = class_get_for_actor(request.user, class_id)
    except DomainError:
        return render(request, "errors/404.html", status=404)
    if not classes_for_actor_staff(request.user).filter(pk=class_id).exists():
        return render(request, "errors/404.html", status=404)  # parents use the family page
    today = timezone.localdate()
    monday = services.week_start(_date(request.GET.get("week"), today))
    week = class_week(school_class, monday)
    is_head = services.is_head_teacher(request.user, school_class)
    can_approve = services.can_approve_exceptions(request.user, school_class)
    counted = {t["date"] for t in week["totals"] if t["counted"]}
    shown_days = [d for d in week_days(monday) if d.weekday() < 5 or d in counted]
    feedback = [{"date": d, **s} for d, s in class_day_summaries(school_class, shown_days).items()]
    pub = publication_for(school_class)
    quotas = {q.subject: q.minutes for q in school_class.subject_quotas.all()}
    taught = sorted({a.subject for a in school_class.assignments.all()})
    quota_rows = [{"subject": s, "label": SUBJECT_LABELS.get(s, s), "minutes": quotas.get(s)} for s in taught]
    return render(
        request,
        "homework/class_week.html",
        {
            "school_class": school_class,
            "week": week,
            "monday": monday,
            "today": today,
            "is_head": is_head,
            "can_approve": can_approve,
            "quota_rows": quota_rows,
            "feedback": feedback,
            "alerts": alerts_for_class(school_class),
            "publication": pub,
            "prev_week": monday.fromordinal(monday.toordinal() - 7),
            "next_week": monday.fromordinal(monday.toordinal() + 7),
            "public_url": request.build_absolute_uri(reverse("homework:public", args=[pub.token]))
            if pub
            else "",
        },
    )


@require_POST
def approve_view(request: HttpRequest, item_id: int) -> HttpResponse:
    try:
        if request.POST.get("decision") == "reject":
            item = services.exception_reject(
                actor=request.user, item_id=item_id, reason=request.POST.get("reason", "")
            )
            messages.info(request, "已退回该作业。")
            class_id = item.school_class_id
        else:
            exception = services.exception_approve(
                actor=request.user, item_id=item_id, reason=request.POST.get("reason", "")
            )
            messages.success(request, f"已特批（超出{exception.extra_minutes}分钟），理由已记录。")
            class_id = exception.school_class_id
    except HomeworkError as exc:
        messages.error(request, exc.message)
        return redirect(request.META.get("HTTP_REFERER") or "core:home")
    except DomainError:
        return render(request, "errors/404.html", status=404)
    return redirect("homework:class-week", class_id=class_id)


@require_POST
def publish_view(request: HttpRequest, class_id: int) -> HttpResponse:
    try:
        school_class = class_get_for_actor(request.user, class_id)
        if request.POST.get("action") == "revoke":
            services.publication_revoke(actor=request.user, school_class=school_class)
            messages.success(request, "已更换公示页地址，旧地址和二维码失效。")
        elif request.POST.get("action") == "page":
            services.publication_ensure(actor=request.user, school_class=school_class)
        else:
            day = _date(request.POST.get("date"), timezone.localdate())
            services.publication_ensure(actor=request.user, school_class=school_class)
            services.day_publish(actor=request.user, school_class=school_class, on=day)
            messages.success(request, f"{day:%m月%d日}作业已公示。")
    except DomainError as exc:
        if exc.status == 404:
            return render(request, "errors/404.html", status=404)
        messages.error(request, exc.message)
    return redirect("homework:class-week", class_id=class_id)


def grade_week_page(request: HttpRequest, class_id: int) -> HttpResponse:
    """All classes of the grade of `class_id` side by side for the week (年级组统筹)."""
    staff_classes = classes_for_actor_staff(request.user)
    anchor = staff_classes.filter(pk=class_id).first()
    if anchor is None:
        return render(request, "errors/404.html", status=404)
    classes = list(staff_classes.filter(grade=anchor.grade).order_by("number"))
    monday = services.week_start(_date(request.GET.get("week"), timezone.localdate()))
    return render(
        request,
        "homework/grade_week.html",
        {
            "grade": anchor.grade,
            "school": anchor.school,
            "rows": grade_week(classes, monday),
            "monday": monday,
            "anchor": anchor,
        },
    )


def _family_default_day(now: datetime) -> date:
    """The day families report about now: before noon, yesterday evening (decision 0003)."""
    today = now.date()
    return today if now.time() >= time(12, 0) else today - timedelta(days=1)


# How far back the family page goes: a school year and then some (a day link must never reach
# date.min, and nothing older is of use to a family).
FAMILY_DAYS_BACK = 400


def family_page(request: HttpRequest) -> HttpResponse:
    """A parent's children: a day's published homework (today's by default, earlier days by
    ?day=) and the evening report, shown back with the cap and bedtime comparison once filed."""
    children = children_of(request.user)
    if not children:
        return render(request, "errors/404.html", status=404)
    now = timezone.localtime()
    default_day = _family_default_day(now)
    day = _date(request.GET.get("day"), default_day)
    if day > now.date():
        day = default_day  # no pages for days to come
    earliest = now.date() - timedelta(days=FAMILY_DAYS_BACK)
    day = max(day, earliest)
    from jianfu.homework.selectors import published_days

    window_open = report_window_is_open(day, now)
    cards = []
    for child in children:
        published = published_days(child.school_class, [day]).get(day)
        minutes = homework_day_minutes(published)
        report = report_for(request.user, child, day)
        split = report.minutes_by_subject if report else {}
        codes = {i["code"] for i in published["items"]} if published else set()
        pub = publication_for(child.school_class)
        cards.append(
            {
                "child": child,
                "published": published,
                "minutes": minutes,
                # The day's subjects and any the family reported, so a correction shows every one.
                "subjects": [
                    (code, SUBJECT_LABELS.get(code, code), split.get(code, ""))
                    for code in sorted(codes | set(split))
                ],
                "split": [(SUBJECT_LABELS.get(k, k), v) for k, v in sorted(split.items())],
                "report": report,
                "comparison": report_comparison(report, child.school_class) if report else None,
                "quick": window_open and report is None and minutes is not None and minutes.all_kinds > 0,
                "public_url": reverse("homework:public", args=[pub.token]) if pub else "",
                "key": uuid.uuid4().hex,
            }
        )
    return render(
        request,
        "homework/family_page.html",
        {
            "cards": cards,
            "day": day,
            "window_open": window_open,
            "prev_day": day - timedelta(days=1) if day > earliest else None,
            "next_day": day + timedelta(days=1) if day < now.date() else None,
            "is_default_day": day == default_day,
            "not_yet": day > default_day,  # today, before noon
        },
    )


_REPORT_FIELD_LABELS = {
    "minutes_total": "作业实际用时",
    "minutes_by_subject": "分学科用时",
    "bedtime": "就寝时间",
    "wake_time": "起床时间",
    "date": "日期",
}


def _family_report_fields(data: Any) -> dict[str, Any]:
    """The fields the form sent, as sent: a field left out keeps its stored value (decision 0026).
    Checkboxes come with a hidden "off" before them, so an unticked box is sent too."""
    fields: dict[str, Any] = {}
    if "minutes_total" in data:
        fields["minutes_total"] = data["minutes_total"].strip()
    for flag in ("finished", "stopped_at_bedtime"):
        if flag in data:
            fields[flag] = data.getlist(flag)[-1] == "on"
    for name in ("bedtime", "wake_time"):
        if name in data:
            fields[name] = data[name].strip() or None
    subjects = [k for k in data if k.startswith("subject_")]
    if subjects:
        # Optional per-subject minutes feed the teachers' calibration (jianfu.homework.calibration).
        fields["minutes_by_subject"] = {
            k.removeprefix("subject_"): data[k].strip() for k in subjects if data[k].strip()
        }
    return fields


@require_POST
def family_report(request: HttpRequest) -> HttpResponse:
    data = request.POST
    report_date = _date(data.get("date"), timezone.localdate())
    try:
        report_submit(
            actor=request.user,
            student_id=int(data.get("student") or 0),
            report_date=report_date,
            idempotency_key=data.get("idempotency_key", ""),
            # The one-tap button files only if nothing is reported yet (a stale page's tap is refused).
            only_if_new=data.get("quick") == "1",
            **_family_report_fields(data),
        )
    except ValueError:
        messages.error(request, "提交的内容不完整，请刷新页面后再试。")
    except DomainError as exc:
        if exc.status == 404:
            return render(request, "errors/404.html", status=404)
        label = _REPORT_FIELD_LABELS.get(exc.field or "")
        if label is None and (exc.field or "").startswith("minutes_by_subject."):
            code = (exc.field or "").removeprefix("minutes_by_subject.")
            label = f"{SUBJECT_LABELS.get(code, '分学科')}用时"
        messages.error(request, f"{label}：{exc.message}" if label else exc.message)
    else:
        messages.success(request, "已收到，谢谢！当晚可以再次修改。")
    url = reverse("homework:family")
    if report_date != _family_default_day(timezone.localtime()):
        url += f"?day={report_date.isoformat()}"
    return redirect(url)


@require_POST
def quotas_view(request: HttpRequest, class_id: int) -> HttpResponse:
    """The head teacher's optional daily minute quota per subject (blank clears it)."""
    try:
        school_class = class_get_for_actor(request.user, class_id)
        for subject, _label in Subject.choices:
            field = f"quota_{subject}"
            if field in request.POST:
                value = request.POST[field].strip()
                services.subject_quota_set(
                    actor=request.user,
                    school_class=school_class,
                    subject=subject,
                    minutes=int(value) if value.isdigit() else None,
                )
    except DomainError as exc:
        if exc.status == 404:
            return render(request, "errors/404.html", status=404)
        messages.error(request, exc.message)
    else:
        messages.success(request, "学科配额已保存。")
    return redirect("homework:class-week", class_id=class_id)
