"""After-school figures (课后服务统计), computed only from the records — never typed in.

Per school and term (decision 0014 for the definitions):
- students taking part: active children with a placed course or the basic part / active students;
- teachers taking part: teachers who taught a held session (attendance taken) or did a gate duty,
  up to the reference date / the school's teachers;
- service days held: dates with at least one held session;
- attendance rate: (到 + 迟到) / every mark in held sessions;
- hours per teacher: minutes of held sessions taught plus gate-duty minutes (for the subsidy);
- fees due: course fee × placed children; subsidies: fee × the SubsidyRule percent for children whose
  hardship the school verified; net = fees − subsidies.
The district sees the same per school plus totals, and never anything about a child.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from jianfu.afterschool.models import (
    Application,
    AttendanceRecord,
    AttendanceStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    Programme,
    ProgrammeStatus,
    ServiceSession,
    StaffDuty,
    SubsidyCategory,
    SubsidyRule,
)
from jianfu.afterschool.rules_days import attendance_rate, duty_minutes, share, subsidy_amount
from jianfu.core.errors import NotFound
from jianfu.schools.models import School, Student, Teacher, Term, TermKind
from jianfu.schools.selectors import REGION_WIDE_ROLES, SCHOOL_WIDE_ROLES, schools_for_actor

COUNTED = (ProgrammeStatus.PUBLISHED, ProgrammeStatus.CLOSED)
ZERO = Decimal("0.00")


@dataclass
class TeacherHours:
    teacher_id: int
    name: str
    sessions: int = 0
    session_minutes: int = 0
    duties: int = 0
    duty_minutes: int = 0

    @property
    def total_minutes(self) -> int:
        return self.session_minutes + self.duty_minutes

    @property
    def hours(self) -> float:
        return round(self.total_minutes / 60, 2)


@dataclass
class CourseMoney:
    course_id: int
    name: str
    fee: Decimal
    placed: int
    subsidised: int
    fees_due: Decimal
    subsidies: Decimal

    @property
    def net(self) -> Decimal:
        return self.fees_due - self.subsidies


@dataclass
class Figures:
    school: School
    term: Term | None
    students_taking_part: int = 0
    active_students: int = 0
    teachers_taking_part: int = 0
    teachers: int = 0
    service_days: int = 0
    marks: dict[str, int] = field(default_factory=dict)
    teacher_minutes: int = 0
    fees_due: Decimal = ZERO
    subsidies: Decimal = ZERO
    subsidised_children: int = 0
    hours: list[TeacherHours] = field(default_factory=list)
    courses: list[CourseMoney] = field(default_factory=list)

    @property
    def student_rate(self) -> float | None:
        return share(self.students_taking_part, self.active_students)

    @property
    def teacher_rate(self) -> float | None:
        return share(self.teachers_taking_part, self.teachers)

    @property
    def attendance_rate(self) -> float | None:
        m = self.marks
        return attendance_rate(
            m.get(AttendanceStatus.PRESENT, 0),
            m.get(AttendanceStatus.LATE, 0),
            m.get(AttendanceStatus.ABSENT, 0),
            m.get(AttendanceStatus.LEAVE, 0),
        )

    @property
    def marks_total(self) -> int:
        return sum(self.marks.values())

    @property
    def came(self) -> int:
        return self.marks.get(AttendanceStatus.PRESENT, 0) + self.marks.get(AttendanceStatus.LATE, 0)

    @property
    def net(self) -> Decimal:
        return self.fees_due - self.subsidies

    @property
    def teacher_hours(self) -> float:
        return round(self.teacher_minutes / 60, 2)


def school_figures(school: School, term: Term | None, *, as_of: date, with_people: bool = True) -> Figures:
    """The figures of one school for one term, from sessions, attendance, duties, enrolments and
    applications. `with_people=False` leaves out the per-teacher list (the district's view)."""
    fig = Figures(school=school, term=term)
    fig.active_students = Student.objects.filter(school=school, is_active=True).count()
    fig.teachers = Teacher.objects.filter(school=school).count()
    if term is None:
        return fig
    programmes = list(Programme.objects.filter(school=school, term=term, status__in=COUNTED))
    if not programmes:
        return fig
    placed = list(
        Enrolment.objects.filter(
            programme__in=programmes, status=EnrolmentStatus.PLACED, student__is_active=True
        ).values_list("programme_id", "course_id", "student_id")
    )
    basic = set(
        Application.objects.filter(
            programme__in=programmes, basic_part=True, withdrawn_at__isnull=True, student__is_active=True
        ).values_list("student_id", flat=True)
    )
    fig.students_taking_part = len({s for _, _, s in placed} | basic)

    until = min(as_of, term.end_date)
    held = list(
        ServiceSession.objects.filter(
            programme__in=programmes, taken_at__isnull=False, date__gte=term.start_date, date__lte=until
        ).only("pk", "date", "start", "end", "teacher_id")
    )
    duties = list(
        StaffDuty.objects.filter(programme__in=programmes, date__gte=term.start_date, date__lte=until)
        .select_related("slot")
        .only("pk", "teacher_id", "start", "slot__time")
    )
    fig.service_days = len({s.date for s in held})
    fig.marks = dict(
        Counter(AttendanceRecord.objects.filter(session__in=held).values_list("status", flat=True))
    )

    hours: dict[int, TeacherHours] = {}
    names = dict(Teacher.objects.filter(school=school).values_list("pk", "name"))
    # A session taught by a teacher of another school (shared staff) still counts for its teacher.
    names.update(
        Teacher.objects.filter(pk__in={s.teacher_id for s in held if s.teacher_id} - set(names)).values_list(
            "pk", "name"
        )
    )
    for s in held:
        if s.teacher_id is None:
            continue  # run by a provider's staff member: paid through the course fee, not teacher hours
        h = hours.setdefault(s.teacher_id, TeacherHours(s.teacher_id, names.get(s.teacher_id, "")))
        h.sessions += 1
        h.session_minutes += s.minutes
    for d in duties:
        h = hours.setdefault(d.teacher_id, TeacherHours(d.teacher_id, names.get(d.teacher_id, "")))
        h.duties += 1
        h.duty_minutes += duty_minutes(d.start, d.slot.time)
    fig.teachers_taking_part = len(hours)
    fig.teacher_minutes = sum(h.total_minutes for h in hours.values())
    if with_people:
        fig.hours = sorted(hours.values(), key=lambda h: (-h.total_minutes, h.name, h.teacher_id))

    _money(fig, programmes, placed)
    return fig


def _money(fig: Figures, programmes: list[Programme], placed: list[tuple[int, int, int]]) -> None:
    percent = {
        (r.programme_id, r.category): r.percent for r in SubsidyRule.objects.filter(programme__in=programmes)
    }
    verified = {
        (a.programme_id, a.student_id): a.hardship_category or SubsidyCategory.HARDSHIP
        for a in Application.objects.filter(programme__in=programmes, hardship_verified=True).only(
            "programme_id", "student_id", "hardship_category"
        )
    }
    by_course: dict[int, list[int]] = defaultdict(list)
    for _programme_id, course_id, student_id in placed:
        by_course[course_id].append(student_id)
    subsidised_children: set[int] = set()
    courses = Course.objects.filter(pk__in=list(by_course)).order_by("programme_id", "category", "name", "pk")
    for course in courses:
        fee = course.fee_per_term
        children = by_course[course.pk]
        subsidies = ZERO
        subsidised = 0
        for student_id in children:
            category = verified.get((course.programme_id, student_id))
            pct = percent.get((course.programme_id, category)) if category else None
            if pct and fee > 0:
                subsidies += subsidy_amount(fee, pct)
                subsidised += 1
                subsidised_children.add(student_id)
        fig.courses.append(
            CourseMoney(
                course.pk, course.name, fee, len(children), subsidised, fee * len(children), subsidies
            )
        )
    fig.fees_due = sum((c.fees_due for c in fig.courses), ZERO)
    fig.subsidies = sum((c.subsidies for c in fig.courses), ZERO)
    fig.subsidised_children = len(subsidised_children)


def figures_school_for_actor(
    actor: Any, school_id: int | None, term_id: int | None, *, as_of: date
) -> Figures:
    """The school office's own figures (NotFound for anyone else)."""
    schools = schools_for_actor(actor, roles=SCHOOL_WIDE_ROLES)
    school = schools.filter(pk=school_id).first() if school_id else schools.order_by("code").first()
    if school is None:
        raise NotFound("学校", "school")
    terms = Term.objects.filter(school=school)
    term = (
        terms.filter(pk=term_id).first()
        if term_id
        else terms.filter(start_date__lte=as_of, end_date__gte=as_of).first()
        or terms.filter(afterschool_programmes__status__in=COUNTED).order_by("-start_date").first()
    )
    if term_id and term is None:
        raise NotFound("学期", "term")
    return school_figures(school, term, as_of=as_of)


@dataclass
class DistrictFigures:
    school_year: str
    kind: str
    rows: list[Figures]
    total: Figures

    @property
    def kind_label(self) -> str:
        return str(dict(TermKind.choices).get(self.kind, self.kind))


def district_terms(actor: Any) -> list[tuple[str, str]]:
    """(school year, kind) of the terms of the actor's schools, newest first."""
    schools = schools_for_actor(actor, roles=REGION_WIDE_ROLES)
    seen: list[tuple[str, str]] = []
    for year, kind in (
        Term.objects.filter(school__in=schools).order_by("-start_date").values_list("school_year", "kind")
    ):
        if (year, kind) not in seen:
            seen.append((year, kind))
    return seen


def district_figures(
    actor: Any, *, school_year: str | None, kind: str | None, as_of: date
) -> DistrictFigures:
    """Per school of the bureau's region and below, plus totals: figures only, no child and no
    teacher named (NotFound for anyone without a bureau role)."""
    schools = list(schools_for_actor(actor, roles=REGION_WIDE_ROLES).order_by("code"))
    if not schools:
        raise NotFound("区县统计", "district figures")
    if not school_year or not kind:
        current = (
            Term.objects.filter(school__in=schools, start_date__lte=as_of, end_date__gte=as_of).first()
            or Term.objects.filter(school__in=schools).order_by("-start_date").first()
        )
        school_year = current.school_year if current else ""
        kind = current.kind if current else TermKind.AUTUMN
    terms = {
        t.school_id: t for t in Term.objects.filter(school__in=schools, school_year=school_year, kind=kind)
    }
    rows = [school_figures(s, terms.get(s.pk), as_of=as_of, with_people=False) for s in schools]
    total = Figures(school=School(name="合计"), term=None)
    for r in rows:
        total.students_taking_part += r.students_taking_part
        total.active_students += r.active_students
        total.teachers_taking_part += r.teachers_taking_part
        total.teachers += r.teachers
        total.service_days += r.service_days
        total.teacher_minutes += r.teacher_minutes
        total.fees_due += r.fees_due
        total.subsidies += r.subsidies
        for k, v in r.marks.items():
            total.marks[k] = total.marks.get(k, 0) + v
    return DistrictFigures(school_year=school_year, kind=kind, rows=rows, total=total)
