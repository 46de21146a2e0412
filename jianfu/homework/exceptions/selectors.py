"""The week's exceptions of a school, for the academic office and the principal."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from jianfu.homework.models import (
    CapException,
    HomeworkItem,
    HomeworkNotice,
    Status,
)


def exceptions_for_school_week(school_ids: list[int], monday: date) -> dict[str, Any]:
    """Every exception of the week in the schools: waiting, approved (by whom, in which role, why),
    turned down; and the in-app notices to the academic office."""

    sunday = monday + timedelta(days=6)
    requested = list(
        HomeworkItem.objects.filter(school_id__in=school_ids, date_set__range=(monday, sunday))
        .exclude(request_reason="")
        .select_related("school_class__grade", "teacher", "exception__approved_by")
        .order_by("date_set", "school_class__grade__number", "school_class__number", "pk")
    )
    approved = list(
        CapException.objects.filter(school_class__school_id__in=school_ids, date__range=(monday, sunday))
        .select_related("school_class__grade", "approved_by")
        .order_by("date", "pk")
    )
    notices = list(
        HomeworkNotice.objects.filter(
            school_id__in=school_ids, created_at__date__gte=monday - timedelta(days=7)
        )
        .select_related("item")
        .order_by("-created_at", "-pk")[:100]
    )
    return {
        "pending": [i for i in requested if i.status == Status.PENDING],
        "requested": requested,
        "approved": approved,
        "notices": notices,
        "unread": sum(1 for n in notices if n.read_at is None),
    }


def unread_exception_notices(school_ids: list[int]) -> int:

    return HomeworkNotice.objects.filter(school_id__in=school_ids, read_at__isnull=True).count()


def pending_exceptions_count(school_ids: list[int], monday: date) -> int:
    """Requests for an exception in the schools' week still waiting for a decision. One query."""
    return (
        HomeworkItem.objects.filter(
            school_id__in=school_ids,
            date_set__range=(monday, monday + timedelta(days=6)),
            status=Status.PENDING,
        )
        .exclude(request_reason="")
        .count()
    )
