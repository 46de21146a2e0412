"""The inbox and the choices page: one's own messages only, unread first, the menu's count, and the
choices saved per kind and channel. Per-role access is in the permission matrix (tests/permissions)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import PERSONAS
from jianfu.notifications.models import Message, Preference
from jianfu.notifications.services import notify
from jianfu.notifications.tests.conftest import beijing

pytestmark = pytest.mark.django_db
ABSENT = {"child": "周小明", "day": "2026-12-03", "what": "趣味编程"}


def test_the_inbox_lists_unread_first_and_marks_read(client, world, clock):
    parent = world.users["parent"]
    clock.set(beijing(10))
    [old] = notify([parent], "complaint_answered", {"day": "2026-11-20"}, key="old", link_url="/cases/mine/")
    clock.set(beijing(11))
    [new] = notify([parent], "afterschool_absent", ABSENT, key="new")
    client.force_login(parent)
    Message.objects.filter(pk=new.pk).update(read_at=beijing(11, 5))
    page = client.get(reverse("notifications:inbox")).content.decode()
    # The older unread message comes before the newer read one.
    assert page.index("您的反映已答复") < page.index("课后服务缺席：周小明")
    assert "1 条未读" in page
    opened = client.post(reverse("notifications:read", args=[old.pk]), {"open": "1"})
    assert opened.status_code == 302 and opened["Location"] == "/cases/mine/"
    assert Message.objects.get(pk=old.pk).read_at is not None
    assert "没有未读消息" in client.get(reverse("notifications:inbox")).content.decode()


def test_the_menu_shows_the_unread_count(client, world, clock):
    parent = world.users["parent"]
    client.force_login(parent)
    assert ">消息</a>" in client.get(reverse("core:home")).content.decode()
    notify([parent], "afterschool_absent", ABSENT, key="a")
    notify([parent], "complaint_answered", {"day": "2026-11-20"}, key="b")
    assert ">消息（2）</a>" in client.get(reverse("core:home")).content.decode()
    client.post(reverse("notifications:inbox"))
    assert ">消息</a>" in client.get(reverse("core:home")).content.decode()


def test_nobody_reads_or_marks_anothers_message(client, world, clock):
    [m] = notify([world.users["parent"]], "afterschool_absent", ABSENT, key="a")
    client.force_login(world.users["head_teacher"])
    assert "周小明" not in client.get(reverse("notifications:inbox")).content.decode()
    assert client.post(reverse("notifications:read", args=[m.pk])).status_code == 404
    assert Message.objects.get(pk=m.pk).read_at is None


def test_an_offsite_link_is_never_followed(client, world, clock):
    [m] = notify(
        [world.users["parent"]], "afterschool_absent", ABSENT, key="a", link_url="https://evil.example/"
    )
    client.force_login(world.users["parent"])
    answer = client.post(reverse("notifications:read", args=[m.pk]), {"open": "1"})
    assert answer["Location"] == reverse("notifications:inbox")


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p in ("parent", "head_teacher", "principal")])
def test_the_choices_page_offers_the_persons_kinds(client, world, persona):
    client.force_login(world.users[persona])
    page = client.get(reverse("notifications:choices")).content.decode()
    family = "孩子课后服务缺席（安全）" in page
    staff = "作业特批待我审批" in page
    assert (family, staff) == ((True, False) if persona == "parent" else (False, True))


def test_choices_are_saved_and_shown_again(client, world):
    parent = world.users["parent"]
    client.force_login(parent)
    page = client.get(reverse("notifications:choices")).content.decode()
    # Defaults: SMS on for the absence and the answer; published homework off everywhere.
    assert 'name="afterschool_absent__sms" id="id_afterschool_absent__sms" checked' in page
    assert 'name="homework_published__sms" id="id_homework_published__sms" checked' not in page
    answer = client.post(
        reverse("notifications:choices"),
        {"afterschool_absent__sms": "on", "homework_published__inbox": "on"},
    )
    assert answer.status_code == 302
    stored = set(Preference.objects.filter(user=parent).values_list("kind", "channel", "enabled"))
    # The boxes left unticked turn the not-collected text and the complaint texts off (answered,
    # escalated) and the ticked inbox turns published homework on; what equals the default is not
    # stored.
    assert stored == {
        ("afterschool_uncollected", "sms", False),
        ("complaint_answered", "sms", False),
        ("complaint_escalated", "sms", False),
        ("homework_published", "inbox", True),
    }
    page = client.get(reverse("notifications:choices")).content.decode()
    assert 'name="homework_published__inbox" id="id_homework_published__inbox" checked' in page


def test_the_pages_in_english(client, world, clock):
    parent = world.users["parent"]
    parent.preferred_language = "en"
    parent.save(update_fields=["preferred_language"])
    notify([parent], "afterschool_absent", ABSENT, key="a")
    client.force_login(parent)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "After-school absence: 周小明" in inbox and "1 unread" in inbox and "Messages (1)" in inbox
    choices = client.get(reverse("notifications:choices")).content.decode()
    assert "Notification settings" in choices and "My child is absent from after-school service" in choices
