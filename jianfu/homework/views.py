"""Homework pages for teachers, head teachers and families. Thin: every write calls a service."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from jianfu.core.errors import DomainError
from jianfu.core.forms import add_domain_error
from jianfu.feedback.rules import report_day
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
from jianfu.homework import permissions
from jianfu.homework.days import selectors as days_selectors
from jianfu.homework.days.selectors import homework_evaluate
from jianfu.homework.errors import HomeworkError
from jianfu.homework.exceptions import services as exceptions_services
from jianfu.homework.exceptions.selectors import exceptions_for_school_week
from jianfu.homework.forms import (
    FLAG_LABELS,
    DecisionForm,
    FamilyReportForm,
    HomeworkEditForm,
    HomeworkPostForm,
    PublishForm,
    QuotasForm,
    date_or,
    error_summary,
)
from jianfu.homework.models import Kind, Tier, Where
from jianfu.homework.posting import services as posting_services
from jianfu.homework.posting.selectors import homework_list_for_teacher, own_item_for_edit, teaching_for
from jianfu.homework.publication import services as publication_services
from jianfu.homework.publication.selectors import publication_for
from jianfu.homework.rules import WEEKDAYS
from jianfu.homework.selectors import (
    SUBJECT_LABELS,
    class_week,
    classes_over_cap,
    grade_classes,
    grade_week,
    school_grades,
    week_days,
)
from jianfu.schools.access import class_get_for_actor, classes_for_actor_staff
from jianfu.schools.models import Subject


def _monday(value: str | None, today: date) -> date:
    """The week asked for in the address; one outside the years a school calendar holds (a week
    around 9999-12-31 overflowed: security.md L1 #5) is this week."""
    chosen = date_or(value, today)
    if not days_selectors.DATES_SUPPORTED[0] <= chosen <= days_selectors.DATES_SUPPORTED[1]:
        chosen = today
    return days_selectors.week_start(chosen)


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
    sibling_ids = [t["class"].pk for t in siblings]
    if request.method == "POST":
        form = HomeworkPostForm(request.POST, sibling_ids=sibling_ids)
    else:
        form = HomeworkPostForm(sibling_ids=sibling_ids, initial={"date_set": today, "date_due": today})
    context: dict[str, Any] = {
        "teaching": teaching,
        "chosen": chosen,
        "siblings": siblings,
        "kinds": Kind.choices,
        "wheres": Where.choices,
        "tiers": Tier.choices,
        "flags": [(name, label, form[name]) for name, label in FLAG_LABELS],
        "today": today,
        "form": form,
        # Fresh per showing; kept when the form comes back with an error, so a second tap on the
        # corrected form is still the same post (the complaint form does the same, jianfu.cases).
        "idempotency_key": (form["idempotency_key"].value() or "")[:64] or uuid.uuid4().hex,
    }
    status = 200
    if request.method == "POST" and chosen is not None:
        status = _post(request, form, chosen, context)
        if status == 302:
            day = form.cleaned_data["date_set"]
            return redirect(
                reverse("homework:class-week", args=[chosen["class"].pk]) + f"?week={day.isoformat()}"
            )
        context["errors"] = error_summary(form)
    if chosen is not None:
        context["panel"] = _panel(request, chosen, request.POST or None)
    return render(request, "homework/homework_post.html", context, status=status)


def _refused(form: Any, exc: DomainError, context: dict[str, Any]) -> int:
    """Show a service's refusal on the form (beside its field, and in the box at the top with the
    rules it cites); the exception box or the confirmation is offered when they can help."""
    add_domain_error(form, exc)
    context["error"] = exc
    if not isinstance(exc, HomeworkError):
        return exc.status
    context["offer_exception"] = exc.code in (
        HomeworkError.DAILY_CAP_EXCEEDED,
        HomeworkError.ALL_KINDS_CAP_EXCEEDED,
    )
    context["offer_confirm"] = exc.code == HomeworkError.TEXT_NEEDS_CONFIRMATION
    return 422


def _post(
    request: HttpRequest, form: HomeworkPostForm, chosen: dict[str, Any], context: dict[str, Any]
) -> int:
    """Post the form's item: 302 when posted, else the status of the page showing why not."""
    if not form.is_valid():
        return 422
    data = form.cleaned_data
    day = data["date_set"]
    try:
        items = posting_services.homework_create(
            actor=request.user,
            class_ids=[chosen["class"].pk, *data["also_class"]],
            date_set=day,
            date_due=data["date_due"] or day,
            draft=form.draft(chosen["subject"]),
            description=data["description"],
            exception_reason=form.exception_reason_given(),
            confirm_warnings=data["confirm_warnings"],
            idempotency_key=data["idempotency_key"],
        )
    except DomainError as exc:
        return _refused(form, exc, context)
    if data["request_exception"]:
        messages.info(request, gettext("已提交特批申请；批准前这项作业不会公示，也不计入当天总量。"))
    else:
        messages.success(request, gettext("作业已布置。"))
    for warning in posting_services.post_warnings(items):
        messages.warning(request, warning)
    return 302


def _panel(request: HttpRequest, chosen: dict[str, Any], data: Any) -> dict[str, Any]:
    today = timezone.localdate()
    day, draft, description = HomeworkPostForm(data or {}).preview(chosen["subject"], today)
    result = homework_evaluate(
        school_class=chosen["class"],
        on=day,
        draft=draft if draft.minutes > 0 else None,
        teacher=request.user,
        description=description,
    )
    cap = result["cap"]
    by_subject: dict[str, int] = {}
    for item in result["existing"]:
        by_subject[item.subject] = by_subject.get(item.subject, 0) + item.minutes
    return {
        **result,
        "day": day,
        "draft": draft,
        "by_subject": [(gettext(SUBJECT_LABELS.get(k, k)), v) for k, v in sorted(by_subject.items())],
        "adds": result["total_minutes"] - result["posted_minutes"],
        "percent": min(100, round(100 * result["total_minutes"] / cap)) if cap else 0,
        "over": cap is not None and result["total_minutes"] > cap + result["exception_minutes"],
        "all_kinds_over": result["all_kinds_cap"] is not None
        and result["all_kinds_minutes"] > result["all_kinds_cap"] + result["exception_all_kinds_minutes"],
        "approver": exceptions_services.ROLE_LABELS[
            "academic_affairs" if result["own_exception_approver"] == "academic_affairs" else "principal"
        ],
        "poster_is_head": permissions.is_head_teacher(request.user, chosen["class"]),
    }


def post_preview(request: HttpRequest) -> HttpResponse:
    """The live load panel (htmx partial)."""
    _teaching, chosen = _choice(request)
    if chosen is None:
        return render(request, "errors/404.html", status=404)
    data = request.POST if request.method == "POST" else request.GET
    # The panel, and the phone's sticky summary beside the form (an out-of-band swap).
    return render(
        request, "homework/_load_preview.html", {"panel": _panel(request, chosen, data), "chosen": chosen}
    )


def class_week_page(request: HttpRequest, class_id: int) -> HttpResponse:
    try:
        # Staff only: parents (who reach the class through a child) use the family page.
        school_class = permissions.class_get_for_staff(request.user, class_id)
    except DomainError:
        return render(request, "errors/404.html", status=404)
    today = timezone.localdate()
    monday = _monday(request.GET.get("week"), today)
    week = class_week(school_class, monday)
    is_head = permissions.is_head_teacher(request.user, school_class)
    can_approve = permissions.can_approve_exceptions(request.user, school_class)
    counted = {t["date"] for t in week["totals"] if t["counted"] or t["all_kinds"]}
    deciders = {
        i.pk: (
            permissions.can_decide_exception(request.user, i),
            exceptions_services.role_label(permissions.exception_decider_role(i)),
        )
        for i in week["pending"]
    }
    shown_days = [d for d in week_days(monday) if d.weekday() < 5 or d in counted]
    feedback = [{"date": d, **s} for d, s in class_day_summaries(school_class, shown_days).items()]
    pub = publication_for(school_class)
    quotas = {q.subject: q.minutes for q in school_class.subject_quotas.all()}
    taught = sorted({a.subject for a in school_class.assignments.all()})
    quota_rows = [
        {"subject": s, "label": gettext(SUBJECT_LABELS.get(s, s)), "minutes": quotas.get(s)} for s in taught
    ]
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
            "deciders": deciders,
            "weekdays": dict(enumerate(WEEKDAYS)),
            "non_written_warn": days_selectors.non_written_threshold(school_class, monday),
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
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_summary(form)[0])
        return redirect(_back(request, "core:home"))
    decision = form.cleaned_data
    try:
        if decision["decision"] == "reject":
            item = exceptions_services.exception_reject(
                actor=request.user, item_id=item_id, reason=decision["reason"]
            )
            messages.info(request, gettext("已退回该作业。"))
            class_id = item.school_class_id
        else:
            exception = exceptions_services.exception_approve(
                actor=request.user, item_id=item_id, reason=decision["reason"]
            )
            messages.success(
                request,
                gettext("已特批（超出%(minutes)s分钟），理由已记录。") % {"minutes": exception.extra_minutes},
            )
            class_id = exception.school_class_id
    except HomeworkError as exc:
        messages.error(request, exc.message)
        return redirect(_back(request, "core:home"))
    except DomainError as exc:
        if exc.status == 403:
            messages.error(request, exc.message)
            return redirect(_back(request, "core:home"))
        return render(request, "errors/404.html", status=404)
    if decision["next"] == "exceptions":
        return redirect("homework:exceptions")
    return redirect("homework:class-week", class_id=class_id)


