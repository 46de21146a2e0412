"""The pure evaluator: facts and a resolved profile in, findings out. No ORM.

Each check cites its rule id (policy-defaults.md §2) so a reviewer can hold it against the text.
Severity follows the rule's strictness: hard → "violation", guidance → "warning".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, time, timedelta

from jianfu.policies.facts import (
    ActivityDayFacts,
    ExamTermFacts,
    Facts,
    HomeworkDayFacts,
    HomeworkItemFacts,
    HomeworkPeriodFacts,
    NightFacts,
    PeWeekFacts,
    ScheduleFacts,
    TrainingFacts,
)
from jianfu.policies.findings import LAYERED, STAGE_ZH, Finding, as_time, finding, hhmm, minutes_between
from jianfu.policies.profiles import ResolvedProfile
from jianfu.policies.rules_after_school import after_school_end_finding, check_after_school_programme

# --- homework ------------------------------------------------------------------------------------


def counted_minutes(items: list[HomeworkItemFacts], profile: ResolvedProfile) -> int:
    """Minutes that count toward the daily cap, following the profile (policy-defaults.md §4.2, §4.15).

    Default: written work meant to be done at home; the required tier plus the largest layered tier
    (a student gets one layer, so the heaviest layer is what some students carry); electives excluded.
    """
    count_non_written = bool(profile.setting("count_non_written"))
    count_in_school = bool(profile.setting("count_in_school_completed"))
    tier_counting = profile.setting("tier_counting")
    relevant = [
        i
        for i in items
        if (i.kind == "written" or count_non_written) and (i.where == "home" or count_in_school)
    ]
    required = sum(i.minutes for i in relevant if i.tier == "required")
    if tier_counting == "required_only":
        return required
    by_layer: dict[str, int] = {}
    for i in relevant:
        if i.tier in LAYERED:
            by_layer[i.tier] = by_layer.get(i.tier, 0) + i.minutes
    return required + max(by_layer.values(), default=0)


def check_homework_day(facts: HomeworkDayFacts, profile: ResolvedProfile) -> list[Finding]:
    out: list[Finding] = []
    stage = facts.stage or profile.stage_for(facts.grade, facts.system or "six_three")
    day_type = facts.day_type or "school_day"
    # hw_written_at_home_g1_2 — dr_opinion_2021 §5: 小学一、二年级不布置家庭书面作业; in-school consolidation is allowed.
    if stage == "primary" and facts.grade <= 2:
        for item in facts.items:
            if item.kind == "written" and item.where == "home":
                out.append(
                    finding(
                        "hw_written_at_home_g1_2",
                        f"一、二年级不得布置家庭书面作业（{item.subject}，{item.minutes}分钟）；可在校内适当安排巩固练习",
                        f"No written homework at home in grades 1–2 ({item.subject}, {item.minutes} min); in-school practice is allowed",
                        subject=item.subject,
                        minutes=item.minutes,
                        grade=facts.grade,
                    )
                )
    # Daily caps — dr_opinion_2021 §5: 三至六年级 ≤ 60, 初中 ≤ 90 (平均完成时间), on school days.
    total = counted_minutes(facts.items, profile)
    if day_type == "school_day":
        if not (stage == "primary" and facts.grade <= 2):
            cap, rule_id, band = profile.homework_cap(facts.grade, stage)
            if cap is not None and rule_id != "hw_senior_high_reasonable" and total > cap:
                where = (
                    f"{min(band['grades'])}–{max(band['grades'])}年级" if band else STAGE_ZH.get(stage, stage)
                )
                out.append(
                    finding(
                        rule_id,
                        f"书面作业合计{total}分钟，超过{where}每日{cap}分钟的上限",
                        f"Written homework totals {total} min, over the {cap}-minute daily cap",
                        counted_minutes=total,
                        cap_minutes=cap,
                        grade=facts.grade,
                        stage=stage,
                        band=band,
                    )
                )
    else:
        # hw_weekend_holiday_total_controlled — hw_notice_2021: no national number; local value if set.
        limit = profile.get("hw_weekend_holiday_total_controlled.max_minutes_per_day")
        if limit is not None and total > limit:
            out.append(
                finding(
                    "hw_weekend_holiday_total_controlled",
                    f"休息日书面作业合计{total}分钟，超过本地规定的{limit}分钟",
                    f"Written homework on a rest day totals {total} min, over the local {limit} min",
                    counted_minutes=total,
                    cap_minutes=limit,
                    day_type=day_type,
                )
            )
    # Teacher practice — dr_opinion_2021 §4, hw_notice_2021, phone_notice_2021 item 2.
    flag_rules: list[tuple[str, Callable[[HomeworkItemFacts], bool], str, str]] = [
        (
            "hw_no_parent_assignment",
            lambda i: i.assigned_to_parent,
            "不得给家长布置作业",
            "Homework may not be assigned to parents",
        ),
        (
            "hw_no_parent_checking_or_marking",
            lambda i: i.needs_parent_marking,
            "不得要求家长检查、批改作业",
            "Parents may not be required to check or mark homework",
        ),
        (
            "hw_no_student_self_marking",
            lambda i: i.self_marking,
            "不得要求学生自批自改作业",
            "Students may not be required to mark their own homework",
        ),
        (
            "hw_no_repetitive_or_punitive",
            lambda i: i.punitive,
            "不得布置重复性、惩罚性作业",
            "No repetitive or punitive homework",
        ),
        (
            "hw_no_phone_based_homework",
            lambda i: i.phone_required,
            "不得要求学生用手机完成作业",
            "Homework may not require a mobile phone",
        ),
    ]
    for rule_id, test, zh, en in flag_rules:
        for item in facts.items:
            if test(item):
                out.append(
                    finding(
                        rule_id, f"{zh}（{item.subject}）", f"{en} ({item.subject})", subject=item.subject
                    )
                )
    return out


def _rest_day_type(day: date) -> str:
    """A day's type when neither the caller nor a calendar gave one: Saturday and Sunday rest."""
    return "weekend" if day.weekday() >= 5 else "school_day"


