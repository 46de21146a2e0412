"""When a complaint reaches its school and by when it must be acknowledged and answered: one release
a working morning (decision 0032), deadlines in working days on the calendar (decision 0006)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from jianfu.schools.calendar.selectors import add_working_days

RELEASE_TIME = time(8, 0)
_BEIJING = ZoneInfo("Asia/Shanghai")


def release_day(region: Any, filed_on: date) -> date:
    """The day a complaint filed on `filed_on` reaches its school: the first working day after it on
    the national calendar with the bureau's entries, or, where the calendar does not reach that far
    yet, the next Monday to Friday. One batch a day, so the school cannot tell when a complaint
    arrived (security.md M2; docs/decisions/0032-daily-release-of-complaints.md)."""
    day = add_working_days(region, filed_on, 1)
    if day is None:
        day = filed_on + timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
    return day


def release_at(region: Any, filed_on: date) -> datetime:
    """08:00 Beijing time on the release day (decision 0032)."""
    return datetime.combine(release_day(region, filed_on), RELEASE_TIME, tzinfo=_BEIJING)


def deadlines(school: Any, day: date, *, start: date | None = None) -> tuple[date | None, date | None]:
    """(acknowledge by, answer by) from the profile's working-day settings (defaults 2 and 15),
    counted on the national calendar with the bureau's entries from `start` (the release day for a
    new complaint, decision 0032: the school's time runs from when it can see the complaint, and
    like any period in days the first day is not counted, 《民法典》第二百零一条); None when the
    calendar does not reach that far yet (docs/decisions/0006-calendar-unknown-years.md)."""
    from jianfu.policies.selectors import profile_resolve_for_school

    profile = profile_resolve_for_school(school, day)
    start = start or day
    return (
        add_working_days(school.region, start, int(profile.setting("complaint_ack_working_days"))),
        add_working_days(school.region, start, int(profile.setting("complaint_answer_working_days"))),
    )
