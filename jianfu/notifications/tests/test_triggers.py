"""The events that tell people (issue 15, "Messages"): each trigger writes the inbox message and, for
a family, the SMS the log transport shows. Nobody's identity reaches a staff message."""

from __future__ import annotations

import logging

import pytest

from jianfu.accounts.tasks import MemorySmsBackend
from jianfu.notifications.models import Delivery, Message

pytestmark = pytest.mark.django_db


def test_a_child_marked_absent_tells_the_family_inbox_and_sms_log(
    world, autumn_term, settings, caplog, immediate_tasks, django_capture_on_commit_callbacks
):
    from jianfu.afterschool.attendance.services import attendance_mark, sessions_ensure
    from jianfu.afterschool.tests.factories_days import MON, at, course_in, place, programme_for, teacher_of

    settings.SMS_BACKEND = "jianfu.accounts.tasks.LogSmsBackend"
    p = programme_for(world, autumn_term)
    coding = course_in(p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 3), fee="300")
    place(coding, world.student, world.other_student)
    [session] = [s for s in sessions_ensure(actor=None, programme=p, on=MON) if s.course_id == coding.pk]
    teacher = world.users["teacher"]
    with caplog.at_level(logging.INFO, logger="jianfu.sms"), django_capture_on_commit_callbacks(execute=True):
        for student in (world.student, world.other_student):
            attendance_mark(
                actor=teacher, session_id=session.pk, student_id=student.pk, status="absent", now=at(MON, 17)
            )
        # The same tap again, and a correction back and forth: told once per session.
        attendance_mark(
            actor=teacher,
            session_id=session.pk,
            student_id=world.student.pk,
            status="present",
            now=at(MON, 17, 5),
        )
        attendance_mark(
            actor=teacher,
            session_id=session.pk,
            student_id=world.student.pk,
            status="absent",
            now=at(MON, 17, 6),
        )
    parent = world.users["parent"]
    [m] = Message.objects.filter(recipient=parent)
    assert m.safety and m.title == "课后服务缺席：周小明"
    assert "2026-11-23" in m.body and "趣味编程" in m.body
    assert m.link_url == "/afterschool/days/family/attendance/"
    lines = sorted(r.getMessage() for r in caplog.records if r.name == "jianfu.sms")
    # 周女士 (the parent's account, 139****0007) and 吴先生 (a roster phone without an account,
    # 137****0001): both texted, names masked.
    assert len(lines) == 2
    assert lines[0].startswith("SMS to 137****0001: 【减负】吴*红在2026-11-23的课后服务“趣味编程”点名缺席")
    assert lines[1].startswith("SMS to 139****0007: 【减负】周*明在2026-11-23的课后服务“趣味编程”点名缺席")


def test_marking_present_tells_nobody(world, autumn_term):
    from jianfu.afterschool.attendance.services import attendance_mark, sessions_ensure
    from jianfu.afterschool.tests.factories_days import MON, at, course_in, place, programme_for, teacher_of

    p = programme_for(world, autumn_term)
    coding = course_in(p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 3), fee="300")
    place(coding, world.student)
    [session] = [s for s in sessions_ensure(actor=None, programme=p, on=MON) if s.course_id == coding.pk]
    attendance_mark(
        actor=world.users["teacher"],
        session_id=session.pk,
        student_id=world.student.pk,
        status="present",
        now=at(MON, 17),
    )
    assert not Message.objects.exists()


def test_an_answered_complaint_tells_the_filer_only(world):
    from jianfu.cases.services import complaint_answer, complaint_file
    from jianfu.cases.tests.helpers import release

    c = release(
        complaint_file(
            actor=world.users["parent"],
            student_id=world.student.pk,
            category="homework",
            text="五年级(1)班最近每天作业都要写到十点以后",
        )
    )
    assert not Message.objects.exists()
    complaint_answer(
        actor=world.users["academic"],
        complaint_id=c.pk,
        answer="经核查，学校已要求该班每日书面作业不超过60分钟。",
    )
    [m] = Message.objects.all()
    assert m.recipient == world.users["parent"] and m.kind == "complaint_answered"
    assert m.link_url == "/cases/mine/"
    # Neither the school's answer nor the complaint's text is copied into the message.
    assert "十点" not in m.body and "60分钟" not in m.body


def test_an_exception_waits_for_the_head_teacher(world, autumn_term):
    from jianfu.homework.services import Draft, homework_create
    from jianfu.homework.tests.conftest import MON, at

    def post(minutes, reason=""):
        return homework_create(
            actor=world.users["teacher"],
            class_ids=[world.class_5_1.pk],
            date_set=MON,
            date_due=MON,
            draft=Draft(subject="math", minutes=minutes),
            description="math 练习",
            exception_reason=reason,
            now=at(MON),
        )

    post(50)
    assert not Message.objects.exists()
    [pending] = post(20, reason="单元复习")
    [m] = Message.objects.all()
    assert m.recipient == world.users["head_teacher"] and m.kind == "exception_waiting"
    assert m.link_url == f"/homework/class/{world.class_5_1.pk}/"
    # A staff message names the class and subject, not the poster nor any family.
    assert world.users["teacher"].name not in m.body and "周" not in m.body
    # Staff get it in the inbox; no SMS unless they choose it.
    assert not Delivery.objects.filter(channel="sms").exists()
    assert MemorySmsBackend.outbox == []
    assert pending.status == "pending"


def test_published_homework_tells_only_families_who_asked(world, autumn_term):
    from jianfu.homework.services import day_publish
    from jianfu.homework.tests.conftest import MON
    from jianfu.notifications.services import preferences_set

    parent = world.users["parent"]
    day_publish(actor=world.users["head_teacher"], school_class=world.class_5_1, on=MON)
    assert not Message.objects.exists()  # opt-in: off by default
    preferences_set(actor=parent, choices={"homework_published": {"inbox"}})
    day_publish(actor=world.users["head_teacher"], school_class=world.class_5_1, on=MON)
    [m] = Message.objects.all()
    assert m.recipient == parent and m.kind == "homework_published"
    # Published again after changes the same day: told once.
    day_publish(actor=world.users["head_teacher"], school_class=world.class_5_1, on=MON)
    assert Message.objects.count() == 1


def test_handlers_are_told_of_complaints_due_today_or_tomorrow(world):
    from datetime import timedelta

    from jianfu.cases.models import Complaint
    from jianfu.cases.services import complaint_file, complaints_deadline_remind
    from jianfu.cases.tests.helpers import release

    c = release(
        complaint_file(
            actor=world.users["parent"],
            student_id=world.student.pk,
            category="homework",
            text="五年级(1)班最近每天作业都要写到十点以后",
        )
    )
    c = Complaint.objects.get(pk=c.pk)
    due = c.answer_due
    assert complaints_deadline_remind(today=due - timedelta(days=2)) == 0
    told = complaints_deadline_remind(today=due - timedelta(days=1))
    # Nobody assigned: the school's principal and 教导处.
    recipients = set(Message.objects.values_list("recipient", flat=True))
    assert told == 2 and recipients == {world.users["principal"].pk, world.users["academic"].pk}
    m = Message.objects.filter(recipient=world.users["principal"]).get()
    assert m.body == f"有1条反映将在{due.isoformat()}到期，请及时答复。"
    # The same day again: nothing new. The complainant is never named.
    complaints_deadline_remind(today=due - timedelta(days=1))
    assert Message.objects.count() == 2
    assert world.users["parent"].name not in m.body
