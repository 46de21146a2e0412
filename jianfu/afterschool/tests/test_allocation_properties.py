"""Hypothesis over small random programmes, end to end through the services and the database:
capacity never exceeded, only ranked courses open to the child's grade, priorities respected (no
child is skipped by one who chose later), waiting lists in choosing order, same seed → same rows.

The choosing order is recomputed here from its definition (decision 0011): higher tier first, then
sha256("seed:child id"); the tier from the declared flags and verified hardship (decision 0013)."""

import hashlib

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianfu.afterschool.allocation.services import allocation_run
from jianfu.afterschool.family.services import hardship_verify
from jianfu.afterschool.models import Enrolment
from jianfu.afterschool.tests.alloc_fixtures import apply, child, close, course, open_choosing, programme

pytestmark = pytest.mark.django_db
WEIGHTS = {"hardship": 2, "both_parents_working": 1}

courses_st = st.lists(
    st.tuples(st.integers(1, 3), st.sampled_from([(1, 6), (3, 6), (5, 6), (3, 4)])), min_size=1, max_size=4
)
children_st = st.lists(
    st.tuples(
        st.sampled_from([3, 5]),  # grade: class 3(1) or 5(1)
        st.lists(st.integers(0, 3), max_size=3, unique=True),  # indexes into the courses, most wanted first
        st.booleans(),  # both parents working
        st.sampled_from(["none", "verified", "unverified"]),  # hardship claim
    ),
    min_size=1,
    max_size=8,
)


def snapshot(p):
    return sorted(
        Enrolment.objects.filter(programme=p).values_list(
            "course_id", "student_id", "status", "rank", "waitlist_position"
        )
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(course_specs=courses_st, children=children_st, seed=st.integers(0, 2**63 - 1))
def test_allocation_invariants_through_the_service(world, autumn_term, course_specs, children, seed):
    with transaction.atomic():
        office = world.users["academic"]
        p = programme(world, autumn_term, priority_rules=WEIGHTS)
        courses = [
            course(world, p, f"课{i}", cap, grades=grades) for i, (cap, grades) in enumerate(course_specs)
        ]
        open_choosing(world, p)
        ranked: dict[int, list[int]] = {}
        tiers: dict[int, int] = {}
        grades: dict[int, int] = {}
        for grade, picks, working, hardship in children:
            klass = world.class_3_1 if grade == 3 else world.class_5_1
            parent, kid = child(world, school_class=klass)
            eligible = [
                courses[i]
                for i in picks
                if i < len(courses) and courses[i].min_grade <= grade <= courses[i].max_grade
            ]
            app = apply(
                parent,
                kid,
                p,
                eligible,
                both_parents_working=working,
                hardship_claimed=hardship != "none",
                hardship_category="hardship" if hardship != "none" else "",
            )
            if hardship == "verified":
                hardship_verify(actor=office, programme_id=p.pk, application_id=app.pk, verified=True)
            ranked[kid.pk] = [c.pk for c in eligible]
            tiers[kid.pk] = (1 if working else 0) + (2 if hardship == "verified" else 0)
            grades[kid.pk] = grade
        close(world, p)
        allocation_run(actor=office, programme_id=p.pk, seed=seed)
        first = snapshot(p)

        order = sorted(ranked, key=lambda i: (-tiers[i], hashlib.sha256(f"{seed}:{i}".encode()).hexdigest()))
        turn = {kid: n for n, kid in enumerate(order)}
        cap = {c.pk: c.capacity for c in courses}
        placed = {s: (c, r) for c, s, status, r, _ in first if status == "placed"}
        holders: dict[int, list[int]] = {}
        for s, (c, _) in placed.items():
            holders.setdefault(c, []).append(s)
        for c, kids in holders.items():
            assert len(kids) <= cap[c]  # capacity never exceeded
        for s, (c, r) in placed.items():
            assert c in ranked[s] and ranked[s].index(c) + 1 == r  # only a ranked course, at its rank
            course_row = next(x for x in courses if x.pk == c)
            assert course_row.min_grade <= grades[s] <= course_row.max_grade
        for s, wants in ranked.items():
            got = placed.get(s, (None, len(wants) + 1))[1]
            for better in wants[: got - 1]:
                # Everything the child preferred was full of children who chose before them.
                assert len(holders.get(better, [])) == cap[better]
                assert all(turn[h] < turn[s] for h in holders.get(better, []))
        waits: dict[int, list[tuple[int, int]]] = {}
        for c, s, status, r, pos in first:
            if status == "waitlisted":
                assert ranked[s].index(c) + 1 == r and r < placed.get(s, (None, 99))[1]
                waits.setdefault(c, []).append((pos, s))
        for queue in waits.values():
            assert [pos for pos, _ in sorted(queue)] == list(range(1, len(queue) + 1))
            assert [turn[s] for _, s in sorted(queue)] == sorted(
                turn[s] for _, s in queue
            )  # in choosing order

        allocation_run(actor=office, programme_id=p.pk, seed=seed)
        assert snapshot(p) == first  # same seed, same rows
        transaction.set_rollback(True)
