"""The page where a principal or a bureau sees the profile in force and sets local values."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from jianfu.core.errors import DomainError
from jianfu.core.forms import add_domain_error
from jianfu.policies.forms import OverrideForm
from jianfu.policies.permissions import can_edit_profile, can_open_profiles
from jianfu.policies.rules.catalogue import FAMILIES, RULES, SETTINGS, SOURCES, national_defaults
from jianfu.policies.rules.wording import value_words, verification_words
from jianfu.policies.selectors import profile_resolve_for_region, profile_resolve_for_school
from jianfu.policies.services import profile_override_set
from jianfu.schools.access import regions_for_actor, schools_for_actor


def profile_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_open_profiles(user):
        return render(request, "errors/404.html", status=404)
    schools = list(schools_for_actor(user))
    regions = [r for r in regions_for_actor(user) if r.level != "province" or r.children.exists()]
    school = None
    region = None
    if request.GET.get("school"):
        school = next((s for s in schools if str(s.pk) == request.GET["school"]), None)
        if school is None:
            return render(request, "errors/404.html", status=404)
    elif request.GET.get("region"):
        region = next((r for r in regions if r.code == request.GET["region"]), None)
        if region is None:
            return render(request, "errors/404.html", status=404)
    elif schools and not regions:
        school = schools[0]
    elif regions:
        region = min(regions, key=lambda r: len(r.descendant_codes_prefix))
        region = next((r for r in regions if r.level == "district"), region)
    today = timezone.localdate()
    if school is not None:
        profile = profile_resolve_for_school(school, today)
    elif region is not None:
        profile = profile_resolve_for_region(region, today)
    else:
        return render(request, "errors/404.html", status=404)
    defaults = national_defaults()
    can_edit = can_edit_profile(user, region=region, school=school)

    keys: list[tuple[str, str]] = []
    families: list[dict[str, Any]] = []
    for family, family_label in FAMILIES.items():
        rows = []
        for rule in (r for r in RULES if r.family == family):
            params = []
            for p in rule.params:
                key = p.key(rule.id)
                o = profile.provenance.get(key)
                local = o is not None and o.level != "national"
                params.append(
                    {
                        "key": key,
                        "label": p.label,
                        # A unit reads after a number, not after "—（未规定）".
                        "unit": p.unit if profile.values[key] is not None else "",
                        "national_unit": p.unit if defaults[key] is not None else "",
                        "value": value_words(profile.values[key]),
                        "national": value_words(defaults[key]),
                        "changed": local,
                        "override": o if local else None,
                    }
                )
                keys.append((key, f"{rule.title} — {p.label}"))
            rows.append(
                {
                    "rule": rule,
                    "params": params,
                    "sources": [SOURCES.get(s, s) for s in rule.sources],
                    "verification": verification_words(rule.verification),
                }
            )
        families.append({"label": family_label, "rules": rows})
    settings_rows = []
    for s in SETTINGS:
        o = profile.provenance.get(s.key)
        local = o is not None and o.level != "national"
        settings_rows.append(
            {
                "key": s.key,
                "label": s.label,
                "section": s.section,
                "value": value_words(profile.values[s.key]),
                "national": value_words(defaults[s.key]),
                "changed": local,
                "override": o if local else None,
            }
        )
        keys.append((s.key, str(s.label)))

    form = OverrideForm(request.POST or None, keys=keys, initial={"effective_from": today})
    if request.method == "POST" and can_edit and form.is_valid():
        try:
            profile_override_set(
                actor=user,
                region=region,
                school=school,
                key=form.cleaned_data["key"],
                value=form.cleaned_data["value"],
                effective_from=form.cleaned_data["effective_from"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            target = f"?school={school.pk}" if school else f"?region={region.code}"  # type: ignore[union-attr]
            return redirect(request.path + target)
    elif request.method == "POST" and not can_edit:
        return render(request, "errors/404.html", status=403)
    return render(
        request,
        "policies/profile_page.html",
        {
            "school": school,
            "region": region,
            "schools": schools,
            "regions": regions,
            "families": families,
            "settings_rows": settings_rows,
            "form": form,
            "can_edit": can_edit,
            "today": today,
            "evaluable": sum(1 for r in RULES if r.evaluable),
            "checklist": sum(1 for r in RULES if not r.evaluable),
        },
        status=422 if form.errors else 200,
    )
