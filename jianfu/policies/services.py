"""Writes to profiles: setting a local value, refused when it would relax the level above."""

from __future__ import annotations

import math
from datetime import date, time
from typing import Any

from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from jianfu.core.audit import audit
from jianfu.core.errors import DomainError, NotFound, PermissionDenied
from jianfu.policies.models import PolicyProfile, ProfileLevel, ProfileValue
from jianfu.policies.permissions import can_edit_profile, can_see_profile
from jianfu.policies.rules.catalogue import SETTINGS_BY_KEY, direction_of, label_of, national_defaults
from jianfu.policies.rules.profiles import (
    ResolvedProfile,
    bands_within_caps,
    is_stricter_or_equal,
    stage_mapping_problems,
)
from jianfu.policies.selectors import profile_cache_generation_bump, profile_resolve_above
from jianfu.schools.models import Region, School


def _profile_name(scope: str) -> str:
    # A stored name (data, kept in Chinese like the seeded national profile's), not shown text.
    return gettext_noop("%(scope)s配置") % {"scope": scope}


class PolicyError(DomainError):
    RELAXATION_REFUSED = "policy_relaxation_refused"
    UNKNOWN_PARAMETER = "policy_unknown_parameter"
    INVALID_VALUE = "policy_invalid_value"


def _clean_value(key: str, value: Any, field: str = "value") -> Any:
    """Coerce a submitted value to the parameter's type, or raise INVALID_VALUE naming the field."""
    direction = direction_of(key)
    default = national_defaults()[key]
    bad = PolicyError(
        PolicyError.INVALID_VALUE,
        _("“%(label)s”的取值无效：%(value)s"),
        params={"label": _ParamName(key), "value": repr(value)},
        field=field,
        status=422,
    )
    setting = SETTINGS_BY_KEY.get(key)
    try:
        if setting is not None and setting.choices:
            if value not in setting.choices:
                raise bad
            return value
        if key == "settings.homework_bands":
            if not isinstance(value, list) or not all(isinstance(b, dict) for b in value):
                raise bad
            bands: list[dict[str, Any]] = []
            for b in value:
                grades = sorted(int(g) for g in b["grades"])
                cap = int(b["max_minutes"])
                if not grades or not all(1 <= g <= 12 for g in grades) or cap < 0:
                    raise bad
                bands.append({"grades": grades, "max_minutes": cap})
            return bands
        if isinstance(default, (list, dict)):
            if not isinstance(value, type(default)):
                raise bad
            return value
        if value is None or value == "":
            return None
        if direction in ("latest", "earliest") or (
            direction == "local" and isinstance(default, str) and ":" in default
        ):
            return time.fromisoformat(str(value)).strftime("%H:%M")
        if isinstance(default, bool) or direction == "required":
            if isinstance(value, str):
                # What a person types for "yes" in either language (a 是/否 field on the page).
                return value.strip().lower() in {"1", "true", "yes", "on", gettext_noop("是")}
            return bool(value)
        if isinstance(value, bool):
            raise bad  # true is not a number of minutes
        number = float(value)
        if number < 0 or not math.isfinite(number):
            raise bad
        return int(number) if number.is_integer() else number
    except (TypeError, ValueError, KeyError) as exc:
        raise bad from exc


@transaction.atomic
def profile_override_set(
    *,
    actor: Any,
    region: Region | None = None,
    school: School | None = None,
    key: str,
    value: Any,
    effective_from: date,
    reason: str,
) -> ProfileValue:
    """Set a local value for a region or school from `effective_from` on.

    Only stricter than the level above, except parameters local by nature (policy-defaults.md §4;
    architecture.md "A local profile may only be stricter than the level above").
    """
    if (region is None) == (school is None):
        raise PolicyError(PolicyError.INVALID_VALUE, _("须指定地区或学校之一"), field="scope")
    if not can_see_profile(actor, region=region, school=school):
        raise NotFound(_("配置范围"))
    if not can_edit_profile(actor, region=region, school=school):
        raise PermissionDenied(_("只有本级或上级教育局、本校校长或教导处可以修改配置"))
    try:
        direction_of(key)
    except KeyError as exc:
        raise PolicyError(
            PolicyError.UNKNOWN_PARAMETER, _("未知的配置项：%(key)s"), params={"key": key}, field="key"
        ) from exc
    if not reason.strip():
        raise PolicyError(PolicyError.INVALID_VALUE, _("请填写修改原因（如地方文件文号）"), field="reason")
    cleaned = _clean_value(key, value)
    above = profile_resolve_above(region=region, school=school, on=effective_from)
    systems = (school.system,) if school is not None else ALL_SYSTEMS
    refuse_relaxation(key, cleaned, above.values, systems=systems, field="value")
    if school is not None:
        profile, _created = PolicyProfile.objects.get_or_create(
            school=school, defaults={"level": ProfileLevel.SCHOOL, "name": _profile_name(school.name)}
        )
    else:
        assert region is not None
        profile, _created = PolicyProfile.objects.get_or_create(
            region=region, defaults={"level": region.level, "name": _profile_name(region.name)}
        )
    row, _changed = ProfileValue.objects.update_or_create(
        profile=profile,
        key=key,
        effective_from=effective_from,
        defaults={"value": cleaned, "reason": reason.strip(), "changed_by": actor},
    )
    audit(
        actor=actor,
        action="policy_value_set",
        obj=row,
        region_code=(school.region.code if school else region.code if region else ""),
        school_id=school.pk if school else None,
        data={"key": key, "value": cleaned, "effective_from": effective_from.isoformat()},
    )
    # Cached profiles carry the generation in their key: a new one makes every process (every
    # process at once with Redis) resolve afresh. After commit, so nobody caches the old values anew.
    transaction.on_commit(profile_cache_generation_bump)
    return row


