"""Triage of complaint text: a suggested category, "not a burden complaint", "no content", and
near-duplicate detection. Pure: no ORM. jieba segments; weighted keyword rules decide
(docs/decisions/0010-complaint-triage.md). A person always confirms or corrects the suggestion."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import jieba

from jianfu.cases.rules.triage_cues import EMPTY_PATTERNS, KEYWORDS, NOT_BURDEN

jieba.setLogLevel(logging.WARNING)

CATEGORIES = tuple(KEYWORDS)


@dataclass(frozen=True)
class Triage:
    category: str
    not_burden: bool
    empty: bool
    scores: dict[str, float]


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t in jieba.lcut(text) if t.strip())


def triage(text: str) -> Triage:
    """Suggest a category and flags. The category with the highest cue weight wins; "other" when
    nothing matches. "Not a burden complaint" when a non-burden cue is present and no burden
    category scores strongly."""
    clean = text.strip()
    meaningful = re.sub(r"[\s\W_]", "", clean)
    if len(meaningful) < 4 or EMPTY_PATTERNS.match(clean):
        return Triage("other", False, True, {})
    toks = set(tokens(clean))
    scores: dict[str, float] = {}
    for category, words in KEYWORDS.items():
        score = 0.0
        for word, weight in words.items():
            if (len(word) > 1 and word in clean) or word in toks:
                score += weight
        if score:
            scores[category] = score
    best = max(scores, key=lambda c: scores[c]) if scores else "other"
    not_burden = any(cue in clean for cue in NOT_BURDEN) and scores.get(best, 0) < 3
    return Triage("other" if not_burden else best, not_burden, False, scores)


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' token sets (near-duplicate grouping)."""
    ta, tb = set(tokens(a)), set(tokens(b))
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


NEAR_DUPLICATE = 0.5
