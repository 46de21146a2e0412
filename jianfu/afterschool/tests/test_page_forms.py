"""The after-school page forms (issue 14, part 2): a value the form cannot read is refused beside its
field, and everything else the person typed is shown again; a service's refusal lands on the field
it names."""

import re

import pytest

from jianfu.afterschool.models import Course
from jianfu.afterschool.tests.alloc_fixtures import programme

pytestmark = pytest.mark.django_db


def _value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    assert match, f"no input named {name}"
    return match.group(1)


def _course_post(world, **changes):
    body = {
        "name": "合唱",
        "category": "art",
        "room": "音乐教室",
        "capacity": "30",
        "min_size": "0",
        "weekdays": ["2", "4"],
        "runner": f"t:{world.users['teacher'].teacher_profiles.get().pk}",
        "fee_per_term": "0",
        "description": "二声部",
    }
    return {**body, **changes}


def test_course_form_refuses_a_bad_number_beside_its_field_and_keeps_the_rest(client, world, autumn_term):
    p = programme(world, autumn_term)
    client.force_login(world.users["principal"])
    r = client.post(f"/afterschool/{p.pk}/courses/new/", _course_post(world, capacity="三十"))
    assert r.status_code == 422
    form = r.context["form"]
    assert list(form.errors) == ["capacity"]
    assert form.errors["capacity"] == ["请填写整数"]
    html = r.content.decode()
    assert 'class="msg-error small field-error"' in html
    assert _value(html, "name") == "合唱" and _value(html, "room") == "音乐教室"
    assert _value(html, "capacity") == "三十"
    assert "二声部" in html
    assert re.search(r'value="2" checked', html) and re.search(r'value="4" checked', html)
    assert not Course.objects.filter(programme=p).exists()


def test_course_form_shows_a_service_refusal_on_the_field_it_names(client, world, autumn_term):
    p = programme(world, autumn_term)
    client.force_login(world.users["principal"])
    r = client.post(f"/afterschool/{p.pk}/courses/new/", _course_post(world, capacity="900"))
    assert r.status_code == 422
    assert "名额应在1到500之间" in r.context["form"].errors["capacity"][0]
    assert _value(r.content.decode(), "room") == "音乐教室"
    assert not Course.objects.filter(programme=p).exists()


def test_course_form_refuses_a_runner_it_cannot_read(client, world, autumn_term):
    p = programme(world, autumn_term)
    client.force_login(world.users["principal"])
    r = client.post(f"/afterschool/{p.pk}/courses/new/", _course_post(world, runner="t:x"))
    assert r.status_code == 422
    assert list(r.context["form"].errors) == ["runner"]
    assert _value(r.content.decode(), "name") == "合唱"


def _choosing_now(world, autumn_term):
    """A programme open for choosing right now (the page reads the real clock)."""
    from datetime import timedelta

    from django.utils import timezone

    from jianfu.afterschool.programme.services import programme_open_choosing, programme_update
    from jianfu.afterschool.tests.alloc_fixtures import course

    p = programme(world, autumn_term)
    football = course(world, p, "足球", 10)
    choir = course(world, p, "合唱", 10, weekdays=(2, 4))
    now = timezone.now()
    office = world.users["academic"]
    programme_update(
        actor=office,
        programme_id=p.pk,
        choice_opens_at=now - timedelta(hours=1),
        choice_closes_at=now + timedelta(days=1),
    )
    programme_open_choosing(actor=office, programme_id=p.pk)
    return p, football, choir


