"""Wiring and permissions per persona for homework pages and endpoints; the public page."""

from datetime import date

import pytest

from conftest import PERSONAS, api
from jianfu.homework.models import ClassPublication
from jianfu.homework.services import (
    Draft,
    day_publish,
    homework_create,
    publication_ensure,
    publication_revoke,
)

pytestmark = pytest.mark.django_db
MON = date(2026, 11, 23)
STAFF_OF_CLASS = {"bureau", "inspector", "principal", "academic", "head_teacher", "teacher"}


@pytest.fixture
def posted(world, autumn_term):
    [item] = homework_create(
        actor=world.users["teacher"],
        class_ids=[world.class_5_1.pk],
        date_set=MON,
        date_due=MON,
        draft=Draft(subject="math", minutes=30),
        description="练习册第35页",
    )
    return item


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_per_persona(client, world, posted, persona):
    client.force_login(world.users[persona])
    c = world.class_5_1.pk
    post_page = client.get("/homework/post/")
    week = client.get(f"/homework/class/{c}/?week={MON}")
    grade = client.get(f"/homework/class/{c}/grade/")
    family = client.get("/homework/family/")
    assert post_page.status_code == (200 if persona in ("teacher", "head_teacher") else 404)
    assert week.status_code == (200 if persona in STAFF_OF_CLASS else 404)
    assert grade.status_code == (200 if persona in STAFF_OF_CLASS else 404)
    assert family.status_code == (200 if persona == "parent" else 404)
    if week.status_code == 200:
        assert "练习册第35页" in week.content.decode()
        assert world.student.registry_id not in week.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_per_persona(client, world, posted, persona):
    client.force_login(world.users[persona])
    c = world.class_5_1.pk
    body = {
        "class_ids": [c],
        "subject": "math",
        "minutes": 10,
        "date_set": str(MON),
        "date_due": str(MON),
        "description": "口算",
    }
    created = api(client, "post", "/api/v1/homework/items", body)
    assert created.status_code == (200 if persona == "teacher" else 403 if persona in STAFF_OF_CLASS else 404)
    week = client.get(f"/api/v1/homework/classes/{c}/week?monday={MON}")
    assert week.status_code == (200 if persona in STAFF_OF_CLASS else 404)
    publish = api(client, "post", f"/api/v1/homework/classes/{c}/publish", {"date": str(MON)})
    assert publish.status_code == (
        200 if persona == "head_teacher" else 403 if persona in STAFF_OF_CLASS or persona == "parent" else 404
    )
    summary = client.get(f"/api/v1/homework/classes/{c}/feedback?date={MON}")
    assert summary.status_code == (200 if persona in STAFF_OF_CLASS else 404)
    if summary.status_code == 200:
        assert summary.json() == {
            "enough": False,
            "released": False,  # the clock is that Monday morning: its reports come from noon
            "reports": 0,
            "min_reports": 5,
            "median_minutes": None,
            "p90_minutes": None,
            "over_cap_share": None,
            "stopped_at_bedtime_share": None,
            "median_sleep_minutes": None,
        }


def test_api_cap_refusal_carries_the_rule(client, world, posted):
    client.force_login(world.users["teacher"])
    body = {
        "class_ids": [world.class_5_1.pk],
        "subject": "math",
        "minutes": 31,
        "date_set": str(MON),
        "date_due": str(MON),
        "description": "再加一页",
    }
    r = api(client, "post", "/api/v1/homework/items", body)
    assert r.status_code == 422
    assert r.json()["code"] == "daily_cap_exceeded"
    assert r.json()["details"][0]["code"] == "hw_written_daily_avg_max_g3_6"
    preview = api(client, "post", "/api/v1/homework/preview", {**body, "class_id": world.class_5_1.pk})
    assert preview.json()["total_minutes"] == 61 and preview.json()["cap"] == 60


def test_parent_report_api_is_idempotent(client, world, posted, settings):
    client.force_login(world.users["parent"])
    body = {"student_id": world.student.pk, "date": str(MON), "minutes_total": 40, "idempotency_key": "abc"}
    from unittest import mock

    from django.utils import timezone

    evening = timezone.make_aware(timezone.datetime(2026, 11, 23, 20, 0))
    with mock.patch("django.utils.timezone.now", return_value=evening):
        first = api(client, "post", "/api/v1/homework/reports", body).json()
        second = api(client, "post", "/api/v1/homework/reports", body).json()
        other = api(
            client, "post", "/api/v1/homework/reports", {**body, "student_id": world.other_student.pk}
        )
    assert first["changed"] is True and second == {**first, "changed": False}
    assert other.status_code == 404


def test_public_page_is_anonymous_cacheable_revocable_and_has_no_student_data(client, world, posted):
    from unittest import mock

    from django.utils import timezone

    evening = timezone.make_aware(timezone.datetime(2026, 11, 23, 19, 0))
    with mock.patch("django.utils.timezone.now", return_value=evening):
        _public_page_checks(client, world)


