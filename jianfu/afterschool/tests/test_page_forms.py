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
