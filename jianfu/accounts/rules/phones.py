from __future__ import annotations

import re
import unicodedata

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_phone(raw: str) -> str | None:
    """Return the 11-digit mainland mobile number, or None if `raw` is not one.

    Tolerates what people and spreadsheets type: full-width digits, spaces, dashes, a +86 or 0086
    prefix, and Excel's float rendering ("13812345678.0").
    """
    text = unicodedata.normalize("NFKC", str(raw or "")).strip()
    if text.endswith(".0"):
        text = text[:-2]
    text = re.sub(r"[\s\-()（）]", "", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    return text if _MOBILE.match(text) else None
