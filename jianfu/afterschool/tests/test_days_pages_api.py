"""Every after-school day page and endpoint, per persona; bad input answered in Chinese, naming the
field; nothing private on the way out (no 学籍号, no hardship for teachers, no child at district)."""

import re
from unittest import mock

import pytest

from conftest import PERSONAS, api
from jianfu.afterschool.attendance.services import sessions_ensure
from jianfu.afterschool.models import AttendanceRecord, Departure, PickupBooking, PickupSlot, ServiceSession
from jianfu.afterschool.pickup.services import duty_assign, pickup_book
from jianfu.afterschool.tests.conftest import assert_says
from jianfu.afterschool.tests.factories_days import (
    MON,
    apply_for,
    at,
    course_in,
    pickup_slots,
    place,
    programme_for,
    subsidy,
    teacher_of,
)
from jianfu.site.navigation import navigation_for_user

pytestmark = pytest.mark.django_db
OFFICE = {"principal", "academic"}
BUREAU = {"bureau", "inspector"}
SCHOOL_STAFF = OFFICE | {"head_teacher", "teacher", "outsider"}  # the outsider runs another school


@pytest.fixture
def scene(world, autumn_term, monday):
    p = programme_for(world, autumn_term)
    coding = course_in(p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 3), fee="300")
    subsidy(p, 50)
    place(coding, world.student, basic=True)
    place(coding, world.other_student)
    apply_for(p, world.other_student, basic=False, hardship="hardship", verified=True)
    sessions = {
        (s.course.name if s.course else "basic"): s for s in sessions_ensure(actor=None, programme=p, on=MON)
    }
    slots = pickup_slots(p)
    duty_assign(
        actor=world.users["principal"],
        programme_id=p.pk,
        slot_id=slots["18:00"].pk,
        on=MON,
        teacher_id=teacher_of(world, "head_teacher").pk,
    )
    pickup_book(
        actor=world.users["parent"],
        programme_id=p.pk,
        student_id=world.student.pk,
        slot_id=slots["18:00"].pk,
        on=MON,
    )
    return {"p": p, "coding": sessions["趣味编程"], "basic": sessions["basic"], "slots": slots}


