"""The catalogue's values in plain words, as the policy page shows them (issue 15, decision 0053).

Parameter names, choice codes and JSON are the engine's vocabulary (the API and the what-if speak
it); people reading the page get words: "3–4年级 40分钟", "教师估计", "是". The rule id and the
source stay available behind the page's 依据 disclosure. Pure: no ORM.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jianfu.policies.rules.findings import STAGE_LABELS

# Choice codes of the profile settings (catalogue.SETTINGS), in words.
CHOICE_WORDS: dict[str, Any] = {
    "per_class_estimate_per_day": _("按每班每天布置的时长计"),
    "per_student_mean_per_day": _("按学生每天实际用时的平均数计"),
    "weekly_average": _("按一周的日平均计"),
    "teacher_estimate": _("教师预估"),
    "calibrated_estimate": _("按家庭反馈校准后的预估"),
    "parent_report": _("家长反馈的实际用时"),
    "required_only": _("只计必做部分"),
    "required_plus_max_layer": _("必做部分加用时最多的一层分层作业"),
    "academic_affairs": _("教导处"),
    "principal": _("校长"),
}

# policy-defaults.md's verification marks (its table "mark | meaning"): how surely a value is sourced.
VERIFICATION_WORDS: dict[str, Any] = {
    "V1": _("已见文件原文"),
    "V2": _("据权威报道或转引的文件核实"),
    "S": _("见于项目收集的参考文件"),
    "R": _("凭记忆整理，尚未找到出处"),
}


def _band(band: Any) -> str:
    if not isinstance(band, dict):
        return str(band)
    grades = [int(g) for g in band.get("grades") or []]
    minutes = band.get("max_minutes")
    if not grades:
        return gettext("%(minutes)s分钟") % {"minutes": minutes}
    low, high = min(grades), max(grades)
    if low == high:
        return gettext("%(grade)s年级 %(minutes)s分钟") % {"grade": low, "minutes": minutes}
    return gettext("%(low)s–%(high)s年级 %(minutes)s分钟") % {"low": low, "high": high, "minutes": minutes}


def value_words(value: Any) -> str:
    """A parameter's or setting's value as a reader of the page says it."""
    if value is None:
        return gettext("—（未规定）")
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, list):
        if not value:
            return "—"
        if all(isinstance(v, dict) for v in value):
            return gettext("；").join(_band(v) for v in value)
        return gettext("、").join(gettext(str(v)) for v in value)
    if isinstance(value, dict):
        if not value:
            return "—"
        # stage_mapping: {"7": "junior"} → "7年级：初中"
        return gettext("；").join(
            gettext("%(grade)s年级：%(stage)s")
            % {"grade": grade, "stage": STAGE_LABELS.get(str(stage), str(stage))}
            for grade, stage in sorted(
                value.items(), key=lambda kv: int(str(kv[0])) if str(kv[0]).isdigit() else 0
            )
        )
    if isinstance(value, str) and value in CHOICE_WORDS:
        return str(CHOICE_WORDS[value])
    return str(value)


def verification_words(mark: str) -> str:
    """ "V2/R" → both meanings; a qualifier such as "(local)" is dropped (the sources say it)."""
    marks = re.findall(r"V1|V2|S|R", mark)
    words = [str(VERIFICATION_WORDS[m]) for m in dict.fromkeys(marks)]
    return gettext("；").join(words) if words else mark


# "3-4年级 40分钟", "5年级：50", "3至4年级≤40分钟". The Chinese words are written as escapes (the
# pattern is data matched against what people type, not text shown): 至 \u81f3, 到 \u5230,
# 年级 \u5e74\u7ea7, 不超过 \u4e0d\u8d85\u8fc7, 分钟 \u5206\u949f.
_BAND = re.compile(
    r"(\d+)\s*(?:[-\u2013\u2014~\uff5e\u81f3\u5230]\s*(\d+))?\s*\u5e74\u7ea7\s*[:\uff1a]?\s*"
    r"(?:\u2264|\u4e0d\u8d85\u8fc7)?\s*(\d+)\s*(?:\u5206\u949f)?"
)


def parse_bands(text: str) -> list[dict[str, Any]] | None:
    """ "3–4年级 40分钟；5年级 50分钟" → [{"grades": [3, 4], "max_minutes": 40}, …]; None if it is not
    written that way (the form then reads the text as JSON or as typed)."""
    parts = [p for p in re.split(r"[\uff1b;\uff0c,\u3001\n]+", text) if p.strip()]
    bands: list[dict[str, Any]] = []
    for part in parts:
        m = _BAND.fullmatch(part.strip())
        if m is None:
            return None
        low, high, minutes = int(m.group(1)), int(m.group(2) or m.group(1)), int(m.group(3))
        bands.append({"grades": list(range(min(low, high), max(low, high) + 1)), "max_minutes": minutes})
    return bands or None
