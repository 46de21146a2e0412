"""`jianfu escalate-complaints [--date YYYY-MM-DD]`: move overdue school-level complaints to the
district. `jianfu worker` runs the same service every day at 00:10 (settings.JIANFU_PERIODIC_JOBS);
this command is for running it by hand or for a past date."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from jianfu.cases.services import complaints_escalate_overdue
from jianfu.core.actors import CLI


class Command(BaseCommand):
    help = "Escalate complaints past their acknowledgement or answer deadline to the district bureau"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="judge deadlines as of this day (default: today, Beijing time)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = date.fromisoformat(options["date"]) if options.get("date") else None
        count = complaints_escalate_overdue(actor=CLI, today=day)
        # The English tail stays whatever the language: scripts and logs read it.
        self.stdout.write(
            _("已上报区教育局 %(count)s 条逾期举报") % {"count": count} + f" / escalated {count}"
        )
