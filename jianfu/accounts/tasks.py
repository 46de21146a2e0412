"""Background work for accounts (Django's tasks API) and the SMS gateway it talks to.

The activation text is queued so that the answer to the request never waits for the SMS gateway
(whose time would tell a roster phone from another). The gateway is the one part of sign-in that
leaves the machine: production deployments plug in their provider by setting SMS_BACKEND to a class
with `send`; the default writes the message to the log (phone masked), which the demo and tests use.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django_tasks import task

from jianfu.core.masking import mask_phone

logger = logging.getLogger("jianfu.sms")


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class LogSmsBackend:
    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(phone), text)


class MemorySmsBackend:
    """Keeps messages in memory; tests read `outbox`."""

    outbox: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        MemorySmsBackend.outbox.append((phone, text))


def get_sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend


@task()
def activation_sms(phone: str, code: str, language: str = "") -> int:
    """`language`: the page's language when the code was asked for (older queued tasks have none)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        text = gettext("【减负】您的激活验证码为 %(code)s，10分钟内有效。如非本人操作请忽略。") % {
            "code": code
        }
    get_sms_backend().send(phone=phone, text=text)
    return 1


@task()
def password_reset_sms(phone: str, code: str, language: str = "") -> int:
    """忘记密码's code, in the page's language when it was asked for."""
    with translation.override(language or settings.LANGUAGE_CODE):
        text = gettext("【减负】您正在重设密码，验证码为 %(code)s，10分钟内有效。如非本人操作请忽略。") % {
            "code": code
        }
    get_sms_backend().send(phone=phone, text=text)
    return 1
