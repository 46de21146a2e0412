"""What a signed-in user's roles give them: navigation and the home dashboard."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
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

    # One read for both "布置作业" and "录入等级" below.
    taught_grades = set(
        TeachingAssignment.objects.filter(teacher__user=user).values_list("school_class__grade_id", flat=True)
    )
    if taught_grades:
        items.append({"label": "布置作业", "url": reverse("homework:post")})
    for m in memberships_for_user(user):
        if m.role == Role.HEAD_TEACHER and m.school_class_id:
            items.append(
                {"label": "本班作业", "url": reverse("homework:class-week", args=[m.school_class_id])}
            )
    from jianfu.homework.selectors import homework_navigation

    items += homework_navigation(user, roles, teaches=bool(taught_grades))
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
    from jianfu.afterschool.days.selectors import days_navigation

    items += days_navigation(user, roles)
    if taught_grades:
        # One entry, however many exams: the list behind it shows only those the user can enter.
        items.append({"label": "录入等级", "url": reverse("exams:levels")})
    if Role.BUREAU_STAFF in roles:
        items.append({"label": "两步验证重置", "url": reverse("accounts:two-step-resets")})
    if user.is_staff or roles - {Role.PARENT}:
        items.append({"label": "账号安全", "url": reverse("accounts:security")})
    return items


def dashboard_for_user(user: Any) -> dict[str, Any]:
    ms = memberships_for_user(user)
    return {
        "memberships": ms,
        "roles": sorted({m.get_role_display() for m in ms}),
    }


def session_passed_two_step(session: Any) -> bool:
    """Whether this session gave a code from the authenticator app (sign-in's second step or the
    setup's confirmation) — not merely that the account has one (security.md H1)."""
    from jianfu.accounts.middleware import PASSED, TWO_STEP

    return bool(session.get(TWO_STEP) == PASSED)


def demo_two_step_secret(phone: str) -> str | None:
    """The account's two-step secret if it is the published demo one (jianfu demo-code), else None."""
    from jianfu.accounts.models import TotpDevice
    from jianfu.accounts.phones import normalize_phone
    from jianfu.accounts.totp import DEMO_SECRET

    normalized = normalize_phone(phone)
    if normalized is None:
        return None
    found = TotpDevice.objects.filter(
        user__phone=normalized, secret=DEMO_SECRET, confirmed_at__isnull=False
    ).exists()
    return DEMO_SECRET if found else None


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


# Roles whose two-step sign-in a bureau may reset from the web: school- and class-level staff.
# Region-level accounts (bureau staff, inspectors, complaint custodians) and site administrators are
# reset only by the site's operator (`jianfu totp-reset`): a bureau member able to strip a custodian's
# second factor would weaken what protects complainants (docs/decisions/0019-two-step-reset-by-bureau.md).
RESETTABLE_STAFF_ROLES = frozenset(
    {Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS, Role.SUBJECT_TEACHER, Role.HEAD_TEACHER}
)


def is_bureau_staff(user: Any) -> bool:
    """Who may use the two-step reset page and endpoints (anyone else: "not found")."""
    from jianfu.schools.selectors import roles_of

    return Role.BUREAU_STAFF in roles_of(user)


def schools_of_bureau(actor: Any) -> list[Any]:
    """The schools a bureau member's region covers, for the filter on the reset page."""
    from jianfu.schools.selectors import schools_for_actor

    return list(schools_for_actor(actor, roles=(Role.BUREAU_STAFF,)).order_by("name"))


def two_step_accounts_for_bureau(
    actor: Any, *, school_id: int | None = None, schools_in_reach: list[Any] | None = None
) -> list[dict[str, Any]]:
    """Staff accounts of the actor's schools (bureau staff: their region and below) that sign in with
    two-step sign-in and whose reset the actor may make: every staff role the account holds lies in
    those schools. Names in full (the bureau knows its staff), phones masked. Two queries, one when
    the caller passes schools_of_bureau(actor) it has read already."""
    from jianfu.accounts.models import Membership
    from jianfu.core.masking import mask_phone

    schools = {
        s.pk: s for s in (schools_in_reach if schools_in_reach is not None else schools_of_bureau(actor))
    }
    if not schools:
        return []
    staff = (
        Membership.objects.filter(user__totp_device__confirmed_at__isnull=False, user__is_active=True)
        .exclude(role=Role.PARENT)
        .exclude(user_id=actor.pk)
        .filter(
            user__in=Membership.objects.filter(
                Q(school_id__in=schools) | Q(school_class__school_id__in=schools)
            ).values("user_id")
        )
        .select_related("user", "school_class__grade", "user__totp_device")
        .order_by("user__name", "user_id", "role")
    )
    by_user: dict[int, dict[str, Any]] = {}
    refused: set[int] = set()
    for m in staff:
        school_of = m.school_id or (m.school_class.school_id if m.school_class else None)
        if m.role not in RESETTABLE_STAFF_ROLES or school_of not in schools or m.user.is_staff:
            refused.add(m.user_id)
            continue
        row = by_user.setdefault(
            m.user_id,
            {
                "user_id": m.user_id,
                "name": m.user.name,
                "phone_masked": mask_phone(m.user.phone),
                "enabled_at": m.user.totp_device.confirmed_at,
                "roles": [],
                "school_ids": set(),
            },
        )
        label = m.get_role_display()
        if m.school_class is not None:
            label += f"（{m.school_class}）"
        row["roles"].append(label)
        row["school_ids"].add(school_of)
    out = []
    for user_id, row in by_user.items():
        if user_id in refused or (school_id is not None and school_id not in row["school_ids"]):
            continue
        row["schools"] = sorted(schools[s].name for s in row.pop("school_ids"))
        out.append(row)
    return out
