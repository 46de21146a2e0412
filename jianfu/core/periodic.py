"""Periodic jobs: complaints past their deadline go to the district, old throttle rows and sessions go.

Jobs are listed in settings.JIANFU_PERIODIC_JOBS (name → dotted path of a function taking no
arguments, and a time of day, Beijing time) and run by `jianfu worker`, which `jianfu serve` and
`jianfu demo` start beside the web server (docs/decisions/0016-periodic-jobs.md).

Each job runs once per slot — the day, from its time of day — however many workers there are: a
worker claims the slot by inserting the (job, slot) row, which the unique constraint lets only one
of them do. A worker that was down at the scheduled time runs the day's slot when it starts. The jobs
themselves judge "as of today", so a missed earlier day needs no catching up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from jianfu.core.models import PeriodicRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    call: Callable[[], Any]
    daily_at: time


def jobs() -> list[Job]:
    out = []
    for name, spec in settings.JIANFU_PERIODIC_JOBS.items():
        out.append(Job(name, import_string(spec["call"]), time.fromisoformat(spec["daily_at"])))
    return out


def slot_of(job: Job, now: datetime) -> datetime:
    """The start of the slot `now` falls in: today's run time if it has passed, else yesterday's
    (local time; `now` must be aware)."""
    local = timezone.localtime(now)
    today = datetime.combine(local.date(), job.daily_at, tzinfo=local.tzinfo)
    return today if local >= today else today - timedelta(days=1)


def periodic_run_due(*, now: datetime | None = None) -> list[PeriodicRun]:
    """Run every job whose current slot has not been claimed yet; the runs made.

    A failing job is recorded (ok=False, the error's type) and logged, and does not stop the others;
    it runs again at its next slot."""
    now = now or timezone.now()
    runs = []
    for job in jobs():
        slot = slot_of(job, now)
        if PeriodicRun.objects.filter(job=job.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(job=job.name, slot=slot, started_at=timezone.now())
        except IntegrityError:
            continue  # another worker claimed this slot first
        try:
            result = job.call()
        except Exception as exc:
            logger.exception("periodic job %s failed", job.name)
            run.ok, run.detail = False, type(exc).__name__
        else:
            run.ok, run.detail = True, "" if result is None else str(result)[:200]
        run.finished_at = timezone.now()
        run.save(update_fields=["ok", "detail", "finished_at"])
        runs.append(run)
    return runs


def sessions_clear_expired() -> None:
    """Delete expired sessions: Django's `clearsessions` (it uses the project's SESSION_ENGINE)."""
    from django.core.management import call_command

    call_command("clearsessions", verbosity=0)


def task_results_prune() -> None:
    """Delete background-task results finished more than 14 days ago (django-tasks-db's pruning)."""
    from django.core.management import call_command

    call_command("prune_db_task_results", verbosity=0)
