"""The what-if pipeline shared by `POST /api/v1/policy/evaluate` and `jianfu policy check`.

One path for both, so the API and the CLI accept, derive and refuse the same things
(docs/decisions/0028-what-if-overlay-and-derived-facts.md):

1. dates must lie in the supported range;
2. the `profile` overlay is checked like a stored change (services.profile_overlay);
3. what the caller left out is derived the way the live checks derive it: the 学制 and stage from the
   named school (its grades), the day type of every dated fact group from the calendar, the term of
   an exam term from the school's calendar;
4. the pure evaluator judges the facts, and the answer reports what was derived.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from jianfu.core.errors import DomainError
from jianfu.policies.rules.catalogue import national_defaults
from jianfu.policies.rules.engine import evaluate
from jianfu.policies.rules.exams import term_of_date
from jianfu.policies.rules.facts import Facts, stage_of_grade
from jianfu.policies.rules.profiles import ResolvedProfile
from jianfu.policies.services import ALL_SYSTEMS, profile_overlay
from jianfu.schools.calendar import rules as cal
from jianfu.schools.calendar.selectors import region_calendar_inputs
from jianfu.schools.models import DayType, Region, School, SchoolDay, Term

# The 双减 opinion (dr_opinion_2021) was issued on 24 July 2021: no rule here applies before it.
# The horizon is the end of the 教育强国建设规划纲要（2024—2035年）, the latest source in the catalogue.
DATE_MIN = date(2021, 7, 24)
DATE_MAX = date(2035, 12, 31)

GRADE_GROUPS = ("homework_day", "homework_period", "exam_term", "pe_week")


SYSTEM_LABELS = {"six_three": _("六三制"), "five_four": _("五四制")}


def _refuse(code: str, message: Any, field: str, **params: Any) -> DomainError:
    return DomainError(code, message, params=params, field=field, status=422)


def _check_dates(on: date, facts: Facts) -> None:
    dates: list[tuple[str, date | None]] = [("on", on)]
    if facts.training is not None:
        dates.append(("facts.training.date", facts.training.date))
    if facts.activity_day is not None:
        dates.append(("facts.activity_day.date", facts.activity_day.date))
    if facts.exam_term is not None:
        dates += [(f"facts.exam_term.exams.{i}.date", e.date) for i, e in enumerate(facts.exam_term.exams)]
    if facts.homework_period is not None:
        dates += [
            (f"facts.homework_period.days.{i}.date", d.date) for i, d in enumerate(facts.homework_period.days)
        ]
    for field, day in dates:
        if day is not None and not DATE_MIN <= day <= DATE_MAX:
            raise _refuse(
                "policy_date_out_of_range",
                _("日期%(day)s超出支持范围（%(first)s至%(last)s）"),
                field,
                day=day.isoformat(),
                first=DATE_MIN.isoformat(),
                last=DATE_MAX.isoformat(),
            )


def _day_type(day: date, school: School | None, region: Region | None) -> tuple[str | None, str]:
    """(day type, where it came from); None when the calendar does not know the date's year.

    The school's calendar first (its built school days; outside every term: vacation — the same
    reading as the live homework check), then the region's entries over the national arrangement
    (法定节假日 and 调休上班日, from `chinese-calendar`). A school that has entered no term yet has
    no calendar of its own: its region's applies.
    """
    if school is not None and Term.objects.filter(school=school).exists():
        row = SchoolDay.objects.filter(school=school, date=day).only("day_type").first()
        if row is not None:
            kind = row.day_type
            return (
                "school_day"
                if kind == DayType.SCHOOL_DAY
                else "holiday"
                if kind == DayType.HOLIDAY
                else "weekend"
            ), "school_calendar"
        if not Term.objects.filter(school=school, start_date__lte=day, end_date__gte=day).exists():
            return "vacation", "school_calendar"
        return None, "school_calendar"
    area = school.region if school is not None else region
    entries: dict[date, tuple[str, str]] = {}
    years: set[int] = set()
    if area is not None:
        entries, years = region_calendar_inputs(area)
    days, _ = cal.derive_days(
        day,
        day,
        national=cal.package_national_day,
        declared_years=years,
        region_entries=entries,
        school_entries={},
    )
    source = "region_calendar" if area is not None else "national_calendar"
    if not days:
        return None, source
    kind = days[0].day_type
    return (
        "school_day" if kind == cal.SCHOOL_DAY else "holiday" if kind == cal.HOLIDAY else "weekend"
    ), source


def _derive_day_type(
    given: str | None, day: date, field: str, school: School | None, region: Region | None
) -> tuple[str, dict[str, Any]]:
    if given is not None:
        return given, {"date": day.isoformat(), "day_type": given, "day_type_source": "given"}
    found, source = _day_type(day, school, region)
    if found is None:
        raise _refuse(
            "policy_day_type_unknown",
            _("%(year)s年的节假日安排尚未录入，无法判断%(day)s是否上课日：请填写 day_type"),
            field,
            year=day.year,
            day=day.isoformat(),
        )
    return found, {"date": day.isoformat(), "day_type": found, "day_type_source": source}


def _derive_grade(
    group: str, g: Any, school: School | None, profile: ResolvedProfile
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(updates, report) for a fact group with a grade: its 学制 and stage, as the live checks take them."""
    system = g.system
    if school is not None:
        if system is not None and system != school.system:
            raise _refuse(
                "policy_system_contradicts_school",
                _("学制%(given)s与学校的学制（%(school)s）不符"),
                f"facts.{group}.system",
                given=SYSTEM_LABELS[system],
                school=SYSTEM_LABELS[school.system],
            )
        system = school.system
        natural = stage_of_grade(g.grade, system)
        if g.stage is not None and g.stage != natural:
            raise _refuse(
                "policy_stage_contradicts_school",
                _("%(grade)s年级在该校（%(system)s）属于%(natural)s，不是%(stage)s"),
                f"facts.{group}.stage",
                grade=g.grade,
                system=SYSTEM_LABELS[system],
                natural=natural,
                stage=g.stage,
            )
        # The live checks take the stage from the school's grade rows; the same here.
        row = school.grades.filter(number=g.grade).only("stage").first()
        stage = g.stage or (row.stage if row is not None else natural)
    else:
        system = system or "six_three"
        stage = g.stage or profile.stage_for(g.grade, system)
    return {"system": system, "stage": stage}, {"system": system, "stage": stage}