def test_choose_form_refuses_a_course_not_offered_and_keeps_the_rest(client, world, autumn_term):
    from jianfu.afterschool.models import Application

    p, football, choir = _choosing_now(world, autumn_term)
    client.force_login(world.users["parent"])
    url = f"/afterschool/family/{p.pk}/{world.student.pk}/"
    r = client.post(
        url,
        {
            "rank_1": "999999",
            "rank_2": str(choir.pk),
            "both_parents_working": "on",
            "hardship_claimed": "on",
            "hardship_category": "hardship",
        },
    )
    assert r.status_code == 422
    form = r.context["form"]
    assert list(form.errors) == ["rank_1"]
    assert form.errors["rank_1"] == ["请从列表中选择课程"]
    html = r.content.decode()
    assert 'class="msg-error small field-error"' in html
    assert re.search(rf'<option value="{choir.pk}" selected>', html)
    assert re.search(r'name="both_parents_working" checked', html)
    assert re.search(r'name="hardship_claimed" checked', html)
    assert re.search(r'<option value="hardship" selected>', html)
    assert not re.search(r'name="basic_part" checked', html)  # left unticked, and still so
    assert not Application.objects.filter(programme=p, student=world.student).exists()
    # The same choices, read correctly, are taken.
    r = client.post(url, {"rank_1": str(football.pk), "rank_2": str(choir.pk), "basic_part": "on"})
    assert r.status_code == 302
    app = Application.objects.get(programme=p, student=world.student)
    assert [c.course_id for c in app.choices.order_by("rank")] == [football.pk, choir.pk]


def test_choose_form_shows_a_service_refusal(client, world, autumn_term):
    p, football, _choir = _choosing_now(world, autumn_term)
    client.force_login(world.users["parent"])
    r = client.post(
        f"/afterschool/family/{p.pk}/{world.student.pk}/",
        {"rank_1": str(football.pk), "rank_2": str(football.pk), "both_parents_working": "on"},
    )
    assert r.status_code == 422
    assert "同一门课程只能填一次" in r.content.decode()
    assert re.search(r'name="both_parents_working" checked', r.content.decode())


def test_create_form_refuses_a_term_it_cannot_read_and_keeps_the_name(client, world, autumn_term):
    from jianfu.afterschool.models import Programme

    client.force_login(world.users["principal"])
    r = client.post("/afterschool/", {"term": "x", "name": "秋季课后服务"})
    assert r.status_code == 422
    assert list(r.context["form"].errors) == ["term"]
    html = r.content.decode()
    assert 'class="msg-error small field-error"' in html
    assert _value(html, "name") == "秋季课后服务"
    assert not Programme.objects.filter(name="秋季课后服务").exists()
    # A term of another school (not the office's) is the service's refusal, beside the same choice.
    r = client.post("/afterschool/", {"term": f"{world.school.pk}:999999", "name": "秋季课后服务"})
    assert r.status_code == 422
    assert r.context["form"].errors["term"] == ["学期不存在"]
    assert _value(r.content.decode(), "name") == "秋季课后服务"


def test_settings_form_refuses_a_bad_number_and_keeps_the_rest(client, world, autumn_term):
    p = programme(world, autumn_term)
    client.force_login(world.users["principal"])
    body = {
        "action": "settings",
        "name": "改了名",
        "max_choices": "三",
        "choice_opens_at": "2026-09-01T08:00",
        "choice_closes_at": "2026-09-05T18:00",
        "weight_both_parents_working": "4",
    }
    r = client.post(f"/afterschool/{p.pk}/", body)
    assert r.status_code == 422
    form = r.context["settings_form"]
    assert list(form.errors) == ["max_choices"]
    html = r.content.decode()
    assert _value(html, "name") == "改了名" and _value(html, "max_choices") == "三"
    assert _value(html, "choice_closes_at") == "2026-09-05T18:00"
    assert _value(html, "weight_both_parents_working") == "4"
    p.refresh_from_db()
    assert p.name != "改了名"
    # A refusal of the service (a window that closes before it opens) keeps what was typed too.
    r = client.post(
        f"/afterschool/{p.pk}/", {**body, "max_choices": "3", "choice_closes_at": "2026-08-01T08:00"}
    )
    assert r.status_code == 422
    assert r.context["settings_form"].errors
    assert _value(r.content.decode(), "name") == "改了名"
    p.refresh_from_db()
    assert p.name != "改了名"


