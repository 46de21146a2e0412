from __future__ import annotations

from typing import Any

from django.utils import timezone

from jianfu.core import hotpath
from jianfu.core.actors import is_system
from jianfu.core.models import AuditEvent

_FIELDS = ("created_at", "actor", "action", "object_type", "object_id", "region_code", "school_id", "data")
# Written on every change, the evening's reports included: one plain INSERT (jianfu.core.hotpath).
_INSERT = hotpath.insert_sql(AuditEvent, _FIELDS)


def audit(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    region_code: str = "",
    school_id: int | None = None,
    data: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    at: Any = None,
) -> None:
    """Record an audit event. Call inside the service's transaction so both commit or neither.

    A system actor (jianfu.core.actors) has no account row: its name goes into the data instead.
    A hot path without the object's instance at hand names it (`object_type`, `object_id`) and passes
    the time it already has (`at`, adapted or not), so the audit row is written with no extra work
    inside its transaction."""
    if is_system(actor):
        data = {**(data or {}), "system": actor.name}
    hotpath.execute(
        _INSERT,
        [
            at if at is not None else timezone.now(),
            actor.pk if getattr(actor, "pk", None) else None,
            action,
            type(obj).__name__ if obj is not None else object_type,
            str(getattr(obj, "pk", "") or "") if obj is not None else object_id,
            region_code,
            school_id,
            data or {},
        ],
    )
