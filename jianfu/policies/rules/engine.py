"""The pure evaluator: facts and a resolved profile in, findings out. No ORM.

Each check cites its rule id (policy-defaults.md §2) so a reviewer can hold it against the text.
Severity follows the rule's strictness: hard → "violation", guidance → "warning". The checks live
by sub-domain beside this module (homework, exams, school_day, sleep, pe, training, after_school).
"""

from __future__ import annotations

from jianfu.policies.rules.after_school import check_after_school_programme
from jianfu.policies.rules.exams import check_exam_term
from jianfu.policies.rules.facts import Facts
from jianfu.policies.rules.findings import Finding
from jianfu.policies.rules.homework import check_homework_day, check_homework_period
from jianfu.policies.rules.pe import check_activity_day, check_pe_week
from jianfu.policies.rules.profiles import ResolvedProfile
from jianfu.policies.rules.school_day import check_schedule
from jianfu.policies.rules.sleep import check_night
from jianfu.policies.rules.training import check_training


def evaluate(facts: Facts, profile: ResolvedProfile) -> list[Finding]:
    """All findings for every fact group given."""
    out: list[Finding] = []
    if facts.homework_day is not None:
        out += check_homework_day(facts.homework_day, profile)
    if facts.homework_period is not None:
        out += check_homework_period(facts.homework_period, profile)
    if facts.exam_term is not None:
        out += check_exam_term(facts.exam_term, profile)
    if facts.schedule is not None:
        out += check_schedule(facts.schedule, profile)
    if facts.night is not None:
        out += check_night(facts.night, profile)
    if facts.pe_week is not None:
        out += check_pe_week(facts.pe_week, profile)
    if facts.activity_day is not None:
        out += check_activity_day(facts.activity_day, profile)
    if facts.training is not None:
        out += check_training(facts.training, profile)
    if facts.after_school_programme is not None:
        out += check_after_school_programme(facts.after_school_programme, profile)
    return out
