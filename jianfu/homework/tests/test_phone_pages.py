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


def test_the_class_week_grid_has_short_names_kinds_apart_and_a_legend(client, world, posted):
    homework_create(
        actor=world.users["teacher"],
        class_ids=[world.class_5_1.pk],
        date_set=MON,
        date_due=MON,
        draft=Draft(subject="math", minutes=15, kind="oral"),
        description="背诵乘法口诀",
    )
    client.force_login(world.users["head_teacher"])
    html = client.get(f"/homework/class/{world.class_5_1.pk}/?week={MON}").content.decode()
    # 数 on a phone, 数学 in the title and for screen readers.
    assert '<abbr class="narrow-only" title="数学" aria-label="数学">数</abbr>' in html
    # The oral minutes stand apart from the written 30, in words on a desktop and as +15 on a phone.
    grid = html[html.index('id="heatmap"') : html.index("</table>", html.index('id="heatmap"'))]
    assert '<span class="wr" title="书面（在家）">30</span>' in grid
    assert "+15非书面" in grid and '<span class="narrow-only">+15</span>' in grid
    legend = html[html.index('id="legend"') :]
    assert "颜色表示书面作业占上限的比例" in legend and "达到或超过上限" in legend
    assert "语＝语文" in legend  # the short names explained
    # Monday to Sunday, all seven days.
    assert all(f">{d}<" in grid for d in ("周一", "周二", "周三", "周四", "周五", "周六", "周日"))
