"""What the after-school day adds to a user's menu (read by jianfu.accounts.selectors)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from jianfu.accounts.models import Role
from jianfu.afterschool.attendance.selectors import has_sessions_on, is_school_staff
from jianfu.afterschool.models import ProgrammeStatus
from jianfu.afterschool.pickup.selectors import (
    gate_programmes_for,
    late_flag_count,
    programmes_taken_part_in,
)
from jianfu.afterschool.selectors import children_of_parent, programmes_for_office


def days_navigation(user: Any, roles: set[str]) -> list[dict[str, str]]:
    """课后点名 for staff with sessions today; 离校登记 for staff on gate duty; 接送与值守 and
    课后服务统计 for the school office; 接送预约 for families taking part; 课后服务统计 for the
    bureau; 接送提醒（N） for a head teacher with children flagged for repeated late pickups."""
    today = timezone.localdate()
    items: list[dict[str, str]] = []
    office = roles & {Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS}
    if is_school_staff(user) and has_sessions_on(user, today):
        items.append({"label": "课后点名", "url": reverse("afterschool_days:attendance")})
    if (office or roles & {Role.SUBJECT_TEACHER, Role.HEAD_TEACHER}) and gate_programmes_for(user, today):
        items.append({"label": "离校登记", "url": reverse("afterschool_days:gate")})
    if office and programmes_for_office(user).filter(status=ProgrammeStatus.PUBLISHED).exists():
        items.append({"label": "接送与值守", "url": reverse("afterschool_days:arrangements")})
    if Role.HEAD_TEACHER in roles:
        flagged = late_flag_count(user, today)
        if flagged:
            items.append({"label": f"接送提醒（{flagged}）", "url": reverse("afterschool_days:late")})
    # All of a family's children at once: the same few queries for one child or five.
    if Role.PARENT in roles and programmes_taken_part_in(children_of_parent(user), today):
        items.append({"label": "接送预约", "url": reverse("afterschool_days:pickup")})
    if office:
        items.append({"label": "课后服务统计", "url": reverse("afterschool_days:figures")})
    elif roles & {Role.BUREAU_STAFF, Role.INSPECTOR}:
        items.append({"label": "课后服务统计", "url": reverse("afterschool_days:district")})
    return items
