"""The after-school service checks (policy-defaults.md: after-school rule ids): the service's end
against the local off-work time, 5+2 coverage, minimum service time, no new lessons, voluntary
participation. Pure: facts and a resolved profile in, findings out."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from jianfu.policies.rules.facts import AfterSchoolProgrammeFacts
from jianfu.policies.rules.findings import Finding, as_time, finding, hhmm
from jianfu.policies.rules.profiles import ResolvedProfile

# ISO weekday → its short name, translated where it is shown.
WEEKDAYS = {1: _("周一"), 2: _("周二"), 3: _("周三"), 4: _("周四"), 5: _("周五"), 6: _("周六"), 7: _("周日")}
# The same names as plain Chinese strings (catalogue msgids), for callers that still build Chinese
# text themselves; new code uses WEEKDAYS.
WEEKDAY_ZH = {
    1: gettext_noop("周一"),
    2: gettext_noop("周二"),
    3: gettext_noop("周三"),
    4: gettext_noop("周四"),
    5: gettext_noop("周五"),
    6: gettext_noop("周六"),
    7: gettext_noop("周日"),
}


def weekdays_text(days: list[int]) -> str:
    """[1, 2, 3, 4, 5] → "周一至周五"; [1, 3] → "周一、周三" (how schools write their timetables), in
    the active language."""
    ds = sorted(set(days))
    if len(ds) >= 3 and ds == list(range(ds[0], ds[-1] + 1)):
        return gettext("%(first)s至%(last)s") % {"first": WEEKDAYS[ds[0]], "last": WEEKDAYS[ds[-1]]}
    return gettext("、").join(str(WEEKDAYS[d]) for d in ds)


def weekdays_zh(days: list[int]) -> str:
    """weekdays_text in Chinese, whatever the active language."""
    with translation.override("zh-hans"):
        return weekdays_text(days)


def _short_days_text(short: list[Any]) -> str:
    return gettext("、").join(
        gettext("%(day)s%(minutes)s分钟") % {"day": WEEKDAYS[d.weekday], "minutes": d.service_minutes}
        for d in short
    )


def after_school_end_finding(
    end: time, profile: ResolvedProfile, off_work: time | None = None, *, weekdays: list[int] | None = None
) -> Finding | None:
    """The end-time floor of after-school service, for the daily schedule and for programmes alike.

    after_school_end_not_before_off_work — dr_opinion_2021: 结束时间原则上不早于当地正常下班时间;
    after_school_end_off_work_plus_30 — after_school_notice_2021_06: 不早于当地普遍的正常下班时间后半小时,
    used instead when the profile switches it on (policy-defaults.md §4.6: the area chooses one).
    The off-work time is local by nature: the fact's own value, else the profile's.
    """
    off_work = off_work or as_time(profile.get("after_school_end_not_before_off_work.off_work_time"))
    if profile.get("after_school_end_off_work_plus_30.enabled"):
        floor = (datetime.combine(date(2000, 1, 1), off_work) + timedelta(minutes=30)).time()
        rule_id, label = "after_school_end_off_work_plus_30", _("下班时间后半小时")
    else:
        floor, rule_id, label = off_work, "after_school_end_not_before_off_work", _("当地正常下班时间")
    if end >= floor:
        return None
    evidence: dict[str, Any] = {"after_school_end": hhmm(end), "floor": hhmm(floor)}
    params: dict[str, Any] = {"end": hhmm(end), "label": label, "floor": hhmm(floor)}
    if not weekdays:
        return finding(rule_id, _("课后服务%(end)s结束，早于%(label)s%(floor)s"), params=params, **evidence)
    evidence |= {"weekdays": sorted(set(weekdays)), "off_work_time": hhmm(off_work)}
    days = sorted(set(weekdays))
    return finding(
        rule_id,
        _("%(days)s课后服务%(end)s结束，早于%(label)s%(floor)s"),
        params={**params, "days": lazy(lambda: weekdays_text(days), str)()},
        **evidence,
    )


def check_after_school_programme(facts: AfterSchoolProgrammeFacts, profile: ResolvedProfile) -> list[Finding]:
    """A school's after-school programme (policy-defaults.md §2.5):

    - after_school_end_not_before_off_work / after_school_end_off_work_plus_30 (guidance): each
      weekday's end against the local off-work time — one finding per early end time, naming the days;
    - after_school_days_and_hours_5x2 (guidance; the MOE-promoted "5+2", Jiangsu; seed 004): school
      days served per week and hours per day, both from the profile's parameters;
    - after_school_no_new_lessons (hard; MOE briefing 2021-08-30: 不得利用课后服务时间讲新课): every
      course declared as teaching new lessons;
    - after_school_voluntary (hard; 家长、学生自愿): signing children up unless they opt out.
    """
    out: list[Finding] = []
    by_end: dict[time, list[int]] = {}
    for day in facts.days:
        by_end.setdefault(day.end, []).append(day.weekday)
    for end in sorted(by_end):
        f = after_school_end_finding(end, profile, facts.off_work_time, weekdays=by_end[end])
        if f is not None:
            out.append(f)
    # "5 days" are the five school days; a Saturday club does not make up for a missing Wednesday.
    school_days = sorted({d.weekday for d in facts.days if d.weekday <= 5 and d.service_minutes > 0})
    min_days = profile.get("after_school_days_and_hours_5x2.min_days")
    if min_days is not None and len(school_days) < min_days:
        out.append(
            finding(
                "after_school_days_and_hours_5x2",
                _("课后服务每周%(len)s天，少于%(min_days)s天"),
                params={"len": len(school_days), "min_days": min_days},
                days=len(school_days),
                min_days=min_days,
                weekdays=school_days,
            )
        )
    min_hours = profile.get("after_school_days_and_hours_5x2.min_hours_per_day")
    if min_hours is not None:
        short = [d for d in sorted(facts.days, key=lambda d: d.weekday) if d.service_minutes < min_hours * 60]
        if short:
            out.append(
                finding(
                    "after_school_days_and_hours_5x2",
                    _("%(days)s，少于每天%(hours)s小时"),
                    params={"days": lazy(lambda: _short_days_text(short), str)(), "hours": f"{min_hours:g}"},
                    short_days={str(d.weekday): d.service_minutes for d in short},
                    min_minutes=int(min_hours * 60),
                )
            )
    for name in facts.new_lesson_courses:
        out.append(
            finding(
                "after_school_no_new_lessons",
                _("课程“%(name)s”申报讲授新课：不得利用课后服务时间讲新课"),
                params={"name": name},
                course=name,
            )
        )
    if facts.enrolled_by_default:
        out.append(
            finding(
                "after_school_voluntary",
                _("课后服务须家长、学生自愿参加，不得默认报名或变相强制"),
            )
        )
    return out
