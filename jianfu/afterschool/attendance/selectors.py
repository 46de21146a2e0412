"""Reads of the after-school day: service days, the sessions that meet, who is in them, who may
take attendance, and a child's own attendance for their family.

A service day is a school day of the programme's term on a weekday the programme has service
slots for, while the programme is running (published). Course sessions: open courses whose
weekdays include the day, for their placed children; basic-part sessions: one per class, for the
children whose application asks for the basic part (decision 0014).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache
from typing import Any, Protocol, TypeVar

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin

from jianfu.afterschool.days.errors import DaysError
from jianfu.afterschool.days.rules import attendance_edit
from jianfu.afterschool.leave.selectors import leaves_on
from jianfu.afterschool.models import (
    Application,
    AttendanceRecord,
    AttendanceStatus,
    BasicSupervisor,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Programme,
    ProgrammeStatus,
    ServicePart,
    ServiceSession,
    ServiceSlot,
    SessionCover,
)
from jianfu.afterschool.permissions import can_manage_programme, can_take_attendance
from jianfu.afterschool.rules import WEEKDAYS
from jianfu.afterschool.selectors import child_get_for_parent, programmes_for_office, programmes_for_staff
from jianfu.core.errors import NotFound
from jianfu.schools.models import DayType, SchoolClass, SchoolDay, Student, Teacher


@lru_cache(maxsize=65536)
def _pinyin_key(name: str) -> tuple[str, ...]:
    # Converting a name to pinyin is most of the time the gate list of a whole school takes
    # (docs/performance.md, "After-school lists"); names repeat on every request, and 65,536 of
    # them take a few MB.
    return tuple(lazy_pinyin(name))


class _OnARoster(Protocol):
    @property
    def pk(self) -> Any: ...
    @property
    def name(self) -> str: ...
    @property
    def school_class(self) -> SchoolClass: ...


_Child = TypeVar("_Child", bound=_OnARoster)


def roster_order(students: Iterable[_Child]) -> list[_Child]:
    """Class by class, then by the pinyin of the name: how a teacher looks a child up on a list."""
    return sorted(
        students,
        key=lambda s: (s.school_class.grade.number, s.school_class.number, _pinyin_key(s.name), s.pk),
    )


def weekday_slots(programme: Programme) -> dict[int, list[ServiceSlot]]:
    """The programme's service slots by ISO weekday (cached on the instance: read on every step)."""
    cached: dict[int, list[ServiceSlot]] | None = getattr(programme, "_days_slots", None)
    if cached is None:
        slots_prefetch([programme])
        cached = programme._days_slots  # type: ignore[attr-defined]
    return cached


def slots_prefetch(programmes: Iterable[Programme]) -> None:
    """Read the service slots of several programmes in one query (what weekday_slots caches)."""
    todo = {p.pk: p for p in programmes if getattr(p, "_days_slots", None) is None}
    if not todo:
        return
    by_programme: dict[int, defaultdict[int, list[ServiceSlot]]] = {pk: defaultdict(list) for pk in todo}
    for s in ServiceSlot.objects.filter(programme_id__in=list(todo)).order_by(
        "programme_id", "weekday", "start"
    ):
        by_programme[s.programme_id][s.weekday].append(s)
    for pk, programme in todo.items():
        programme._days_slots = dict(by_programme[pk])  # type: ignore[attr-defined]


def service_end(programme: Programme, weekday: int) -> time | None:
    """When the day's service ends: the latest basic or course part (extended care is opt-in and
    booked as a later pickup slot, so it does not move the default)."""
    slots = weekday_slots(programme).get(weekday, [])
    main = [s for s in slots if s.part != ServicePart.EXTENDED] or slots
    return max((s.end for s in main), default=None)


def day_last_end(programme: Programme, weekday: int) -> time | None:
    """When the day's last part ends, extended care included: after it nobody is there to look after
    a child, so no pickup time may be later (issue 15). None when the day has no service."""
    return max((s.end for s in weekday_slots(programme).get(weekday, [])), default=None)


def basic_slot(programme: Programme, weekday: int) -> ServiceSlot | None:
    return next((s for s in weekday_slots(programme).get(weekday, []) if s.part == ServicePart.BASIC), None)


