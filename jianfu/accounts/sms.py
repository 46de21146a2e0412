"""The SMS gateway interface: the one part of sign-in that leaves the machine.

Production deployments plug in their provider by setting SMS_BACKEND to a class with `send`.
The default writes the message to the log (phone masked), which is what the demo and tests use.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

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
