"""Homework's services, for other apps (the demo loader, families' reports, benchmarks).

The writes live in the sub-domains, each named by its layer (docs/decisions/0040-homework-split.md):
jianfu.homework.posting.services (post, correct, withdraw, quotas), jianfu.homework.exceptions.services
(特批), jianfu.homework.publication.services (公示) and jianfu.homework.days.services (the class-day
row). This module names the entry points another app may call, so their import lines do not follow
the package layout.
"""

from __future__ import annotations

from jianfu.homework.days.selectors import Draft, homework_evaluate, week_start
from jianfu.homework.errors import HomeworkError
from jianfu.homework.exceptions.services import exception_approve, exception_reject
from jianfu.homework.posting.services import (
    homework_create,
    homework_update,
    homework_withdraw,
    subject_quota_set,
)
from jianfu.homework.publication.services import day_publish, publication_ensure, publication_revoke

__all__ = [
    "Draft",
    "HomeworkError",
    "day_publish",
    "exception_approve",
    "exception_reject",
    "homework_create",
    "homework_evaluate",
    "homework_update",
    "homework_withdraw",
    "publication_ensure",
    "publication_revoke",
    "subject_quota_set",
    "week_start",
]
