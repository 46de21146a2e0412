"""Reads of the other pickup persons families named (代接人): who may collect a child on a day, and a
family's own. Only models are read here, so the pickup selectors can use it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from jianfu.afterschool.collectors.models import PickupPerson


def persons_on(
    programme_id: int, on: date, student_ids: Iterable[int] | None = None
) -> dict[int, list[PickupPerson]]:
    """The active pickup persons covering `on`, by child (one query)."""
    qs = PickupPerson.objects.filter(
        programme_id=programme_id, start_date__lte=on, end_date__gte=on, withdrawn_at__isnull=True
    )
    if student_ids is not None:
        qs = qs.filter(student_id__in=list(student_ids))
    out: dict[int, list[PickupPerson]] = defaultdict(list)
    for p in qs.order_by("pk"):
        out[p.student_id].append(p)
    return out


def persons_ahead(student_ids: Iterable[int], today: date) -> dict[int, list[PickupPerson]]:
    """Each child's active pickup persons that have not ended before `today` (one query)."""
    out: dict[int, list[PickupPerson]] = defaultdict(list)
    for p in PickupPerson.objects.filter(
        student_id__in=list(student_ids), end_date__gte=today, withdrawn_at__isnull=True
    ).order_by("start_date", "pk"):
        out[p.student_id].append(p)
    return out


def person_get(person_id: int) -> PickupPerson | None:
    return PickupPerson.objects.select_related("programme").filter(pk=person_id).first()
