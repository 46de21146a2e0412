"""The allocation run through the database: capacity, ranks, tiers (verified hardship only,
lost out last round), same seed → same rows, re-run before publication, locked after, families told."""

import hashlib
import re
from datetime import date

import pytest

from jianfu.accounts.tasks import MemorySmsBackend
from jianfu.afterschool.allocation.services import AllocationError, allocation_publish, allocation_run
from jianfu.afterschool.family.services import hardship_verify
from jianfu.afterschool.models import AllocationRun, Enrolment, FamilyNotice, ProgrammeStatus
from jianfu.afterschool.tests.alloc_fixtures import apply, child, close, course, open_choosing, programme
from jianfu.afterschool.tests.conftest import assert_says, course_at
from jianfu.core.actors import SystemActor
from jianfu.core.models import AuditEvent
from jianfu.schools.calendar.services import term_create

pytestmark = pytest.mark.django_db
WEIGHTS = {"hardship": 4, "both_parents_working": 2, "lost_out_last_round": 1}
FIRST_IN_LINE = re.compile(r"第\s*1\s*位")  # waiting-list position 1
SIGNED = re.compile(r"^【[^】]+】")  # an SMS opens with the sender's signature


def rows(p):
    """Every enrolment as (course, child, status, rank, waiting position), sorted."""
    return sorted(
        (e.course.name, e.student.name, e.status, e.rank, e.waitlist_position)
        for e in Enrolment.objects.filter(programme=p).select_related("course", "student")
    )


def lottery(seed, ids):
    # decision 0011: within a tier, children choose in the order of sha256("seed:child id").
    return sorted(ids, key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())


@pytest.fixture
def spring(world):
    return term_create(
        actor=SystemActor("test-setup"),
        school=world.school,
        school_year="2025-2026",
        kind="spring",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 7, 10),
    )


