"""Who may do the after-school actions that had no per-persona test: a family withdrawing its child's
application, registering a provider (API and page), the office or family ending a child's course or
participation after the allocation, and adding a course from the page. Expectations follow the
permission code (family/services.py, waitlist/services.py, courses/services.py, programme/views.py)."""

import pytest

from conftest import PERSONAS
from conftest import api as call
from jianfu.afterschool.models import Application, Course, Enrolment, EnrolmentStatus, ExternalProvider
from jianfu.afterschool.tests.alloc_fixtures import OFFICE, apply, course, open_choosing, programme

pytestmark = pytest.mark.django_db

FAMILY_OR_OFFICE = OFFICE | {"parent"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_withdrawing_an_application_per_persona(client, world, autumn_term, persona):
    """Only the child's own guardian finds the child (child_get_for_parent); everyone else, office
    included, gets 404 — the same as for a child who does not exist."""
    p = programme(world, autumn_term)
    football = course(world, p, "足球", 10)
    open_choosing(world, p)
    app = apply(world.users["parent"], world.student, p, [football])
    client.force_login(world.users[persona])
    url = f"/api/v1/afterschool/programmes/{p.pk}/children/{world.student.pk}/application"
    r = call(client, "delete", url)
    app.refresh_from_db()
    if persona == "parent":
        assert r.status_code == 200, r.content[:200]
        assert r.json()["opted_in"] is False
        assert app.withdrawn_at is not None
    else:
        assert r.status_code == 404, r.content[:200]
        assert app.withdrawn_at is None
    # Another family's child is nobody's to withdraw here.
    other = call(
        client,
        "delete",
        f"/api/v1/afterschool/programmes/{p.pk}/children/{world.other_student.pk}/application",
    )
    assert other.status_code == 404


def _provider_body(world, scope):
    where = {"region_id": world.district.pk} if scope == "region" else {"school_id": world.school.pk}
    return {"name": f"机构-{scope}", "kind": "culture_centre", **where}


@pytest.mark.parametrize("persona", PERSONAS)
def test_registering_a_provider_over_the_api_per_persona(client, world, persona):
    """For the district: only its bureau staff (inspectors see the region: 403); for the school: its
    office only (schools_for_actor with the office roles); everyone else 404."""
    client.force_login(world.users[persona])
    expected = {
        "region": {"bureau": 200, "inspector": 403}.get(persona, 404),
        "school": 200 if persona in OFFICE else 404,
    }
    for scope, status in expected.items():
        body = _provider_body(world, scope)
        r = call(client, "post", "/api/v1/afterschool/providers", body)
        assert r.status_code == status, (scope, r.status_code, r.content[:200])
        created = ExternalProvider.objects.filter(name=body["name"])
        if status == 200:
            assert r.json()["scope"] == scope and r.json()["vetted"] == (scope == "region")
            assert created.count() == 1
        else:
            assert not created.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_registering_a_provider_from_the_page_per_persona(client, world, persona):
    """The page answers 404 to anyone with neither a region nor a school office; the others are sent
    back to the page (302) and only the registrant's write is saved (the rest is shown as an error)."""
    client.force_login(world.users[persona])
    sees_page = persona in {"bureau", "inspector", "principal", "academic", "outsider"}
    scopes = {"region": f"r:{world.district.pk}", "school": f"s:{world.school.pk}"}
    saves = {"region": {"bureau"}, "school": OFFICE}
    for scope, value in scopes.items():
        name = f"页面机构-{scope}"
        r = client.post("/afterschool/providers/", {"name": name, "kind": "sports", "scope": value})
        assert r.status_code == (302 if sees_page else 404), (scope, r.status_code)
        assert ExternalProvider.objects.filter(name=name).exists() == (persona in saves[scope]), scope


@pytest.mark.parametrize("scope", ["all", "course"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_withdrawing_a_child_after_the_allocation_per_persona(client, world, published, persona, scope):
    """The school office or the child's guardian (waitlist._child); everyone else finds no child
    (404, also staff who can see the programme)."""
    p, football, _ = published
    client.force_login(world.users[persona])
    r = call(
        client,
        "post",
        f"/api/v1/afterschool/programmes/{p.pk}/withdrawals",
        {"student_id": world.student.pk, "scope": scope},
    )
    place = Enrolment.objects.get(student=world.student, course=football)
    app = Application.objects.get(programme=p, student=world.student)
    if persona in FAMILY_OR_OFFICE:
        assert r.status_code == 200, r.content[:200]
        assert r.json() == {"left": None if scope == "all" else "足球", "scope": scope}
        assert place.status == EnrolmentStatus.WITHDRAWN
        assert (app.withdrawn_at is not None) == (scope == "all")
    else:
        assert r.status_code == 404, r.content[:200]
        assert place.status == EnrolmentStatus.PLACED
        assert app.withdrawn_at is None


@pytest.mark.parametrize("persona", PERSONAS)
def test_adding_a_course_from_the_page_per_persona(client, world, autumn_term, persona):
    """Only the school office gets the form (can_manage_programme); everyone else 404, also staff."""
    p = programme(world, autumn_term)
    teacher_id = world.users["teacher"].teacher_profiles.get().pk
    client.force_login(world.users[persona])
    r = client.post(
        f"/afterschool/{p.pk}/courses/new/",
        {
            "name": "合唱",
            "category": "art",
            "capacity": "30",
            "weekdays": ["2", "4"],
            "runner": f"t:{teacher_id}",
            "min_size": "0",
        },
    )
    made = Course.objects.filter(programme=p, name="合唱")
    if persona in OFFICE:
        assert r.status_code == 302, r.content[:300]
        assert made.count() == 1
    else:
        assert r.status_code == 404
        assert not made.exists()
