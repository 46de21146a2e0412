"""Defining a programme: findings stored on every change, the violation that keeps it closed,
settings fixed once families choose, courses and providers."""

from datetime import date, time
from decimal import Decimal

import pytest

from jianfu.afterschool.courses.services import (
    CourseSpec,
    course_remove,
    course_save,
    provider_create,
    provider_staff_add,
)
from jianfu.afterschool.models import ProgrammeStatus, ProviderKind
from jianfu.afterschool.programme.services import (
    ProgrammeError,
    SlotSpec,
    programme_open_choosing,
    programme_update,
    slots_set,
    subsidy_rules_set,
)
from jianfu.afterschool.tests.alloc_fixtures import (
    DURING,
    course,
    open_choosing,
    programme,
    teacher,
    week_slots,
)
from jianfu.afterschool.tests.conftest import assert_says
from jianfu.core.actors import SystemActor
from jianfu.core.errors import NotFound, PermissionDenied
from jianfu.policies.services import profile_override_set

pytestmark = pytest.mark.django_db


def off_work(world, value, start=date(2026, 9, 1), **kw):
    profile_override_set(
        actor=world.users["bureau"],
        region=world.district,
        key="after_school_end_not_before_off_work.off_work_time",
        value=value,
        effective_from=start,
        reason="本市作息",
        **kw,
    )


def rule_ids(p):
    p.refresh_from_db()
    return [(f["rule_id"], f["severity"]) for f in p.findings]


def test_the_demo_week_has_no_findings_under_a_1800_off_work_time(world, autumn_term):
    off_work(world, "18:00")
    p = programme(world, autumn_term)
    # Ends 18:30 ≥ 18:00; 15:40→18:30 with a 10-minute break = 170 min ≥ 120; Mon–Fri = 5 days.
    assert rule_ids(p) == []


def test_findings_are_stored_on_every_change(world, autumn_term):
    off_work(world, "18:00")
    p = programme(world, autumn_term)
    office = world.users["academic"]
    # Without extended care the week ends 17:50 < 18:00 (guidance → warning).
    slots_set(actor=office, programme_id=p.pk, slots=[s for s in week_slots() if s.part != "extended"])
    assert rule_ids(p) == [("after_school_end_not_before_off_work", "warning")]
    assert p.findings[0]["evidence"]["weekdays"] == [1, 2, 3, 4, 5]
    # Only Mon–Thu: 4 school days < 5.
    slots_set(actor=office, programme_id=p.pk, slots=week_slots(days=(1, 2, 3, 4)))
    assert rule_ids(p) == [("after_school_days_and_hours_5x2", "warning")]


def test_a_summer_off_work_time_inside_the_term_is_checked_too(world):
    # §4.6 seasonal variants (seed 002: 18:00 in summer, 17:30 in winter). The spring term starts
    # under the winter time; from 1 May the summer time applies.
    from jianfu.schools.calendar.services import term_create

    spring = term_create(
        actor=SystemActor("test-setup"),
        school=world.school,
        school_year="2025-2026",
        kind="spring",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 7, 10),
    )
    off_work(world, "17:30", start=date(2026, 3, 1))
    off_work(world, "18:00", start=date(2026, 5, 1))
    p = programme(world, spring)
    week = [
        SlotSpec(d, part, start, end)
        for d in (1, 2, 3, 4, 5)
        for part, start, end in (
            ("basic", time(15, 40), time(16, 40)),
            ("course", time(16, 50), time(17, 45)),
        )
    ]
    slots_set(actor=world.users["academic"], programme_id=p.pk, slots=week)
    p.refresh_from_db()
    # Ends 17:45 ≥ 17:30 in March, but < 18:00 from 1 May: found under the profile of 1 May.
    # (15:40→17:45 with a 10-minute break = 125 min ≥ 120, so "5+2" holds.)
    assert [(f["rule_id"], f["profile_on"], f["evidence"]["floor"]) for f in p.findings] == [
        ("after_school_end_not_before_off_work", "2026-05-01", "18:00")
    ]


