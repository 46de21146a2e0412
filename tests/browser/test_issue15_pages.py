"""Issue 15's new pages and the global menu in a real browser, at 375 px and at 1366 px, in the demo
district (with its after-school part: the gate list needs today's 460 children).

What a person checks on each page is asserted, and each page is saved as
docs/screenshots/<page>-{phone,desktop}.png with JIANFU_SCREENSHOTS=1:
- the menu (product review I4, decision 0054): folded behind "菜单" on a phone, every entry shown in
  full and at least 44 px high once opened; the line of links on a wide screen; nothing scrolls the
  page sideways at either width;
- wide tables (I5): nothing scrolls sideways at 1366 px on the after-school figures pages; on a phone a
  table wider than the screen scrolls inside its own box, which shows a shadow where more columns are;
- the complaint desk (decision 0046: assign, internal notes, the principal's sign-off, closing), 我的反映
  and 忘记密码 (decision 0048), the gate list (离校登记) and the applications list with a search typed in,
  and the 404 and 403 pages and the page of a replaced QR code (decision 0047).
Pages are reached from the home page and its menu as a person would; only the error pages are typed.
"""

import time
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from jianfu.accounts.rules import totp
from tests.browser.conftest import PHONE, school_afternoon, shot

WIDE = {"width": 1366, "height": 900}
PASSWORD = "jianfu2026"  # the demo's (README)
PARENT, PRINCIPAL, ACADEMIC, HEAD_TEACHER, BUREAU = (
    "13800000051",
    "13800000011",
    "13800000012",
    "13800000041",
    "13800000001",
)
COMPLAINT = "五年级(1)班这周数学作业每天都写到九点半以后，孩子睡得很晚，希望学校核实。"
NOTE = "已向数学组了解：本周两次单元练习叠加。"
ANSWER = "经核实，本周数学作业超出学校统筹安排，已要求任课教师调整，下周起每天书面作业不超过60分钟。"
CLOSING = "已与数学组落实调整，下周由教导处抽查。"


def _refused(request):
    raise PermissionDenied


# The site's addresses plus one that refuses. No page answers a typed address with the 403 page today
# (a page that is not yours answers 404, decision 0036), so the project's handler403 is reached here
# the way Django reaches it: a view raising PermissionDenied.
urlpatterns = [path("refused/", _refused), *site_urlpatterns]
handler403 = "jianfu.core.views.forbidden"
handler404 = "jianfu.core.views.not_found"


# --- helpers ---------------------------------------------------------------------------------------


def _sign_in(page, base, phone, *, two_step=False):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=phone]", phone)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    if two_step:
        page.wait_for_url(f"{base}/accounts/login/step/")
        # The demo's published secret (README), at the server's clock (moved to the afternoon); wait
        # out the end of a step so the code stays good.
        from django.utils import timezone

        while totp.STEP_SECONDS - timezone.now().timestamp() % totp.STEP_SECONDS < 3:
            time.sleep(0.5)
        step = totp.step_of(timezone.now().timestamp())
        page.fill("input[name=code]", totp.code_at(totp.DEMO_SECRET, step))
        page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/core/")


def _no_sideways_scroll(page, where):
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, (where, width, inner)


def _under_three_screens(page, where):
    height, inner = page.evaluate("[document.documentElement.scrollHeight, window.innerHeight]")
    assert height <= 3 * inner, (where, height, inner)


