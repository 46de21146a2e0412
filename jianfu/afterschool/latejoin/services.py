"""Late joining (补报名, decision 0052): a family that missed the choosing window asks to join; the
school office accepts or declines.

Asking is possible once the allocation has run (allocated or published) for a child with no active
application; asking again while a request waits updates it (never a second request). Accepting
opts the child in — the basic part at once, since it has no cap — and, for a course the family
named, adds the child at the END of its waiting list; free places then go down that list in its
order (waitlist.fill_places), so a late request never passes anyone who was already waiting, and it
takes a free place only when nobody is waiting for it. Declining tells the family. Either way the
family gets a notice, and the decision is audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.latejoin.errors import LateJoinError
from jianfu.afterschool.latejoin.models import LateJoinRequest, LateJoinStatus
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
from jianfu.afterschool.notices.services import Notice, Say, notify
from jianfu.afterschool.programme.services import office_programme
from jianfu.afterschool.selectors import child_get_for_parent, programmes_for_child
from jianfu.afterschool.waitlist.services import fill_places, lock_courses
from jianfu.core.audit import audit
from jianfu.core.errors import NotFound

NOTE_MAX = 200
OPEN_FOR_LATE = (ProgrammeStatus.ALLOCATED, ProgrammeStatus.PUBLISHED)


def _course_for(programme: Programme, course_id: int | None) -> Course | None:
    if course_id is None:
        return None
    course = Course.objects.filter(pk=course_id, programme=programme, status=CourseStatus.OPEN).first()
    if course is None:
        raise LateJoinError(LateJoinError.INVALID, _("课程：不是本期开设的课程"), field="course_id")
    return course


@transaction.atomic
def late_join_request(
    *,
    actor: Any,
    programme_id: int,
    student_id: int,
    basic_part: bool = True,
    course_id: int | None = None,
    note: str = "",
) -> LateJoinRequest:
    """The family asks to join after the window. A request already waiting is updated (idempotent)."""
    student = child_get_for_parent(actor, student_id)
    programme = programmes_for_child(student).select_related("term").filter(pk=programme_id).first()
    if programme is None:
        raise NotFound(_("课后服务方案"))
    if programme.status not in OPEN_FOR_LATE:
        raise LateJoinError(
            LateJoinError.NOT_OPEN,
            _("现在不能补报名：%(status)s"),
            params={"status": ProgrammeStatus(programme.status).label},
            field="programme_id",
        )
    if Application.objects.filter(programme=programme, student=student, withdrawn_at__isnull=True).exists():
        raise LateJoinError(
            LateJoinError.INVALID, _("孩子已经报名参加本期课后服务，无需补报名"), field="programme_id"
        )
    course = _course_for(programme, course_id)
    if not basic_part and course is None:
        raise LateJoinError(
            LateJoinError.INVALID, _("参加内容：请选择基础托管或一门课程"), field="basic_part"
        )
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise LateJoinError(
            LateJoinError.INVALID, _("说明：最多%(n)s个字"), params={"n": NOTE_MAX}, field="note"
        )
    fields = {"basic_part": basic_part, "course": course, "note": note, "requested_by": actor}
    waiting = LateJoinRequest.objects.select_for_update().filter(
        programme=programme, student=student, status=LateJoinStatus.PENDING
    )
    request = waiting.first()
    if request is not None:
        for k, v in fields.items():
            setattr(request, k, v)
        request.save(update_fields=list(fields))
        return request
    try:
        with transaction.atomic():
            request = LateJoinRequest.objects.create(programme=programme, student=student, **fields)
    except IntegrityError:
        return waiting.get()  # a concurrent double tap made it first
    audit(
        actor=actor,
        action="afterschool_late_join_requested",
        obj=request,
        school_id=programme.school_id,
        data={"student_id": student.pk, "basic_part": basic_part, "course_id": course.pk if course else None},
    )
    return request


@transaction.atomic
def late_join_decide(
    *, actor: Any, request_id: int, accept: bool, note: str = "", now: datetime | None = None
) -> LateJoinRequest:
    """The office accepts or declines a waiting request (see the module's rules). Deciding the same way
    again returns it unchanged; deciding the other way once decided is refused."""
    request = LateJoinRequest.objects.select_related("student", "course").filter(pk=request_id).first()
    if request is None:
        raise NotFound(_("补报名申请"))
    programme = office_programme(actor, request.programme_id, lock=True)
    request = (
        LateJoinRequest.objects.select_for_update(of=("self",))
        .select_related("student", "course")
        .get(pk=request.pk)
    )
    wanted = LateJoinStatus.ACCEPTED if accept else LateJoinStatus.DECLINED
    if request.status == wanted:
        return request
    if request.status != LateJoinStatus.PENDING:
        raise LateJoinError(
            LateJoinError.DECIDED,
            _("该申请已处理（%(status)s）"),
            params={"status": LateJoinStatus(request.status).label},
            field="accept",
        )
    note = note.strip()[:NOTE_MAX]
    student = request.student
    notices: list[Notice] = []
    if accept:
        if programme.status not in OPEN_FOR_LATE:
            raise LateJoinError(
                LateJoinError.NOT_OPEN,
                _("现在不能补报名：%(status)s"),
                params={"status": ProgrammeStatus(programme.status).label},
                field="accept",
            )
        notices = _join(programme, request)
        say = Say(_("学校已同意%(name)s补报名本期课后服务。"))
    else:
        say = Say(_("学校未同意%(name)s的补报名申请。"))
    if note:
        say += Say(_("学校的答复：%(note)s"), note=note)
    notices.insert(0, Notice(student, NoticeKind.OTHER, say))
    request.status, request.decided_by, request.decided_at = wanted, actor, now or timezone.now()
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    notify(programme, notices)
    audit(
        actor=actor,
        action="afterschool_late_join_accepted" if accept else "afterschool_late_join_declined",
        obj=request,
        school_id=programme.school_id,
        data={"student_id": student.pk, "course_id": request.course_id},
    )
    return request


def _join(programme: Programme, request: LateJoinRequest) -> list[Notice]:
    """Opt the child in; for the course asked for, the end of its waiting list, then the list fills any
    free places in its order. Returns the promotion notices."""
    courses = lock_courses(programme)
    student = request.student
    app, _created = Application.objects.get_or_create(
        programme=programme,
        student=student,
        defaults={"submitted_by": request.requested_by, "basic_part": request.basic_part},
    )
    if app.withdrawn_at is not None or not _created:
        app.withdrawn_at = None
        app.basic_part = app.basic_part or request.basic_part
        app.save(update_fields=["withdrawn_at", "basic_part", "updated_at"])
    course = courses.get(request.course_id) if request.course_id else None
    if course is None or course.status != CourseStatus.OPEN:
        return []
    rank = (app.choices.aggregate(m=Max("rank"))["m"] or 0) + 1
    ApplicationChoice.objects.get_or_create(application=app, course=course, defaults={"rank": rank})
    last = (
        Enrolment.objects.filter(course=course, status=EnrolmentStatus.WAITLISTED).aggregate(
            m=Max("waitlist_position")
        )["m"]
        or 0
    )
    Enrolment.objects.update_or_create(
        course=course,
        student=student,
        defaults={
            "programme": programme,
            "status": EnrolmentStatus.WAITLISTED,
            "rank": app.choices.get(course=course).rank,
            "waitlist_position": last + 1,
            "source": EnrolmentSource.MANUAL,
        },
    )
    return fill_places(programme, [course.pk], courses)
