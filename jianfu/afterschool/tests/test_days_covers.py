"""One-day substitutes (代课): the school office hands one day's course meeting or a class's basic part
to another teacher of the school; that day's session is theirs to take, other days are not changed.

Who may, from the code: the school office (principal, academic affairs: programme_get_for_office /
can_manage_programme); everyone else is answered "not found" and nothing changes."""

from datetime import date

import pytest

from conftest import PERSONAS, api, make_user
from jianfu.afterschool.attendance.selectors import has_sessions_on, session_get_for_taker
from jianfu.afterschool.attendance.services import (
    attendance_mark,
    basic_supervisor_assign,
    session_cover_remove,
    session_cover_set,
    sessions_ensure,
)
from jianfu.afterschool.days.errors import DaysError
from jianfu.afterschool.models import ServiceSession, SessionCover
from jianfu.afterschool.tests.factories_days import (
    MON,
    TUE,
    WED,
    at,
    course_in,
    place,
    programme_for,
    teacher_of,
)
from jianfu.core.errors import NotFound
from jianfu.core.models import AuditEvent
from jianfu.schools.models import Teacher

pytestmark = pytest.mark.django_db
OFFICE = {"principal", "academic"}
BASE = "/api/v1/afterschool/days"
SAT = date(2026, 11, 28)


@pytest.fixture
def prog(world, autumn_term, monday):
    """趣味编程 (赵老师, Mon/Wed) with 周小明, who is also in the basic part of 五年级(1)班 (supervised
    by its head teacher 陈老师 by default)."""
    p = programme_for(world, autumn_term)
    coding = course_in(p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 3))
    place(coding, world.student, basic=True)
    return {
        "p": p,
        "coding": coding,
        "zhao": teacher_of(world, "teacher"),
        "chen": teacher_of(world, "head_teacher"),
    }


def cover(world, prog, **kw):
    args = {
        "programme_id": prog["p"].pk,
        "on": WED,
        "teacher_id": prog["chen"].pk,
        "reason": "赵老师外出培训",
    }
    args.update(kw)
    return session_cover_set(actor=world.users[args.pop("by", "principal")], **args)


def session_of(p, on, name):
    return next(
        s
        for s in sessions_ensure(actor=None, programme=p, on=on)
        if (s.course.name if s.course else "basic") == name
    )


def test_a_substitute_set_ahead_takes_that_days_session_only(world, prog):
    cover(world, prog, course_id=prog["coding"].pk)
    wed = session_of(prog["p"], WED, "趣味编程")
    mon = session_of(prog["p"], MON, "趣味编程")
    assert (wed.teacher, mon.teacher) == (prog["chen"], prog["zhao"])
    # Wednesday's session is the substitute's to take, no longer the regular teacher's.
    assert session_get_for_taker(world.users["head_teacher"], wed.pk) == wed
    with pytest.raises(NotFound):
        session_get_for_taker(world.users["teacher"], wed.pk)
    assert session_get_for_taker(world.users["teacher"], mon.pk) == mon


def test_a_substitute_set_on_the_day_moves_the_session_and_withdrawing_gives_it_back(world, prog):
    mon = session_of(prog["p"], MON, "趣味编程")
    made = cover(world, prog, on=MON, course_id=prog["coding"].pk)
    mon.refresh_from_db()
    assert mon.teacher == prog["chen"]
    session_cover_remove(actor=world.users["academic"], cover_id=made.pk)
    mon.refresh_from_db()
    assert mon.teacher == prog["zhao"] and not SessionCover.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="afterschool_cover")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["afterschool_cover_set", "afterschool_cover_removed"]


def test_once_attendance_is_taken_the_session_keeps_its_teacher(world, prog):
    mon = session_of(prog["p"], MON, "趣味编程")
    attendance_mark(
        actor=world.users["teacher"],
        session_id=mon.pk,
        student_id=world.student.pk,
        status="present",
        now=at(MON, 16, 55),
    )
    with pytest.raises(DaysError) as exc:
        cover(world, prog, on=MON, course_id=prog["coding"].pk)
    assert (exc.value.code, exc.value.field) == ("afterschool_cover_invalid", "date")
    mon.refresh_from_db()
    assert mon.teacher == prog["zhao"] and not SessionCover.objects.exists()