def _back(request: HttpRequest, default: str) -> str:
    """Where the form came from when it is a page of this site, else `default` (no open redirect)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    referer = request.META.get("HTTP_REFERER") or ""
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return reverse(default)


@require_POST
def publish_view(request: HttpRequest, class_id: int) -> HttpResponse:
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_summary(form)[0])
        return redirect("homework:class-week", class_id=class_id)
    action = form.cleaned_data["action"]
    try:
        school_class = class_get_for_actor(request.user, class_id)
        if action == "revoke":
            publication_services.publication_revoke(actor=request.user, school_class=school_class)
            messages.success(request, gettext("已更换公示页地址，旧地址和二维码失效。"))
        elif action == "page":
            publication_services.publication_ensure(actor=request.user, school_class=school_class)
        else:
            day = form.cleaned_data["date"] or timezone.localdate()
            publication_services.day_publish(actor=request.user, school_class=school_class, on=day)
            messages.success(
                request,
                gettext("%(month)s月%(day)s日作业已公示。") % {"month": f"{day:%m}", "day": f"{day:%d}"},
            )
    except DomainError as exc:
        if exc.status == 404:
            return render(request, "errors/404.html", status=404)
        messages.error(request, exc.message)
    return redirect("homework:class-week", class_id=class_id)


def grade_week_page(request: HttpRequest, class_id: int) -> HttpResponse:
    """All classes of the grade of `class_id` side by side for the week (年级组统筹)."""
    try:
        anchor = permissions.class_get_for_staff(request.user, class_id)
    except DomainError:
        return render(request, "errors/404.html", status=404)
    # Every class of the grade (D3): the grade's coordination needs them all, and the page shows
    # posted minutes only, no family's detail. A class's own week is linked where the user reaches it.
    classes = grade_classes(anchor)
    reachable = set(
        classes_for_actor_staff(request.user).filter(grade=anchor.grade).values_list("pk", flat=True)
    )
    monday = _monday(request.GET.get("week"), timezone.localdate())
    return render(
        request,
        "homework/grade_week.html",
        {
            "grade": anchor.grade,
            "school": anchor.school,
            "rows": grade_week(classes, monday),
            "reachable": reachable,
            "monday": monday,
            "anchor": anchor,
        },
    )


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
    default_day = report_day(now)
    day = date_or(request.GET.get("day"), default_day)
    if day > now.date():
        day = default_day  # no pages for days to come
    earliest = now.date() - timedelta(days=FAMILY_DAYS_BACK)
    day = max(day, earliest)
    from jianfu.homework.publication.selectors import published_days

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
                    (code, gettext(SUBJECT_LABELS.get(code, code)), split.get(code, ""))
                    for code in sorted(codes | set(split))
                ],
                "split": [(gettext(SUBJECT_LABELS.get(k, k)), v) for k, v in sorted(split.items())],
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
    "minutes_total": _("作业实际用时"),
    "minutes_by_subject": _("分学科用时"),
    "bedtime": _("就寝时间"),
    "wake_time": _("起床时间"),
    "date": _("日期"),
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
    form = FamilyReportForm(request.POST)
    if not form.is_valid():
        # The hidden fields of a page that was changed or cut short: nothing is filed.
        messages.error(request, gettext("提交的内容不完整，请刷新页面后再试。"))
        return redirect("homework:family")
    sent = form.cleaned_data
    report_date = sent["date"]
    try:
        report_submit(
            actor=request.user,
            student_id=sent["student"],
            report_date=report_date,
            idempotency_key=sent["idempotency_key"],
            # The one-tap button files only if nothing is reported yet (a stale page's tap is refused).
            only_if_new=sent["quick"],
            **_family_report_fields(request.POST),
        )
    except DomainError as exc:
        if exc.status == 404:
            return render(request, "errors/404.html", status=404)
        label: Any = _REPORT_FIELD_LABELS.get(exc.field or "")
        if label is None and (exc.field or "").startswith("minutes_by_subject."):
            code = (exc.field or "").removeprefix("minutes_by_subject.")
            label = (
                gettext("%(subject)s用时") % {"subject": gettext(SUBJECT_LABELS[code])}
                if code in SUBJECT_LABELS
                else _REPORT_FIELD_LABELS["minutes_by_subject"]
            )
        messages.error(
            request,
            gettext("%(label)s：%(message)s") % {"label": label, "message": exc.message}
            if label
            else exc.message,
        )
    else:
        messages.success(request, gettext("已收到，谢谢！当晚可以再次修改。"))
    url = reverse("homework:family")
    if report_date != report_day(timezone.localtime()):
        url += f"?day={report_date.isoformat()}"
    return redirect(url)


@require_POST
def quotas_view(request: HttpRequest, class_id: int) -> HttpResponse:
    """The head teacher's optional daily minute quota per subject (blank clears it)."""
    try:
        school_class = class_get_for_actor(request.user, class_id)
    except DomainError:
        return render(request, "errors/404.html", status=404)
    form = QuotasForm(request.POST, subjects=list(Subject.choices))
    if not form.is_valid():
        # A figure that is not a whole number: said on the page, and no quota changed.
        for name, errors in form.errors.items():
            messages.error(
                request,
                gettext("%(label)s：%(message)s") % {"label": form.fields[name].label, "message": errors[0]},
            )
        return redirect("homework:class-week", class_id=class_id)
    try:
        for subject, minutes in form.quotas().items():
            posting_services.subject_quota_set(
                actor=request.user, school_class=school_class, subject=subject, minutes=minutes
            )
    except DomainError as exc:
        if exc.status == 404:
            return render(request, "errors/404.html", status=404)
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("学科配额已保存。"))
    return redirect("homework:class-week", class_id=class_id)


