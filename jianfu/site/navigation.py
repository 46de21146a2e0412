"""What a signed-in user's roles give them across the apps: the menu and the home dashboard.

Each entry is shown when the app's own permission predicate says the page would let the user in
(schools.permissions, accounts.permissions, …), so the menu and the page cannot disagree.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jianfu.accounts.models import Role
from jianfu.accounts.permissions import can_use_two_step
from jianfu.afterschool.days.selectors import days_navigation
from jianfu.core.masking import mask_phone
from jianfu.feedback.selectors import children_of
from jianfu.homework.permissions import can_oversee_homework
from jianfu.homework.selectors import homework_navigation, pending_for_deciders
from jianfu.notifications.selectors import inbox_navigation
from jianfu.schools.access import memberships_of
from jianfu.schools.models import TeachingAssignment
from jianfu.schools.permissions import can_import_roster_somewhere, can_view_calendar
from jianfu.schools.two_step.permissions import can_reset_two_step

OVERSEERS = {Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS, Role.BUREAU_STAFF, Role.INSPECTOR}


def navigation_for_user(user: Any) -> list[dict[str, str]]:
    memberships = memberships_of(user)
    roles = {m.role for m in memberships}
    items = [{"label": _("首页"), "url": reverse("core:home")}, *inbox_navigation(user, roles)]
    if roles & OVERSEERS:
        items.append({"label": _("政策配置"), "url": reverse("policies:profile")})
    if can_view_calendar(user):
        items.append({"label": _("校历"), "url": reverse("schools:calendar")})
    if can_import_roster_somewhere(user):
        items.append({"label": _("学籍名册导入"), "url": reverse("schools:roster-import")})
    # One read for both "布置作业" and "录入等级" below.
    taught_grades = set(
        TeachingAssignment.objects.filter(teacher__user=user).values_list("school_class__grade_id", flat=True)
    )
    if taught_grades:
        items.append({"label": _("布置作业"), "url": reverse("homework:post")})
    head_classes = [
        m.school_class_id for m in memberships if m.role == Role.HEAD_TEACHER and m.school_class_id
    ]
    # D4: the head teacher sees how many exceptions wait for them (one read for all their classes).
    waiting = pending_for_deciders(head_classes, user, timezone.localdate()) if head_classes else {}
    for class_id in head_classes:
        n = waiting.get(class_id, 0)
        label = _("本班作业（%(n)s项待审批）") % {"n": n} if n else _("本班作业")
        items.append({"label": label, "url": reverse("homework:class-week", args=[class_id])})
    items += homework_navigation(user, roles, teaches=bool(taught_grades))
    if can_oversee_homework(user):
        # D2: the school's leaders and the bureau reach every class's homework from here.
        items.append({"label": _("作业统筹"), "url": reverse("homework:overview")})
    if Role.PARENT in roles:
        items.append({"label": _("孩子的作业"), "url": reverse("homework:family")})
        items.append({"label": _("考试等级"), "url": reverse("exams:family")})
        items.append({"label": _("反映问题"), "url": reverse("cases:new")})
        items.append({"label": _("我的反映"), "url": reverse("cases:mine")})
        items.append({"label": _("课后服务选课"), "url": reverse("afterschool:family")})
    if roles & OVERSEERS:
        items.append({"label": _("考试备案"), "url": reverse("exams:plans")})
        items.append({"label": _("家长反映"), "url": reverse("cases:list")})
    elif Role.CUSTODIAN in roles:
        # D5: the custodian's work is the region's complaints (unsealing is done from one).
        items.append({"label": _("家长反映"), "url": reverse("cases:list")})
    if roles & {Role.BUREAU_STAFF, Role.INSPECTOR}:
        items.append({"label": _("举报监督"), "url": reverse("cases:oversight")})
    if roles & OVERSEERS:
        items.append({"label": _("课后服务"), "url": reverse("afterschool:home")})
    items += days_navigation(user, roles)
    if taught_grades:
        # One entry, however many exams: the list behind it shows only those the user can enter.
        items.append({"label": _("录入等级"), "url": reverse("exams:levels")})
    if can_reset_two_step(user):
        items.append({"label": _("两步验证重置"), "url": reverse("two-step:resets")})
    if can_use_two_step(user, roles):
        items.append({"label": _("账号安全"), "url": reverse("accounts:security")})
    return items


def account_for_user(user: Any) -> dict[str, Any]:
    """What 我的账号 shows: the phone masked (it is the sign-in name; shown whole it could be read
    over a shoulder), each role and where, a parent's children with their class, and whether the
    account uses two-step sign-in."""
    memberships = memberships_of(user)
    roles = {m.role for m in memberships}
    return {
        "phone": mask_phone(user.phone or ""),
        "memberships": memberships,
        "children": children_of(user) if Role.PARENT in roles else [],
        "two_step": can_use_two_step(user, roles),
        "notification_settings_url": reverse("notifications:choices"),
    }


def dashboard_for_user(user: Any) -> dict[str, Any]:
    """The home page: the user's roles and, per role, today's work list (jianfu.site.home)."""
    from jianfu.site.home import home_sections

    ms = memberships_of(user)
    return {
        "memberships": ms,
        "roles": sorted({m.get_role_display() for m in ms}),
        "sections": home_sections(user),
    }
