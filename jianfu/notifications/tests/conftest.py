"""Fixtures for the notification tests: a settable clock (Beijing time), the immediate task backend,
and a local fake HTTP server standing in for the WeChat and Aliyun APIs."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(hh: int, mm: int = 0, day: int = 3) -> datetime:
    """A moment on 2026-12-`day` (a Thursday when day=3), Beijing time."""
    return datetime(2026, 12, day, hh, mm, tzinfo=BEIJING)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def set(self, now: datetime) -> None:
        self.now = now


@pytest.fixture
def clock() -> Iterator[Clock]:
    c = Clock(beijing(16))
    with mock.patch("django.utils.timezone.now", side_effect=lambda: c.now):
        yield c


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class FakeApi:
    """What the fake server was asked and what it answers next. `answers` maps a path to a list of
    JSON answers given in turn (the last one repeats)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.answers: dict[str, list[dict[str, Any]]] = {}
        self.base = ""

    def answer(self, path: str) -> dict[str, Any]:
        queue = self.answers.get(path) or [{"errcode": 404, "errmsg": "no such path"}]
        return queue.pop(0) if len(queue) > 1 else queue[0]


@pytest.fixture
def fake_api() -> Iterator[FakeApi]:
    api = FakeApi()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            api.requests.append(
                {
                    "method": self.command,
                    "path": url.path,
                    "query": {k: v[0] for k, v in parse_qs(url.query).items()},
                    "json": json.loads(body) if body else None,
                }
            )
            data = json.dumps(api.answer(url.path)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = _handle
        do_POST = _handle

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    api.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
