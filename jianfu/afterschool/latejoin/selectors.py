"""Reads of late join requests: the office's queue, and a family's own."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from jianfu.afterschool.latejoin.models import LateJoinRequest, LateJoinStatus


def late_joins_for_programme(programme_id: int, *, pending_only: bool = False) -> QuerySet[LateJoinRequest]:
    """The programme's requests, oldest first (the office decides in the order they came)."""
    qs = LateJoinRequest.objects.filter(programme_id=programme_id).select_related(
        "student__school_class__grade", "course"
    )
    if pending_only:
        qs = qs.filter(status=LateJoinStatus.PENDING)
    return qs.order_by("created_at", "pk")


def late_joins_of(student_ids: Iterable[int]) -> dict[tuple[int, int], LateJoinRequest]:
    """Each child's latest request per programme, keyed by (programme id, child id) (one query)."""
    out: dict[tuple[int, int], LateJoinRequest] = {}
    for r in (
        LateJoinRequest.objects.filter(student_id__in=list(student_ids))
        .select_related("course")
        .order_by("created_at", "pk")
    ):
        out[(r.programme_id, r.student_id)] = r
    return out
