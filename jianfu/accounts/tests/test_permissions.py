"""Per-persona checks for the pages and endpoints of accounts and core."""

import pytest

from conftest import PERSONAS

pytestmark = pytest.mark.django_db

ROLE_LABEL = {
    "bureau": "教育局工作人员",
    "inspector": "督学",
    "principal": "校长",
    "academic": "教导处",
    "head_teacher": "班主任",
    "teacher": "科任教师",
    "parent": "家长",
    "outsider": "校长",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_shows_each_persona_their_own_roles(client, world, persona):
    client.force_login(world.users[persona])
    html = client.get("/core/").content.decode()
    if persona == "nobody":
        assert "还没有分配角色" in html
    else:
        assert ROLE_LABEL[persona] in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_me_endpoint_returns_only_the_caller_with_phone_masked(client, world, persona):
    user = world.users[persona]
    client.force_login(user)
    data = client.get("/api/v1/accounts/me").json()
    assert data["name"] == user.name
    assert data["phone_masked"] == user.phone[:3] + "****" + user.phone[-4:]
    assert user.phone not in str(data)
    assert len(data["memberships"]) == (0 if persona == "nobody" else 1)


@pytest.mark.parametrize("persona", PERSONAS)
def test_class_and_student_scoping(world, persona):
    """The scoped selectors every app reads through: who sees which classes and children."""
    from jianfu.schools.selectors import classes_for_actor, students_for_actor

    user = world.users[persona]
    classes = set(classes_for_actor(user))
    students = set(students_for_actor(user))
    home_classes = {world.class_3_1, world.class_5_1, world.class_5_2}
    expected_classes = {
        "bureau": home_classes,  # district 440106 only: not the other district's class
        "inspector": home_classes,
        "principal": home_classes,
        "academic": home_classes,
        "head_teacher": {world.class_5_1},
        "teacher": {world.class_5_1},
        "parent": {world.class_5_1},
        "outsider": {world.other_class},
        "nobody": set(),
    }[persona]
    assert classes == expected_classes
    expected_students = {
        "bureau": {world.student, world.other_student},
        "inspector": {world.student, world.other_student},
        "principal": {world.student, world.other_student},
        "academic": {world.student, world.other_student},
        "head_teacher": {world.student},
        "teacher": {world.student},
        "parent": {world.student},
        "outsider": set(),
        "nobody": set(),
    }[persona]
    assert students == expected_students


def test_not_found_and_not_allowed_look_the_same(world):
    from jianfu.core.errors import NotFound
    from jianfu.schools.selectors import class_get_for_actor

    parent = world.users["parent"]
    with pytest.raises(NotFound) as forbidden:
        class_get_for_actor(parent, world.class_5_2.pk)
    with pytest.raises(NotFound) as missing:
        class_get_for_actor(parent, 999999)
    assert forbidden.value.as_dict() == missing.value.as_dict()