def private_bits(world):
    return [world.student.registry_id, world.other_student.registry_id, "13900000007", "13700000001"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_per_persona(client, world, scene, persona):
    client.force_login(world.users[persona])
    coding = scene["coding"].pk
    expect = {
        "/afterschool/days/attendance/": SCHOOL_STAFF,
        f"/afterschool/days/attendance/session/{coding}/": OFFICE | {"teacher"},
        f"/afterschool/days/attendance/session/{scene['basic'].pk}/": OFFICE | {"head_teacher"},
        "/afterschool/days/family/attendance/": {"parent"},
        "/afterschool/days/pickup/": {"parent"},
        "/afterschool/days/arrangements/": OFFICE,
        "/afterschool/days/gate/": OFFICE | {"head_teacher"},  # the head teacher is on duty at 18:00
        "/afterschool/days/late/": OFFICE | {"head_teacher"},
        f"/afterschool/days/figures/?school={world.school.pk}": OFFICE,
        f"/afterschool/days/figures/export.xlsx?school={world.school.pk}": OFFICE,
        "/afterschool/days/figures/district/": BUREAU,
        "/afterschool/days/figures/district/export.xlsx": BUREAU,
    }
    for url, allowed in expect.items():
        response = client.get(url)
        assert response.status_code == (200 if persona in allowed else 404), f"{persona} GET {url}"
        if response.status_code == 200 and "xlsx" not in url:
            text = response.content.decode()
            for bit in private_bits(world):
                assert bit not in text, f"{bit} on {url}"
            if persona not in OFFICE | BUREAU:  # the district sees subsidy totals, never who
                assert "困难" not in text and "减免" not in text, f"hardship shown to {persona} on {url}"
            if persona in BUREAU:
                assert "周小明" not in text and "吴小红" not in text
            if persona == "outsider":
                assert "趣味编程" not in text and "天河区第一实验小学" not in text


@pytest.mark.parametrize("persona", PERSONAS)
def test_taps_per_persona(client, world, scene, persona):
    client.force_login(world.users[persona])
    coding = scene["coding"].pk
    hx = {"HTTP_HX_REQUEST": "true"}
    tap = client.post(
        f"/afterschool/days/attendance/session/{coding}/mark/",
        {"student_id": world.student.pk, "status": "late"},
        **hx,
    )
    rest = client.post(f"/afterschool/days/attendance/session/{coding}/all-present/", **hx)
    allowed = persona in OFFICE | {"teacher"}
    assert (tap.status_code, rest.status_code) == ((200, 200) if allowed else (404, 404))
    marks = dict(AttendanceRecord.objects.filter(session_id=coding).values_list("student__name", "status"))
    assert marks == ({"周小明": "late", "吴小红": "present"} if allowed else {})
    if allowed:
        assert pressed_taps(tap.content.decode(), world.student.pk) == ["late"]
        assert 'id="marked-count" hx-swap-oob="true"' in tap.content.decode()
        assert "已全部点完" in rest.content.decode()
    depart = client.post(
        "/afterschool/days/gate/depart/", {"programme": scene["p"].pk, "child": world.student.pk}, **hx
    )
    assert depart.status_code == (200 if persona in OFFICE | {"head_teacher"} else 404)


def test_a_tap_without_javascript_reloads_the_page(client, world, scene):
    client.force_login(world.users["teacher"])
    url = f"/afterschool/days/attendance/session/{scene['coding'].pk}/"
    response = client.post(url + "mark/", {"student_id": world.student.pk, "status": "present"})
    assert response.status_code == 302 and response["Location"] == url
    marks = dict(AttendanceRecord.objects.filter(session=scene["coding"]).values_list("student_id", "status"))
    assert marks == {world.student.pk: "present"}  # 吴小红 is not marked yet
    page = client.get(url).content.decode()
    # The reloaded page shows 周小明's "present" tap pressed, and no tap pressed on 吴小红's row.
    assert pressed_taps(page, world.student.pk) == ["present"]
    assert pressed_taps(page, world.other_student.pk) == []
    assert re.search(r"已点 <strong>1</strong> / 2 人", page)  # 1 of the 2 in the course marked


def pressed_taps(page, student_pk):
    """The status buttons shown pressed on one child's roster row."""
    row = re.search(rf'<li class="roster-row" id="child-{student_pk}">(.*?)</li>', page, re.S)
    assert row, f"no roster row for child {student_pk}"
    return re.findall(r'<button[^>]*value="(\w+)"[^>]*aria-pressed="true"', row.group(1))


def test_a_parent_sees_only_their_own_child(client, world, scene):
    client.force_login(world.users["teacher"])
    client.post(f"/afterschool/days/attendance/session/{scene['coding'].pk}/all-present/")
    client.force_login(world.users["parent"])
    page = client.get("/afterschool/days/family/attendance/").content.decode()
    assert "周小明" in page and "趣味编程" in page and "吴小红" not in page
    assert (
        api(
            client, "get", f"/api/v1/afterschool/days/children/{world.other_student.pk}/attendance"
        ).status_code
        == 404
    )
    mine = api(client, "get", f"/api/v1/afterschool/days/children/{world.student.pk}/attendance").json()
    assert [(r["what"], r["status"]) for r in mine] == [("趣味编程", "present")]
    pickup = client.get("/afterschool/days/pickup/").content.decode()
    assert "周小明" in pickup and "吴小红" not in pickup and "18:00" in pickup


def test_the_parent_books_through_the_page(client, world, scene):
    client.force_login(world.users["parent"])
    response = client.post(
        "/afterschool/days/pickup/",
        {
            "programme": scene["p"].pk,
            "child": world.student.pk,
            "slot": scene["slots"]["18:30"].pk,
            "date": "2026-11-25",
            "weekly": "on",
        },
    )
    assert response.status_code == 302
    # Wednesdays from 25 Nov to 31 Dec: 25 Nov; 2, 9, 16, 23, 30 Dec.
    assert PickupBooking.objects.filter(student=world.student, slot__time="18:30").count() == 6
    page = client.get("/afterschool/days/pickup/").content.decode()
    assert "以及之后 5 个周三" in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_per_persona(client, world, scene, persona):
    client.force_login(world.users[persona])
    base = "/api/v1/afterschool/days"
    p, coding, slots = scene["p"].pk, scene["coding"].pk, scene["slots"]
    kid = world.student.pk
    calls = [
        ("get", f"/sessions?date={MON}", None, SCHOOL_STAFF),
        ("get", f"/sessions/{coding}", None, OFFICE | {"teacher"}),
        (
            "post",
            f"/sessions/{coding}/attendance",
            {"student_id": kid, "status": "present"},
            OFFICE | {"teacher"},
        ),
        ("post", f"/sessions/{coding}/all-present", None, OFFICE | {"teacher"}),
        ("get", f"/children/{kid}/attendance", None, {"parent"}),
        ("get", f"/children/{kid}/pickup", None, {"parent"}),
        (
            "post",
            f"/children/{kid}/pickup",
            {"programme_id": p, "slot_id": slots["18:30"].pk, "date": str(MON)},
            OFFICE | {"parent"},
        ),
        ("get", f"/programmes/{p}/staffing?date={MON}", None, OFFICE),
        (
            "post",
            f"/programmes/{p}/duties",
            {"slot_id": slots["18:30"].pk, "date": str(MON), "teacher_id": teacher_of(world, "teacher").pk},
            OFFICE,
        ),
        ("post", f"/programmes/{p}/pickup-slots", {"time": "19:00"}, OFFICE),
        (
            "post",
            f"/programmes/{p}/basic-supervisors",
            {"class_id": world.class_5_1.pk, "teacher_id": teacher_of(world, "head_teacher").pk},
            OFFICE,
        ),
        ("get", "/gate", None, OFFICE | {"head_teacher"}),
        ("post", "/gate/departures", {"programme_id": p, "student_id": kid}, OFFICE | {"head_teacher"}),
        ("get", "/late-flags", None, OFFICE | {"head_teacher"}),
        ("get", f"/figures/school?school_id={world.school.pk}", None, OFFICE),
        ("get", f"/figures/school/export?school_id={world.school.pk}", None, OFFICE),
        ("get", "/figures/district", None, BUREAU),
        ("get", "/figures/district/export", None, BUREAU),
    ]
    for method, path, body, allowed in calls:
        r = api(client, method, base + path, body)
        assert r.status_code == (200 if persona in allowed else 404), (
            f"{persona} {method} {path}: {r.status_code}"
        )
        if r.status_code == 200 and "export" not in path:
            text = r.content.decode()
            for bit in private_bits(world):
                assert bit not in text
            assert "hardship" not in text
            if persona in BUREAU:
                assert "周小明" not in text and "赵老师" not in text


def test_api_session_detail_and_staffing_shapes(client, world, scene):
    client.force_login(world.users["teacher"])
    base = "/api/v1/afterschool/days"
    listed = api(client, "get", f"{base}/sessions").json()
    assert [(s["title"], s["kind"], s["size"]) for s in listed] == [("趣味编程", "course", 2)]
    detail = api(client, "get", f"{base}/sessions/{scene['coding'].pk}").json()
    assert detail["editable"] is True
    assert {c["name"]: c["class_name"] for c in detail["children"]} == {
        "周小明": "五年级(1)班",
        "吴小红": "五年级(2)班",
    }
    assert set(detail["children"][0]) == {"student_id", "name", "class_name", "status", "on_leave"}
    client.force_login(world.users["academic"])
    staffing = api(client, "get", f"{base}/programmes/{scene['p'].pk}/staffing?date={MON}").json()
    # Monday: 周小明 (basic + coding, booked 18:00) and 吴小红 (coding, default 17:30). 25 per staff.
    assert [(r["time"], r["children"], r["needed"], r["short"]) for r in staffing["rows"]] == [
        ("17:30:00", 2, 1, 1),
        ("18:00:00", 1, 1, 0),  # the head teacher is on duty
        ("18:30:00", 0, 0, 0),
    ]


def test_bad_input_is_refused_in_chinese_naming_the_field(client, world, scene, autumn_term):
    base = "/api/v1/afterschool/days"
    other = programme_for(world, autumn_term, pickup=("19:00",), status="draft")
    foreign = PickupSlot.objects.get(programme=other)
    client.force_login(world.users["parent"])
    kid = world.student.pk
    r = api(
        client,
        "post",
        f"{base}/children/{kid}/pickup",
        {"programme_id": scene["p"].pk, "slot_id": foreign.pk, "date": str(MON)},
    )
    assert r.status_code == 422
    assert (r.json()["code"], r.json()["field"]) == ("afterschool_slot_invalid", "slot_id")
    assert r.json()["message"].startswith("接送时段：")
    r = api(
        client,
        "post",
        f"{base}/children/{kid}/pickup",
        {"programme_id": scene["p"].pk, "slot_id": scene["slots"]["18:30"].pk, "date": "2026-11-28"},
    )
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        422,
        "afterschool_not_service_day",
        "date",
    )
    assert r.json()["message"].startswith("日期：") and "不是课后服务日" in r.json()["message"]
    assert r.json()["message_en"].startswith("date:")
    client.force_login(world.users["teacher"])
    r = api(
        client,
        "post",
        f"{base}/sessions/{scene['coding'].pk}/attendance",
        {"student_id": kid, "status": "到了"},
    )
    assert (r.status_code, r.json()["field"]) == (422, "status")
    r = api(client, "get", f"{base}/sessions?date=not-a-date")
    assert r.status_code == 422
    assert PickupBooking.objects.filter(slot=foreign).count() == 0