def test_a_basic_part_substitute_survives_a_new_regular_supervisor(world, prog):
    """The class's basic part on Wednesday goes to 赵老师 for the day; the office then makes another
    teacher the class's regular supervisor: Wednesday stays with 赵老师, Tuesday follows the change."""
    cover(world, prog, class_id=world.class_5_1.pk, teacher_id=prog["zhao"].pk, reason="陈老师病假")
    tue, wed = session_of(prog["p"], TUE, "basic"), session_of(prog["p"], WED, "basic")
    other = Teacher.objects.create(
        school=world.school, name="孙老师", user=make_user("13911110001", "孙老师")
    )
    basic_supervisor_assign(
        actor=world.users["principal"],
        programme_id=prog["p"].pk,
        class_id=world.class_5_1.pk,
        teacher_id=other.pk,
    )
    tue.refresh_from_db()
    wed.refresh_from_db()
    assert (tue.teacher, wed.teacher) == (other, prog["zhao"])


def test_the_substitutes_menu_shows_the_day_before_the_sessions_exist(world, prog):
    helper = Teacher.objects.create(school=world.school, name="吴老师", user=world.users["nobody"])
    assert not has_sessions_on(world.users["nobody"], WED)
    cover(world, prog, course_id=prog["coding"].pk, teacher_id=helper.pk)
    assert not ServiceSession.objects.filter(date=WED).exists()
    assert has_sessions_on(world.users["nobody"], WED)
    assert not has_sessions_on(world.users["nobody"], MON)


def test_the_regular_teachers_menu_drops_a_day_handed_to_a_substitute(world, prog):
    # 赵老师 runs only 趣味编程 (Mon/Wed); 陈老师 only the basic part of 五年级(1)班 (every day).
    assert has_sessions_on(world.users["teacher"], WED) and has_sessions_on(world.users["head_teacher"], WED)
    cover(world, prog, course_id=prog["coding"].pk)  # 陈老师 takes Wednesday's 趣味编程
    cover(world, prog, class_id=world.class_5_1.pk, teacher_id=prog["zhao"].pk)  # 赵老师 the basic part
    assert not ServiceSession.objects.filter(date=WED).exists()  # before the day's sessions are made
    # Each now has the other's meeting that day, and still their own on Monday.
    assert has_sessions_on(world.users["teacher"], WED) and has_sessions_on(world.users["head_teacher"], WED)
    session_cover_remove(
        actor=world.users["principal"], cover_id=SessionCover.objects.get(course__isnull=False).pk
    )
    # Wednesday's 趣味编程 is back with 赵老师, who also covers the basic part; 陈老师 has nothing left.
    assert has_sessions_on(world.users["teacher"], WED)
    assert not has_sessions_on(world.users["head_teacher"], WED)
    assert has_sessions_on(world.users["head_teacher"], MON)
    session_cover_remove(actor=world.users["principal"], cover_id=SessionCover.objects.get().pk)
    cover(world, prog, course_id=prog["coding"].pk)
    # 赵老师's only Wednesday meeting is covered by 陈老师: nothing for 赵老师 that day, Monday unchanged.
    assert not has_sessions_on(world.users["teacher"], WED)
    assert has_sessions_on(world.users["teacher"], MON)


