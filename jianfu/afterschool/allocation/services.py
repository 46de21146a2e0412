"""The allocation run (after the choice window closes) and its publication.

The school office runs `allocation.allocate` over the open courses and the families' ranked choices
with a seed: random by default (`secrets`), or one the school enters for a public draw. Each child's
tier is the sum of the weights of the flags that apply to them (decision 0013). The run, its seed and
rules are stored, with one Enrolment per placed child and one per waiting-list place. Re-running
before publication replaces the result (every run stays on record with its seed, audited);
publishing locks it and tells every family.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.allocation import rules as allocation
from jianfu.afterschool.allocation.selectors import run_latest
from jianfu.afterschool.models import (
    AllocationRun,
    Application,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    NoticeKind,
    Programme,
    ProgrammeStatus,
)
from jianfu.afterschool.notices.services import Notice, Say, course_line, notify
from jianfu.afterschool.programme.rules import SEED_MAX, run_stats, tier
from jianfu.afterschool.programme.services import office_programme, require_status
from jianfu.afterschool.rules import Listed
from jianfu.core.audit import audit
from jianfu.core.errors import DomainError


class AllocationError(DomainError):
    WINDOW_OPEN = "afterschool_window_open"
    LOCKED = "afterschool_allocation_locked"
    INVALID = "afterschool_allocation_invalid"
    status = 409


def lost_out_last_round(programme: Programme) -> set[int]:
    """Children who applied to the school's previous programme (the latest published one of an
    earlier term), ranked at least one course and never held a place in it. A child who got a
    place and later left it did not lose out; one whose course was cancelled and who was not placed
    elsewhere did."""
    previous = (
        Programme.objects.filter(
            school_id=programme.school_id,
            term__start_date__lt=programme.term.start_date,
            status__in=[ProgrammeStatus.PUBLISHED, ProgrammeStatus.CLOSED],
        )
        .order_by("-term__start_date", "-pk")
        .first()
    )
    if previous is None:
        return set()
    applied = set(
        previous.applications.filter(withdrawn_at__isnull=True, choices__isnull=False).values_list(
            "student_id", flat=True
        )
    )
    held = set(
        previous.enrolments.filter(
            status__in=[EnrolmentStatus.PLACED, EnrolmentStatus.WITHDRAWN]
        ).values_list("student_id", flat=True)
    )
    return applied - held


def allocation_inputs(
    programme: Programme,
) -> tuple[list[allocation.Course], list[allocation.Applicant], dict[int, list[str]]]:
    """The pure allocation's inputs from the database: open courses, and one applicant per child who
    opted in (id = student id, grade, ranked course ids, tier), with the flags behind each tier.

    Ranked courses that were cancelled stay in the choices, so a child's rank is always the rank the
    family gave; `allocate` skips courses that are not offered."""
    courses = [
        allocation.Course(c.pk, c.capacity, frozenset(range(c.min_grade, c.max_grade + 1)))
        for c in programme.courses.filter(status=CourseStatus.OPEN).order_by("pk")
    ]
    weights = programme.priority_rules or {}
    lost = lost_out_last_round(programme) if weights.get("lost_out_last_round") else set()
    apps = (
        programme.applications.filter(withdrawn_at__isnull=True)
        .select_related("student__school_class__grade")
        .prefetch_related("choices")
        .order_by("pk")
    )
    applicants: list[allocation.Applicant] = []
    flags: dict[int, list[str]] = {}
    for app in apps:
        f = []
        if app.both_parents_working:
            f.append("both_parents_working")
        if app.hardship_claimed and app.hardship_verified is True:
            f.append("hardship")  # a claim counts only once the school office has verified it
        if app.student_id in lost:
            f.append("lost_out_last_round")
        flags[app.student_id] = f
        applicants.append(
            allocation.Applicant(
                app.student_id,
                app.student.school_class.grade.number,
                tuple(c.course_id for c in sorted(app.choices.all(), key=lambda c: c.rank)),
                priority=tier(f, weights),
            )
        )
    return courses, applicants, flags


@transaction.atomic
def allocation_run(
    *, actor: Any, programme_id: int, seed: int | None = None, now: datetime | None = None
) -> AllocationRun:
    """Run (or, before publication, re-run) the allocation. `seed` None draws one with `secrets`."""
    now = now or timezone.now()
    programme = office_programme(actor, programme_id, lock=True)
    if programme.status in (ProgrammeStatus.PUBLISHED, ProgrammeStatus.CLOSED):
        raise AllocationError(
            AllocationError.LOCKED,
            _("分配结果已公布，不能重新分配"),
            field="status",
        )
    require_status(programme, ProgrammeStatus.CHOOSING, ProgrammeStatus.ALLOCATED, action=_("分配名额"))
    if programme.choice_closes_at is None or programme.choice_closes_at > now:
        raise AllocationError(
            AllocationError.WINDOW_OPEN,
            _("选课尚未截止，请先结束选课"),
            field="choice_closes_at",
        )
    if seed is None:
        seed = secrets.randbelow(SEED_MAX) + 1
    elif not 0 <= seed <= SEED_MAX:
        raise AllocationError(
            AllocationError.INVALID,
            _("随机种子应为0到%(max)s之间的整数"),
            params={"max": SEED_MAX},
            field="seed",
            status=422,
        )
    list(
        Course.objects.select_for_update().filter(programme=programme).order_by("pk")
    )  # lock the course rows
    courses, applicants, flags = allocation_inputs(programme)
    result = allocation.allocate(courses, applicants, seed=seed)
    replaced = programme.runs.filter(published_at__isnull=True).values_list("pk", flat=True).first()
    programme.enrolments.all().delete()
    stats = run_stats(result, applicants)
    taken = result.seats_taken()
    stats["below_min_size"] = [
        c.pk
        for c in programme.courses.filter(status=CourseStatus.OPEN).order_by("pk")
        if taken.get(c.pk, 0) < c.min_size
    ]
    run = AllocationRun.objects.create(
        programme=programme,
        seed=seed,
        priority_rules=dict(programme.priority_rules or {}),
        run_by=actor,
        applicants=len(applicants),
        placed=stats["placed"],
        stats=stats,
    )
    rows = [
        Enrolment(
            programme=programme,
            course_id=course_id,
            student_id=student_id,
            status=EnrolmentStatus.PLACED,
            rank=result.rank_got[student_id],
            run=run,
        )
        for student_id, course_id in result.assigned.items()
        if course_id is not None
    ]
    choices = {a.id: a.choices for a in applicants}
    for course_id, queue in result.waitlists.items():
        rows += [
            Enrolment(
                programme=programme,
                course_id=course_id,
                student_id=student_id,
                status=EnrolmentStatus.WAITLISTED,
                rank=choices[student_id].index(course_id) + 1,
                waitlist_position=position,
                run=run,
            )
            for position, student_id in enumerate(queue, start=1)
        ]
    Enrolment.objects.bulk_create(rows, batch_size=1000)
    apps = list(programme.applications.filter(withdrawn_at__isnull=True))
    for app in apps:
        app.priority_flags = flags.get(app.student_id, [])
    Application.objects.bulk_update(apps, ["priority_flags"], batch_size=1000)
    programme.status = ProgrammeStatus.ALLOCATED
    programme.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor,
        action="afterschool_allocation_run",
        obj=run,
        school_id=programme.school_id,
        region_code=programme.school.region.code,
        data={
            "programme": programme.pk,
            "seed": seed,
            "replaces_run": replaced,
            "applicants": len(applicants),
            "placed": stats["placed"],
        },
    )
    return run


def result_notices(programme: Programme) -> list[Notice]:
    """One notice per child who opted in: their place, their waiting-list positions, or that they
    have the basic part only."""
    enrolments: dict[int, list[Enrolment]] = {}
    for e in programme.enrolments.filter(
        status__in=[EnrolmentStatus.PLACED, EnrolmentStatus.WAITLISTED]
    ).select_related("course"):
        enrolments.setdefault(e.student_id, []).append(e)
    notices = []
    for app in (
        programme.applications.filter(withdrawn_at__isnull=True)
        .select_related("student")
        .prefetch_related("choices")
    ):
        rows = enrolments.get(app.student_id, [])
        placed = next((e for e in rows if e.status == EnrolmentStatus.PLACED), None)
        waits = sorted((e for e in rows if e.status == EnrolmentStatus.WAITLISTED), key=lambda e: e.rank or 0)
        waiting = Listed(
            Say(_("“%(course)s”候补第%(position)s位"), course=e.course.name, position=e.waitlist_position)
            for e in waits
        )
        if placed is not None:
            say = Say(_("%(name)s的课后服务选课结果：已录取%(course)s。"), course=course_line(placed.course))
            if waits:
                say += Say(_("另在%(waiting)s，有空位时自动递补。"), waiting=waiting)
            notices.append(Notice(app.student, NoticeKind.PLACED, say))
        elif waits:
            say = Say(
                _(
                    "%(name)s的课后服务选课结果：所选课程名额已满，现%(waiting)s，有空位时自动递补；可参加基础托管。"
                ),
                waiting=waiting,
            )
            notices.append(Notice(app.student, NoticeKind.WAITLISTED, say))
        elif app.choices.exists():
            notices.append(
                Notice(
                    app.student,
                    NoticeKind.WAITLISTED,
                    Say(_("%(name)s的课后服务选课结果：所选课程暂无名额，可参加基础托管。")),
                )
            )
        else:
            notices.append(Notice(app.student, NoticeKind.OTHER, Say(_("%(name)s已报名课后服务基础托管。"))))
    return notices


@transaction.atomic
def allocation_publish(*, actor: Any, programme_id: int, now: datetime | None = None) -> AllocationRun:
    """Publish the latest run: the result is locked (no re-run) and every family is told, in the app
    and by SMS after commit."""
    now = now or timezone.now()
    programme = office_programme(actor, programme_id, lock=True)
    require_status(programme, ProgrammeStatus.ALLOCATED, action=_("公布结果"))
    run = run_latest(programme)
    if run is None:
        raise AllocationError(AllocationError.INVALID, _("还没有分配结果"))
    run.published_at = now
    run.save(update_fields=["published_at"])
    programme.status = ProgrammeStatus.PUBLISHED
    programme.save(update_fields=["status", "updated_at"])
    told = notify(programme, result_notices(programme))
    audit(
        actor=actor,
        action="afterschool_allocation_published",
        obj=run,
        school_id=programme.school_id,
        region_code=programme.school.region.code,
        data={"programme": programme.pk, "seed": run.seed, "notices": told},
    )
    return run
