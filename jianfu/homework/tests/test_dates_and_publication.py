"""Issue 12, "Dates cannot be rewritten": a past day is refused; a change to a published day (公示)
is recorded, shown to families as "更新于 HH:MM" with what changed, and the head teacher is asked to
publish again. The clock is Monday 23 November 2026, 08:00 Beijing time (conftest)."""

from datetime import timedelta
from unittest import mock

import pytest

from conftest import api
from jianfu.homework.models import ClassDayLoad, HomeworkItem
from jianfu.homework.publication.services import publication_revoke
from jianfu.homework.services import (
    Draft,
    HomeworkError,
    day_publish,
    homework_create,
    homework_update,
    homework_withdraw,
    publication_ensure,
)
from jianfu.homework.tests.conftest import MON, at

pytestmark = pytest.mark.django_db
SUN = MON - timedelta(days=1)


def post(world, minutes=20, on=MON, kind="written", text="练习册第35页", **kw):
    return homework_create(
        actor=world.users["teacher"],
        class_ids=[world.class_5_1.pk],
        date_set=on,
        date_due=on,
        draft=Draft(subject="math", minutes=minutes, kind=kind),
        description=text,
        **kw,
    )


def test_a_day_before_today_is_refused_naming_the_field(world, autumn_term):
    with pytest.raises(HomeworkError) as exc:
        post(world, on=SUN)
    assert (exc.value.code, exc.value.field) == ("homework_date_in_past", "date_set")
    assert "2026-11-22" in exc.value.message_zh
    assert not HomeworkItem.objects.exists()
    post(world, on=MON)  # today is allowed


def test_today_is_beijing_today_whatever_the_server_clock_says(world, autumn_term):
    # 00:30 on Monday in Beijing is still Sunday 16:30 in UTC: Sunday is already the past.
    with mock.patch("django.utils.timezone.now", return_value=at(MON, 0, 30)):
        with pytest.raises(HomeworkError):
            post(world, on=SUN)
        post(world, on=MON)


def test_api_answers_422_in_the_documented_shape(client, world, autumn_term):
    client.force_login(world.users["teacher"])
    body = {
        "class_ids": [world.class_5_1.pk],
        "subject": "math",
        "minutes": 10,
        "date_set": str(SUN),
        "date_due": str(MON),
        "description": "补记上周作业",
    }
    r = api(client, "post", "/api/v1/homework/items", body)
    assert r.status_code == 422
    assert set(r.json()) == {"code", "message", "message_en", "field", "details"}
    assert (r.json()["code"], r.json()["field"]) == ("homework_date_in_past", "date_set")


def test_the_form_shows_the_error_and_keeps_what_was_typed(client, world, autumn_term):
    client.force_login(world.users["teacher"])
    r = client.post(
        "/homework/post/",
        {
            "assignment": f"{world.class_5_1.pk}:math",
            "date_set": str(SUN),
            "date_due": str(SUN),
            "kind": "written",
            "where": "home",
            "minutes": "10",
            "tier": "required",
            "description": "补记上周作业",
        },
    )
    html = r.content.decode()
    assert r.status_code == 422 and "已经过去" in html and "补记上周作业" in html
    assert not HomeworkItem.objects.exists()


def test_a_past_item_can_be_neither_edited_nor_withdrawn(world, autumn_term):
    with mock.patch("django.utils.timezone.now", return_value=at(SUN)):
        [item] = post(world, on=SUN)
    with pytest.raises(HomeworkError) as exc:
        homework_update(actor=world.users["teacher"], item_id=item.pk, minutes=5)
    assert exc.value.code == "homework_date_in_past"
    with pytest.raises(HomeworkError):
        homework_withdraw(actor=world.users["teacher"], item_id=item.pk)
    item.refresh_from_db()
    assert (item.minutes, item.status) == (20, "active")


def _published(client, world):
    pub = publication_ensure(actor=world.users["head_teacher"], school_class=world.class_5_1)
    day_publish(actor=world.users["head_teacher"], school_class=world.class_5_1, on=MON)
    return f"/p/{pub.token}/"


def test_a_post_after_publication_is_shown_as_an_update_and_asks_the_head_teacher_again(
    client, world, autumn_term
):
    post(world, 20)
    url = _published(client, world)
    assert "更新于" not in client.get(url).content.decode()
    with mock.patch("django.utils.timezone.now", return_value=at(MON, 16, 5)):
        post(world, 15, kind="oral", text="背诵乘法口诀")
        html = client.get(url).content.decode()
        # Families see the item at once, marked as a change, with the time (Beijing) and what changed.
        assert "背诵乘法口诀" in html
        assert "更新于 16:05（班主任尚未重新确认）：新增：数学（口头）约15分钟" in html
        load = ClassDayLoad.objects.get(school_class=world.class_5_1, date=MON)
        assert load.needs_republish
        client.force_login(world.users["head_teacher"])
        week = client.get(f"/homework/class/{world.class_5_1.pk}/?week={MON}").content.decode()
        assert "公示后有变动，需重新公示" in week and f"republish-{MON}" in week
    with mock.patch("django.utils.timezone.now", return_value=at(MON, 16, 30)):
        client.post(f"/homework/class/{world.class_5_1.pk}/publish/", {"date": str(MON)})
        html = client.get(url).content.decode()
        assert "更新于 16:05（班主任已确认）" in html
        week = client.get(f"/homework/class/{world.class_5_1.pk}/?week={MON}").content.decode()
        assert "需重新公示" not in week


def test_edit_and_withdrawal_after_publication_are_shown_too(client, world, autumn_term):
    [item] = post(world, 60)
    url = _published(client, world)
    with mock.patch("django.utils.timezone.now", return_value=at(MON, 17, 0)):
        homework_update(actor=world.users["teacher"], item_id=item.pk, minutes=6)
        assert "修改：数学（书面）约60→6分钟" in client.get(url).content.decode()
        homework_withdraw(actor=world.users["teacher"], item_id=item.pk)
        html = client.get(url).content.decode()
        assert "撤回：数学（书面）约6分钟" in html and "练习册第35页" not in html


def test_a_day_not_yet_published_records_no_change(world, autumn_term):
    post(world, 20)
    load = ClassDayLoad.objects.get(school_class=world.class_5_1, date=MON)
    assert (load.changed_at, load.changes, load.needs_republish) == (None, [], False)


def test_a_refused_publication_writes_nothing(world):
    # 0045: publishing is the head teacher's; the office may make the page address, but a 公示 it
    # is refused must not leave a page (or its audit row) behind where the class had none.
    from jianfu.core.errors import PermissionDenied
    from jianfu.core.models import AuditEvent
    from jianfu.homework.models import ClassPublication

    with pytest.raises(PermissionDenied):
        day_publish(actor=world.users["academic"], school_class=world.class_5_1, on=MON)
    assert not ClassPublication.objects.filter(school_class=world.class_5_1).exists()
    assert not AuditEvent.objects.filter(action="publication_created").exists()
    # The head teacher's first 公示 makes the page in the same step.
    day_publish(actor=world.users["head_teacher"], school_class=world.class_5_1, on=MON)
    assert ClassPublication.objects.filter(school_class=world.class_5_1, revoked_at__isnull=True).count() == 1
    # The office may stand in on the address (a leaked QR code while the head teacher is away).
    new = publication_revoke(actor=world.users["academic"], school_class=world.class_5_1)
    assert new.revoked_at is None
