"""The daily complaint job, as settings.JIANFU_PERIODIC_JOBS calls it (no arguments)."""

from __future__ import annotations

from jianfu.cases.services import complaints_escalate_overdue
from jianfu.core.actors import PERIODIC


def complaints_escalate_daily() -> int:
    """At 00:10 the school-level complaints past a deadline go to the district, as the periodic job
    (audited by that name, decision 0037)."""
    return complaints_escalate_overdue(actor=PERIODIC)
