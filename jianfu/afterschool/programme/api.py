"""After-school programmes, choosing and the allocation over JSON — the same services as the pages
(docs/api.md, "After-school: programmes and allocation")."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Body, Router

from jianfu.afterschool.allocation import services as runs
from jianfu.afterschool.allocation.selectors import applications_for_office, course_rows, runs_for
from jianfu.afterschool.courses import services as courses
from jianfu.afterschool.family import services as choosing
from jianfu.afterschool.min_size import services as min_size
from jianfu.afterschool.models import Course, ExternalProvider, Programme
from jianfu.afterschool.permissions import can_see_providers
from jianfu.afterschool.programme import schemas as s
from jianfu.afterschool.programme import services as programme
from jianfu.afterschool.programme.selectors import providers_for_actor
from jianfu.afterschool.selectors import (
    programme_get_for_office,
    programme_get_for_staff,
    programmes_for_staff,
)
from jianfu.afterschool.waitlist import services as waitlist
from jianfu.core.errors import NotFound

router = Router(tags=["afterschool"])


def _programme(p: Programme) -> dict[str, Any]:
    return {
        "id": p.pk,
        "school_id": p.school_id,
        "school": p.school.name,
        "term_id": p.term_id,
        "name": p.name,
        "status": p.status,
        "choice_opens_at": p.choice_opens_at,
        "choice_closes_at": p.choice_closes_at,
        "max_choices": p.max_choices,
        "priority_rules": p.priority_rules,
        "findings": p.findings,
        "violations": sorted({f["rule_id"] for f in p.findings if f["severity"] == "violation"}),
    }


def _course(c: Course) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "category": c.category,
        "status": c.status,
        "teacher": c.teacher.name if c.teacher else None,
        "provider": c.provider.name if c.provider else None,
        "provider_staff": c.provider_staff.name if c.provider_staff else None,
        "min_grade": c.min_grade,
        "max_grade": c.max_grade,
        "capacity": c.capacity,
        "min_size": c.min_size,
        "room": c.room,
        "weekdays": c.weekdays,
        "start": c.start,
        "end": c.end,
        "fee_per_term": c.fee_per_term,
        "teaches_new_lessons": c.teaches_new_lessons,
    }


def _detail(p: Programme) -> dict[str, Any]:
    return {
        **_programme(p),
        "slots": [
            {"weekday": x.weekday, "part": x.part, "start": x.start, "end": x.end} for x in p.slots.all()
        ],
        "courses": [
            _course(c)
            for c in p.courses.select_related("teacher", "provider", "provider_staff").order_by("pk")
        ],
        "subsidies": {r.category: r.percent for r in p.subsidy_rules.all()},
    }


def _run(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "seed": r.seed,
        "priority_rules": r.priority_rules,
        "run_at": r.run_at,
        "published_at": r.published_at,
        "applicants": r.applicants,
        "placed": r.placed,
        "stats": r.stats,
    }


def _spec(payload: s.CourseIn) -> courses.CourseSpec:
    return courses.CourseSpec(**payload.dict())


# --- programmes (school office; staff and bureau read) -----------------------------------------


@router.get("/programmes", response=list[s.ProgrammeOut], summary="Programmes the caller may see")
def programme_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _programme(p)
        for p in programmes_for_staff(request.user).order_by("school__code", "-term__start_date")
    ]


@router.post("/programmes", response=s.ProgrammeOut, summary="Create a programme (draft) for a term")
def programme_create(request: HttpRequest, payload: s.ProgrammeIn) -> dict[str, Any]:
    return _programme(programme.programme_create(actor=request.user, **payload.dict()))


@router.get(
    "/programmes/{programme_id}", response=s.ProgrammeDetailOut, summary="A programme with slots and courses"
)
def programme_get(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    return _detail(programme_get_for_staff(request.user, programme_id))


@router.patch(
    "/programmes/{programme_id}", response=s.ProgrammeOut, summary="Change the window, choices, priorities"
)
def programme_update(
    request: HttpRequest, programme_id: int, payload: s.ProgrammeSettingsIn
) -> dict[str, Any]:
    return _programme(
        programme.programme_update(actor=request.user, programme_id=programme_id, **payload.dict())
    )


@router.put("/programmes/{programme_id}/slots", response=list[s.SlotOut], summary="Replace the weekday slots")
def slots_put(request: HttpRequest, programme_id: int, payload: list[s.SlotIn]) -> list[dict[str, Any]]:
    rows = programme.slots_set(
        actor=request.user,
        programme_id=programme_id,
        slots=[programme.SlotSpec(x.weekday, x.part, x.start, x.end) for x in payload],
    )
    return [{"weekday": x.weekday, "part": x.part, "start": x.start, "end": x.end} for x in rows]


@router.put(
    "/programmes/{programme_id}/subsidies", response=dict[str, int], summary="Fee waived per category (%)"
)
def subsidies_put(request: HttpRequest, programme_id: int, payload: Body[dict[str, int]]) -> dict[str, int]:
    # Body[…]: a bare dict parameter would otherwise be read from the query string.
    rules = programme.subsidy_rules_set(actor=request.user, programme_id=programme_id, percents=payload)
    return {r.category: r.percent for r in rules}


@router.post("/programmes/{programme_id}/courses", response=s.CourseOut, summary="Add a course")
def course_create(request: HttpRequest, programme_id: int, payload: s.CourseIn) -> dict[str, Any]:
    return _course(courses.course_save(actor=request.user, programme_id=programme_id, spec=_spec(payload)))


@router.put("/programmes/{programme_id}/courses/{course_id}", response=s.CourseOut, summary="Change a course")
def course_update(
    request: HttpRequest, programme_id: int, course_id: int, payload: s.CourseIn
) -> dict[str, Any]:
    c = courses.course_save(
        actor=request.user, programme_id=programme_id, course_id=course_id, spec=_spec(payload)
    )
    return _course(c)


@router.delete(
    "/programmes/{programme_id}/courses/{course_id}",
    response=dict[str, bool],
    summary="Delete an unranked course",
)
def course_delete(request: HttpRequest, programme_id: int, course_id: int) -> dict[str, bool]:
    courses.course_remove(actor=request.user, programme_id=programme_id, course_id=course_id)
    return {"deleted": True}


@router.post(
    "/programmes/{programme_id}/open", response=s.ProgrammeOut, summary="Open choosing (no violation allowed)"
)
def programme_open(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    return _programme(programme.programme_open_choosing(actor=request.user, programme_id=programme_id))


@router.post("/programmes/{programme_id}/close", response=s.ProgrammeOut, summary="End the choice window now")
def programme_close(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    return _programme(programme.programme_close_choosing(actor=request.user, programme_id=programme_id))


# --- applications and the allocation (school office) -------------------------------------------


@router.get(
    "/programmes/{programme_id}/applications",
    response=list[s.OfficeApplicationOut],
    summary="Applications with hardship claims (school office only)",
)
def applications(request: HttpRequest, programme_id: int) -> list[dict[str, Any]]:
    p = programme.office_programme(request.user, programme_id)
    return [
        {
            "id": a.pk,
            "student_id": a.student_id,
            "student": a.student.name,
            "school_class": str(a.student.school_class),
            "course_ids": [c.course_id for c in a.choices.all()],
            "basic_part": a.basic_part,
            "both_parents_working": a.both_parents_working,
            "hardship_claimed": a.hardship_claimed,
            "hardship_category": a.hardship_category,
            "hardship_verified": a.hardship_verified,
            "priority_flags": a.priority_flags,
            "opted_in": a.withdrawn_at is None,
        }
        for a in applications_for_office(p)
    ]


@router.post(
    "/programmes/{programme_id}/applications/{application_id}/hardship",
    response=dict[str, bool | None],
    summary="Verify or reject a hardship claim",
)
def hardship(
    request: HttpRequest, programme_id: int, application_id: int, payload: s.HardshipIn
) -> dict[str, Any]:
    app = choosing.hardship_verify(
        actor=request.user,
        programme_id=programme_id,
        application_id=application_id,
        verified=payload.verified,
    )
    return {"hardship_verified": app.hardship_verified}


@router.post(
    "/programmes/{programme_id}/allocation", response=s.RunOut, summary="Run or re-run the allocation"
)
def allocate(request: HttpRequest, programme_id: int, payload: s.RunIn) -> dict[str, Any]:
    return _run(runs.allocation_run(actor=request.user, programme_id=programme_id, seed=payload.seed))


@router.post("/programmes/{programme_id}/publish", response=s.RunOut, summary="Publish and tell every family")
def publish(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    return _run(runs.allocation_publish(actor=request.user, programme_id=programme_id))


@router.get(
    "/programmes/{programme_id}/results", response=s.ResultsOut, summary="Places per course, runs and seeds"
)
def results(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    p = programme_get_for_office(request.user, programme_id)
    return {
        "status": p.status,
        "courses": [
            {
                "course_id": r["course"].pk,
                "name": r["course"].name,
                "status": r["course"].status,
                "placed": r["placed"],
                "capacity": r["capacity"],
                "waiting": r["waiting"],
                "below_min_size": r["below_min"],
            }
            for r in course_rows(p)
        ],
        "runs": [_run(r) for r in runs_for(p)],
    }


@router.post(
    "/programmes/{programme_id}/courses/{course_id}/cancel",
    response=dict[str, int],
    summary="Cancel a course",
)
def cancel(request: HttpRequest, programme_id: int, course_id: int) -> dict[str, int]:
    moved = min_size.course_cancel(actor=request.user, programme_id=programme_id, course_id=course_id)
    return {"placed_elsewhere": len(moved)}


@router.post(
    "/programmes/{programme_id}/courses/{course_id}/capacity",
    response=dict[str, int],
    summary="More places in a course after the allocation; the waiting list moves up at once",
)
def capacity(
    request: HttpRequest, programme_id: int, course_id: int, payload: s.CapacityIn
) -> dict[str, int]:
    notices = waitlist.course_capacity_raise(
        actor=request.user, programme_id=programme_id, course_id=course_id, capacity=payload.capacity
    )
    return {"promoted": len(notices)}


@router.post(
    "/programmes/{programme_id}/courses/{course_id}/merge", response=s.CourseOut, summary="Merge a course"
)
def merge(request: HttpRequest, programme_id: int, course_id: int, payload: s.MergeIn) -> dict[str, Any]:
    into = min_size.course_merge(
        actor=request.user,
        programme_id=programme_id,
        course_id=course_id,
        into_course_id=payload.into_course_id,
    )
    return _course(into)


@router.post(
    "/programmes/{programme_id}/withdrawals",
    response=dict[str, str | None],
    summary="A child leaves their course or the service (family or office); the place passes on",
)
def withdraw(request: HttpRequest, programme_id: int, payload: s.WithdrawIn) -> dict[str, Any]:
    if payload.scope == "all":
        waitlist.participation_end(
            actor=request.user, programme_id=programme_id, student_id=payload.student_id
        )
        return {"left": None, "scope": "all"}
    left = waitlist.course_withdraw(
        actor=request.user, programme_id=programme_id, student_id=payload.student_id
    )
    return {"left": left.name if left else None, "scope": "course"}


# --- providers ---------------------------------------------------------------------------------


def _provider(p: ExternalProvider) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "kind": p.kind,
        "scope": "region" if p.region_id else "school",
        "vetted": p.vetted_at is not None,
        "staff": [{"id": x.pk, "name": x.name, "qualification": x.qualification} for x in p.staff.all()],
    }


@router.get(
    "/providers", response=list[s.ProviderOut], summary="External providers the caller may use or keep"
)
def providers(request: HttpRequest) -> list[dict[str, Any]]:
    if not can_see_providers(request.user):
        raise NotFound("校外机构", "provider")
    return [_provider(p) for p in providers_for_actor(request.user)]


@router.post(
    "/providers", response=s.ProviderOut, summary="Register a provider (bureau: region; school: its own)"
)
def provider_create(request: HttpRequest, payload: s.ProviderIn) -> dict[str, Any]:
    return _provider(courses.provider_create(actor=request.user, **payload.dict()))


@router.post(
    "/providers/{provider_id}/staff", response=s.ProviderOut, summary="Add a member of the provider's staff"
)
def provider_staff(request: HttpRequest, provider_id: int, payload: s.StaffIn) -> dict[str, Any]:
    staff = courses.provider_staff_add(actor=request.user, provider_id=provider_id, **payload.dict())
    return _provider(staff.provider)
