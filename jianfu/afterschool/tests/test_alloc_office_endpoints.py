"""The school office's write endpoints, per persona: only the principal and academic affairs of the
school pass; other staff who can see the programme are refused (403); everyone else finds nothing
(404, the same answer as for a programme that does not exist). What each action does is tested
through the services; here, who may call it."""

import pytest

from conftest import PERSONAS
from conftest import api as call
from jianfu.afterschool.tests.alloc_fixtures import OFFICE, STAFF, course, programme

pytestmark = pytest.mark.django_db


def refused(persona):
    return 403 if persona in STAFF else 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_defining_a_draft_programme_per_persona(client, world, autumn_term, persona):
    p = programme(world, autumn_term, name="草稿方案")
    chess = course(world, p, "围棋", 20, category="other")
    base = f"/api/v1/afterschool/programmes/{p.pk}"
    client.force_login(world.users[persona])
    slots = [
        {"weekday": d, "part": part, "start": start, "end": end}
        for d in (1, 2, 3, 4, 5)
        for part, start, end in (("basic", "15:40", "16:40"), ("course", "16:50", "17:50"))
    ]
    teacher_id = world.users["teacher"].teacher_profiles.get().pk
    spec = {
        "name": "合唱",
        "category": "art",
        "capacity": 30,
        "weekdays": [2, 4],
        "min_size": 0,
        "teacher_id": teacher_id,
    }
    responses = {
        "slots": call(client, "put", f"{base}/slots", slots),
        "subsidies": call(client, "put", f"{base}/subsidies", {"hardship": 100}),
        "course_add": call(client, "post", f"{base}/courses", spec),
        "course_change": call(client, "put", f"{base}/courses/{chess.pk}", {**spec, "name": "国际象棋"}),
        "course_delete": call(client, "delete", f"{base}/courses/{chess.pk}"),
    }
    for name, r in responses.items():
        expected = 200 if persona in OFFICE else refused(persona)
        assert r.status_code == expected, (name, r.status_code, r.content[:200])
    if persona in OFFICE:
        assert responses["subsidies"].json() == {"hardship": 100}
        # The week is replaced by the ten slots sent: the fixture's extended-care part (17:50–18:30)
        # is gone, in the answer and in the database.
        sent = {(x["weekday"], x["part"], x["start"], x["end"]) for x in slots}
        answered = {
            (x["weekday"], x["part"], x["start"][:5], x["end"][:5]) for x in responses["slots"].json()
        }
        stored = {
            (x.weekday, x.part, x.start.strftime("%H:%M"), x.end.strftime("%H:%M")) for x in p.slots.all()
        }
        assert len(sent) == 10 and answered == sent and stored == sent
    else:
        assert p.slots.count() == 15  # the fixture's week (basic, course, extended × 5) is untouched


@pytest.mark.parametrize("persona", PERSONAS)
def test_window_hardship_publication_cancel_and_merge_per_persona(client, world, published, persona):
    p, football, choir = published
    from jianfu.afterschool.models import Application

    app = Application.objects.get(programme=p, student=world.student)
    base = f"/api/v1/afterschool/programmes/{p.pk}"
    client.force_login(world.users[persona])
    responses = {
        "open": call(client, "post", f"{base}/open"),
        "close": call(client, "post", f"{base}/close"),
        "hardship": call(client, "post", f"{base}/applications/{app.pk}/hardship", {"verified": False}),
        "publish": call(client, "post", f"{base}/publish"),
        "merge": call(client, "post", f"{base}/courses/{football.pk}/merge", {"into_course_id": choir.pk}),
        "cancel": call(client, "post", f"{base}/courses/{choir.pk}/cancel"),
    }
    for name, r in responses.items():
        if persona in OFFICE:
            # Past the permission check: the answer is the action's own (done, or refused for the
            # programme's state with a domain error), never "not found" or "forbidden".
            assert r.status_code not in (401, 403, 404) and r.status_code < 500, (name, r.status_code)
        else:
            assert r.status_code == refused(persona), (name, r.status_code, r.content[:200])


@pytest.mark.parametrize("persona", PERSONAS)
def test_adding_provider_staff_per_persona(client, world, persona):
    """A provider's record is kept by whoever registered it: the district's bureau staff for a district
    provider (its inspectors and the schools that may use it see it: 403), a school office for its own
    (nobody outside that office sees it); everyone else finds nothing (404)."""
    from jianfu.afterschool.courses.services import provider_create
    from jianfu.afterschool.models import ProviderKind

    district = provider_create(
        actor=world.users["bureau"],
        name="天河区少年宫",
        kind=ProviderKind.CULTURE_CENTRE,
        region_id=world.district.pk,
    )
    own = provider_create(
        actor=world.users["academic"],
        name="家长志愿者团队",
        kind=ProviderKind.VOLUNTEER,
        school_id=world.school.pk,
    )
    client.force_login(world.users[persona])
    body = {"name": "林老师", "qualification": "舞蹈教师资格"}
    to_district = call(client, "post", f"/api/v1/afterschool/providers/{district.pk}/staff", body)
    to_own = call(client, "post", f"/api/v1/afterschool/providers/{own.pk}/staff", body)
    assert to_district.status_code == {
        "bureau": 200,
        "inspector": 403,
        "principal": 403,
        "academic": 403,
    }.get(persona, 404)
    assert to_own.status_code == (200 if persona in OFFICE else 404)


@pytest.fixture
def chess_allocated(world, autumn_term):
    """围棋 with one place and two applicants, allocated: one placed, one waiting."""
    from jianfu.afterschool.allocation.services import allocation_run
    from jianfu.afterschool.tests.alloc_fixtures import apply, child, close, open_choosing

    p = programme(world, autumn_term)
    chess = course(world, p, "围棋", 1, category="other")
    open_choosing(world, p)
    for name in ("甲", "乙"):
        parent, kid = child(world, name=name)
        apply(parent, kid, p, [chess])
    close(world, p)
    allocation_run(actor=world.users["academic"], programme_id=p.pk, seed=7)
    return p, chess


@pytest.mark.parametrize("persona", PERSONAS)
def test_adding_places_after_the_allocation_per_persona(client, world, chess_allocated, persona):
    p, chess = chess_allocated
    client.force_login(world.users[persona])
    r = call(
        client, "post", f"/api/v1/afterschool/programmes/{p.pk}/courses/{chess.pk}/capacity", {"capacity": 2}
    )
    if persona in OFFICE:
        assert r.status_code == 200 and r.json() == {"promoted": 1}  # the one waiting child
    else:
        assert r.status_code == refused(persona), r.content[:200]


@pytest.mark.parametrize("persona", PERSONAS)
def test_adding_places_from_the_allocation_page_per_persona(client, world, chess_allocated, persona):
    """The page's 各课程名额 form runs the same service: the office only; to anyone else the page
    does not exist and the course keeps its one place."""
    from jianfu.afterschool.models import Course

    p, chess = chess_allocated
    client.force_login(world.users[persona])
    r = client.post(
        f"/afterschool/{p.pk}/allocation/", {"action": "capacity", "course": chess.pk, "capacity": 2}
    )
    capacity = Course.objects.get(pk=chess.pk).capacity
    if persona in OFFICE:
        assert (r.status_code, capacity) == (302, 2)
    else:
        assert (r.status_code, capacity) == (404, 1)