def mine_page(request: HttpRequest) -> HttpResponse:
    """我布置的作业: what the teacher posted, upcoming (修改 / 撤回) and the last two weeks."""
    if not teaching_for(request.user):
        return render(request, "errors/404.html", status=404)
    today = timezone.localdate()
    return render(
        request, "homework/homework_mine.html", {"lists": homework_list_for_teacher(request.user, today)}
    )


def edit_page(request: HttpRequest, item_id: int) -> HttpResponse:
    """Correct one's own item of today or later; the day is judged again as for a post."""
    item = own_item_for_edit(request.user, item_id)
    if item is None:
        return render(request, "errors/404.html", status=404)
    if request.method == "POST":
        form = HomeworkEditForm(request.POST)
    else:
        form = HomeworkEditForm(
            initial={
                "minutes": item.minutes,
                "description": item.description,
                "kind": item.kind,
                "where": item.where,
                "tier": item.tier,
                "date_due": item.date_due,
            }
        )
    context: dict[str, Any] = {
        "item": item,
        "kinds": Kind.choices,
        "wheres": Where.choices,
        "tiers": Tier.choices,
        "form": form,
        "today": timezone.localdate(),
    }
    if request.method != "POST":
        return render(request, "homework/homework_edit.html", context)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            updated = posting_services.homework_update(
                actor=request.user,
                item_id=item.pk,
                minutes=data["minutes"],
                description=data["description"],
                kind=data["kind"] or None,
                where=data["where"] or None,
                tier=data["tier"] or None,
                date_due=data["date_due"] or item.date_due,
                exception_reason=form.exception_reason_given(),
                confirm_warnings=data["confirm_warnings"],
            )
        except HomeworkError as exc:
            status = _refused(form, exc, context)
        except DomainError:
            return render(request, "errors/404.html", status=404)
        else:
            if updated.status == "pending":
                messages.info(
                    request, gettext("已修改并提交特批申请；批准前这项作业不会公示，也不计入当天总量。")
                )
            else:
                messages.success(request, gettext("已修改，当天作业总量已重新计算。"))
            for warning in posting_services.post_warnings([updated]):
                messages.warning(request, warning)
            return redirect("homework:mine")
    context["errors"] = error_summary(form)
    return render(request, "homework/homework_edit.html", context, status=status)


