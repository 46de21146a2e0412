"""The what-if interface on the same evaluator the live checks use."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from jianfu.policies.rules.catalogue import RULES
from jianfu.policies.rules.facts import Facts
from jianfu.policies.rules.profiles import ResolvedProfile, resolve
from jianfu.policies.selectors import (
    NATIONAL_LABEL,
    _load,
    _overrides,
    policy_scope_for_actor,
    profile_resolve_for_region,
    profile_resolve_for_school,
)
from jianfu.policies.whatif.services import whatif_evaluate
from jianfu.schools.models import Region, School

router = Router(tags=["policy"])

EXAMPLE: dict[str, Any] = {
    "school_id": 1,
    "on": "2026-11-23",
    "facts": {
        "homework_day": {
            "grade": 5,
            "day_type": "school_day",
            "items": [
                {"subject": "chinese", "kind": "written", "where": "home", "minutes": 25},
                {"subject": "math", "kind": "written", "where": "home", "minutes": 20},
                {"subject": "english", "kind": "written", "where": "home", "minutes": 20},
            ],
        }
    },
}


class EvaluateIn(Schema):
    region_code: str | None = Field(
        None, description="GB/T 2260 code of a region you may see; its profile applies"
    )
    school_id: int | None = Field(
        None, description="a school you may see; its profile applies (takes precedence)"
    )
    profile: dict[str, Any] | None = Field(
        None,
        description="inline what-if values laid over the national defaults (or over the region/school "
        'profile if one is named), e.g. {"settings.homework_bands": [{"grades": [3, 4], "max_minutes": 40}]}. '
        "Checked like a stored change: only stricter (422 policy_relaxation_refused), valid values "
        "(422 policy_invalid_value, field profile.<key>)",
    )
    on: date | None = Field(
        None,
        description="the date whose profile applies, and the date of fact groups without their own; "
        "default today (Beijing); 2021-07-24 to 2035-12-31",
    )
    facts: Facts

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})


class PolicyFindingOut(Schema):
    rule_id: str
    severity: str = Field(description="violation (hard rule) or warning (guidance)")
    message: str = Field(description="Chinese message")
    message_en: str
    evidence: dict[str, Any]
    source: str


class ProfileSummary(Schema):
    scope: str
    on: date
    changed: dict[str, Any] = Field(description="values that differ from the national defaults")


class EvaluateOut(Schema):
    profile: ProfileSummary
    derived: dict[str, Any] = Field(
        description="per fact group, what was taken from the school, the calendar or the profile when the "
        "facts left it out: system, stage, date, day_type (+ day_type_source: given, school_calendar, "
        "region_calendar, national_calendar), term (+ term_source), and for homework_day cap_minutes"
    )
    findings: list[PolicyFindingOut]


class RuleOut(Schema):
    id: str
    family: str
    title: str
    title_en: str
    scope: str
    strictness: str
    evaluable: bool
    source: str
    verification: str
    parameters: dict[str, Any]


def _scope(
    request: HttpRequest, payload_region: str | None, school_id: int | None, on: date
) -> tuple[ResolvedProfile, Region | None, School | None]:
    region, school = policy_scope_for_actor(request.user, region_code=payload_region, school_id=school_id)
    if school is not None:
        return profile_resolve_for_school(school, on), None, school
    if region is not None:
        return profile_resolve_for_region(region, on), region, None
    return resolve([], on, national=_overrides(_load([], None))[0]), None, None


def _resolved(request: HttpRequest, payload_region: str | None, school_id: int | None, on: date) -> Any:
    return _scope(request, payload_region, school_id, on)[0]


@router.post("/evaluate", response=EvaluateOut, summary="Evaluate facts against a profile (what-if)")
def evaluate_endpoint(request: HttpRequest, payload: EvaluateIn) -> dict[str, Any]:
    """Facts in, findings out, through the same pure evaluator the live checks use. See docs/api.md."""
    on = payload.on or timezone.localdate()
    profile, region, school = _scope(request, payload.region_code, payload.school_id, on)
    return whatif_evaluate(
        profile=profile, facts=payload.facts, on=on, overlay=payload.profile, school=school, region=region
    )


@router.get("/rules", response=list[RuleOut], summary="The rule catalogue")
def rules_endpoint(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "family": r.family,
            "title": r.title_zh,
            "title_en": r.title_en,
            "scope": r.scope_zh,
            "strictness": r.strictness,
            "evaluable": r.evaluable,
            "source": r.source_text,
            "verification": r.verification,
            "parameters": {p.name: p.default for p in r.params},
        }
        for r in RULES
    ]


class ResolvedValueOut(Schema):
    key: str
    value: Any
    national_value: Any
    level: str
    scope: str
    changed_by: str
    changed_at: str | None
    reason: str


@router.get(
    "/profile", response=list[ResolvedValueOut], summary="The profile in force for a school or region"
)
def profile_endpoint(
    request: HttpRequest, school_id: int | None = None, region_code: str | None = None, on: date | None = None
) -> list[dict[str, Any]]:
    from jianfu.policies.rules.catalogue import national_defaults

    day = on or timezone.localdate()
    profile = _resolved(request, region_code, school_id, day)
    defaults = national_defaults()
    out = []
    for key, value in profile.values.items():
        o = profile.provenance.get(key)
        out.append(
            {
                "key": key,
                "value": value,
                "national_value": defaults.get(key),
                "level": o.level if o else "national",
                "scope": (gettext(o.scope_label) if o.level == "national" else o.scope_label)
                if o
                else gettext(NATIONAL_LABEL),
                "changed_by": o.changed_by if o else "",
                "changed_at": o.changed_at.isoformat() if o and o.changed_at else None,
                "reason": o.reason if o else "",
            }
        )
    return out
