"""Issue 15: the gate list and the office's applications list at a school's size — search by name
or class, filters in the query string, a first page much shorter than the whole list, and the
filtered list as .xlsx (texts kept text). Who may open them is unchanged (test_days_pages_api.py and
test_alloc_pages_api.py, per persona)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from jianfu.afterschool.allocation.views import APPLICATIONS_PAGE_SIZE
from jianfu.afterschool.models import Application
from jianfu.afterschool.pickup.services import pickup_book
from jianfu.afterschool.pickup.views import GATE_PAGE_SIZE
from jianfu.afterschool.tests.factories_days import (
    apply_for,
    course_in,
    kid,
    pickup_slots,
    place,
    programme_for,
    teacher_of,
)
from jianfu.core.models import AuditEvent
from jianfu.schools.models import SchoolClass, Student

pytestmark = pytest.mark.django_db
GATE = "/afterschool/days/gate/"


@pytest.fixture
def scene(world, autumn_term, monday):
    """Three children in two classes on Monday's gate list; 王小明 booked 18:00."""
    p = programme_for(world, autumn_term)
    coding = course_in(p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 3))
    art = course_in(p, "创意美术", weekdays=(1, 3))
    other = SchoolClass.objects.create(school=world.school, grade=world.school.grades.get(number=3), number=7)
    wang = kid(world, world.class_5_1, "王小明", 1)
    li = kid(world, other, "李小红", 2)
    zhao = kid(world, other, "赵一=SUM(1)", 3)
    place(coding, wang, basic=True)
    place(art, li, basic=True)
    apply_for(p, zhao, basic=True, hardship="hardship")
    slots = pickup_slots(p)
    pickup_book(
        actor=world.users["principal"],
        programme_id=p.pk,
        student_id=wang.pk,
        slot_id=slots["18:00"].pk,
        on=date(2026, 11, 23),
    )
    return {"p": p, "other": other, "wang": wang, "li": li, "zhao": zhao, "slots": slots, "coding": coding}


def names(body: str, candidates: list[Student]) -> set[str]:
    return {s.name for s in candidates if s.name in body}


def kids(scene):
    return [scene["wang"], scene["li"], scene["zhao"]]


def test_gate_search_and_filters(client, world, scene):
    client.force_login(world.users["principal"])
    assert names(client.get(GATE).content.decode(), kids(scene)) == {"王小明", "李小红", "赵一=SUM(1)"}
    assert names(client.get(GATE, {"q": "小红"}).content.decode(), kids(scene)) == {"李小红"}
    by_class = client.get(GATE, {"q": str(scene["other"])}).content.decode()
    assert names(by_class, kids(scene)) == {"李小红", "赵一=SUM(1)"}
    assert names(client.get(GATE, {"cls": scene["other"].pk}).content.decode(), kids(scene)) == {
        "李小红",
        "赵一=SUM(1)",
    }
    assert names(client.get(GATE, {"slot": scene["slots"]["18:00"].pk}).content.decode(), kids(scene)) == {
        "王小明"
    }
    assert names(client.get(GATE, {"q": "小", "cls": scene["other"].pk}).content.decode(), kids(scene)) == {
        "李小红"
    }
    # A filter the page did not offer is named beside its field and left off: the list still shows.
    odd = client.get(GATE, {"cls": "999999"})
    assert odd.status_code == 200 and len(names(odd.content.decode(), kids(scene))) == 3


def test_applications_search_and_filters(client, world, scene):
    client.force_login(world.users["academic"])
    url = f"/afterschool/{scene['p'].pk}/applications/"

    def shown(**query):
        return names(client.get(url, query).content.decode(), kids(scene))

    assert shown() == {"王小明", "李小红", "赵一=SUM(1)"}
    assert shown(q="王") == {"王小明"}
    assert shown(q=str(scene["other"])) == {"李小红", "赵一=SUM(1)"}
    assert shown(course=scene["coding"].pk) == {"王小明"}
    assert shown(status="hardship") == {"赵一=SUM(1)"}
    assert shown(only="hardship") == {"赵一=SUM(1)"}  # the old link keeps working
    assert shown(status="basic_only") == {"赵一=SUM(1)"}
    Application.objects.filter(student=scene["li"]).update(withdrawn_at="2026-11-20T10:00:00+08:00")
    assert shown(status="withdrawn") == {"李小红"}
    assert shown(status="active") == {"王小明", "赵一=SUM(1)"}


def test_the_lists_are_not_for_others(client, world, scene):
    """The exports answer whom the pages answer (the pages' own per-persona tests stand)."""
    for persona in ("teacher", "parent", "bureau", "outsider"):
        client.force_login(world.users[persona])
        assert client.get(f"/afterschool/{scene['p'].pk}/applications/export.xlsx").status_code == 404
        assert client.get(GATE + "export.xlsx").status_code == 404


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in ws.iter_rows()], ws


