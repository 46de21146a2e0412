"""Fair allocation of after-school course places (课后服务 "1+N"), instead of a booking race (抢课).

Pure: no ORM. Random serial dictatorship with priority tiers: families are ordered by their
priority tier (configurable: both parents working, hardship, lost out last round…) and, within a
tier, by a seeded lottery; in that order each child gets their highest-ranked course that still has a
place and admits their grade. Every run with the same seed gives the same result, so an allocation
can be reproduced and audited. Children who did not get a course they ranked above the one they got
join that course's waiting list in the same order, and move up when a place frees
(`promote_from_waitlist`).

Properties (tested with hypothesis): capacity is never exceeded; a child only ever gets a course they
ranked and whose grades admit them; same seed, same result; no child holds a place in a course that
a child of higher priority (or equal priority and better lottery number) ranked above what that
child got while the course was still open to them — i.e. no one is skipped.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Course:
    id: int
    capacity: int
    grades: frozenset[int] = frozenset(range(1, 10))


@dataclass(frozen=True)
class Applicant:
    id: int
    grade: int
    choices: tuple[int, ...]  # course ids, most wanted first
    priority: int = 0  # higher goes first (tiers set by the school's rules)


@dataclass
class Allocation:
    seed: int
    order: list[int]  # applicant ids in the order they chose
    assigned: dict[int, int | None]  # applicant → course (None: nothing they ranked was left)
    rank_got: dict[int, int | None]  # applicant → 1-based rank of the course they got
    waitlists: dict[int, list[int]] = field(default_factory=dict)  # course → applicants, in order

    def seats_taken(self) -> dict[int, int]:
        taken: dict[int, int] = {}
        for course in self.assigned.values():
            if course is not None:
                taken[course] = taken.get(course, 0) + 1
        return taken


def lottery_key(seed: int, applicant_id: int) -> str:
    """A per-applicant lottery number derived from the seed: independent of input order."""
    return hashlib.sha256(f"{seed}:{applicant_id}".encode()).hexdigest()


def allocate(courses: Sequence[Course], applicants: Sequence[Applicant], *, seed: int) -> Allocation:
    by_id = {c.id: c for c in courses}
    left = {c.id: c.capacity for c in courses}
    order = sorted(applicants, key=lambda a: (-a.priority, lottery_key(seed, a.id)))
    assigned: dict[int, int | None] = {}
    rank_got: dict[int, int | None] = {}
    waitlists: dict[int, list[int]] = {c.id: [] for c in courses}
    for a in order:
        got = None
        for rank, course_id in enumerate(a.choices, start=1):
            course = by_id.get(course_id)
            if course is None or a.grade not in course.grades:
                continue
            if left[course_id] > 0:
                left[course_id] -= 1
                got = (course_id, rank)
                break
            waitlists[course_id].append(a.id)
        assigned[a.id] = got[0] if got else None
        rank_got[a.id] = got[1] if got else None
    return Allocation(
        seed=seed, order=[a.id for a in order], assigned=assigned, rank_got=rank_got, waitlists=waitlists
    )


def promote_from_waitlist(
    allocation: Allocation, applicants: Iterable[Applicant], course_id: int
) -> int | None:
    """A place in `course_id` freed: give it to the first on its waiting list who still prefers it to
    what they have; their old place frees in turn (the caller repeats for that course). Returns the
    promoted applicant's id, or None."""
    by_id = {a.id: a for a in applicants}
    queue = allocation.waitlists.get(course_id, [])
    while queue:
        applicant_id = queue.pop(0)
        a = by_id[applicant_id]
        wanted_rank = a.choices.index(course_id) + 1
        current_rank = allocation.rank_got.get(applicant_id)
        if current_rank is None or wanted_rank < current_rank:
            allocation.assigned[applicant_id] = course_id
            allocation.rank_got[applicant_id] = wanted_rank
            return applicant_id
    return None


def first_come(courses: Sequence[Course], applicants: Sequence[Applicant]) -> dict[int, int | None]:
    """The booking race the issue replaces: whoever submits first takes their first choice with a
    place. Kept as the benchmark's baseline and to show the difference in tests."""
    left = {c.id: c.capacity for c in courses}
    grades = {c.id: c.grades for c in courses}
    out: dict[int, int | None] = {}
    for a in applicants:
        out[a.id] = None
        for course_id in a.choices:
            if course_id in left and a.grade in grades[course_id] and left[course_id] > 0:
                left[course_id] -= 1
                out[a.id] = course_id
                break
    return out


def random_programme(
    rng: random.Random, n_courses: int, n_applicants: int, choices: int
) -> tuple[list[Course], list[Applicant]]:
    """A synthetic programme for benchmarks and property tests."""
    courses = [Course(i, rng.randint(10, 40), frozenset(range(1, 10))) for i in range(1, n_courses + 1)]
    applicants = [
        Applicant(
            j,
            rng.randint(1, 9),
            tuple(rng.sample([c.id for c in courses], k=min(choices, n_courses))),
            priority=rng.choice([0, 0, 0, 1, 2]),
        )
        for j in range(1, n_applicants + 1)
    ]
    return courses, applicants
