"""Precision and recall of the homework text screen on its labelled sets (issue 17; decision 0025).

Two sets of homework descriptions were written for the purpose by one writer in two sittings:

- ``data/screening_heldout.jsonl`` (119): written FIRST, before any phrase was chosen, committed on its
  own, and never used to choose or change a phrase;
- ``data/screening_dev.jsonl`` (255): written second (and extended with harder cases), and used to
  choose the phrases.

Each line is labelled ``ok`` (should pass), ``warn`` (arguable: the teacher should confirm) or ``block``
(a practice the rules forbid: should be refused), with the flag a refusal should name. A "positive" is
a description the teacher hears about (warn or block).

Where the floors come from:

- precision ≥ 0.95 on the held-out part: issue 17, "precision ≥ 0.95 so teachers are not nagged";
- refusal precision ≥ 0.95 (of the descriptions refused, the share labelled ``block``): the same
  target, applied to the stronger nag — a refusal cannot be confirmed away;
- recall ≥ 0.90 on the held-out part: the rules are hard (严禁), so a screen missing more than one
  forbidden description in ten would leave the honour system largely in place; issue 17 asks 0.80 per
  category of the complaint triage, a harder task (eight open categories) than six named practices.
  The first measurement was 0.97 (docs/performance.md); the floor leaves room for a phrase change that
  trades a miss for fewer nags. The development part is held to the same floors (it was tuned on, so
  it is expected to do better; it shows the phrases still say what they were chosen for).

Run with ``-s`` to print the figures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from jianfu.homework.screening.rules import phrasebook, screen

DATA = Path(__file__).parent / "data"


def load(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@dataclass
class Figures:
    n: int
    positives: int
    precision: float
    recall: float
    refusal_precision: float
    refusal_recall: float
    flag_agreement: float
    exact: float

    def line(self, name: str) -> str:
        return (
            f"{name}: n={self.n} positives={self.positives} precision={self.precision:.3f} "
            f"recall={self.recall:.3f} refusal_precision={self.refusal_precision:.3f} "
            f"refusal_recall={self.refusal_recall:.3f} flag_agreement={self.flag_agreement:.3f} "
            f"exact={self.exact:.3f}"
        )


def figures(rows: list[dict]) -> Figures:
    tp = fp = fn = refused = refused_right = block_labelled = block_refused = exact = 0
    flags_right = 0
    for row in rows:
        result = screen(row["text"])
        labelled, got = row["expect"], result.outcome
        tp += labelled != "ok" and got != "ok"
        fp += labelled == "ok" and got != "ok"
        fn += labelled != "ok" and got == "ok"
        refused += got == "block"
        refused_right += got == "block" and labelled == "block"
        block_labelled += labelled == "block"
        block_refused += labelled == "block" and got == "block"
        flags_right += labelled == "block" and got == "block" and set(row["flags"]) <= result.flags
        exact += labelled == got
    return Figures(
        n=len(rows),
        positives=tp + fn,
        precision=tp / (tp + fp) if tp + fp else 1.0,
        recall=tp / (tp + fn) if tp + fn else 1.0,
        refusal_precision=refused_right / refused if refused else 1.0,
        refusal_recall=block_refused / block_labelled if block_labelled else 1.0,
        flag_agreement=flags_right / block_refused if block_refused else 1.0,
        exact=exact / len(rows),
    )


HELD_OUT = load("screening_heldout.jsonl")
DEV = load("screening_dev.jsonl")


def test_the_sets_are_big_enough_disjoint_and_well_labelled() -> None:
    assert len(HELD_OUT) >= 100 and len(HELD_OUT) + len(DEV) >= 300
    held = {r["text"] for r in HELD_OUT}
    assert len(held) == len(HELD_OUT) and len({r["text"] for r in DEV}) == len(DEV)
    assert not held & {r["text"] for r in DEV}
    for row in HELD_OUT + DEV:
        assert row["expect"] in ("ok", "warn", "block"), row
        assert set(row["flags"]) <= set(phrasebook().flags), row
        assert bool(row["flags"]) == (row["expect"] == "block"), row
    # Both kinds the issue names are there in number: harmless mentions and negations, and refusals.
    for rows in (HELD_OUT, DEV):
        assert sum(r["expect"] == "ok" for r in rows) >= 40
        assert sum(r["expect"] == "block" for r in rows) >= 40
        assert sum("negation" in r["tags"] for r in rows) >= 10


@pytest.mark.parametrize(("name", "rows"), [("held-out", HELD_OUT), ("development", DEV)])
def test_precision_and_recall_floors(name: str, rows: list[dict]) -> None:
    f = figures(rows)
    print("\n" + f.line(name))
    assert f.precision >= 0.95, f.line(name)
    assert f.refusal_precision >= 0.95, f.line(name)
    assert f.recall >= 0.90, f.line(name)