def whatif_evaluate(
    *,
    profile: ResolvedProfile,
    facts: Facts,
    on: date,
    overlay: Any = None,
    school: School | None = None,
    region: Region | None = None,
) -> dict[str, Any]:
    """Facts in, the answer of `POST /api/v1/policy/evaluate` out (docs/api.md). Raises DomainError (422)
    naming the field for what cannot be judged."""
    _check_dates(on, facts)
    if overlay is not None and overlay != {}:
        systems = (school.system,) if school is not None else ALL_SYSTEMS
        profile = profile_overlay(profile, overlay, systems=systems)
    derived: dict[str, Any] = {}
    updates: dict[str, Any] = {}
    for group in GRADE_GROUPS:
        g = getattr(facts, group)
        if g is not None:
            change, report = _derive_grade(group, g, school, profile)
            updates[group] = change
            derived[group] = report
    if facts.homework_day is not None:
        hw = facts.homework_day
        day_type, report = _derive_day_type(hw.day_type, on, "facts.homework_day.day_type", school, region)
        updates["homework_day"]["day_type"] = day_type
        cap, rule_id, _ = profile.homework_cap(hw.grade, updates["homework_day"]["stage"])
        derived["homework_day"] |= report | {
            "cap_minutes": cap if rule_id != "hw_senior_high_reasonable" else None,
            "cap_rule": rule_id,
        }
    if facts.homework_period is not None:
        days = []
        reports = []
        for i, d in enumerate(facts.homework_period.days):
            day_type, report = _derive_day_type(
                d.day_type, d.date, f"facts.homework_period.days.{i}.day_type", school, region
            )
            days.append(d.model_copy(update={"day_type": day_type}))
            reports.append(report)
        updates["homework_period"]["days"] = days
        derived["homework_period"]["days"] = reports
    for group in ("training", "activity_day"):
        g = getattr(facts, group)
        if g is not None:
            day = g.date or on
            day_type, report = _derive_day_type(g.day_type, day, f"facts.{group}.day_type", school, region)
            updates[group] = {"day_type": day_type}
            derived[group] = report
    if facts.exam_term is not None:
        term, source = _derive_term(facts, school)
        updates["exam_term"]["term"] = term
        derived["exam_term"] |= {"term": term, "term_source": source}
    facts = facts.model_copy(
        update={name: getattr(facts, name).model_copy(update=change) for name, change in updates.items()}
    )
    findings = evaluate(facts, profile)
    defaults = national_defaults()
    return {
        "profile": {
            "scope": profile.scope_label,
            "on": on,
            "changed": {k: v for k, v in profile.values.items() if defaults.get(k) != v},
        },
        "derived": derived,
        "findings": [
            {
                "rule_id": f.rule_id,
                "severity": f.severity,
                "message": f.message_zh,
                "message_en": f.message_en,
                "evidence": f.evidence,
                "source": f.source,
            }
            for f in findings
        ],
    }


def _derive_term(facts: Facts, school: School | None) -> tuple[str | None, str]:
    """The term of an exam term: given, else the school's term holding its dated exams, else — when
    every dated exam falls in the same half of the year — that (February–August: spring)."""
    assert facts.exam_term is not None
    if facts.exam_term.term is not None:
        return facts.exam_term.term, "given"
    dates = [e.date for e in facts.exam_term.exams if e.date is not None]
    if not dates:
        return None, "unknown"
    if school is not None:
        kinds = {
            t.kind
            for d in dates
            for t in Term.objects.filter(school=school, start_date__lte=d, end_date__gte=d).only("kind")
        }
        if len(kinds) == 1:
            return str(kinds.pop()), "school_calendar"
    by_date = {term_of_date(d) for d in dates}
    if len(by_date) == 1:
        return by_date.pop(), "exam_dates"
    return None, "unknown"
