"""Profiles: the national defaults with local overrides laid on top. Pure: no ORM.

A profile is resolved national → province → city → district → school. A local value may only be
stricter than the value above it, except parameters that are local by nature (policy-defaults.md
§4; architecture.md "How data flows").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from jianfu.policies.rules.catalogue import SETTINGS_BY_KEY, direction_of, national_defaults
from jianfu.policies.rules.facts import STAGE_NAMES, SYSTEM_NAMES, stage_of_grade

LEVELS = ("national", "province", "city", "district", "school")
LEVEL_LABELS = {
    "national": _("国家"),
    "province": _("省级"),
    "city": _("市级"),
    "district": _("区县"),
    "school": _("学校"),
}
# A profile's scope is a school's or region's name; the nation's is this catalogue msgid, translated
# where it is shown (jianfu.policies.api).
NATIONAL_SCOPE = gettext_noop("国家")


def _text(message: Any, **params: Any) -> str:
    """A problem message rendered when it is read, in the reader's language (the lists below end up
    in a PolicyError's parameters)."""
    return lazy(lambda: str(message) % {k: str(v) for k, v in params.items()}, str)()


@dataclass(frozen=True)
class Override:
    key: str
    value: Any
    level: str
    scope_label: str
    effective_from: date
    effective_to: date | None = None
    changed_by: str = ""
    changed_at: datetime | None = None
    reason: str = ""

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)


@dataclass(frozen=True)
class ResolvedProfile:
    values: dict[str, Any]
    # key → the override that set the value in force (absent: the national default)
    provenance: dict[str, Override] = field(default_factory=dict)
    on: date | None = None
    scope_label: str = NATIONAL_SCOPE

    def get(self, key: str) -> Any:
        return self.values[key]

    def setting(self, name: str) -> Any:
        return self.values[f"settings.{name}"]

    def stage_for(self, grade: int, system: str = "six_three") -> str:
        """Grade → stage: the area's explicit mapping first, then the school system (五四制 1–5)."""
        mapping = self.setting("stage_mapping") or {}
        explicit = mapping.get(str(grade)) or mapping.get(grade) if isinstance(mapping, dict) else None
        if explicit:
            return str(explicit)
        primary_last = 5 if system == "five_four" else 6
        if grade <= primary_last:
            return "primary"
        return "junior" if grade <= 9 else "senior"

    def homework_cap(self, grade: int, stage: str) -> tuple[int | None, str, dict[str, Any] | None]:
        """(cap in minutes, rule id, band) for written homework on a school day.

        Grades 1–2 have no written homework at home at all (hw_written_at_home_g1_2): cap 0.
        A band (e.g. grades 3–4 ≤ 40) narrows the stage cap but reports under the stage rule id.
        """
        if stage == "primary" and grade <= 2:
            return 0, "hw_written_at_home_g1_2", None
        if stage == "primary":
            rule_id = "hw_written_daily_avg_max_g3_6"
        elif stage == "junior":
            rule_id = "hw_written_daily_avg_max_g7_9"
        else:
            return None, "hw_senior_high_reasonable", None
        cap: int | None = self.get(f"{rule_id}.max_minutes")
        chosen_band = None
        for band in self.setting("homework_bands") or []:
            if grade in band.get("grades", []) and (cap is None or band["max_minutes"] < cap):
                cap = int(band["max_minutes"])
                chosen_band = band
        return cap, rule_id, chosen_band


def _as_time(value: Any) -> time:
    if isinstance(value, time):
        return value
    return time.fromisoformat(str(value))


def is_stricter_or_equal(key: str, new: Any, above: Any) -> bool:
    """Whether `new` is at least as strict as `above` for this parameter.

    max: a lower number; min: a higher number; latest: an earlier time; earliest: a later time;
    required: a flag may be switched on but not off; local: anything. `None` above means the level
    above sets no limit, so any value is stricter; `None` below a limit would remove it: refused.
    """
    direction = direction_of(key)
    setting = SETTINGS_BY_KEY.get(key)
    if setting is not None and setting.strictest_first and above in setting.strictest_first:
        order = setting.strictest_first
        return new in order and order.index(new) <= order.index(above)
    if direction == "local":
        return True
    if key == "settings.homework_bands":
        return True  # checked band by band against the stage caps in bands_within_caps
    if above is None:
        return True
    if new is None:
        return False
    if direction == "max":
        return float(new) <= float(above)
    if direction == "min":
        return float(new) >= float(above)
    if direction == "latest":
        return _as_time(new) <= _as_time(above)
    if direction == "earliest":
        return _as_time(new) >= _as_time(above)
    if direction == "required":
        return bool(new) or not bool(above)
    return False


