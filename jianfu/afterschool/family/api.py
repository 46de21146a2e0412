"""After-school over JSON for families (their own children: choices, results, notices) and for the
district (each school's programme, findings and fill rates; counts only, no child data). Mounted on
the programme router in ../api.py, so the paths stay under /api/v1/afterschool/."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema

from jianfu.afterschool.family import services as choosing
from jianfu.afterschool.family.selectors import family_cards
from jianfu.afterschool.latejoin.selectors import late_joins_for_programme
from jianfu.afterschool.latejoin.services import late_join_decide, late_join_request
from jianfu.afterschool.permissions import can_see_district
from jianfu.afterschool.programme import schemas as s
from jianfu.afterschool.programme.selectors import district_overview
from jianfu.afterschool.selectors import programme_get_for_office
from jianfu.core.errors import NotFound

router = Router(tags=["afterschool"])


@router.get(
    "/family", response=list[s.FamilyChildOut], summary="A family's own children: choices, results, notices"
)
def family(request: HttpRequest) -> list[Any]:
    cards = family_cards(request.user)
    if not cards:
        raise NotFound(_("学生"))
    return cards


@router.put(
    "/programmes/{programme_id}/children/{student_id}/application",
    response=s.ApplicationOut,
    summary="Opt a child in and rank courses (idempotent: resubmitting replaces)",
)
def application_put(
    request: HttpRequest, programme_id: int, student_id: int, payload: s.ApplicationIn
) -> Any:
    app = choosing.application_submit(
        actor=request.user, programme_id=programme_id, student_id=student_id, **payload.dict()
    )
    return app


@router.delete(
    "/programmes/{programme_id}/children/{student_id}/application",
    response=s.ApplicationOut,
    summary="Opt a child out (always possible; after the allocation the place passes on)",
)
def application_delete(request: HttpRequest, programme_id: int, student_id: int) -> Any:
    return choosing.application_withdraw(actor=request.user, programme_id=programme_id, student_id=student_id)


# --- late joining (补报名, decision 0052) ---------------------------------------------------------


class LateJoinIn(Schema):
    basic_part: bool = True
    course_id: int | None = None
    note: str = Field("", max_length=200)


class LateJoinOut(Schema):
    id: int
    programme_id: int
    student_id: int
    basic_part: bool
    course_id: int | None
    note: str
    status: str = Field(description="pending / accepted / declined")
    decision_note: str


class LateJoinDecisionIn(Schema):
    accept: bool
    note: str = Field("", max_length=200)


@router.put(
    "/programmes/{programme_id}/children/{student_id}/late-join",
    response=LateJoinOut,
    summary="Ask to join after the choosing window (idempotent: a waiting request is updated)",
)
def late_join_put(request: HttpRequest, programme_id: int, student_id: int, payload: LateJoinIn) -> Any:
    return late_join_request(
        actor=request.user, programme_id=programme_id, student_id=student_id, **payload.dict()
    )


@router.get(
    "/programmes/{programme_id}/late-joins",
    response=list[LateJoinOut],
    summary="The office: late join requests, oldest first",
)
def late_joins(request: HttpRequest, programme_id: int) -> list[Any]:
    programme = programme_get_for_office(request.user, programme_id)
    return list(late_joins_for_programme(programme.pk))


@router.post(
    "/late-joins/{request_id}/decision",
    response=LateJoinOut,
    summary="The office accepts or declines a late join request (repeating the same decision is harmless)",
)
def late_join_decision(request: HttpRequest, request_id: int, payload: LateJoinDecisionIn) -> Any:
    return late_join_decide(
        actor=request.user, request_id=request_id, accept=payload.accept, note=payload.note
    )


# --- district ----------------------------------------------------------------------------------


@router.get(
    "/district",
    response=list[s.DistrictRowOut],
    summary="Each school's programme: findings, fill rates (no child data)",
)
def district(request: HttpRequest) -> list[Any]:
    if not can_see_district(request.user):
        raise NotFound(_("辖区"))
    return district_overview(request.user)
