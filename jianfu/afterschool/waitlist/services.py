"""Waiting lists after the allocation: when a place frees (a family or the office withdraws a child),
it goes to the first on that course's waiting list who still prefers it
(`allocation.promote_from_waitlist`), and the chain continues for the place the promoted child left.

Capacity is never exceeded, also under concurrent withdrawals: every change here first locks all
the programme's course rows (in primary-key order, so two chains cannot deadlock) and only then
reads who holds which place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.allocation import rules as allocation
from jianfu.afterschool.allocation.selectors import run_latest
from jianfu.afterschool.courses.services import MAX_CAPACITY
from jianfu.afterschool.models import (
    Application,
    ApplicationChoice,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    NoticeKind,
    Programme,
    ProgrammeStatus,
)
from jianfu.afterschool.notices.services import Notice, Say, course_line, notify
from jianfu.afterschool.permissions import can_manage_programme
from jianfu.afterschool.programme.services import ProgrammeError, office_programme, require_status
from jianfu.afterschool.selectors import child_get_for_parent
from jianfu.core.audit import audit
from jianfu.core.errors import NotFound
from jianfu.schools.models import Student


def lock_courses(programme: Programme) -> dict[int, Course]:
    return {c.pk: c for c in Course.objects.select_for_update().filter(programme=programme).order_by("pk")}


def renumber(course_ids: set[int]) -> None:
    """Waiting-list positions 1, 2, 3… again after someone left a list (order kept)."""
    for course_id in course_ids:
        rows = Enrolment.objects.filter(course_id=course_id, status=EnrolmentStatus.WAITLISTED).order_by(
            "waitlist_position", "pk"
        )
        for position, e in enumerate(rows, start=1):
            if e.waitlist_position != position:
                e.waitlist_position = position
                e.save(update_fields=["waitlist_position", "updated_at"])


@dataclass
class _State:
    """The programme's places as the pure allocation sees them, read after the course rows are locked."""

    alloc: allocation.Allocation
    applicants: list[allocation.Applicant]
    rows: dict[tuple[int, int], Enrolment]  # (course, student) → its placed or waiting row


def _state(programme: Programme, seed: int) -> _State:
    rows = {
        (e.course_id, e.student_id): e
        for e in programme.enrolments.filter(status__in=[EnrolmentStatus.PLACED, EnrolmentStatus.WAITLISTED])
    }
    assigned: dict[int, int | None] = {}
    rank_got: dict[int, int | None] = {}
    waitlists: dict[int, list[int]] = {}
    for e in sorted(rows.values(), key=lambda e: (e.waitlist_position or 0, e.pk)):
        if e.status == EnrolmentStatus.PLACED:
            assigned[e.student_id], rank_got[e.student_id] = e.course_id, e.rank
        else:
            waitlists.setdefault(e.course_id, []).append(e.student_id)
    choices: dict[int, list[tuple[int, int]]] = {}
    for app_student, course_id, rank in Application.objects.filter(
        programme=programme, withdrawn_at__isnull=True
    ).values_list("student_id", "choices__course_id", "choices__rank"):
        if course_id is not None:
            choices.setdefault(app_student, []).append((rank, course_id))
    applicants = [
        allocation.Applicant(student_id, 0, tuple(c for _, c in sorted(ranked)))
        for student_id, ranked in choices.items()
    ]
    # Only children who still rank the course can wait for it (a list entry without a ranking would
    # be a leftover of a withdrawal).
    for course_id, queue in waitlists.items():
        waitlists[course_id] = [s for s in queue if course_id in {c for _, c in choices.get(s, [])}]
    return _State(allocation.Allocation(seed, [], assigned, rank_got, waitlists), applicants, rows)