def check_homework_period(facts: HomeworkPeriodFacts, profile: ResolvedProfile) -> list[Finding]:
    """Each day as a homework_day, then each run of consecutive rest days as a whole.

    hw_weekend_holiday_total_controlled — hw_notice_2021 (周末、节假日、寒暑假要控制书面作业总量): no
    national number, so the period total is checked only where a profile sets
    `max_minutes_per_period` (a local value, e.g. a weekend's or a holiday's written work together).
    """
    out: list[Finding] = []
    days = sorted(facts.days, key=lambda d: d.date)
    runs: list[list[tuple[date, int]]] = []
    for day in days:
        day_type = day.day_type or _rest_day_type(day.date)
        one = HomeworkDayFacts.model_validate(
            {
                "grade": facts.grade,
                "stage": facts.stage,
                "system": facts.system,
                "day_type": day_type,
                "items": day.items,
            }
        )
        for f in check_homework_day(one, profile):
            out.append(replace(f, evidence={**f.evidence, "date": day.date.isoformat()}))
        if day_type == "school_day":
            continue
        minutes = counted_minutes(day.items, profile)
        if runs and runs[-1][-1][0] == day.date - timedelta(days=1):
            runs[-1].append((day.date, minutes))
        else:
            runs.append([(day.date, minutes)])
    limit = profile.get("hw_weekend_holiday_total_controlled.max_minutes_per_period")
    if limit is None:
        return out
    for run in runs:
        total = sum(m for _, m in run)
        if total > limit:
            first, last = run[0][0].isoformat(), run[-1][0].isoformat()
            out.append(
                finding(
                    "hw_weekend_holiday_total_controlled",
                    f"{first}至{last}连续{len(run)}个休息日书面作业合计{total}分钟，超过本地规定的{limit}分钟",
                    f"Written homework over the {len(run)} rest days {first}–{last} totals {total} min, "
                    f"over the local {limit} min",
                    counted_minutes=total,
                    cap_minutes=limit,
                    first_date=first,
                    last_date=last,
                    days=len(run),
                )
            )
    return out


