"""The policy rules: pure functions from facts and a resolved profile to findings, by sub-domain
(homework, exams, school_day, sleep, pe, training, after_school), with the catalogue they cite, the
facts they read, the profile they follow and the findings they return. No ORM anywhere below here.

The evaluator's entry points are re-exported so ``from jianfu.policies.rules import evaluate`` keeps
working for the apps that call it."""

from jianfu.policies.rules.engine import evaluate
from jianfu.policies.rules.exams import check_exam_term, term_of_date
from jianfu.policies.rules.homework import check_homework_day, check_homework_period, counted_minutes

__all__ = [
    "check_exam_term",
    "check_homework_day",
    "check_homework_period",
    "counted_minutes",
    "evaluate",
    "term_of_date",
]