def fill_places(programme: Programme, course_ids: list[int], courses: dict[int, Course]) -> list[Notice]:
    """Give every free place of these courses to the waiting lists, following the chain of places
    the promoted children leave. The caller holds the course locks. Returns the families' notices."""
    run = run_latest(programme)
    state = _state(programme, run.seed if run else 0)
    placed_count: dict[int, int] = {}
    for course_id in state.alloc.assigned.values():
        if course_id is not None:
            placed_count[course_id] = placed_count.get(course_id, 0) + 1
    notices: list[Notice] = []
    touched: set[int] = set()
    queue = list(course_ids)
    while queue:
        course_id = queue.pop(0)
        course = courses.get(course_id)
        if course is None or course.status != CourseStatus.OPEN:
            continue
        touched.add(course_id)
        while placed_count.get(course_id, 0) < course.capacity:
            waiting_before = list(state.alloc.waitlists.get(course_id, []))
            previous = dict(state.alloc.assigned)
            promoted = allocation.promote_from_waitlist(state.alloc, state.applicants, course_id)
            # Those passed over no longer prefer this course to what they hold: they leave its list.
            passed = (
                waiting_before[: waiting_before.index(promoted)] if promoted is not None else waiting_before
            )
            for student_id in passed:
                state.rows.pop((course_id, student_id)).delete()
            if promoted is None:
                break
            row = state.rows[(course_id, promoted)]
            row.status, row.source, row.waitlist_position = (
                EnrolmentStatus.PLACED,
                EnrolmentSource.PROMOTION,
                None,
            )
            row.save(update_fields=["status", "source", "waitlist_position", "updated_at"])
            placed_count[course_id] = placed_count.get(course_id, 0) + 1
            left = previous.get(promoted)
            if left is not None:
                state.rows.pop((left, promoted)).delete()
                placed_count[left] -= 1
                queue.append(left)
            # Having got this course, the child no longer waits for ones they ranked lower.
            for (other, student_id), e in list(state.rows.items()):
                if (
                    student_id == promoted
                    and e.status == EnrolmentStatus.WAITLISTED
                    and (e.rank or 0) > (row.rank or 0)
                ):
                    state.rows.pop((other, student_id)).delete()
                    state.alloc.waitlists[other].remove(student_id)
                    touched.add(other)
            say = Say(_("%(name)s已从候补递补为%(course)s。"), course=course_line(course))
            if left is not None:
                say += Say(_("原课程“%(course)s”的名额已让给候补的同学。"), course=courses[left].name)
            notices.append(Notice(row.student, NoticeKind.PROMOTED, say))
    renumber(touched)
    return notices


def _child(actor: Any, programme: Programme, student_id: int) -> Student:
    """The child, if the actor is their guardian or runs the programme; else NotFound."""
    if can_manage_programme(actor, programme):
        student = Student.objects.filter(pk=student_id, school_id=programme.school_id).first()
        if student is None:
            raise NotFound(_("学生"))
        return student
    student = child_get_for_parent(actor, student_id)
    if student.school_id != programme.school_id or programme.status == ProgrammeStatus.DRAFT:
        raise NotFound(_("课后服务方案"))
    return student


def _programme(actor: Any, programme_id: int) -> Programme:
    programme = (
        Programme.objects.select_for_update()
        .select_related("school__region", "term")
        .filter(pk=programme_id)
        .first()
    )
    if programme is None:
        raise NotFound(_("课后服务方案"))
    return programme


