"""What a signed-in user's roles give them: navigation and the home dashboard."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jianfu.accounts.models import Membership, Role


def memberships_for_user(user: Any) -> list[Membership]:
    from jianfu.schools.selectors import _memberships

    return _memberships(user)


def navigation_for_user(user: Any) -> list[dict[str, str]]:
    roles = {m.role for m in memberships_for_user(user)}
    items = [{"label": "首页", "url": reverse("core:home")}]
    if roles & {Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS, Role.BUREAU_STAFF, Role.INSPECTOR}:
        items.append({"label": "政策配置", "url": reverse("policies:profile")})
        items.append({"label": "校历", "url": reverse("schools:calendar")})
    if roles & {Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS}:
        items.append({"label": "学籍名册导入", "url": reverse("schools:roster-import")})
    from jianfu.schools.models import TeachingAssignment

    if TeachingAssignment.objects.filter(teacher__user=user).exists():
        items.append({"label": "布置作业", "url": reverse("homework:post")})
    for m in memberships_for_user(user):
        if m.role == Role.HEAD_TEACHER and m.school_class_id:
            items.append(
                {"label": "本班作业", "url": reverse("homework:class-week", args=[m.school_class_id])}
            )
    if Role.PARENT in roles:
        items.append({"label": "孩子的作业", "url": reverse("homework:family")})
        items.append({"label": "考试等级", "url": reverse("exams:family")})
        items.append({"label": "反映问题", "url": reverse("cases:new")})
        items.append({"label": "课后服务选课", "url": reverse("afterschool:family")})
    if roles & {Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS, Role.BUREAU_STAFF, Role.INSPECTOR}:
        items.append({"label": "考试备案", "url": reverse("exams:plans")})
        items.append({"label": "家长反映", "url": reverse("cases:list")})
    if roles & {Role.BUREAU_STAFF, Role.INSPECTOR}:
        items.append({"label": "举报监督", "url": reverse("cases:oversight")})
    if roles & {Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS, Role.BUREAU_STAFF, Role.INSPECTOR}:
        items.append({"label": "课后服务", "url": reverse("afterschool:home")})
    from jianfu.afterschool.selectors_days import days_navigation

    items += days_navigation(user, roles)
    from jianfu.exams.models import ExamPlan

    taught = TeachingAssignment.objects.filter(teacher__user=user).values("school_class__grade_id")
    for plan in ExamPlan.objects.filter(grade_id__in=taught, withdrawn_at__isnull=True).select_related(
        "grade"
    )[:3]:
        items.append(
            {
                "label": f"录入等级：{plan.grade}{plan.get_kind_display()}",
                "url": reverse("exams:results", args=[plan.pk]),
            }
        )
    if user.is_staff or roles - {Role.PARENT}:
        items.append({"label": "账号安全", "url": reverse("accounts:security")})
    return items


def dashboard_for_user(user: Any) -> dict[str, Any]:
    ms = memberships_for_user(user)
    return {
        "memberships": ms,
        "roles": sorted({m.get_role_display() for m in ms}),
    }


def totp_enabled(user: Any) -> bool:
    """Whether the account signs in with a second step (a confirmed authenticator app)."""
    from jianfu.accounts.models import TotpDevice

    return TotpDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).exists()


TOTP_ISSUER = "减负"


def totp_uri(user: Any, secret: str) -> str:
    """The otpauth URI the app scans: the issuer and the masked phone, so the app shows whose code it is."""
    from jianfu.accounts import totp
    from jianfu.core.masking import mask_phone

    return totp.provisioning_uri(secret, account=mask_phone(user.phone), issuer=TOTP_ISSUER)


def totp_pending_setup(user: Any) -> tuple[str, str] | None:
    """The secret being set up (shown again when the first code was mistyped) and its otpauth URI."""
    from jianfu.accounts.models import TotpDevice

    device = TotpDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=True).first()
    if device is None:
        return None
    return device.secret, totp_uri(user, device.secret)