def test_tiers_capacity_and_ranks_by_hand(world, autumn_term, spring):
    office = world.users["academic"]
    kids = {n: child(world, name=n) for n in ("安安", "贝贝", "晨晨", "丁丁", "恩恩", "果果", "花花")}
    # Last round (spring): one place in 书法; 恩恩 declared both parents working (weight 1) and got it,
    # 晨晨 and 丁丁 got none of their choices; 花花 asked for the basic part only.
    last = programme(world, spring, priority_rules={"both_parents_working": 1}, name="2026年春季课后服务")
    calligraphy = course(world, last, "书法", 1, category="art")
    open_choosing(world, last)
    apply(*kids["恩恩"], last, [calligraphy], both_parents_working=True)
    apply(*kids["晨晨"], last, [calligraphy])
    apply(*kids["丁丁"], last, [calligraphy])
    apply(*kids["花花"], last, [])
    close(world, last)
    allocation_run(actor=office, programme_id=last.pk, seed=7)
    allocation_publish(actor=office, programme_id=last.pk)

    p = programme(world, autumn_term, priority_rules=WEIGHTS)
    football, choir, go = (
        course(world, p, "足球", 2),
        course(world, p, "合唱", 2),
        course(world, p, "围棋", 5),
    )
    open_choosing(world, p)
    a = apply(
        *kids["安安"],
        p,
        [football, choir],
        both_parents_working=True,
        hardship_claimed=True,
        hardship_category="hardship",
    )
    apply(
        *kids["贝贝"],
        p,
        [football, choir],
        both_parents_working=True,
        hardship_claimed=True,
        hardship_category="hardship",
    )
    apply(*kids["晨晨"], p, [football, choir, go], both_parents_working=True)
    apply(*kids["丁丁"], p, [choir, football])
    apply(*kids["恩恩"], p, [choir, go])
    g = apply(*kids["果果"], p, [football], hardship_claimed=True, hardship_category="hardship")
    apply(*kids["花花"], p, [])
    hardship_verify(actor=office, programme_id=p.pk, application_id=a.pk, verified=True)
    hardship_verify(actor=office, programme_id=p.pk, application_id=g.pk, verified=True)
    # 贝贝's claim is never verified, so it weighs nothing.
    close(world, p)
    run = allocation_run(actor=office, programme_id=p.pk, seed=1)
    # Tiers: 安安 4+2 = 6; 果果 4; 晨晨 2+1 (lost out) = 3; 贝贝 2 (unverified hardship); 丁丁 1 (lost
    # out); 恩恩 0 (got 书法 last time); 花花 0 with no courses. Every tier differs, so the lottery
    # does not matter. In that order: 安安 足球(1); 果果 足球(1), now full; 晨晨 waits for 足球, takes
    # 合唱(2); 贝贝 waits for 足球, takes 合唱(2), now full; 丁丁 waits for 合唱 and 足球, gets nothing;
    # 恩恩 waits for 合唱, takes 围棋(2).
    assert rows(p) == sorted(
        [
            ("足球", "安安", "placed", 1, None),
            ("足球", "果果", "placed", 1, None),
            ("合唱", "晨晨", "placed", 2, None),
            ("合唱", "贝贝", "placed", 2, None),
            ("围棋", "恩恩", "placed", 2, None),
            ("足球", "晨晨", "waitlisted", 1, 1),
            ("足球", "贝贝", "waitlisted", 1, 2),
            ("足球", "丁丁", "waitlisted", 2, 3),
            ("合唱", "丁丁", "waitlisted", 1, 1),
            ("合唱", "恩恩", "waitlisted", 1, 2),
        ]
    )
    # 7 opted in, 6 ranked a course, 5 placed; first choice 2 of 6, top three 5 of 6.
    assert {k: run.stats[k] for k in ("applicants", "ranked", "placed", "first_choice", "top3")} == {
        "applicants": 7,
        "ranked": 6,
        "placed": 5,
        "first_choice": 2,
        "top3": 5,
    }
    assert (run.stats["first_choice_share"], run.stats["top3_share"]) == (0.3333, 0.8333)
    flags = {app.student.name: sorted(app.priority_flags) for app in p.applications.select_related("student")}
    assert flags == {
        "安安": ["both_parents_working", "hardship"],
        "贝贝": ["both_parents_working"],
        "晨晨": ["both_parents_working", "lost_out_last_round"],
        "丁丁": ["lost_out_last_round"],
        "恩恩": [],
        "果果": ["hardship"],
        "花花": [],  # asked for no course last time: nothing to lose
    }
    assert run.priority_rules == WEIGHTS and run.seed == 1
    # Voluntary: a child nobody opted in has no place and no waiting-list row.
    assert not Enrolment.objects.filter(student=world.student).exists()


@pytest.fixture
def race(world, autumn_term):
    """Six children of equal tier want the two places of 足球; 合唱 is their second choice."""
    p = programme(world, autumn_term)
    football, choir = course(world, p, "足球", 2), course(world, p, "合唱", 10, category="art")
    open_choosing(world, p)
    kids = [child(world) for _ in range(6)]
    for parent, kid in kids:
        apply(parent, kid, p, [football, choir])
    close(world, p)
    return p, [k for _, k in kids]


def test_the_same_seed_gives_the_same_rows_and_the_lottery_decides(world, race):
    p, kids = race
    office = world.users["academic"]
    allocation_run(actor=office, programme_id=p.pk, seed=20260905)
    first = rows(p)
    allocation_run(actor=office, programme_id=p.pk, seed=20260905)
    assert rows(p) == first
    winners = set(lottery(20260905, [k.pk for k in kids])[:2])
    placed_football = set(
        Enrolment.objects.filter(programme=p, course__name="足球", status="placed").values_list(
            "student_id", flat=True
        )
    )
    assert placed_football == winners
    # The four others: 合唱 (rank 2), and the 足球 waiting list in lottery order.
    waiting = list(
        Enrolment.objects.filter(programme=p, course__name="足球", status="waitlisted")
        .order_by("waitlist_position")
        .values_list("student_id", flat=True)
    )
    assert waiting == lottery(20260905, [k.pk for k in kids])[2:]


