"""After-school pages for the school office, its staff and the bureau: the programme list (with the
district's overview), a programme's definition and findings, the course form, providers. Every
write calls the same service as the API; the views only read the form. Allocation pages are in
allocation/views.py, the families' pages in family/views.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jianfu.afterschool.courses import services as courses
from jianfu.afterschool.forms import not_found
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
from jianfu.afterschool.programme.forms import (
    CREATE_FIELDS,
    CourseForm,
    CourseRefForm,
    ProgrammeCreateForm,
    ProviderForm,
    ProviderStaffForm,
    SettingsForm,
    SlotsForm,
    SubsidiesForm,
    field_for,
    slot_field,
)
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
from jianfu.core.forms import add_domain_error
from jianfu.schools.access import SCHOOL_WIDE_ROLES, schools_for_actor
from jianfu.schools.models import Region

WEEKDAYS = [(d, WEEKDAY_NAMES[d]) for d in (1, 2, 3, 4, 5, 6)]


def home_page(request: HttpRequest) -> HttpResponse:
    if not can_open_programmes(request.user):
        return not_found(request)
    offices = list(schools_for_actor(request.user, roles=SCHOOL_WIDE_ROLES))
    form = ProgrammeCreateForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        school_id, term_id = form.cleaned_data["term"]
        try:
            p = programme.programme_create(
                actor=request.user, school_id=school_id, term_id=term_id, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            target = CREATE_FIELDS.get(exc.field or "", exc.field)
            form.add_error(target if target in form.fields else None, exc.message)
        else:
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
            "offices": offices,
            # "<school>:<term>", read back by ProgrammeCreateForm.
            "term_options": [
                (f"{s.pk}:{t.pk}", f"{s.name} · {t}")
                for s in offices
                for t in s.terms.order_by("-start_date")
            ],
            "district": district_overview(request.user) if bureau else None,
            "form": form,
        },
        status=422 if form.errors else 200,
    )


# The forms of the programme page, by the "action" each posts. Open and close carry nothing typed.
_FORMS: dict[str, Any] = {
    "settings": SettingsForm,
    "slots": SlotsForm,
    "subsidies": SubsidiesForm,
    "remove_course": CourseRefForm,
}


def _programme_form(action: str, data: Any, days: list[int]) -> Any:
    form_class = _FORMS.get(action)
    if form_class is None:
        return None
    return form_class(data, weekdays=days) if form_class is SlotsForm else form_class(data)


def _programme_post(request: HttpRequest, programme_id: int, action: str, form: Any) -> None:
    """The write an action asks for, with its form already valid (None for open and close)."""
    if action == "settings":
        programme.programme_update(actor=request.user, programme_id=programme_id, **form.changes())
        messages.success(request, _("设置已保存。"))
    elif action == "slots":
        programme.slots_set(actor=request.user, programme_id=programme_id, slots=form.slots())
        messages.success(request, _("服务时段已保存，政策检查已更新。"))
    elif action == "subsidies":
        programme.subsidy_rules_set(actor=request.user, programme_id=programme_id, percents=form.percents())
        messages.success(request, _("减免规则已保存。"))
    elif action == "open":
        programme.programme_open_choosing(actor=request.user, programme_id=programme_id)
        messages.success(request, _("已开放选课，家长可在选课时间内报名。"))
    elif action == "close":
        programme.programme_close_choosing(actor=request.user, programme_id=programme_id)
        messages.success(request, _("选课已截止，可以分配名额。"))
    elif action == "remove_course":
        courses.course_remove(
            actor=request.user, programme_id=programme_id, course_id=form.cleaned_data["course"]
        )
        messages.success(request, _("课程已删除。"))


def detail_page(request: HttpRequest, programme_id: int) -> HttpResponse:
    try:
        p = programme_get_for_staff(request.user, programme_id)
    except NotFound:
        return not_found(request)
    can_edit = can_manage_programme(request.user, p)
    # The one form that was posted and refused: shown again with what was typed and why.
    refused: dict[str, Any] = {}
    if request.method == "POST":
        if not can_edit:
            return not_found(request, 403)
        action = request.POST.get("action", "")
        # Only an editor posts, and an editor's grid has every weekday (Saturday too).
        form = _programme_form(action, request.POST, [d for d, _label in WEEKDAYS])
        if form is not None and not form.is_valid():
            if action == "remove_course":  # not typed: a button the page wrote
                return not_found(request)
            refused[action] = form
        else:
            try:
                _programme_post(request, p.pk, action, form)
            except DomainError as exc:
                if exc.status == 404:
                    return not_found(request)
                if form is None or action == "remove_course":
                    messages.error(request, exc.message)
                    return redirect("afterschool:detail", programme_id=p.pk)
                form.show_refusal(exc)
                refused[action] = form
            else:
                return redirect("afterschool:detail", programme_id=p.pk)
    detail = programme_detail(p)
    by_key = {(s.weekday, s.part): s for _, slots in detail["slots_by_day"] for s in slots}
    # Saturday only where the school serves it (or may add it): the grid is otherwise Mon–Fri.
    days = [(d, label) for d, label in WEEKDAYS if d <= 5 or can_edit or any(k[0] == d for k in by_key)]
    slots_form, settings_form, subsidies_form = (
        refused.get("slots"),
        refused.get("settings"),
        refused.get("subsidies"),
    )

    def cell(d: int, part: str, part_label: Any) -> dict[str, Any]:
        slot = by_key.get((d, part))
        names = {end: slot_field(part, d, end) for end in ("start", "end")}
        shown = {
            end: slots_form.data.get(name, "")
            if slots_form
            else (getattr(slot, end).strftime("%H:%M") if slot else "")
            for end, name in names.items()
        }
        errors = [*slots_form[names["start"]].errors, *slots_form[names["end"]].errors] if slots_form else []
        return {
            "part": part,
            "part_label": part_label,
            "slot": slot,
            "names": names,
            "shown": shown,
            "errors": errors,
        }

    slot_rows = [(d, label, [cell(d, v, pl) for v, pl in ServicePart.choices]) for d, label in days]
    rules = p.priority_rules or {}
    subsidies = {r.category: r.percent for r in detail["subsidies"]}
    return render(
        request,
        "afterschool/programme_detail.html",
        {
            **detail,
            "can_edit": can_edit,
            "parts": ServicePart.choices,
            "slot_rows": slot_rows,
            "slots_form": slots_form,
            "settings_form": settings_form,
            "subsidies_form": subsidies_form,
            # (key, label, the weight shown, its errors): what was typed when the form was refused.
            "flags": [
                (
                    k,
                    label,
                    settings_form.data.get(f"weight_{k}", "") if settings_form else rules.get(k, 0),
                    settings_form[f"weight_{k}"].errors if settings_form else [],
                )
                for k, label in PRIORITY_FLAGS.items()
            ],
            "default_rules": DEFAULT_PRIORITY_RULES,
            "subsidy_rows": [
                (
                    v,
                    label,
                    subsidies_form.data.get(f"subsidy_{v}", "") if subsidies_form else subsidies.get(v, 0),
                    subsidies_form[f"subsidy_{v}"].errors if subsidies_form else [],
                )
                for v, label in SubsidyCategory.choices
            ],
        },
        status=422 if refused else 200,
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
    provider_form, staff_form = ProviderForm(), None
    if request.method == "POST":
        # The staff form is one per provider; the provider form is the register form.
        form: Any = (ProviderStaffForm if request.POST.get("action") == "staff" else ProviderForm)(
            request.POST
        )
        if form.is_valid():
            try:
                if isinstance(form, ProviderStaffForm):
                    data = form.cleaned_data
                    courses.provider_staff_add(
                        actor=request.user,
                        provider_id=data["provider"],
                        name=data["name"],
                        qualification=data["qualification"],
                    )
                else:
                    courses.provider_create(actor=request.user, **form.values())
            except DomainError as exc:
                if exc.status in (403, 404):
                    # Not about what was typed but about who may: nothing to correct on the form.
                    messages.error(request, exc.message)
                    return redirect("afterschool:providers")
                if isinstance(form, ProviderForm):
                    form.show_refusal(exc)
                else:
                    add_domain_error(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("afterschool:providers")
        elif isinstance(form, ProviderStaffForm) and "provider" in form.errors:
            return not_found(request)  # not typed: the page wrote which provider
        if isinstance(form, ProviderForm):
            provider_form = form
        else:
            staff_form = form
    bureau_regions = list(Region.objects.filter(pk__in=bureau_region_ids(request.user)).order_by("pk"))
    return render(
        request,
        "afterschool/programme_providers.html",
        {
            "providers": providers_for_actor(request.user),
            "scopes": [(f"r:{r.pk}", r.name) for r in bureau_regions]
            + [(f"s:{s.pk}", s.name) for s in offices],
            "kinds": ProviderKind.choices,
            "form": provider_form,
            "staff_form": staff_form,
            "staff_provider": staff_form.cleaned_data["provider"] if staff_form else None,
        },
        status=422 if provider_form.errors or staff_form else 200,
    )