def stage_mapping_problems(mapping: Any, systems: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(invalid entries, relaxations) of a grade → stage mapping for schools of the given 学制.

    The mapping may only restate the 学制: each entry must be the grade's stage under every 学制 the
    scope covers (a school: its own; a region or the nation: both, so grade 6 cannot be mapped there).
    A grade moved to a later stage would take a looser cap (六三制 grade 5 as junior: 90 minutes, not
    60); one moved earlier would disagree with the live checks, which take the stage from the school's
    grades (decision 0028).
    """
    if not isinstance(mapping, dict):
        return [_text(_('应为“年级: 学段”的对象，如 {"6": "junior"}'))], []
    invalid: list[str] = []
    problems: list[str] = []
    for key, stage in mapping.items():
        try:
            grade = int(key)
        except (TypeError, ValueError):
            invalid.append(_text(_("年级“%(grade)s”无效"), grade=key))
            continue
        if not 1 <= grade <= 12 or str(grade) != str(key).strip():
            invalid.append(_text(_("年级“%(grade)s”无效"), grade=key))
            continue
        if stage not in STAGE_NAMES:
            invalid.append(_text(_("学段“%(stage)s”无效（primary、junior、senior）"), stage=stage))
            continue
        for system in systems:
            natural = stage_of_grade(grade, system)
            if stage != natural:
                problems.append(
                    _text(
                        _("%(system)s%(grade)s年级属于%(natural)s，不能归入%(stage)s"),
                        system=SYSTEM_NAMES[system],
                        grade=grade,
                        natural=STAGE_NAMES[natural],
                        stage=STAGE_NAMES[stage],
                    )
                )
    return invalid, problems


def bands_within_caps(bands: list[dict[str, Any]], values: dict[str, Any]) -> list[str]:
    """Problems with grade bands: each band's cap must not exceed the stage cap above it."""
    problems: list[str] = []
    for band in bands:
        grades = band.get("grades") or []
        cap = band.get("max_minutes")
        if not grades or cap is None:
            problems.append(_text(_("年级段须包含年级和分钟数")))
            continue
        stage_cap = (
            values["hw_written_daily_avg_max_g3_6.max_minutes"]
            if max(grades) <= 6
            else values["hw_written_daily_avg_max_g7_9.max_minutes"]
        )
        if stage_cap is not None and int(cap) > int(stage_cap):
            problems.append(
                _text(
                    _("%(low)s–%(high)s年级上限%(cap)s分钟高于上级规定的%(above)s分钟"),
                    low=min(grades),
                    high=max(grades),
                    cap=cap,
                    above=stage_cap,
                )
            )
        existing = [
            b for b in values.get("settings.homework_bands") or [] if set(b.get("grades", [])) & set(grades)
        ]
        for b in existing:
            if int(cap) > int(b["max_minutes"]):
                problems.append(
                    _text(
                        _("%(low)s–%(high)s年级上限%(cap)s分钟高于上级年级段规定的%(above)s分钟"),
                        low=min(grades),
                        high=max(grades),
                        cap=cap,
                        above=b["max_minutes"],
                    )
                )
    # The new list replaces the one above: a band above that it leaves out would be dropped.
    for b in values.get("settings.homework_bands") or []:
        for g in b.get("grades", []):
            new_caps = [int(n["max_minutes"]) for n in bands if g in (n.get("grades") or [])]
            if not new_caps or min(new_caps) > int(b["max_minutes"]):
                problems.append(
                    _text(
                        _("上级规定%(grade)s年级上限%(above)s分钟，新的年级段设置不能取消或放宽"),
                        grade=g,
                        above=b["max_minutes"],
                    )
                )
                break
    return problems


def resolve(
    overrides: list[Override], on: date, *, national: dict[str, Any] | None = None
) -> ResolvedProfile:
    """Lay the overrides in force on `on` over the national defaults, level by level."""
    values = dict(national if national is not None else national_defaults())
    provenance: dict[str, Override] = {}
    scope_label = NATIONAL_SCOPE
    for level in LEVELS:
        for o in sorted(
            (o for o in overrides if o.level == level and o.in_force(on)), key=lambda o: o.effective_from
        ):
            if o.key not in values and o.key not in SETTINGS_BY_KEY:
                continue  # a parameter the catalogue no longer has
            values[o.key] = o.value
            provenance[o.key] = o
            scope_label = o.scope_label
    return ResolvedProfile(values=values, provenance=provenance, on=on, scope_label=scope_label)
