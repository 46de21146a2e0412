"""The notification service: idempotent, retry-safe, quiet hours, the per-person rate, choices
(decision 0050). Expected values come from the decision's rules, not from running the code."""

from __future__ import annotations

import logging

import pytest

from jianfu.accounts.tasks import MemorySmsBackend
from jianfu.notifications import rules
from jianfu.notifications.models import Delivery, DeliveryStatus, Message, Preference
from jianfu.notifications.services import deferred_release, notify, preferences_set
from jianfu.notifications.services.sending import deliveries_send_now
from jianfu.notifications.tasks import deliveries_send
from jianfu.notifications.tests.conftest import beijing

pytestmark = pytest.mark.django_db

ABSENT = {"child": "周小明", "day": "2026-12-03", "what": "趣味编程"}
ANSWERED = {"day": "2026-11-20"}


def sms_of(phone: str) -> list[str]:
    return [t for p, t in MemorySmsBackend.outbox if p == phone]


def test_the_same_key_twice_stores_once(world, clock):
    parent = world.users["parent"]
    first = notify([parent], "complaint_answered", ANSWERED, key="k1")
    again = notify([parent], "complaint_answered", ANSWERED, key="k1")
    assert len(first) == 1 and again == []
    assert Message.objects.filter(recipient=parent).count() == 1
    assert Delivery.objects.filter(message__recipient=parent, channel="sms").count() == 1


def test_the_task_run_twice_sends_once(world, clock, immediate_tasks, django_capture_on_commit_callbacks):
    parent = world.users["parent"]
    with django_capture_on_commit_callbacks(execute=True):
        notify([parent], "complaint_answered", ANSWERED, key="k1")
    assert len(sms_of(parent.phone)) == 1
    ids = list(Delivery.objects.values_list("pk", flat=True))
    deliveries_send.enqueue(ids)  # a retry of the same task
    deliveries_send_now(ids)
    assert len(sms_of(parent.phone)) == 1
    [d] = Delivery.objects.all()
    assert (d.status, d.attempts) == (DeliveryStatus.SENT, 1)


def test_nothing_is_queued_when_the_transaction_rolls_back(world, clock, immediate_tasks):
    from django.db import transaction

    parent = world.users["parent"]

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        notify([parent], "afterschool_absent", ABSENT, key="k1")
        raise Boom
    assert not Message.objects.exists() and MemorySmsBackend.outbox == []


def test_quiet_hours_hold_non_safety_and_let_safety_through(world, clock):
    parent = world.users["parent"]
    clock.set(beijing(22))
    notify([parent], "complaint_answered", ANSWERED, key="answer")
    notify([parent], "afterschool_absent", ABSENT, key="absent")
    answer = Delivery.objects.get(message__kind="complaint_answered")
    absent = Delivery.objects.get(message__kind="afterschool_absent")
    # 22:00 is inside 21:00–07:00: held until 07:00 the next morning; safety is not held.
    assert answer.status == DeliveryStatus.DEFERRED and answer.not_before == beijing(7, day=4)
    assert absent.status == DeliveryStatus.QUEUED
    deliveries_send_now([answer.pk, absent.pk], now=beijing(22))
    assert len(sms_of(parent.phone)) == 1 and "周*明" in sms_of(parent.phone)[0]
    # The inbox has both at once.
    assert Message.objects.filter(recipient=parent).count() == 2


def test_deferred_messages_go_out_at_seven(world, clock, immediate_tasks, django_capture_on_commit_callbacks):
    parent = world.users["parent"]
    clock.set(beijing(23, 30))
    notify([parent], "complaint_answered", ANSWERED, key="answer")
    clock.set(beijing(6, 59, day=4))
    with django_capture_on_commit_callbacks(execute=True):
        assert deferred_release() == 0  # not yet
    clock.set(beijing(7, 0, day=4))
    with django_capture_on_commit_callbacks(execute=True):
        assert deferred_release() == 1
    assert len(sms_of(parent.phone)) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_task_that_waited_past_nine_is_held_too(world, clock):
    parent = world.users["parent"]
    clock.set(beijing(20, 59))
    notify([parent], "complaint_answered", ANSWERED, key="answer")
    d = Delivery.objects.get()
    assert d.status == DeliveryStatus.QUEUED
    deliveries_send_now([d.pk], now=beijing(21, 1))
    d.refresh_from_db()
    assert d.status == DeliveryStatus.DEFERRED and sms_of(parent.phone) == []


