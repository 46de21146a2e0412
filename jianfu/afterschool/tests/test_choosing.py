"""Families choosing: voluntary opt-in, ranked choices, idempotent resubmission, the window, hardship
claims verified by the school office only."""

import re
from datetime import timedelta

import pytest

from conftest import run_at_once
from jianfu.afterschool.family.services import ChoosingError, application_withdraw, hardship_verify
from jianfu.afterschool.models import Application, ApplicationChoice
from jianfu.afterschool.tests.alloc_fixtures import (
    AFTER,
    CLOSES,
    DURING,
    OPENS,
    apply,
    course,
    open_choosing,
    programme,
)
from jianfu.afterschool.tests.conftest import assert_says, grades
from jianfu.core.errors import NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world, autumn_term):
    p = programme(world, autumn_term)
    football = course(world, p, "足球", 20, grades=(3, 6))
    choir = course(world, p, "合唱", 30, category="art")
    chess = course(world, p, "围棋", 20, category="other")
    little = course(world, p, "绘本阅读", 20, category="reading", grades=(1, 2))
    open_choosing(world, p)
    return p, football, choir, chess, little


def test_ranked_choices_are_stored_in_order(world, setup):
    p, football, choir, chess, _ = setup
    app = apply(world.users["parent"], world.student, p, [chess, football, choir], both_parents_working=True)
    assert [(c.rank, c.course.name) for c in app.choices.order_by("rank")] == [
        (1, "围棋"),
        (2, "足球"),
        (3, "合唱"),
    ]
    assert app.both_parents_working and app.basic_part and app.hardship_verified is None


def test_resubmitting_replaces_and_never_duplicates(world, setup):
    p, football, choir, chess, _ = setup
    parent = world.users["parent"]
    apply(parent, world.student, p, [chess, football])
    apply(parent, world.student, p, [chess, football])  # the double tap
    app = apply(parent, world.student, p, [choir])
    assert Application.objects.filter(programme=p, student=world.student).count() == 1
    assert list(app.choices.values_list("course__name", flat=True)) == ["合唱"]
    assert ApplicationChoice.objects.filter(application__programme=p).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_taps_at_once_make_one_application(world, autumn_term):
    p = programme(world, autumn_term)
    football = course(world, p, "足球", 20)
    open_choosing(world, p)

    def tap():
        apply(world.users["parent"], world.student, p, [football])

    assert run_at_once(tap, tap) == []
    assert Application.objects.filter(programme=p, student=world.student).count() == 1
    assert ApplicationChoice.objects.filter(application__programme=p).count() == 1


@pytest.mark.parametrize("when", [OPENS - timedelta(minutes=1), CLOSES, AFTER])
def test_outside_the_window_a_clear_chinese_error(world, setup, when):
    p, football, *_ = setup
    with pytest.raises(ChoosingError) as exc:
        apply(world.users["parent"], world.student, p, [football], now=when)
    assert exc.value.code == "afterschool_window_closed"
    # It names the window the programme was given (alloc_fixtures: 24 Aug 08:00 to 28 Aug 18:00).
    assert exc.value.field == "programme"
    assert_says(exc.value.message_zh, "8月24日", "08:00", "8月28日", "18:00")
    assert not Application.objects.exists()


def test_choices_are_checked(world, setup):
    p, football, choir, chess, little = setup
    parent = world.users["parent"]
    with pytest.raises(ChoosingError) as exc:
        apply(parent, world.student, p, [football, choir, chess, little])
    # Four choices where the programme allows 3 (alloc_fixtures' default max_choices).
    assert (exc.value.code, exc.value.field) == ("afterschool_choice_invalid", "course_ids")
    assert_says(exc.value.message_zh, "3")
    with pytest.raises(ChoosingError) as exc:
        apply(parent, world.student, p, [choir, little])  # a grade-5 child; 绘本阅读 is for grades 1–2
    assert (exc.value.code, exc.value.field) == ("afterschool_choice_invalid", "course_ids")
    assert_says(exc.value.message_zh, re.compile(r"第\s*2"), "绘本阅读", grades(1, 2), never=("合唱",))
    with pytest.raises(ChoosingError):
        apply(parent, world.student, p, [choir, choir])
    with pytest.raises(ChoosingError) as exc:
        apply(parent, world.student, p, [], basic_part=False)
    assert exc.value.field == "basic_part"
    with pytest.raises(ChoosingError) as exc:
        apply(parent, world.student, p, [choir], hardship_claimed=True)
    assert exc.value.field == "hardship_category"


def test_only_a_guardian_chooses_for_a_child_and_never_in_a_draft(world, autumn_term, setup):
    p, football, *_ = setup
    with pytest.raises(NotFound):
        apply(world.users["parent"], world.other_student, p, [football])  # not their child
    for persona in ("teacher", "head_teacher", "academic", "outsider"):
        with pytest.raises(NotFound):
            apply(world.users[persona], world.student, p, [football])
    draft = programme(world, autumn_term, name="草稿方案")
    with pytest.raises(NotFound):
        apply(world.users["parent"], world.student, draft, [])


def test_opting_out_is_always_possible_and_opting_in_again_too(world, setup):
    p, football, *_ = setup
    parent = world.users["parent"]
    apply(parent, world.student, p, [football])
    app = application_withdraw(actor=parent, programme_id=p.pk, student_id=world.student.pk, now=DURING)
    assert app.withdrawn_at is not None
    again = apply(parent, world.student, p, [football])
    assert again.pk == app.pk and again.withdrawn_at is None


def test_hardship_is_verified_by_the_office_only(world, setup):
    p, football, *_ = setup
    parent = world.users["parent"]
    app = apply(parent, world.student, p, [football], hardship_claimed=True, hardship_category="hardship")
    for persona in ("teacher", "head_teacher", "bureau"):
        with pytest.raises(PermissionDenied):
            hardship_verify(
                actor=world.users[persona], programme_id=p.pk, application_id=app.pk, verified=True
            )
    for persona in ("parent", "outsider"):
        with pytest.raises(NotFound):
            hardship_verify(
                actor=world.users[persona], programme_id=p.pk, application_id=app.pk, verified=True
            )
    assert hardship_verify(
        actor=world.users["academic"], programme_id=p.pk, application_id=app.pk, verified=True
    )
    # Resubmitting the same claim keeps the verification; changing it asks the school again.
    assert apply(
        parent, world.student, p, [football], hardship_claimed=True, hardship_category="hardship"
    ).hardship_verified
    changed = apply(
        parent, world.student, p, [football], hardship_claimed=True, hardship_category="disability"
    )
    assert changed.hardship_verified is None
