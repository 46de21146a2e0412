"""Pure rules for what a child really spends on homework: every kind, not only the written cap.

No ORM. The written cap itself is the policy engine's (jianfu.policies.rules.counted_minutes,
hw_written_daily_avg_max_g3_6 / _g7_9); these functions add the day's total of all kinds and the
non-written warning that issue 12 asks for (docs/decisions/0023-total-time-of-all-kinds.md).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext, gettext_lazy

from jianfu.policies.rules import counted_minutes
from jianfu.policies.rules.facts import HomeworkItemFacts
from jianfu.policies.rules.profiles import ResolvedProfile

BEIJING = ZoneInfo("Asia/Shanghai")


def school_today(now: datetime) -> date:
    """The school's calendar day at `now`: Beijing time, whatever the server's zone."""
    return now.astimezone(BEIJING).date()


def is_backdated(date_set: date, now: datetime) -> bool:
    """An item set for a day before today (Beijing time) would rewrite a day families already lived.

    Source: issue 12 "Dates cannot be rewritten"; the 公示 duty of hw_notice_2021 (作业公示) is only
    worth something if a published day cannot be filled in afterwards."""
    return date_set < school_today(now)


def _counting_every_kind(profile: ResolvedProfile) -> ResolvedProfile:
    return replace(profile, values={**profile.values, "settings.count_non_written": True})


def all_kinds_minutes(items: list[HomeworkItemFacts], profile: ResolvedProfile) -> int:
    """The day's homework of every kind meant to be done at home (书面、口头、阅读、实践 …).

    Counted the way the profile counts the written cap (tiers: policy-defaults.md §4.15; work done
    in school only if count_in_school_completed, §4.2), but with every kind included (§4.2 leaves
    "which homework counts" open; dr_opinion_2021 §5 bounds the 总量, not only the written part)."""
    return counted_minutes(items, _counting_every_kind(profile))


def non_written_minutes(items: list[HomeworkItemFacts], profile: ResolvedProfile) -> int:
    """The non-written part of all_kinds_minutes."""
    return counted_minutes([i for i in items if i.kind != "written"], _counting_every_kind(profile))


def all_kinds_cap(profile: ResolvedProfile, stage: str) -> int | None:
    """The local rule for the day's total of all kinds, by stage: none nationally (null)."""
    key = {"primary": "homework_all_kinds_daily_max_primary", "junior": "homework_all_kinds_daily_max_junior"}
    name = key.get(stage)
    value = profile.setting(name) if name else None
    return int(value) if value is not None else None


def non_written_warning(minutes: int, profile: ResolvedProfile) -> str | None:
    """A warning (never a refusal) when non-written homework at home passes the profile's threshold.

    Oral, reading and practical tasks are what the rules encourage (hw_notice_2021: 科学设计探究性、
    实践性作业), but they take an evening's time too; the threshold makes a heavy one visible."""
    threshold = profile.setting("homework_non_written_warn_minutes")
    if threshold is None or minutes <= int(threshold):
        return None
    return gettext("当天非书面家庭作业共%(minutes)s分钟，超过%(threshold)s分钟的提醒线，请与班主任统筹") % {
        "minutes": minutes,
        "threshold": int(threshold),
    }


def exception_week_bounds(on: date) -> tuple[date, date]:
    """Monday and Sunday of the week of `on`: the week the per-class exception limit counts in."""
    monday = date.fromordinal(on.toordinal() - on.weekday())
    return monday, date.fromordinal(monday.toordinal() + 6)


def hhmm(moment: datetime) -> str:
    return moment.astimezone(BEIJING).strftime("%H:%M")


# Weekday labels for the pages, Monday first (date.weekday()).
WEEKDAYS = [
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
]
