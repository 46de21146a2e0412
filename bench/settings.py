"""Settings for benchmarks: the project's settings plus a bare constant view to compare against."""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
if os.environ.get("JIANFU_BENCH_CACHE") == "dummy":
    # "Uncached" means no pre-rendered public page; the profile cache stays, as in production.
    JIANFU_PUBLIC_PAGE_CACHE = False
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR", "handlers": []}}
