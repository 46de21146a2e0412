"""The accounts whose two-step sign-in a bureau member may reset, and the schools to filter them by."""

from __future__ import annotations

from typing import Any

from jianfu.accounts.models import Role
from jianfu.core.masking import mask_phone
from jianfu.schools.access import schools_for_actor, staff_memberships_of_schools

# Roles whose two-step sign-in a bureau may reset from the web: school- and class-level staff.
# Region-level accounts (bureau staff, inspectors, complaint custodians) and site administrators are
# reset only by the site's operator (`jianfu totp-reset`): a bureau member able to strip a custodian's
# second factor would weaken what protects complainants (docs/decisions/0019-two-step-reset-by-bureau.md).
RESETTABLE_STAFF_ROLES = frozenset(
    {Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS, Role.SUBJECT_TEACHER, Role.HEAD_TEACHER}
)


def schools_of_bureau(actor: Any) -> list[Any]:
    """The schools a bureau member's region covers, for the filter on the reset page."""
    return list(schools_for_actor(actor, roles=(Role.BUREAU_STAFF,)).order_by("name"))


def two_step_accounts_for_bureau(
    actor: Any, *, school_id: int | None = None, schools_in_reach: list[Any] | None = None
) -> list[dict[str, Any]]:
    """Staff accounts of the actor's schools (bureau staff: their region and below) that sign in with
    two-step sign-in and whose reset the actor may make: every staff role the account holds lies in
    those schools. Names in full (the bureau knows its staff), phones masked. Two queries, one when
    the caller passes schools_of_bureau(actor) it has read already."""
    schools = {
        s.pk: s for s in (schools_in_reach if schools_in_reach is not None else schools_of_bureau(actor))
    }
    if not schools:
        return []
    staff = (
        staff_memberships_of_schools(schools)
        .filter(user__totp_device__confirmed_at__isnull=False)
        .exclude(user_id=actor.pk)
        .select_related("user__totp_device")
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
