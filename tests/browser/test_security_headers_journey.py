"""The pages that run script — htmx, ECharts with its nonce'd inline script, the select that submits
its form — still work in a real browser under the Content-Security-Policy, and Chromium reports no
violation (docs/decisions/0030-security-headers.md)."""

import pytest

from conftest import PASSWORD
from tests.browser.conftest import DESKTOP, sign_in
from tests.browser.test_afterschool_days_journey import setup_world


def watch_csp(page):
    """Chromium logs every blocked script, handler or style as a console error naming the policy."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    return seen


@pytest.mark.django_db(transaction=True)
def test_scripted_pages_work_under_the_policy(live_server, open_page):
    setup_world()
    base = live_server.url
    bureau = open_page(DESKTOP)
    violations = watch_csp(bureau)
    sign_in(bureau, base, "13900000001", PASSWORD)
    first = bureau.goto(f"{base}/afterschool/days/figures/district/")
    assert "script-src 'self' 'nonce-" in first.headers["content-security-policy"]
    # The chart is drawn by the page's inline script (allowed by its nonce) with ECharts (same origin).
    bureau.wait_for_selector("#participation-chart canvas")

    # A select that submits its form through the static script (data-autosubmit), no inline handler.
    bureau.goto(f"{base}/schools/calendar/")
    select = bureau.locator("select#school")
    values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
    assert len(values) > 1
    target = next(v for v in values if v != select.input_value())
    with bureau.expect_navigation():
        select.select_option(target)
    assert f"school={target}" in bureau.url

    # htmx (same origin, no eval): the teacher's attendance roster is loaded into the page.
    teacher = open_page(DESKTOP)
    violations += watch_csp(teacher)
    sign_in(teacher, base, "13900000006", PASSWORD)
    teacher.goto(f"{base}/afterschool/days/attendance/")
    teacher.click("text=趣味编程")
    teacher.wait_for_selector("#roster-block")  # loaded by htmx
    assert violations == []
