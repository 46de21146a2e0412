"""The profile predicates per role (jianfu.policies.permissions): bureau staff change their region's
profile and those below it; a school's principal or 教导处 change their school's; staff see what they
reach; nobody else sees a profile (architecture.md, "A local profile may only be stricter")."""

from __future__ import annotations

from typing import Any

import pytest

from jianfu.core.actors import CLI
from jianfu.policies import permissions as p

ROLES = [
    "bureau",
    "inspector",
    "principal",
    "academic",
    "head_teacher",
    "teacher",
    "parent",
    "outsider",
    "nobody",
]
OPEN = {"bureau", "inspector", "principal", "academic", "outsider"}
EDIT_SCHOOL = {"bureau", "principal", "academic"}
SEE_SCHOOL = {"bureau", "inspector", "principal", "academic"}
EDIT_DISTRICT = {"bureau"}
SEE_DISTRICT = {"bureau", "inspector"}


@pytest.mark.parametrize("role", ROLES)
def test_profile_predicates_per_role(world: Any, role: str) -> None:
    user = world.users[role]
    assert p.can_open_profiles(user) is (role in OPEN)
    assert p.can_edit_profile(user, region=None, school=world.school) is (role in EDIT_SCHOOL)
    assert p.can_see_profile(user, region=None, school=world.school) is (role in SEE_SCHOOL)
    assert p.can_edit_profile(user, region=world.district, school=None) is (role in EDIT_DISTRICT)
    assert p.can_see_profile(user, region=world.district, school=None) is (role in SEE_DISTRICT)
    # The city above the district is nobody's here: a district bureau may not change its city's rules.
    assert p.can_edit_profile(user, region=world.city, school=None) is False
    assert p.can_edit_profile(user, region=None, school=world.other_school) is (role == "outsider")


def test_the_system_actor_passes_and_no_actor_does_not(world: Any) -> None:
    assert p.can_edit_profile(CLI, region=world.district, school=None) is True
    assert p.can_edit_profile(None, region=world.district, school=None) is False
    assert p.can_see_profile(None, region=None, school=world.school) is False
    assert p.can_open_profiles(None) is False
