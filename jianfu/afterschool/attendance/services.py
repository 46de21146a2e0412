"""Sessions and attendance (课后服务点名): sessions created on demand, attendance taken on a phone.

Sessions for a service day are created the first time anyone needs them, and only once whatever
the number of calls (the unique constraints on course+date and programme+class+date hold under
concurrent calls too). Attendance is one row per child and session: a tap is an upsert, so
repeating it is harmless. Who may write when is `days.rules.attendance_edit` (decision 0014).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.attendance.selectors import (
    basic_part_classes,
    basic_slot,
    courses_meeting,
    covers_on,
    day_clash,
    day_takers,
    is_service_day,
    meeting_taker,
    programmes_with_sessions_for,
    service_day_check,
    session_get_for_taker,
    session_roster,
)
from jianfu.afterschool.days.errors import DaysError
from jianfu.afterschool.days.rules import attendance_edit
from jianfu.afterschool.leave.selectors import leave_of, leaves_on
from jianfu.afterschool.models import (
    AttendanceRecord,
    AttendanceStatus,
    BasicSupervisor,
    Programme,
    ServiceSession,
    SessionCover,
)
from jianfu.afterschool.permissions import can_manage_programme
from jianfu.afterschool.selectors import programme_get_for_office
from jianfu.core.audit import audit
from jianfu.core.errors import PermissionDenied
from jianfu.notifications.services import notify
from jianfu.schools.models import Guardian, SchoolClass, Teacher


@transaction.atomic
def sessions_ensure(*, actor: Any, programme: Programme, on: date) -> list[ServiceSession]:
    """The sessions that meet on `on`, created if missing: each open course whose weekdays include
    the day (its teacher or provider's staff member), and the basic part of each class with children
    in it (its supervisor: the office's choice, else the head teacher). Idempotent."""
    service_day_check(programme, on)
    return _sessions_ensure(actor, programme, on)


def sessions_ensure_for_actor(*, actor: Any, on: date) -> None:
    """What the attendance page and GET /sessions do first: make the sessions of `on` in every running
    programme where the actor may have some, if missing, on service days only (the pages then read
    them with sessions_for_actor). A fixed number of queries per programme, whatever the number of
    courses and classes; when all exist, one light read per programme."""
    for programme in programmes_with_sessions_for(actor, on):
        if is_service_day(programme, on):
            with transaction.atomic():
                _sessions_ensure(actor, programme, on, load=False)


def _sessions_ensure(
    actor: Any, programme: Programme, on: date, *, load: bool = True
) -> list[ServiceSession]:
    """sessions_ensure once `on` is known to be a service day: look at which exist (ids only), create
    what is missing in one insert, and, with `load`, return the day's sessions."""
    courses = courses_meeting(programme, on)
    slot = basic_slot(programme, on.isoweekday())
    classes = basic_part_classes(programme) if slot is not None else []
    existing = _session_keys(programme, on)
    if any(("course", c.pk) not in existing for c, _, _ in courses) or any(
        ("class", b.school_class.pk) not in existing for b in classes
    ):
        # Concurrent first calls queue on the programme's row, so each session is made once and the
        # audit row counts only what this call made (SQLite's IMMEDIATE transactions queue anyway).
        list(Programme.objects.select_for_update().filter(pk=programme.pk).values_list("pk", flat=True))
        existing = _session_keys(programme, on)
        covers = covers_on(programme, on)  # a day's substitute takes the session from the start
        missing = [
            ServiceSession(
                programme=programme,
                course=course,
                date=on,
                start=start,
                end=end,
                teacher=meeting_taker(covers, ("course", course.pk), course.teacher),
                provider_staff=course.provider_staff,
            )
            for course, start, end in courses
            if ("course", course.pk) not in existing
        ]
        if slot is not None:
            missing += [
                ServiceSession(
                    programme=programme,
                    school_class=b.school_class,
                    date=on,
                    start=slot.start,
                    end=slot.end,
                    teacher=meeting_taker(covers, ("class", b.school_class.pk), b.supervisor),
                )
                for b in classes
                if ("class", b.school_class.pk) not in existing
            ]
        ServiceSession.objects.bulk_create(missing, ignore_conflicts=True)
        created = len(_session_keys(programme, on)) - len(existing)
        if created:
            audit(
                actor=actor,
                action="afterschool_sessions_created",
                obj=programme,
                school_id=programme.school_id,
                data={"date": on.isoformat(), "created": created},
            )
    if not load:
        return []
    made = _sessions_on(programme, on)
    return [made["course"][c.pk] for c, _, _ in courses if c.pk in made["course"]] + [
        made["class"][b.school_class.pk] for b in classes if b.school_class.pk in made["class"]
    ]


def _session_keys(programme: Programme, on: date) -> set[tuple[str, int]]:
    """Which of the programme's meetings have a session on `on`: ("course", id) and ("class", id)."""
    return {
        ("course", course_id) if course_id else ("class", class_id)
        for course_id, class_id in ServiceSession.objects.filter(programme=programme, date=on).values_list(
            "course_id", "school_class_id"
        )
    }


def _sessions_on(programme: Programme, on: date) -> dict[str, dict[int, ServiceSession]]:
    """The programme's sessions on `on`, by course id and (basic part) by class id."""
    out: dict[str, dict[int, ServiceSession]] = {"course": {}, "class": {}}
    for s in ServiceSession.objects.filter(programme=programme, date=on).select_related(
        "course", "school_class__grade", "teacher", "provider_staff"
    ):
        if s.course_id:
            out["course"][s.course_id] = s
        elif s.school_class_id:
            out["class"][s.school_class_id] = s
    return out


def _check_edit(actor: Any, session: ServiceSession, now: datetime) -> bool:
    """Raise unless the actor may write this session's attendance now; True for a late correction."""
    today = timezone.localtime(now).date()
    office = can_manage_programme(actor, session.programme)
    problem = attendance_edit(session.date, today, office=office)
    if problem == "not_yet":
        raise DaysError(
            DaysError.NOT_YET,
            _("日期：%(date)s的课后服务还没到，不能提前点名"),
            params={"date": session.date.isoformat()},
            field="date",
        )
    if problem == "office_only":
        raise PermissionDenied(_("当天之后只有学校教导处或校长可以更正考勤"))
    return session.date < today


def _taken(session: ServiceSession, actor: Any, now: datetime) -> None:
    if session.taken_at is None:
        session.taken_at = now
        session.taken_by = actor
        session.save(update_fields=["taken_at", "taken_by"])


@transaction.atomic
def attendance_mark(
    *, actor: Any, session_id: int, student_id: int, status: str, now: datetime | None = None
) -> AttendanceRecord:
    """One tap: 到 / 缺席 / 请假 / 迟到 for one child. Repeating the same tap changes nothing."""
    now = now or timezone.now()
    session = session_get_for_taker(actor, session_id)
    if status not in AttendanceStatus.values:
        raise DaysError(
            DaysError.STATUS_INVALID,
            _("考勤状态：应为 到 / 缺席 / 请假 / 迟到 之一"),
            field="status",
        )
    late_correction = _check_edit(actor, session, now)
    if student_id not in {s.pk for s in session_roster(session)}:
        raise DaysError(
            DaysError.NOT_IN_SESSION,
            _("学生：该学生不在本场课后服务名单中"),
            field="student_id",
        )
    if status == AttendanceStatus.ABSENT:
        _refuse_absent_on_leave(session, student_id)
    record = (
        AttendanceRecord.objects.select_for_update().filter(session=session, student_id=student_id).first()
    )
    previous = record.status if record else None
    if record is None:
        # A concurrent first tap may have created it meanwhile: get_or_create settles that race.
        record, created = AttendanceRecord.objects.get_or_create(
            session=session, student_id=student_id, defaults={"status": status, "marked_by": actor}
        )
        if not created:
            previous = record.status
    if previous == status:
        return record
    if previous is not None:
        record.status = status
        record.marked_by = actor
        record.save(update_fields=["status", "marked_by", "marked_at"])
    _taken(session, actor, now)
    audit(
        actor=actor,
        action="afterschool_attendance_corrected" if late_correction else "afterschool_attendance_marked",
        obj=session,
        school_id=session.programme.school_id,
        data={"student_id": student_id, "status": status, "previous": previous},
    )
    if status == AttendanceStatus.ABSENT:
        _absence_notify(session, student_id)
    return record


def _absence_notify(session: ServiceSession, student_id: int) -> None:
    """Tell the child's guardians at once (safety: quiet hours do not hold it), each once per
    session whatever the taps: the inbox of those with an account, a text to every roster phone."""
    guardians = list(Guardian.objects.filter(student_id=student_id).select_related("user", "student"))
    if not guardians:
        return
    what = session.course.name if session.course_id and session.course else str(_("基础托管"))
    notify(
        guardians,
        "afterschool_absent",
        {
            "child": guardians[0].student.name,
            "day": session.date.isoformat(),
            "what": what,
        },
        key=f"afterschool_absent:{session.pk}:{student_id}",
        link_url=reverse("afterschool_days:family-attendance"),
    )


def _refuse_absent_on_leave(session: ServiceSession, student_id: int) -> None:
    """A child whose family reported leave is not absent: the teacher marks 请假 (decision 0052)."""
    leave = leave_of(session.programme_id, student_id, session.date)
    if leave is not None:
        raise DaysError(
            DaysError.ON_LEAVE,
            _("考勤状态：家长已为该学生请假（%(start)s至%(end)s），请标记为“请假”，不是缺席"),
            params={"start": leave.start_date.isoformat(), "end": leave.end_date.isoformat()},
            field="status",
        )


@transaction.atomic
def attendance_mark_all_present(*, actor: Any, session_id: int, now: datetime | None = None) -> int:
    """ "全部到": every child not marked yet is marked present — those whose family reported leave
    are marked 请假 — and taps already made stay as they are. Returns how many were marked now (0 on
    a repeat)."""
    now = now or timezone.now()
    session = session_get_for_taker(actor, session_id)
    late_correction = _check_edit(actor, session, now)
    marked = set(AttendanceRecord.objects.filter(session=session).values_list("student_id", flat=True))
    rest = [s.pk for s in session_roster(session) if s.pk not in marked]
    on_leave = leaves_on(session.programme_id, session.date, rest)
    for student_id in rest:
        status = AttendanceStatus.LEAVE if student_id in on_leave else AttendanceStatus.PRESENT
        AttendanceRecord.objects.get_or_create(
            session=session,
            student_id=student_id,
            defaults={"status": status, "marked_by": actor},
        )
    _taken(session, actor, now)
    if rest:
        audit(
            actor=actor,
            action="afterschool_attendance_corrected" if late_correction else "afterschool_attendance_marked",
            obj=session,
            school_id=session.programme.school_id,
            data={"all_present": len(rest)},
        )
    return len(rest)


@transaction.atomic
def basic_supervisor_assign(
    *, actor: Any, programme_id: int, class_id: int, teacher_id: int, now: datetime | None = None
) -> BasicSupervisor:
    """The office assigns who supervises a class's basic part (instead of the head teacher). Sessions
    from today on that nobody has taken yet follow the new supervisor."""
    programme = programme_get_for_office(actor, programme_id)
    school_class = SchoolClass.objects.filter(pk=class_id, school_id=programme.school_id).first()
    if school_class is None:
        raise DaysError(
            DaysError.CLASS_INVALID,
            _("班级：不是本校的班级"),
            field="class_id",
        )
    teacher = school_teacher(programme, teacher_id)
    assignment, _created = BasicSupervisor.objects.update_or_create(
        programme=programme, school_class=school_class, defaults={"teacher": teacher, "assigned_by": actor}
    )
    today = timezone.localtime(now or timezone.now()).date()
    moved = (
        ServiceSession.objects.filter(
            programme=programme,
            school_class=school_class,
            course__isnull=True,
            date__gte=today,
            taken_at__isnull=True,
        )
        .exclude(  # a day with a substitute keeps them
            date__in=SessionCover.objects.filter(programme=programme, school_class=school_class).values(
                "date"
            )
        )
        .update(teacher=teacher)
    )
    audit(
        actor=actor,
        action="afterschool_basic_supervisor_assigned",
        obj=assignment,
        school_id=programme.school_id,
        data={"class_id": class_id, "teacher_id": teacher_id, "sessions_moved": moved},
    )
    return assignment


def school_teacher(programme: Programme, teacher_id: int) -> Teacher:
    """A teacher of the programme's school, or a field error naming teacher_id."""
    teacher = Teacher.objects.filter(pk=teacher_id, school_id=programme.school_id).first()
    if teacher is None:
        raise DaysError(
            DaysError.TEACHER_INVALID,
            _("教师：不是本校的教师"),
            field="teacher_id",
        )
    return teacher


def _cover_target(
    programme: Programme, on: date, course_id: int | None, class_id: int | None
) -> tuple[dict[str, Any], Teacher | None]:
    """What a substitute is for — one of the day's course meetings or one class's basic part — as
    the filter that finds its session, and who takes it when there is no substitute."""
    if (course_id is None) == (class_id is None):
        raise DaysError(
            DaysError.COVER_INVALID,
            _("代课场次：请选择一门课程或一个班级的基础托管"),
            field="course_id",
        )
    if course_id is not None:
        for course, _start, _end in courses_meeting(programme, on):
            if course.pk == course_id:
                return {"course": course}, course.teacher
        raise DaysError(
            DaysError.COVER_INVALID,
            _("课程：该课程当天不上课"),
            field="course_id",
        )
    if basic_slot(programme, on.isoweekday()) is not None:
        for b in basic_part_classes(programme):
            if b.school_class.pk == class_id:
                return {"school_class": b.school_class, "course__isnull": True}, b.supervisor
    raise DaysError(
        DaysError.COVER_INVALID,
        _("班级：该班当天没有基础托管"),
        field="class_id",
    )


@transaction.atomic
def session_cover_set(
    *,
    actor: Any,
    programme_id: int,
    on: date,
    teacher_id: int,
    reason: str,
    course_id: int | None = None,
    class_id: int | None = None,
    now: datetime | None = None,
) -> SessionCover:
    """The office arranges a one-day substitute (代课) for a course meeting or a class's basic part,
    today or later. The day's session goes to the substitute (now if it exists and nobody has taken
    attendance, else when it is created); other days keep the regular teacher. Setting it again for
    the same meeting replaces the substitute."""
    programme = programme_get_for_office(actor, programme_id)
    today = timezone.localtime(now or timezone.now()).date()
    if on < today:
        raise DaysError(DaysError.COVER_INVALID, _("日期：只能安排今天或以后的代课"), field="date")
    service_day_check(programme, on)
    target, _regular = _cover_target(programme, on, course_id, class_id)
    teacher = school_teacher(programme, teacher_id)
    if len(reason.strip()) < 2:
        raise DaysError(
            DaysError.COVER_INVALID,
            _("代课原因：请填写（如：病假、外出培训）"),
            field="reason",
        )
    # Nobody can be in two places at once: not at another meeting they take at the same time that day.
    kind, meeting_id = ("course", course_id) if "course" in target else ("class", class_id)
    _refuse_if_busy(programme, on, teacher, kind, meeting_id or 0)
    session = (
        ServiceSession.objects.select_for_update().filter(programme=programme, date=on, **target).first()
    )
    if session is not None and session.taken_at is not None:
        raise DaysError(
            DaysError.COVER_INVALID,
            _("该场次已点名，不能再安排代课"),
            field="date",
        )
    key = {"course": target["course"]} if "course" in target else {"school_class": target["school_class"]}
    cover, _created = SessionCover.objects.update_or_create(
        programme=programme,
        date=on,
        **key,
        defaults={"teacher": teacher, "reason": reason.strip()[:200], "assigned_by": actor},
    )
    if session is not None:
        session.teacher = teacher
        session.save(update_fields=["teacher"])
    from jianfu.afterschool.notices.tasks import cover_sms

    transaction.on_commit(lambda: cover_sms.enqueue(cover.pk))
    # The text above stays as it was (SMS); the arrangement is also in the substitute's inbox.
    if teacher.user_id:
        what = cover.course.name if cover.course_id and cover.course else str(_("基础托管"))
        notify(
            [teacher.user],
            "substitute_arranged",
            {"day": on.isoformat(), "what": what},
            key=f"substitute_arranged:{cover.pk}:{teacher.pk}",
            link_url=reverse("afterschool_days:attendance"),
        )
    audit(
        actor=actor,
        action="afterschool_cover_set",
        obj=cover,
        school_id=programme.school_id,
        data={"date": on.isoformat(), "teacher_id": teacher.pk, "course_id": course_id, "class_id": class_id},
    )
    return cover


def _refuse_if_busy(
    programme: Programme, on: date, teacher: Teacher, kind: str, meeting_id: int, *, withdrawing: bool = False
) -> None:
    """TEACHER_BUSY if `teacher` takes another of the day's meetings at a time overlapping this one."""
    clash = day_clash(day_takers(programme, on), teacher.pk, kind, meeting_id)
    if clash is None:
        return
    when, what = f"{clash['start']:%H:%M}–{clash['end']:%H:%M}", clash["what"]
    if withdrawing:
        raise DaysError(
            DaysError.TEACHER_BUSY,
            _("不能撤销：%(teacher)s当天%(when)s要上「%(what)s」，撤销后会时间冲突；请先调整那项安排"),
            params={"teacher": teacher.name, "when": when, "what": what},
            field="cover",
        )
    raise DaysError(
        DaysError.TEACHER_BUSY,
        _("教师：%(teacher)s当天%(when)s已有「%(what)s」，时间冲突"),
        params={"teacher": teacher.name, "when": when, "what": what},
        field="teacher_id",
    )


@transaction.atomic
def session_cover_remove(*, actor: Any, cover_id: int) -> None:
    """The office withdraws a substitute: the session, if nobody took attendance yet, goes back to
    the regular teacher."""
    cover = SessionCover.objects.select_related("programme").filter(pk=cover_id).first()
    if cover is None or not can_manage_programme(actor, cover.programme):
        from jianfu.core.errors import NotFound

        raise NotFound(_("代课安排"))
    programme = cover.programme
    target, regular = _cover_target(programme, cover.date, cover.course_id, cover.school_class_id)
    if regular is not None:
        # Handing the meeting back must not put its regular teacher in two places: they may be
        # covering another meeting at that time now (the office withdraws or rearranges that first).
        kind, meeting_id = (
            ("course", cover.course_id) if cover.course_id else ("class", cover.school_class_id)
        )
        _refuse_if_busy(programme, cover.date, regular, kind, meeting_id or 0, withdrawing=True)
    ServiceSession.objects.filter(
        programme=programme, date=cover.date, taken_at__isnull=True, **target
    ).update(teacher=regular)
    audit(
        actor=actor,
        action="afterschool_cover_removed",
        obj=cover,
        school_id=programme.school_id,
        data={"date": cover.date.isoformat(), "teacher_id": cover.teacher_id},
    )
    cover.delete()
