"""Schemas of the after-school days API (attendance, pickup, duty, figures).

Children appear by id, name and class only: never a 学籍号, a phone number or hardship status.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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


class ChildMark(Schema):
    student_id: int
    name: str
    class_name: str
    status: str | None = Field(None, description="present / absent / leave / late, or null if not marked")


class SessionDetailOut(SessionOut):
    editable: bool = Field(description="whether the caller may write attendance for it now")
    children: list[ChildMark]


class MarkIn(Schema):
    student_id: int
    status: str = Field(description="present (到) / absent (缺席) / leave (请假) / late (迟到)")


class MarkOut(Schema):
    student_id: int
    status: str


class CountOut(Schema):
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


class DayTakerOut(Schema):
    kind: str  # "course" or "class" (basic part)
    id: int
    what: str
    start: dt.time
    end: dt.time
    regular: str
    cover: CoverOut | None
    taken: bool


class SlotIn(Schema):
    time: dt.time


class SlotOut(Schema):
    id: int
    time: dt.time
    label: str


class PickupDayOut(Schema):
    date: dt.date
    slot_id: int | None
    time: dt.time | None
    booked: bool = Field(description="false: the default slot (the service's end)")
    open: bool = Field(description="the family can still change it (until 14:00 that day)")


class ChildPickupOut(Schema):
    programme_id: int | None
    slots: list[SlotOut]
    days: list[PickupDayOut]


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


class StaffingRowOut(Schema):
    slot_id: int
    time: dt.time
    is_default: bool
    children: int = Field(description="still at school after the previous slot")
    leaving: int
    needed: int = Field(description="ceil(children / pickup_children_per_staff)")
    short: int
    duties: list[DutyOut]


class StaffingOut(Schema):
    date: dt.date
    expected: int
    per_staff: int
    rows: list[StaffingRowOut]


class DutyIn(Schema):
    slot_id: int
    date: dt.date
    teacher_id: int


class OkOut(Schema):
    ok: bool


class GateChildOut(Schema):
    student_id: int
    name: str
    class_name: str
    booked: bool
    departure_id: int | None
    left_at: dt.datetime | None
    late_minutes: int | None


class GateGroupOut(Schema):
    programme_id: int
    slot_id: int | None
    time: dt.time | None
    is_default: bool
    children: list[GateChildOut]


class DepartureIn(Schema):
    programme_id: int
    student_id: int


class DepartureOut(Schema):
    id: int
    student_id: int
    date: dt.date
    left_at: dt.datetime
    late_minutes: int


class LateFlagOut(Schema):
    student_id: int
    name: str
    class_name: str
    count: int
    late_minutes: int
    dates: list[dt.date]


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


class SchoolFiguresOut(FiguresOut):
    hours: list[TeacherHoursOut]
    courses: list[CourseMoneyOut]


class DistrictFiguresOut(Schema):
    school_year: str
    kind: str
    schools: list[FiguresOut]
    total: FiguresOut