def course_times(course: Course, slots: list[ServiceSlot]) -> tuple[time, time] | None:
    """A course's own times, else the day's course part."""
    if course.start and course.end:
        return course.start, course.end
    part = next((s for s in slots if s.part == ServicePart.COURSE), None)
    return (part.start, part.end) if part else None


def service_day_problem(programme: Programme, on: date) -> DaysError | None:
    """Why `on` is not a service day of the programme, or None if it is."""
    if programme.status != ProgrammeStatus.PUBLISHED:
        return DaysError(
            DaysError.PROGRAMME_NOT_RUNNING,
            _("课后服务方案未在进行中（尚未公布或已结束）"),
            field="programme_id",
        )
    term = programme.term
    weekday = WEEKDAYS[on.isoweekday()]
    if not term.start_date <= on <= term.end_date:
        return DaysError(
            DaysError.NOT_SERVICE_DAY,
            _("日期：%(date)s（%(day)s）不在本学期内，不是课后服务日"),
            params={"date": on.isoformat(), "day": weekday},
            field="date",
        )
    if on.isoweekday() not in weekday_slots(programme):
        return DaysError(
            DaysError.NOT_SERVICE_DAY,
            _("日期：本方案%(day)s没有课后服务，%(date)s（%(day)s）不是课后服务日"),
            params={"date": on.isoformat(), "day": weekday},
            field="date",
        )
    day = SchoolDay.objects.filter(school_id=programme.school_id, date=on).only("day_type").first()
    if day is None or day.day_type != DayType.SCHOOL_DAY:
        kind = DayType(day.day_type).label if day else _("未知（校历未覆盖）")
        return DaysError(
            DaysError.NOT_SERVICE_DAY,
            _("日期：%(date)s（%(day)s）是%(kind)s，不是上课日，没有课后服务"),
            params={"date": on.isoformat(), "day": weekday, "kind": kind},
            field="date",
        )
    return None


def service_day_check(programme: Programme, on: date) -> None:
    problem = service_day_problem(programme, on)
    if problem is not None:
        raise problem


def is_service_day(programme: Programme, on: date) -> bool:
    return service_day_problem(programme, on) is None


def service_days(programme: Programme, *, start: date | None = None, until: date | None = None) -> list[date]:
    """The programme's service days in its term (school days on weekdays with service slots)."""
    weekdays = set(weekday_slots(programme))
    term = programme.term
    days = SchoolDay.objects.filter(
        school_id=programme.school_id,
        date__gte=max(term.start_date, start) if start else term.start_date,
        date__lte=min(term.end_date, until) if until else term.end_date,
        day_type=DayType.SCHOOL_DAY,
    ).values_list("date", flat=True)
    return sorted(d for d in days if d.isoweekday() in weekdays)


def courses_meeting(programme: Programme, on: date) -> list[tuple[Course, time, time]]:
    """Open courses whose weekdays include `on`, with their times that day."""
    weekday = on.isoweekday()
    slots = weekday_slots(programme).get(weekday, [])
    out = []
    for course in Course.objects.filter(programme=programme, status=CourseStatus.OPEN).select_related(
        "teacher", "provider_staff"
    ):
        if weekday in (course.weekdays or []):
            times = course_times(course, slots)
            if times is not None:
                out.append((course, *times))
    return out


def basic_applications(programme: Programme) -> QuerySet[Application]:
    return Application.objects.filter(
        programme=programme, basic_part=True, withdrawn_at__isnull=True, student__is_active=True
    )


@dataclass(frozen=True)
class BasicClass:
    """A class with children in the programme's basic part, and who supervises it."""

    school_class: SchoolClass
    assigned: Teacher | None  # the office's choice, if it made one

    @property
    def supervisor(self) -> Teacher | None:
        """The teacher the office assigned to the class's basic part, else the class's head teacher."""
        return self.assigned or self.school_class.head_teacher


def basic_part_classes(programme: Programme) -> list[BasicClass]:
    """The classes with children in the basic part, in class order, each with its supervisor (the one
    place that decides who supervises a class). Two queries whatever the number of classes."""
    assigned = {
        b.school_class_id: b.teacher
        for b in BasicSupervisor.objects.filter(programme=programme).select_related("teacher")
    }
    classes = SchoolClass.objects.filter(
        pk__in=basic_applications(programme).values("student__school_class_id")
    ).select_related("grade", "head_teacher")
    return [BasicClass(c, assigned.get(c.pk)) for c in classes]