def test_slots_form_puts_each_problem_beside_its_cell_and_keeps_the_grid(client, world, autumn_term):
    p = programme(world, autumn_term)
    client.force_login(world.users["principal"])
    before = list(p.slots.values_list("weekday", "part", "start", "end"))
    body = {"action": "slots", "basic_1_start": "15:30", "basic_1_end": "16:30", "basic_2_start": "四点"}
    r = client.post(f"/afterschool/{p.pk}/", body)
    assert r.status_code == 422
    assert list(r.context["slots_form"].errors) == ["basic_2_start"]
    html = r.content.decode()
    assert _value(html, "basic_1_start") == "15:30" and _value(html, "basic_2_start") == "四点"
    # The service's refusal (ends before it starts) lands beside the cell it came from.
    r = client.post(f"/afterschool/{p.pk}/", {**body, "basic_2_start": "17:00", "basic_2_end": "16:00"})
    assert r.status_code == 422
    errors = r.context["slots_form"].errors
    assert "basic_2_end" in errors and "basic_1_start" not in errors
    assert _value(r.content.decode(), "basic_2_end") == "16:00"
    assert list(p.slots.values_list("weekday", "part", "start", "end")) == before


def test_subsidies_form_refuses_a_bad_number_and_keeps_the_rest(client, world, autumn_term):
    from jianfu.afterschool.models import SubsidyCategory

    p = programme(world, autumn_term)
    client.force_login(world.users["principal"])
    first, second = SubsidyCategory.values[:2]
    r = client.post(
        f"/afterschool/{p.pk}/", {"action": "subsidies", f"subsidy_{first}": "半", f"subsidy_{second}": "50"}
    )
    assert r.status_code == 422
    assert list(r.context["subsidies_form"].errors) == [f"subsidy_{first}"]
    html = r.content.decode()
    assert _value(html, f"subsidy_{first}") == "半" and _value(html, f"subsidy_{second}") == "50"
    assert not p.subsidy_rules.exists()


def test_provider_form_shows_a_refusal_beside_its_field_and_keeps_the_rest(client, world):
    from jianfu.afterschool.models import ExternalProvider

    client.force_login(world.users["principal"])
    body = {
        "action": "provider",
        "scope": f"s:{world.school.pk}",
        "name": "少年宫",
        "kind": "sports",
        "contact_name": "王老师",
        "contact_phone": "12345",
    }
    r = client.post("/afterschool/providers/", body)
    assert r.status_code == 422
    assert list(r.context["form"].errors) == ["contact_phone"]
    html = r.content.decode()
    assert _value(html, "contact_name") == "王老师" and _value(html, "contact_phone") == "12345"
    assert 'value="少年宫"' in html
    assert not ExternalProvider.objects.filter(name="少年宫").exists()
    r = client.post("/afterschool/providers/", {**body, "scope": "school", "contact_phone": ""})
    assert r.status_code == 422
    assert list(r.context["form"].errors) == ["scope"]
    assert _value(r.content.decode(), "contact_name") == "王老师"


def test_provider_staff_form_keeps_what_was_typed(client, world):
    from jianfu.afterschool.courses.services import provider_create

    provider = provider_create(
        actor=world.users["principal"], name="少年宫", kind="sports", school_id=world.school.pk
    )
    client.force_login(world.users["principal"])
    r = client.post(
        "/afterschool/providers/",
        {"action": "staff", "provider": provider.pk, "name": "  ", "qualification": "二级教练"},
    )
    assert r.status_code == 422
    assert list(r.context["staff_form"].errors) == ["name"]
    assert 'value="二级教练"' in r.content.decode()
    assert not provider.staff.exists()


def test_family_withdraw_form_refuses_an_id_it_cannot_read(client, world, published):
    """The results page's buttons carry ids the page wrote, nothing typed: the form puts an
    unreadable one beside its field and keeps the other, and the page answers 404 and changes
    nothing."""
    from jianfu.afterschool.family.forms import FamilyWithdrawForm
    from jianfu.afterschool.models import Enrolment

    _p, football, _choir = published
    form = FamilyWithdrawForm({"action": "leave_course", "programme": "x", "student": str(world.student.pk)})
    assert not form.is_valid()
    assert list(form.errors) == ["programme"]
    assert form.cleaned_data["student"] == world.student.pk and form["programme"].value() == "x"
    client.force_login(world.users["parent"])
    r = client.post(
        "/afterschool/family/", {"action": "leave_course", "programme": "x", "student": world.student.pk}
    )
    assert r.status_code == 404
    assert Enrolment.objects.get(student=world.student, course=football).status == "placed"


