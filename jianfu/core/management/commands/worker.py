"""`jianfu worker [--once] [--interval SECONDS]`: run background tasks and the periodic jobs.

Background tasks (texts to families and head teachers) are queued in the database by the web
processes; this runs them (django-tasks-db's worker), and every `--periodic-every` seconds runs the
periodic jobs whose slot is due (jianfu.core.periodic). `jianfu serve` and `jianfu demo` start one
beside the web server; run more on other machines if you like — tasks and periodic slots are each
claimed by one worker only. `--once` runs what is due now and exits (for a cron-only deployment).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils.crypto import get_random_string

from jianfu.core.periodic import periodic_run_due

logger = logging.getLogger("jianfu.worker")


def _task_worker(worker_id: str) -> Any:
    """django-tasks-db's worker in batch mode (runs every ready task, then returns), or None when
    tasks do not go through the database (the immediate backend runs them on enqueue)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.compat import task_backends
    from django_tasks_db.management.commands.db_worker import Worker

    if not isinstance(task_backends["default"], DatabaseBackend):
        return None
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


class Command(BaseCommand):
    help = "Run background tasks and periodic jobs (jianfu serve and jianfu demo start one)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run what is due now, then exit")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at the task queue"
        )
        parser.add_argument(
            "--periodic-every", type=float, default=30.0, help="seconds between looks at periodic jobs"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def on_signal(signum: int, frame: Any) -> None:
            stop.set()  # finish the task in hand, then leave

        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, on_signal)
            signal.signal(signal.SIGINT, on_signal)
        worker_id = get_random_string(32)
        next_periodic = 0.0
        while True:
            close_old_connections()
            if time.monotonic() >= next_periodic:
                for run in periodic_run_due():
                    level = logging.INFO if run.ok else logging.ERROR
                    logger.log(level, "periodic %s (%s): ok=%s %s", run.job, run.slot, run.ok, run.detail)
                next_periodic = time.monotonic() + options["periodic_every"]
            tasks = _task_worker(worker_id)
            if tasks is not None:
                tasks.run()
            close_old_connections()
            if options["once"] or stop.wait(options["interval"]):
                break