# --- exams ---------------------------------------------------------------------------------------


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


# --- schedule, night ---------------------------------------------------------------------------


def check_schedule(facts: ScheduleFacts, profile: ResolvedProfile) -> list[Finding]:
    out: list[Finding] = []
    if facts.class_start is not None:
        if facts.stage == "primary":
            rule_id = "morning_class_start_earliest_primary"
        elif facts.stage == "junior" or profile.setting("middle_includes_senior"):
            rule_id = "morning_class_start_earliest_middle"
        else:
            rule_id = ""
        if rule_id:
            earliest = as_time(profile.get(f"{rule_id}.earliest"))
            if facts.class_start < earliest:
                out.append(
                    finding(
                        rule_id,
                        f"上午上课时间{hhmm(facts.class_start)}早于{hhmm(earliest)}",
                        f"Morning lessons start at {hhmm(facts.class_start)}, before {hhmm(earliest)}",
                        class_start=hhmm(facts.class_start),
                        earliest=hhmm(earliest),
                    )
                )
    if facts.requires_early_arrival:
        out.append(
            finding(
                "no_required_early_arrival",
                "学校不得要求学生提前到校参加统一教学活动",
                "Students may not be required to arrive early for lessons",
            )
        )
    if facts.after_school_end is not None:
        end_finding = after_school_end_finding(facts.after_school_end, profile, facts.off_work_time)
        if end_finding is not None:
            out.append(end_finding)
    if facts.new_lessons_in_after_school:
        out.append(
            finding(
                "after_school_no_new_lessons",
                "不得利用课后服务时间讲新课",
                "No new lessons in after-school time",
            )
        )
    if facts.long_break_minutes is not None:
        need = profile.get("long_break_daily.min_minutes")
        if facts.long_break_minutes < need:
            out.append(
                finding(
                    "long_break_daily",
                    f"大课间{facts.long_break_minutes}分钟，少于{need}分钟",
                    f"Long break of {facts.long_break_minutes} min, under {need}",
                    minutes=facts.long_break_minutes,
                )
            )
    if facts.inter_lesson_break_minutes is not None:
        need = profile.get("inter_class_break_min.min_minutes")
        if facts.inter_lesson_break_minutes < need:
            out.append(
                finding(
                    "inter_class_break_min",
                    f"课间{facts.inter_lesson_break_minutes}分钟，少于{need}分钟",
                    f"Break of {facts.inter_lesson_break_minutes} min, under {need}",
                )
            )
    if facts.in_school_learning_hours is not None and facts.stage == "primary":
        cap = profile.get("in_school_learning_time_max_primary.max_hours")
        if cap is not None and facts.in_school_learning_hours > cap:
            out.append(
                finding(
                    "in_school_learning_time_max_primary",
                    f"在校集中学习{facts.in_school_learning_hours}小时，超过本地规定的{cap}小时",
                    f"{facts.in_school_learning_hours} h of in-school learning, over the local {cap} h",
                )
            )
    if facts.stage == "junior" and facts.evening_self_study_end is not None:
        latest = as_time(profile.get("junior_evening_self_study.latest"))
        if facts.evening_self_study_end > latest:
            out.append(
                finding(
                    "junior_evening_self_study",
                    f"晚自习{hhmm(facts.evening_self_study_end)}结束，晚于{hhmm(latest)}",
                    f"Evening self-study ends at {hhmm(facts.evening_self_study_end)}, after {hhmm(latest)}",
                )
            )
    if facts.stage == "junior" and facts.evening_self_study_hours is not None:
        most = profile.get("junior_evening_self_study.max_hours")
        if facts.evening_self_study_hours > most:
            out.append(
                finding(
                    "junior_evening_self_study",
                    f"晚自习{facts.evening_self_study_hours}小时，超过{most}小时",
                    f"Evening self-study of {facts.evening_self_study_hours} h, over {most} h",
                )
            )
    # electronic_teaching_max_share — myopia_action_2021: 使用电子产品开展教学时长原则上不超过教学总时长的30%.
    if facts.teaching_minutes and facts.electronic_teaching_minutes is not None:
        most_pct = profile.get("electronic_teaching_max_share.max_percent")
        share = facts.electronic_teaching_minutes * 100 / facts.teaching_minutes
        if most_pct is not None and share > most_pct:
            out.append(
                finding(
                    "electronic_teaching_max_share",
                    f"电子产品教学{facts.electronic_teaching_minutes}分钟，占教学总时长{share:.0f}%，超过{most_pct}%",
                    f"{facts.electronic_teaching_minutes} min of screen teaching is {share:.0f}% of teaching "
                    f"time, over {most_pct}%",
                    electronic_minutes=facts.electronic_teaching_minutes,
                    teaching_minutes=facts.teaching_minutes,
                    max_percent=most_pct,
                )
            )
    return out


