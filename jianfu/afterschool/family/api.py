"""After-school over JSON for families (their own children: choices, results, notices) and for the
district (each school's programme, findings and fill rates; counts only, no child data). Mounted on
the programme router in ../api.py, so the paths stay under /api/v1/afterschool/."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router

from jianfu.afterschool.family import services as choosing
from jianfu.afterschool.family.selectors import family_cards
from jianfu.afterschool.permissions import can_see_district
from jianfu.afterschool.programme import schemas as s
from jianfu.afterschool.programme.selectors import district_overview
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
