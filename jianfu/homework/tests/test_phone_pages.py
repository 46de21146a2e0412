"""Staff pages on phones (issue 15; product review I1–I3, A5): the post page's live check and sticky
summary, and the class-week grid's short subject names and legend. The browser checks of widths and
positions are in tests/browser/test_phone_pages.py."""

import re
from datetime import date

import pytest

from jianfu.homework.services import Draft, homework_create

pytestmark = pytest.mark.django_db
MON = date(2026, 11, 23)


@pytest.fixture
def posted(world, autumn_term):
    return homework_create(
        actor=world.users["teacher"],
        class_ids=[world.class_5_1.pk],
        date_set=MON,
        date_due=MON,
        draft=Draft(subject="math", minutes=30),
        description="练习册第35页",
    )


def test_the_live_check_hangs_on_a_wrapper_and_fires_on_the_minutes(client, world, posted):
    client.force_login(world.users["teacher"])
    html = client.get("/homework/post/").content.decode()
    # htmx validates a form before sending it, so the trigger must not sit on the form itself (I2).
    form_tag = re.search(r"<form[^>]*id=\"post-form\"[^>]*>", html)
    assert form_tag and "hx-post" not in form_tag.group(0)
    live = re.search(r"<div id=\"post-live\"[^>]*>", html)
    assert live is not None
    assert 'hx-include="#post-form"' in live.group(0)
    assert "input changed delay:300ms from:#minutes" in live.group(0)
    # The summary that stays in view on a phone is inside the form, above the fields.
    assert html.index('id="load-summary"') < html.index('id="minutes"')


def test_the_preview_answers_with_minutes_alone_and_updates_the_summary(client, world, posted):
    client.force_login(world.users["teacher"])
    r = client.post(
        "/homework/post/preview/",
        {
            "assignment": f"{world.class_5_1.pk}:math",
            "date_set": str(MON),
            "kind": "written",
            "where": "home",
            "tier": "required",
            "minutes": "40",
            "description": "",  # not typed yet
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    summary = html[html.index('id="load-summary"') :]
    assert 'hx-swap-oob="true"' in html
    # Posted 30 + this 40 = 70 written minutes against grade 5's 60 (dr_opinion_2021 §5).
    assert "<strong>70</strong> / 60" in summary and "超出" in summary
