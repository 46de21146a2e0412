"""Late joining (补报名, issue 15, finding G5; decision 0052): a family that missed the window asks,
the office decides; an accepted child joins the basic part at once and waits for a course at the
end of its waiting list — never ahead of those already waiting."""

import pytest

from conftest import api
from jianfu.afterschool.allocation.services import allocation_publish, allocation_run
from jianfu.afterschool.latejoin.errors import LateJoinError
from jianfu.afterschool.latejoin.services import late_join_decide, late_join_request
from jianfu.afterschool.models import (
    Application,
    Enrolment,
    EnrolmentStatus,
    FamilyNotice,
    LateJoinRequest,
    LateJoinStatus,
)
from jianfu.afterschool.tests.alloc_fixtures import apply, child, close, course, open_choosing, programme
from jianfu.afterschool.waitlist.services import course_capacity_raise, course_withdraw
from jianfu.core.errors import NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(world, autumn_term):
    """足球 has one place and two children asked for it in the window (one placed, one waiting);
    合唱 has twenty places and nobody in it. The results are published. 晚来 missed the window."""
    p = programme(world, autumn_term)
    football = course(world, p, "足球", 1)
    choir = course(world, p, "合唱", 20, category="art")
    open_choosing(world, p)
    a_parent, a = child(world, name="甲")
    b_parent, b = child(world, name="乙")
    apply(a_parent, a, p, [football])
    apply(b_parent, b, p, [football])
    close(world, p)
    allocation_run(actor=world.users["academic"], programme_id=p.pk, seed=7)
    allocation_publish(actor=world.users["academic"], programme_id=p.pk)
    late_parent, late = child(world, name="晚来")
    return {
        "p": p,
        "football": football,
        "choir": choir,
        "late": late,
        "late_parent": late_parent,
        "ab": (a, b),
    }


def ask(s, **kw):
    return late_join_request(actor=s["late_parent"], programme_id=s["p"].pk, student_id=s["late"].pk, **kw)


def decide(world, s, request, accept=True, persona="academic", note=""):
    return late_join_decide(actor=world.users[persona], request_id=request.pk, accept=accept, note=note)


def test_asking_again_updates_the_waiting_request(season):
    first = ask(season, course_id=season["choir"].pk, note="刚转学")
    again = ask(season, basic_part=False, course_id=season["football"].pk)
    assert again.pk == first.pk and LateJoinRequest.objects.count() == 1
    assert again.course_id == season["football"].pk and again.basic_part is False


def test_refusals_name_the_field(world, season, autumn_term):
    with pytest.raises(LateJoinError) as e:
        ask(season, basic_part=False)
    assert e.value.field == "basic_part"
    a = season["ab"][0]
    parent_of_a = a.guardians.get().user
    with pytest.raises(LateJoinError) as e:
        late_join_request(actor=parent_of_a, programme_id=season["p"].pk, student_id=a.pk)
    assert e.value.field == "programme_id" and "已经报名" in e.value.message
    with pytest.raises(NotFound):  # another family's child
        late_join_request(
            actor=world.users["parent"], programme_id=season["p"].pk, student_id=season["late"].pk
        )


def test_while_choosing_the_window_is_the_way_in(world, autumn_term):
    p = programme(world, autumn_term, name="另一期")
    open_choosing(world, p)
    parent, kid = child(world)
    with pytest.raises(LateJoinError) as e:
        late_join_request(actor=parent, programme_id=p.pk, student_id=kid.pk)
    assert e.value.code == LateJoinError.NOT_OPEN


def test_an_accepted_child_waits_behind_those_already_waiting(world, season):
    football = season["football"]
    [waiting] = Enrolment.objects.filter(course=football, status=EnrolmentStatus.WAITLISTED)
    [placed] = Enrolment.objects.filter(course=football, status=EnrolmentStatus.PLACED)
    request = ask(season, course_id=football.pk)
    decide(world, season, request)
    app = Application.objects.get(programme=season["p"], student=season["late"])
    assert app.withdrawn_at is None and app.basic_part  # the basic part at once
    late = Enrolment.objects.get(course=football, student=season["late"])
    assert (late.status, late.waitlist_position) == (EnrolmentStatus.WAITLISTED, 2)
    # The place frees: it goes to the child who was waiting first, not to the late one.
    course_withdraw(actor=world.users["academic"], programme_id=season["p"].pk, student_id=placed.student_id)
    waiting.refresh_from_db()
    late.refresh_from_db()
    assert waiting.status == EnrolmentStatus.PLACED
    assert (late.status, late.waitlist_position) == (EnrolmentStatus.WAITLISTED, 1)
    course_capacity_raise(
        actor=world.users["academic"], programme_id=season["p"].pk, course_id=football.pk, capacity=2
    )
    late.refresh_from_db()
    assert late.status == EnrolmentStatus.PLACED


