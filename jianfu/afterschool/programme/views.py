"""After-school pages for the school office, its staff and the bureau: the programme list (with the
district's overview), a programme's definition and findings, the course form, providers. Every
write calls the same service as the API; the views only read the form. Allocation pages are in
allocation/views.py, the families' pages in family/views.py."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jianfu.afterschool.courses import services as courses
from jianfu.afterschool.forms import int_or, not_found
from jianfu.afterschool.models import CourseCategory, ProviderKind, ServicePart, SubsidyCategory
from jianfu.afterschool.permissions import (
    bureau_region_ids,
    can_manage_programme,
    can_open_programmes,
    can_see_district,
    can_see_providers,
    can_see_school_programmes,
)
from jianfu.afterschool.programme import services as programme
from jianfu.afterschool.programme.forms import CourseForm, field_for
from jianfu.afterschool.programme.rules import DEFAULT_PRIORITY_RULES, PRIORITY_FLAGS
from jianfu.afterschool.programme.selectors import (
    district_overview,
    programme_detail,
    providers_for_actor,
    providers_for_school,
    teachers_of_school,
)
from jianfu.afterschool.rules import WEEKDAYS as WEEKDAY_NAMES
from jianfu.afterschool.selectors import programme_get_for_staff, programmes_for_staff
from jianfu.core.errors import DomainError, NotFound
from jianfu.schools.access import SCHOOL_WIDE_ROLES, schools_for_actor
from jianfu.schools.models import Region

WEEKDAYS = [(d, WEEKDAY_NAMES[d]) for d in (1, 2, 3, 4, 5, 6)]


def _time(value: str | None) -> time | None:
    try:
        return time.fromisoformat(value) if value else None
    except ValueError:
        return None


def _datetime(value: str | None) -> datetime | None:
    """A datetime-local input, read as Beijing time."""
    try:
        return timezone.make_aware(datetime.fromisoformat(value)) if value else None
    except ValueError:
        return None


def home_page(request: HttpRequest) -> HttpResponse:
    if not can_open_programmes(request.user):
        return not_found(request)
    offices = list(schools_for_actor(request.user, roles=SCHOOL_WIDE_ROLES))
    if request.method == "POST":
        school_term = (request.POST.get("term") or "").partition(":")
        try:
            p = programme.programme_create(
                actor=request.user,
                school_id=int_or(school_term[0], 0),
                term_id=int_or(school_term[2], 0),
                name=request.POST.get("name", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("afterschool:home")
        messages.success(request, _("已创建方案草稿：请设置服务时段和课程。"))
        return redirect("afterschool:detail", programme_id=p.pk)
    bureau = can_see_district(request.user)
    return render(
        request,
        "afterschool/programme_list.html",
        {
            # A bureau reads its schools in the district table; school staff see their own here.
            "programmes": list(
                programmes_for_staff(request.user).order_by("school__code", "-term__start_date")
            )
            if can_see_school_programmes(request.user)
            else [],
            "offices": [{"school": s, "terms": list(s.terms.order_by("-start_date"))} for s in offices],
            "district": district_overview(request.user) if bureau else None,
        },
    )


def _slots_from(data: QueryDict) -> list[programme.SlotSpec]:
    """The slot grid: one start/end pair per weekday and part; blank = no such part that day.
    "Same as Monday" copies Monday's row to Tuesday–Friday (input handling, not a rule)."""
    same = data.get("same_as_monday") == "on"
    out = []
    for d, _label in WEEKDAYS:
        source = 1 if same and 2 <= d <= 5 else d
        for part in ServicePart.values:
            start, end = _time(data.get(f"{part}_{source}_start")), _time(data.get(f"{part}_{source}_end"))
            if start or end:
                out.append(programme.SlotSpec(d, part, start or time(0, 0), end or time(0, 0)))
    return out


def _programme_post(request: HttpRequest, programme_id: int) -> None:
    data, action = request.POST, request.POST.get("action")
    if action == "settings":
        rules = {flag: int_or(data.get(f"weight_{flag}"), 0) for flag in PRIORITY_FLAGS}
        programme.programme_update(
            actor=request.user,
            programme_id=programme_id,
            name=data.get("name"),
            max_choices=int_or(data.get("max_choices")),
            # Only when the form carries the weights (a partial form leaves them as they are).
            priority_rules={k: v for k, v in rules.items() if v}
            if any(f"weight_{flag}" in data for flag in PRIORITY_FLAGS)
            else None,
            choice_opens_at=_datetime(data.get("choice_opens_at")),
            choice_closes_at=_datetime(data.get("choice_closes_at")),
        )
        messages.success(request, _("设置已保存。"))
    elif action == "slots":
        programme.slots_set(actor=request.user, programme_id=programme_id, slots=_slots_from(data))
        messages.success(request, _("服务时段已保存，政策检查已更新。"))
    elif action == "subsidies":
        percents = {c: int_or(data.get(f"subsidy_{c}"), 0) for c in SubsidyCategory.values}
        programme.subsidy_rules_set(actor=request.user, programme_id=programme_id, percents=percents)
        messages.success(request, _("减免规则已保存。"))
    elif action == "open":
        programme.programme_open_choosing(actor=request.user, programme_id=programme_id)
        messages.success(request, _("已开放选课，家长可在选课时间内报名。"))
    elif action == "close":
        programme.programme_close_choosing(actor=request.user, programme_id=programme_id)
        messages.success(request, _("选课已截止，可以分配名额。"))
    elif action == "remove_course":
        courses.course_remove(
            actor=request.user, programme_id=programme_id, course_id=int_or(data.get("course"), 0)
        )
        messages.success(request, _("课程已删除。"))


