"""The district's reads (the programme overview, the providers, the figures) cost the same number of
queries whatever the number of schools or providers; figures checked against hand counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from conftest import make_user
from jianfu.accounts.models import Membership, Role
from jianfu.afterschool.figures.selectors import district_figures
from jianfu.afterschool.models import (
    AttendanceRecord,
    AttendanceStatus,
    ExternalProvider,
    ProviderKind,
    ProviderStaff,
    ServiceSession,
)
from jianfu.afterschool.programme.selectors import district_overview, providers_for_actor
from jianfu.afterschool.tests.factories_days import (
    MON,
    apply_for,
    at,
    course_in,
    place,
    programme_for,
    t,
)
from jianfu.afterschool.tests.query_counts import (
    SERIAL,
    count,
    fresh,
    new_kid,
)
from jianfu.core.actors import SystemActor
from jianfu.schools.calendar.services import term_create
from jianfu.schools.models import (
    Grade,
    School,
    SchoolClass,
    SchoolSystem,
    SchoolType,
    Teacher,
    stage_for_grade,
)

pytestmark = pytest.mark.django_db


# --- 4. the district: overview, providers, figures ----------------------------------------------


def district_schools(world: Any, n: int) -> list[School]:
    """n more primary schools in the district, each with a published programme of two open courses
    (one run by a provider, 200 yuan; one free, by a teacher; capacity 10 each), two children placed in
    the first, a third child applying for the basic part only, one withdrawn application, and one
    taught, held session with two marks (present, absent)."""
    start = School.objects.count()
    provider = ExternalProvider.objects.get_or_create(
        name="区少年宫", kind=ProviderKind.CULTURE_CENTRE, region=world.district, defaults={}
    )[0]
    staff = ProviderStaff.objects.get_or_create(provider=provider, name="钱老师")[0]
    out = []
    for i in range(start, start + n):
        school = School.objects.create(
            code=f"44010601{i:02d}",
            name=f"天河区第{i}小学",
            region=world.district,
            school_type=SchoolType.PRIMARY,
            system=SchoolSystem.SIX_THREE,
            first_grade=1,
            last_grade=6,
        )
        grade = Grade.objects.create(
            school=school, number=4, stage=stage_for_grade(4, SchoolSystem.SIX_THREE)
        )
        c = SchoolClass.objects.create(school=school, grade=grade, number=1)
        teacher = Teacher.objects.create(
            school=school, name=f"孙老师{i}", user=make_user(f"13800{i:06d}", f"孙老师{i}")
        )
        term = term_create(
            actor=SystemActor("test-setup"),
            school=school,
            school_year="2026-2027",
            kind="autumn",
            start_date=date(2026, 9, 1),
            end_date=date(2026, 12, 31),
        )
        p = programme_for(world, term, school=school)
        paid = course_in(p, "机器人", provider_staff=staff, fee="200", capacity=10)
        course_in(p, "合唱", teacher=teacher, capacity=10)
        a, b, basic, gone = (new_kid(world, c) for _ in range(4))
        place(paid, a, b)
        apply_for(p, basic, basic=True)
        withdrawn = apply_for(p, gone, basic=True)
        withdrawn.withdrawn_at = at(MON, 9)
        withdrawn.save()
        session = ServiceSession.objects.create(
            programme=p,
            course=paid,
            date=MON,
            start=t("16:50"),
            end=t("17:30"),
            teacher=teacher,
            taken_at=at(MON, 17),
        )
        for child, status in [(a, AttendanceStatus.PRESENT), (b, AttendanceStatus.ABSENT)]:
            AttendanceRecord.objects.create(
                session=session, student=child, status=status, marked_by=world.users["principal"]
            )
        out.append(school)
    return out


def test_district_overview_costs_the_same_for_two_schools_as_for_five(world, autumn_term, monday):
    district_schools(world, 2)
    bureau = world.users["bureau"]
    small, _ = count(lambda: district_overview(fresh(bureau)))
    district_schools(world, 3)
    large, rows = count(lambda: district_overview(fresh(bureau)))
    assert large == small
    assert len(rows) == 5
    for r in rows:
        assert (r["courses"], r["capacity"], r["placed"], r["applicants"]) == (2, 20, 2, 3)
        assert (r["fill_rate"], r["external_courses"], r["fee_courses"], r["published"]) == (0.1, 1, 1, True)


def providers(world: Any, n: int) -> None:
    """n providers registered by the district and n of the home school's own, two staff each."""
    for _ in range(n):
        i = next(SERIAL)
        for scope in ({"region": world.district}, {"school": world.school}):
            prov = ExternalProvider.objects.create(
                name=f"机构{i}", kind=ProviderKind.NON_SUBJECT_INSTITUTION, **scope
            )
            ProviderStaff.objects.create(provider=prov, name=f"甲{i}", qualification="教师资格证")
            ProviderStaff.objects.create(provider=prov, name=f"乙{i}")


