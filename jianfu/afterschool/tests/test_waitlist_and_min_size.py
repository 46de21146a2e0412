"""Waiting lists after the allocation (the promotion chain, concurrent withdrawals) and courses below
their minimum size (cancel, merge). Tiers are set so that the lottery never decides: weights
hardship 4 and both parents working 2 give tiers 6, 4, 2 and 0."""

import re

import pytest

from conftest import run_at_once
from jianfu.afterschool.allocation.selectors import courses_below_min_size
from jianfu.afterschool.allocation.services import allocation_publish, allocation_run
from jianfu.afterschool.family.services import application_withdraw, hardship_verify
from jianfu.afterschool.min_size.services import course_cancel, course_merge
from jianfu.afterschool.models import Application, Enrolment, FamilyNotice
from jianfu.afterschool.programme.services import ProgrammeError
from jianfu.afterschool.tests.alloc_fixtures import apply, child, close, course, open_choosing, programme
from jianfu.afterschool.tests.conftest import assert_says, course_at, grades
from jianfu.afterschool.waitlist.services import course_capacity_raise, course_withdraw
from jianfu.core.errors import NotFound, PermissionDenied

pytestmark = pytest.mark.django_db
WEIGHTS = {"hardship": 4, "both_parents_working": 2}


def applicant(world, p, name, courses, tier):
    parent, kid = child(world, name=name)
    app = apply(
        parent,
        kid,
        p,
        courses,
        both_parents_working=tier in (2, 6),
        hardship_claimed=tier in (4, 6),
        hardship_category="hardship" if tier in (4, 6) else "",
    )
    if tier in (4, 6):
        hardship_verify(
            actor=world.users["academic"], programme_id=p.pk, application_id=app.pk, verified=True
        )
    return parent, kid


def state(p):
    return sorted(
        (e.course.name, e.student.name, e.status, e.rank, e.waitlist_position)
        for e in Enrolment.objects.filter(programme=p, status__in=["placed", "waitlisted"]).select_related(
            "course", "student"
        )
    )


@pytest.fixture
def chain(world, autumn_term):
    p = programme(world, autumn_term, priority_rules=WEIGHTS)
    a, b, c = course(world, p, "A", 1), course(world, p, "B", 1), course(world, p, "C", 5)
    open_choosing(world, p)
    people = {
        "X": applicant(world, p, "X", [a], 6),
        "Y": applicant(world, p, "Y", [a, b], 4),
        "Z": applicant(world, p, "Z", [b, c], 2),
        "W": applicant(world, p, "W", [a, c], 0),
    }
    close(world, p)
    allocation_run(actor=world.users["academic"], programme_id=p.pk, seed=1)
    allocation_publish(actor=world.users["academic"], programme_id=p.pk)
    return p, people


def test_the_allocation_the_chain_starts_from(chain):
    p, _ = chain
    # X (6) takes A; Y (4) waits for A, takes B; Z (2) waits for B, takes C; W (0) waits for A, takes C.
    assert state(p) == sorted(
        [
            ("A", "X", "placed", 1, None),
            ("B", "Y", "placed", 2, None),
            ("C", "Z", "placed", 2, None),
            ("C", "W", "placed", 2, None),
            ("A", "Y", "waitlisted", 1, 1),
            ("A", "W", "waitlisted", 1, 2),
            ("B", "Z", "waitlisted", 1, 1),
        ]
    )


def test_a_withdrawal_promotes_down_the_chain_and_tells_the_families(world, chain):
    p, people = chain
    parent_x, x = people["X"]
    FamilyNotice.objects.all().delete()
    assert course_withdraw(actor=parent_x, programme_id=p.pk, student_id=x.pk).name == "A"
    # A frees → Y (holds B, rank 2; wants A, rank 1) moves up; B frees → Z (holds C, rank 2; wants
    # B, rank 1) moves up; C frees → nobody waits for C. W is now first for A.
    assert state(p) == sorted(
        [
            ("A", "Y", "placed", 1, None),
            ("B", "Z", "placed", 1, None),
            ("C", "W", "placed", 2, None),
            ("A", "W", "waitlisted", 1, 1),
        ]
    )
    assert Enrolment.objects.get(student=x).status == "withdrawn"
    assert set(
        Enrolment.objects.filter(programme=p, source="promotion").values_list("student__name", flat=True)
    ) == {
        "Y",
        "Z",
    }
    texts = {n.student.name: n.text for n in FamilyNotice.objects.select_related("student")}
    # X is told they left A; Y and Z each get the course they moved up to, with its schedule, and the
    # course whose place they gave up.
    assert set(texts) == {"X", "Y", "Z"}
    assert_says(texts["X"], "X", "A", "退出", never=("B", "C"))
    assert_says(texts["Y"], "Y", "递补", course_at("A"), "B", never=("C",))
    assert_says(texts["Z"], "Z", "递补", course_at("B"), "C", never=("A",))