@require_POST
def withdraw_view(request: HttpRequest, item_id: int) -> HttpResponse:
    try:
        posting_services.homework_withdraw(actor=request.user, item_id=item_id)
    except HomeworkError as exc:
        messages.error(request, exc.message)
    except DomainError:
        return render(request, "errors/404.html", status=404)
    else:
        messages.success(request, gettext("已撤回，当天作业总量已重新计算。"))
    return redirect("homework:mine")


def exceptions_page(request: HttpRequest) -> HttpResponse:
    """The school's exceptions of the week on one page, for the academic office and the principal."""
    school_ids = permissions.exception_overseer_schools(request.user)
    if not school_ids:
        return render(request, "errors/404.html", status=404)
    monday = _monday(request.GET.get("week"), timezone.localdate())
    week = exceptions_for_school_week(school_ids, monday)
    deciders = {i.pk: permissions.can_decide_exception(request.user, i) for i in week["pending"]}
    return render(
        request,
        "homework/exceptions_week.html",
        {
            "week": week,
            "deciders": deciders,
            "monday": monday,
            "sunday": monday.fromordinal(monday.toordinal() + 6),
            "prev_week": monday.fromordinal(monday.toordinal() - 7),
            "next_week": monday.fromordinal(monday.toordinal() + 7),
        },
    )


