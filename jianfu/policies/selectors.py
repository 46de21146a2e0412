"""Reads of profiles: the profile in force for a school or a region on a date."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from jianfu.core.errors import NotFound
from jianfu.policies.models import PolicyProfile, ProfileLevel, ProfileValue
from jianfu.policies.rules.catalogue import national_defaults
from jianfu.policies.rules.profiles import Override, ResolvedProfile, resolve
from jianfu.schools.access import regions_for_actor, schools_for_actor
from jianfu.schools.models import Region, School, SchoolClass

# Resolved profiles are cached across requests and languages: the national scope's label is kept as
# its catalogue id and translated where it is shown (policies.api).
NATIONAL_LABEL = gettext_noop("国家")


def _overrides(values: list[ProfileValue]) -> tuple[dict[str, Any], list[Override]]:
    national: dict[str, Any] = national_defaults()
    national_rows: list[ProfileValue] = []
    overrides: list[Override] = []
    for v in values:
        profile = v.profile
        if profile.level == ProfileLevel.NATIONAL:
            national_rows.append(v)
            continue
        scope = profile.school.name if profile.school else profile.region.name if profile.region else ""
        overrides.append(
            Override(
                key=v.key,
                value=v.value,
                level=profile.level,
                scope_label=scope,
                effective_from=v.effective_from,
                effective_to=v.effective_to,
                changed_by=v.changed_by.name if v.changed_by else "",
                changed_at=v.changed_at,
                reason=v.reason,
            )
        )
    return national, overrides + [
        Override(
            v.key,
            v.value,
            "national",
            NATIONAL_LABEL,
            v.effective_from,
            v.effective_to,
            "",
            v.changed_at,
            v.reason,
        )
        for v in national_rows
    ]


def _load(regions: list[Region], school: School | None) -> list[ProfileValue]:
    q = Q(profile__level=ProfileLevel.NATIONAL) | Q(profile__region__in=regions)
    if school is not None:
        q |= Q(profile__school=school)
    return list(
        ProfileValue.objects.filter(q).select_related("profile__region", "profile__school", "changed_by")
    )


# Profiles change rarely (a bureau's act) and are read on every homework post, report and public page.
# A resolved profile is cached per (school, date) for PROFILE_CACHE_SECONDS; a change bumps the
# generation, which takes effect at once in this process and everywhere with a shared (Redis) cache.
PROFILE_CACHE_SECONDS = 60
GENERATION_KEY = "policy-profile-generation"


def profile_cache_generation_bump() -> None:
    cache.set(GENERATION_KEY, int(time.time() * 1000), None)


# In front of the shared cache, each process keeps what it resolved under the same key (which carries
# the generation, so a change is still seen at once): the shared cache would otherwise unpickle the
# whole profile on every read, which was the largest single cost of a family's report.
_memo: dict[str, tuple[float, ResolvedProfile]] = {}
_MEMO_MAX = 4096


def profile_memo_clear() -> None:
    _memo.clear()


def profile_resolve_for_school(school: School, on: date) -> ResolvedProfile:
    return _profile_for_school(school.pk, on, lambda: school)


def profile_resolve_for_school_id(school_id: int, on: date) -> ResolvedProfile:
    """The same, when only the id is at hand: the school row is read only if the profile is not cached."""
    return _profile_for_school(
        school_id, on, lambda: School.objects.select_related("region").get(pk=school_id)
    )


def _profile_for_school(school_id: int, on: date, school: Callable[[], School]) -> ResolvedProfile:
    key = f"policy-profile:{cache.get(GENERATION_KEY, 0)}:{school_id}:{on.isoformat()}"
    now = time.monotonic()
    hit = _memo.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    cached: ResolvedProfile | None = cache.get(key)
    if cached is None:
        s = school()
        national, overrides = _overrides(_load(s.region.ancestors(), s))
        cached = resolve(overrides, on, national=national)
        cache.set(key, cached, PROFILE_CACHE_SECONDS)
    if len(_memo) >= _MEMO_MAX:
        _memo.clear()
    _memo[key] = (now + PROFILE_CACHE_SECONDS, cached)
    return cached


def profile_change_dates_for_school(school: School, start: date, end: date, keys: list[str]) -> list[date]:
    """Dates inside (start, end] on which one of `keys` changes for the school (a value starts or
    stops), e.g. a summer and a winter off-work time: a check spanning a term resolves the profile on
    `start` and on each of these dates (policy-defaults.md §4.6, seasonal variants)."""
    dates: set[date] = set()
    for v in _load(school.region.ancestors(), school):
        if v.key not in keys:
            continue
        for d in (v.effective_from, v.effective_to):
            if d is not None and start < d <= end:
                dates.add(d)
    return sorted(dates)


def profile_resolve_for_region(region: Region, on: date) -> ResolvedProfile:
    national, overrides = _overrides(_load(region.ancestors(), None))
    return resolve(overrides, on, national=national)


def profile_resolve_above(*, region: Region | None, school: School | None, on: date) -> ResolvedProfile:
    """The profile a new local value must be at least as strict as: everything above the scope."""
    if school is not None:
        return profile_resolve_for_region(school.region, on)
    assert region is not None
    if region.parent is None:
        return resolve([], on, national=_overrides(_load([], None))[0])
    return profile_resolve_for_region(region.parent, on)


def profile_values_for_scope(
    *, region: Region | None = None, school: School | None = None
) -> list[ProfileValue]:
    profile = (
        PolicyProfile.objects.filter(region=region, school=school).first() if (region or school) else None
    )
    if profile is None:
        return []
    return list(profile.values.select_related("changed_by").order_by("key", "-effective_from"))


def homework_cap_minutes(school_class: SchoolClass, on: date) -> int | None:
    profile = profile_resolve_for_school(school_class.school, on)
    cap, _, _ = profile.homework_cap(school_class.grade.number, school_class.grade.stage)
    return cap


def sleep_min_minutes(school_class: SchoolClass, on: date) -> int | None:
    profile = profile_resolve_for_school(school_class.school, on)
    hours = profile.get(f"sleep_min_{school_class.grade.stage}.min_hours")
    return int(hours * 60) if hours is not None else None


def policy_scope_for_actor(
    user: Any, *, region_code: str | None, school_id: int | None
) -> tuple[Region | None, School | None]:
    """The region or school named in a request, if the actor may see it (else NotFound)."""
    if school_id is not None:
        school = schools_for_actor(user).filter(pk=school_id).first()
        if school is None:
            raise NotFound(_("学校"))
        return None, school
    if region_code is not None:
        region = regions_for_actor(user).filter(code=region_code).first()
        if region is None:
            # A school role may look at the regions above its school (their rules bind it).
            for s in schools_for_actor(user):
                for r in s.region.ancestors():
                    if r.code == region_code:
                        return r, None
            raise NotFound(_("地区"))
        return region, None
    return None, None