def test_a_substitute_cannot_be_in_two_places_at_once(world, prog):
    # Wednesdays: the basic part 15:40–16:40 (陈老师 supervises 五年级(1)班), then the course part
    # 16:50–17:30: 趣味编程 (赵老师) and 机器人 (吴老师).
    wu = Teacher.objects.create(school=world.school, name="吴老师", user=world.users["nobody"])
    robots = course_in(prog["p"], "机器人", teacher=wu, weekdays=(3,))
    with pytest.raises(DaysError) as busy:
        # 赵老师 teaches 趣味编程 16:50–17:30 on Wednesdays: not also 机器人 at the same time.
        cover(world, prog, course_id=robots.pk, teacher_id=prog["zhao"].pk)
    assert (busy.value.code, busy.value.field) == (DaysError.TEACHER_BUSY, "teacher_id")
    assert "趣味编程" in busy.value.message_zh and "16:50–17:30" in busy.value.message_zh
    assert not SessionCover.objects.exists()
    # The basic part (15:40–16:40) does not overlap 趣味编程: 赵老师 may cover it.
    cover(world, prog, class_id=world.class_5_1.pk, teacher_id=prog["zhao"].pk)
    # Once 趣味编程 itself is handed to 陈老师 that day, 赵老师 is free at 16:50 for 机器人 ...
    cover(world, prog, course_id=prog["coding"].pk, teacher_id=prog["chen"].pk)
    cover(world, prog, course_id=robots.pk, teacher_id=prog["zhao"].pk)
    # ... and 陈老师, now at 趣味编程, cannot also be given 机器人 at the same time.
    with pytest.raises(DaysError) as again:
        cover(world, prog, course_id=robots.pk, teacher_id=prog["chen"].pk)
    assert again.value.code == DaysError.TEACHER_BUSY and "趣味编程" in again.value.message_zh
    assert sorted(SessionCover.objects.values_list("teacher__name", flat=True)) == [
        "赵老师",
        "赵老师",
        "陈老师",
    ]
    # Withdrawing 陈老师 from 趣味编程 would hand it back to 赵老师, now at 机器人 at 16:50: refused.
    coding_cover = SessionCover.objects.get(course=prog["coding"])
    with pytest.raises(DaysError) as back:
        session_cover_remove(actor=world.users["principal"], cover_id=coding_cover.pk)
    assert (back.value.code, back.value.field) == (DaysError.TEACHER_BUSY, "cover")
    assert "机器人" in back.value.message_zh and SessionCover.objects.filter(pk=coding_cover.pk).exists()
    # Setting the same substitute again for the same meeting is not a clash with itself.
    cover(world, prog, course_id=robots.pk, teacher_id=prog["zhao"].pk)


def test_meetings_that_only_touch_do_not_clash(world, prog):
    # 机器人 on Wednesdays 16:40–17:10 starts as the basic part (15:40–16:40) ends: 陈老师, who
    # supervises the basic part, may take it; 围棋 starting at 16:39 overlaps it and may not.
    wu = Teacher.objects.create(school=world.school, name="吴老师", user=world.users["nobody"])
    robots = course_in(prog["p"], "机器人", teacher=wu, weekdays=(3,), times=("16:40", "17:10"))
    early = course_in(prog["p"], "围棋", teacher=wu, weekdays=(3,), times=("16:39", "16:50"))
    cover(world, prog, course_id=robots.pk, teacher_id=prog["chen"].pk)
    with pytest.raises(DaysError) as busy:
        cover(world, prog, course_id=early.pk, teacher_id=prog["chen"].pk)
    assert busy.value.code == DaysError.TEACHER_BUSY and "基础托管" in busy.value.message_zh


