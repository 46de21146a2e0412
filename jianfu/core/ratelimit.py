"""A per-key request budget in the cache: at most `limit` hits per fixed window.

For endpoints a signed-in account can call in a loop (a family's report: a buggy client retrying
without pause, or a script) — not for sign-in, whose failures are counted in the database so they
survive restarts (jianfu.accounts.services). With the in-process cache the budget is per process;
with Redis (the scale-out profile) it is shared and costs one round trip.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def hit(key: str, *, limit: int, window_seconds: int, now: float | None = None) -> bool:
    """Count one hit for `key`; False once the window's budget is spent."""
    window = int((time.time() if now is None else now) // window_seconds)
    slot = f"rl:{key}:{window}"
    # add() creates the counter only if absent, so concurrent first hits do not reset each other.
    cache.add(slot, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(slot)
    except ValueError:  # expired between add() and incr()
        cache.add(slot, 1, timeout=window_seconds + 5)
        count = 1
    return count <= limit
