"""What a teacher teaches (the post form's choices) and what they posted."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from jianfu.homework.models import (
    HomeworkItem,
    Status,
)
from jianfu.homework.selectors import SUBJECT_LABELS
from jianfu.schools.models import (
    TeachingAssignment,
)


def teaching_for(actor: Any) -> list[dict[str, Any]]:
    """The (class, subject) pairs the actor teaches: what the post form offers."""
    rows = (
        TeachingAssignment.objects.filter(teacher__user=actor)
        .select_related("school_class__grade", "school_class__school")
        .order_by("school_class__grade__number", "school_class__number")
    )
    return [
        {
            "class": a.school_class,
            "subject": a.subject,
            "subject_label": SUBJECT_LABELS.get(a.subject, a.subject),
        }
        for a in rows
    ]


def homework_list_for_teacher(actor: Any, today: date, *, recent_days: int = 14) -> dict[str, Any]:
    """What the teacher posted: upcoming (today and later, still correctable) and recent (read only)."""
    rows = list(
        HomeworkItem.objects.filter(teacher=actor, date_set__gte=today - timedelta(days=recent_days))
        .select_related("school_class__grade")
        .order_by("-date_set", "school_class__grade__number", "school_class__number", "pk")
    )
    return {
        "upcoming": [i for i in rows if i.date_set >= today],
        "recent": [i for i in rows if i.date_set < today],
    }


def own_item_for_edit(actor: Any, item_id: int) -> HomeworkItem | None:
    """The actor's own item, not withdrawn (anyone else's: None, answered as not found)."""
    return (
        HomeworkItem.objects.select_related("school_class__grade", "school_class__school")
        .filter(pk=item_id, teacher=actor)
        .exclude(status=Status.WITHDRAWN)
        .first()
    )