def placed_ids(programme: Programme, course_ids: Iterable[int]) -> set[int]:
    return set(
        Enrolment.objects.filter(
            programme=programme,
            course_id__in=list(course_ids),
            status=EnrolmentStatus.PLACED,
            student__is_active=True,
        ).values_list("student_id", flat=True)
    )


def participant_ids(programme: Programme, on: date) -> set[int]:
    """Children who have a session on `on`: placed in a course meeting that day, or in the basic
    part if the day has one."""
    ids = placed_ids(programme, [c.pk for c, _, _ in courses_meeting(programme, on)])
    if basic_slot(programme, on.isoweekday()) is not None:
        ids |= set(basic_applications(programme).values_list("student_id", flat=True))
    return ids


def came_and_away(programme: Programme, on: date) -> tuple[set[int], set[int]]:
    """Children marked present or late in some session that day, and those marked absent or on
    leave in every session they were marked in (one query)."""
    came: set[int] = set()
    away: set[int] = set()
    for student_id, status in AttendanceRecord.objects.filter(
        session__programme=programme, session__date=on
    ).values_list("student_id", "status"):
        (came if status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE) else away).add(student_id)
    return came, away - came


def session_roster(session: ServiceSession) -> list[Student]:
    """The children of a session (name and class only are shown; never a 学籍号 or a phone)."""
    qs = Student.objects.filter(is_active=True).select_related("school_class__grade")
    if session.course_id:
        qs = qs.filter(
            afterschool_enrolments__course_id=session.course_id,
            afterschool_enrolments__status=EnrolmentStatus.PLACED,
        )
    else:
        qs = qs.filter(
            school_class_id=session.school_class_id,
            afterschool_applications__programme_id=session.programme_id,
            afterschool_applications__basic_part=True,
            afterschool_applications__withdrawn_at__isnull=True,
        )
    return roster_order(qs.only("pk", "name", "school_class").distinct())


def session_sheet(actor: Any, session: ServiceSession) -> dict[str, Any]:
    """The session sheet, as the attendance page and GET /sessions/{id} show it: the children in
    roster order with their marks, the counts, and whether the actor may still write (the same day;
    later only the office). Three queries whatever the number of children."""
    marks = dict(AttendanceRecord.objects.filter(session=session).values_list("student_id", "status"))
    roster = session_roster(session)
    # The family's leave for the day, shown on the row so nobody is marked absent by mistake.
    leave = leaves_on(session.programme_id, session.date, [s.pk for s in roster])
    rows = [{"student": s, "status": marks.get(s.pk, ""), "leave": leave.get(s.pk)} for s in roster]
    office = can_manage_programme(actor, session.programme)
    return {
        "session": session,
        "title": session_title(session),
        "room": session.course.room if session.course else "",
        "rows": rows,
        "editable": attendance_edit(session.date, timezone.localdate(), office=office) is None,
        "marked": sum(1 for r in rows if r["status"]),
        "unmarked": sum(1 for r in rows if not r["status"]),
        "on_leave": sum(1 for r in rows if r["leave"] is not None),
        # Every mark of the session, a child who has left the roster since included (what the JSON
        # API has always reported as `marked`, like the day's list).
        "records": len(marks),
    }


def session_title(session: ServiceSession) -> str:
    if session.course_id and session.course is not None:
        return session.course.name
    return _("基础托管 · %(class)s") % {"class": session.school_class}


def session_get_for_taker(actor: Any, session_id: int) -> ServiceSession:
    session = (
        ServiceSession.objects.select_related(
            "programme__school__region",
            "programme__term",
            "course",
            "school_class__grade",
            "teacher",
            "provider_staff",
        )
        .filter(pk=session_id)
        .first()
    )
    if session is None or not can_take_attendance(actor, session):
        raise NotFound(_("课后服务场次"))
    return session


def programmes_with_sessions_for(actor: Any, on: date) -> list[Programme]:
    """Running programmes in which the actor may have sessions on `on`: their schools' (as staff)
    and those where they are a provider's staff member with an account."""
    if not getattr(actor, "is_authenticated", False):
        return []
    q = Q(pk__in=programmes_for_staff(actor).values("pk")) | Q(courses__provider_staff__user=actor)
    return list(
        Programme.objects.filter(
            q, status=ProgrammeStatus.PUBLISHED, term__start_date__lte=on, term__end_date__gte=on
        )
        .select_related("school__region", "term")
        .distinct()
    )


