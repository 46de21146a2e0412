"""Allocation invariants, by hand-built cases and by hypothesis over random programmes."""

from hypothesis import given, settings
from hypothesis import strategies as st

from jianfu.afterschool.allocation.rules import Applicant, Course, allocate, first_come, promote_from_waitlist


def test_priority_tier_goes_first_and_ranks_are_respected():
    courses = [Course(1, 1), Course(2, 1), Course(3, 5)]
    a = Applicant(10, 3, (1, 2, 3), priority=0)
    b = Applicant(11, 3, (1, 3), priority=1)  # e.g. both parents working
    c = Applicant(12, 3, (2, 1), priority=0)
    for seed in range(6):
        result = allocate(courses, [a, b, c], seed=seed)
        assert result.order[0] == 11 and result.assigned[11] == 1  # the higher tier chooses first
        if result.order.index(10) < result.order.index(12):
            # a finds 1 full and takes 2; c then finds 2 and 1 full and gets nothing.
            assert (result.assigned[10], result.assigned[12]) == (2, None)
            assert result.waitlists == {1: [10, 12], 2: [12], 3: []}
        else:
            # c takes 2; a finds 1 and 2 full and takes 3, its third choice.
            assert (result.assigned[12], result.assigned[10], result.rank_got[10]) == (2, 3, 3)
            assert result.waitlists == {1: [10], 2: [10], 3: []}


def test_grades_are_respected_and_unranked_courses_never_given():
    courses = [Course(1, 10, frozenset({7, 8, 9})), Course(2, 10, frozenset({1, 2}))]
    result = allocate(courses, [Applicant(1, 3, (1, 2))], seed=1)
    assert result.assigned[1] is None


def test_first_come_differs_from_the_lottery():
    courses = [Course(1, 1)]
    applicants = [Applicant(i, 5, (1,)) for i in range(1, 6)]
    assert first_come(courses, applicants)[1] == 1  # the fastest finger wins
    winners = {allocate(courses, applicants, seed=s).order[0] for s in range(20)}
    assert len(winners) > 1  # with the lottery, anyone may win


def test_waitlist_promotion():
    courses = [Course(1, 1), Course(2, 2)]
    a, b = Applicant(1, 4, (1, 2)), Applicant(2, 4, (1, 2))
    result = allocate(courses, [a, b], seed=3)
    loser = b.id if result.assigned[a.id] == 1 else a.id
    assert result.assigned[loser] == 2
    winner = a.id if loser == b.id else b.id
    result.assigned[winner] = None  # the winner withdraws
    assert promote_from_waitlist(result, [a, b], 1) == loser
    assert result.assigned[loser] == 1 and result.rank_got[loser] == 1


programmes = st.integers(min_value=0, max_value=2**32 - 1).flatmap(
    lambda seed: st.tuples(
        st.just(seed),
        st.lists(
            st.tuples(st.integers(0, 6), st.sets(st.integers(1, 9), min_size=1)), min_size=1, max_size=8
        ),
        st.lists(
            st.tuples(
                st.integers(1, 9), st.lists(st.integers(1, 8), max_size=5, unique=True), st.integers(0, 2)
            ),
            max_size=60,
        ),
    )
)


@settings(max_examples=150, deadline=None)
@given(programmes)
def test_invariants_over_random_programmes(programme):
    seed, course_specs, applicant_specs = programme
    courses = [Course(i, cap, frozenset(g)) for i, (cap, g) in enumerate(course_specs, start=1)]
    applicants = [
        Applicant(j, grade, tuple(ch), prio) for j, (grade, ch, prio) in enumerate(applicant_specs, start=1)
    ]
    result = allocate(courses, applicants, seed=seed)
    by_course = {c.id: c for c in courses}
    # Capacity never exceeded.
    for course_id, taken in result.seats_taken().items():
        assert taken <= by_course[course_id].capacity
    position = {a_id: n for n, a_id in enumerate(result.order)}
    for a in applicants:
        got = result.assigned[a.id]
        # Only a ranked course whose grades admit the child.
        if got is not None:
            assert got in a.choices and a.grade in by_course[got].grades
            assert result.rank_got[a.id] == a.choices.index(got) + 1
        # No one is skipped: every course the child ranked above what they got (and could attend)
        # was full, and every child holding one of its places chose before them.
        better = a.choices if got is None else a.choices[: a.choices.index(got)]
        for course_id in better:
            course = by_course.get(course_id)
            if course is None or a.grade not in course.grades:
                continue
            holders = [x for x, c in result.assigned.items() if c == course_id]
            assert len(holders) == course.capacity
            assert all(position[h] < position[a.id] for h in holders)
        # Tiers: everyone ahead in the order has at least this child's priority.
    prios = [next(a.priority for a in applicants if a.id == x) for x in result.order]
    assert prios == sorted(prios, reverse=True)
    # Same seed, same result (whatever the input order).
    again = allocate(courses, list(reversed(applicants)), seed=seed)
    assert again.assigned == result.assigned and again.order == result.order
