"""`jianfu demo-code PHONE`: the code the authenticator app of a demo account shows now.

The demo's bureau member and custodian sign in with two steps. Their secret is the published
totp.DEMO_SECRET; this prints its current code so a tester needs no app. It refuses every account
whose secret is anything else, so on a real deployment it prints nothing anyone could use."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_lazy as _

from jianfu.accounts.rules import totp
from jianfu.accounts.selectors import demo_two_step_secret
from jianfu.core.i18n import in_both


class Command(BaseCommand):
    help = "Print the current two-step code of a demo account (published demo secret only)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("phone")

    def handle(self, *args: Any, **options: Any) -> None:
        secret = demo_two_step_secret(options["phone"])
        if secret is None:
            raise CommandError(in_both(_("该账号不是使用公开演示密钥的演示账号")))
        now = time.time()
        left = totp.STEP_SECONDS - int(now) % totp.STEP_SECONDS
        valid = in_both(_("%(seconds)s 秒内有效"), {"seconds": left})
        self.stdout.write(f"{totp.code_at(secret, totp.step_of(now))}  ({valid})")