def check_night(facts: NightFacts, profile: ResolvedProfile) -> list[Finding]:
    """sleep_min_* and bedtime_latest_* — sleep_notice_2021 items 2 and 5."""
    out: list[Finding] = []
    slept = minutes_between(facts.bedtime, facts.wake_time)
    need_h = profile.get(f"sleep_min_{facts.stage}.min_hours")
    if slept < need_h * 60:
        out.append(
            finding(
                f"sleep_min_{facts.stage}",
                f"睡眠{slept // 60}小时{slept % 60}分钟，少于{STAGE_ZH[facts.stage]}生应有的{need_h}小时",
                f"Slept {slept // 60} h {slept % 60} min, under the {need_h} h for this stage",
                sleep_minutes=slept,
                min_minutes=need_h * 60,
            )
        )
    latest = as_time(profile.get(f"bedtime_latest_{facts.stage}.latest"))
    # Bedtimes after midnight are later than any evening limit.
    late = facts.bedtime > latest or facts.bedtime < time(5, 0)
    if late:
        out.append(
            finding(
                f"bedtime_latest_{facts.stage}",
                f"就寝时间{hhmm(facts.bedtime)}晚于{hhmm(latest)}",
                f"Bedtime {hhmm(facts.bedtime)} is after {hhmm(latest)}",
                bedtime=hhmm(facts.bedtime),
            )
        )
    return out


# --- PE and curriculum -------------------------------------------------------------------------


def check_pe_week(facts: PeWeekFacts, profile: ResolvedProfile) -> list[Finding]:
    out: list[Finding] = []
    stage = facts.stage or profile.stage_for(facts.grade, facts.system or "six_three")
    if stage == "senior":
        rule_id = "pe_weekly_periods_senior"
    elif facts.grade <= 2:
        rule_id = "pe_weekly_periods_g1_2"
    else:
        rule_id = "pe_weekly_periods_g3_9"
    need = profile.get(f"{rule_id}.min_periods")
    if facts.pe_periods < need:
        out.append(
            finding(
                rule_id,
                f"体育课每周{facts.pe_periods}课时，少于{need}课时",
                f"{facts.pe_periods} PE periods a week, under {need}",
                periods=facts.pe_periods,
                min_periods=need,
            )
        )
    if facts.total_periods is not None and facts.grade <= 9:
        plan = (
            "weekly_periods_g1_2"
            if facts.grade <= 2
            else "weekly_periods_g3_6"
            if facts.grade <= 6
            else "weekly_periods_g7_9"
        )
        most = profile.get(f"{plan}.max_periods")
        if facts.total_periods > most:
            out.append(
                finding(
                    plan,
                    f"周课时{facts.total_periods}节，超过课程方案的{most}节",
                    f"{facts.total_periods} periods a week, over the plan's {most}",
                    periods=facts.total_periods,
                )
            )
    if facts.labor_periods is not None and facts.grade <= 9:
        need_labor = profile.get("labor_weekly_min.min_periods")
        if facts.labor_periods < need_labor:
            out.append(
                finding(
                    "labor_weekly_min",
                    f"劳动课每周{facts.labor_periods}课时，少于{need_labor}课时",
                    f"{facts.labor_periods} labour periods a week, under {need_labor}",
                )
            )
    return out