def test_rerun_before_publication_replaces_and_is_audited(world, race):
    p, _ = race
    office = world.users["academic"]
    one = allocation_run(actor=office, programme_id=p.pk, seed=1)
    two = allocation_run(actor=office, programme_id=p.pk, seed=2)
    assert set(Enrolment.objects.filter(programme=p).values_list("run_id", flat=True)) == {two.pk}
    assert Enrolment.objects.filter(programme=p).count() == 6 + 4  # 6 places (2 + 4) and 4 waiting
    assert list(p.runs.order_by("pk").values_list("seed", flat=True)) == [1, 2]  # both runs stay on record
    event = AuditEvent.objects.filter(action="afterschool_allocation_run").order_by("-pk").first()
    assert event.data["seed"] == 2 and event.data["replaces_run"] == one.pk


def test_a_random_seed_is_drawn_and_kept(world, race):
    p, _ = race
    run = allocation_run(actor=world.users["academic"], programme_id=p.pk)
    assert 0 < run.seed <= 2**63 - 1
    assert AllocationRun.objects.get(pk=run.pk).seed == run.seed


def test_not_before_the_window_closes(world, autumn_term):
    p = programme(world, autumn_term)
    course(world, p, "足球", 2)
    open_choosing(world, p)
    from jianfu.afterschool.tests.alloc_fixtures import DURING

    with pytest.raises(AllocationError) as exc:
        allocation_run(actor=world.users["academic"], programme_id=p.pk, seed=1, now=DURING)
    assert exc.value.code == "afterschool_window_open"


def test_bad_seed_and_other_actors(world, race):
    from jianfu.core.errors import NotFound, PermissionDenied

    p, _ = race
    with pytest.raises(AllocationError) as exc:
        allocation_run(actor=world.users["academic"], programme_id=p.pk, seed=-1)
    assert exc.value.field == "seed"
    with pytest.raises(PermissionDenied):
        allocation_run(actor=world.users["teacher"], programme_id=p.pk, seed=1)
    with pytest.raises(NotFound):
        allocation_run(actor=world.users["parent"], programme_id=p.pk, seed=1)


@pytest.mark.django_db(transaction=True)
def test_publishing_locks_and_tells_every_family(world, autumn_term, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    p = programme(world, autumn_term)
    football = course(world, p, "足球", 1, room="操场")
    open_choosing(world, p)
    win_parent, win = child(world, name="王小一")
    lose_parent, lose = child(world, name="李小二")
    apply(win_parent, win, p, [football], both_parents_working=True)  # tier 1 beats tier 0
    apply(lose_parent, lose, p, [football])
    close(world, p)
    office = world.users["academic"]
    allocation_run(actor=office, programme_id=p.pk, seed=3)
    assert (
        FamilyNotice.objects.count() == 0 and MemorySmsBackend.outbox == []
    )  # nobody told before publication
    run = allocation_publish(actor=office, programme_id=p.pk)
    p.refresh_from_db()
    assert p.status == ProgrammeStatus.PUBLISHED and run.published_at is not None
    texts = {n.user_id: n.text for n in FamilyNotice.objects.all()}
    assert set(texts) == {win_parent.pk, lose_parent.pk}
    # 王小一 has the one place in 足球 (Mon/Wed, the course part 16:50–17:50, 操场); 李小二 waits first
    # in line for it and keeps the basic part.
    placed = ("录取", course_at("足球"))
    waiting = ("足球", "候补", FIRST_IN_LINE, "基础托管")
    assert_says(texts[win_parent.pk], "王小一", *placed, never=("候补",))
    assert_says(texts[lose_parent.pk], "李小二", *waiting, never=("录取",))
    # The SMS went after commit, to the roster phone, signed, with the child's name masked.
    sms = dict(MemorySmsBackend.outbox)
    assert len(MemorySmsBackend.outbox) == 2 and set(sms) == {win_parent.phone, lose_parent.phone}
    assert_says(sms[win_parent.phone], SIGNED, "王*一", *placed, never=("王小一", "候补"))
    assert_says(sms[lose_parent.phone], SIGNED, "李*二", *waiting, never=("李小二", "录取"))
    with pytest.raises(AllocationError) as exc:
        allocation_run(actor=office, programme_id=p.pk, seed=4)
    assert exc.value.code == "afterschool_allocation_locked"
    assert Enrolment.objects.get(student=win).status == "placed"
