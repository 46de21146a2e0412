"""Calibration: how long a teacher's homework really takes, from families' reports.

For a teacher × subject × grade: on each recent class-day where at least MIN_REPORTS families gave a
per-subject time, the day's ratio is median(reported minutes for the subject) / the teacher's
estimate for that subject that day. The factor is the median of those ratios over at least MIN_DAYS
days — medians, so one family's typo or one odd day does not move it. Only sealed class-days count
(their report window closed; decision 0035).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from jianfu.feedback.rules import median

MIN_REPORTS = 5
MIN_DAYS = 3
WINDOW_DAYS = 42


def calibration_factor(*, teacher: Any, subject: str, grade: int, school_id: int) -> float | None:
    from jianfu.feedback.selectors import sealed_subject_minutes
    from jianfu.homework.models import HomeworkItem, Status

    since = timezone.localdate() - timedelta(days=WINDOW_DAYS)
    estimates: dict[tuple[int, Any], int] = {}
    for class_id, day, minutes in HomeworkItem.objects.filter(
        teacher=teacher,
        subject=subject,
        school_id=school_id,
        school_class__grade__number=grade,
        status=Status.ACTIVE,
        date_set__gte=since,
    ).values_list("school_class_id", "date_set", "minutes"):
        estimates[(class_id, day)] = estimates.get((class_id, day), 0) + minutes
    if len(estimates) < MIN_DAYS:
        return None
    reported: dict[tuple[int, Any], list[int]] = {}
    class_ids = {c for c, _ in estimates}
    # Sealed days only: while a day is open its reports would move the factor one family at a time
    # (decision 0035).
    for class_id, day, by_subject in sealed_subject_minutes(class_ids, since):
        if (class_id, day) in estimates and subject in (by_subject or {}):
            reported.setdefault((class_id, day), []).append(int(by_subject[subject]))
    ratios = [
        (median(values) or 0) / estimates[key]
        for key, values in reported.items()
        if len(values) >= MIN_REPORTS and estimates[key] > 0
    ]
    if len(ratios) < MIN_DAYS:
        return None
    return median(ratios)
