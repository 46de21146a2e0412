"""Issue 12, "Every kind of homework is visible and bounded" (product review A1, A4–A6): the class-day
carries the total of all kinds; a local total refuses; heavy non-written work warns; the public page,
the print sheet and the class grid show the full total with the written part counted against the cap."""

import re
from datetime import date

import pytest

from conftest import PERSONAS, api
from jianfu.homework.days.selectors import Draft
from jianfu.homework.errors import HomeworkError
from jianfu.homework.exceptions.services import exception_approve
from jianfu.homework.models import ClassDayLoad, Status
from jianfu.homework.posting.services import homework_create, homework_withdraw, post_warnings
from jianfu.homework.publication.services import day_publish, publication_ensure
from jianfu.homework.selectors import day_totals_for_class
from jianfu.homework.tests.conftest import MON
from jianfu.policies.services import PolicyError, profile_override_set

pytestmark = pytest.mark.django_db


def post(world, minutes, kind="written", text="练习册第35页", where="home", **kw):
    return homework_create(
        actor=world.users["teacher"],
        class_ids=[world.class_5_1.pk],
        date_set=MON,
        date_due=MON,
        draft=Draft(subject="math", minutes=minutes, kind=kind, where=where),
        description=text,
        **kw,
    )


def local_total(world, primary=90, junior=120):
    for key, value in (
        ("settings.homework_all_kinds_daily_max_primary", primary),
        ("settings.homework_all_kinds_daily_max_junior", junior),
    ):
        profile_override_set(
            actor=world.users["bureau"],
            region=world.district,
            key=key,
            value=value,
            effective_from=date(2026, 9, 1),
            reason="区减负实施方案",
        )


def test_the_review_case_oral_60_on_top_of_written_55_is_counted_and_warned(world, autumn_term):
    post(world, 55)
    [oral] = post(world, 60, kind="oral", text="背诵乘法口诀")
    load = ClassDayLoad.objects.get(school_class=world.class_5_1, date=MON)
    # Written 55 against the cap of 60; every kind 55 + 60 = 115; non-written 60.
    assert (load.counted_minutes, load.all_kinds_minutes, load.non_written_minutes) == (55, 115, 60)
    # No national total: accepted, but 60 > the default warning line of 30 minutes.
    assert oral.status == Status.ACTIVE and load.all_kinds_cap is None
    [warning] = post_warnings([oral])
    assert "非书面家庭作业共60分钟" in warning and "30分钟" in warning
    assert day_totals_for_class(world.class_5_1.pk, MON) == {
        "written": 55,
        "all_kinds": 115,
        "non_written": 60,
        "cap": 60,
        "all_kinds_cap": None,
        "exception_minutes": 0,
        "published": False,
    }


def test_work_done_at_school_is_not_evening_time(world, autumn_term):
    post(world, 20, kind="practical", where="in_class")
    load = ClassDayLoad.objects.get(school_class=world.class_5_1, date=MON)
    assert (load.all_kinds_minutes, load.by_subject_kinds) == (
        0,
        {"math": {"written": 0, "other": 0, "school": 20}},
    )


def test_the_local_total_refuses_unless_an_exception_is_approved(world, autumn_term):
    local_total(world)
    post(world, 55)
    # 55 + 40 = 95 > the district's 90 for primary (the written part stays 55 ≤ 60).
    with pytest.raises(HomeworkError) as exc:
        post(world, 40, kind="reading", text="阅读绘本")
    assert exc.value.code == "all_kinds_cap_exceeded" and "95" in exc.value.message_zh
    assert "90" in exc.value.message_zh
    post(world, 35, kind="reading", text="阅读绘本")  # 90: at the local total
    [pending] = post(world, 1, kind="oral", text="读一遍", exception_reason="朗诵比赛前")
    assert pending.status == Status.PENDING
    exception = exception_approve(actor=world.users["head_teacher"], item_id=pending.pk, reason="比赛")
    assert (exception.extra_minutes, exception.extra_all_kinds_minutes) == (0, 1)


