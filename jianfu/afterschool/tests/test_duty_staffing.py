"""Duty staffing at a real school's size (issue 15, finding G3): several teachers on gate duty in
one submit (all or none, a repeat changes nothing), and namesakes told apart in the pickers."""

import pytest

from conftest import api, make_user
from jianfu.afterschool.days.errors import DaysError
from jianfu.afterschool.models import StaffDuty
from jianfu.afterschool.pickup.selectors import teachers_for_picker
from jianfu.afterschool.pickup.services import duty_assign_many
from jianfu.afterschool.tests.factories_days import MON, TUE, pickup_slots, programme_for, teacher_of
from jianfu.schools.models import Teacher, TeachingAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world, autumn_term, monday):
    p = programme_for(world, autumn_term)
    # Two 张伟: one heads 5(2), the other teaches maths in 5(1).
    head = Teacher.objects.create(school=world.school, user=make_user("13500000101", "张伟"), name="张伟")
    world.class_5_2.head_teacher = head
    world.class_5_2.save(update_fields=["head_teacher"])
    maths = Teacher.objects.create(school=world.school, user=make_user("13500000102", "张伟"), name="张伟")
    TeachingAssignment.objects.create(teacher=maths, school_class=world.class_5_1, subject="math")
    return {"p": p, "slot": pickup_slots(p)["18:00"], "head": head, "maths": maths}


def test_several_teachers_at_once_and_a_repeat_changes_nothing(world, scene):
    ids = [scene["head"].pk, scene["maths"].pk, teacher_of(world, "teacher").pk]
    made = duty_assign_many(
        actor=world.users["academic"],
        programme_id=scene["p"].pk,
        slot_id=scene["slot"].pk,
        on=TUE,
        teacher_ids=ids,
    )
    assert sorted(d.teacher_id for d in made) == sorted(ids)
    duty_assign_many(
        actor=world.users["academic"],
        programme_id=scene["p"].pk,
        slot_id=scene["slot"].pk,
        on=TUE,
        teacher_ids=ids,
    )
    assert StaffDuty.objects.count() == 3


def test_one_teacher_of_another_school_refuses_the_whole_list(world, scene):
    stranger = Teacher.objects.create(
        school=world.other_school, user=make_user("13500000103", "外校老师"), name="外校老师"
    )
    with pytest.raises(DaysError) as e:
        duty_assign_many(
            actor=world.users["academic"],
            programme_id=scene["p"].pk,
            slot_id=scene["slot"].pk,
            on=TUE,
            teacher_ids=[scene["head"].pk, stranger.pk],
        )
    assert e.value.field == "teacher_id"
    assert not StaffDuty.objects.exists()


def test_namesakes_are_told_apart_and_others_keep_their_name(world, scene):
    labels = {t.pk: t.label for t in teachers_for_picker(world.school.pk)}
    assert labels[scene["head"].pk] == "张伟（五年级(2)班班主任）"
    assert labels[scene["maths"].pk] == "张伟（数学 · 五年级(1)班）"
    teacher = teacher_of(world, "teacher")
    assert labels[teacher.pk] == teacher.name


def test_the_page_assigns_the_ticked_teachers_and_keeps_them_ticked_when_refused(client, world, scene):
    client.force_login(world.users["academic"])
    url = f"/afterschool/days/arrangements/?programme={scene['p'].pk}&date={MON}"
    page = client.get(url).content.decode()
    assert "张伟（五年级(2)班班主任）" in page and "张伟（数学 · 五年级(1)班）" in page
    base = {"programme": scene["p"].pk, "date": MON.isoformat(), "action": "duty", "slot": scene["slot"].pk}
    r = client.post(
        "/afterschool/days/arrangements/", {**base, "teacher": [scene["head"].pk, scene["maths"].pk]}
    )
    assert r.status_code == 302
    assert set(StaffDuty.objects.values_list("teacher_id", flat=True)) == {
        scene["head"].pk,
        scene["maths"].pk,
    }
    r = client.post("/afterschool/days/arrangements/", base)
    assert r.status_code == 422 and "请至少选择一位" in r.content.decode()
    StaffDuty.objects.all().delete()
    r = client.post("/afterschool/days/arrangements/", {**base, "teacher": [scene["head"].pk, 999999]})
    page = r.content.decode()
    assert r.status_code == 422 and "不是本校的教师" in page
    assert f'value="{scene["head"].pk}" checked' in page and not StaffDuty.objects.exists()


def test_the_api_assigns_several(client, world, scene):
    client.force_login(world.users["academic"])
    r = api(
        client,
        "post",
        f"/api/v1/afterschool/days/programmes/{scene['p'].pk}/duties/batch",
        {
            "slot_id": scene["slot"].pk,
            "date": TUE.isoformat(),
            "teacher_ids": [scene["head"].pk, scene["maths"].pk],
        },
    )
    assert r.status_code == 200 and len(r.json()) == 2
