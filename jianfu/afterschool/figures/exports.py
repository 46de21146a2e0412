"""After-school figures as .xlsx (openpyxl): Chinese headers, numbers as numbers, each export audited.

The school's workbook names teachers (hours per teacher is what the subsidy is paid on); the
district's workbook has one row per school and the totals — nothing about any child or teacher.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from jianfu.afterschool.figures.selectors import (
    DistrictFigures,
    Figures,
    district_figures,
    figures_school_for_actor,
)
from jianfu.core.audit import audit
from jianfu.schools.access import REGION_WIDE_ROLES, memberships_of

GENERAL = "General"
PERCENT = "0.0%"
MONEY = "#,##0.00"
BOLD = Font(bold=True)


# A text that a spreadsheet would read as a formula (or, after a tab or line break, as the start of
# one): names typed by schools, providers and the bureau end up in these cells (OWASP "CSV/formula
# injection"; findings L3).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _append(ws: Worksheet, values: list[Any]) -> None:
    """One row of plain values. Every text stays text: openpyxl would store a string beginning with
    "=" as a live formula, so such a cell is typed as a string and marked quote-prefixed (Excel's and
    LibreOffice's own "typed with a leading apostrophe"), which also keeps it text when someone edits
    it. The value itself is never changed. Characters an .xlsx file cannot hold at all (control
    characters other than tab and line breaks) are dropped instead of failing the whole export."""
    ws.append(
        [
            float(v)
            if isinstance(v, Decimal)
            else ILLEGAL_CHARACTERS_RE.sub("", v)
            if isinstance(v, str)
            else v
            for v in values
        ]
    )
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
            cell.data_type = "s"
            cell.quotePrefix = True


def _sheet(ws: Worksheet, headers: list[str], rows: list[list[Any]], formats: dict[int, str]) -> None:
    _append(ws, headers)
    for cell in ws[1]:
        cell.font = BOLD
    for row in rows:
        _append(ws, row)
    for col, fmt in formats.items():
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = fmt
    for i, h in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(10, len(h) * 2 + 2)


def _summary_rows(f: Figures) -> list[tuple[str, Any, str]]:
    """Label, value and number format of each summary line (the format is named here rather than
    guessed from the label, which is in the requester's language)."""
    return [
        (_("参加课后服务学生数"), f.students_taking_part, GENERAL),
        (_("在校学生数"), f.active_students, GENERAL),
        (_("学生参与率"), f.student_rate, PERCENT),
        (_("参与教师数"), f.teachers_taking_part, GENERAL),
        (_("教师总数"), f.teachers, GENERAL),
        (_("教师参与率"), f.teacher_rate, PERCENT),
        (_("服务天数"), f.service_days, GENERAL),
        (_("点名人次"), f.marks_total, GENERAL),
        (_("出勤人次（到+迟到）"), f.came, GENERAL),
        (_("出勤率"), f.attendance_rate, PERCENT),
        (_("教师服务总课时（小时）"), f.teacher_hours, GENERAL),
        (_("应收费用（元）"), f.fees_due, MONEY),
        (_("减免补助（元）"), f.subsidies, MONEY),
        (_("实收（元）"), f.net, MONEY),
    ]


def _bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def school_workbook(f: Figures) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("概况")
    _append(ws, [f.school.name, str(f.term) if f.term else ""])
    summary = _summary_rows(f)
    _sheet(ws, [_("指标"), _("数值")], [[label, value] for label, value, _fmt in summary], {})
    for (cell,), (_label, _value, fmt) in zip(
        ws.iter_rows(min_row=3, min_col=2, max_col=2), summary, strict=True
    ):
        cell.number_format = fmt
    _sheet(
        wb.create_sheet(_("教师课时")),
        [
            _("教师"),
            _("授课场次"),
            _("授课分钟"),
            _("值守次数"),
            _("值守分钟"),
            _("合计分钟"),
            _("合计课时（小时）"),
        ],
        [
            [h.name, h.sessions, h.session_minutes, h.duties, h.duty_minutes, h.total_minutes, h.hours]
            for h in f.hours
        ],
        {7: "0.00"},
    )
    _sheet(
        wb.create_sheet(_("课程收费")),
        [
            _("课程"),
            _("每学期费用（元）"),
            _("录取人数"),
            _("应收（元）"),
            _("减免人数"),
            _("减免补助（元）"),
            _("实收（元）"),
        ],
        [[c.name, c.fee, c.placed, c.fees_due, c.subsidised, c.subsidies, c.net] for c in f.courses],
        {2: MONEY, 4: MONEY, 6: MONEY, 7: MONEY},
    )
    return _bytes(wb)


def district_workbook(d: DistrictFigures) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("各校汇总")
    headers = [
        _("学校"),
        _("参加学生数"),
        _("在校学生数"),
        _("学生参与率"),
        _("参与教师数"),
        _("教师总数"),
        _("教师参与率"),
        _("服务天数"),
        _("出勤率"),
        _("教师服务课时（小时）"),
        _("应收费用（元）"),
        _("减免补助（元）"),
        _("实收（元）"),
    ]

    def row(f: Figures, name: str) -> list[Any]:
        return [
            name,
            f.students_taking_part,
            f.active_students,
            f.student_rate,
            f.teachers_taking_part,
            f.teachers,
            f.teacher_rate,
            f.service_days,
            f.attendance_rate,
            f.teacher_hours,
            f.fees_due,
            f.subsidies,
            f.net,
        ]

    rows = [row(f, f.school.name) for f in d.rows] + [row(d.total, _("合计"))]
    _sheet(
        ws, headers, rows, {4: PERCENT, 7: PERCENT, 9: PERCENT, 10: "0.00", 11: MONEY, 12: MONEY, 13: MONEY}
    )
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    return _bytes(wb)


@transaction.atomic
def export_school_figures(
    *, actor: Any, school_id: int | None, term_id: int | None, as_of: date
) -> tuple[str, bytes]:
    """The school office's workbook (names teachers, for the subsidy). Audited."""
    f = figures_school_for_actor(actor, school_id, term_id, as_of=as_of)
    audit(
        actor=actor,
        action="afterschool_figures_exported",
        obj=f.school,
        school_id=f.school.pk,
        region_code=f.school.region.code,
        data={"scope": "school", "term_id": f.term.pk if f.term else None},
    )
    name = _("课后服务统计-%(school)s.xlsx") % {"school": f.school.code}
    return name, school_workbook(f)


@transaction.atomic
def export_district_figures(
    *, actor: Any, school_year: str | None, kind: str | None, as_of: date
) -> tuple[str, bytes]:
    """The district's workbook: one row per school and the totals, no child data. Audited."""
    d = district_figures(actor, school_year=school_year, kind=kind, as_of=as_of)
    region_code = next(
        (m.region.code for m in memberships_of(actor) if m.role in REGION_WIDE_ROLES and m.region), ""
    )
    audit(
        actor=actor,
        action="afterschool_figures_exported",
        region_code=region_code,
        data={"scope": "district", "school_year": d.school_year, "kind": d.kind, "schools": len(d.rows)},
    )
    name = _("课后服务统计-%(year)s-%(kind)s.xlsx") % {"year": d.school_year, "kind": d.kind}
    return name, district_workbook(d)


def xlsx_response(name: str, data: bytes) -> HttpResponse:
    """The workbook as a download; the Chinese file name goes in RFC 5987 form."""
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename=\"figures.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response


def rows_workbook(title: str, headers: list[str], rows: list[list[Any]]) -> bytes:
    """One sheet of plain rows under bold headers, every text kept text (see _append)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    _sheet(ws, headers, rows, {})
    return _bytes(wb)


@transaction.atomic
def export_gate_list(
    *, actor: Any, rows: list[dict[str, Any]], on: date, filters: dict[str, Any]
) -> tuple[str, bytes]:
    """The gate list as the page shows it, filtered (name and class only, as on the page). The
    caller reads `rows` for the programmes the actor works at the gate that day. Audited."""
    programmes = {r["programme"].pk: r["programme"] for r in rows}
    for p in programmes.values():
        audit(
            actor=actor,
            action="afterschool_gate_exported",
            obj=p,
            school_id=p.school_id,
            region_code=p.school.region.code,
            data={
                "date": on.isoformat(),
                "rows": sum(1 for r in rows if r["programme"].pk == p.pk),
                **filters,
            },
        )
    headers = [_("学校"), _("接送时段"), _("班级"), _("学生"), _("离校时间"), _("迟到（分钟）")]
    body = [
        [
            r["programme"].school.name,
            _("请假")
            if r["group"].get("leave")
            else (f"{r['group']['slot'].time:%H:%M}" if r["group"]["slot"] is not None else _("服务结束")),
            str(r["student"].school_class),
            r["student"].name,
            f"{timezone.localtime(r['departure'].left_at):%H:%M}" if r["departure"] else "",
            r["departure"].late_minutes if r["departure"] and r["departure"].late_minutes else None,
        ]
        for r in rows
    ]
    name = _("离校登记-%(date)s.xlsx") % {"date": on.isoformat()}
    return name, rows_workbook(_("离校登记"), headers, body)


@transaction.atomic
def export_applications(
    *, actor: Any, programme: Any, applications: list[Any], filters: dict[str, Any]
) -> tuple[str, bytes]:
    """The office's applications list, filtered, as the page shows it (hardship included: the page
    and this file are the office's only). The caller has checked the office permission. Audited."""
    audit(
        actor=actor,
        action="afterschool_applications_exported",
        obj=programme,
        school_id=programme.school_id,
        region_code=programme.school.region.code,
        data={"rows": len(applications), **filters},
    )
    headers = [_("学生"), _("班级"), _("志愿"), _("双职工"), _("困难家庭申请"), _("核实"), _("状态")]
    body = []
    for a in applications:
        verified = (
            ""
            if not a.hardship_claimed
            else _("待核实")
            if a.hardship_verified is None
            else _("已核实")
            if a.hardship_verified
            else _("未通过")
        )
        body.append(
            [
                a.student.name,
                str(a.student.school_class),
                "\n".join(f"{c.rank}. {c.course.name}" for c in a.choices.all()) or _("仅基础托管"),
                _("是") if a.both_parents_working else "",
                a.get_hardship_category_display() if a.hardship_claimed else "",
                verified,
                _("已退出") if a.withdrawn_at else _("在报"),
            ]
        )
    name = _("课后服务报名-%(school)s.xlsx") % {"school": programme.school.code}
    return name, rows_workbook(_("报名情况"), headers, body)
