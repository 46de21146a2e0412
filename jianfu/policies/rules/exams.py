"""Exam rules (policy-defaults.md §2.3; exam_notice_2021): no paper exams in grades 1–2, how many exams a
term may hold, no weekly/monthly/unit exams, mocks only for the graduating grade, levels not scores, no
sorting by results. Pure: each check cites its rule id and source."""

from __future__ import annotations

from datetime import date

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
                        f"一、二年级不得进行纸笔考试（{_exam_zh(e.kind)}）",
                        f"No paper exams in grades 1–2 ({e.kind})",
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
                f"本学期安排了{len(finals)}次期末考试，最多{max_final}次",
                f"{len(finals)} final exams this term; at most {max_final}",
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
                "小学不得安排期中考试（仅初中可适当安排一次）",
                "No midterm exams in primary school (junior only)",
                count=len(midterms),
                stage=stage,
            )
        )
    elif len(midterms) > max_mid:
        out.append(
            finding(
                "exam_midterm_per_term_max",
                f"本学期安排了{len(midterms)}次期中考试，最多{max_mid}次",
                f"{len(midterms)} midterms this term; at most {max_mid}",
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
                    f"不得组织周考、月考、单元考试及变相考试（{_exam_zh(e.kind)}）",
                    f"No weekly, monthly or unit tests, including disguised ones ({e.kind})",
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
                        "不得组织区域性或跨校际考试",
                        "No regional or inter-school exams",
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
                "模拟考试只能在初中毕业年级组织",
                "Mock exams only in the graduating junior grade",
                count=len(mocks),
                grade=facts.grade,
            )
        )
    else:
        if len(mocks) > max_mock:
            out.append(
                finding(
                    "exam_mock_max_graduating",
                    f"安排了{len(mocks)}次模拟考试，最多{max_mock}次",
                    f"{len(mocks)} mock exams; at most {max_mock}",
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
                        "模拟考试只能在毕业年级第二学期（下学期）组织",
                        "Mock exams only in the graduating grade's second (spring) term",
                        term=term,
                        date=_d(e.date),
                    )
                )
    # exam_no_ranking_no_publication — exam_notice_2021: 不得公布学生考试成绩和排名.
    for e in exams:
        for flag, zh, en in (
            (e.results_published, "不得公布学生考试成绩", "Exam results may not be published"),
            (e.ranking_published, "不得对学生考试成绩排名或公布排名", "Students may not be ranked by score"),
        ):
            if flag:
                out.append(
                    finding(
                        "exam_no_ranking_no_publication",
                        f"{zh}（{_exam_zh(e.kind)}）",
                        f"{en} ({e.kind})",
                        kind=e.kind,
                        date=_d(e.date),
                    )
                )
        # exam_no_tracking_by_score — exam_notice_2021, moe_briefing_2021_08_30: 不得按成绩分班、排座位.
        if e.placement_by_score:
            out.append(
                finding(
                    "exam_no_tracking_by_score",
                    f"不得按考试成绩分班、排座位（{_exam_zh(e.kind)}）",
                    f"No class placement or seating by score ({e.kind})",
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
                    f"考试结果应分{lo}至{hi}个等级，当前为{facts.level_count}个",
                    f"Results should use {lo}–{hi} levels, not {facts.level_count}",
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


def _exam_zh(kind: str) -> str:
    return {
        "final": "期末考试",
        "midterm": "期中考试",
        "mock": "模拟考试",
        "unit": "单元考试",
        "monthly": "月考",
        "weekly": "周考",
        "quiz": "年级统一测验",
    }.get(kind, kind)


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None
