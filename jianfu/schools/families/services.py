"""The roster's guardians, as parent activation (jianfu.accounts.services) sees them.

Registered with accounts when the app is ready (jianfu.schools.apps): accounts sits below schools and
may not import it, so it asks through this directory (decision 0039)."""

from __future__ import annotations

from jianfu.accounts.models import Role, User
from jianfu.schools.access import grant
from jianfu.schools.models import Guardian


class RosterGuardians:
    def guardian_name(self, phone: str) -> str | None:
        guardian = Guardian.objects.filter(phone=phone).only("name").first()
        return None if guardian is None else guardian.name

    def link_children(self, user: User, phone: str) -> int:
        guardians = list(Guardian.objects.filter(phone=phone).select_related("student__school_class"))
        for guardian in guardians:
            if guardian.user_id != user.pk:
                guardian.user = user
                guardian.save(update_fields=["user"])
            grant(user, Role.PARENT, at=guardian.student.school_class)
        return len(guardians)