def test_a_district_total_can_only_be_tightened_below_it(world, autumn_term):
    local_total(world)
    with pytest.raises(PolicyError):
        profile_override_set(
            actor=world.users["principal"],
            school=world.school,
            key="settings.homework_all_kinds_daily_max_primary",
            value=100,
            effective_from=date(2026, 9, 1),
            reason="本校放宽",
        )


def test_public_page_shows_every_kind_with_the_written_part_against_the_cap(client, world, autumn_term):
    post(world, 55)
    post(world, 60, kind="oral", text="背诵乘法口诀")
    pub = publication_ensure(actor=world.users["head_teacher"], school_class=world.class_5_1)
    day_publish(actor=world.users["head_teacher"], school_class=world.class_5_1, on=MON)
    html = client.get(f"/p/{pub.token}/").content.decode()
    assert "背诵乘法口诀" in html
    assert "全部作业合计约 115 分钟，其中书面作业合计约 55 分钟（计入每天 60 分钟的上限）" in html


def test_print_sheet_asks_families_for_nothing_and_speaks_chinese(client, world, autumn_term):
    post(world, 55)
    post(world, 60, kind="oral", text="背诵乘法口诀")
    pub = publication_ensure(actor=world.users["head_teacher"], school_class=world.class_5_1)
    day_publish(actor=world.users["head_teacher"], school_class=world.class_5_1, on=MON)
    html = client.get(f"/p/{pub.token}/print/").content.decode()
    assert "签字" not in html
    for english in ("Mon", "Tue", "Wed", "Thu", "Fri"):
        assert not re.search(rf"\b{english}\b", html)
    assert all(day in html for day in ("周一", "周二", "周三", "周四", "周五"))
    assert "全部作业合计约 115 分钟，其中书面作业 55 分钟" in html


def test_class_grid_tells_written_from_other_kinds_and_has_a_legend(client, world, autumn_term):
    post(world, 30)
    post(world, 60, kind="oral", text="背诵乘法口诀")
    client.force_login(world.users["head_teacher"])
    html = client.get(f"/homework/class/{world.class_5_1.pk}/?week={MON}").content.decode()
    assert 'id="legend"' in html and "计入每日上限" in html
    assert '<span class="wr" title="书面（在家）">30</span>' in html and "+60非书面" in html
    assert "非书面60分钟，偏多" in html  # the head teacher is warned too
    assert ">90<" not in html  # oral and written minutes are never added into one subject figure


def test_week_api_carries_every_kind(client, world, autumn_term):
    post(world, 30)
    post(world, 20, kind="reading", text="阅读")
    client.force_login(world.users["head_teacher"])
    monday = next(
        d
        for d in api(client, "get", f"/api/v1/homework/classes/{world.class_5_1.pk}/week?monday={MON}").json()
        if d["date"] == str(MON)
    )
    assert (monday["counted_minutes"], monday["all_kinds_minutes"], monday["non_written_minutes"]) == (
        30,
        50,
        20,
    )


def test_withdrawal_recomputes_the_total_of_all_kinds(world, autumn_term):
    post(world, 30)
    [oral] = post(world, 20, kind="oral", text="背诵")
    homework_withdraw(actor=world.users["teacher"], item_id=oral.pk)
    load = ClassDayLoad.objects.get(school_class=world.class_5_1, date=MON)
    assert (load.all_kinds_minutes, load.non_written_minutes) == (30, 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_print_sheet_is_public_but_only_behind_the_token(client, world, autumn_term, persona):
    post(world, 30)
    pub = publication_ensure(actor=world.users["head_teacher"], school_class=world.class_5_1)
    client.force_login(world.users[persona])
    assert client.get(f"/p/{pub.token}/print/").status_code == 200
    assert client.get("/p/not-a-token/print/").status_code == 404
