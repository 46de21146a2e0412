"""Sleep rules (policy-defaults.md §2.4; sleep_notice_2021 items 2 and 5): the hours a stage needs and
the latest bedtime. Pure; each check cites its rule id and source."""

from __future__ import annotations

from datetime import time

from django.utils.translation import gettext_lazy as _

from jianfu.policies.rules.facts import (
    NightFacts,
)
from jianfu.policies.rules.findings import STAGE_LABELS, Finding, as_time, finding, hhmm, minutes_between
from jianfu.policies.rules.profiles import ResolvedProfile


def check_night(facts: NightFacts, profile: ResolvedProfile) -> list[Finding]:
    """sleep_min_* and bedtime_latest_* — sleep_notice_2021 items 2 and 5."""
    out: list[Finding] = []
    slept = minutes_between(facts.bedtime, facts.wake_time)
    need_h = profile.get(f"sleep_min_{facts.stage}.min_hours")
    if slept < need_h * 60:
        out.append(
            finding(
                f"sleep_min_{facts.stage}",
                _("睡眠%(hours)s小时%(minutes)s分钟，少于%(stage)s生应有的%(need)s小时"),
                params={
                    "hours": slept // 60,
                    "minutes": slept % 60,
                    "stage": STAGE_LABELS[facts.stage],
                    "need": need_h,
                },
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
                _("就寝时间%(bedtime)s晚于%(hhmm)s"),
                params={"bedtime": hhmm(facts.bedtime), "hhmm": hhmm(latest)},
                bedtime=hhmm(facts.bedtime),
            )
        )
    return out


# --- PE and curriculum -------------------------------------------------------------------------