@pytest.mark.parametrize(
    ("kw", "code", "field"),
    [
        ({"on": date(2026, 11, 18), "course_id": 0}, "afterschool_cover_invalid", "date"),  # last Wednesday
        ({"on": SAT, "course_id": 0}, "afterschool_not_service_day", "date"),
        ({"on": TUE, "course_id": "coding"}, "afterschool_cover_invalid", "course_id"),  # Mon/Wed course
        ({"course_id": "coding", "class_id": "5-1"}, "afterschool_cover_invalid", "course_id"),
        ({}, "afterschool_cover_invalid", "course_id"),
        ({"class_id": "5-2"}, "afterschool_cover_invalid", "class_id"),  # nobody of 5-2 in the basic part
        ({"course_id": "coding", "teacher_id": "other school"}, "afterschool_teacher_invalid", "teacher_id"),
        ({"course_id": "coding", "reason": " "}, "afterschool_cover_invalid", "reason"),
    ],
)
def test_refusals_name_the_field(world, prog, kw, code, field):
    ids = {
        "coding": prog["coding"].pk,
        "5-1": world.class_5_1.pk,
        "5-2": world.class_5_2.pk,
        "other school": Teacher.objects.create(
            school=world.other_school, name="外校老师", user=make_user("13911110002", "外校老师")
        ).pk,
    }
    with pytest.raises(DaysError) as exc:
        cover(
            world,
            prog,
            **{k: ids.get(v, v) if isinstance(v, str) and k != "reason" else v for k, v in kw.items()},
        )
    assert (exc.value.code, exc.value.field) == (code, field)
    assert not SessionCover.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_per_persona(client, world, prog, persona):
    client.force_login(world.users[persona])
    p = prog["p"]
    listed = client.get(f"{BASE}/programmes/{p.pk}/covers?date={WED.isoformat()}")
    body = {
        "date": WED.isoformat(),
        "course_id": prog["coding"].pk,
        "teacher_id": prog["chen"].pk,
        "reason": "培训",
    }
    made = api(client, "post", f"{BASE}/programmes/{p.pk}/covers", body)
    existing = cover(world, prog, class_id=world.class_5_1.pk, teacher_id=prog["zhao"].pk)
    removed = client.delete(f"{BASE}/covers/{existing.pk}")
    if persona in OFFICE:
        # Wednesday, in the day's order: 五年级(1)班's basic part (15:40), then the course meeting
        # (16:50), neither covered yet.
        assert [(r["kind"], r["regular"], r["cover"]) for r in listed.json()] == [
            ("class", "陈老师", None),
            ("course", "赵老师", None),
        ]
        assert made.status_code == 200 and made.json()["teacher"] == "陈老师"
        assert removed.status_code == 200
        assert list(SessionCover.objects.values_list("course_id", flat=True)) == [prog["coding"].pk]
    else:
        assert (listed.status_code, made.status_code, removed.status_code) == (404, 404, 404)
        assert list(SessionCover.objects.values_list("school_class_id", flat=True)) == [world.class_5_1.pk]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_arrangements_page_per_persona(client, world, prog, persona):
    client.force_login(world.users[persona])
    url = f"/afterschool/days/arrangements/?programme={prog['p'].pk}&date={WED.isoformat()}"
    page = client.get(url)
    posted = client.post(
        url,
        {
            "programme": prog["p"].pk,
            "date": WED.isoformat(),
            "action": "cover",
            "meeting": f"course:{prog['coding'].pk}",
            "teacher": prog["chen"].pk,
            "reason": "赵老师外出培训",
        },
        follow=True,
    )
    if persona in OFFICE:
        assert page.status_code == 200 and 'id="covers"' in page.content.decode()
        assert "已安排陈老师代课" in posted.content.decode()
        [made] = SessionCover.objects.all()
        assert (made.course_id, made.teacher, made.date) == (prog["coding"].pk, prog["chen"], WED)
    else:
        assert (page.status_code, posted.status_code) == (404, 404)
        assert not SessionCover.objects.exists()


def test_the_substitute_is_texted_what_and_when(world, prog, settings, django_capture_on_commit_callbacks):
    from jianfu.accounts.tasks import MemorySmsBackend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    MemorySmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cover(world, prog, course_id=prog["coding"].pk)
    [(phone, text)] = MemorySmsBackend.outbox
    # 陈老师 (the head teacher's account, 13900000005); Wednesday 25 November, 趣味编程 16:50–17:30.
    assert phone == "13900000005"
    assert "11月25日" in text and "周三" in text and "趣味编程" in text and "16:50" in text