def test_quiet_hours_edges():
    assert rules.quiet_until(beijing(20, 59)) is None
    assert rules.quiet_until(beijing(21, 0)) == beijing(7, day=4)
    assert rules.quiet_until(beijing(6, 59)) == beijing(7)
    assert rules.quiet_until(beijing(7, 0)) is None


def test_the_per_person_rate_keeps_the_excess_in_the_inbox(world, clock):
    parent = world.users["parent"]
    for n in range(7):
        notify([parent], "complaint_answered", ANSWERED, key=f"answer-{n}")
    # Five an hour go out by SMS; the sixth and seventh are in the inbox only.
    statuses = list(Delivery.objects.order_by("message__pk").values_list("status", "error_code"))
    assert statuses == [("queued", "")] * 5 + [("skipped", "rate_limited")] * 2
    assert Message.objects.filter(recipient=parent).count() == 7
    # Safety is never limited.
    notify([parent], "afterschool_absent", ABSENT, key="absent")
    assert Delivery.objects.get(message__kind="afterschool_absent").status == DeliveryStatus.QUEUED
    # An hour later the count starts again.
    clock.set(beijing(17, 1))
    notify([parent], "complaint_answered", ANSWERED, key="answer-later")
    assert Delivery.objects.get(message__key="answer-later").status == DeliveryStatus.QUEUED


def test_an_opt_out_is_respected_and_the_inbox_stays(world, clock):
    parent = world.users["parent"]
    preferences_set(actor=parent, choices={"complaint_answered": {"inbox"}})
    notify([parent], "complaint_answered", ANSWERED, key="answer")
    assert Message.objects.filter(recipient=parent).count() == 1
    assert not Delivery.objects.exists()


def test_published_homework_is_opt_in(world, clock):
    parent = world.users["parent"]
    params = {"school_class": "五年级(1)班", "day": "2026-12-03"}
    assert notify([parent], "homework_published", params, key="pub-1") == []
    preferences_set(actor=parent, choices={"homework_published": {"inbox", "sms"}})
    assert len(notify([parent], "homework_published", params, key="pub-2")) == 1
    assert Delivery.objects.get().channel == "sms"
    # Choosing the defaults again removes the rows (nothing stored that says what the default says).
    preferences_set(actor=parent, choices={"homework_published": set()})
    assert not Preference.objects.filter(user=parent).exists()


def test_a_guardian_without_an_account_is_texted_safety_only(world, clock):
    from jianfu.schools.models import Guardian

    roster_only = Guardian.objects.get(phone="13700000001")
    assert notify([roster_only], "complaint_answered", ANSWERED, key="a") == []
    [m] = notify([roster_only], "afterschool_absent", ABSENT, key="b")
    assert m.recipient is None and m.guardian == roster_only
    deliveries_send_now(list(Delivery.objects.values_list("pk", flat=True)))
    [text] = sms_of("13700000001")
    assert "周*明" in text and "周小明" not in text


def test_the_log_transport_writes_a_masked_line(world, clock, settings, caplog):
    settings.SMS_BACKEND = "jianfu.accounts.tasks.LogSmsBackend"
    parent = world.users["parent"]
    notify([parent], "afterschool_absent", ABSENT, key="absent")
    with caplog.at_level(logging.INFO, logger="jianfu.sms"):
        deliveries_send_now(list(Delivery.objects.values_list("pk", flat=True)))
    [line] = [r.getMessage() for r in caplog.records if r.name == "jianfu.sms"]
    # The phone masked (139****0007), the child's name masked: no identifier in the log.
    assert line.startswith("SMS to 139****0007: 【减负】周*明在2026-12-03的课后服务“趣味编程”点名缺席")
    assert parent.phone not in line and "周小明" not in line


def test_the_message_is_in_the_recipients_language(world, clock):
    parent = world.users["parent"]
    parent.preferred_language = "en"
    parent.save(update_fields=["preferred_language"])
    [m] = notify([parent], "afterschool_absent", ABSENT, key="absent")
    assert m.title == "After-school absence: 周小明"
    assert "was marked absent" in m.body