def detail_page(request: HttpRequest, programme_id: int) -> HttpResponse:
    try:
        p = programme_get_for_staff(request.user, programme_id)
    except NotFound:
        return not_found(request)
    can_edit = can_manage_programme(request.user, p)
    if request.method == "POST":
        if not can_edit:
            return not_found(request, 403)
        try:
            _programme_post(request, p.pk)
        except DomainError as exc:
            if exc.status == 404:
                return not_found(request)
            messages.error(request, exc.message)
        return redirect("afterschool:detail", programme_id=p.pk)
    detail = programme_detail(p)
    by_key = {(s.weekday, s.part): s for _, slots in detail["slots_by_day"] for s in slots}
    # Saturday only where the school serves it (or may add it): the grid is otherwise Mon–Fri.
    days = [(d, label) for d, label in WEEKDAYS if d <= 5 or can_edit or any(k[0] == d for k in by_key)]
    slot_rows = [
        (d, label, [(v, pl, by_key.get((d, v))) for v, pl in ServicePart.choices]) for d, label in days
    ]
    return render(
        request,
        "afterschool/programme_detail.html",
        {
            **detail,
            "can_edit": can_edit,
            "parts": ServicePart.choices,
            "slot_rows": slot_rows,
            "flags": [(k, label, (p.priority_rules or {}).get(k, 0)) for k, label in PRIORITY_FLAGS.items()],
            "default_rules": DEFAULT_PRIORITY_RULES,
            "subsidy_rows": [
                (v, label, next((r.percent for r in detail["subsidies"] if r.category == v), 0))
                for v, label in SubsidyCategory.choices
            ],
        },
    )


def _runner_groups(p: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """Who may run a course: "t:<teacher>" or "p:<provider>[:<staff>]" (read back by _spec)."""
    groups = [(_("本校教师"), [(f"t:{t.pk}", t.name) for t in teachers_of_school(p.school)])]
    for provider in providers_for_school(p.school).prefetch_related("staff"):
        label = (
            provider.name if provider.vetted_at else _("%(name)s（学校自行引进）") % {"name": provider.name}
        )
        options = [(f"p:{provider.pk}", _("%(name)s（人员待定）") % {"name": provider.name})]
        options += [
            (f"p:{provider.pk}:{st.pk}", f"{provider.name} · {st.name}") for st in provider.staff.all()
        ]
        groups.append((label, options))
    return groups


def course_page(request: HttpRequest, programme_id: int, course_id: int | None = None) -> HttpResponse:
    try:
        p = programme_get_for_staff(request.user, programme_id)
    except NotFound:
        return not_found(request)
    if not can_manage_programme(request.user, p):
        return not_found(request)
    course = p.courses.filter(pk=course_id).first() if course_id else None
    if course_id and course is None:
        return not_found(request)
    form = CourseForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            courses.course_save(actor=request.user, programme_id=p.pk, course_id=course_id, spec=form.spec())
        except DomainError as exc:
            if exc.status == 404:
                return not_found(request)
            target = field_for(exc.field)
            form.add_error(target if target in form.fields else None, exc.message)
        else:
            messages.success(request, _("课程已保存。"))
            return redirect("afterschool:detail", programme_id=p.pk)
    data: Any = request.POST if request.method == "POST" else None
    runner = ""
    if course is not None:
        runner = f"t:{course.teacher_id}" if course.teacher_id else f"p:{course.provider_id}"
        runner += f":{course.provider_staff_id}" if course.provider_staff_id else ""
    return render(
        request,
        "afterschool/programme_course_form.html",
        {
            "programme": p,
            "course": course,
            "data": data,
            "form": form,
            "runner": data.get("runner") if data else runner,
            "weekdays": WEEKDAYS,
            # What was ticked, as typed (a value that is not a weekday simply shows nothing ticked).
            "chosen_days": [int(x) for x in data.getlist("weekdays") if x.isdigit()]
            if data
            else (course.weekdays if course else []),
            "categories": CourseCategory.choices,
            "runner_groups": _runner_groups(p),
        },
        status=422 if form.errors else 200,
    )


def providers_page(request: HttpRequest) -> HttpResponse:
    if not can_see_providers(request.user):
        return not_found(request)
    offices = list(schools_for_actor(request.user, roles=SCHOOL_WIDE_ROLES))
    if request.method == "POST":
        try:
            if request.POST.get("action") == "staff":
                courses.provider_staff_add(
                    actor=request.user,
                    provider_id=int_or(request.POST.get("provider"), 0),
                    name=request.POST.get("name", ""),
                    qualification=request.POST.get("qualification", ""),
                )
            else:
                scope = request.POST.get("scope", "")
                courses.provider_create(
                    actor=request.user,
                    name=request.POST.get("name", ""),
                    kind=request.POST.get("kind", ""),
                    region_id=int_or(scope[2:]) if scope.startswith("r:") else None,
                    school_id=int_or(scope[2:]) if scope.startswith("s:") else None,
                    contact_name=request.POST.get("contact_name", ""),
                    contact_phone=request.POST.get("contact_phone", ""),
                )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存。"))
        return redirect("afterschool:providers")
    bureau_regions = list(Region.objects.filter(pk__in=bureau_region_ids(request.user)).order_by("pk"))
    return render(
        request,
        "afterschool/programme_providers.html",
        {
            "providers": providers_for_actor(request.user),
            "scopes": [(f"r:{r.pk}", r.name) for r in bureau_regions]
            + [(f"s:{s.pk}", s.name) for s in offices],
            "kinds": ProviderKind.choices,
        },
    )
