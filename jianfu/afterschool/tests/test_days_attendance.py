"""Sessions created on demand (once, whatever the number of calls) and attendance: idempotent taps,
who may take it, and when (same day; later only the office, audited)."""

import pytest

from jianfu.afterschool.attendance.selectors import (
    has_sessions_on,
    service_days,
    session_roster,
    sessions_for_actor,
)
from jianfu.afterschool.attendance.services import (
    attendance_mark,
    attendance_mark_all_present,
    basic_supervisor_assign,
    sessions_ensure,
)
from jianfu.afterschool.days.errors import DaysError
from jianfu.afterschool.models import (
    AttendanceRecord,
    AttendanceStatus,
    ExternalProvider,
    ProgrammeStatus,
    ProviderStaff,
    ServiceSession,
)
from jianfu.afterschool.tests.factories_days import (
    MON,
    TUE,
    WED,
    apply_for,
    at,
    course_in,
    kid,
    place,
    programme_for,
    teacher_of,
)
from jianfu.core.errors import NotFound, PermissionDenied
from jianfu.core.models import AuditEvent

pytestmark = pytest.mark.django_db
SAT = MON.replace(day=28)


@pytest.fixture
def days(world, autumn_term):
    """周小明 (5-1) and 吴小红 (5-2) in 趣味编程 (赵老师, Mon/Wed); 周小明 and 李小华 (5-1) in the basic part."""
    p = programme_for(world, autumn_term)
    coding = course_in(p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 3), fee="300")
    li = kid(world, world.class_5_1, "李小华", 1)
    place(coding, world.student, basic=True)
    place(coding, world.other_student)
    apply_for(p, li, basic=True)
    return {"programme": p, "coding": coding, "li": li, "world": world}


def mark(days, who, session, student, status, *, now):
    """One tap: `who` (a persona, or a user outside the cast) marks `student` in `session` at `now`."""
    actor = days["world"].users[who] if isinstance(who, str) else who
    return attendance_mark(actor=actor, session_id=session.pk, student_id=student.pk, status=status, now=now)


def sessions_of(p, on):
    return {
        (s.course.name if s.course else f"basic {s.school_class}"): s
        for s in sessions_ensure(actor=None, programme=p, on=on)
    }


def test_sessions_created_once_whatever_the_number_of_calls(days):
    p = days["programme"]
    for _ in range(3):
        made = sessions_ensure(actor=days["world"].users["teacher"], programme=p, on=MON)
    # Monday: 趣味编程 (Mon/Wed) + the basic part of 五年级(1)班 (周小明, 李小华); 5-2 has nobody in it.
    assert len(made) == 2
    assert ServiceSession.objects.filter(programme=p, date=MON).count() == 2
    assert AuditEvent.objects.filter(action="afterschool_sessions_created").count() == 1
    # Tuesday: no course meets, only the basic part.
    assert len(sessions_ensure(actor=None, programme=p, on=TUE)) == 1


def test_session_times_teachers_and_rosters(days):
    w = days["world"]
    s = sessions_of(days["programme"], MON)
    coding, basic = s["趣味编程"], s["basic 五年级(1)班"]
    assert (coding.start.strftime("%H:%M"), coding.end.strftime("%H:%M"), coding.minutes) == (
        "16:50",
        "17:30",
        40,
    )
    assert (basic.start.strftime("%H:%M"), basic.end.strftime("%H:%M"), basic.minutes) == (
        "15:40",
        "16:40",
        60,
    )
    assert coding.teacher == teacher_of(w, "teacher")
    assert basic.teacher == teacher_of(w, "head_teacher")  # by default the head teacher supervises
    assert {c.name for c in session_roster(coding)} == {"周小明", "吴小红"}
    assert {c.name for c in session_roster(basic)} == {"周小明", "李小华"}


def test_the_office_assigns_another_basic_supervisor(days):
    w = days["world"]
    p = days["programme"]
    taken = sessions_of(p, MON)["basic 五年级(1)班"]
    mark(days, "head_teacher", taken, w.student, "present", now=at(MON, 16))
    later = sessions_of(p, WED)["basic 五年级(1)班"]
    with pytest.raises(NotFound):
        basic_supervisor_assign(
            actor=w.users["teacher"], programme_id=p.pk, class_id=w.class_5_1.pk, teacher_id=1
        )
    basic_supervisor_assign(
        actor=w.users["academic"],
        programme_id=p.pk,
        class_id=w.class_5_1.pk,
        teacher_id=teacher_of(w, "teacher").pk,
        now=at(TUE, 9),
    )
    later.refresh_from_db()
    taken.refresh_from_db()
    assert later.teacher == teacher_of(w, "teacher")  # not taken yet, from today on: follows
    assert taken.teacher == teacher_of(w, "head_teacher")  # held already: stays as it was
    # New sessions are created with the office's choice.
    assert sessions_of(p, MON.replace(day=30))["basic 五年级(1)班"].teacher == teacher_of(w, "teacher")


