"""The access module: one answer to "does this actor reach that object" (issue 14, decision 0037).

Expected answers are read off domain.md, "People and what they may see", for the conftest world:
bureau staff and the inspector of `district`; principal, academic affairs and a subject teacher of
`school`; the head teacher and a parent of class 5-1; a principal of `other_school` in
`other_district`.
"""

from __future__ import annotations

from typing import Any

import pytest

from jianfu.accounts.models import Role
from jianfu.core.actors import DEMO_LOADER
from jianfu.schools import access

pytestmark = pytest.mark.django_db


def test_region_roles_reach_their_region_and_below_only(world: Any) -> None:
    bureau = world.users["bureau"]
    assert access.holds_role(bureau, Role.BUREAU_STAFF, over=world.district)
    assert access.holds_role(bureau, Role.BUREAU_STAFF, over=world.school)
    assert access.holds_role(bureau, Role.BUREAU_STAFF, over=world.class_5_2)
    assert access.holds_role(bureau, Role.BUREAU_STAFF, over=world.student)
    assert not access.holds_role(bureau, Role.BUREAU_STAFF, over=world.city)  # above them
    assert not access.holds_role(bureau, Role.BUREAU_STAFF, over=world.other_school)
    assert not access.holds_role(bureau, Role.INSPECTOR, over=world.school)  # a role they do not hold


def test_school_roles_reach_their_school_only(world: Any) -> None:
    principal = world.users["principal"]
    assert access.holds_role(principal, Role.PRINCIPAL, over=world.school)
    assert access.holds_role(principal, [Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS], over=world.class_5_2)
    assert not access.holds_role(principal, Role.PRINCIPAL, over=world.other_class)
    assert not access.holds_role(principal, Role.PRINCIPAL, over=world.district)
    assert access.holds_role(world.users["outsider"], Role.PRINCIPAL, over=world.other_school)
    assert not access.holds_role(world.users["outsider"], Role.PRINCIPAL, over=world.school)


def test_class_roles_reach_their_class_only(world: Any) -> None:
    head = world.users["head_teacher"]
    assert access.holds_role(head, Role.HEAD_TEACHER, over=world.class_5_1)
    assert access.holds_role(head, Role.HEAD_TEACHER, over=world.student)
    assert not access.holds_role(head, Role.HEAD_TEACHER, over=world.class_5_2)
    assert not access.holds_role(head, Role.HEAD_TEACHER, over=world.school)
    parent = world.users["parent"]
    assert access.is_guardian_of(parent, world.student)
    assert not access.is_guardian_of(parent, world.other_student)


def test_nobody_and_none_reach_nothing(world: Any) -> None:
    assert not access.holds_role(world.users["nobody"], Role.PARENT)
    assert not access.holds_role(None, Role.PRINCIPAL, over=world.school)
    assert not access.schools_for_actor(None).exists()


def test_the_system_actor_reaches_everything_by_name(world: Any) -> None:
    assert access.holds_role(DEMO_LOADER, Role.BUREAU_STAFF, over=world.other_school)
    assert set(access.schools_for_actor(DEMO_LOADER)) >= {world.school, world.other_school}
    assert access.class_get_for_actor(DEMO_LOADER, world.other_class.pk) == world.other_class


def test_grant_is_idempotent_and_seen_at_once(world: Any) -> None:
    nobody = world.users["nobody"]
    assert not access.holds_role(nobody, Role.HEAD_TEACHER, over=world.class_5_2)
    first = access.grant(nobody, Role.HEAD_TEACHER, at=world.class_5_2)
    again = access.grant(nobody, Role.HEAD_TEACHER, at=world.class_5_2)
    assert first.pk == again.pk
    assert access.holds_role(nobody, Role.HEAD_TEACHER, over=world.class_5_2)
    assert [m.user for m in access.holders(Role.HEAD_TEACHER, over=world.class_5_2)] == [nobody]


def test_scopes_match_the_role_table(world: Any) -> None:
    assert set(access.classes_for_actor(world.users["head_teacher"])) == {world.class_5_1}
    assert set(access.students_for_actor(world.users["parent"])) == {world.student}
    principal_classes = set(access.classes_for_actor(world.users["principal"]))
    assert {world.class_3_1, world.class_5_1, world.class_5_2} <= principal_classes
    assert world.other_class not in principal_classes
    assert set(access.regions_for_actor(world.users["bureau"])) == {world.district}
