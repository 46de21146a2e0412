"""Telling families what happened to their child's place: a FamilyNotice for each guardian with an
account (shown on the family page) and an SMS to every guardian phone, queued after commit."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from jianfu.afterschool.models import Course, FamilyNotice, Programme
from jianfu.afterschool.programme.selectors import course_schedule_zh
from jianfu.core.masking import mask_name
from jianfu.schools.models import Guardian, Student

SMS_BATCH = 500


@dataclass(frozen=True)
class Notice:
    student: Student
    kind: str
    # Written with "{name}" where the child's name goes: in full in the app (behind the parent's
    # sign-in), masked in the SMS (an SMS passes through gateways and may be read over a shoulder).
    # Replaced, not str.format: course names are typed by schools and may hold braces.
    template: str

    def text(self) -> str:
        return self.template.replace("{name}", self.student.name)[:300]

    def sms(self) -> str:
        return "【减负】" + self.template.replace("{name}", mask_name(self.student.name)) + "详情请登录查看。"


def course_line(course: Course) -> str:
    """ "“足球”（周一、周三 16:50–17:50，操场）"."""
    where = f"，{course.room}" if course.room else ""
    return f"“{course.name}”（{course_schedule_zh(course)}{where}）"


def notify(programme: Programme, notices: list[Notice]) -> int:
    """Store the notices and queue their SMS after commit. Returns notices stored."""
    if not notices:
        return 0
    users: dict[int, list[int]] = {}
    for student_id, user_id in Guardian.objects.filter(
        student_id__in={n.student.pk for n in notices}, user__isnull=False
    ).values_list("student_id", "user_id"):
        users.setdefault(student_id, []).append(user_id)
    rows = [
        FamilyNotice(user_id=user_id, student=n.student, programme=programme, kind=n.kind, text=n.text())
        for n in notices
        for user_id in sorted(set(users.get(n.student.pk, [])))
    ]
    FamilyNotice.objects.bulk_create(rows)
    items: list[list[int | str]] = [[n.student.pk, n.sms()] for n in notices]

    def enqueue() -> None:
        from jianfu.afterschool.notices.tasks import family_sms

        for i in range(0, len(items), SMS_BATCH):
            family_sms.enqueue(items[i : i + SMS_BATCH])

    transaction.on_commit(enqueue)
    return len(rows)
