"""Building the demo district: the same every time, and its made-up month of activity keeps the
rules. Each test builds the district itself (tests/test_demo.py shares one built without activity)."""

import pytest

from jianfu.demo.loader import load_demo
from jianfu.schools.models import Student

pytestmark = pytest.mark.django_db


def test_deterministic():
    from django.db import transaction

    def snapshot():
        with transaction.atomic():
            counts = load_demo(with_activity=False)
            first = Student.objects.order_by("pk").values_list("registry_id", "name").first()
            transaction.set_rollback(True)
        return counts, first

    assert snapshot() == snapshot()


def test_demo_activity_respects_the_caps_and_shows_aggregates(settings):
    """The demo's homework went through the same services: no class-day is over its cap, and the demo
    class has published days with at least five families' reports."""
    from jianfu.feedback.selectors import class_day_summary
    from jianfu.homework.models import ClassDayLoad

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Without the after-school part (four fifths of the build): its programme and days are built and
    # checked by jianfu/afterschool/tests/test_demo_afterschool.py and test_days_demo.py, and the whole
    # demo by tests/test_cli.py's `jianfu demo --no-serve`.
    load_demo(with_afterschool=False)
    assert ClassDayLoad.objects.filter(items__gt=0).exists()
    assert not [x for x in ClassDayLoad.objects.all() if x.over_cap]
    published = ClassDayLoad.objects.filter(published_at__isnull=False).select_related("school_class")
    assert published.exists()
    day = published.first()
    assert class_day_summary(day.school_class, day.date)["enough"] is True


def test_the_loader_tells_each_stage_as_it_starts(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seen: list[tuple[str, dict]] = []
    counts = load_demo(with_activity=False, progress=lambda stage, facts: seen.append((stage, dict(facts))))
    assert [stage for stage, _ in seen] == ["school", "school", "school", "families", "calendar"]
    assert seen[0][1]["index"] == 1 and seen[0][1]["total"] == 3 and seen[0][1]["name"] == "天河区示范小学"
    assert sum(facts["classes"] for stage, facts in seen if stage == "school") == counts["classes"]
    assert seen[3][1]["students"] == counts["students"] and seen[3][1]["guardians"] >= counts["students"]
