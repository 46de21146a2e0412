"""Schemas of the after-school days API (attendance, pickup, duty, figures).

Children appear by id, name and class only: never a 学籍号, a phone number or hardship status.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema


class SessionOut(Schema):
    id: int
    date: dt.date
    start: dt.time
    end: dt.time
    title: str
    kind: str = Field(description="course / basic")
    room: str
    teacher: str | None
    size: int = Field(description="children in the session")
    marked: int = Field(description="children marked so far")

    # Read from a sessions_for_actor() row: {"session", "title", "room", "size", "marked"}.
    @staticmethod
    def resolve_id(obj: Any) -> int:
        return int(obj["session"].pk)

    @staticmethod
    def resolve_date(obj: Any) -> dt.date:
        return obj["session"].date  # type: ignore[no-any-return]

    @staticmethod
    def resolve_start(obj: Any) -> dt.time:
        return obj["session"].start  # type: ignore[no-any-return]

    @staticmethod
    def resolve_end(obj: Any) -> dt.time:
        return obj["session"].end  # type: ignore[no-any-return]

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return "course" if obj["session"].course_id else "basic"

    @staticmethod
    def resolve_teacher(obj: Any) -> str | None:
        return obj["session"].teacher.name if obj["session"].teacher else None


class ChildMark(Schema):
    student_id: int
    name: str
    class_name: str
    status: str | None = Field(None, description="present / absent / leave / late, or null if not marked")
    on_leave: bool = Field(False, description="the family reported leave for the session's day")


class SessionDetailOut(SessionOut):
    editable: bool = Field(description="whether the caller may write attendance for it now")
    children: list[ChildMark]


class MarkIn(Schema):
    student_id: int
    status: str = Field(description="present / absent / leave (excused) / late")


class MarkOut(Schema):
    student_id: int
    status: str


class MarkedCountOut(Schema):
    marked: int


class ChildAttendanceOut(Schema):
    date: dt.date
    start: dt.time
    end: dt.time
    what: str
    status: str
    status_label: str


class SupervisorIn(Schema):
    class_id: int
    teacher_id: int


class SupervisorOut(Schema):
    class_id: int
    teacher_id: int
    teacher: str

    # Read from a BasicSupervisor.
    @staticmethod
    def resolve_class_id(obj: Any) -> int:
        return int(obj.school_class_id)

    @staticmethod
    def resolve_teacher(obj: Any) -> str:
        return str(obj.teacher.name)


class CoverIn(Schema):
    date: dt.date
    course_id: int | None = None
    class_id: int | None = None
    teacher_id: int
    reason: str


class CoverOut(Schema):
    id: int
    date: dt.date
    course_id: int | None
    class_id: int | None
    teacher_id: int
    teacher: str
    reason: str

    # Read from a SessionCover.
    @staticmethod
    def resolve_class_id(obj: Any) -> int | None:
        return obj.school_class_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_teacher(obj: Any) -> str:
        return str(obj.teacher.name)


class DayTakerOut(Schema):
    kind: str  # "course" or "class" (basic part)
    id: int
    what: str
    start: dt.time
    end: dt.time
    regular: str
    cover: CoverOut | None
    taken: bool


class PickupSlotIn(Schema):
    time: dt.time


class PickupSlotOut(Schema):
    id: int
    time: dt.time
    label: str


class PickupDayOut(Schema):
    date: dt.date
    slot_id: int | None
    time: dt.time | None
    booked: bool = Field(description="false: the default slot (the service's end)")
    open: bool = Field(description="the family can still change it (until 14:00 that day)")
    latest_time: dt.time | None = Field(
        None, description="the latest pickup time that may be booked: the end of the day's last part"
    )


class ChildPickupOut(Schema):
    programme_id: int | None
    slots: list[PickupSlotOut]
    days: list[PickupDayOut]


class LeaveIn(Schema):
    programme_id: int
    start_date: dt.date
    end_date: dt.date | None = Field(None, description="empty: the start date only")
    reason: str = Field("", max_length=200, description="optional")


class LeaveOut(Schema):
    id: int
    student_id: int
    start_date: dt.date
    end_date: dt.date
    reason: str
    withdrawn: bool

    @staticmethod
    def resolve_withdrawn(obj: Any) -> bool:
        return obj.withdrawn_at is not None


class BookingIn(Schema):
    programme_id: int
    slot_id: int
    date: dt.date
    weekly: bool = Field(False, description="also every later service day of the same weekday this term")


class BookingOut(Schema):
    date: dt.date
    slot_id: int
    time: dt.time


class DutyOut(Schema):
    id: int
    slot_id: int
    date: dt.date
    teacher_id: int
    teacher: str
    start: dt.time

    # Read from a StaffDuty.
    @staticmethod
    def resolve_teacher(obj: Any) -> str:
        return str(obj.teacher.name)


class StaffingRowOut(Schema):
    slot_id: int
    time: dt.time
    is_default: bool
    children: int = Field(description="still at school after the previous slot")
    leaving: int
    needed: int = Field(description="ceil(children / pickup_children_per_staff)")
    short: int
    duties: list[DutyOut]

    # Read from a staffing_for() row: {"slot", "is_default", "children", ..., "duties"}.
    @staticmethod
    def resolve_slot_id(obj: Any) -> int:
        return int(obj["slot"].pk)

    @staticmethod
    def resolve_time(obj: Any) -> dt.time:
        return obj["slot"].time  # type: ignore[no-any-return]


class StaffingOut(Schema):
    date: dt.date
    expected: int
    per_staff: int
    rows: list[StaffingRowOut]


class DutyBatchIn(Schema):
    slot_id: int
    date: dt.date
    teacher_ids: list[int] = Field(min_length=1, description="several teachers at once, all or none")


class DutyIn(Schema):
    slot_id: int
    date: dt.date
    teacher_id: int


class OkOut(Schema):
    ok: bool


class PickupPersonGateOut(Schema):
    id: int
    name: str
    relationship: str
    phone_masked: str


class PickupPersonIn(Schema):
    programme_id: int
    name: str = Field(max_length=20)
    relationship: str = Field(description="grandparent / relative / carer / friend / other")
    phone: str = Field(description="the person's mobile number; only its masked form is kept")
    start_date: dt.date
    end_date: dt.date | None = Field(None, description="empty: the start date only")


class PickupPersonOut(Schema):
    id: int
    student_id: int
    name: str
    relationship: str
    phone_masked: str
    start_date: dt.date
    end_date: dt.date
    withdrawn: bool

    @staticmethod
    def resolve_withdrawn(obj: Any) -> bool:
        return obj.withdrawn_at is not None


class GateChildOut(Schema):
    student_id: int
    name: str
    class_name: str
    booked: bool
    departure_id: int | None
    left_at: dt.datetime | None
    late_minutes: int | None
    on_leave: bool = Field(False, description="the family reported leave for today")
    pickup_persons: list[PickupPersonGateOut] = Field(
        default_factory=list, description="other people the family named to collect the child today"
    )
    pickup_person_id: int | None = Field(None, description="who collected the child, if not the family")


class GateGroupOut(Schema):
    programme_id: int
    slot_id: int | None
    time: dt.time | None
    is_default: bool
    on_leave: bool = Field(False, description="the group of children on a family's leave, not coming")
    children: list[GateChildOut]


class DepartureIn(Schema):
    programme_id: int
    student_id: int
    pickup_person_id: int | None = Field(
        None, description="the person the family named for today who collected the child (empty: the family)"
    )


class DepartureOut(Schema):
    id: int
    student_id: int
    date: dt.date
    left_at: dt.datetime
    late_minutes: int
    pickup_person_id: int | None = None


class LateFlagOut(Schema):
    student_id: int
    name: str
    class_name: str
    count: int
    late_minutes: int
    dates: list[dt.date]

    # Read from a late_flags_for_actor() row: {"student", "count", "late_minutes", "dates"}.
    @staticmethod
    def resolve_student_id(obj: Any) -> int:
        return int(obj["student"].pk)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj["student"].name)

    @staticmethod
    def resolve_class_name(obj: Any) -> str:
        return str(obj["student"].school_class)


class TeacherHoursOut(Schema):
    teacher_id: int
    name: str
    sessions: int
    session_minutes: int
    duties: int
    duty_minutes: int
    hours: float


class CourseMoneyOut(Schema):
    course_id: int
    name: str
    fee: Decimal
    placed: int
    subsidised: int
    fees_due: Decimal
    subsidies: Decimal
    net: Decimal


class FiguresOut(Schema):
    school_id: int | None
    school: str
    term: str | None
    students_taking_part: int
    active_students: int
    student_rate: float | None
    teachers_taking_part: int
    teachers: int
    teacher_rate: float | None
    service_days: int
    marks: int
    came: int
    attendance_rate: float | None
    teacher_hours: float
    fees_due: Decimal
    subsidies: Decimal
    net: Decimal

    # Read from a figures.selectors.Figures (its properties compute the rates and money).
    @staticmethod
    def resolve_school_id(obj: Any) -> int | None:
        # The district's total stands on an unsaved School (no pk).
        return obj.school.pk  # type: ignore[no-any-return]

    @staticmethod
    def resolve_school(obj: Any) -> str:
        return str(obj.school.name)

    @staticmethod
    def resolve_term(obj: Any) -> str | None:
        return str(obj.term) if obj.term else None

    @staticmethod
    def resolve_marks(obj: Any) -> int:
        return int(obj.marks_total)


class SchoolFiguresOut(FiguresOut):
    hours: list[TeacherHoursOut]
    courses: list[CourseMoneyOut]


class DistrictFiguresOut(Schema):
    school_year: str
    kind: str
    schools: list[FiguresOut]
    total: FiguresOut

    # Read from a figures.selectors.DistrictFigures; its total stands on an unsaved School (school_id null).
    @staticmethod
    def resolve_schools(obj: Any) -> list[Any]:
        return list(obj.rows)
