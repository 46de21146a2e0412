"""After-school figures over JSON and .xlsx, at /api/v1/afterschool/days/figures/ (a sub-router of
days/api.py): the school office's own figures, the district's per school with totals (no child data)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router

from jianfu.afterschool.days import schemas as s
from jianfu.afterschool.figures.exports import export_district_figures, export_school_figures, xlsx_response
from jianfu.afterschool.figures.selectors import district_figures, figures_school_for_actor

router = Router(tags=["afterschool-days"])


@router.get("/school", response=s.SchoolFiguresOut, summary="A school's figures for a term (the office)")
def school_figures(request: HttpRequest, school_id: int | None = None, term_id: int | None = None) -> Any:
    return figures_school_for_actor(request.user, school_id, term_id, as_of=timezone.localdate())


@router.get("/school/export", summary="The school's figures as .xlsx (names teachers; audited)")
def school_export(
    request: HttpRequest, school_id: int | None = None, term_id: int | None = None
) -> HttpResponse:
    name, data = export_school_figures(
        actor=request.user, school_id=school_id, term_id=term_id, as_of=timezone.localdate()
    )
    return xlsx_response(name, data)


@router.get(
    "/district",
    response=s.DistrictFiguresOut,
    summary="Per-school figures and totals for the bureau's region (no child data)",
)
def district(request: HttpRequest, school_year: str | None = None, kind: str | None = None) -> Any:
    return district_figures(request.user, school_year=school_year, kind=kind, as_of=timezone.localdate())


@router.get("/district/export", summary="The district's figures as .xlsx (no child data; audited)")
def district_export(
    request: HttpRequest, school_year: str | None = None, kind: str | None = None
) -> HttpResponse:
    name, data = export_district_figures(
        actor=request.user, school_year=school_year, kind=kind, as_of=timezone.localdate()
    )
    return xlsx_response(name, data)
