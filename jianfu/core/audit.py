from __future__ import annotations

from typing import Any

from jianfu.core.models import AuditEvent


def audit(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    region_code: str = "",
    school_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record an audit event. Call inside the service's transaction so both commit or neither."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or ""),
        region_code=region_code,
        school_id=school_id,
        data=data or {},
    )