def test_a_page_shows_the_error_beside_the_booking(client, world, scene):
    client.force_login(world.users["parent"])
    with mock.patch("django.utils.timezone.now", return_value=at(MON, 14, 30)):
        r = client.post(
            "/afterschool/days/pickup/",
            {
                "programme": scene["p"].pk,
                "child": world.student.pk,
                "slot": scene["slots"]["18:30"].pk,
                "date": str(MON),
            },
            follow=True,
        )
    assert "14:00截止" in r.content.decode()
    assert PickupBooking.objects.get(student=world.student, date=MON).slot.time.strftime("%H:%M") == "18:00"


def test_menu_entries(world, scene):
    labels = {p: [i["label"] for i in navigation_for_user(world.users[p])] for p in PERSONAS}
    assert (
        "课后点名" in labels["teacher"]
        and "课后点名" in labels["head_teacher"]
        and "课后点名" in labels["principal"]
    )
    assert "课后点名" not in labels["parent"] and "课后点名" not in labels["bureau"]
    assert "接送预约" in labels["parent"] and "接送预约" not in labels["teacher"]
    assert "离校登记" in labels["head_teacher"] and "离校登记" not in labels["teacher"]
    assert "课后服务统计" in labels["principal"] and "课后服务统计" in labels["bureau"]
    assert "课后服务统计" not in labels["teacher"] and "课后服务统计" not in labels["parent"]
    assert "接送与值守" in labels["academic"] and "接送与值守" not in labels["head_teacher"]
    assert not any("接送提醒" in label for label in labels["head_teacher"])  # nobody flagged yet
    assert labels["nobody"] == ["首页"]
    assert ServiceSession.objects.count() == 2  # the menu only reads