def check_activity_day(facts: ActivityDayFacts, profile: ResolvedProfile) -> list[Finding]:
    """Daily physical activity.

    pe_activity_in_school_daily, pe_activity_out_of_school_daily — fitness_notice_2021: 保障学生每天校内、
    校外各1小时体育活动时间 (in school on school days; out of school every day).
    pe_comprehensive_daily_min — edu_power_plan_2025: 中小学生每天综合体育活动时间不低于2小时 (counted
    here as in-school plus out-of-school activity; a rest day has no in-school part).
    """
    out: list[Finding] = []
    school_day = (facts.day_type or "school_day") == "school_day"
    if school_day and facts.in_school_minutes is not None:
        need = profile.get("pe_activity_in_school_daily.min_minutes")
        if need is not None and facts.in_school_minutes < need:
            out.append(
                finding(
                    "pe_activity_in_school_daily",
                    f"校内体育活动{facts.in_school_minutes}分钟，少于{need}分钟",
                    f"{facts.in_school_minutes} min of activity in school, under {need}",
                    minutes=facts.in_school_minutes,
                    min_minutes=need,
                )
            )
    if facts.out_of_school_minutes is not None:
        need = profile.get("pe_activity_out_of_school_daily.min_minutes")
        if need is not None and facts.out_of_school_minutes < need:
            out.append(
                finding(
                    "pe_activity_out_of_school_daily",
                    f"校外体育活动{facts.out_of_school_minutes}分钟，少于{need}分钟",
                    f"{facts.out_of_school_minutes} min of activity out of school, under {need}",
                    minutes=facts.out_of_school_minutes,
                    min_minutes=need,
                )
            )
    in_school = facts.in_school_minutes if school_day else (facts.in_school_minutes or 0)
    if in_school is not None and facts.out_of_school_minutes is not None:
        total = in_school + facts.out_of_school_minutes
        need = profile.get("pe_comprehensive_daily_min.min_minutes")
        if need is not None and total < need:
            out.append(
                finding(
                    "pe_comprehensive_daily_min",
                    f"全天体育活动合计{total}分钟，少于{need}分钟",
                    f"{total} min of physical activity in the day, under {need}",
                    minutes=total,
                    min_minutes=need,
                )
            )
    return out


# --- off-campus training -----------------------------------------------------------------------