@pytest.mark.parametrize("persona", PERSONAS)
def test_withdrawing_a_substitute_on_the_page_per_persona(client, world, prog, persona):
    made = cover(world, prog, course_id=prog["coding"].pk)
    client.force_login(world.users[persona])
    url = f"/afterschool/days/arrangements/?programme={prog['p'].pk}&date={WED.isoformat()}"
    r = client.post(
        url, {"programme": prog["p"].pk, "date": WED.isoformat(), "action": "cover_remove", "cover": made.pk}
    )
    if persona in OFFICE:
        assert r.status_code == 302 and not SessionCover.objects.exists()
    else:
        assert r.status_code == 404 and SessionCover.objects.filter(pk=made.pk).exists()


def test_another_schools_office_cannot_withdraw_a_substitute(client, world, prog, autumn_term):
    """The other school's principal runs a programme of their own, so the page opens for them; the
    substitute of this school's programme stays."""
    made = cover(world, prog, course_id=prog["coding"].pk)
    other_term = type(autumn_term).objects.create(
        school=world.other_school,
        school_year=autumn_term.school_year,
        kind=autumn_term.kind,
        start_date=autumn_term.start_date,
        end_date=autumn_term.end_date,
    )
    other = programme_for(world, other_term, school=world.other_school)
    client.force_login(world.users["outsider"])
    url = f"/afterschool/days/arrangements/?programme={other.pk}&date={WED.isoformat()}"
    assert client.get(url).status_code == 200  # their own office page
    client.post(
        url, {"programme": other.pk, "date": WED.isoformat(), "action": "cover_remove", "cover": made.pk}
    )
    assert SessionCover.objects.filter(pk=made.pk).exists()


def test_a_refused_cover_is_shown_again_with_what_was_chosen_and_typed(client, world, prog):
    """Issue 14: the reason the service refuses lands beside the reason field; the teacher chosen and
    the reason typed are shown again on that meeting's row, and nothing is saved."""
    import re

    client.force_login(world.users["principal"])
    url = f"/afterschool/days/arrangements/?programme={prog['p'].pk}&date={WED.isoformat()}"
    r = client.post(
        url,
        {
            "programme": prog["p"].pk,
            "date": WED.isoformat(),
            "action": "cover",
            "meeting": f"course:{prog['coding'].pk}",
            "teacher": prog["chen"].pk,
            "reason": "病",
        },
    )
    assert r.status_code == 422
    assert list(r.context["refused"]["form"].errors) == ["reason"]
    html = r.content.decode()
    assert "代课原因：请填写" in html and 'class="msg-error small field-error"' in html
    assert re.search(rf'<option value="{prog["chen"].pk}" selected>', html)
    assert 'name="reason"' in html and 'value="病"' in html
    assert not SessionCover.objects.exists()


def test_a_pickup_time_it_cannot_read_is_shown_again_beside_its_field(client, world, prog):
    from jianfu.afterschool.models import PickupSlot

    client.force_login(world.users["principal"])
    before = PickupSlot.objects.filter(programme=prog["p"]).count()
    r = client.post(
        "/afterschool/days/arrangements/",
        {"programme": prog["p"].pk, "date": WED.isoformat(), "action": "slot", "time": "七点"},
    )
    assert r.status_code == 422
    assert list(r.context["refused"]["form"].errors) == ["time"]
    html = r.content.decode()
    assert 'name="time" step="300" required value="七点"' in html
    assert "时间：请按 时:分 填写，如 18:30" in html
    assert r.context["on"] == WED  # still the day the office was looking at
    assert PickupSlot.objects.filter(programme=prog["p"]).count() == before


def test_the_substitute_finds_the_arrangement_in_the_inbox(world, prog):
    """Issue 15, "Messages": a substitute arrangement (decision 0050); the SMS stays as it was."""
    from jianfu.notifications.models import Message

    cover(world, prog, course_id=prog["coding"].pk)
    [m] = Message.objects.all()
    assert (m.recipient, m.kind) == (world.users["head_teacher"], "substitute_arranged")
    assert "2026-11-25" in m.body and "趣味编程" in m.body
