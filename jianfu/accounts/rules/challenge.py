"""A short human check served by jianfu itself (no outside service): a sum of two small numbers written
in Chinese numerals, asked once throttling suspects a script (sign-in failures spread over many
addresses or from one busy address; many activation requests from one address).

It is kept in the session: the question's answer as a keyed digest, good for one try and 5 minutes.
It slows a script down and makes each guess cost a round trip; it is not meant to stop a determined
one (the per-pair and per-phone limits do that).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Any

from django.conf import settings
from django.utils.translation import gettext, pgettext_lazy

SESSION_KEY = "jianfu_challenge"
TTL_SECONDS = 5 * 60
# The numbers are written as words (Chinese numerals, or English words), so a script has to read them.
_NUMERALS = (
    pgettext_lazy("number", "零"),
    pgettext_lazy("number", "一"),
    pgettext_lazy("number", "二"),
    pgettext_lazy("number", "三"),
    pgettext_lazy("number", "四"),
    pgettext_lazy("number", "五"),
    pgettext_lazy("number", "六"),
    pgettext_lazy("number", "七"),
    pgettext_lazy("number", "八"),
    pgettext_lazy("number", "九"),
    pgettext_lazy("number", "十"),
)


def _digest(answer: str, nonce: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{nonce}:{answer}".encode(), hashlib.sha256).hexdigest()


def question_new(session: Any) -> str:
    """A new question for this session (replacing any earlier one); the text to show."""
    a, b = 2 + secrets.randbelow(8), 2 + secrets.randbelow(8)  # 2..9 each: a sum a child can do
    nonce = secrets.token_hex(8)
    session[SESSION_KEY] = {"d": _digest(str(a + b), nonce), "n": nonce, "until": time.time() + TTL_SECONDS}
    return gettext("%(a)s加%(b)s等于几？（请填阿拉伯数字）") % {"a": _NUMERALS[a], "b": _NUMERALS[b]}


def passed(session: Any, answer: str) -> bool:
    """Whether `answer` answers this session's question; the question is used up either way."""
    held = session.pop(SESSION_KEY, None)
    if not held or held.get("until", 0) < time.time():
        return False
    typed = "".join(ch for ch in str(answer or "") if ch in "0123456789")[:3]
    return bool(typed) and hmac.compare_digest(held["d"], _digest(typed, held["n"]))