def test_the_office_may_withdraw_a_child_and_opting_out_passes_the_place_on(world, chain):
    p, people = chain
    _, z = people["Z"]
    course_withdraw(actor=world.users["academic"], programme_id=p.pk, student_id=z.pk)
    # Z leaves C (nobody waits for C) and B's waiting list.
    assert ("B", "Z", "waitlisted", 1, 1) not in state(p) and ("C", "Z", "placed", 2, None) not in state(p)
    parent_y, y = people["Y"]
    application_withdraw(actor=parent_y, programme_id=p.pk, student_id=y.pk)
    # Y opts out altogether: B frees and nobody waits for it now; W moves up in A's list.
    assert Application.objects.get(student=y).withdrawn_at is not None
    assert state(p) == sorted(
        [("A", "X", "placed", 1, None), ("C", "W", "placed", 2, None), ("A", "W", "waitlisted", 1, 1)]
    )


def test_strangers_cannot_withdraw_a_child(world, chain):
    p, people = chain
    _, x = people["X"]
    for persona in ("parent", "teacher", "head_teacher", "outsider", "bureau"):
        with pytest.raises(NotFound):
            course_withdraw(actor=world.users[persona], programme_id=p.pk, student_id=x.pk)


@pytest.mark.django_db(transaction=True)
def test_two_withdrawals_at_once_never_exceed_capacity(world, autumn_term):
    p = programme(world, autumn_term, priority_rules=WEIGHTS)
    a = course(world, p, "A", 2)
    open_choosing(world, p)
    p1, p2 = applicant(world, p, "P1", [a], 6), applicant(world, p, "P2", [a], 6)
    for name, tier in (("Q1", 4), ("Q2", 2), ("Q3", 0)):
        applicant(world, p, name, [a], tier)
    close(world, p)
    allocation_run(actor=world.users["academic"], programme_id=p.pk, seed=1)
    leave = [
        lambda person=person: course_withdraw(actor=person[0], programme_id=p.pk, student_id=person[1].pk)
        for person in (p1, p2)
    ]
    assert run_at_once(*leave) == []
    # Two places freed: Q1 (4) and Q2 (2) take them, Q3 waits first; A holds exactly its 2.
    assert state(p) == sorted(
        [("A", "Q1", "placed", 1, None), ("A", "Q2", "placed", 1, None), ("A", "Q3", "waitlisted", 1, 1)]
    )


@pytest.fixture
def small(world, autumn_term):
    p = programme(world, autumn_term, priority_rules=WEIGHTS)
    a = course(world, p, "A", 3, min_size=3)
    b = course(world, p, "B", 2)
    c = course(world, p, "C", 1, weekdays=(2, 4))
    d = course(world, p, "D", 5)
    e = course(world, p, "E", 5, grades=(1, 2))
    open_choosing(world, p)
    people = {
        "K1": applicant(world, p, "K1", [a, b], 6),
        "K2": applicant(world, p, "K2", [a, c], 4),
        "M1": applicant(world, p, "M1", [b], 2),
        "N1": applicant(world, p, "N1", [c], 2),
        "L1": applicant(world, p, "L1", [d], 0),
    }
    close(world, p)
    allocation_run(actor=world.users["academic"], programme_id=p.pk, seed=1)
    return p, {x.name: x for x in (a, b, c, d, e)}, people


def test_courses_below_minimum_size_are_flagged(small):
    p, courses, _ = small
    p.refresh_from_db()
    # A: K1 and K2 placed, 2 < 3. B (min 0), C, D, E have no minimum in these tests.
    assert [c.name for c in courses_below_min_size(p)] == ["A"]
    run = p.runs.get()
    assert run.stats["below_min_size"] == [courses["A"].pk]


def test_cancel_places_children_in_their_next_ranked_course_with_a_place(world, small):
    p, courses, _ = small
    allocation_publish(actor=world.users["academic"], programme_id=p.pk)
    FamilyNotice.objects.all().delete()
    moved = course_cancel(actor=world.users["academic"], programme_id=p.pk, course_id=courses["A"].pk)
    # In the allocation's order: K1 (6) → B, rank 2, has 1 of 2 places taken (M1): placed.
    # K2 (4) → C, rank 2, full (N1): K2 waits for it, first in line, and keeps the basic part.
    assert [(e.course.name, e.student.name, e.source, e.rank) for e in moved] == [("B", "K1", "manual", 2)]
    assert state(p) == sorted(
        [
            ("B", "M1", "placed", 1, None),
            ("B", "K1", "placed", 2, None),
            ("C", "N1", "placed", 1, None),
            ("D", "L1", "placed", 1, None),
            ("C", "K2", "waitlisted", 2, 1),
        ]
    )
    courses["A"].refresh_from_db()
    assert courses["A"].status == "cancelled"
    texts = {n.student.name: n.text for n in FamilyNotice.objects.select_related("student")}
    # Both are told A is cancelled; K1 gets B with its schedule; K2 has no course for now, keeps the
    # basic part and moves up when a place frees.
    assert set(texts) == {"K1", "K2"}
    assert_says(texts["K1"], "A", "取消", "K1", course_at("B"), never=("C",))
    assert_says(texts["K2"], "A", "取消", "K2", "基础托管", "递补", never=("B", "16:50"))