def _check_menu(page, who, *, screenshot=False):
    """The menu at the page's current width: folded on a phone and opened in full, a line of links on a
    wide screen; every entry visible, on a phone at least 44 px high and inside the screen. With
    `screenshot`, docs/screenshots/menu-<who>-{phone,desktop}.png (the top of the page)."""
    toggle = page.locator("header details.menu-toggle > summary")
    links = page.locator("header nav.nav a")
    n = links.count()
    assert n >= 2, who
    width = page.viewport_size["width"]
    if width <= 600:
        assert toggle.is_visible(), who
        assert toggle.inner_text().strip() == "菜单", who
        assert toggle.bounding_box()["height"] >= 44, who
        assert not links.first.is_visible(), f"{who}: the menu is open before it is asked for"
        # Folded, the bar is one line of 44 px taps: it pushes the page down by no more than that.
        assert page.locator("header.topbar").bounding_box()["height"] <= 64, who
        toggle.click()
        assert page.locator("header details.menu-toggle").get_attribute("open") is not None, who
        for i in range(n):
            link = links.nth(i)
            assert link.is_visible(), (who, link.inner_text())
            box = link.bounding_box()
            assert box["height"] >= 44, (who, link.inner_text(), box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (who, link.inner_text(), box)
            # Shown in full: the label is not cut off inside its box.
            assert link.evaluate("a => a.scrollWidth <= a.clientWidth"), (who, link.inner_text())
        # The other taps of the bar: the name (to change the password), 退出 and the language switch.
        for other in ("header .logout .who", "header .logout button", "header .lang-switch button"):
            assert page.locator(other).bounding_box()["height"] >= 44, (who, other)
        _no_sideways_scroll(page, f"{who}: menu open")
        if screenshot:
            shot(page, f"menu-{who}-phone", full_page=False)
        toggle.click()
        assert not links.first.is_visible(), who
    else:
        assert not toggle.is_visible(), who
        for i in range(n):
            assert links.nth(i).is_visible(), (who, links.nth(i).inner_text())
        if screenshot:
            shot(page, f"menu-{who}-desktop", full_page=False)
    _no_sideways_scroll(page, f"{who}: menu")


def _menu(page, label):
    """Follow a menu entry as a person does: on a phone, open the menu first."""
    toggle = page.locator("header details.menu-toggle > summary")
    if toggle.is_visible() and page.locator("header details.menu-toggle[open]").count() == 0:
        toggle.click()
    page.locator("header nav.nav a", has_text=label).first.click()
    page.wait_for_load_state()


def _wide(page):
    page.set_viewport_size(WIDE)
    page.reload()


def _phone(page):
    page.set_viewport_size(PHONE)


def _tables_fit(page, where):
    """At 1366 px no table scrolls sideways, inside its box or with the page (I5)."""
    _no_sideways_scroll(page, where)
    wraps = page.locator(".table-wrap")
    for i in range(wraps.count()):
        sizes = wraps.nth(i).evaluate("w => [w.scrollWidth, w.clientWidth]")
        assert sizes[0] <= sizes[1], (where, i, sizes)


def _wide_tables_scroll_in_their_box(page, where):
    """On a phone: a table wider than the screen scrolls in its own box, never the page, and the box
    shows the hint (its edge shadows are background gradients). Returns how many boxes scroll."""
    _no_sideways_scroll(page, where)
    scrolling = 0
    wraps = page.locator(".table-wrap")
    for i in range(wraps.count()):
        wrap = wraps.nth(i)
        scroll_width, client_width, background = wrap.evaluate(
            "w => [w.scrollWidth, w.clientWidth, getComputedStyle(w).backgroundImage]"
        )
        if scroll_width > client_width:
            scrolling += 1
            assert background.count("gradient") == 4, (where, i, background)
            assert wrap.bounding_box()["width"] <= PHONE["width"], (where, i)
    return scrolling


# --- the journey -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_issue15_pages_and_the_menu_on_a_phone_and_a_wide_screen(live_server, open_page, settings):
    from jianfu.demo.loader import load_demo

    settings.ROOT_URLCONF = __name__
    base = live_server.url
    with school_afternoon():
        load_demo()
        old_token = _setup_signoff_and_a_replaced_link()

        # 1. A parent files a complaint from the menu (反映问题) on a phone.
        parent = open_page(PHONE)
        _sign_in(parent, base, PARENT)
        _check_menu(parent, "parent")
        _menu(parent, "反映问题")
        parent.select_option("select[name=category]", "homework")
        parent.fill("textarea[name=text]", COMPLAINT)
        parent.click("main button[type=submit]")
        code = parent.locator("#receipt-code").inner_text().strip()
        _release(code)

        # 2. The academic office's desk: takes it on, assigns it to itself, notes what it found and
        #    answers; the school requires the principal's sign-off, so the answer waits for it.
        office = open_page(PHONE)
        _sign_in(office, base, ACADEMIC)
        _check_menu(office, "academic", screenshot=True)
        _wide(office)
        _check_menu(office, "academic", screenshot=True)
        _phone(office)
        _menu(office, "家长反映")
        office.locator("main table a").first.click()
        office.wait_for_selector("#complaint-text")
        office.click("form:has(input[name=action][value=acknowledge]) button")
        office.wait_for_selector("#answer")
        office.click("#assign-form button")
        office.locator("#assignee .badge").wait_for()  # 指派给我
        office.fill("#note-text", NOTE)
        office.click("#notes button")
        office.locator("#notes .note", has_text=NOTE).wait_for()
        office.fill("#answer", ANSWER)
        office.click("#send-answer")
        office.locator("#draft-answer", has_text="待校长审签").wait_for()
        _no_sideways_scroll(office, "desk: academic")

        # 3. The principal opens the same complaint from the menu: the assignee, the internal note and
        #    the draft to sign off, then approves it; the answer goes out. Screenshots of the desk.
        principal = open_page(PHONE)
        _sign_in(principal, base, PRINCIPAL)
        _check_menu(principal, "principal")
        _menu(principal, "家长反映")
        principal.locator("main table a").first.click()
        principal.wait_for_selector("#signoff-form")
        desk = principal.locator("main").inner_text()
        assert NOTE in desk and ANSWER in desk and "未指派" not in desk
        assert principal.locator("#sent-answer").count() == 0  # the family reads nothing yet
        _no_sideways_scroll(principal, "desk: principal, phone")
        shot(principal, "complaint-desk-phone")
        _wide(principal)
        _tables_fit(principal, "desk: principal, wide")
        shot(principal, "complaint-desk-desktop")
        principal.click("#signoff-approve")
        principal.wait_for_selector("#sent-answer")
        assert ANSWER in principal.locator("#sent-answer").inner_text()
        # ... and closes it (办结): the closing note is for the family too.
        principal.fill("#closing-note", CLOSING)
        principal.click("#close-form button")
        principal.wait_for_selector("#closing")
        assert principal.locator("#close-form").count() == 0

        # 4. 我的反映: the parent reads the answer and the closing note, not who handled it.
        _menu(parent, "我的反映")
        card = parent.locator("section.complaint").first
        text = card.inner_text()
        assert "已办结" in text or "办结说明" in text
        assert ANSWER in text and CLOSING in text and NOTE not in parent.content()
        _no_sideways_scroll(parent, "mine: phone")
        _under_three_screens(parent, "mine: phone")
        shot(parent, "complaint-mine-phone")
        _wide(parent)
        _no_sideways_scroll(parent, "mine: wide")
        _check_menu(parent, "parent")
        shot(parent, "complaint-mine-desktop")
        _phone(parent)

        # 5. The gate list at 460 children: a page of rows and paging, under three phone screens; the
        #    duty teacher types a class to find its children.
        from jianfu.afterschool.allocation.views import APPLICATIONS_PAGE_SIZE
        from jianfu.afterschool.pickup.views import GATE_PAGE_SIZE

        _menu(office, "离校登记")
        office.wait_for_selector("#gate-results")
        assert office.locator(".gate-row").count() == GATE_PAGE_SIZE
        total = _count(office.locator("#gate-results p.small.muted").first.inner_text())
        assert total >= 460, total
        assert f"第 1/{-(-total // GATE_PAGE_SIZE)} 页" in office.locator("nav.pager").inner_text()
        _no_sideways_scroll(office, "gate: phone")
        _under_three_screens(office, "gate: phone")
        first_class = office.locator(".gate-row .small.muted").first.inner_text().strip()
        office.fill("#id_q", first_class)
        office.locator("#gate-results p.small.muted", has_text="找到").wait_for()
        found = _count(office.locator("#gate-results p.small.muted").first.inner_text())
        assert 0 < found < total
        assert "q=" in office.url  # the search is in the address: back and reload keep it
        rows = office.locator(".gate-row .small.muted")
        assert rows.count() == min(found, GATE_PAGE_SIZE)
        assert all(first_class in rows.nth(i).inner_text() for i in range(rows.count()))
        _no_sideways_scroll(office, "gate searched: phone")
        _under_three_screens(office, "gate searched: phone")
        shot(office, "gate-list-phone")
        _wide(office)
        assert office.locator("#id_q").input_value() == first_class
        _no_sideways_scroll(office, "gate searched: wide")
        shot(office, "gate-list-desktop")
        _phone(office)

        # 6. The applications list, from 课后服务 → the programme → 报名与困难家庭核实, searched by class.
        _menu(office, "课后服务")
        office.locator("#programmes a").first.click()
        office.click("a:has-text('报名与困难家庭核实')")
        office.wait_for_selector("#applications")
        all_rows = _count(office.locator("#applications-results p.small.muted").first.inner_text())
        assert all_rows >= 460 and office.locator("#applications tbody tr").count() == APPLICATIONS_PAGE_SIZE
        _under_three_screens(office, "applications: phone")
        a_class = office.locator("#applications tbody tr td:nth-child(2)").first.inner_text().strip()
        office.fill("#id_q", a_class)
        office.locator("#applications-results p.small.muted", has_text="清除筛选").wait_for()
        found = _count(office.locator("#applications-results p.small.muted").first.inner_text())
        assert 0 < found < all_rows
        cells = office.locator("#applications tbody tr td:nth-child(2)")
        assert cells.count() == min(found, APPLICATIONS_PAGE_SIZE)
        assert all(cells.nth(i).inner_text().strip() == a_class for i in range(cells.count()))
        scrolling = _wide_tables_scroll_in_their_box(office, "applications searched: phone")
        _under_three_screens(office, "applications searched: phone")
        shot(office, "applications-list-phone")
        _wide(office)
        assert office.locator("#id_q").input_value() == a_class
        _tables_fit(office, "applications searched: wide")
        shot(office, "applications-list-desktop")
        _phone(office)

        # 7. I5: the figures pages — the school's for the office, the district's for the bureau.
        _menu(office, "课后服务统计")
        office.wait_for_selector("main table")
        scrolling += _wide_tables_scroll_in_their_box(office, "school figures: phone")
        _wide(office)
        _tables_fit(office, "school figures: wide")
        bureau = open_page(PHONE)
        _sign_in(bureau, base, BUREAU, two_step=True)
        _check_menu(bureau, "bureau")
        _menu(bureau, "课后服务统计")
        bureau.wait_for_selector("#district-table")
        scrolling += _wide_tables_scroll_in_their_box(bureau, "district figures: phone")
        shot(bureau, "figures-district-phone")  # the table's shadow: more columns to the right
        _wide(bureau)
        _check_menu(bureau, "bureau")
        _tables_fit(bureau, "district figures: wide")
        shot(bureau, "figures-district-desktop")
        assert scrolling >= 1, "no table was wider than a phone: the hint was never checked"

        # 8. 忘记密码, from the sign-in page a person reaches by opening the site.
        visitor = open_page(PHONE)
        visitor.goto(f"{base}/")
        visitor.click("a:has-text('忘记密码')")
        visitor.wait_for_url(f"{base}/accounts/password/forgot/")
        assert visitor.locator("input[name=phone]").is_visible()
        assert "学校和教育局工作人员请联系本单位管理员" in visitor.locator("main").inner_text()
        assert visitor.locator("main button[type=submit]").bounding_box()["height"] >= 40
        _no_sideways_scroll(visitor, "password reset: phone")
        _under_three_screens(visitor, "password reset: phone")
        shot(visitor, "password-reset-phone")
        _wide(visitor)
        _no_sideways_scroll(visitor, "password reset: wide")
        shot(visitor, "password-reset-desktop")

        # 9. The error pages, typed: an unknown address and a refused one for the signed-in parent, and
        #    an old QR code scanned by anyone.
        for name, url, status, heading in (
            ("error-404", "/no-such-page/", 404, "找不到这个页面"),
            ("error-403", "/refused/", 403, "你的账号没有权限打开这个页面"),
        ):
            response = parent.goto(f"{base}{url}")
            assert response.status == status, name
            assert parent.locator("main h1").inner_text() == heading
            # Where to go: back home, where the menu is.
            assert parent.locator("main a[href='/core/']").is_visible(), name
            _no_sideways_scroll(parent, f"{name}: phone")
            _under_three_screens(parent, f"{name}: phone")
            shot(parent, f"{name}-phone")
            _wide(parent)
            _check_menu(parent, "parent")
            shot(parent, f"{name}-desktop")
            _phone(parent)
        response = visitor.goto(f"{base}/p/{old_token}/")
        assert response.status == 404
        assert visitor.locator("main h1").inner_text() == "此链接已更换，请向班主任索取新的二维码"
        shot(visitor, "link-replaced-desktop")
        _phone(visitor)
        visitor.reload()
        _no_sideways_scroll(visitor, "link replaced: phone")
        assert visitor.evaluate("document.documentElement.scrollHeight") <= PHONE["height"]  # one screen
        shot(visitor, "link-replaced-phone")


def _setup_signoff_and_a_replaced_link():
    """The demo school asks for the principal's sign-off on answers (decision 0046), and the demo
    class's head teacher replaced the class page's address once (decision 0047): its old token."""
    from django.utils import timezone

    from jianfu.accounts.models import User
    from jianfu.homework.publication.services import publication_ensure, publication_revoke
    from jianfu.policies.selectors import profile_cache_generation_bump, profile_memo_clear
    from jianfu.policies.services import profile_override_set
    from jianfu.schools.models import SchoolClass

    principal = User.objects.get(phone=PRINCIPAL)
    head = User.objects.get(phone=HEAD_TEACHER)
    school_class = SchoolClass.objects.get(head_teacher__user=head)
    profile_override_set(
        actor=principal,
        region=None,
        school=school_class.school,
        key="settings.complaint_answer_signoff",
        value=True,
        effective_from=min(date(2026, 9, 1), timezone.localdate()),
        reason="本校答复须经校长审签",
    )
    profile_cache_generation_bump()
    profile_memo_clear()
    old_token = publication_ensure(actor=head, school_class=school_class).token
    publication_revoke(actor=head, school_class=school_class)
    return old_token


def _release(code):
    """As if the next working morning's release had come (decision 0032)."""
    from jianfu.cases.models import Complaint
    from jianfu.cases.tests.helpers import release

    release(Complaint.objects.get(receipt_code=code))


def _count(text):
    """The total a list states ("今天共 462 名", "找到 46 名（今天共 462 名）", "共 463 份报名"): the
    number of the clause a person reads first."""
    import re

    return int(re.search(r"\d+", text).group())
