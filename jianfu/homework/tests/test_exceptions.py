"""Issue 12, "Nobody approves their own exception": who decides, the weekly limit per class, the
academic office's page and notices, and the public page's one plain line."""

from datetime import date, timedelta

import pytest

from conftest import PERSONAS, api
from jianfu.core.errors import PermissionDenied
from jianfu.homework.models import CapException, ClassDayLoad, HomeworkNotice, Status
from jianfu.homework.services import (
    Draft,
    HomeworkError,
    day_publish,
    exception_approve,
    exception_reject,
    homework_create,
    homework_withdraw,
    publication_ensure,
)
from jianfu.homework.tests.conftest import MON, at
from jianfu.policies.services import PolicyError, profile_override_set

pytestmark = pytest.mark.django_db


def post(world, who, subject, minutes, on=MON, reason=""):
    return homework_create(
        actor=world.users[who],
        class_ids=[world.class_5_1.pk],
        date_set=on,
        date_due=on,
        draft=Draft(subject=subject, minutes=minutes),
        description=f"{subject} 练习",
        exception_reason=reason,
        now=at(on),
    )


def head_teacher_over_cap(world, on=MON):
    """The math teacher posts 50; the head teacher (语文) asks for 20 more: 70 > 60."""
    post(world, "teacher", "math", 50, on=on)
    [pending] = post(world, "head_teacher", "chinese", 20, on=on, reason="单元复习")
    return pending


def test_the_head_teachers_own_item_goes_to_the_academic_office(world, autumn_term):
    pending = head_teacher_over_cap(world)
    with pytest.raises(PermissionDenied) as exc:
        exception_approve(actor=world.users["head_teacher"], item_id=pending.pk, reason="自己批准自己")
    assert "自己" in exc.value.message_zh
    # The math teacher of the class is not an approver either.
    with pytest.raises(PermissionDenied):
        exception_approve(actor=world.users["teacher"], item_id=pending.pk, reason="同事帮忙")
    exception = exception_approve(actor=world.users["academic"], item_id=pending.pk, reason="期中复习")
    # 50 + 20 = 70 against 60: 10 minutes over, approved by 教导处.
    assert (exception.extra_minutes, exception.approver_role) == (10, "教导处")
    assert not CapException.objects.filter(approved_by=world.users["head_teacher"]).exists()


def test_the_principal_may_stand_in_for_the_academic_office(world, autumn_term):
    pending = head_teacher_over_cap(world)
    exception = exception_approve(actor=world.users["principal"], item_id=pending.pk, reason="期中复习")
    assert exception.approver_role == "校长"


def test_a_district_may_name_the_principal_instead(world, autumn_term):
    profile_override_set(
        actor=world.users["bureau"],
        region=world.district,
        key="settings.homework_own_exception_approver",
        value="principal",
        effective_from=date(2026, 9, 1),
        reason="区规定",
    )
    pending = head_teacher_over_cap(world)
    with pytest.raises(PermissionDenied) as exc:
        exception_approve(actor=world.users["academic"], item_id=pending.pk, reason="复习")
    assert "校长" in exc.value.message_zh
    assert exception_approve(actor=world.users["principal"], item_id=pending.pk, reason="复习")


def test_another_teachers_item_is_decided_by_the_head_teacher(world, autumn_term):
    post(world, "head_teacher", "chinese", 50)
    [pending] = post(world, "teacher", "math", 20, reason="单元复习")
    exception = exception_approve(actor=world.users["head_teacher"], item_id=pending.pk, reason="已协调")
    assert (exception.extra_minutes, exception.approver_role) == (10, "班主任")


def test_two_exceptions_per_class_per_week_then_refused_naming_the_rule(world, autumn_term):
    tue, wed = MON + timedelta(days=1), MON + timedelta(days=2)
    head_teacher_over_cap(world, MON)
    head_teacher_over_cap(world, tue)
    with pytest.raises(HomeworkError) as exc:
        head_teacher_over_cap(world, wed)
    assert exc.value.code == "exception_limit_reached"
    assert "每班每周2次" in exc.value.message_zh and "每班每周作业超时特批次数上限" in exc.value.message_zh
    # A turned-down request no longer counts; next week starts afresh.
    pending = HomeworkNotice.objects.filter(item__date_set=MON).first().item
    exception_reject(actor=world.users["academic"], item_id=pending.pk, reason="请减量")
    [again] = post(world, "head_teacher", "chinese", 20, on=wed, reason="单元复习")  # math's 50 is there
    assert again.status == Status.PENDING
    head_teacher_over_cap(world, MON + timedelta(days=7))