@pytest.mark.parametrize("persona", ["bureau", "principal"])
def test_the_providers_list_costs_the_same_for_two_providers_as_for_five(world, persona):
    # The principal also runs the five-four school, whose bureau-registered providers are the same.
    Membership.objects.create(
        user=world.users["principal"], role=Role.PRINCIPAL, school=world.five_four_school
    )

    def listing() -> list[tuple[str, list[str]]]:
        return [
            (p.name, [s.name for s in p.staff.all()])
            for p in providers_for_actor(fresh(world.users[persona]))
        ]

    providers(world, 2)
    small, _ = count(listing)
    providers(world, 3)
    large, rows = count(listing)
    assert large == small
    # The bureau sees what it registered; the school office that and its own.
    assert len(rows) == (5 if persona == "bureau" else 10)
    assert all(len(staff) == 2 for _, staff in rows)
    assert [name for name, _ in rows] == sorted(name for name, _ in rows)


@pytest.mark.parametrize("via", ["page", "api"])
def test_the_providers_page_costs_the_same_for_two_providers_as_for_five(client, world, via):
    client.force_login(world.users["principal"])
    url = "/afterschool/providers/" if via == "page" else "/api/v1/afterschool/providers"
    providers(world, 2)
    small, r = count(lambda: client.get(url))
    assert r.status_code == 200
    providers(world, 3)
    large, r = count(lambda: client.get(url))
    assert r.status_code == 200
    assert large == small
    if via == "api":
        assert len(r.json()) == 10
        assert all(len(p["staff"]) == 2 for p in r.json())


def test_district_figures_cost_the_same_for_two_schools_as_for_five(world, autumn_term, monday):
    district_schools(world, 2)
    bureau = world.users["bureau"]

    def figures() -> Any:
        return district_figures(fresh(bureau), school_year="2026-2027", kind="autumn", as_of=MON)

    small, _ = count(figures)
    district_schools(world, 3)
    large, d = count(figures)
    assert large == small
    # The world's two schools in the district (no programme) and the five made here.
    assert len(d.rows) == 7
    made = [r for r in d.rows if r.school.code.startswith("44010601")]
    assert len(made) == 5
    for r in made:
        assert (r.active_students, r.students_taking_part, r.teachers, r.teachers_taking_part) == (4, 3, 1, 1)
        assert (r.service_days, r.marks_total, r.came, r.attendance_rate) == (1, 2, 1, 0.5)
        assert (r.teacher_minutes, r.fees_due, r.subsidies) == (40, Decimal("400.00"), Decimal("0.00"))
        assert r.hours == []  # the district names no teacher
    t = d.total
    assert (t.students_taking_part, t.teachers_taking_part, t.service_days, t.marks_total) == (15, 5, 5, 10)
    assert t.fees_due == Decimal("2000.00")
    assert t.active_students == sum(r.active_students for r in d.rows)
    assert len({r.term.pk for r in made if r.term}) == 5