def test_the_gate_names_no_child_of_another_school(client, world, scene):
    from datetime import date

    from jianfu.afterschool.tests.factories_days import kid
    from jianfu.schools.models import Student

    stranger = Student.objects.create(
        school=world.other_school,
        school_class=world.other_class,
        registry_id="L2015999900000001",
        name="外校学生",
        gender="M",
        birth_date=date(2015, 1, 1),
    )
    client.force_login(world.users["principal"])
    hx = {"HTTP_HX_REQUEST": "true"}
    r = client.post(
        "/afterschool/days/gate/depart/", {"programme": scene["p"].pk, "child": stranger.pk}, **hx
    )
    assert r.status_code == 404 and "外校学生" not in r.content.decode()
    # A child of the school with no service today: the row says why, in Chinese, naming the field.
    newcomer = kid(world, world.class_3_1, "新同学", 7)
    r = client.post(
        "/afterschool/days/gate/depart/", {"programme": scene["p"].pk, "child": newcomer.pk}, **hx
    )
    assert r.status_code == 200
    [why] = re.findall(r'role="alert">([^<]*)<', r.content.decode())
    assert_says(why, "学生", "今天")  # the field, and that it is today's service the child is not in
    assert not Departure.objects.filter(student=newcomer).exists()


def test_a_booking_the_page_cannot_read_is_shown_again_on_the_childs_card(client, world, scene):
    """Issue 14: no day picked gives an error beside the day; the time and "weekly" chosen stay."""
    import re

    client.force_login(world.users["parent"])
    chosen = scene["slots"]["18:30"].pk
    r = client.post(
        "/afterschool/days/pickup/",
        {"programme": scene["p"].pk, "child": world.student.pk, "slot": chosen, "date": "", "weekly": "on"},
    )
    assert r.status_code == 422
    [card] = [c for c in r.context["cards"] if c["form"] is not None]
    assert list(card["form"].errors) == ["date"]
    html = r.content.decode()
    assert "日期：请选择日期" in html
    assert re.search(rf'name="slot" value="{chosen}" checked', html)
    assert re.search(r'name="weekly" checked', html)