def test_a_course_teaching_new_lessons_keeps_the_programme_closed(world, autumn_term):
    off_work(world, "18:00")  # the district's own off-work time: the week's 18:30 end is no finding
    p = programme(world, autumn_term)
    c = course(world, p, "数学拓展", 30, teaches_new_lessons=True, category="other")
    assert rule_ids(p) == [("after_school_no_new_lessons", "violation")]
    with pytest.raises(ProgrammeError) as exc:
        open_choosing(world, p)
    assert exc.value.code == "afterschool_policy_violation"
    assert exc.value.details[0].code == "after_school_no_new_lessons"
    p.refresh_from_db()
    assert p.status == ProgrammeStatus.DRAFT
    # Declared as practice instead (no new content): the programme opens.
    course_save(
        actor=world.users["academic"],
        programme_id=p.pk,
        course_id=c.pk,
        spec=CourseSpec(
            name="数学游戏",
            category="other",
            capacity=30,
            weekdays=[1, 3],
            teacher_id=teacher(world).pk,
            min_size=0,
        ),
    )
    assert open_choosing(world, p).status == ProgrammeStatus.CHOOSING


def test_once_open_no_change_may_bring_a_violation(world, autumn_term):
    off_work(world, "18:00")  # the district's own off-work time: the week's 18:30 end is no finding
    p = programme(world, autumn_term)
    c = course(world, p, "足球", 20)
    open_choosing(world, p)
    with pytest.raises(ProgrammeError) as exc:
        course_save(
            actor=world.users["academic"],
            programme_id=p.pk,
            course_id=c.pk,
            spec=CourseSpec(
                name="足球",
                category="sport",
                capacity=20,
                weekdays=[1, 3],
                teacher_id=teacher(world).pk,
                teaches_new_lessons=True,
            ),
        )
    assert exc.value.code == "afterschool_policy_violation"
    c.refresh_from_db()
    assert c.teaches_new_lessons is False  # nothing saved
    assert rule_ids(p) == []


def test_settings_are_fixed_once_families_choose(world, autumn_term):
    p = programme(world, autumn_term)
    course(world, p, "足球", 20)
    open_choosing(world, p)
    with pytest.raises(ProgrammeError) as exc:
        programme_update(actor=world.users["academic"], programme_id=p.pk, max_choices=5)
    assert (exc.value.code, exc.value.status, exc.value.field) == (
        "afterschool_wrong_status",
        409,
        "max_choices",
    )
    with pytest.raises(ProgrammeError):
        programme_update(actor=world.users["academic"], programme_id=p.pk, priority_rules={"hardship": 5})


def test_priority_rules_and_window_are_validated(world, autumn_term):
    p = programme(world, autumn_term)
    with pytest.raises(ProgrammeError) as exc:
        programme_update(actor=world.users["academic"], programme_id=p.pk, priority_rules={"grades": 1})
    assert "未知的优先条件" in exc.value.message_zh
    with pytest.raises(ProgrammeError):
        programme_update(actor=world.users["academic"], programme_id=p.pk, priority_rules={"hardship": 11})
    with pytest.raises(ProgrammeError) as exc:
        programme_update(actor=world.users["academic"], programme_id=p.pk, choice_closes_at=p.choice_opens_at)
    assert exc.value.field == "choice_closes_at"
    updated = programme_update(
        actor=world.users["academic"], programme_id=p.pk, priority_rules={"hardship": 3}
    )
    assert updated.priority_rules == {"hardship": 3}


def test_slots_are_refused_whole_when_one_is_wrong(world, autumn_term):
    p = programme(world, autumn_term)
    bad = week_slots() + [SlotSpec(2, "basic", time(16, 0), time(15, 0))]
    with pytest.raises(ProgrammeError) as exc:
        slots_set(actor=world.users["academic"], programme_id=p.pk, slots=bad)
    # Slot 16 (after week_slots' 15) is a second Tuesday basic part: that row, its part, named.
    assert [(d.row, d.field) for d in exc.value.details] == [(16, "part")]
    assert_says(exc.value.details[0].message_zh, "周二", "基础托管")
    overlap = [
        SlotSpec(1, "basic", time(15, 40), time(16, 40)),
        SlotSpec(1, "course", time(16, 30), time(17, 30)),
    ]
    with pytest.raises(ProgrammeError) as exc:
        slots_set(actor=world.users["academic"], programme_id=p.pk, slots=overlap)
    assert "重叠" in exc.value.message_zh
    # Row 2: Monday's course part starts at 16:30, inside the basic part (15:40–16:40).
    assert [(d.row, d.field) for d in exc.value.details] == [(2, "start")]
    assert p.slots.count() == 15  # the earlier week is untouched


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"weekdays": [6]}, "weekdays"),  # no course part on Saturday
        ({"grades": (1, 7)}, "min_grade"),  # a primary school has no grade 7
        ({"start": time(16, 30), "end": time(17, 30)}, "start"),  # before the course part's 16:50
        ({"capacity": 0}, "capacity"),
        ({"min_size": 31}, "min_size"),  # more than the 30 places
    ],
)
def test_course_validation_names_the_field(world, autumn_term, kw, field):
    p = programme(world, autumn_term)
    with pytest.raises(ProgrammeError) as exc:
        course(world, p, "篮球", kw.pop("capacity", 30), **kw)
    assert exc.value.field == field