def overview_page(request: HttpRequest) -> HttpResponse:
    """作业统筹 for the school's leaders and the bureau (D2): each school's grades (into the grade
    pages) and the classes over the cap this week, the most days over first."""
    school_ids = permissions.homework_overseer_schools(request.user)
    if not school_ids:
        return render(request, "errors/404.html", status=404)
    monday = _monday(request.GET.get("week"), timezone.localdate())
    over = classes_over_cap(school_ids, week_days(monday))
    schools: dict[int, dict[str, Any]] = {}
    for g in school_grades(school_ids):
        row = schools.setdefault(g["school"].pk, {"school": g["school"], "grades": [], "over": []})
        row["grades"].append(g)
    for o in over:
        if o["school_id"] in schools:
            schools[o["school_id"]]["over"].append(o)
    return render(
        request,
        "homework/overview.html",
        {
            "schools": sorted(schools.values(), key=lambda r: (-len(r["over"]), r["school"].code)),
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "prev_week": monday - timedelta(days=7),
            "next_week": monday + timedelta(days=7),
        },
    )


@require_POST
def notices_read_view(request: HttpRequest) -> HttpResponse:
    if not exceptions_services.exception_notices_mark_read(actor=request.user):
        return render(request, "errors/404.html", status=404)
    return redirect("homework:exceptions")
