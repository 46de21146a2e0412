"""Courses below their minimum size after the allocation: the school office cancels one or merges it
into another course of the same weekdays; families are told (decision 0013).

Cancel: the course's children are placed, where possible, in their next-ranked course that still
has a place, in the allocation's own order (tier, then the run's lottery); the others keep the basic
part and join the waiting lists of their lower-ranked courses. Merge: every child moves to the
target course (source=merge), which must take them all within its capacity and grades.
Before publication nobody is told yet: the publication's notice gives each family its final result.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.allocation.selectors import run_latest
from jianfu.afterschool.models import (
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    NoticeKind,
    ProgrammeStatus,
)
from jianfu.afterschool.notices.services import Notice, Say, course_line, notify
from jianfu.afterschool.programme.rules import lottery_order, tier
from jianfu.afterschool.programme.services import ProgrammeError, office_programme, require_status
from jianfu.afterschool.waitlist.services import lock_courses, renumber
from jianfu.core.audit import audit
from jianfu.core.errors import NotFound


def _course(courses: dict[int, Course], course_id: int) -> Course:
    course = courses.get(course_id)
    if course is None:
        raise NotFound(_("课程"))
    if course.status != CourseStatus.OPEN:
        raise ProgrammeError(
            ProgrammeError.WRONG_STATUS,
            _("“%(course)s”已取消或合并"),
            params={"course": course.name},
            field="course_id",
            status=409,
        )
    return course


def _placed(course: Course) -> int:
    return Enrolment.objects.filter(course=course, status=EnrolmentStatus.PLACED).count()


def _drop_waitlist(course: Course) -> list[Enrolment]:
    """The course's waiting list ends with it: its rows are kept as cancelled (the family sees why)."""
    rows = list(course.enrolments.filter(status=EnrolmentStatus.WAITLISTED).select_related("student"))
    course.enrolments.filter(status=EnrolmentStatus.WAITLISTED).update(
        status=EnrolmentStatus.CANCELLED, waitlist_position=None
    )
    return rows


@transaction.atomic
def course_cancel(*, actor: Any, programme_id: int, course_id: int) -> list[Enrolment]:
    """Cancel a course (after the allocation). Returns the enrolments made elsewhere for its children."""
    programme = office_programme(actor, programme_id, lock=True)
    require_status(programme, ProgrammeStatus.ALLOCATED, ProgrammeStatus.PUBLISHED, action=_("取消课程"))
    courses = lock_courses(programme)
    course = _course(courses, course_id)
    run = run_latest(programme)
    displaced = {
        e.student_id: e
        for e in course.enrolments.filter(status=EnrolmentStatus.PLACED).select_related("student")
    }
    weights = run.priority_rules if run else {}
    tiers = {
        app.student_id: tier(app.priority_flags or [], weights)
        for app in programme.applications.filter(student_id__in=displaced)
    }
    ranked: dict[int, list[tuple[int, int]]] = {}
    for app_student, ranked_course, rank in programme.applications.filter(
        student_id__in=displaced
    ).values_list("student_id", "choices__course_id", "choices__rank"):
        if ranked_course is not None:
            ranked.setdefault(app_student, []).append((rank, ranked_course))
    course.status = CourseStatus.CANCELLED
    course.save(update_fields=["status"])
    waiting = _drop_waitlist(course)
    course.enrolments.filter(status=EnrolmentStatus.PLACED).update(status=EnrolmentStatus.CANCELLED)
    notices = [
        Notice(
            e.student,
            NoticeKind.COURSE_CANCELLED,
            Say(_("“%(course)s”因报名人数不足取消，%(name)s的候补随之取消。"), course=course.name),
        )
        for e in waiting
    ]
    moved: list[Enrolment] = []
    touched: set[int] = set()
    for student_id in lottery_order(run.seed if run else 0, {s: tiers.get(s, 0) for s in displaced}):
        old = displaced[student_id]
        grade = old.student.school_class.grade.number
        rank_of = {c: r for r, c in ranked.get(student_id, [])}
        later = [c for r, c in sorted(ranked.get(student_id, [])) if r > (old.rank or 0)]
        target = None
        for other_id in later:
            other = courses.get(other_id)
            if (
                other is None
                or other.status != CourseStatus.OPEN
                or not other.min_grade <= grade <= other.max_grade
            ):
                continue
            if _placed(other) < other.capacity:
                target = other
                break
            # Full: the child waits at the end of its list, behind those already waiting.
            last = Enrolment.objects.filter(course=other, status=EnrolmentStatus.WAITLISTED).aggregate(
                n=Max("waitlist_position")
            )["n"]
            Enrolment.objects.update_or_create(
                course=other,
                student_id=student_id,
                defaults={
                    "programme": programme,
                    "status": EnrolmentStatus.WAITLISTED,
                    "rank": rank_of[other_id],
                    "waitlist_position": (last or 0) + 1,
                    "source": EnrolmentSource.MANUAL,
                    "run": run,
                },
            )
            touched.add(other_id)
        if target is not None:
            e, _created = Enrolment.objects.update_or_create(
                course=target,
                student_id=student_id,
                defaults={
                    "programme": programme,
                    "status": EnrolmentStatus.PLACED,
                    "rank": rank_of[target.pk],
                    "waitlist_position": None,
                    "source": EnrolmentSource.MANUAL,
                    "run": run,
                },
            )
            moved.append(e)
            say = Say(
                _("“%(course)s”因报名人数不足取消，%(name)s已调整到%(target)s。"),
                course=course.name,
                target=course_line(target),
            )
        else:
            say = Say(
                _(
                    "“%(course)s”因报名人数不足取消，%(name)s所填其他课程暂无名额，可参加基础托管，有名额时自动递补。"
                ),
                course=course.name,
            )
        notices.append(Notice(old.student, NoticeKind.COURSE_CANCELLED, say))
    renumber(touched)
    if programme.status == ProgrammeStatus.PUBLISHED:
        notify(programme, notices)
    audit(
        actor=actor,
        action="afterschool_course_cancelled",
        obj=course,
        school_id=programme.school_id,
        data={"programme": programme.pk, "displaced": len(displaced), "placed_elsewhere": len(moved)},
    )
    return moved


