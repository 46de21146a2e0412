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

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.days.rules import attendance_rate, duty_minutes, share, subsidy_amount
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
from jianfu.core.errors import NotFound
from jianfu.schools.access import BUREAU_ROLES, SCHOOL_WIDE_ROLES, schools_for_actor
from jianfu.schools.models import School, Student, Teacher, Term, TermKind

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
    return figures_for_schools([school], {school.pk: term}, as_of=as_of, with_people=with_people)[0]


def figures_for_schools(
    schools: list[School], terms: dict[int, Term | None], *, as_of: date, with_people: bool = True
) -> list[Figures]:
    """school_figures for several schools (each with its term from `terms`, by school id), in the
    order given, in a fixed number of queries whatever the number of schools."""
    figs = {s.pk: Figures(school=s, term=terms.get(s.pk)) for s in schools}
    school_ids = list(figs)
    for school_id, n in _count_by(
        Student.objects.filter(school_id__in=school_ids, is_active=True), "school_id"
    ):
        figs[school_id].active_students = n
    for school_id, n in _count_by(Teacher.objects.filter(school_id__in=school_ids), "school_id"):
        figs[school_id].teachers = n
    counted = {sid: t for sid, t in terms.items() if t is not None and sid in figs}
    if not counted:
        return list(figs.values())
    # A programme counts for its school when it belongs to the term the school is shown for.
    programmes = [
        p
        for p in Programme.objects.filter(
            school_id__in=list(counted), term_id__in=[t.pk for t in counted.values()], status__in=COUNTED
        )
        if counted[p.school_id].pk == p.term_id
    ]
    if not programmes:
        return list(figs.values())
    school_of = {p.pk: p.school_id for p in programmes}

    placed = list(
        Enrolment.objects.filter(
            programme__in=programmes, status=EnrolmentStatus.PLACED, student__is_active=True
        ).values_list("programme_id", "course_id", "student_id")
    )
    taking_part: dict[int, set[int]] = defaultdict(set)
    for programme_id, _course_id, student_id in placed:
        taking_part[school_of[programme_id]].add(student_id)
    for programme_id, student_id in Application.objects.filter(
        programme__in=programmes, basic_part=True, withdrawn_at__isnull=True, student__is_active=True
    ).values_list("programme_id", "student_id"):
        taking_part[school_of[programme_id]].add(student_id)
    for school_id, students in taking_part.items():
        figs[school_id].students_taking_part = len(students)

    # Held sessions and duties count from the term's first day up to the reference date. One read
    # over the widest range, then each row held against its own school's term.
    until = {sid: min(as_of, t.end_date) for sid, t in counted.items()}

    def in_term(programme_id: int, on: date) -> bool:
        school_id = school_of[programme_id]
        return counted[school_id].start_date <= on <= until[school_id]

    start, end = min(t.start_date for t in counted.values()), max(until.values())
    held = [
        s
        for s in ServiceSession.objects.filter(
            programme__in=programmes, taken_at__isnull=False, date__gte=start, date__lte=end
        ).only("pk", "programme_id", "date", "start", "end", "teacher_id")
        if in_term(s.programme_id, s.date)
    ]
    duties = [
        d
        for d in StaffDuty.objects.filter(programme__in=programmes, date__gte=start, date__lte=end)
        .select_related("slot")
        .only("pk", "programme_id", "date", "teacher_id", "start", "slot__time")
        if in_term(d.programme_id, d.date)
    ]
    days: dict[int, set[date]] = defaultdict(set)
    for s in held:
        days[school_of[s.programme_id]].add(s.date)
    for school_id, dates in days.items():
        figs[school_id].service_days = len(dates)
    held_school = {s.pk: school_of[s.programme_id] for s in held}
    marks: dict[int, Counter[str]] = defaultdict(Counter)
    for session_id, status, n in (
        AttendanceRecord.objects.filter(
            session__programme__in=programmes,
            session__taken_at__isnull=False,
            session__date__gte=start,
            session__date__lte=end,
        )
        .values_list("session_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if session_id in held_school:
            marks[held_school[session_id]][status] += n
    for school_id, counter in marks.items():
        figs[school_id].marks = dict(counter)

    names: dict[int, str] = {}
    if with_people:
        names = dict(Teacher.objects.filter(school_id__in=school_ids).values_list("pk", "name"))
        # A session taught by a teacher of another school (shared staff) still counts for its teacher.
        others = {s.teacher_id for s in held if s.teacher_id} - set(names)
        if others:
            names.update(Teacher.objects.filter(pk__in=others).values_list("pk", "name"))
    hours: dict[int, dict[int, TeacherHours]] = defaultdict(dict)
    for s in held:
        if s.teacher_id is None:
            continue  # run by a provider's staff member: paid through the course fee, not teacher hours
        mine = hours[school_of[s.programme_id]]
        h = mine.setdefault(s.teacher_id, TeacherHours(s.teacher_id, names.get(s.teacher_id, "")))
        h.sessions += 1
        h.session_minutes += s.minutes
    for d in duties:
        mine = hours[school_of[d.programme_id]]
        h = mine.setdefault(d.teacher_id, TeacherHours(d.teacher_id, names.get(d.teacher_id, "")))
        h.duties += 1
        h.duty_minutes += duty_minutes(d.start, d.slot.time)
    for school_id, by_teacher in hours.items():
        fig = figs[school_id]
        fig.teachers_taking_part = len(by_teacher)
        fig.teacher_minutes = sum(h.total_minutes for h in by_teacher.values())
        if with_people:
            fig.hours = sorted(by_teacher.values(), key=lambda h: (-h.total_minutes, h.name, h.teacher_id))

    _money(figs, school_of, programmes, placed)
    return list(figs.values())


def _count_by(qs: Any, field: str) -> list[tuple[int, int]]:
    return list(qs.values_list(field).annotate(n=Count("pk")).order_by().values_list(field, "n"))


def _money(
    figs: dict[int, Figures],
    school_of: dict[int, int],
    programmes: list[Programme],
    placed: list[tuple[int, int, int]],
) -> None:
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
    subsidised_children: dict[int, set[int]] = defaultdict(set)
    courses = Course.objects.filter(pk__in=list(by_course)).order_by("programme_id", "category", "name", "pk")
    for course in courses:
        school_id = school_of[course.programme_id]
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
                subsidised_children[school_id].add(student_id)
        figs[school_id].courses.append(
            CourseMoney(
                course.pk, course.name, fee, len(children), subsidised, fee * len(children), subsidies
            )
        )
    for school_id in set(school_of.values()):
        fig = figs[school_id]
        fig.fees_due = sum((c.fees_due for c in fig.courses), ZERO)
        fig.subsidies = sum((c.subsidies for c in fig.courses), ZERO)
        fig.subsidised_children = len(subsidised_children[school_id])


def figures_school_for_actor(
    actor: Any, school_id: int | None, term_id: int | None, *, as_of: date
) -> Figures:
    """The school office's own figures (NotFound for anyone else)."""
    schools = schools_for_actor(actor, roles=SCHOOL_WIDE_ROLES)
    school = schools.filter(pk=school_id).first() if school_id else schools.order_by("code").first()
    if school is None:
        raise NotFound(_("学校"))
    terms = Term.objects.filter(school=school)
    term = (
        terms.filter(pk=term_id).first()
        if term_id
        else terms.filter(start_date__lte=as_of, end_date__gte=as_of).first()
        or terms.filter(afterschool_programmes__status__in=COUNTED).order_by("-start_date").first()
    )
    if term_id and term is None:
        raise NotFound(_("学期"))
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
    schools = schools_for_actor(actor, roles=BUREAU_ROLES)
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
    # The bureau and its inspectors; the custodian's one power is unsealing (decision 0045).
    schools = list(schools_for_actor(actor, roles=BUREAU_ROLES).order_by("code"))
    if not schools:
        raise NotFound(_("区县统计"))
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
    rows = figures_for_schools(
        schools, {s.pk: terms.get(s.pk) for s in schools}, as_of=as_of, with_people=False
    )
    total = Figures(school=School(name=str(_("合计"))), term=None)
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
