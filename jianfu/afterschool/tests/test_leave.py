"""Families' leave (请假, issue 15, finding G5; decision 0052): reported for a day or a period within
the term, idempotent, withdrawn before the day; the gate list and the attendance register show the
child as on leave, and the teacher cannot mark them absent by mistake."""

from datetime import date

import pytest

from conftest import api
from jianfu.afterschool.attendance.selectors import session_sheet
from jianfu.afterschool.attendance.services import (
    attendance_mark,
    attendance_mark_all_present,
    sessions_ensure,
)
from jianfu.afterschool.days.errors import DaysError
from jianfu.afterschool.leave.services import leave_report, leave_withdraw
from jianfu.afterschool.models import AttendanceRecord, AttendanceStatus, LeaveRequest
from jianfu.afterschool.pickup.selectors import gate_list, staffing_for
from jianfu.afterschool.tests.factories_days import (
    MON,
    TUE,
    WED,
    apply_for,
    at,
    course_in,
    place,
    programme_for,
    teacher_of,
)
from jianfu.core.errors import NotFound
from jianfu.core.models import AuditEvent

pytestmark = pytest.mark.django_db
SUN = date(2026, 11, 22)


@pytest.fixture
def scene(world, autumn_term, monday):
    """周小明 (the parent's child) in the basic part Mon–Fri; 吴小红 only in 趣味编程 on Mon/Wed.
    The clock: Monday 23 November 2026, 13:30."""
    p = programme_for(world, autumn_term)
    coding = course_in(p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 3))
    apply_for(p, world.student, basic=True, by=world.users["parent"])
    place(coding, world.other_student)
    return p


def report(world, p, start, end=None, *, persona="parent", student=None, reason=""):
    return leave_report(
        actor=world.users[persona],
        programme_id=p.pk,
        student_id=(student or world.student).pk,
        start=start,
        end=end,
        reason=reason,
    )


def test_a_day_is_reported_once_however_often_it_is_sent(world, scene):
    first = report(world, scene, TUE, reason="发烧")
    again = report(world, scene, TUE, TUE, reason="发烧")
    assert again.pk == first.pk and (first.start_date, first.end_date) == (TUE, TUE)
    assert LeaveRequest.objects.count() == 1
    [event] = AuditEvent.objects.filter(action="afterschool_leave_reported")
    assert "发烧" not in str(event.data)  # the reason may be about health: never in the log


def test_a_period_and_the_office_for_a_family_that_telephones(world, scene):
    leave = report(world, scene, TUE, WED, persona="academic")
    assert (leave.start_date, leave.end_date) == (TUE, WED)


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        (SUN, None, "start_date", "今天或以后"),
        (WED, TUE, "end_date", "不能早于"),
        (date(2026, 12, 30), date(2027, 1, 5), "end_date", "2026-12-31"),
    ],
)
def test_dates_outside_the_booking_are_refused_naming_the_field(world, scene, start, end, field, words):
    with pytest.raises(DaysError) as e:
        report(world, scene, start, end)
    assert e.value.code == DaysError.LEAVE_INVALID and e.value.field == field
    assert words in e.value.message and e.value.message_en
    assert not LeaveRequest.objects.exists()


def test_a_day_without_service_for_the_child_needs_no_leave(world, scene):
    # 吴小红 has 趣味编程 on Mondays and Wednesdays only; Tuesday is no service day for her.
    with pytest.raises(DaysError) as e:
        leave_report(
            actor=world.users["academic"],
            programme_id=scene.pk,
            student_id=world.other_student.pk,
            start=TUE,
        )
    assert e.value.field == "start_date" and "没有课后服务" in e.value.message


def test_an_overlapping_leave_is_refused_and_the_reason_is_bounded(world, scene):
    report(world, scene, TUE, WED)
    with pytest.raises(DaysError) as e:
        report(world, scene, WED, date(2026, 11, 27))
    assert e.value.field == "start_date" and "2026-11-24" in e.value.message
    with pytest.raises(DaysError) as e:
        report(world, scene, date(2026, 11, 30), reason="很" * 201)
    assert e.value.field == "reason"


@pytest.mark.parametrize("persona", ["teacher", "head_teacher", "outsider", "bureau"])
def test_only_the_family_or_the_office_reports_or_withdraws(world, scene, persona):
    with pytest.raises(NotFound):
        report(world, scene, TUE, persona=persona)
    leave = report(world, scene, TUE)
    with pytest.raises(NotFound):
        leave_withdraw(actor=world.users[persona], leave_id=leave.pk)