def test_attendance_day_form_refuses_a_date_it_cannot_read_and_keeps_it(client, world, autumn_term, monday):
    """The office's date, typed where the browser has no picker: shown again beside the reason; the
    page stays on today's sessions. A readable date is taken."""
    from jianfu.afterschool.tests.factories_days import programme_for

    programme_for(world, autumn_term)
    client.force_login(world.users["academic"])
    r = client.get("/afterschool/days/attendance/", {"date": "2026-11-31"})
    assert r.status_code == 422
    assert list(r.context["form"].errors) == ["date"]
    html = r.content.decode()
    assert 'class="msg-error small field-error"' in html and "请按 年-月-日 填写" in html
    assert _value(html, "date") == "2026-11-31"
    assert r.context["on"].isoformat() == "2026-11-23"
    r = client.get("/afterschool/days/attendance/", {"date": "2026-11-20"})
    assert r.status_code == 200 and r.context["on"].isoformat() == "2026-11-20"


def test_school_figures_query_refuses_a_term_it_cannot_read_and_keeps_the_school(
    client, world, autumn_term, monday
):
    from jianfu.afterschool.tests.factories_days import programme_for

    programme_for(world, autumn_term)
    client.force_login(world.users["academic"])
    r = client.get("/afterschool/days/figures/", {"school": world.school.pk, "term": "秋季"})
    assert r.status_code == 422
    assert list(r.context["query"].errors) == ["term"]
    assert "请从列表中选择学期" in r.content.decode()
    assert r.context["f"].school == world.school
    # The export is the page's own link: a value it cannot read is no file.
    r = client.get("/afterschool/days/figures/export.xlsx", {"school": world.school.pk, "term": "秋季"})
    assert r.status_code == 404
    r = client.get("/afterschool/days/figures/", {"school": world.school.pk, "term": autumn_term.pk})
    assert r.status_code == 200 and r.context["f"].term == autumn_term


def test_district_figures_query_refuses_a_term_it_cannot_read(client, world, autumn_term, monday):
    from jianfu.afterschool.tests.factories_days import programme_for

    programme_for(world, autumn_term)
    client.force_login(world.users["bureau"])
    r = client.get("/afterschool/days/figures/district/", {"term": f"{autumn_term.school_year}:winter"})
    assert r.status_code == 422
    assert list(r.context["query"].errors) == ["term"]
    assert "请从列表中选择学期" in r.content.decode()
    assert client.get("/afterschool/days/figures/district/export.xlsx", {"term": "x"}).status_code == 404
    r = client.get(
        "/afterschool/days/figures/district/", {"term": f"{autumn_term.school_year}:{autumn_term.kind}"}
    )
    assert r.status_code == 200 and r.context["d"].kind == autumn_term.kind


def _chess_allocated(world, autumn_term):
    """围棋 with one place and two applicants, allocated: one placed, one waiting."""
    from jianfu.afterschool.allocation.services import allocation_run
    from jianfu.afterschool.tests.alloc_fixtures import apply, child, close, course, open_choosing

    p = programme(world, autumn_term)
    chess = course(world, p, "围棋", 1, category="other")
    open_choosing(world, p)
    for name in ("甲", "乙"):
        parent, kid = child(world, name=name)
        apply(parent, kid, p, [chess])
    close(world, p)
    allocation_run(actor=world.users["academic"], programme_id=p.pk, seed=7)
    return p, chess


