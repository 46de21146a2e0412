"""`jianfu totp-reset PHONE --reason "…"`: turn off two-step sign-in for a staff member who lost both
the phone with the authenticator app and the recovery codes. For the site's operator, after checking
who is asking in person or by the school's official channel; audited with the reason. They sign in
with the password and can set it up again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_lazy as _

from jianfu.accounts.services import totp_reset_by_operator
from jianfu.core.actors import CLI
from jianfu.core.errors import DomainError
from jianfu.core.i18n import in_both


class Command(BaseCommand):
    help = "Turn off two-step sign-in for an account (lost phone and recovery codes)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("phone")
        parser.add_argument("--reason", required=True, help="why, for the audit log")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = totp_reset_by_operator(actor=CLI, phone=options["phone"], reason=options["reason"])
        except DomainError as exc:
            raise CommandError(f"{exc.message_zh} / {exc.message_en}") from exc
        if done:
            self.stdout.write(in_both(_("已关闭该账号的两步验证")))
        else:
            self.stdout.write(in_both(_("该账号没有开启两步验证")))
