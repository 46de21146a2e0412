"""After-school programmes, choosing and the allocation over JSON — the same services as the pages
(docs/api.md, "After-school: programmes and allocation")."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Body, Router

from jianfu.afterschool.allocation import services as runs
from jianfu.afterschool.allocation.selectors import applications_for_office, course_rows, runs_for
from jianfu.afterschool.courses import services as courses
from jianfu.afterschool.family import services as choosing
from jianfu.afterschool.min_size import services as min_size
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


def _spec(payload: s.CourseIn) -> courses.CourseSpec:
    return courses.CourseSpec(**payload.dict())


# --- programmes (school office; staff and bureau read) -----------------------------------------


@router.get("/programmes", response=list[s.ProgrammeOut], summary="Programmes the caller may see")
def programme_list(request: HttpRequest) -> list[Any]:
    return list(programmes_for_staff(request.user).order_by("school__code", "-term__start_date"))


@router.post("/programmes", response=s.ProgrammeOut, summary="Create a programme (draft) for a term")
def programme_create(request: HttpRequest, payload: s.ProgrammeIn) -> Any:
    return programme.programme_create(actor=request.user, **payload.dict())


@router.get(
    "/programmes/{programme_id}", response=s.ProgrammeDetailOut, summary="A programme with slots and courses"
)
def programme_get(request: HttpRequest, programme_id: int) -> Any:
    return programme_get_for_staff(request.user, programme_id)


@router.patch(
    "/programmes/{programme_id}", response=s.ProgrammeOut, summary="Change the window, choices, priorities"
)
def programme_update(request: HttpRequest, programme_id: int, payload: s.ProgrammeSettingsIn) -> Any:
    return programme.programme_update(actor=request.user, programme_id=programme_id, **payload.dict())


@router.put("/programmes/{programme_id}/slots", response=list[s.SlotOut], summary="Replace the weekday slots")
def slots_put(request: HttpRequest, programme_id: int, payload: list[s.SlotIn]) -> list[Any]:
    rows = programme.slots_set(
        actor=request.user,
        programme_id=programme_id,
        slots=[programme.SlotSpec(x.weekday, x.part, x.start, x.end) for x in payload],
    )
    return rows


@router.put(
    "/programmes/{programme_id}/subsidies", response=dict[str, int], summary="Fee waived per category (%)"
)
def subsidies_put(request: HttpRequest, programme_id: int, payload: Body[dict[str, int]]) -> dict[str, int]:
    # Body[…]: a bare dict parameter would otherwise be read from the query string.
    rules = programme.subsidy_rules_set(actor=request.user, programme_id=programme_id, percents=payload)
    return {r.category: r.percent for r in rules}


@router.post("/programmes/{programme_id}/courses", response=s.CourseOut, summary="Add a course")
def course_create(request: HttpRequest, programme_id: int, payload: s.CourseIn) -> Any:
    return courses.course_save(actor=request.user, programme_id=programme_id, spec=_spec(payload))


@router.put("/programmes/{programme_id}/courses/{course_id}", response=s.CourseOut, summary="Change a course")
def course_update(request: HttpRequest, programme_id: int, course_id: int, payload: s.CourseIn) -> Any:
    return courses.course_save(
        actor=request.user, programme_id=programme_id, course_id=course_id, spec=_spec(payload)
    )


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
def programme_open(request: HttpRequest, programme_id: int) -> Any:
    return programme.programme_open_choosing(actor=request.user, programme_id=programme_id)


@router.post("/programmes/{programme_id}/close", response=s.ProgrammeOut, summary="End the choice window now")
def programme_close(request: HttpRequest, programme_id: int) -> Any:
    return programme.programme_close_choosing(actor=request.user, programme_id=programme_id)


# --- applications and the allocation (school office) -------------------------------------------


@router.get(
    "/programmes/{programme_id}/applications",
    response=list[s.OfficeApplicationOut],
    summary="Applications with hardship claims (school office only)",
)
def applications(request: HttpRequest, programme_id: int) -> list[Any]:
    p = programme.office_programme(request.user, programme_id)
    return list(applications_for_office(p))


@router.post(
    "/programmes/{programme_id}/applications/{application_id}/hardship",
    response=dict[str, bool | None],
    summary="Verify or reject a hardship claim",
)
def hardship(request: HttpRequest, programme_id: int, application_id: int, payload: s.HardshipIn) -> Any:
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
def allocate(request: HttpRequest, programme_id: int, payload: s.RunIn) -> Any:
    return runs.allocation_run(actor=request.user, programme_id=programme_id, seed=payload.seed)


@router.post("/programmes/{programme_id}/publish", response=s.RunOut, summary="Publish and tell every family")
def publish(request: HttpRequest, programme_id: int) -> Any:
    return runs.allocation_publish(actor=request.user, programme_id=programme_id)


@router.get(
    "/programmes/{programme_id}/results", response=s.ResultsOut, summary="Places per course, runs and seeds"
)
def results(request: HttpRequest, programme_id: int) -> Any:
    p = programme_get_for_office(request.user, programme_id)
    return {"status": p.status, "courses": course_rows(p), "runs": list(runs_for(p))}


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
def merge(request: HttpRequest, programme_id: int, course_id: int, payload: s.MergeIn) -> Any:
    into = min_size.course_merge(
        actor=request.user,
        programme_id=programme_id,
        course_id=course_id,
        into_course_id=payload.into_course_id,
    )
    return into


@router.post(
    "/programmes/{programme_id}/withdrawals",
    response=dict[str, str | None],
    summary="A child leaves their course or the service (family or office); the place passes on",
)
def withdraw(request: HttpRequest, programme_id: int, payload: s.WithdrawIn) -> Any:
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


@router.get(
    "/providers", response=list[s.ProviderOut], summary="External providers the caller may use or keep"
)
def providers(request: HttpRequest) -> list[Any]:
    if not can_see_providers(request.user):
        raise NotFound(_("校外机构"))
    return list(providers_for_actor(request.user))


@router.post(
    "/providers", response=s.ProviderOut, summary="Register a provider (bureau: region; school: its own)"
)
def provider_create(request: HttpRequest, payload: s.ProviderIn) -> Any:
    return courses.provider_create(actor=request.user, **payload.dict())


@router.post(
    "/providers/{provider_id}/staff", response=s.ProviderOut, summary="Add a member of the provider's staff"
)
def provider_staff(request: HttpRequest, provider_id: int, payload: s.StaffIn) -> Any:
    staff = courses.provider_staff_add(actor=request.user, provider_id=provider_id, **payload.dict())
    return staff.provider