def test_a_district_may_tighten_the_weekly_limit_but_not_loosen_it(world, autumn_term):
    with pytest.raises(PolicyError):
        profile_override_set(
            actor=world.users["bureau"],
            region=world.district,
            key="settings.homework_exceptions_per_class_week_max",
            value=3,
            effective_from=date(2026, 9, 1),
            reason="想多批几次",
        )
    profile_override_set(
        actor=world.users["bureau"],
        region=world.district,
        key="settings.homework_exceptions_per_class_week_max",
        value=1,
        effective_from=date(2026, 9, 1),
        reason="区规定",
    )
    head_teacher_over_cap(world, MON)
    with pytest.raises(HomeworkError) as exc:
        head_teacher_over_cap(world, MON + timedelta(days=1))
    assert "每班每周1次" in exc.value.message_zh


def test_a_withdrawn_items_approval_cannot_be_spent_on_another_item(world, autumn_term):
    pending = head_teacher_over_cap(world)
    exception_approve(actor=world.users["academic"], item_id=pending.pk, reason="期中复习")
    homework_withdraw(actor=world.users["head_teacher"], item_id=pending.pk, now=at(MON))
    assert ClassDayLoad.objects.get(school_class=world.class_5_1, date=MON).exception_minutes == 0
    with pytest.raises(HomeworkError) as exc:
        post(world, "head_teacher", "chinese", 20)  # 70 again: the old approval no longer holds
    assert exc.value.code == "daily_cap_exceeded"


def test_the_academic_office_is_told_of_each_exception(client, world, autumn_term):
    pending = head_teacher_over_cap(world)
    notices = list(HomeworkNotice.objects.filter(school=world.school))
    assert len(notices) == 1 and "申请特批" in notices[0].text and "由教导处审批" in notices[0].text
    assert "理由：单元复习" in notices[0].text
    client.force_login(world.users["academic"])
    home = client.get("/").content.decode()
    assert "作业特批（1条新）" in home
    page = client.get(f"/homework/exceptions/?week={MON}").content.decode()
    assert f'id="pending-{pending.pk}"' in page and "单元复习" in page
    client.post(
        f"/homework/item/{pending.pk}/approve/",
        {"decision": "approve", "reason": "期中复习", "next": "exceptions"},
    )
    assert pending.__class__.objects.get(pk=pending.pk).status == Status.ACTIVE
    assert HomeworkNotice.objects.filter(read_at__isnull=True).count() == 2  # requested, approved
    client.post("/homework/exceptions/read/")
    assert not HomeworkNotice.objects.filter(read_at__isnull=True).exists()
    assert "作业特批（" not in client.get("/").content.decode()


def test_the_class_page_says_who_decides_instead_of_offering_the_head_teacher_a_button(
    client, world, autumn_term
):
    pending = head_teacher_over_cap(world)
    client.force_login(world.users["head_teacher"])
    html = client.get(f"/homework/class/{world.class_5_1.pk}/?week={MON}").content.decode()
    assert f'action="/homework/item/{pending.pk}/approve/"' not in html and "由教导处审批" in html


def test_the_public_page_explains_an_approved_exception_in_one_line(client, world, autumn_term):
    pending = head_teacher_over_cap(world)
    exception_approve(actor=world.users["academic"], item_id=pending.pk, reason="期中前复习")
    pub = publication_ensure(actor=world.users["head_teacher"], school_class=world.class_5_1)
    day_publish(actor=world.users["head_teacher"], school_class=world.class_5_1, on=MON)
    html = client.get(f"/p/{pub.token}/").content.decode()
    assert "书面作业合计约 70 分钟。含经教导处批准的超出 10 分钟（理由：期中前复习）" in html
    assert "陈老师" not in html and "刘主任" not in html  # by role, not by name


@pytest.mark.parametrize("persona", PERSONAS)
def test_exceptions_page_and_api_per_persona(client, world, autumn_term, persona):
    head_teacher_over_cap(world)
    client.force_login(world.users[persona])
    page = client.get("/homework/exceptions/")
    listing = client.get(f"/api/v1/homework/exceptions?monday={MON}")
    read = client.post("/homework/exceptions/read/")
    # The outsider is another school's principal: their own (empty) week, nothing of this school.
    overseer = persona in ("principal", "academic", "outsider")
    assert page.status_code == (200 if overseer else 404)
    assert listing.status_code == (200 if overseer else 404)
    assert read.status_code == (302 if overseer else 404)
    if overseer:
        assert len(listing.json()["pending"]) == (0 if persona == "outsider" else 1)
        assert ("单元复习" in page.content.decode()) == (persona != "outsider")
    if persona not in ("principal", "academic"):
        assert HomeworkNotice.objects.filter(read_at__isnull=True).count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_approving_the_head_teachers_own_item_per_persona(client, world, autumn_term, persona):
    pending = head_teacher_over_cap(world)
    client.force_login(world.users[persona])
    r = api(client, "post", f"/api/v1/homework/items/{pending.pk}/approve", {"reason": "复习"})
    sees_class = persona in ("bureau", "inspector", "principal", "academic", "head_teacher", "teacher")
    assert r.status_code == (200 if persona in ("principal", "academic") else 403 if sees_class else 404)
