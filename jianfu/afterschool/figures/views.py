"""Figures pages (desktop first, readable on a phone) and their .xlsx exports: the school office's
own figures with hours per teacher, and the district's per-school figures with totals."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from jianfu.afterschool.figures.exports import export_district_figures, export_school_figures, xlsx_response
from jianfu.afterschool.figures.forms import DistrictFiguresQuery, SchoolFiguresQuery
from jianfu.afterschool.figures.selectors import district_figures, district_terms, figures_school_for_actor
from jianfu.afterschool.forms import not_found
from jianfu.core.errors import DomainError
from jianfu.schools.access import SCHOOL_WIDE_ROLES, schools_for_actor
from jianfu.schools.models import Term, TermKind


def school_page(request: HttpRequest) -> HttpResponse:
    # A value it cannot read is shown beside its choice (422) over the figures of what it could.
    query = SchoolFiguresQuery(request.GET)
    school_id, term_id = query.ids()
    try:
        figures = figures_school_for_actor(request.user, school_id, term_id, as_of=timezone.localdate())
    except DomainError:
        return not_found(request)
    schools = list(schools_for_actor(request.user, roles=SCHOOL_WIDE_ROLES))
    return render(
        request,
        "afterschool/figures_school.html",
        {
            "f": figures,
            "schools": schools,
            "terms": Term.objects.filter(school=figures.school).order_by("-start_date"),
            "query": query,
        },
        status=422 if query.errors else 200,
    )


def school_export(request: HttpRequest) -> HttpResponse:
    query = SchoolFiguresQuery(request.GET)
    if not query.is_valid():
        return not_found(request)  # the page's own link: nothing typed to show again
    school_id, term_id = query.ids()
    try:
        name, data = export_school_figures(
            actor=request.user, school_id=school_id, term_id=term_id, as_of=timezone.localdate()
        )
    except DomainError:
        return not_found(request)
    return xlsx_response(name, data)


def district_page(request: HttpRequest) -> HttpResponse:
    query = DistrictFiguresQuery(request.GET)
    year, kind = query.year_and_kind()
    try:
        d = district_figures(request.user, school_year=year, kind=kind, as_of=timezone.localdate())
    except DomainError:
        return not_found(request)
    chart = {
        "schools": [r.school.name for r in d.rows],
        "students": [round(100 * r.student_rate, 1) if r.student_rate is not None else 0 for r in d.rows],
        "teachers": [round(100 * r.teacher_rate, 1) if r.teacher_rate is not None else 0 for r in d.rows],
    }
    terms = [
        {
            "value": f"{y}:{k}",
            "label": _("%(year)s学年%(kind)s") % {"year": y, "kind": dict(TermKind.choices).get(k, k)},
        }
        for y, k in district_terms(request.user)
    ]
    return render(
        request,
        "afterschool/figures_district.html",
        {"d": d, "chart": chart, "terms": terms, "chosen": f"{d.school_year}:{d.kind}", "query": query},
        status=422 if query.errors else 200,
    )


def district_export(request: HttpRequest) -> HttpResponse:
    query = DistrictFiguresQuery(request.GET)
    if not query.is_valid():
        return not_found(request)  # the page's own link: nothing typed to show again
    year, kind = query.year_and_kind()
    try:
        name, data = export_district_figures(
            actor=request.user, school_year=year, kind=kind, as_of=timezone.localdate()
        )
    except DomainError:
        return not_found(request)
    return xlsx_response(name, data)
