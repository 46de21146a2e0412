"""Reading a homework item's text for the practices the rules forbid (decision 0025).

The flags of a homework item (needs a phone, parents mark, self marking, punitive …) were honour-system:
"背诵乘法口诀并录视频发群里" with no box ticked went through. This module reads the text. It is pure
(no database): `screen(text)` returns the phrases found, each with the flag it stands for and a level:

- ``block``: unambiguous; the caller treats the flag as ticked, so the item is refused with the rule;
- ``warn``: arguable (a photo without sending it, looking something up online, "自愿打卡" …); the
  teacher must confirm before the item is posted.

Sources of the rules the flags stand for (jianfu/policies/rules/catalogue.py, policy-defaults.md §2.2):
hw_no_phone_based_homework (phone_notice_2021 item 2: 不得用手机布置作业或要求学生用手机完成作业),
hw_no_parent_checking_or_marking and hw_no_parent_assignment (dr_opinion_2021 §4, hw_notice_2021:
严禁给家长布置或变相布置作业，严禁要求家长检查、批改作业), hw_no_student_self_marking (不得要求学生自批自改作业),
hw_no_repetitive_or_punitive (dr_opinion_2021 §6: 严禁布置重复性、惩罚性作业).

The phrases are data (jianfu/homework/data/forbidden_practices.json), each with the texts it must hit
and the near-misses it must not. Text is normalised first: Traditional → Simplified (OpenCC t2s, and
a few Taiwan words such as 影片 → 视频 from the data), full-width → half-width, lower case, spaces between Chinese characters
dropped ("打 卡"), a small table of typos (录视屏, 签子) and abbreviations (jz, dk, zy, ls). A match is dropped
when a negation governs it in the same clause ("不需要家长签字", "无需打卡", "家长签字不用了"), except
reminders ("不要忘记打卡" still asks for a check-in); a block found with an optional word ("自愿打卡",
"可拍照上传") becomes a warning.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from django.utils import translation

DATA = Path(__file__).parent.parent / "data" / "forbidden_practices.json"
Level = Literal["block", "warn"]
# Clause breaks after normalisation (NFKC turns ，；！？ into ,;!? but leaves 。).
_BREAKS = ",.;!?。"


@dataclass(frozen=True)
class Pattern:
    id: str
    flag: str
    level: Level
    regex: re.Pattern[str]
    what_zh: str
    what_en: str
    hits: tuple[str, ...]
    misses: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    """One phrase found: which practice, which flag and rule, and how sure."""

    pattern: str
    flag: str
    rule_id: str
    level: Level
    phrase: str  # as normalised (Simplified, half-width), shown back to the teacher
    what_zh: str
    what_en: str
    start: int
    end: int

    @property
    def what(self) -> str:
        """The practice in the active language (the page's)."""
        return self.what_en if (translation.get_language() or "").startswith("en") else self.what_zh


@dataclass(frozen=True)
class ScreenResult:
    hits: tuple[Hit, ...]

    @property
    def blocks(self) -> tuple[Hit, ...]:
        return tuple(h for h in self.hits if h.level == "block")

    @property
    def warnings(self) -> tuple[Hit, ...]:
        return tuple(h for h in self.hits if h.level == "warn")

    @property
    def flags(self) -> frozenset[str]:
        """The flags the text ticks unambiguously (only blocks)."""
        return frozenset(h.flag for h in self.blocks)

    @property
    def outcome(self) -> str:
        return "block" if self.blocks else "warn" if self.warnings else "ok"


@dataclass(frozen=True)
class Phrasebook:
    flags: dict[str, dict[str, str]]
    typos: tuple[tuple[str, str], ...]
    abbreviations: tuple[tuple[re.Pattern[str], str], ...]
    negation: dict[str, Any]
    optional: dict[str, Any]
    safe: tuple[re.Pattern[str], ...]
    patterns: tuple[Pattern, ...]


def _expand(source: str, macros: dict[str, str]) -> str:
    # Longest names first so {G} does not eat the start of another macro's name.
    for name in sorted(macros, key=len, reverse=True):
        source = source.replace("{" + name + "}", macros[name])
    return source


@lru_cache(maxsize=1)
def phrasebook() -> Phrasebook:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    macros = raw["macros"]
    patterns = tuple(
        Pattern(
            id=p["id"],
            flag=p["flag"],
            level=p["level"],
            regex=re.compile(_expand(p["re"], macros)),
            what_zh=p["what_zh"],
            what_en=p["what_en"],
            hits=tuple(p.get("hits", ())),
            misses=tuple(p.get("misses", ())),
        )
        for p in raw["patterns"]
    )
    return Phrasebook(
        flags=raw["flags"],
        typos=tuple((a, b) for a, b in raw["typos"]),
        abbreviations=tuple(
            (re.compile(f"(?<![a-z]){re.escape(a)}(?![a-z])"), b) for a, b in raw["abbreviations"]
        ),
        negation=raw["negation"],
        optional=raw["optional"],
        safe=tuple(re.compile(_expand(s["re"], macros)) for s in raw["safe"]),
        patterns=patterns,
    )


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    # t2s (characters only): tw2sp would also turn mainland words into others (小程序 → 小进程).
    # The few Taiwan words that matter (影片, 群組) are in the data's typo table.
    return opencc.OpenCC("t2s")


_SPACE_BETWEEN = re.compile(r"(?<![a-z0-9])\s+|\s+(?![a-z0-9])")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
# Filler put between two characters to break a phrase up ("打-卡", "拍*照"); never a clause break.
_FILLER = re.compile(r"(?<=[\u3400-\u9fff])[-_*·•~/\\|^+=]+(?=[\u3400-\u9fff])")


def normalise(text: str) -> str:
    """Traditional → Simplified, full-width → half-width, lower case, spaces between Chinese
    characters removed (and filler such as "打-卡"), line breaks as clause breaks, known typos and abbreviations replaced."""
    text = _INVISIBLE.sub("", text or "")
    text = unicodedata.normalize("NFKC", text)
    text = _converter().convert(text).lower()
    text = re.sub(r"[\r\n]+", "。", text)
    # Keep a space only where it separates two Latin words or numbers ("use app"), drop it elsewhere.
    text = _SPACE_BETWEEN.sub("", text)
    text = _FILLER.sub("", text)
    book = phrasebook()
    for wrong, right in book.typos:
        text = text.replace(wrong, right)
    for pattern, right in book.abbreviations:
        text = pattern.sub(right, text)
    return text


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((text.rfind(b, 0, start) for b in _BREAKS), default=-1) + 1
    rights = [i for i in (text.find(b, end) for b in _BREAKS) if i != -1]
    return left, min(rights) if rights else len(text)


def _negated(text: str, start: int, end: int) -> bool:
    """Whether a negation in the same clause governs the match [start, end)."""
    neg = phrasebook().negation
    left, right = _clause_bounds(text, start, end)
    before = text[left:start]
    inside = text[start:end]
    after = text[end:right]

    def reminder(at: str, index: int) -> bool:
        return any(at.startswith(n, index) for n in neg["not_a_negation"])

    for cue in neg["near"]:
        # Cue in the window before the match, or inside it ("家长无需签字" matched across the cue).
        for region, offset_ok in ((before, True), (inside, False)):
            i = region.rfind(cue)
            while i != -1:
                near = not offset_ok or len(region) - (i + len(cue)) <= neg["window"]
                if near and not reminder(region, i):
                    return True
                i = region.rfind(cue, 0, i)
    for cue in neg["adjacent"]:
        if before.endswith(cue) and not reminder(before, len(before) - len(cue)):
            return True
    head = after[: neg["after_window"] + max(len(c) for c in neg["after"])]
    for cue in neg["after"]:
        i = head.find(cue)
        if i != -1 and i <= neg["after_window"]:
            return True
    return False


def _optional(text: str, start: int, end: int) -> bool:
    """Whether the clause offers the practice as optional ("自愿打卡", "可拍照上传", "打卡不做要求")."""
    opt = phrasebook().optional
    left, right = _clause_bounds(text, start, end)
    before, after = text[left:start], text[end:right]
    if any(c in before or c in text[start:end] for c in opt["before"]) or any(
        before.endswith(c) for c in opt["adjacent"]
    ):
        return True
    head = after[: opt["after_window"] + max(len(c) for c in opt["after"])]
    return any(0 <= head.find(c) <= opt["after_window"] for c in opt["after"])


def _raw_hits(norm: str) -> list[Hit]:
    book = phrasebook()
    safe = [(m.start(), m.end()) for s in book.safe for m in s.finditer(norm)]
    found: list[Hit] = []
    for p in book.patterns:
        for m in p.regex.finditer(norm):
            if m.end() == m.start():
                continue
            if any(s <= m.start() and m.end() <= e for s, e in safe):
                continue
            if _negated(norm, m.start(), m.end()):
                continue
            level: Level = p.level
            if level == "block" and _optional(norm, m.start(), m.end()):
                level = "warn"
            found.append(
                Hit(
                    pattern=p.id,
                    flag=p.flag,
                    rule_id=book.flags[p.flag]["rule"],
                    level=level,
                    phrase=m.group(0),
                    what_zh=p.what_zh,
                    what_en=p.what_en,
                    start=m.start(),
                    end=m.end(),
                )
            )
    return found


def pattern_ids_in(text: str) -> set[str]:
    """Every pattern that matches the text (after negation), before merging — for the data's tests."""
    return {h.pattern for h in _raw_hits(normalise(text))}


def screen(*texts: str) -> ScreenResult:
    """Screen a homework item's texts (title, description). Pure; a few milliseconds for 1,000 characters.

    Per flag, a block hides that flag's warnings and overlapping phrases are told once, by the
    stronger then longer match (the teacher reads one reason per practice, not three)."""
    kept: list[Hit] = []
    for text in texts:
        hits = _raw_hits(normalise(text))
        blocked = {h.flag for h in hits if h.level == "block"}
        mine: list[Hit] = []
        for h in sorted(hits, key=lambda h: (h.level != "block", h.start, h.start - h.end)):
            if h.level == "warn" and h.flag in blocked:
                continue
            if any(k.flag == h.flag and k.start < h.end and h.start < k.end for k in mine):
                continue
            mine.append(h)
        kept.extend(mine)
    blocked_all = {h.flag for h in kept if h.level == "block"}
    seen: set[tuple[str, str]] = set()
    out: list[Hit] = []
    for h in kept:
        if (h.level == "warn" and h.flag in blocked_all) or (h.flag, h.phrase) in seen:
            continue
        seen.add((h.flag, h.phrase))
        out.append(h)
    return ScreenResult(tuple(out))


def flag_label(flag: str) -> tuple[str, str]:
    f = phrasebook().flags[flag]
    return f["label_zh"], f["label_en"]