ALL_SYSTEMS = ("six_three", "five_four")


def _joined(problems: list[str]) -> Any:
    """The problems (each rendered when read) as one parameter, in the reader's language."""
    return lazy(lambda: gettext("；").join(str(p) for p in problems), str)()


def refuse_relaxation(
    key: str, cleaned: Any, above: dict[str, Any], *, systems: tuple[str, ...], field: str
) -> None:
    """Raise RELAXATION_REFUSED (422) when `cleaned` would be looser than the level above.

    One rule for stored profiles and the what-if overlay (docs/decisions/0028-what-if-overlay.md):
    a stricter-only parameter may not be loosened or removed (null); grade bands may not exceed the
    stage caps or drop a band above; the grade → stage mapping may only restate the 学制 of `systems`.
    """
    problems: list[str] = []
    if key == "settings.homework_bands":
        problems = bands_within_caps(cleaned, above)
    elif key == "settings.stage_mapping":
        invalid, problems = stage_mapping_problems(cleaned, systems)
        if invalid:
            raise PolicyError(
                PolicyError.INVALID_VALUE,
                _("“%(label)s”的取值无效：%(value)s"),
                params={"label": _ParamName(key), "value": _joined(invalid)},
                field=field,
                status=422,
            )
    elif not is_stricter_or_equal(key, cleaned, above.get(key)):
        raise PolicyError(
            PolicyError.RELAXATION_REFUSED,
            _("地方规定只能比上级更严格：“%(label)s”上级规定为%(above)s，不能改为%(tried)s"),
            params={"label": _ParamName(key), "above": _Shown(above.get(key)), "tried": _Shown(cleaned)},
            field=field,
            status=422,
        )
    if problems:
        raise PolicyError(
            PolicyError.RELAXATION_REFUSED,
            _("地方规定只能比上级更严格：“%(label)s”%(problems)s"),
            params={"label": _ParamName(key), "problems": _joined(problems)},
            field=field,
            status=422,
        )


def profile_overlay(
    profile: ResolvedProfile, overlay: Any, *, systems: tuple[str, ...] = ALL_SYSTEMS
) -> ResolvedProfile:
    """The what-if profile: `overlay` laid over `profile`, each value checked as a stored change would
    be (type, range, only stricter than `profile`). Errors name the key as `profile.<key>`."""
    if not isinstance(overlay, dict):
        raise PolicyError(
            PolicyError.INVALID_VALUE, _("profile 应为“配置项: 取值”的对象"), field="profile", status=422
        )
    unknown = [k for k in overlay if k not in profile.values]
    if unknown:
        raise PolicyError(
            PolicyError.UNKNOWN_PARAMETER,
            _("未知的配置项：%(key)s"),
            params={"key": ", ".join(unknown)},
            field=f"profile.{unknown[0]}",
            status=422,
        )
    values = dict(profile.values)
    for key, raw in overlay.items():
        field = f"profile.{key}"
        cleaned = _clean_value(key, raw, field=field)
        refuse_relaxation(key, cleaned, profile.values, systems=systems, field=field)
        values[key] = cleaned
    return ResolvedProfile(
        values=values,
        provenance=profile.provenance,
        on=profile.on,
        scope_label=gettext("%(scope)s（假设）") % {"scope": profile.scope_label},
    )


class _ParamName:
    """A parameter as a message names it: its Chinese label, or in English its stable key (the
    catalogue's labels are Chinese policy vocabulary; clients and logs match on the key)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __str__(self) -> str:
        return self.key if (get_language() or "").startswith("en") else label_of(self.key)


class _Shown:
    """A profile value as a message shows it, in the message's language."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __str__(self) -> str:
        if self.value is None:
            return gettext("不限")
        if isinstance(self.value, bool):
            return gettext("是") if self.value else gettext("否")
        return str(self.value)