def test_withdrawn_before_the_day_and_a_period_under_way_keeps_its_past(world, scene):
    ahead = report(world, scene, TUE)
    assert leave_withdraw(actor=world.users["parent"], leave_id=ahead.pk).withdrawn_at is not None
    assert leave_withdraw(actor=world.users["parent"], leave_id=ahead.pk).withdrawn_at is not None  # repeat
    running = report(world, scene, MON, WED)
    cut = leave_withdraw(actor=world.users["parent"], leave_id=running.pk)
    assert cut.withdrawn_at is None and cut.end_date == MON  # today stays on leave, Tue–Wed are free
    with pytest.raises(DaysError) as e:
        leave_withdraw(actor=world.users["parent"], leave_id=running.pk)  # only today is left
    assert e.value.code == DaysError.LEAVE_INVALID
    assert report(world, scene, TUE).pk != ahead.pk  # withdrawn days may be reported afresh


def test_the_gate_shows_the_child_on_leave_and_does_not_staff_for_them(world, scene):
    before = staffing_for(scene, MON)["expected"]
    report(world, scene, MON)
    groups = gate_list(scene, MON)
    leave_group = groups[-1]
    assert leave_group.get("leave") and [c["student"].pk for c in leave_group["children"]] == [
        world.student.pk
    ]
    assert all(c["student"] != world.student for g in groups[:-1] for c in g["children"])
    assert staffing_for(scene, MON)["expected"] == before - 1
    # The child came after all: a teacher marks them present, and they are back in their slot.
    [basic] = [s for s in sessions_ensure(actor=None, programme=scene, on=MON) if not s.course_id]
    attendance_mark(
        actor=world.users["head_teacher"],
        session_id=basic.pk,
        student_id=world.student.pk,
        status=AttendanceStatus.PRESENT,
        now=at(MON, 16),
    )
    assert not any(g.get("leave") for g in gate_list(scene, MON))


def test_the_register_shows_leave_and_refuses_absent_for_a_child_on_leave(world, scene):
    report(world, scene, MON)
    [basic] = [s for s in sessions_ensure(actor=None, programme=scene, on=MON) if not s.course_id]
    head = world.users["head_teacher"]
    [row] = [r for r in session_sheet(head, basic)["rows"] if r["student"] == world.student]
    assert row["leave"] is not None
    with pytest.raises(DaysError) as e:
        attendance_mark(
            actor=head, session_id=basic.pk, student_id=world.student.pk, status="absent", now=at(MON, 16)
        )
    assert e.value.code == DaysError.ON_LEAVE and e.value.field == "status"
    assert not AttendanceRecord.objects.exists()
    attendance_mark_all_present(actor=head, session_id=basic.pk, now=at(MON, 16))
    assert AttendanceRecord.objects.get(student=world.student).status == AttendanceStatus.LEAVE


def test_the_page_reports_once_keeps_what_was_typed_and_withdraws(client, world, scene):
    client.force_login(world.users["parent"])
    assert "提交请假" in client.get("/afterschool/days/leave/").content.decode()
    form = {"programme": scene.pk, "child": world.student.pk, "start_date": "2026-11-24", "reason": "看牙"}
    assert client.post("/afterschool/days/leave/", form).status_code == 302
    assert client.post("/afterschool/days/leave/", form).status_code == 302  # a double tap
    assert LeaveRequest.objects.count() == 1
    bad = {**form, "start_date": "2026-11-27", "end_date": "2026-11-26", "reason": "复诊"}
    r = client.post("/afterschool/days/leave/", bad)
    page = r.content.decode()
    assert r.status_code == 422 and "不能早于" in page
    assert 'value="2026-11-27"' in page and 'value="复诊"' in page
    leave = LeaveRequest.objects.get()
    assert client.post("/afterschool/days/leave/", {"leave": leave.pk}).status_code == 302
    leave.refresh_from_db()
    assert leave.withdrawn_at is not None


def test_another_familys_child_is_not_found_on_the_page(client, world, scene):
    client.force_login(world.users["parent"])
    r = client.post(
        "/afterschool/days/leave/",
        {"programme": scene.pk, "child": world.other_student.pk, "start_date": "2026-11-25"},
    )
    assert r.status_code == 404 and not LeaveRequest.objects.exists()


def test_the_api_reports_idempotently_lists_and_withdraws(client, world, scene):
    client.force_login(world.users["parent"])
    url = f"/api/v1/afterschool/days/children/{world.student.pk}/leave"
    body = {"programme_id": scene.pk, "start_date": "2026-11-24", "end_date": "2026-11-25"}
    first, again = api(client, "post", url, body), api(client, "post", url, body)
    assert first.status_code == again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert [x["id"] for x in api(client, "get", url).json()] == [first.json()["id"]]
    gone = api(client, "delete", f"/api/v1/afterschool/days/leave/{first.json()['id']}")
    assert gone.status_code == 200 and gone.json()["withdrawn"] is True
    refused = api(client, "post", url, {**body, "start_date": "2026-11-20"})
    assert refused.status_code == 422 and refused.json()["field"] == "start_date"