def _public_page_checks(client, world):
    pub = publication_ensure(actor=world.users["head_teacher"], school_class=world.class_5_1)
    url = f"/p/{pub.token}/"
    empty = client.get(url)
    assert empty.status_code == 200 and empty["Cache-Control"] == "public, max-age=60"
    etag = empty["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    day_publish(actor=world.users["head_teacher"], school_class=world.class_5_1, on=MON)
    changed = client.get(url)
    assert changed["ETag"] != etag  # publishing changes the page, so the cached copy is not reused
    html = changed.content.decode()
    assert "练习册第35页" in html and "约30分钟" in html
    assert "周小明" not in html and world.student.registry_id not in html and "13900000007" not in html
    assert client.get(f"/p/{pub.token}/qr.svg")["Content-Type"] == "image/svg+xml"
    assert client.get(f"/p/{pub.token}/print/").status_code == 200
    publication_revoke(actor=world.users["head_teacher"], school_class=world.class_5_1)
    assert client.get(url).status_code == 404
    assert client.get("/p/not-a-token/").status_code == 404
    assert ClassPublication.objects.filter(school_class=world.class_5_1, revoked_at__isnull=True).count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_quota_reject_and_publication_endpoints_per_persona(client, world, posted, persona):
    c = world.class_5_1.pk
    [pending] = homework_create(
        actor=world.users["teacher"],
        class_ids=[c],
        date_set=MON,
        date_due=MON,
        draft=Draft(subject="math", minutes=40),
        description="超量",
        exception_reason="复习",
    )
    client.force_login(world.users[persona])
    quota = api(client, "post", f"/api/v1/homework/classes/{c}/quotas", {"subject": "math", "minutes": 20})
    reject = api(client, "post", f"/api/v1/homework/items/{pending.pk}/reject", {"reason": "今天已超量"})
    pub = api(client, "post", f"/api/v1/homework/classes/{c}/publication")
    sees_class = persona in STAFF_OF_CLASS or persona == "parent"
    assert quota.status_code == (200 if persona == "head_teacher" else 403 if sees_class else 404)
    approvers = ("head_teacher", "principal", "academic")
    assert reject.status_code == (200 if persona in approvers else 403 if persona in STAFF_OF_CLASS else 404)
    assert pub.status_code == (200 if persona in approvers else 403 if sees_class else 404)
    if pub.status_code == 200:
        assert pub.json()["path"].startswith("/p/")


def test_public_page_escapes_what_teachers_type_and_follows_withdrawal(client, world, autumn_term):
    """The page is built without the template engine (the hot path): every typed value must still be
    escaped, and the snapshot on the class-day row must follow withdrawals."""
    from unittest import mock

    from django.utils import timezone

    from jianfu.homework.services import homework_withdraw

    evening = timezone.make_aware(timezone.datetime(2026, 11, 23, 19, 0))
    with mock.patch("django.utils.timezone.now", return_value=evening):
        [item] = homework_create(
            actor=world.users["teacher"],
            class_ids=[world.class_5_1.pk],
            date_set=MON,
            date_due=MON,
            draft=Draft(subject="math", minutes=20),
            description='<script>alert("x")</script> & 第2题',
        )
        pub = publication_ensure(actor=world.users["head_teacher"], school_class=world.class_5_1)
        day_publish(actor=world.users["head_teacher"], school_class=world.class_5_1, on=MON)
        html = client.get(f"/p/{pub.token}/").content.decode()
        assert "<script>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 第2题" in html
        assert "约20分钟" in html and "书面作业合计约 20 分钟" in html
        assert "书面作业每天上限 60 分钟" in html  # grade 5: hw_written_daily_avg_max_g3_6
        homework_withdraw(actor=world.users["teacher"], item_id=item.pk)
        after = client.get(f"/p/{pub.token}/").content.decode()
        assert "第2题" not in after and "今天没有布置作业" in after


def test_an_account_reporting_in_a_loop_is_told_to_wait_and_others_are_not(client, world, posted, settings):
    from unittest import mock

    from django.utils import timezone

    from jianfu.core import ratelimit

    settings.JIANFU_REPORT_RATE_LIMIT = 3
    evening = timezone.make_aware(timezone.datetime(2026, 11, 23, 20, 0))
    body = {"student_id": world.student.pk, "date": str(MON), "minutes_total": 40}
    client.force_login(world.users["parent"])
    with mock.patch("django.utils.timezone.now", return_value=evening):
        with mock.patch.object(ratelimit.time, "time", return_value=1_000_000.0):
            codes = [
                api(
                    client, "post", "/api/v1/homework/reports", {**body, "idempotency_key": f"k{i}"}
                ).status_code
                for i in range(4)
            ]
            refused = api(client, "post", "/api/v1/homework/reports", {**body, "idempotency_key": "k9"})
        # Three within the budget (a report and two corrections), then 429 with the reason in Chinese.
        assert codes == [200, 200, 200, 429]
        assert refused.status_code == 429
        assert refused.json()["code"] == "report_rate_limited"
        assert refused.json()["message"] == "提交过于频繁，请几分钟后再试"
        # Ten minutes later the account has a new budget.
        with mock.patch.object(ratelimit.time, "time", return_value=1_000_000.0 + 600):
            again = api(client, "post", "/api/v1/homework/reports", {**body, "idempotency_key": "k10"})
        assert again.status_code == 200
    from jianfu.feedback.models import FamilyReport

    assert FamilyReport.objects.get(student=world.student).revision == 4


def test_the_report_budget_is_per_account():
    from jianfu.core import ratelimit

    assert [ratelimit.hit("report:1", limit=2, window_seconds=600, now=0.0) for _ in range(3)] == [
        True,
        True,
        False,
    ]
    assert ratelimit.hit("report:2", limit=2, window_seconds=600, now=0.0)
    assert ratelimit.hit("report:1", limit=2, window_seconds=600, now=600.0)
