"""Families choosing courses (phone-first): opting a child in, ranking courses, opting out; the
school office verifying hardship claims.

Participation is voluntary (after_school_voluntary): a child takes part only if a guardian opts
them in, and opting out is always possible. Resubmitting replaces the choices: a double tap or a
retry never makes a second application (one row per child and programme, locked while it changes).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.models import (
    Application,
    ApplicationChoice,
    CourseStatus,
    Programme,
    ProgrammeStatus,
    SubsidyCategory,
)
from jianfu.afterschool.programme.rules import window_open
from jianfu.afterschool.programme.services import office_programme
from jianfu.afterschool.selectors import child_get_for_parent, programmes_for_child
from jianfu.core.audit import audit
from jianfu.core.errors import DomainError, NotFound


class ChoosingError(DomainError):
    WINDOW_CLOSED = "afterschool_window_closed"
    INVALID = "afterschool_choice_invalid"
    status = 422


class _When:
    """A moment of the window, written in the language the message is rendered in (8月24日 08:00 /
    Aug 24, 08:00): the error is raised once and may be read in either language."""

    def __init__(self, at: datetime) -> None:
        self.at = timezone.localtime(at)

    def __str__(self) -> str:
        return date_format(self.at, gettext("n月j日 H:i"))


def require_window(programme: Programme, now: datetime) -> None:
    if programme.status != ProgrammeStatus.CHOOSING or not window_open(
        programme.choice_opens_at, programme.choice_closes_at, now
    ):
        if programme.choice_opens_at is None or programme.choice_closes_at is None:
            raise ChoosingError(
                ChoosingError.WINDOW_CLOSED,
                _("现在不在选课时间内（学校尚未公布选课时间）"),
                field="programme",
            )
        raise ChoosingError(
            ChoosingError.WINDOW_CLOSED,
            _("现在不在选课时间内（选课时间为%(opens)s至%(closes)s）"),
            params={"opens": _When(programme.choice_opens_at), "closes": _When(programme.choice_closes_at)},
            field="programme",
        )


def _family_programme(actor: Any, programme_id: int, student_id: int) -> tuple[Programme, Any]:
    student = child_get_for_parent(actor, student_id)
    programme = programmes_for_child(student).filter(pk=programme_id).first()
    if programme is None:
        raise NotFound(_("课后服务方案"))
    return programme, student


@transaction.atomic
def application_submit(
    *,
    actor: Any,
    programme_id: int,
    student_id: int,
    course_ids: list[int],
    both_parents_working: bool = False,
    hardship_claimed: bool = False,
    hardship_category: str = "",
    basic_part: bool = True,
    now: datetime | None = None,
) -> Application:
    """Opt a child in and rank up to `max_choices` courses open to their grade (most wanted first).
    The same child's application is replaced, never duplicated. A changed hardship claim waits for
    the school office to verify it again; an unchanged one keeps its verification."""
    now = now or timezone.now()
    programme, student = _family_programme(actor, programme_id, student_id)
    require_window(programme, now)
    grade = student.school_class.grade.number
    if len(course_ids) != len(set(course_ids)):
        raise ChoosingError(ChoosingError.INVALID, _("同一门课程只能填一次"), field="course_ids")
    if len(course_ids) > programme.max_choices:
        raise ChoosingError(
            ChoosingError.INVALID,
            _("最多填报%(n)s个志愿"),
            params={"n": programme.max_choices},
            field="course_ids",
        )
    courses = {c.pk: c for c in programme.courses.filter(pk__in=course_ids, status=CourseStatus.OPEN)}
    for n, course_id in enumerate(course_ids, start=1):
        course = courses.get(course_id)
        if course is None:
            raise ChoosingError(
                ChoosingError.INVALID,
                _("第%(n)s志愿的课程不存在"),
                params={"n": n},
                field="course_ids",
            )
        if not course.min_grade <= grade <= course.max_grade:
            raise ChoosingError(
                ChoosingError.INVALID,
                _("第%(n)s志愿“%(course)s”只招%(min)s至%(max)s年级"),
                params={"n": n, "course": course.name, "min": course.min_grade, "max": course.max_grade},
                field="course_ids",
            )
    if not course_ids and not basic_part:
        raise ChoosingError(
            ChoosingError.INVALID,
            _("请至少选择基础托管或一门课程；不参加请选择“不参加课后服务”"),
            field="basic_part",
        )
    category = hardship_category if hardship_claimed else ""
    if hardship_claimed and category not in SubsidyCategory.values:
        raise ChoosingError(ChoosingError.INVALID, _("请选择困难类别"), field="hardship_category")
    app = Application.objects.select_for_update().filter(programme=programme, student=student).first()
    created = False
    if app is None:
        try:
            with transaction.atomic():
                app = Application.objects.create(programme=programme, student=student, submitted_by=actor)
                created = True
        except IntegrityError:
            # The other tap of a double tap got there first: update its row instead.
            app = Application.objects.select_for_update().get(programme=programme, student=student)
    if (app.hardship_claimed, app.hardship_category) != (hardship_claimed, category):
        app.hardship_verified = None
    app.hardship_claimed, app.hardship_category = hardship_claimed, category
    app.both_parents_working = both_parents_working
    app.basic_part = basic_part
    app.submitted_by = actor
    app.withdrawn_at = None
    app.save()
    app.choices.all().delete()
    ApplicationChoice.objects.bulk_create(
        [ApplicationChoice(application=app, course_id=c, rank=n) for n, c in enumerate(course_ids, start=1)]
    )
    audit(
        actor=actor,
        action="afterschool_application_submitted",
        obj=app,
        school_id=programme.school_id,
        data={"programme": programme.pk, "choices": len(course_ids), "new": created},
    )
    return app


@transaction.atomic
def application_withdraw(
    *, actor: Any, programme_id: int, student_id: int, now: datetime | None = None
) -> Application:
    """Opt a child out before the allocation (always possible: voluntary). After the allocation a
    family withdraws through `course_withdraw` / `participation_end` (waitlist/services.py), which
    also passes the place on."""
    now = now or timezone.now()
    programme, student = _family_programme(actor, programme_id, student_id)
    app = Application.objects.select_for_update().filter(programme=programme, student=student).first()
    if app is None:
        raise NotFound(_("报名"))
    if programme.status != ProgrammeStatus.CHOOSING:
        from jianfu.afterschool.waitlist.services import participation_end

        return participation_end(actor=actor, programme_id=programme.pk, student_id=student.pk)
    if app.withdrawn_at is None:
        app.withdrawn_at = now
        app.save(update_fields=["withdrawn_at", "updated_at"])
        audit(actor=actor, action="afterschool_application_withdrawn", obj=app, school_id=programme.school_id)
    return app


@transaction.atomic
def hardship_verify(*, actor: Any, programme_id: int, application_id: int, verified: bool) -> Application:
    """The school office confirms or rejects a hardship claim (only it sees them). Only a verified
    claim counts in the allocation's tier."""
    programme = office_programme(actor, programme_id)
    app = programme.applications.select_for_update().filter(pk=application_id, hardship_claimed=True).first()
    if app is None:
        raise NotFound(_("困难家庭申请"))
    app.hardship_verified = verified
    app.save(update_fields=["hardship_verified", "updated_at"])
    # The audit row records that a claim was decided, not which family is in hardship.
    audit(actor=actor, action="afterschool_hardship_decided", obj=app, school_id=programme.school_id)
    return app
