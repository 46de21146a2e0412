"""Who may see and change a policy profile: the one place the profile page, the API and the services
ask. A bureau's staff change their own region's profile and those below it; a school's principal or
教导处 change their school's; every staff role sees the profiles of what it reaches (decision 0041)."""

from __future__ import annotations

from typing import Any

from jianfu.accounts.models import Role
from jianfu.schools.access import (
    REGION_WIDE_ROLES,
    SCHOOL_LEADERS,
    holds_role,
    regions_for_actor,
    schools_for_actor,
)
from jianfu.schools.models import Region, School

PROFILE_VIEWERS = (*REGION_WIDE_ROLES, *SCHOOL_LEADERS)


def can_open_profiles(actor: Any) -> bool:
    """Whether the profile page is for the actor at all (bureau roles and school leaders)."""
    return holds_role(actor, PROFILE_VIEWERS)


def can_see_profile(actor: Any, *, region: Region | None, school: School | None) -> bool:
    if school is not None:
        return schools_for_actor(actor).filter(pk=school.pk).exists()
    return region is not None and regions_for_actor(actor).filter(pk=region.pk).exists()


def can_edit_profile(actor: Any, *, region: Region | None, school: School | None) -> bool:
    """Bureau staff at the scope's region or above; the school's principal or 教导处 for a school."""
    if school is not None:
        return holds_role(actor, Role.BUREAU_STAFF, over=school) or holds_role(
            actor, SCHOOL_LEADERS, over=school
        )
    return region is not None and holds_role(actor, Role.BUREAU_STAFF, over=region)
