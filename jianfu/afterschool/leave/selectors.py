"""Reads of families' leave (请假): who is on leave on a day, and a family's own leaves.

Only models are read here, so attendance and pickup selectors can ask "who is on leave today"
without importing each other (decision 0052).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from jianfu.afterschool.leave.models import LeaveRequest


def leaves_on(
    programme_id: int, on: date, student_ids: Iterable[int] | None = None
) -> dict[int, LeaveRequest]:
    """The active leaves covering `on`, by child (one query)."""
    qs = LeaveRequest.objects.filter(
        programme_id=programme_id, start_date__lte=on, end_date__gte=on, withdrawn_at__isnull=True
    )
    if student_ids is not None:
        qs = qs.filter(student_id__in=list(student_ids))
    return {leave.student_id: leave for leave in qs.order_by("start_date", "pk")}


def leave_of(programme_id: int, student_id: int, on: date) -> LeaveRequest | None:
    """The child's active leave covering `on`, if any."""
    return leaves_on(programme_id, on, [student_id]).get(student_id)


def leaves_ahead(student_ids: Iterable[int], today: date) -> dict[int, list[LeaveRequest]]:
    """Each child's active leaves that have not ended before `today`, earliest first (one query)."""
    out: dict[int, list[LeaveRequest]] = defaultdict(list)
    for leave in LeaveRequest.objects.filter(
        student_id__in=list(student_ids), end_date__gte=today, withdrawn_at__isnull=True
    ).order_by("start_date", "pk"):
        out[leave.student_id].append(leave)
    return out


def leave_get(leave_id: int) -> LeaveRequest | None:
    return LeaveRequest.objects.select_related("programme__term", "student").filter(pk=leave_id).first()