def test_gate_export_is_filtered_and_formula_safe(client, world, scene):
    scene["zhao"].name = "=1+1"
    scene["zhao"].save()
    client.force_login(world.users["principal"])
    rows, ws = _sheet(client.get(GATE + "export.xlsx", {"cls": scene["other"].pk}))
    assert rows[0][:4] == ["学校", "接送时段", "班级", "学生"]
    assert sorted(r[3] for r in rows[1:]) == sorted(["李小红", "=1+1"])
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "=1+1")
    assert cell.data_type == "s" and cell.quotePrefix
    assert not any(s.registry_id in str(v) for s in kids(scene) for r in rows for v in r)
    assert AuditEvent.objects.filter(action="afterschool_gate_exported").count() == 1


def test_applications_export_is_filtered_and_formula_safe(client, world, scene):
    scene["zhao"].name = '=HYPERLINK("x")'
    scene["zhao"].save()
    client.force_login(world.users["principal"])
    url = f"/afterschool/{scene['p'].pk}/applications/export.xlsx"
    rows, ws = _sheet(client.get(url, {"status": "hardship"}))
    assert [r[0] for r in rows[1:]] == ['=HYPERLINK("x")']
    cell = ws.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.quotePrefix
    rows, _ws = _sheet(client.get(url))
    assert len(rows) == 4
    assert AuditEvent.objects.filter(action="afterschool_applications_exported").count() == 2


@pytest.fixture
def big_school(world, autumn_term, monday):
    """460 children in the basic part across ten classes, all on Monday's gate list."""
    p = programme_for(world, autumn_term)
    classes = [
        SchoolClass.objects.create(
            school=world.school, grade=world.school.grades.get(number=g), number=10 + n
        )
        for g in (1, 2)
        for n in range(5)
    ]
    students = Student.objects.bulk_create(
        Student(
            school=world.school,
            school_class=classes[i % 10],
            registry_id=f"L2015888800{i:06d}",
            name=f"学生{i:03d}",
            gender="M",
            birth_date=date(2015, 1, 1),
        )
        for i in range(460)
    )
    Application.objects.bulk_create(
        Application(programme=p, student=s, submitted_by=world.users["principal"], basic_part=True)
        for s in students
    )
    return {"p": p, "students": students, "classes": classes}


def test_a_default_page_at_460_children_is_short(client, world, big_school):
    client.force_login(world.users["principal"])
    gate = client.get(GATE).content.decode()
    assert gate.count('class="gate-row"') == GATE_PAGE_SIZE < 460
    assert "460" in gate  # the count of the whole list is said
    last = client.get(GATE, {"page": 19}).content.decode()
    assert last.count('class="gate-row"') == 460 - 18 * GATE_PAGE_SIZE
    one_class = client.get(GATE, {"cls": big_school["classes"][0].pk}).content.decode()
    assert one_class.count('class="gate-row"') == GATE_PAGE_SIZE  # 46 in the class, a page of them
    apps = client.get(f"/afterschool/{big_school['p'].pk}/applications/").content.decode()
    assert apps.count('<tr id="application-') == APPLICATIONS_PAGE_SIZE < 460
    rows, _ws = _sheet(client.get(GATE + "export.xlsx"))
    assert len(rows) == 461  # the export is the whole filtered list, not one page


def test_a_tap_without_js_comes_back_to_the_same_filtered_page(client, world, scene):
    client.force_login(world.users["principal"])
    page = client.get(GATE, {"cls": scene["other"].pk, "q": "小"}).content.decode()
    assert 'name="back"' in page
    r = client.post(
        GATE + "depart/",
        {
            "programme": scene["p"].pk,
            "child": scene["li"].pk,
            "back": f"cls={scene['other'].pk}&q=小&next=//evil",
        },
    )
    assert r.status_code == 302
    assert r["Location"].startswith(GATE + "?") and "evil" not in r["Location"]
    assert f"cls={scene['other'].pk}" in r["Location"]


def test_the_lists_read_in_english(client, world, scene):
    """An office member who chose English gets the search, filters and pager in English (decision
    0038); the children's names and classes stay as the school wrote them."""
    principal = world.users["principal"]
    principal.preferred_language = "en"
    principal.save(update_fields=["preferred_language"])
    client.force_login(principal)
    gate = client.get(GATE, {"q": "小"}).content.decode()
    assert "Name or class" in gate and "All classes" in gate and "Clear filters" in gate
    apps = client.get(f"/afterschool/{scene['p'].pk}/applications/").content.decode()
    assert "Any status" in apps and "3 applications" in apps and "李小红" in apps
    export = client.get(f"/afterschool/{scene['p'].pk}/applications/export.xlsx")
    assert "after-school-applications-" in export["Content-Disposition"]
