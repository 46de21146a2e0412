"""The family page and the family report endpoints (issue 12, product review B1–B6, security L5):
what a family entered is never lost, a hard evening is shown against the rules, and bad input gets a
clear refusal naming the field."""

import re
from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from conftest import PERSONAS, api
from jianfu.feedback.models import FamilyReport, FamilyReportVersion
from jianfu.homework.services import Draft, day_publish, homework_create, publication_ensure

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
MON = date(2026, 11, 23)
EVENING = datetime(2026, 11, 23, 20, 0, tzinfo=SH)
# Grade 5 is primary: written homework ≤ 60 minutes a day (dr_opinion_2021 §5, 小学三至六年级不超过60分钟),
# bedtime by 21:20 (sleep_notice_2021 item 5, 小学生就寝时间一般不晚于21:20).
CAP, LATEST = 60, "21:20"
# B1's detailed report: 95 minutes split 50 + 10 + 30, not finished, bed 22:10, up 06:40.
DETAILED = {
    "minutes_total": "95",
    "subject_chinese": "50",
    "subject_math": "10",
    "subject_english": "30",
    "finished": ["off"],  # the hidden "off" alone: the box was unticked
    "stopped_at_bedtime": ["off"],
    "bedtime": "22:10",
    "wake_time": "06:40",
}


@pytest.fixture
def evening():
    with mock.patch("django.utils.timezone.now", return_value=EVENING):
        yield


@pytest.fixture
def published(world, autumn_term, evening):
    """MON's homework for 5(1), published: 30 minutes of written math and 20 of oral math at home
    (all kinds 30 + 20 = 50; written, counted against the cap, 30)."""
    for kind, minutes, text in (("written", 30, "练习册第35页"), ("oral", 20, "背诵乘法口诀")):
        homework_create(
            actor=world.users["teacher"],
            class_ids=[world.class_5_1.pk],
            date_set=MON,
            date_due=MON,
            draft=Draft(subject="math", kind=kind, minutes=minutes),
            description=text,
        )
    publication_ensure(actor=world.users["head_teacher"], school_class=world.class_5_1)
    day_publish(actor=world.users["head_teacher"], school_class=world.class_5_1, on=MON)