def test_a_free_place_nobody_waits_for_is_taken_at_once_and_the_family_is_told(world, season):
    request = ask(season, course_id=season["choir"].pk)
    decide(world, season, request, note="欢迎")
    assert (
        Enrolment.objects.get(course=season["choir"], student=season["late"]).status == EnrolmentStatus.PLACED
    )
    texts = " ".join(FamilyNotice.objects.filter(student=season["late"]).values_list("text", flat=True))
    assert "同意" in texts and "晚来" in texts and "欢迎" in texts


def test_declined_once_and_the_decision_stands(world, season):
    request = ask(season)
    assert decide(world, season, request, accept=False).status == LateJoinStatus.DECLINED
    assert decide(world, season, request, accept=False).status == LateJoinStatus.DECLINED  # a repeat
    with pytest.raises(LateJoinError) as e:
        decide(world, season, request, accept=True)
    assert e.value.code == LateJoinError.DECIDED
    assert not Application.objects.filter(student=season["late"]).exists()
    assert "未同意" in FamilyNotice.objects.get(student=season["late"]).text


def test_only_the_office_decides(world, season):
    request = ask(season)
    with pytest.raises(PermissionDenied):
        decide(world, season, request, persona="teacher")
    with pytest.raises(NotFound):
        decide(world, season, request, persona="outsider")
    assert LateJoinRequest.objects.get().status == LateJoinStatus.PENDING


def test_the_pages_ask_once_and_the_office_accepts(client, world, season):
    client.force_login(season["late_parent"])
    assert "申请补报名" in client.get("/afterschool/family/late/").content.decode()
    form = {"programme": season["p"].pk, "child": season["late"].pk, "basic_part": "on", "note": "转学"}
    assert client.post("/afterschool/family/late/", form).status_code == 302
    assert client.post("/afterschool/family/late/", form).status_code == 302
    assert LateJoinRequest.objects.count() == 1
    r = client.post("/afterschool/family/late/", {**form, "basic_part": "", "note": "很" * 201})
    assert r.status_code == 422 and "很" * 201 in r.content.decode()
    client.force_login(world.users["academic"])
    url = f"/afterschool/{season['p'].pk}/late-joins/"
    assert "晚来" in client.get(url).content.decode()
    request = LateJoinRequest.objects.get()
    assert client.post(url, {"request": request.pk, "decision": "accept"}).status_code == 302
    request.refresh_from_db()
    assert request.status == LateJoinStatus.ACCEPTED


def test_the_api_asks_idempotently_and_the_office_decides(client, world, season):
    client.force_login(season["late_parent"])
    url = f"/api/v1/afterschool/programmes/{season['p'].pk}/children/{season['late'].pk}/late-join"
    first, again = (
        api(client, "put", url, {"basic_part": True}),
        api(client, "put", url, {"basic_part": True}),
    )
    assert first.status_code == again.status_code == 200 and first.json()["id"] == again.json()["id"]
    client.force_login(world.users["academic"])
    listed = api(client, "get", f"/api/v1/afterschool/programmes/{season['p'].pk}/late-joins").json()
    assert [x["id"] for x in listed] == [first.json()["id"]]
    done = api(
        client, "post", f"/api/v1/afterschool/late-joins/{first.json()['id']}/decision", {"accept": False}
    )
    assert done.status_code == 200 and done.json()["status"] == "declined"


def test_the_change_form_starts_from_the_waiting_request(client, season):
    """修改申请 shows what the family asked (合唱, no basic part, the note): sending it again with one
    thing changed keeps the rest."""
    ask(season, basic_part=False, course_id=season["choir"].pk, note="下午三点后才能到校")
    client.force_login(season["late_parent"])
    page = client.get("/afterschool/family/late/").content.decode()
    assert f'<option value="{season["choir"].pk}" selected>' in page
    assert 'value="下午三点后才能到校"' in page
    assert 'name="basic_part" checked' not in page
