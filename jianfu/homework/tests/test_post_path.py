"""The post path reads its class-day once (issue 14; docs/decisions/0040-homework-split-and-post-path.md).

Before: a post judged the day (its items, exceptions, profile) and then read the same day again to
refresh its row, locking the row twice: 17 statements for a second item on a day, besides the
savepoint. After: every statement below is one the post needs, each once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianfu.accounts.models import User
from jianfu.homework.models import ClassDayLoad, HomeworkItem, Status
from jianfu.homework.services import Draft, homework_create
from jianfu.homework.tests.conftest import MON, at

pytestmark = pytest.mark.django_db

# A second item on a class-day whose row exists, posted by a teacher as a new request's user (roles
# not yet read), without an idempotency key, within the cap:
#  1 the teacher's roles (schools.access.memberships_of)
#  2 the class among those the teacher reaches (classes_for_actor_staff)
#  3 the teacher teaches this subject there (permissions.can_post_homework)
#  4 the class-day row, locked (select_for_update; created on a first post)
#  5 the day's active items                      } the day, read once (ClassDay)
#  6 the day's approved exceptions that hold     }
#  7 the teacher's recent items (calibration's estimates: too few days here, so no reports read)
#  8 the school calendar's day type
#  9 INSERT the item
# 10 UPDATE the class-day row (totals, public snapshot, version)
# 11 the class's public page tokens (their cached pages are dropped)
# 12 INSERT the audit row
# The policy profile comes from its cache (warmed by the first post), as in production.
POST_STATEMENTS = 12


def _post(world, teacher, minutes, text):
    return homework_create(
        actor=teacher,
        class_ids=[world.class_5_1.pk],
        date_set=MON,
        date_due=MON,
        draft=Draft(subject="math", minutes=minutes),
        description=text,
        now=at(MON),
    )


def test_a_post_reads_its_class_day_once(world, autumn_term):
    _post(world, world.users["teacher"], 20, "练习一")
    teacher = User.objects.get(pk=world.users["teacher"].pk)  # a fresh request's user
    with CaptureQueriesContext(connection) as q:
        [item] = _post(world, teacher, 15, "练习二")
    statements = [x["sql"] for x in q.captured_queries if "SAVEPOINT" not in x["sql"]]
    assert len(statements) == POST_STATEMENTS, "\n".join(statements)
    # And the row is what a full re-read gives: 20 + 15 written minutes, both items in the snapshot.
    load = ClassDayLoad.objects.get(school_class=world.class_5_1, date=MON)
    assert (load.counted_minutes, load.items) == (35, 2)
    assert [i["description"] for i in load.public_items] == ["练习一", "练习二"]
    assert item.status == Status.ACTIVE
    assert HomeworkItem.objects.filter(school_class=world.class_5_1, date_set=MON).count() == 2