def sessions_for_actor(actor: Any, on: date) -> list[dict[str, Any]]:
    """The sessions the actor runs on `on` (the office: all of its school's), with how many
    children each has and how many are marked. Sessions must have been ensured first."""
    uid = getattr(actor, "pk", None) or 0
    office = list(programmes_for_office(actor).values_list("pk", flat=True))
    sessions = list(
        ServiceSession.objects.filter(
            Q(teacher__user_id=uid) | Q(provider_staff__user_id=uid) | Q(programme_id__in=office), date=on
        )
        .select_related("course", "school_class__grade", "teacher", "programme__school")
        .order_by("start", "course__name", "school_class__grade__number", "school_class__number", "pk")
    )
    marked = dict(
        AttendanceRecord.objects.filter(session__in=sessions)
        .values_list("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    course_sizes = dict(
        Enrolment.objects.filter(
            course_id__in=[s.course_id for s in sessions if s.course_id],
            status=EnrolmentStatus.PLACED,
            student__is_active=True,
        )
        .values_list("course_id")
        .annotate(n=Count("pk"))
        .values_list("course_id", "n")
    )
    basic_sizes: dict[tuple[int, int], int] = {}
    for programme_id, class_id, n in (
        Application.objects.filter(
            programme_id__in={s.programme_id for s in sessions if not s.course_id},
            basic_part=True,
            withdrawn_at__isnull=True,
            student__is_active=True,
        )
        .values_list("programme_id", "student__school_class_id")
        .annotate(n=Count("pk"))
    ):
        basic_sizes[(programme_id, class_id)] = n
    out = []
    for s in sessions:
        size = (
            course_sizes.get(s.course_id or 0, 0)
            if s.course_id
            else basic_sizes.get((s.programme_id, s.school_class_id or 0), 0)
        )
        out.append(
            {
                "session": s,
                "title": session_title(s),
                "size": size,
                "marked": marked.get(s.pk, 0),
                "room": s.course.room if s.course else "",
                "mine": bool(s.teacher and s.teacher.user_id == uid),
            }
        )
    return out


def has_sessions_on(actor: Any, on: date) -> bool:
    """For the menu: does the actor run a session on `on` (or is the office of a school whose
    service meets that day)? Reads only; sessions are created when the page opens."""
    uid = getattr(actor, "pk", None)
    if uid is None:
        return False
    if ServiceSession.objects.filter(
        Q(teacher__user_id=uid) | Q(provider_staff__user_id=uid), date=on
    ).exists():
        return True
    if SessionCover.objects.filter(teacher__user_id=uid, date=on).exists():
        return True  # covering for a colleague today, before the day's sessions were made
    for programme in programmes_with_sessions_for(actor, on):
        if not is_service_day(programme, on):
            continue
        if can_manage_programme(actor, programme):
            return True
        # Who takes each meeting as the day's sessions will be made (meeting_taker); a provider's staff
        # member keeps theirs beside a substitute (decision 0021), as the session does.
        covers = covers_on(programme, on)
        if any(
            _is(meeting_taker(covers, ("course", c.pk), c.teacher), uid)
            or (c.provider_staff is not None and c.provider_staff.user_id == uid)
            for c, _, _ in courses_meeting(programme, on)
        ):
            return True
        if basic_slot(programme, on.isoweekday()) is not None and any(
            _is(meeting_taker(covers, ("class", b.school_class.pk), b.supervisor), uid)
            for b in basic_part_classes(programme)
        ):
            return True
    return False


def _is(teacher: Teacher | None, user_id: int) -> bool:
    return teacher is not None and teacher.user_id == user_id


def meeting_taker(
    covers: dict[tuple[str, int], SessionCover], key: tuple[str, int], regular: Teacher | None
) -> Teacher | None:
    """Who takes a meeting on the day: its substitute (代课) if one is set, else the regular teacher.
    The one rule for making the day's sessions, the menu and the substitutes' clash check."""
    cover = covers.get(key)
    return cover.teacher if cover is not None else regular


def child_attendance(actor: Any, student_id: int, *, limit: int = 60) -> tuple[Student, list[dict[str, Any]]]:
    """A family's own child's attendance, newest first (NotFound for anyone else's child)."""
    student = child_get_for_parent(actor, student_id)
    return student, attendance_of(student, limit=limit)


def attendance_of(student: Student, *, limit: int = 60) -> list[dict[str, Any]]:
    """A child's attendance, newest first; the caller has checked the child is the actor's own. One query."""
    records = (
        AttendanceRecord.objects.filter(student=student)
        .select_related("session__course", "session__school_class__grade")
        .order_by("-session__date", "-session__start")[:limit]
    )
    return [
        {
            "date": r.session.date,
            "start": r.session.start,
            "end": r.session.end,
            "what": session_title(r.session),
            "status": r.status,
            "status_label": r.get_status_display(),
        }
        for r in records
    ]


def covers_on(programme: Programme, on: date) -> dict[tuple[str, int], SessionCover]:
    """The day's substitutes (代课), by ("course", course id) or ("class", class id). One query."""
    out: dict[tuple[str, int], SessionCover] = {}
    for c in SessionCover.objects.filter(programme=programme, date=on).select_related("teacher"):
        out[("course", c.course_id) if c.course_id else ("class", c.school_class_id or 0)] = c
    return out


def day_takers(
    programme: Programme, on: date, *, basic: list[BasicClass] | None = None
) -> list[dict[str, Any]]:
    """Who takes each of the day's meetings — each course meeting that day and each class's basic
    part, by starting time — the regular teacher, the substitute if one is set, who takes it that day
    (`taker`), and whether attendance was taken. For the office's arrangements page, GET …/covers
    and the substitutes' clash check. A fixed number of queries; `basic` is
    basic_part_classes(programme) when the caller has read it already."""
    covers = covers_on(programme, on)
    taken = {
        ("course", s.course_id) if s.course_id else ("class", s.school_class_id or 0): s.taken_at is not None
        for s in ServiceSession.objects.filter(programme=programme, date=on)
    }
    rows: list[dict[str, Any]] = []
    for course, start, end in courses_meeting(programme, on):
        key = ("course", course.pk)
        regular = (
            course.teacher.name
            if course.teacher
            else (course.provider_staff.name if course.provider_staff else "")
        )
        rows.append(
            {
                "kind": "course",
                "id": course.pk,
                "what": course.name,
                "start": start,
                "end": end,
                "regular": regular,
                "taker": meeting_taker(covers, key, course.teacher),
                "cover": covers.get(key),
                "taken": taken.get(key, False),
            }
        )
    slot = basic_slot(programme, on.isoweekday())
    if slot is not None:
        for b in basic if basic is not None else basic_part_classes(programme):
            key = ("class", b.school_class.pk)
            rows.append(
                {
                    "kind": "class",
                    "id": b.school_class.pk,
                    "what": _("基础托管 · %(class)s") % {"class": b.school_class},
                    "start": slot.start,
                    "end": slot.end,
                    "regular": b.supervisor.name if b.supervisor else "",
                    "taker": meeting_taker(covers, key, b.supervisor),
                    "cover": covers.get(key),
                    "taken": taken.get(key, False),
                }
            )
    # In the day's order, as the office reads its timetable.
    rows.sort(key=lambda r: (r["start"], r["kind"], r["id"]))
    return rows


def day_clash(
    rows: list[dict[str, Any]], teacher_id: int, kind: str, meeting_id: int
) -> dict[str, Any] | None:
    """Another of the day's meetings (`rows` from day_takers) that `teacher_id` takes — as its
    substitute, or as its regular teacher with no substitute — at a time overlapping the meeting
    (kind, meeting_id); None if there is none."""
    target = next((r for r in rows if (r["kind"], r["id"]) == (kind, meeting_id)), None)
    if target is None:
        return None
    for r in rows:
        if (
            r is not target
            and r["taker"] is not None
            and r["taker"].pk == teacher_id
            and r["start"] < target["end"]
            and target["start"] < r["end"]
        ):
            return r
    return None


def sessions_not_taken(programme_ids: list[int], on: date, by: time) -> int:
    """The day's sessions of these programmes that have begun by `by` and whose attendance nobody
    took yet: the office's to chase. Sessions not yet made (nobody opened the day's page) are not
    counted: the arrangements page lists every meeting. One query."""
    return ServiceSession.objects.filter(
        programme_id__in=programme_ids, date=on, start__lte=by, taken_at__isnull=True
    ).count()
