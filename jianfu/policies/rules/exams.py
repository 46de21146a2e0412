"""Exam rules (policy-defaults.md §2.3; exam_notice_2021): no paper exams in grades 1–2, how many exams a
term may hold, no weekly/monthly/unit exams, mocks only for the graduating grade, levels not scores, no
sorting by results. Pure: each check cites its rule id and source."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from jianfu.policies.rules.facts import (
    ExamTermFacts,
)
from jianfu.policies.rules.findings import Finding, finding
from jianfu.policies.rules.profiles import ResolvedProfile


def check_exam_term(facts: ExamTermFacts, profile: ResolvedProfile) -> list[Finding]:
    out: list[Finding] = []
    system = facts.system or "six_three"
    stage = facts.stage or profile.stage_for(facts.grade, system)
    graduating = facts.graduating
    if graduating is None:
        graduating = facts.grade == 9 or (
            stage == "primary" and facts.grade == (5 if system == "five_four" else 6)
        )
    exams = facts.exams
    # exam_paper_none_g1_2 — exam_notice_2021: 一二年级不进行纸笔考试.
    if stage == "primary" and facts.grade <= 2:
        for e in exams:
            if e.paper_based:
                out.append(
                    finding(
                        "exam_paper_none_g1_2",
                        _("一、二年级不得进行纸笔考试（%(kind)s）"),
                        params={"kind": _exam_label(e.kind)},
                        kind=e.kind,
                        date=_d(e.date),
                    )
                )
    # exam_final_per_term_max — ≤ 1 final per term.
    finals = [e for e in exams if e.kind == "final"]
    max_final = profile.get("exam_final_per_term_max.max_count")
    if len(finals) > max_final:
        out.append(
            finding(
                "exam_final_per_term_max",
                _("本学期安排了%(len)s次期末考试，最多%(max_final)s次"),
                params={"len": len(finals), "max_final": max_final},
                count=len(finals),
                max_count=max_final,
            )
        )
    # exam_midterm_per_term_max — junior only, ≤ 1.
    midterms = [e for e in exams if e.kind == "midterm"]
    max_mid = profile.get("exam_midterm_per_term_max.max_count")
    if midterms and stage == "primary":
        out.append(
            finding(
                "exam_midterm_per_term_max",
                _("小学不得安排期中考试（仅初中可适当安排一次）"),
                count=len(midterms),
                stage=stage,
            )
        )
    elif len(midterms) > max_mid:
        out.append(
            finding(
                "exam_midterm_per_term_max",
                _("本学期安排了%(len)s次期中考试，最多%(max_mid)s次"),
                params={"len": len(midterms), "max_mid": max_mid},
                count=len(midterms),
                max_count=max_mid,
            )
        )
    # exam_no_weekly_monthly_unit_tests — including disguised forms (a whole-grade "quiz").
    for e in exams:
        if e.kind in ("weekly", "monthly", "unit") or (e.kind == "quiz" and e.whole_grade):
            out.append(
                finding(
                    "exam_no_weekly_monthly_unit_tests",
                    _("不得组织周考、月考、单元考试及变相考试（%(kind)s）"),
                    params={"kind": _exam_label(e.kind)},
                    kind=e.kind,
                    date=_d(e.date),
                )
            )
    # exam_no_regional_or_interschool — primary and non-graduating junior grades.
    if stage == "primary" or (stage == "junior" and not graduating):
        for e in exams:
            if e.organiser != "school":
                out.append(
                    finding(
                        "exam_no_regional_or_interschool",
                        _("不得组织区域性或跨校际考试"),
                        organiser=e.organiser,
                        kind=e.kind,
                    )
                )
    # exam_mock_max_graduating — graduating junior grade only, ≤ 2.
    mocks = [e for e in exams if e.kind == "mock"]
    max_mock = profile.get("exam_mock_max_graduating.max_count")
    if mocks and not (stage == "junior" and graduating):
        out.append(
            finding(
                "exam_mock_max_graduating",
                _("模拟考试只能在初中毕业年级组织"),
                count=len(mocks),
                grade=facts.grade,
            )
        )
    else:
        if len(mocks) > max_mock:
            out.append(
                finding(
                    "exam_mock_max_graduating",
                    _("安排了%(len)s次模拟考试，最多%(max_mock)s次"),
                    params={"len": len(mocks), "max_mock": max_mock},
                    count=len(mocks),
                    max_count=max_mock,
                )
            )
        # exam_notice_2021: 初中毕业年级…在下学期可适当安排1-2次模拟考试 — the second term only.
        for e in mocks:
            term = facts.term or term_of_date(e.date)
            if term == "autumn":
                out.append(
                    finding(
                        "exam_mock_max_graduating",
                        _("模拟考试只能在毕业年级第二学期（下学期）组织"),
                        term=term,
                        date=_d(e.date),
                    )
                )
    # exam_no_ranking_no_publication — exam_notice_2021: 不得公布学生考试成绩和排名.
    for e in exams:
        for flag, what in (
            (e.results_published, _("不得公布学生考试成绩")),
            (e.ranking_published, _("不得对学生考试成绩排名或公布排名")),
        ):
            if flag:
                out.append(
                    finding(
                        "exam_no_ranking_no_publication",
                        _("%(what)s（%(kind)s）"),
                        params={"what": what, "kind": _exam_label(e.kind)},
                        kind=e.kind,
                        date=_d(e.date),
                    )
                )
        # exam_no_tracking_by_score — exam_notice_2021, moe_briefing_2021_08_30: 不得按成绩分班、排座位.
        if e.placement_by_score:
            out.append(
                finding(
                    "exam_no_tracking_by_score",
                    _("不得按考试成绩分班、排座位（%(kind)s）"),
                    params={"kind": _exam_label(e.kind)},
                    kind=e.kind,
                    date=_d(e.date),
                )
            )
    # exam_grade_levels — 一般分4至5个等级.
    if facts.level_count is not None:
        lo, hi = profile.get("exam_grade_levels.min_levels"), profile.get("exam_grade_levels.max_levels")
        if not lo <= facts.level_count <= hi:
            out.append(
                finding(
                    "exam_grade_levels",
                    _("考试结果应分%(lo)s至%(hi)s个等级，当前为%(level_count)s个"),
                    params={"lo": lo, "hi": hi, "level_count": facts.level_count},
                    level_count=facts.level_count,
                )
            )
    return out


def term_of_date(day: date | None) -> str | None:
    """The term a date falls in when no calendar says: February–August is the spring (second) term,
    September–January the autumn (first) term. Used only when neither the facts nor the school's
    calendar give the term."""
    if day is None:
        return None
    return "spring" if 2 <= day.month <= 8 else "autumn"


EXAM_KIND_LABELS = {
    "final": _("期末考试"),
    "midterm": _("期中考试"),
    "mock": _("模拟考试"),
    "unit": _("单元考试"),
    "monthly": _("月考"),
    "weekly": _("周考"),
    "quiz": _("年级统一测验"),
}


def _exam_label(kind: str) -> object:
    """The exam's kind as a message names it, in the message's language."""
    return EXAM_KIND_LABELS.get(kind, kind)


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None