def test_assigning_a_teacher_of_another_school_names_the_field(days, world):
    from jianfu.schools.models import Teacher

    stranger = Teacher.objects.create(
        school=world.other_school, user=world.users["outsider"], name="外校老师"
    )
    with pytest.raises(DaysError) as err:
        basic_supervisor_assign(
            actor=world.users["principal"],
            programme_id=days["programme"].pk,
            class_id=world.class_5_1.pk,
            teacher_id=stranger.pk,
        )
    assert err.value.field == "teacher_id" and "教师" in err.value.message_zh


@pytest.mark.parametrize(
    ("day", "why"),
    [(SAT, "周六"), (MON.replace(year=2027, month=3, day=1), "不在本学期内")],
)
def test_not_a_service_day_is_refused_naming_the_date(days, day, why):
    with pytest.raises(DaysError) as err:
        sessions_ensure(actor=None, programme=days["programme"], on=day)
    assert err.value.code == DaysError.NOT_SERVICE_DAY
    assert err.value.field == "date"
    assert why in err.value.message_zh and "不是课后服务日" in err.value.message_zh


def test_a_national_holiday_is_not_a_service_day(world, autumn_term):
    p = programme_for(world, autumn_term)
    with pytest.raises(DaysError) as err:
        sessions_ensure(actor=None, programme=p, on=MON.replace(month=10, day=1))  # 国庆节
    assert err.value.field == "date" and "上课日" in err.value.message_zh


def test_a_programme_not_published_has_no_sessions(world, autumn_term):
    p = programme_for(world, autumn_term, status=ProgrammeStatus.CHOOSING)
    with pytest.raises(DaysError) as err:
        sessions_ensure(actor=None, programme=p, on=MON)
    assert err.value.code == DaysError.PROGRAMME_NOT_RUNNING


def test_service_days_are_school_days_on_the_programme_weekdays(world, autumn_term):
    p = programme_for(world, autumn_term, weekdays=(1, 3))
    # Mondays and Wednesdays 23 Nov – 4 Dec 2026: 23, 25, 30 Nov, 2 Dec.
    assert service_days(p, start=MON, until=MON.replace(month=12, day=4)) == [
        MON,
        WED,
        MON.replace(day=30),
        MON.replace(month=12, day=2),
    ]


def test_a_tap_is_idempotent(days):
    w = days["world"]
    session = sessions_of(days["programme"], MON)["趣味编程"]
    for _ in range(3):
        mark(days, "teacher", session, w.student, "present", now=at(MON, 17))
    assert AttendanceRecord.objects.filter(session=session).count() == 1
    assert AuditEvent.objects.filter(action="afterschool_attendance_marked").count() == 1
    mark(days, "teacher", session, w.student, "late", now=at(MON, 17, 1))
    record = AttendanceRecord.objects.get(session=session)
    assert record.status == AttendanceStatus.LATE
    last = AuditEvent.objects.filter(action="afterschool_attendance_marked").first()
    assert last.data == {"student_id": w.student.pk, "status": "late", "previous": "present"}
    session.refresh_from_db()
    assert session.taken_by == w.users["teacher"] and session.taken_at == at(MON, 17)


def test_all_present_marks_only_the_rest(days):
    w = days["world"]
    session = sessions_of(days["programme"], MON)["趣味编程"]
    mark(days, "teacher", session, w.other_student, "leave", now=at(MON, 17))
    assert attendance_mark_all_present(actor=w.users["teacher"], session_id=session.pk, now=at(MON, 17)) == 1
    assert attendance_mark_all_present(actor=w.users["teacher"], session_id=session.pk, now=at(MON, 17)) == 0
    marks = dict(AttendanceRecord.objects.filter(session=session).values_list("student__name", "status"))
    assert marks == {"周小明": "present", "吴小红": "leave"}


