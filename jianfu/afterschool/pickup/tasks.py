"""The deferred check for children not collected at their pickup time (pickup/services.py, uncollected_check)."""

from __future__ import annotations

from datetime import date

from django_tasks import task


@task()
def uncollected_check_task(programme_id: int, on: str) -> int:
    from jianfu.afterschool.pickup.services import uncollected_check

    return uncollected_check(programme_id=programme_id, on=date.fromisoformat(on))
