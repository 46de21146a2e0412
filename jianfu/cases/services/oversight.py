"""Oversight: the district reviews abusive-report closures, and the daily job moves overdue
school-level complaints to the district."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.cases.models import Complaint, Level, Status
from jianfu.cases.permissions import can_escalate_overdue, can_review_closure
from jianfu.cases.services.common import filer_notify
from jianfu.core.audit import audit
from jianfu.core.errors import NotFound, PermissionDenied
from jianfu.notifications.services import notify
from jianfu.schools.access import SCHOOL_LEADERS, holders


@transaction.atomic
def closure_review(*, actor: Any, complaint_id: int, uphold: bool) -> Complaint:
    """District bureau staff review a closure: uphold it, or reopen the complaint at district level."""
    complaint = (
        Complaint.objects.select_related("school__region")
        .filter(pk=complaint_id, closed_as_abusive=True)
        .first()
    )
    if complaint is None or not can_review_closure(actor, complaint):
        raise NotFound(_("举报"))
    complaint.closure_reviewed = True
    if not uphold:
        complaint.closed_as_abusive = False
        complaint.status = Status.ACKNOWLEDGED
        complaint.level = Level.DISTRICT
        complaint.assignee = None  # the district assigns it afresh among its own staff
    complaint.save(update_fields=["closure_reviewed", "closed_as_abusive", "status", "level", "assignee"])
    audit(
        actor=actor,
        action="complaint_closure_reviewed",
        obj=complaint,
        school_id=complaint.school_id,
        data={"uphold": uphold},
    )
    return complaint


@transaction.atomic
def complaints_escalate_overdue(*, actor: Any, today: date | None = None) -> int:
    """Move school-level complaints past a deadline to the district. Run daily by the periodic job
    (jianfu.cases.tasks, as jianfu.core.actors.PERIODIC) or by hand (the CLI command, as CLI)."""
    if not can_escalate_overdue(actor):
        raise PermissionDenied(_("只有每日任务可以上报逾期举报"))
    day = today or timezone.localdate()
    overdue = (
        Complaint.objects.filter(level=Level.SCHOOL)
        .exclude(status__in=[Status.ANSWERED, Status.CLOSED])
        .filter(Q(status=Status.NEW, acknowledge_due__lt=day) | Q(answer_due__lt=day))
    )
    count = 0
    for complaint in overdue.select_for_update():
        complaint.level = Level.DISTRICT
        complaint.escalated_on = day
        # School staff no longer handle it: the district assigns it among its own staff.
        complaint.assignee = None
        complaint.save(update_fields=["level", "escalated_on", "assignee"])
        audit(
            actor=actor,
            action="complaint_escalated",
            obj=complaint,
            school_id=complaint.school_id,
            data={"on": day.isoformat()},
        )
        filer_notify(complaint, "complaint_escalated")
        count += 1
    return count


def complaints_deadline_remind(*, today: date | None = None) -> int:
    """The 07:30 job: tell who handles each school-level complaint due to be answered today or
    tomorrow and not answered yet — its assignee, else the school's principal and 教导处 — how many
    and by when. A count and a day only: nothing about the complaint or who filed it. Returns the
    people told (once a day each, whatever the number of runs)."""
    day = today or timezone.localdate()
    due = (
        Complaint.objects.filter(
            level=Level.SCHOOL, answer_due__gte=day, answer_due__lte=day + timedelta(days=1)
        )
        .exclude(status__in=[Status.ANSWERED, Status.CLOSED])
        .select_related("school", "assignee")
    )
    per_person: dict[int, tuple[Any, int, date]] = {}
    for complaint in due:
        answer_due = complaint.answer_due or day  # the filter above leaves no complaint without one
        people = (
            [complaint.assignee]
            if complaint.assignee
            else [m.user for m in holders(SCHOOL_LEADERS, over=complaint.school)]
        )
        for person in people:
            _user, n, first = per_person.get(person.pk, (person, 0, answer_due))
            per_person[person.pk] = (person, n + 1, min(first, answer_due))
    for person, n, first in per_person.values():
        notify(
            [person],
            "complaint_deadline",
            {"count": n, "day": first.isoformat()},
            key=f"complaint_deadline:{day.isoformat()}",
            link_url=reverse("cases:list"),
        )
    return len(per_person)
