"""Children not collected at their booked time (issue 15, a safety message to the family).

Monday 2026-11-23. 周小明 (the parent's child) in the basic part, booked for 18:00; 吴小红 only in a
course, not booked, so due at the service's end, 17:30. The programme's grace is 10 minutes."""

from __future__ import annotations

import logging

import pytest

from jianfu.afterschool.pickup.services import (
    check_times,
    departure_record,
    duty_assign,
    pickup_book,
    uncollected_check,
    uncollected_checks_queue,
)
from jianfu.afterschool.tests.factories_days import (
    MON,
    apply_for,
    at,
    course_in,
    pickup_slots,
    place,
    programme_for,
    teacher_of,
)
from jianfu.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def day(world, autumn_term):
    p = programme_for(world, autumn_term)
    coding = course_in(p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 3))
    apply_for(p, world.student, basic=True, by=world.users["parent"])
    place(coding, world.other_student)
    slots = pickup_slots(p)
    pickup_book(
        actor=world.users["parent"],
        programme_id=p.pk,
        student_id=world.student.pk,
        slot_id=slots["18:00"].pk,
        on=MON,
        weekly=False,
        now=at(MON, 9),
    )
    return p, slots


def told(user):
    return list(Message.objects.filter(recipient=user, kind="afterschool_uncollected"))


def test_nobody_is_told_before_the_booked_time_plus_grace(world, day):
    p, _slots = day
    # 17:39: 吴小红 is due at 17:30 + 10 = 17:40, 周小明 at 18:00 + 10 = 18:10.
    assert uncollected_check(programme_id=p.pk, on=MON, now=at(MON, 17, 39)) == 0
    assert not Message.objects.exists()


def test_at_the_time_plus_grace_each_uncollected_child_s_family_is_told_once(
    world, day, settings, caplog, immediate_tasks, django_capture_on_commit_callbacks
):
    p, _slots = day
    settings.SMS_BACKEND = "jianfu.accounts.tasks.LogSmsBackend"
    with caplog.at_level(logging.INFO, logger="jianfu.sms"), django_capture_on_commit_callbacks(execute=True):
        # 17:40: only 吴小红 (no account in the family: a text to 吴先生's roster phone, name masked).
        assert uncollected_check(programme_id=p.pk, on=MON, now=at(MON, 17, 40)) == 1
        # 18:10: 周小明 too; 吴小红's family is not told again (the check still counts them).
        assert uncollected_check(programme_id=p.pk, on=MON, now=at(MON, 18, 10)) == 2
    [m] = told(world.users["parent"])
    assert m.safety and m.title == "尚未接走：周小明" and "18:00" in m.body
    lines = sorted(r.getMessage() for r in caplog.records if r.name == "jianfu.sms")
    assert len(lines) == 2
    assert lines[0].startswith("SMS to 137****0001: 【减负】吴*红预约17:30离校")
    assert lines[1].startswith("SMS to 139****0007: 【减负】周*明预约18:00离校")


def test_a_child_collected_in_time_is_not_reported(world, day):
    p, slots = day
    duty_assign(
        actor=world.users["academic"],
        programme_id=p.pk,
        slot_id=slots["18:00"].pk,
        on=MON,
        teacher_id=teacher_of(world, "teacher").pk,
    )
    departure_record(
        actor=world.users["teacher"], programme_id=p.pk, student_id=world.student.pk, now=at(MON, 18, 5)
    )
    uncollected_check(programme_id=p.pk, on=MON, now=at(MON, 18, 30))
    assert told(world.users["parent"]) == []


def test_the_morning_job_queues_a_check_at_each_pickup_time_plus_grace(world, day):
    from django_tasks_db.models import DBTaskResult

    p, _slots = day
    # Slots 17:30 / 18:00 / 18:30, grace 10 minutes.
    assert check_times(p, MON) == [at(MON, 17, 40), at(MON, 18, 10), at(MON, 18, 40)]
    assert uncollected_checks_queue(on=MON) == 3
    queued = DBTaskResult.objects.filter(task_path__endswith="uncollected_check_task")
    assert sorted(r.run_after for r in queued) == [at(MON, 17, 40), at(MON, 18, 10), at(MON, 18, 40)]
