"""Words the after-school sub-domains share, in the reader's language (issue 14), and two small
helpers for messages built from texts that already exist in both languages. No ORM.

A DomainError renders its parameters under the language it is rendered in (errors._Message), so a
parameter that is one of these objects comes out Chinese in `message_zh` and English in `message_en`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

# ISO weekday (1 = Monday) → its name as pages and messages say it.
WEEKDAYS: dict[int, Any] = {
    1: _("周一"),
    2: _("周二"),
    3: _("周三"),
    4: _("周四"),
    5: _("周五"),
    6: _("周六"),
    7: _("周日"),
}


def _english() -> bool:
    return (translation.get_language() or "").lower().startswith("en")


class Bilingual:
    """A text that arrives in both languages rather than from our catalogue: the policy engine's
    findings (stored on the programme as message_zh / message_en) and ErrorDetails."""

    __slots__ = ("en", "zh")

    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en

    def __str__(self) -> str:
        return self.en if _english() else self.zh


class Joined:
    """Several texts as one list, joined as each language joins a list ("；" or "; ")."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[object]) -> None:
        self.items = list(items)

    def __str__(self) -> str:
        return ("; " if _english() else "；").join(str(i) for i in self.items)


class Listed(Joined):
    """Several short words as one list ("、" or ", "), e.g. weekdays."""

    def __str__(self) -> str:
        return (", " if _english() else "、").join(str(i) for i in self.items)


def weekdays_text(days: Iterable[int]) -> str:
    """[1, 2, 3, 4, 5] → "周一至周五" / "Mon to Fri"; [1, 3] → "周一、周三" / "Mon, Wed" (how schools
    write their timetables), in the active language."""
    ds = sorted(set(days))
    if len(ds) >= 3 and ds == list(range(ds[0], ds[-1] + 1)):
        return _("%(first)s至%(last)s") % {"first": WEEKDAYS[ds[0]], "last": WEEKDAYS[ds[-1]]}
    return str(Listed(WEEKDAYS.get(d, str(d)) for d in ds))