def check_training(facts: TrainingFacts, profile: ResolvedProfile) -> list[Finding]:
    out: list[Finding] = []
    day_type = facts.day_type or "school_day"
    if facts.subject_type == "subject" and day_type != "school_day":
        out.append(
            finding(
                "training_subject_no_weekend_holiday_vacation",
                "学科类培训不得占用休息日、节假日和寒暑假",
                "No subject training on rest days, holidays or vacations",
                day_type=day_type,
            )
        )
    if facts.online:
        most = profile.get("training_online_lesson_max.max_minutes")
        gap = profile.get("training_online_lesson_max.min_break_minutes")
        if facts.lesson_minutes is not None and facts.lesson_minutes > most:
            out.append(
                finding(
                    "training_online_lesson_max",
                    f"线上培训每课时{facts.lesson_minutes}分钟，超过{most}分钟",
                    f"Online lesson of {facts.lesson_minutes} min, over {most}",
                    lesson_minutes=facts.lesson_minutes,
                )
            )
        if facts.break_minutes is not None and facts.break_minutes < gap:
            out.append(
                finding(
                    "training_online_lesson_max",
                    f"线上课程间隔{facts.break_minutes}分钟，少于{gap}分钟",
                    f"Break of {facts.break_minutes} min between online lessons, under {gap}",
                )
            )
        # dr_opinion_2021 (线上培训…每节课不超过30分钟，课程间隔不少于10分钟，培训结束时间不晚于21点) states
        # the 21:00 end inside this rule too; the time is the one parameter of
        # training_end_online_live_latest, so a profile cannot hold two different ends. A late end is
        # reported under both ids (decision 0028).
        if facts.end_time is not None:
            latest = as_time(profile.get("training_end_online_live_latest.latest"))
            if facts.end_time > latest:
                out.append(
                    finding(
                        "training_online_lesson_max",
                        f"线上培训{hhmm(facts.end_time)}结束，晚于{hhmm(latest)}",
                        f"Online training ends at {hhmm(facts.end_time)}, after {hhmm(latest)}",
                        end_time=hhmm(facts.end_time),
                        latest=hhmm(latest),
                        parameter="training_end_online_live_latest.latest",
                    )
                )
    if facts.end_time is not None:
        rule_id = "training_end_online_live_latest" if facts.online else "training_end_offline_latest"
        latest = as_time(profile.get(f"{rule_id}.latest"))
        if facts.end_time > latest:
            out.append(
                finding(
                    rule_id,
                    f"培训{hhmm(facts.end_time)}结束，晚于{hhmm(latest)}",
                    f"Training ends at {hhmm(facts.end_time)}, after {hhmm(latest)}",
                    end_time=hhmm(facts.end_time),
                )
            )
    months_max = profile.get("training_prepay_max_span.max_months")
    lessons_max = profile.get("training_prepay_max_span.max_lessons")
    if facts.prepaid_months is not None and facts.prepaid_months > months_max:
        out.append(
            finding(
                "training_prepay_max_span",
                f"一次性预收{facts.prepaid_months}个月费用，超过{months_max}个月",
                f"Prepaid {facts.prepaid_months} months, over {months_max}",
                prepaid_months=facts.prepaid_months,
            )
        )
    if facts.prepaid_lessons is not None and facts.prepaid_lessons > lessons_max:
        out.append(
            finding(
                "training_prepay_max_span",
                f"一次性预收{facts.prepaid_lessons}课时费用，超过{lessons_max}课时",
                f"Prepaid {facts.prepaid_lessons} lessons, over {lessons_max}",
                prepaid_lessons=facts.prepaid_lessons,
            )
        )
    if facts.subject_type == "non_subject" and facts.prepaid_amount is not None:
        cap = profile.get("training_prepay_max_amount_nonsubject.max_amount")
        if facts.prepaid_amount > cap:
            out.append(
                finding(
                    "training_prepay_max_amount_nonsubject",
                    f"单次预收{facts.prepaid_amount:g}元，超过{cap}元",
                    f"Prepaid {facts.prepaid_amount:g} CNY, over {cap}",
                    amount=facts.prepaid_amount,
                )
            )
    if not facts.in_custody and (facts.prepaid_months or facts.prepaid_lessons or facts.prepaid_amount):
        out.append(
            finding(
                "training_prepay_custody",
                "预收费须全部进入专用账户（银行托管或风险保证金）",
                "Prepaid fees must be held in custody",
            )
        )
    if facts.training_loan:
        out.append(finding("training_no_training_loans", "不得诱导家长使用培训贷", "No training loans"))
    if facts.assigns_homework:
        out.append(
            finding(
                "hw_offcampus_training_no_homework",
                "校外培训机构不得给学生布置作业",
                "Off-campus providers may not assign homework",
            )
        )
    return out


def evaluate(facts: Facts, profile: ResolvedProfile) -> list[Finding]:
    """All findings for every fact group given."""
    out: list[Finding] = []
    if facts.homework_day is not None:
        out += check_homework_day(facts.homework_day, profile)
    if facts.homework_period is not None:
        out += check_homework_period(facts.homework_period, profile)
    if facts.exam_term is not None:
        out += check_exam_term(facts.exam_term, profile)
    if facts.schedule is not None:
        out += check_schedule(facts.schedule, profile)
    if facts.night is not None:
        out += check_night(facts.night, profile)
    if facts.pe_week is not None:
        out += check_pe_week(facts.pe_week, profile)
    if facts.activity_day is not None:
        out += check_activity_day(facts.activity_day, profile)
    if facts.training is not None:
        out += check_training(facts.training, profile)
    if facts.after_school_programme is not None:
        out += check_after_school_programme(facts.after_school_programme, profile)
    return out
