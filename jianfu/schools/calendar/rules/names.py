"""Chinese words the calendar matches or stores, kept apart from its messages.

- HOLIDAY_NAMES: the `chinese-calendar` package's English holiday names → the Chinese name written
  into a school day's note (stored with the day, like a name a bureau types in);
- MAKEUP_WORKDAY: the note of a make-up workday;
- HOLIDAY_KINDS: the words a bureau may type for a line's kind when entering a year's holidays.
"""

from __future__ import annotations

__i18n_data__ = "holiday names stored with school days, and the kind words bureaus type"

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}

MAKEUP_WORKDAY = "调休上班"


def makeup_workday_note(holiday: str) -> str:
    """The note of a make-up workday for a holiday (the package's English name), e.g. 调休上班（春节）."""
    return f"{MAKEUP_WORKDAY}（{HOLIDAY_NAMES.get(holiday, holiday)}）" if holiday else MAKEUP_WORKDAY


HOLIDAY_KINDS = {
    "holiday": "holiday",
    "假": "holiday",
    "放假": "holiday",
    "makeup_workday": "makeup_workday",
    "调休": "makeup_workday",
    "上班": "makeup_workday",
}
