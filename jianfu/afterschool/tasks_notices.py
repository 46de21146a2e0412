"""Background work for after-school notices to families (Django's tasks API, like
jianfu/feedback/tasks.py): the SMS that goes with a FamilyNotice, sent after the transaction that
decided it has committed, so a rolled-back allocation never texts anyone."""

from __future__ import annotations

from django_tasks import task

from jianfu.accounts.sms import get_sms_backend


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
