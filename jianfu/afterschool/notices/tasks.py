"""Background work for after-school notices to families (Django's tasks API, like
jianfu/feedback/tasks.py): the SMS that goes with a FamilyNotice, sent after the transaction that
decided it has committed, so a rolled-back allocation never texts anyone."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from jianfu.accounts.tasks import get_sms_backend


@task()
def family_sms(items: list[list[int | str]]) -> int:
    """Text each child's guardians ([[student id, text], …]); every guardian phone on the roster
    gets it, with or without an account — families without the app are told too. Returns messages
    sent. The text names the child only masked (周*明) and the course: what the family needs."""
    from jianfu.schools.models import Guardian

    student_ids = {int(student_id) for student_id, _ in items}
    phones: dict[int, set[str]] = {}
    for sid, phone in Guardian.objects.filter(student_id__in=student_ids).values_list("student_id", "phone"):
        phones.setdefault(sid, set()).add(phone)
    sms = get_sms_backend()
    sent = 0
    for item_student, text in items:
        for phone in sorted(phones.get(int(item_student), ())):
            sms.send(phone=phone, text=str(text))
            sent += 1
    return sent


@task()
def cover_sms(cover_id: int) -> int:
    """Tell a substitute (代课) what they take and when. Nothing if the arrangement was withdrawn
    before the text went out. Returns messages sent."""
    from jianfu.afterschool.attendance.selectors import day_takers
    from jianfu.afterschool.models import SessionCover
    from jianfu.afterschool.rules import WEEKDAYS

    cover = (
        SessionCover.objects.select_related("programme", "teacher__user", "course", "school_class__grade")
        .filter(pk=cover_id)
        .first()
    )
    if cover is None or cover.teacher.user is None:
        return 0
    kind, target = ("course", cover.course_id) if cover.course_id else ("class", cover.school_class_id)
    meeting = next(
        (r for r in day_takers(cover.programme, cover.date) if (r["kind"], r["id"]) == (kind, target)), None
    )
    if meeting is None:
        return 0
    # The substitute has an account, so the text is in the language they chose for it.
    with translation.override(cover.teacher.user.preferred_language or settings.LANGUAGE_CODE):
        text = _(
            "【减负】您被安排于%(day)s（%(weekday)s）%(start)s–%(end)s代课：%(what)s。请当天在“课后点名”中点名。"
        ) % {
            "day": date_format(cover.date, _("n月j日")),
            "weekday": WEEKDAYS[cover.date.isoweekday()],
            "start": f"{meeting['start']:%H:%M}",
            "end": f"{meeting['end']:%H:%M}",
            "what": meeting["what"],
        }
    get_sms_backend().send(phone=cover.teacher.user.phone, text=text)
    return 1