def test_a_course_takes_the_course_part_time_by_default(world, autumn_term):
    p = programme(world, autumn_term)
    c = course(world, p, "合唱", 40, weekdays=(2, 4), category="art", fee_per_term=Decimal("0"))
    assert (c.start, c.end, c.weekdays) == (time(16, 50), time(17, 50), [2, 4])


def test_providers_district_and_school_own(world, autumn_term):
    bureau, office = world.users["bureau"], world.users["academic"]
    palace = provider_create(
        actor=bureau, name="天河区少年宫", kind=ProviderKind.CULTURE_CENTRE, region_id=world.district.pk
    )
    assert palace.vetted_at is not None
    with pytest.raises(PermissionDenied):
        provider_create(actor=world.users["inspector"], name="x", kind="other", region_id=world.district.pk)
    with pytest.raises(NotFound):
        provider_create(actor=office, name="x", kind="other", region_id=world.district.pk)
    own = provider_create(
        actor=office, name="家长志愿者队", kind=ProviderKind.VOLUNTEER, school_id=world.school.pk
    )
    assert own.vetted_at is None
    teacher_of_palace = provider_staff_add(
        actor=bureau, provider_id=palace.pk, name="林老师", qualification="舞蹈教师资格"
    )
    with pytest.raises(PermissionDenied):
        provider_staff_add(
            actor=office, provider_id=palace.pk, name="x"
        )  # the school sees it, the bureau keeps it
    with pytest.raises(NotFound):
        provider_staff_add(actor=world.users["outsider"], provider_id=own.pk, name="x")
    p = programme(world, autumn_term)
    dance = course(
        world, p, "舞蹈", 25, category="art", provider_id=palace.pk, provider_staff_id=teacher_of_palace.pk
    )
    assert (dance.provider, dance.provider_staff, dance.teacher) == (palace, teacher_of_palace, None)
    other_palace = provider_create(
        actor=bureau, name="越秀区少年宫", kind="culture_centre", region_id=world.district.pk
    )
    other_palace.region = world.other_district
    other_palace.save()
    with pytest.raises(ProgrammeError) as exc:
        course(world, p, "书法", 25, provider_id=other_palace.pk)
    assert exc.value.field == "provider_id"


def test_who_may_change_a_programme(world, autumn_term):
    p = programme(world, autumn_term)
    for persona in ("teacher", "head_teacher", "bureau", "inspector"):
        with pytest.raises(PermissionDenied):
            programme_update(actor=world.users[persona], programme_id=p.pk, name="x")
    for persona in ("parent", "outsider", "nobody"):
        with pytest.raises(NotFound):
            programme_update(actor=world.users[persona], programme_id=p.pk, name="x")
    assert (
        programme_update(actor=world.users["principal"], programme_id=p.pk, name="秋季托管").name
        == "秋季托管"
    )


def test_subsidy_rules_and_removing_an_unranked_course(world, autumn_term):
    p = programme(world, autumn_term)
    rules = subsidy_rules_set(
        actor=world.users["academic"], programme_id=p.pk, percents={"hardship": 100, "disability": 50}
    )
    assert sorted((r.category, r.percent) for r in rules) == [("disability", 50), ("hardship", 100)]
    with pytest.raises(ProgrammeError):
        subsidy_rules_set(actor=world.users["academic"], programme_id=p.pk, percents={"hardship": 101})
    c = course(world, p, "围棋", 20)
    course_remove(actor=world.users["academic"], programme_id=p.pk, course_id=c.pk)
    assert not p.courses.exists()


def test_opening_needs_a_window_that_has_not_ended(world, autumn_term):
    p = programme(world, autumn_term)
    with pytest.raises(ProgrammeError) as exc:
        programme_open_choosing(actor=world.users["academic"], programme_id=p.pk)  # now: December 2026
    assert exc.value.field == "choice_closes_at"
    assert (
        programme_open_choosing(actor=world.users["academic"], programme_id=p.pk, now=DURING).status
        == "choosing"
    )
