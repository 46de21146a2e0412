"""The scale-out profile's shared cache (Redis): what one app process changes, every other sees at once.

Runs against a real Redis server: JIANFU_TEST_REDIS_URL (CI starts one on 127.0.0.1:6390). Skipped
without it, unless JIANFU_REQUIRE_REDIS=1. "Another process" is a second cache client with its own
connection and, for profiles, an empty per-process memo.
"""

import os
from datetime import date
from unittest import mock

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings
from django.utils import timezone

from jianfu.homework.services import Draft, day_publish, homework_create, publication_ensure

REDIS_URL = os.environ.get("JIANFU_TEST_REDIS_URL", "")
if not REDIS_URL and os.environ.get("JIANFU_REQUIRE_REDIS") == "1":
    pytest.fail("JIANFU_REQUIRE_REDIS=1 but JIANFU_TEST_REDIS_URL is not set", pytrace=False)
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not REDIS_URL, reason="no Redis (set JIANFU_TEST_REDIS_URL)"),
]
MON = date(2026, 11, 23)
EVENING = timezone.make_aware(timezone.datetime(2026, 11, 23, 19, 0))


@pytest.fixture
def redis_cache():
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"jianfu-test-{os.getpid()}",
        }
    }
    with override_settings(CACHES=caches):
        from django.core.cache import cache

        cache.clear()
        yield cache
        cache.clear()


def other_process():
    return RedisCache(REDIS_URL, {"KEY_PREFIX": f"jianfu-test-{os.getpid()}"})


def post(world, minutes, text):
    return homework_create(
        actor=world.users["teacher"],
        class_ids=[world.class_5_1.pk],
        date_set=MON,
        date_due=MON,
        draft=Draft(subject="math", minutes=minutes),
        description=text,
    )


def test_a_change_drops_the_public_page_for_every_process(client, world, autumn_term, redis_cache):
    with mock.patch("django.utils.timezone.now", return_value=EVENING):
        post(world, 20, "练习册第35页")
        pub = publication_ensure(actor=world.users["head_teacher"], school_class=world.class_5_1)
        day_publish(actor=world.users["head_teacher"], school_class=world.class_5_1, on=MON)
        url = f"/p/{pub.token}/"
        first = client.get(url)
        hot_key = f"pubmeta:{pub.token}:{MON.isoformat()}"
        # The page is in the shared cache: another process serves it without the database.
        etag, body = other_process().get(hot_key)
        assert f'"{etag}"' == first["ETag"] and "练习册第35页" in body
        post(world, 15, "口算卡一张")
        assert other_process().get(hot_key) is None  # dropped for everyone, not after META_SECONDS
        second = client.get(url)
        assert second["ETag"] != first["ETag"] and "口算卡一张" in second.content.decode()


def test_a_profile_change_reaches_another_process_at_once(
    world, redis_cache, django_capture_on_commit_callbacks
):
    from jianfu.policies import selectors
    from jianfu.policies.services import profile_override_set

    before = selectors.profile_resolve_for_school(world.school, MON)
    assert before.homework_cap(3, "primary")[0] == 60  # hw_written_daily_avg_max_g3_6
    with django_capture_on_commit_callbacks(execute=True):
        profile_override_set(
            actor=world.users["bureau"],
            region=world.district,
            key="settings.homework_bands",
            value=[{"grades": [3, 4], "max_minutes": 40}],  # policy-defaults.md §4.3: a local 3–4 band
            effective_from=MON,
            reason="区规定三四年级不超过40分钟",
        )
    selectors.profile_memo_clear()  # a second process has its own, empty memo
    assert selectors.profile_resolve_for_school(world.school, MON).homework_cap(3, "primary")[0] == 40
