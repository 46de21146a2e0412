"""Reads of programme definitions: the policy engine's facts and findings for a programme, the
providers and teachers a school may choose from, and the district's overview (no child data)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from jianfu.afterschool.models import (
    Application,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    ExternalProvider,
    Programme,
    ProgrammeStatus,
)
from jianfu.afterschool.programme.rules import day_service
from jianfu.afterschool.rules import weekdays_text
from jianfu.afterschool.selectors import programmes_for_bureau
from jianfu.policies.rules.after_school import check_after_school_programme
from jianfu.policies.rules.facts import AfterSchoolDayFacts, AfterSchoolProgrammeFacts
from jianfu.policies.selectors import profile_change_dates_for_school, profile_resolve_for_school
from jianfu.schools.models import Region, School, Teacher

# Profile parameters the programme check reads: a change of any of them inside the term (a winter
# off-work time) is a date on which the programme is checked again.
PROFILE_KEYS = [
    "after_school_end_not_before_off_work.off_work_time",
    "after_school_end_off_work_plus_30.enabled",
    "after_school_days_and_hours_5x2.min_days",
    "after_school_days_and_hours_5x2.min_hours_per_day",
]


def programme_facts(programme: Programme) -> AfterSchoolProgrammeFacts:
    """The programme as the policy engine sees it: each weekday's end and service minutes, the
    courses declaring new lessons, whether any course charges a fee. Families always opt in (the
    app has no way to sign a child up by default), so `enrolled_by_default` is always false here."""
    parts: dict[int, list[tuple[Any, Any]]] = {}
    for slot in programme.slots.all():
        parts.setdefault(slot.weekday, []).append((slot.start, slot.end))
    days = []
    for weekday in sorted(parts):
        end, minutes = day_service(parts[weekday])
        days.append(AfterSchoolDayFacts(weekday=weekday, end=end, service_minutes=minutes))
    courses = [c for c in programme.courses.all() if c.status == CourseStatus.OPEN]
    return AfterSchoolProgrammeFacts(
        days=days,
        off_work_time=None,  # the profile's: local by nature, set by the bureau
        new_lesson_courses=[c.name for c in courses if c.teaches_new_lessons],
        enrolled_by_default=False,
        fees_charged=any(c.fee_per_term > 0 for c in courses),
    )


def programme_findings(programme: Programme) -> list[dict[str, Any]]:
    """Findings over the whole term: the profile on the term's first day and on every date inside
    the term where one of its after-school values changes (seasonal off-work times). Each finding
    carries `profile_on`, the date whose profile produced it; repeats are kept once."""
    school, term = programme.school, programme.term
    facts = programme_facts(programme)
    dates = [
        term.start_date,
        *profile_change_dates_for_school(school, term.start_date, term.end_date, PROFILE_KEYS),
    ]
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for on in dates:
        for f in check_after_school_programme(facts, profile_resolve_for_school(school, on)):
            if (f.rule_id, f.message_zh) in seen:
                continue
            seen.add((f.rule_id, f.message_zh))
            out.append({**f.as_dict(), "profile_on": on.isoformat()})
    return out


def has_violation(findings: list[dict[str, Any]]) -> bool:
    return any(f.get("severity") == "violation" for f in findings)


def providers_for_school(school: School) -> QuerySet[ExternalProvider]:
    """Providers a school may use: those the bureaus above it registered, and its own."""
    return ExternalProvider.objects.filter(
        Q(region__in=[r.pk for r in school.region.ancestors()]) | Q(school=school)
    ).order_by("name", "pk")


def providers_for_actor(actor: Any) -> list[ExternalProvider]:
    """Providers a bureau registered in its region and below, and those every school the actor runs
    may use (with their staff read in the same go): a few queries whatever the number of schools and
    providers."""
    from jianfu.schools.access import SCHOOL_WIDE_ROLES, regions_for_actor, schools_for_actor

    schools = list(
        schools_for_actor(actor, roles=SCHOOL_WIDE_ROLES).order_by().values_list("pk", "region_id")
    )
    q = Q(region__in=regions_for_actor(actor))
    if schools:
        # As providers_for_school, for every school at once: the regions above each school and its own.
        q |= Q(region_id__in=_with_ancestors({region_id for _, region_id in schools})) | Q(
            school_id__in=[pk for pk, _ in schools]
        )
    return list(ExternalProvider.objects.filter(q).prefetch_related("staff").order_by("name", "pk"))


def _with_ancestors(region_ids: set[int]) -> set[int]:
    """The regions and every region above them, one query per level (a province is three up)."""
    found = set(region_ids)
    frontier = set(region_ids)
    while frontier:
        parents = set(
            Region.objects.filter(pk__in=frontier, parent__isnull=False).values_list("parent_id", flat=True)
        )
        frontier = parents - found
        found |= parents
    return found


def teachers_of_school(school: School) -> QuerySet[Teacher]:
    return Teacher.objects.filter(school=school).order_by("name", "pk")


def course_schedule_zh(course: Course) -> str:
    """ "周一、周三 16:50–17:50" for pages and notices, in the active language ("Mon, Wed 16:50–17:50";
    the name is older than the English pages)."""
    days = weekdays_text(list(course.weekdays or []))
    if course.start and course.end:
        return f"{days} {course.start:%H:%M}–{course.end:%H:%M}"
    return days


def programme_detail(programme: Programme) -> dict[str, Any]:
    """What the programme page shows (office, bureau and the school's staff alike): slots by weekday,
    courses with who runs them, subsidy rules, findings. No child data."""
    slots_by_day: dict[int, list[Any]] = {}
    for slot in programme.slots.all():
        slots_by_day.setdefault(slot.weekday, []).append(slot)
    courses = list(programme.courses.select_related("teacher", "provider", "provider_staff").order_by("pk"))
    return {
        "programme": programme,
        "slots_by_day": sorted(slots_by_day.items()),
        "courses": [{"course": c, "schedule": course_schedule_zh(c)} for c in courses],
        "subsidies": list(programme.subsidy_rules.all()),
        "findings": programme.findings,
        "has_violation": has_violation(programme.findings),
    }


def fill_rates(programme: Programme) -> dict[str, Any]:
    """Places taken against capacity over the open courses, and how many children applied — counts
    only, for the district."""
    return fill_rates_for([programme.pk])[programme.pk]


def fill_rates_for(programme_ids: list[int]) -> dict[int, dict[str, Any]]:
    """fill_rates of several programmes, by id, in three queries whatever their number."""
    courses: dict[int, dict[str, Any]] = {
        row["programme_id"]: dict(row)
        for row in Course.objects.filter(programme_id__in=programme_ids, status=CourseStatus.OPEN)
        .values("programme_id")
        .annotate(n=Count("pk"), capacity=Sum("capacity"))
        .order_by()
    }
    placed = dict(
        Enrolment.objects.filter(
            programme_id__in=programme_ids, status=EnrolmentStatus.PLACED, course__status=CourseStatus.OPEN
        )
        .values_list("programme_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("programme_id", "n")
    )
    applicants = dict(
        Application.objects.filter(programme_id__in=programme_ids, withdrawn_at__isnull=True)
        .values_list("programme_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("programme_id", "n")
    )
    out = {}
    for pk in programme_ids:
        row = courses.get(pk) or {}
        capacity = row.get("capacity") or 0
        taken = placed.get(pk, 0)
        out[pk] = {
            "courses": row.get("n", 0),
            "capacity": capacity,
            "placed": taken,
            "fill_rate": round(taken / capacity, 4) if capacity else None,
            "applicants": applicants.get(pk, 0),
        }
    return out


def district_overview(actor: Any) -> list[dict[str, Any]]:
    """Every programme of the bureau's schools (no drafts' children, no child data at all): status,
    findings, fill rate, how many courses are run by external providers or charge a fee. Four queries
    whatever the number of schools."""
    programmes = list(
        programmes_for_bureau(actor)
        .annotate(
            external=Count("courses", filter=Q(courses__provider__isnull=False)),
            charged=Count("courses", filter=Q(courses__fee_per_term__gt=0)),
        )
        .order_by("school__code", "-term__start_date")
    )
    rates = fill_rates_for([p.pk for p in programmes])
    return [
        {
            "programme": p,
            "findings": p.findings,
            "has_violation": has_violation(p.findings),
            "external_courses": p.external,
            "fee_courses": p.charged,
            "published": p.status in (ProgrammeStatus.PUBLISHED, ProgrammeStatus.CLOSED),
            **rates[p.pk],
        }
        for p in programmes
    ]