def page(client, day=None):
    url = reverse("homework:family") + (f"?day={day.isoformat()}" if day else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def send(client, world, key, fields, *, follow=False):
    body = {"student": world.student.pk, "date": MON.isoformat(), "idempotency_key": key, **fields}
    return client.post(reverse("homework:family-report"), body, follow=follow)


def field_value(html, field_id):
    tag = re.search(rf'<input[^>]*id="{re.escape(field_id)}"[^>]*>', html)
    assert tag, field_id
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None, "checked" in tag.group(0)


def test_the_one_tap_button_uses_every_kind_and_goes_once_a_report_exists(client, world, published):
    client.force_login(world.users["parent"])
    before = page(client)
    # All kinds: 30 written + 20 oral = 50 (A1: the family was told 30 and the oral item left out).
    assert "✓ 已完成，用时约 50 分钟" in before
    assert "其中书面作业 30 分钟" in before
    send(client, world, "detailed", DETAILED)
    after = page(client)
    assert "quick-report" not in after and "已完成，用时约" not in after
    assert "<summary>修改</summary>" in after
    assert "用时 95 分钟" in after and "就寝 22:10" in after and "起床 06:40" in after


def test_the_edit_form_is_prefilled_with_everything_reported(client, world, published):
    client.force_login(world.users["parent"])
    send(client, world, "detailed", DETAILED)
    html = page(client)
    kid = world.student.pk
    assert field_value(html, f"m-{kid}") == ("95", False)
    # The published subject (math) and the reported ones (chinese, english) all come back.
    assert field_value(html, f"s-{kid}-chinese") == ("50", False)
    assert field_value(html, f"s-{kid}-math") == ("10", False)
    assert field_value(html, f"s-{kid}-english") == ("30", False)
    assert field_value(html, f"f-{kid}")[1] is False  # not finished: unticked
    assert field_value(html, f"b-{kid}") == ("22:10", False)
    assert field_value(html, f"w-{kid}") == ("06:40", False)


def test_a_stale_pages_one_tap_cannot_wipe_a_detailed_report(client, world, published):
    """An old tab, opened before the detailed report, still has the one-tap form: sending it as the
    tab would (its own fields, untouched) is refused and the detailed report stays."""
    client.force_login(world.users["parent"])
    stale = page(client)
    quick_form = re.search(r"<form[^>]*>(?:(?!</form>).)*quick-report(?:(?!</form>).)*</form>", stale, re.S)
    assert quick_form
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', quick_form.group(0)))
    assert fields["quick"] == "1" and fields["minutes_total"] == "50"
    send(client, world, "detailed", DETAILED)
    refused = client.post(reverse("homework:family-report"), fields, follow=True)
    assert "已经反馈过了" in refused.content.decode()
    report = FamilyReport.objects.get(student=world.student, date=MON)
    assert (report.minutes_total, str(report.bedtime), str(report.wake_time), report.finished) == (
        95,
        "22:10:00",
        "06:40:00",
        False,
    )
    assert report.minutes_by_subject == {"chinese": 50, "math": 10, "english": 30}


def test_a_correction_from_the_form_keeps_the_rest_and_adds_a_version(client, world, published):
    client.force_login(world.users["parent"])
    send(client, world, "detailed", DETAILED)
    send(client, world, "fix", {**DETAILED, "minutes_total": "100", "subject_english": "40"})
    report = FamilyReport.objects.get(student=world.student, date=MON)
    assert (report.minutes_total, report.minutes_by_subject["english"], str(report.bedtime)) == (
        100,
        40,
        "22:10:00",
    )
    assert list(FamilyReportVersion.objects.order_by("revision").values_list("minutes_total", flat=True)) == [
        95,
        100,
    ]


def test_a_hard_evening_is_shown_against_the_cap_and_the_bedtime_with_a_way_to_complain(
    client, world, published
):
    client.force_login(world.users["parent"])
    html = send(client, world, "detailed", DETAILED, follow=True).content.decode()
    assert "已收到" in html
    block = re.search(r'id="hard-evening-\d+".*?</div>', html, re.S).group(0)
    assert f"今晚用时 <strong>95</strong> 分钟，超过了书面作业每日 <strong>{CAP}</strong> 分钟的上限" in block
    assert f"就寝时间 <strong>22:10</strong>，晚于建议的 <strong>{LATEST}</strong>" in block
    assert f'href="{reverse("cases:new")}"' in block and "反映问题" in block


def test_an_evening_within_the_rules_shows_no_warning(client, world, published):
    client.force_login(world.users["parent"])
    html = send(
        client, world, "k", {"minutes_total": "45", "bedtime": "21:00", "wake_time": "07:00"}, follow=True
    ).content.decode()
    assert "用时 45 分钟" in html and 'id="hard-evening-' not in html and 'id="complain-' not in html


def test_a_bad_form_value_is_refused_naming_the_field_never_a_500(client, world, published):
    client.force_login(world.users["parent"])
    for fields, said in (
        ({**DETAILED, "bedtime": "22:10+08:00"}, "就寝时间："),
        ({**DETAILED, "subject_math": "lots"}, "数学用时："),
        ({**DETAILED, "subject_chinese": "90"}, "分学科用时：分学科用时合计130分钟，超过了总用时95分钟"),
        ({**DETAILED, "minutes_total": ""}, "作业实际用时："),
    ):
        response = send(client, world, "bad", fields, follow=True)
        assert response.status_code == 200 and said in response.content.decode()
    assert not FamilyReport.objects.exists()


def test_the_page_links_to_the_public_page_and_to_earlier_days(client, world, published):
    client.force_login(world.users["parent"])
    html = page(client)
    pub = world.class_5_1.publications.get()
    assert f'href="{reverse("homework:public", args=[pub.token])}"' in html
    assert 'href="/homework/family/?day=2026-11-22"' in html
    assert 'id="next-day"' not in html  # nothing after today
    earlier = page(client, date(2026, 11, 20))
    assert "11月20日" in earlier and 'href="/homework/family/?day=2026-11-21"' in earlier
    # The 20th's report window closed at noon on the 21st: no form, and a report for it is refused.
    assert 'name="minutes_total"' not in earlier and "已截止" in earlier
    late = client.post(
        reverse("homework:family-report"),
        {"student": world.student.pk, "date": "2026-11-20", "idempotency_key": "late", "minutes_total": "30"},
        follow=True,
    )
    assert "已截止" in late.content.decode() and not FamilyReport.objects.exists()
    # A future day shows the default day; the first day of the calendar shows the earliest day kept
    # (400 days back: 2025-10-19), with no link further back; a report for 9999-12-31 is refused.
    assert "11月23日" in page(client, date(2026, 12, 1))
    oldest = page(client, date(1, 1, 1))
    assert "10月19日" in oldest and 'id="prev-day"' not in oldest
    end = api(
        client,
        "post",
        "/api/v1/homework/reports",
        {**report_body(world, "end", minutes_total=1), "date": "9999-12-31"},
    )
    assert (end.status_code, end.json()["code"]) == (400, "report_window_closed")


# --- the API -----------------------------------------------------------------------------------


def report_body(world, key, **fields):
    return {"student_id": world.student.pk, "date": str(MON), "idempotency_key": key, **fields}


FULL = {
    "minutes_total": 95,
    "minutes_by_subject": {"chinese": 50, "math": 10, "english": 30},
    "finished": False,
    "bedtime": "22:10",
    "wake_time": "06:40",
}


def test_api_partial_correction_keeps_the_fields_it_does_not_send(client, world, published):
    client.force_login(world.users["parent"])
    first = api(client, "post", "/api/v1/homework/reports", report_body(world, "a", **FULL)).json()
    assert first["comparison"] == {
        "cap_minutes": CAP,
        "over_cap": True,
        "bedtime_latest": f"{LATEST}:00",
        "bedtime_late": True,
    }
    fixed = api(client, "post", "/api/v1/homework/reports", report_body(world, "b", minutes_total=90)).json()
    assert (fixed["revision"], fixed["minutes_total"], fixed["bedtime"], fixed["wake_time"]) == (
        2,
        90,
        "22:10:00",
        "06:40:00",
    )
    assert fixed["minutes_by_subject"] == FULL["minutes_by_subject"] and fixed["finished"] is False
    cleared = api(client, "post", "/api/v1/homework/reports", report_body(world, "c", bedtime=None)).json()
    assert cleared["bedtime"] is None and cleared["wake_time"] == "06:40:00"
    got = client.get(f"/api/v1/homework/reports/{world.student.pk}/{MON}").json()
    assert {k: got[k] for k in ("revision", "minutes_total", "bedtime")} == {
        "revision": 3,
        "minutes_total": 90,
        "bedtime": None,
    }


def test_api_one_tap_onto_an_existing_report_is_409(client, world, published):
    client.force_login(world.users["parent"])
    api(client, "post", "/api/v1/homework/reports", report_body(world, "a", **FULL))
    r = api(
        client,
        "post",
        "/api/v1/homework/reports",
        report_body(world, "q", minutes_total=50, only_if_new=True),
    )
    assert r.status_code == 409 and r.json()["code"] == "report_exists"
    assert FamilyReport.objects.get().minutes_total == 95


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"bedtime": "22:10+08:00"}, "bedtime"),
        ({"wake_time": "not a time"}, "wake_time"),
        ({"bedtime": "24:00"}, "bedtime"),
        ({"minutes_by_subject": {"math": 10**20}}, "minutes_by_subject.math"),
        ({"minutes_by_subject": {f"s{i}": 1 for i in range(60_000)}}, "minutes_by_subject"),
        ({"minutes_by_subject": {"chinese": 60, "math": 60}}, "minutes_by_subject"),  # 120 > 95
        ({"minutes_total": 10**20}, "minutes_total"),
        ({"minutes_total": None}, "minutes_total"),
    ],
)
def test_api_bad_values_get_422_in_the_documented_shape(client, world, published, fields, field):
    client.force_login(world.users["parent"])
    r = api(client, "post", "/api/v1/homework/reports", report_body(world, "x", **{**FULL, **fields}))
    assert r.status_code == 422
    body = r.json()
    assert set(body) == {"code", "message", "message_en", "field", "details"}
    assert (body["code"], body["field"]) == ("report_invalid", field)
    assert not FamilyReport.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_family_report_endpoints_per_persona(client, world, published, persona):
    """Only the child's guardian files, corrects and reads the child's report; everyone else gets
    404 (staff included: a report is the family's, teachers see class aggregates only)."""
    client.force_login(world.users[persona])
    filed = api(client, "post", "/api/v1/homework/reports", report_body(world, f"p-{persona}", **FULL))
    read = client.get(f"/api/v1/homework/reports/{world.student.pk}/{MON}")
    form = send(client, world, f"f-{persona}", DETAILED)
    own = persona == "parent"
    assert filed.status_code == (200 if own else 404)
    assert read.status_code == (200 if own else 404)
    assert form.status_code == (302 if own else 404)
    assert FamilyReport.objects.count() == (1 if own else 0)
    other = client.get(f"/api/v1/homework/reports/{world.other_student.pk}/{MON}")
    assert other.status_code == 404
