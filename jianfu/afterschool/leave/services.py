"""Families report leave (请假) for a child, and withdraw it before the day (decision 0052).

A leave covers one day or a period inside the programme's term, from today on, and must include at
least one day the child has after-school service. Reporting the same days again returns the same
leave (a double tap or a retry never makes a second row); a leave overlapping another one is
refused, so the family withdraws or changes one leave rather than stacking several. The reason is
optional and is never written to the audit log (it may be about the child's health).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.attendance.selectors import service_days
from jianfu.afterschool.days.errors import DaysError
from jianfu.afterschool.leave.models import LeaveRequest
from jianfu.afterschool.leave.selectors import leave_get
from jianfu.afterschool.models import Programme, ProgrammeStatus
from jianfu.afterschool.permissions import can_manage_programme
from jianfu.afterschool.pickup.selectors import participating_weekdays
from jianfu.afterschool.selectors import children_of_parent
from jianfu.core.audit import audit
from jianfu.core.errors import NotFound
from jianfu.schools.models import Student

REASON_MAX = 200


def _programme_and_child(actor: Any, programme_id: int, student_id: int) -> Programme:
    """The running programme a leave is about; the actor is the child's guardian or the school's
    office (a family that telephones). Anyone else, or another school's child: not found."""
    programme = Programme.objects.select_related("term").filter(pk=programme_id).first()
    student = Student.objects.filter(pk=student_id, is_active=True).only("pk", "school_id").first()
    if programme is None or student is None or student.school_id != programme.school_id:
        raise NotFound(_("学生或课后服务方案"))
    if not (
        children_of_parent(actor).filter(pk=student.pk).exists() or can_manage_programme(actor, programme)
    ):
        raise NotFound(_("学生或课后服务方案"))
    if programme.status != ProgrammeStatus.PUBLISHED:
        raise DaysError(
            DaysError.PROGRAMME_NOT_RUNNING,
            _("课后服务方案未在进行中（尚未公布或已结束）"),
            field="programme_id",
        )
    return programme


def _check_span(programme: Programme, student_id: int, start: date, end: date, today: date) -> None:
    if end < start:
        raise DaysError(DaysError.LEAVE_INVALID, _("结束日期：不能早于开始日期"), field="end_date")
    if start < today:
        raise DaysError(
            DaysError.LEAVE_INVALID,
            _("开始日期：只能为今天或以后的日子请假"),
            field="start_date",
        )
    term = programme.term
    if end > term.end_date:
        raise DaysError(
            DaysError.LEAVE_INVALID,
            _("结束日期：本学期课后服务到%(end)s结束，请假不能超过这一天"),
            params={"end": term.end_date.isoformat()},
            field="end_date",
        )
    weekdays = participating_weekdays(programme, student_id)
    if not any(d.isoweekday() in weekdays for d in service_days(programme, start=start, until=end)):
        raise DaysError(
            DaysError.LEAVE_INVALID,
            _("开始日期：%(start)s至%(end)s孩子没有课后服务，无需请假"),
            params={"start": start.isoformat(), "end": end.isoformat()},
            field="start_date",
        )


@transaction.atomic
def leave_report(
    *,
    actor: Any,
    programme_id: int,
    student_id: int,
    start: date,
    end: date | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> LeaveRequest:
    """Report leave for the child from `start` to `end` (one day when `end` is empty). The same days
    reported again return the leave already there."""
    today = timezone.localtime(now or timezone.now()).date()
    programme = _programme_and_child(actor, programme_id, student_id)
    end = end or start
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise DaysError(
            DaysError.LEAVE_INVALID,
            _("请假原因：最多%(n)s个字"),
            params={"n": REASON_MAX},
            field="reason",
        )
    _check_span(programme, student_id, start, end, today)
    active = LeaveRequest.objects.select_for_update().filter(
        student_id=student_id, withdrawn_at__isnull=True, start_date__lte=end, end_date__gte=start
    )
    same = next((x for x in active if x.start_date == start and x.end_date == end), None)
    if same is not None:
        return same
    clash = active.order_by("start_date").first()
    if clash is not None:
        raise DaysError(
            DaysError.LEAVE_INVALID,
            _("开始日期：%(start)s至%(end)s已经请过假；如要改日期，请先撤销那次请假"),
            params={"start": clash.start_date.isoformat(), "end": clash.end_date.isoformat()},
            field="start_date",
        )
    try:
        with transaction.atomic():
            leave = LeaveRequest.objects.create(
                programme=programme,
                student_id=student_id,
                start_date=start,
                end_date=end,
                reason=reason,
                requested_by=actor,
            )
    except IntegrityError:
        # A concurrent identical report made it first: that one is the answer.
        return LeaveRequest.objects.get(
            student_id=student_id, start_date=start, end_date=end, withdrawn_at__isnull=True
        )
    audit(
        actor=actor,
        action="afterschool_leave_reported",
        obj=leave,
        school_id=programme.school_id,
        data={"student_id": student_id, "from": start.isoformat(), "to": end.isoformat()},
    )
    return leave


@transaction.atomic
def leave_withdraw(*, actor: Any, leave_id: int, now: datetime | None = None) -> LeaveRequest:
    """Withdraw a leave before its day: a leave not yet begun is withdrawn whole; a period already
    under way keeps the days up to today and loses the rest; a leave that ends today or earlier can
    no longer be withdrawn (the day's attendance is the teacher's to correct). Repeating is harmless."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    leave = leave_get(leave_id)
    if leave is None or not (
        children_of_parent(actor).filter(pk=leave.student_id).exists()
        or can_manage_programme(actor, leave.programme)
    ):
        raise NotFound(_("请假"))
    if leave.withdrawn_at is not None:
        return leave
    if leave.start_date > today:
        leave.withdrawn_at = now
        leave.save(update_fields=["withdrawn_at"])
        change = "withdrawn"
    elif leave.end_date > today:
        leave.end_date = today
        leave.save(update_fields=["end_date"])
        change = "shortened"
    else:
        raise DaysError(
            DaysError.LEAVE_INVALID,
            _("请假：当天及以前的请假不能撤销，如孩子已到校请告诉老师"),
            field="leave_id",
        )
    audit(
        actor=actor,
        action="afterschool_leave_withdrawn",
        obj=leave,
        school_id=leave.programme.school_id,
        data={"student_id": leave.student_id, "change": change, "to": leave.end_date.isoformat()},
    )
    return leave