def test_merge_moves_every_child_within_capacity_grades_and_weekday(world, small):
    p, courses, _ = small
    office = world.users["academic"]
    with pytest.raises(ProgrammeError) as exc:
        course_merge(
            actor=office, programme_id=p.pk, course_id=courses["A"].pk, into_course_id=courses["C"].pk
        )
    # C meets Tue/Thu, A Mon/Wed: the weekdays are why.
    assert (exc.value.code, exc.value.field) == ("afterschool_invalid", "into_course_id")
    assert_says(exc.value.message_zh, "星期")
    with pytest.raises(ProgrammeError) as exc:
        course_merge(
            actor=office, programme_id=p.pk, course_id=courses["A"].pk, into_course_id=courses["B"].pk
        )
    # B has M1; + K1, K2 = 3 children for B's 2 places.
    assert (exc.value.code, exc.value.field) == ("afterschool_invalid", "into_course_id")
    assert_says(exc.value.message_zh, re.compile(r"3\s*人"), "B", re.compile(r"2\s*人"))
    with pytest.raises(ProgrammeError) as exc:
        course_merge(
            actor=office, programme_id=p.pk, course_id=courses["A"].pk, into_course_id=courses["E"].pk
        )
    # K1 and K2 (grade 5) are outside E's grades 1–2: 2 children.
    assert (exc.value.code, exc.value.field) == ("afterschool_invalid", "into_course_id")
    assert_says(exc.value.message_zh, re.compile(r"2\s*名"), "E", grades(1, 2))
    into = course_merge(
        actor=office, programme_id=p.pk, course_id=courses["A"].pk, into_course_id=courses["D"].pk
    )
    # D: L1 + K1 + K2 = 3 of 5 places. Neither ranked D, so their rank there is empty.
    assert sorted(
        (e.student.name, e.source, e.rank)
        for e in into.enrolments.filter(status="placed").select_related("student")
    ) == [("K1", "merge", None), ("K2", "merge", None), ("L1", "allocation", 1)]
    courses["A"].refresh_from_db()
    assert (courses["A"].status, courses["A"].merged_into_id) == ("merged", into.pk)
    # Before publication nobody is told yet; the publication's notice carries the final result.
    assert not FamilyNotice.objects.exists()
    allocation_publish(actor=office, programme_id=p.pk)
    k1 = FamilyNotice.objects.get(student__name="K1")
    assert_says(k1.text, "K1", "录取", course_at("D"), never=("候补",))


def test_more_places_after_the_allocation_move_the_waiting_list_up_the_chain(world, chain):
    p, _ = chain
    a = p.courses.get(name="A")
    FamilyNotice.objects.all().delete()
    notices = course_capacity_raise(
        actor=world.users["academic"], programme_id=p.pk, course_id=a.pk, capacity=2
    )
    # A's second place goes to Y (first in A's list), who leaves B; B's place goes to Z, who leaves C;
    # nobody waits for C. W, second in A's list, is now first.
    assert state(p) == sorted(
        [
            ("A", "X", "placed", 1, None),
            ("A", "Y", "placed", 1, None),
            ("B", "Z", "placed", 1, None),
            ("C", "W", "placed", 2, None),
            ("A", "W", "waitlisted", 1, 1),
        ]
    )
    assert sorted(n.student.name for n in notices) == ["Y", "Z"]
    assert set(FamilyNotice.objects.values_list("student__name", flat=True)) == {"Y", "Z"}  # published
    # One more place: W moves up from C, the last of A's list.
    course_capacity_raise(actor=world.users["academic"], programme_id=p.pk, course_id=a.pk, capacity=3)
    assert state(p) == sorted(
        [
            ("A", "X", "placed", 1, None),
            ("A", "Y", "placed", 1, None),
            ("A", "W", "placed", 1, None),
            ("B", "Z", "placed", 1, None),
        ]
    )


def test_places_are_only_ever_added_and_only_by_the_office(world, chain):
    p, _ = chain
    a = p.courses.get(name="A")
    for capacity in (1, 0, 501):
        with pytest.raises(ProgrammeError) as exc:
            course_capacity_raise(
                actor=world.users["academic"], programme_id=p.pk, course_id=a.pk, capacity=capacity
            )
        assert exc.value.field == "capacity"
    for persona in ("parent", "teacher", "head_teacher", "outsider", "bureau"):
        with pytest.raises((NotFound, PermissionDenied)):  # 404, or 403 for staff who may look
            course_capacity_raise(actor=world.users[persona], programme_id=p.pk, course_id=a.pk, capacity=2)
    assert p.courses.get(name="A").capacity == 1
