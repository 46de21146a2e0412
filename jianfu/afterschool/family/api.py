"""After-school over JSON for families (their own children: choices, results, notices) and for the
district (each school's programme, findings and fill rates; counts only, no child data). Mounted on
the programme router in ../api.py, so the paths stay under /api/v1/afterschool/."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from jianfu.afterschool.family import services as choosing
from jianfu.afterschool.family.selectors import family_cards
from jianfu.afterschool.models import Application
from jianfu.afterschool.permissions import can_see_district
from jianfu.afterschool.programme import schemas as s
from jianfu.afterschool.programme.selectors import district_overview
from jianfu.core.errors import NotFound

router = Router(tags=["afterschool"])


def _place(x: dict[str, Any]) -> dict[str, Any]:
    return {
        k: x[k]
        for k in ("course_id", "course", "weekdays", "start", "end", "room", "rank", "waitlist_position")
    }


@router.get(
    "/family", response=list[s.FamilyChildOut], summary="A family's own children: choices, results, notices"
)
def family(request: HttpRequest) -> list[dict[str, Any]]:
    cards = family_cards(request.user)
    if not cards:
        raise NotFound("学生", "student")
    return [
        {
            "student_id": card["student"].pk,
            "name": card["student"].name,
            "school_class": str(card["student"].school_class),
            "programmes": [
                {
                    "programme_id": x["programme"].pk,
                    "name": x["programme"].name,
                    "status": x["programme"].status,
                    "window_open": x["window_open"],
                    "choice_closes_at": x["programme"].choice_closes_at,
                    "max_choices": x["programme"].max_choices,
                    "opted_in": x["opted_in"],
                    "course_ids": [c.pk for c in x["choices"]],
                    "published": x["result"]["published"],
                    "placed": _place(x["result"]["placed"]) if x["result"]["placed"] else None,
                    "waiting": [_place(w) for w in x["result"]["waiting"]],
                    "notices": [n.text for n in x["notices"]],
                }
                for x in card["programmes"]
            ],
        }
        for card in cards
    ]


def _application(app: Application) -> dict[str, Any]:
    return {
        "id": app.pk,
        "programme_id": app.programme_id,
        "student_id": app.student_id,
        "course_ids": [c.course_id for c in app.choices.order_by("rank")],
        "basic_part": app.basic_part,
        "opted_in": app.withdrawn_at is None,
    }


@router.put(
    "/programmes/{programme_id}/children/{student_id}/application",
    response=s.ApplicationOut,
    summary="Opt a child in and rank courses (idempotent: resubmitting replaces)",
)
def application_put(
    request: HttpRequest, programme_id: int, student_id: int, payload: s.ApplicationIn
) -> dict[str, Any]:
    app = choosing.application_submit(
        actor=request.user, programme_id=programme_id, student_id=student_id, **payload.dict()
    )
    return _application(app)


@router.delete(
    "/programmes/{programme_id}/children/{student_id}/application",
    response=s.ApplicationOut,
    summary="Opt a child out (always possible; after the allocation the place passes on)",
)
def application_delete(request: HttpRequest, programme_id: int, student_id: int) -> dict[str, Any]:
    return _application(
        choosing.application_withdraw(actor=request.user, programme_id=programme_id, student_id=student_id)
    )


# --- district ----------------------------------------------------------------------------------


@router.get(
    "/district",
    response=list[s.DistrictRowOut],
    summary="Each school's programme: findings, fill rates (no child data)",
)
def district(request: HttpRequest) -> list[dict[str, Any]]:
    if not can_see_district(request.user):
        raise NotFound("辖区", "region")
    out = []
    for row in district_overview(request.user):
        p = row["programme"]
        published = p.runs.filter(published_at__isnull=False).first()
        out.append(
            {
                "programme_id": p.pk,
                "school": p.school.name,
                "name": p.name,
                "status": p.status,
                "violations": sorted({f["rule_id"] for f in row["findings"] if f["severity"] == "violation"}),
                "findings": row["findings"],
                **{k: row[k] for k in ("courses", "capacity", "placed", "fill_rate", "applicants")},
                "external_courses": row["external_courses"],
                "fee_courses": row["fee_courses"],
                "runs": p.runs.count(),
                "published_seed": published.seed if published else None,
            }
        )
    return out