@transaction.atomic
def course_merge(*, actor: Any, programme_id: int, course_id: int, into_course_id: int) -> Course:
    """Merge a course into another of the same weekdays: all its children move (source=merge).
    Refused if the target's grades or capacity cannot take them all."""
    programme = office_programme(actor, programme_id, lock=True)
    require_status(programme, ProgrammeStatus.ALLOCATED, ProgrammeStatus.PUBLISHED, action=_("合并课程"))
    courses = lock_courses(programme)
    course, into = _course(courses, course_id), _course(courses, into_course_id)
    if course.pk == into.pk:
        raise ProgrammeError(ProgrammeError.INVALID, _("不能合并到同一门课程"), field="into_course_id")
    if sorted(course.weekdays or []) != sorted(into.weekdays or []):
        raise ProgrammeError(
            ProgrammeError.INVALID,
            _("只能合并到上课星期相同的课程"),
            field="into_course_id",
        )
    placed = list(
        course.enrolments.filter(status=EnrolmentStatus.PLACED).select_related("student__school_class__grade")
    )
    outside = [
        e for e in placed if not into.min_grade <= e.student.school_class.grade.number <= into.max_grade
    ]
    if outside:
        raise ProgrammeError(
            ProgrammeError.INVALID,
            _("有%(n)s名学生不在“%(course)s”的招生年级（%(low)s–%(high)s年级）内"),
            params={"n": len(outside), "course": into.name, "low": into.min_grade, "high": into.max_grade},
            field="into_course_id",
        )
    total = _placed(into) + len(placed)
    if total > into.capacity:
        raise ProgrammeError(
            ProgrammeError.INVALID,
            _("合并后%(total)s人，超过“%(course)s”的名额%(capacity)s人"),
            params={"total": total, "course": into.name, "capacity": into.capacity},
            field="into_course_id",
        )
    ranks = dict(
        programme.applications.filter(
            student_id__in=[e.student_id for e in placed], choices__course=into
        ).values_list("student_id", "choices__rank")
    )
    for e in placed:
        # A child already waiting for the target now has it: that waiting row goes.
        into.enrolments.filter(student_id=e.student_id).exclude(pk=e.pk).delete()
        e.course, e.source, e.rank = into, EnrolmentSource.MERGE, ranks.get(e.student_id)
        e.save(update_fields=["course", "source", "rank", "updated_at"])
    renumber({into.pk})
    waiting = _drop_waitlist(course)
    course.status, course.merged_into = CourseStatus.MERGED, into
    course.save(update_fields=["status", "merged_into"])
    notices = [
        Notice(
            e.student,
            NoticeKind.COURSE_MERGED,
            Say(
                _("“%(course)s”与“%(into)s”合并，%(name)s改到%(target)s。"),
                course=course.name,
                into=into.name,
                target=course_line(into),
            ),
        )
        for e in placed
    ] + [
        Notice(
            e.student,
            NoticeKind.COURSE_MERGED,
            Say(
                _("“%(course)s”已并入“%(into)s”，%(name)s的候补随之取消。"),
                course=course.name,
                into=into.name,
            ),
        )
        for e in waiting
    ]
    if programme.status == ProgrammeStatus.PUBLISHED:
        notify(programme, notices)
    audit(
        actor=actor,
        action="afterschool_course_merged",
        obj=course,
        school_id=programme.school_id,
        data={"programme": programme.pk, "into": into.pk, "moved": len(placed)},
    )
    return into