def test_run_form_refuses_a_seed_it_cannot_read_and_keeps_it(client, world, autumn_term):
    p, _chess = _chess_allocated(world, autumn_term)
    client.force_login(world.users["academic"])
    url = f"/afterschool/{p.pk}/allocation/"
    r = client.post(url, {"action": "run", "seed": "七七"})
    assert r.status_code == 422
    assert r.context["refused"]["form"].errors["seed"] == ["随机种子应为非负整数"]
    html = r.content.decode()
    assert 'class="msg-error small field-error"' in html and _value(html, "seed") == "七七"
    # A number out of the service's range: its refusal beside the seed.
    r = client.post(url, {"action": "run", "seed": "-1"})
    assert r.status_code == 422
    assert (
        list(r.context["refused"]["form"].errors) == ["seed"] and _value(r.content.decode(), "seed") == "-1"
    )
    assert p.runs.count() == 1
    assert client.post(url, {"action": "run", "seed": "8"}).status_code == 302
    assert list(p.runs.order_by("pk").values_list("seed", flat=True)) == [7, 8]


def test_capacity_form_refuses_a_number_it_cannot_read_beside_its_course(client, world, autumn_term):
    p, chess = _chess_allocated(world, autumn_term)
    client.force_login(world.users["academic"])
    url = f"/afterschool/{p.pk}/allocation/"
    r = client.post(url, {"action": "capacity", "course": chess.pk, "capacity": "两个"})
    assert r.status_code == 422
    form = r.context["refused"]["form"]
    assert list(form.errors) == ["capacity"] and r.context["refused"]["course"] == chess.pk
    html = r.content.decode()
    assert 'class="msg-error small field-error"' in html and _value(html, "capacity") == "两个"
    # Not more than now: the service's refusal, beside the same field.
    r = client.post(url, {"action": "capacity", "course": chess.pk, "capacity": "1"})
    assert r.status_code == 422 and list(r.context["refused"]["form"].errors) == ["capacity"]
    assert Course.objects.get(pk=chess.pk).capacity == 1
    # The row's course is the page's own id: one it cannot read is a 404.
    assert client.post(url, {"action": "capacity", "course": "x", "capacity": "2"}).status_code == 404
    assert client.post(url, {"action": "cancel", "course": "x"}).status_code == 404
    assert client.post(url, {"action": "merge", "course": chess.pk, "into": "x"}).status_code == 404
    assert client.post(url, {"action": "withdraw", "student": "x"}).status_code == 404
    assert Course.objects.get(pk=chess.pk).capacity == 1 and Course.objects.get(pk=chess.pk).status == "open"


def test_hardship_form_refuses_an_application_it_cannot_read(client, world, autumn_term):
    from jianfu.afterschool.allocation.forms import HardshipVerifyForm

    form = HardshipVerifyForm({"application": "x", "verified": "1"})
    assert not form.is_valid() and list(form.errors) == ["application"]
    assert form.cleaned_data["verified"] is True
    p, _chess = _chess_allocated(world, autumn_term)
    client.force_login(world.users["academic"])
    r = client.post(f"/afterschool/{p.pk}/applications/", {"application": "x", "verified": "1"})
    assert r.status_code == 404


def test_attendance_tap_refuses_a_child_it_cannot_read(client, world, autumn_term, monday):
    """A tap carries the child's row and the status button, nothing typed: a child it cannot read
    is named above the roster and nothing is marked; the status read stays the form's."""
    from jianfu.afterschool.attendance.forms import MarkForm
    from jianfu.afterschool.attendance.services import sessions_ensure
    from jianfu.afterschool.models import AttendanceRecord
    from jianfu.afterschool.tests.factories_days import MON, course_in, place, programme_for, teacher_of

    form = MarkForm({"student_id": "x", "status": "late"})
    assert not form.is_valid() and list(form.errors) == ["student_id"]
    assert form.cleaned_data["status"] == "late"
    p = programme_for(world, autumn_term)
    coding = course_in(p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 3))
    place(coding, world.student)
    session = next(s for s in sessions_ensure(actor=None, programme=p, on=MON) if s.course_id == coding.pk)
    client.force_login(world.users["teacher"])
    r = client.post(
        f"/afterschool/days/attendance/session/{session.pk}/mark/",
        {"student_id": "x", "status": "late"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and "学生：请选择学生" in r.content.decode()
    assert not AttendanceRecord.objects.filter(session=session).exists()
