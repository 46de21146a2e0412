"""What the after-school day adds to a user's menu (read by jianfu.accounts.selectors): each entry
asks its predicate (days/permissions.py, ../permissions.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from jianfu.afterschool.days.permissions import (
    can_arrange_pickup,
    can_book_pickup,
    can_take_attendance_on,
    can_work_a_gate_on,
    late_flags_to_see,
)
from jianfu.afterschool.permissions import can_see_district_figures, can_see_school_figures


def days_navigation(user: Any, roles: set[str]) -> list[dict[str, str]]:
    """课后点名 for staff with sessions today; 离校登记 for staff on gate duty; 接送与值守 and
    课后服务统计 for the school office; 接送预约 for families taking part; 课后服务统计 for the
    bureau; 接送提醒（N） for a head teacher with children flagged for repeated late pickups."""
    today = timezone.localdate()
    items: list[dict[str, str]] = []
    if can_take_attendance_on(user, today):
        items.append({"label": gettext("课后点名"), "url": reverse("afterschool_days:attendance")})
    if can_work_a_gate_on(user, roles, today):
        items.append({"label": gettext("离校登记"), "url": reverse("afterschool_days:gate")})
    if can_arrange_pickup(user, roles):
        items.append({"label": gettext("接送与值守"), "url": reverse("afterschool_days:arrangements")})
    flagged = late_flags_to_see(user, roles, today)
    if flagged:
        items.append(
            {"label": gettext("接送提醒（%(n)s）") % {"n": flagged}, "url": reverse("afterschool_days:late")}
        )
    if can_book_pickup(user, roles, today):
        items.append({"label": gettext("接送预约"), "url": reverse("afterschool_days:pickup")})
    if can_see_school_figures(user):
        items.append({"label": gettext("课后服务统计"), "url": reverse("afterschool_days:figures")})
    elif can_see_district_figures(user):
        items.append({"label": gettext("课后服务统计"), "url": reverse("afterschool_days:district")})
    return items
