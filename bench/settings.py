"""Settings for benchmarks: the project's settings plus a bare constant view to compare against."""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
if os.environ.get("JIANFU_BENCH_CACHE") == "dummy":
    # "Uncached" means no pre-rendered public page; the profile cache stays, as in production.
    JIANFU_PUBLIC_PAGE_CACHE = False
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR", "handlers": []}}
# The report load posts for 900 children from one parent account (one session for the whole load):
# that account stands for many families, so the per-account report budget is lifted.
JIANFU_REPORT_RATE_LIMIT = 10**9
# JIANFU_BENCH_PLAIN_SQLITE=1 measures Django's own SQLite backend, without the writers' turn-taking
# locks (jianfu/core/sqlite/base.py), to compare the two in one session.
_db = DATABASES["default"]  # noqa: F405
if os.environ.get("JIANFU_BENCH_PLAIN_SQLITE") == "1" and _db["ENGINE"] == "jianfu.core.sqlite":
    _db["ENGINE"] = "django.db.backends.sqlite3"
