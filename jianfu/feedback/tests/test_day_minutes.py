"""The family page's totals for a published day: every kind of home task, and the written part."""

from types import SimpleNamespace

from jianfu.feedback.selectors import homework_day_minutes


def item(minutes, kind="书面", where="在家完成", tier="必做"):
    return {"minutes": minutes, "kind": kind, "where": where, "tier": tier}


def test_every_kind_at_home_counts_with_one_layer_and_no_electives():
    published = {
        "load": SimpleNamespace(counted_minutes=55),
        "items": [
            item(25),  # written, required
            item(30),  # written, required
            item(60, kind="口头"),  # A1's oral item: counts in the family's total
            item(15, kind="阅读", tier="分层·基础"),
            item(20, kind="阅读", tier="分层·提高"),  # a child gets one layer: the heavier, 20
            item(40, tier="选做"),  # elective: not expected of every child
            item(10, where="课堂完成"),  # done in class, not at home
        ],
    }
    # 25 + 30 + 60 + max(15, 20) = 135; the written part is the class-day row's 55.
    minutes = homework_day_minutes(published)
    assert minutes is not None and (minutes.all_kinds, minutes.written) == (135, 55)


def test_an_unpublished_day_has_no_totals():
    assert homework_day_minutes(None) is None
