"""A logging filter that masks 学籍号 and phone numbers wherever they appear in a log line."""

from __future__ import annotations

import logging
import re

# The mask is a fixed token in log lines, which operators search for whatever the request's language
# was; it is not a message shown to a person.
__i18n_data__ = "the mask token written into log lines"

# 学籍号: a letter prefix and 17–19 id characters (G + 18-char citizen id is the common case).
_REGISTRY_ID = re.compile(r"(?<![A-Za-z0-9])[GLJgljK]\d{17}[\dXx](?![0-9])|(?<![0-9])\d{17}[\dXx](?![0-9])")
# Mainland mobile numbers: 11 digits starting with 1[3-9].
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def redact(text: str) -> str:
    text = _REGISTRY_ID.sub("[学籍号已隐藏]", text)
    return _PHONE.sub(r"\1****\2", text)


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True