@pytest.mark.parametrize(
    ("persona", "coding_ok", "basic_ok"),
    [
        ("teacher", True, False),  # the course's teacher
        ("head_teacher", False, True),  # the basic part's supervisor
        ("principal", True, True),
        ("academic", True, True),
        ("bureau", False, False),
        ("inspector", False, False),
        ("parent", False, False),
        ("outsider", False, False),
        ("nobody", False, False),
    ],
)
def test_who_may_take_attendance(days, persona, coding_ok, basic_ok):
    w = days["world"]
    s = sessions_of(days["programme"], MON)
    for key, ok in (("趣味编程", coding_ok), ("basic 五年级(1)班", basic_ok)):
        if ok:
            mark(days, persona, s[key], w.student, "present", now=at(MON, 16))
        else:
            with pytest.raises(NotFound):
                mark(days, persona, s[key], w.student, "present", now=at(MON, 16))


def test_provider_staff_with_an_account_take_their_course(days, world):
    from conftest import make_user

    provider = ExternalProvider.objects.create(name="区少年宫", kind="culture_centre", school=world.school)
    coach_user = make_user("13600000001", "少年宫王教练")
    coach = ProviderStaff.objects.create(provider=provider, name="王教练", user=coach_user)
    choir = course_in(days["programme"], "合唱团", provider_staff=coach, weekdays=(1,))
    place(choir, world.other_student)
    session = sessions_of(days["programme"], MON)["合唱团"]
    assert session.provider_staff == coach and session.teacher is None
    mark(days, coach_user, session, world.other_student, "present", now=at(MON, 17))
    assert [r["title"] for r in sessions_for_actor(coach_user, MON)] == ["合唱团"]


def test_correcting_later_is_for_the_office_only_and_audited(days):
    w = days["world"]
    session = sessions_of(days["programme"], MON)["趣味编程"]
    mark(days, "teacher", session, w.student, "absent", now=at(MON, 17))
    mark(days, "teacher", session, w.student, "present", now=at(MON, 21))
    with pytest.raises(PermissionDenied):
        mark(days, "teacher", session, w.student, "leave", now=at(TUE, 8))
    mark(days, "academic", session, w.student, "leave", now=at(TUE, 8))
    event = AuditEvent.objects.filter(action="afterschool_attendance_corrected").get()
    assert event.actor == w.users["academic"] and event.data["previous"] == "present"
    assert AttendanceRecord.objects.get(session=session).status == "leave"


def test_nobody_takes_attendance_ahead_of_the_day(days):
    w = days["world"]
    session = sessions_of(days["programme"], WED)["趣味编程"]
    with pytest.raises(DaysError) as err:
        attendance_mark_all_present(actor=w.users["principal"], session_id=session.pk, now=at(TUE, 17))
    assert err.value.code == DaysError.NOT_YET and err.value.field == "date"


def test_bad_input_names_the_field(days):
    w = days["world"]
    session = sessions_of(days["programme"], MON)["趣味编程"]
    with pytest.raises(DaysError) as err:
        mark(days, "teacher", session, w.student, "here", now=at(MON, 17))
    assert err.value.field == "status" and "考勤状态" in err.value.message_zh
    with pytest.raises(DaysError) as err:
        mark(days, "teacher", session, days["li"], "present", now=at(MON, 17))
    assert err.value.field == "student_id" and "不在本场" in err.value.message_zh
    assert not AttendanceRecord.objects.exists()


def test_the_list_shows_what_each_actor_runs(days):
    w = days["world"]
    sessions_of(days["programme"], MON)
    assert [r["title"] for r in sessions_for_actor(w.users["teacher"], MON)] == ["趣味编程"]
    assert [r["title"] for r in sessions_for_actor(w.users["head_teacher"], MON)] == [
        "基础托管 · 五年级(1)班"
    ]
    assert {r["title"] for r in sessions_for_actor(w.users["principal"], MON)} == {
        "趣味编程",
        "基础托管 · 五年级(1)班",
    }
    assert sessions_for_actor(w.users["outsider"], MON) == []
    assert sessions_for_actor(w.users["parent"], MON) == []
    row = sessions_for_actor(w.users["teacher"], MON)[0]
    assert (row["size"], row["marked"]) == (2, 0)


def test_the_menu_knows_who_has_sessions_before_they_exist(days):
    w = days["world"]
    assert not ServiceSession.objects.exists()
    assert has_sessions_on(w.users["teacher"], MON)  # 趣味编程 meets on Mondays
    assert not has_sessions_on(w.users["teacher"], TUE)
    assert has_sessions_on(w.users["head_teacher"], TUE)  # the basic part meets every day
    assert has_sessions_on(w.users["principal"], TUE)
    assert not has_sessions_on(w.users["parent"], MON)
    assert not has_sessions_on(w.users["outsider"], MON)
    assert not has_sessions_on(w.users["head_teacher"], SAT)