def _leave_courses(actor: Any, programme: Programme, student: Student, action: str) -> Course | None:
    courses = lock_courses(programme)
    require_status(programme, ProgrammeStatus.ALLOCATED, ProgrammeStatus.PUBLISHED, action=_("退出课程"))
    placed = programme.enrolments.filter(student=student, status=EnrolmentStatus.PLACED).first()
    waiting = set(
        programme.enrolments.filter(student=student, status=EnrolmentStatus.WAITLISTED).values_list(
            "course_id", flat=True
        )
    )
    programme.enrolments.filter(student=student, status=EnrolmentStatus.WAITLISTED).delete()
    # The ranking is cleared so that a re-run before publication does not hand the place back.
    ApplicationChoice.objects.filter(application__programme=programme, application__student=student).delete()
    notices: list[Notice] = []
    left = None
    if placed is not None:
        placed.status, placed.waitlist_position = EnrolmentStatus.WITHDRAWN, None
        placed.save(update_fields=["status", "waitlist_position", "updated_at"])
        left = courses[placed.course_id]
        notices.append(
            Notice(student, NoticeKind.OTHER, Say(_("已为%(name)s退出“%(course)s”。"), course=left.name))
        )
        notices += fill_places(programme, [left.pk], courses)
    renumber(waiting)
    if programme.status == ProgrammeStatus.PUBLISHED:
        notify(programme, notices)
    audit(
        actor=actor,
        action=action,
        obj=programme,
        school_id=programme.school_id,
        data={
            "course": left.pk if left else None,
            "promoted": sum(1 for n in notices if n.kind == NoticeKind.PROMOTED),
        },
    )
    return left


@transaction.atomic
def course_withdraw(*, actor: Any, programme_id: int, student_id: int) -> Course | None:
    """A child leaves their course (family or school office) and its waiting lists; they keep the
    basic part. The place passes down the waiting list at once. Returns the course left, if any."""
    programme = _programme(actor, programme_id)
    student = _child(actor, programme, student_id)
    return _leave_courses(actor, programme, student, "afterschool_course_withdrawn")


@transaction.atomic
def participation_end(
    *, actor: Any, programme_id: int, student_id: int, now: datetime | None = None
) -> Application:
    """The family opts the child out of the service altogether after the allocation (always
    possible: voluntary). Their place, if any, passes down the waiting list."""
    programme = _programme(actor, programme_id)
    student = _child(actor, programme, student_id)
    app = Application.objects.select_for_update().filter(programme=programme, student=student).first()
    if app is None:
        raise NotFound(_("报名"))
    if programme.status == ProgrammeStatus.CLOSED:
        raise ProgrammeError(ProgrammeError.WRONG_STATUS, _("本期课后服务已结束"), status=409)
    _leave_courses(actor, programme, student, "afterschool_participation_ended")
    app.withdrawn_at = now or timezone.now()
    app.save(update_fields=["withdrawn_at", "updated_at"])
    return app


@transaction.atomic
def course_capacity_raise(*, actor: Any, programme_id: int, course_id: int, capacity: int) -> list[Notice]:
    """More places in a course after the allocation (a second teacher, a bigger room): the new places
    go down its waiting list at once, in the list's order, and each place a promoted child leaves goes
    down that course's list in turn (fill_places). Places are never taken away — a course with too many
    children is split by adding a course before the allocation, or merged and cancelled after it.
    Returns the families' notices (sent if the results are published)."""
    programme = office_programme(actor, programme_id, lock=True)
    require_status(programme, ProgrammeStatus.ALLOCATED, ProgrammeStatus.PUBLISHED, action=_("增加名额"))
    courses = lock_courses(programme)
    course = courses.get(course_id)
    if course is None:
        raise NotFound(_("课程"))
    if course.status != CourseStatus.OPEN:
        raise ProgrammeError(ProgrammeError.WRONG_STATUS, _("该课程已取消或合并"), status=409)
    if not course.capacity < capacity <= MAX_CAPACITY:
        raise ProgrammeError(
            ProgrammeError.INVALID,
            _("新的名额应多于现在的%(now)s个，最多%(max)s个（分配后名额只能增加）"),
            params={"now": course.capacity, "max": MAX_CAPACITY},
            field="capacity",
        )
    before = course.capacity
    course.capacity = capacity
    course.save(update_fields=["capacity"])
    notices = fill_places(programme, [course.pk], courses)
    if programme.status == ProgrammeStatus.PUBLISHED:
        notify(programme, notices)
    audit(
        actor=actor,
        action="afterschool_capacity_raised",
        obj=course,
        school_id=programme.school_id,
        data={"from": before, "to": capacity, "promoted": len(notices)},
    )
    return notices
