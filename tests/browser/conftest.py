"""Real-browser journeys: Playwright driving Debian's Chromium (/usr/bin/chromium).

Screenshots are written to docs/screenshots/ when JIANFU_SCREENSHOTS=1, so `docs/screenshots` is
refreshed by running: JIANFU_SCREENSHOTS=1 uv run pytest -m browser
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time
from pathlib import Path
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

CHROMIUM = os.environ.get("JIANFU_CHROMIUM", "/usr/bin/chromium")
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 860}


# Journeys about how pages look — sizes at 375 px, the menu, tap targets, screenshots, the language
# switch, the security headers' effect on scripts — not about what the database does: what they
# write, the unit tests write on both databases. CI runs them once, on SQLite (decision 0055).
LAYOUT = {
    "test_issue15_pages.py",
    "test_foundation_screens.py",
    "test_language_journey.py",
    "test_phone_pages.py",
    "test_home_journeys.py",
    "test_security_headers_journey.py",
}


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if Path(str(item.fspath)).name in LAYOUT:
                item.add_marker(pytest.mark.layout)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("JIANFU_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing but JIANFU_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium: Any) -> Iterator[Any]:
    """open_page(size) -> a fresh page in its own context (own cookies) at that viewport."""
    contexts: list[Any] = []

    def _open(viewport: dict[str, int] = DESKTOP, locale: str = "zh-CN") -> Any:
        context = chromium.new_context(viewport=viewport, locale=locale, device_scale_factor=1)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def shot(page: Any, name: str, *, full_page: bool = True) -> None:
    """Save a screenshot to docs/screenshots/NAME.png when JIANFU_SCREENSHOTS=1."""
    if os.environ.get("JIANFU_SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=full_page)


def sign_in(page: Any, base_url: str, phone: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=phone]", phone)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/core/")


@contextmanager
def school_afternoon() -> Iterator[None]:
    """The server's clock moves on from 15:00 Beijing time today. Homework is set for today or later
    and families report about today only from noon: a journey run in the morning would otherwise
    post for yesterday (refused) or report about a day nobody posted for."""
    from django.utils import timezone

    real_now = timezone.now
    start = real_now()
    today = start.astimezone(ZoneInfo("Asia/Shanghai")).date()
    base = datetime.combine(today, time(15, 0), tzinfo=ZoneInfo("Asia/Shanghai"))
    with mock.patch("django.utils.timezone.now", side_effect=lambda: base + (real_now() - start)):
        yield
