"""Staff pages on a 375 px phone (issue 15; product review I1–I4, H3): the post page fits, its day's
total stays in view while the teacher types, the live check runs on the minutes alone, tap targets are
thumb-sized; the class-week grid shows the whole week; the policy page reads in plain words.
Screenshots: post-phone, class-week-phone, policy-desktop (JIANFU_SCREENSHOTS=1)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, build_world
from jianfu.core.actors import SystemActor
from jianfu.homework.services import Draft, homework_create
from jianfu.schools.calendar.services import term_create, term_days_rebuild
from jianfu.schools.models import CalendarEntry, SchoolDay, Subject, TeachingAssignment
from tests.browser.conftest import DESKTOP, PHONE, school_afternoon, shot, sign_in

WIDTH = PHONE["width"]


def setup_world():
    world = build_world()
    day = timezone.localdate()
    term = term_create(
        actor=SystemActor("test-setup"),
        school=world.school,
        school_year="phone",
        kind="autumn",
        start_date=day - timedelta(days=30),
        end_date=day + timedelta(days=30),
    )
    if not SchoolDay.objects.filter(term=term, date=day, day_type="school_day").exists():
        CalendarEntry.objects.create(school=world.school, date=day, kind="extra_school_day", name="补课")
        term_days_rebuild(term=term)
    math_teacher = world.users["teacher"].teacher_profiles.get()
    for subject in (Subject.CHINESE, Subject.MORALITY):
        TeachingAssignment.objects.create(teacher=math_teacher, school_class=world.class_5_1, subject=subject)
    return world, day


def short_targets(page, selector: str) -> list[str]:
    """The visible controls matched by `selector` whose box is under 44 px high."""
    return page.eval_on_selector_all(
        selector,
        """els => els.filter(e => e.offsetParent !== null)
                     .map(e => [e.id || e.name || e.textContent.trim().slice(0, 20), e.getBoundingClientRect().height])
                     .filter(([, h]) => h < 44).map(([n, h]) => n + ':' + h)""",
    )


def in_view(page, selector: str) -> bool:
    """Whether the element is inside the viewport, waiting (up to 5 s) for the page to settle after
    an htmx swap or a scroll: a one-shot read raced the swap on a busy machine."""
    try:
        page.wait_for_function(
            "s => { const e = document.querySelector(s); if (!e) return false;"
            " const r = e.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }",
            arg=selector,
            timeout=5_000,
        )
    except Exception:  # Playwright's TimeoutError: never in view
        return False
    return True


@pytest.mark.django_db(transaction=True)
def test_staff_pages_on_a_phone(live_server, open_page):
    with school_afternoon():
        _staff_pages_on_a_phone(live_server, open_page)


def _staff_pages_on_a_phone(live_server, open_page):
    world, day = setup_world()
    base = live_server.url
    c = world.class_5_1.pk
    for subject, minutes, kind, text in (
        (Subject.CHINESE, 20, "written", "课文第12课生字抄写"),
        (Subject.MORALITY, 10, "written", "道德与法治：读课本第20页"),
        (Subject.MATH, 15, "oral", "背诵乘法口诀"),
    ):
        homework_create(
            actor=world.users["teacher"],
            class_ids=[c],
            date_set=day,
            date_due=day,
            draft=Draft(subject=subject, minutes=minutes, kind=kind),
            description=text,
        )

    # The post page: no sideways scroll, a live check on the minutes alone, the total in view.
    page = open_page(PHONE)
    sign_in(page, base, world.users["teacher"].phone, PASSWORD)
    page.goto(f"{base}/homework/post/?assignment={c}:math")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    page.fill("#date_set", day.isoformat())
    page.focus("#minutes")
    with page.expect_response("**/homework/post/preview/") as preview:
        page.keyboard.type("40")
    assert preview.value.status == 200
    # 20 written Chinese + 10 written 道德与法治 + this 40 = 70 written minutes against grade 5's 60.
    expect(page.locator("#load-summary strong")).to_have_text("70")
    assert page.input_value("#description") == ""  # the check did not wait for the content
    assert in_view(page, "#load-summary")
    assert "60" in page.inner_text("#load-summary")
    page.focus("#description")  # further down the form: the summary rides along
    page.evaluate("document.querySelector('#submit-homework').scrollIntoView({block: 'end'})")
    assert in_view(page, "#load-summary")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert (
        short_targets(
            page,
            "#post-form button, #post-form select, #post-form input:not([type=hidden]):not([type=checkbox]), #post-form label:has(> input[type=checkbox])",
        )
        == []
    )
    page.focus("#minutes")
    shot(page, "post-phone", full_page=False)

    # The class week: seven days in 375 px, short names, a legend.
    head = open_page(PHONE)
    sign_in(head, base, world.users["head_teacher"].phone, PASSWORD)
    head.goto(f"{base}/homework/class/{c}/")
    assert head.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert head.eval_on_selector("#heatmap", "t => t.getBoundingClientRect().right") <= WIDTH
    assert head.eval_on_selector("#heatmap", "t => t.scrollWidth <= t.parentElement.clientWidth")
    assert head.locator("#heatmap thead th").count() == 8  # 学科 and Monday to Sunday
    morality = head.locator("#heatmap abbr[title='道德与法治']")
    assert morality.is_visible() and morality.inner_text() == "道法"
    assert head.locator("#legend").is_visible() and "语＝语文" in head.inner_text("#legend")
    shot(head, "class-week-phone")

    # The policy page on a desktop: words, with the ids behind 依据.
    bureau = open_page(DESKTOP)
    sign_in(bureau, base, world.users["bureau"].phone, PASSWORD)
    bureau.goto(f"{base}/policies/")
    text = bureau.inner_text("main")
    assert "hw_" not in text and "max_minutes" not in text and "依据" in text
    bureau.locator("details.basis summary").first.click()
    assert "settings.homework_cap_aggregation" in bureau.inner_text("main")  # the first row's
    shot(bureau, "policy-desktop", full_page=False)
