"""Telling families what happened to their child's place: a FamilyNotice for each guardian with an
account (shown on the family page) and an SMS to every guardian phone, queued after commit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.models import Course, FamilyNotice, Programme
from jianfu.afterschool.programme.selectors import course_schedule_zh
from jianfu.core.masking import mask_name
from jianfu.schools.models import Guardian, Student

SMS_BATCH = 500


class Say:
    """A catalogue text and its %-parameters, written in whatever language is active when it is
    turned into a string; `a + b` says one after the other. `%(name)s` is where the child's name
    goes: in full in the app (behind the parent's sign-in), masked in the SMS (an SMS passes through
    gateways and may be read over a shoulder). Parameters are substituted, never formatted into the
    template, so course names typed by schools may hold any character."""

    __slots__ = ("parts",)

    def __init__(self, message: Any, **params: Any) -> None:
        self.parts: list[tuple[Any, dict[str, Any]]] = [(message, params)]

    def __add__(self, other: Say) -> Say:
        joined = Say("")
        joined.parts = self.parts + other.parts
        return joined

    def render(self, name: str) -> str:
        return "".join(
            str(message) % {"name": name, **{k: str(v) for k, v in params.items()}}
            for message, params in self.parts
        )

    def __str__(self) -> str:
        return self.render("")


@dataclass(frozen=True)
class Notice:
    student: Student
    kind: str
    say: Say

    def text(self, language: str | None = None) -> str:
        with translation.override(language or settings.LANGUAGE_CODE):
            return self.say.render(self.student.name)[:300]

    def sms(self) -> str:
        # Text messages go to every guardian phone on the roster, most of them without an account
        # and so without a chosen language: they are written in the site's language.
        with translation.override(settings.LANGUAGE_CODE):
            return _("【减负】%(text)s详情请登录查看。") % {
                "text": self.say.render(mask_name(self.student.name))
            }


def course_line(course: Course) -> Say:
    """ "“足球”（周一、周三 16:50–17:50，操场）", in the language it is rendered in."""
    if course.room:
        return Say(
            _("“%(course)s”（%(schedule)s，%(room)s）"),
            course=course.name,
            schedule=_Schedule(course),
            room=course.room,
        )
    return Say(_("“%(course)s”（%(schedule)s）"), course=course.name, schedule=_Schedule(course))


class _Schedule:
    """A course's days and times, written when rendered (in the language then active)."""

    __slots__ = ("course",)

    def __init__(self, course: Course) -> None:
        self.course = course

    def __str__(self) -> str:
        return course_schedule_zh(self.course)


def notify(programme: Programme, notices: list[Notice]) -> int:
    """Store the notices and queue their SMS after commit. Returns notices stored."""
    if not notices:
        return 0
    users: dict[int, dict[int, str]] = {}
    for student_id, user_id, language in Guardian.objects.filter(
        student_id__in={n.student.pk for n in notices}, user__isnull=False
    ).values_list("student_id", "user_id", "user__preferred_language"):
        users.setdefault(student_id, {})[user_id] = language
    # Each parent reads the notice in the language they chose for their account.
    rows = [
        FamilyNotice(
            user_id=user_id, student=n.student, programme=programme, kind=n.kind, text=n.text(language)
        )
        for n in notices
        for user_id, language in sorted(users.get(n.student.pk, {}).items())
    ]
    FamilyNotice.objects.bulk_create(rows)
    items: list[list[int | str]] = [[n.student.pk, n.sms()] for n in notices]

    def enqueue() -> None:
        from jianfu.afterschool.notices.tasks import family_sms

        for i in range(0, len(items), SMS_BATCH):
            family_sms.enqueue(items[i : i + SMS_BATCH])

    transaction.on_commit(enqueue)
    return len(rows)
