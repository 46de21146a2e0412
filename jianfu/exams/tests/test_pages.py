"""Exam pages and endpoints: wiring, per-role permissions, the menu (issue 12, findings C1, C4, C5)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import PERSONAS
from jianfu.exams.models import ExamPlan, ExamResult
from jianfu.exams.services import ResultEntry, results_enter
from jianfu.exams.tests.conftest import days, file
from jianfu.site.navigation import navigation_for_user

pytestmark = pytest.mark.django_db
SCHOOL_ADMINS = ("principal", "academic")


def post_json(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def plan_body(w, **kw):
    return {
        "school_id": w.school.pk,
        "grade": 5,
        "term_id": w.term.pk,
        "kind": "final",
        "subjects": ["math"],
        "date": days(w, 10).isoformat(),
        **kw,
    }


def test_a_monthly_test_is_refused_on_the_page_keeping_what_was_typed_and_by_the_api(client, w):
    client.force_login(w.users["academic"])
    form = {
        "school": w.school.pk,
        "term": w.term.pk,
        "grade": 5,
        "kind": "monthly",
        "organiser": "school",
        "date": days(w, 7).isoformat(),
        "subjects": ["math", "chinese"],
        "paper_based": "on",
        "whole_grade": "on",
    }
    r = client.post("/exams/", form)
    html = r.content.decode()
    assert r.status_code == 422 and "不能备案" in html and "月考" in html
    assert 'value="chinese" checked' in html and f'value="{days(w, 7).isoformat()}"' in html
    r = post_json(client, "/api/v1/exams/plans", plan_body(w, kind="monthly"))
    assert r.status_code == 422
    assert r.json()["code"] == "exam_rule_broken" and r.json()["message_en"]
    assert r.json()["details"][0]["code"] == "exam_no_weekly_monthly_unit_tests"
    assert ExamPlan.objects.count() == 0


def test_the_form_offers_the_schools_grades_and_its_stages_subjects(client, w):
    client.force_login(w.users["academic"])
    html = client.get("/exams/").content.decode()
    assert 'name="grade" type="number"' not in html and 'type="number" id="grade"' not in html
    assert '<option value="5"' in html and '<option value="8"' not in html
    assert 'value="math"' in html and 'value="physics"' not in html and "物理" not in html
    assert "例外理由" not in html  # the school cannot except itself
    client.force_login(w.users["bureau"])
    html = client.get(f"/exams/?school={w.five_four_school.pk}").content.decode()
    assert 'value="physics"' in html and "例外理由" in html


def test_the_district_records_an_exception_through_the_api(client, w):
    client.force_login(w.users["bureau"])
    r = post_json(
        client,
        "/api/v1/exams/plans",
        plan_body(w, kind="monthly", exception_reason="台风停课后补测，经局务会同意"),
    )
    assert r.status_code == 200, r.content
    assert r.json()["violations"] == ["exam_no_weekly_monthly_unit_tests"] and r.json()["exception_reason"]
    client.force_login(w.users["academic"])
    r = post_json(
        client,
        "/api/v1/exams/plans",
        plan_body(w, kind="monthly", date=days(w, 11).isoformat(), exception_reason="学校自己想考一次"),
    )
    assert r.status_code == 403


def _menu_urls(user):
    return [i["url"] for i in navigation_for_user(user)]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_menu_link_opens_and_levels_are_one_entry(client, w, persona):
    for n in range(3):  # several plans, with levels open for one: the menu does not grow with them
        file(w, 5, "final" if n == 0 else "quiz", days(w, n), whole_grade=False)
    client.force_login(w.users[persona])
    items = navigation_for_user(w.users[persona])
    labels = [i["label"] for i in items]
    assert not any(label.startswith("录入等级：") for label in labels)
    assert labels.count("录入等级") == (1 if persona in ("teacher", "head_teacher") else 0)
    for url in _menu_urls(w.users[persona]):
        assert client.get(url).status_code == 200, url


def test_the_levels_list_shows_only_exams_the_teacher_can_enter(client, w):
    open_plan = file(w, 5, "final", w.today)
    later = file(w, 5, "quiz", days(w, 4), whole_grade=False)
    file(w, 3, "final", w.today)  # grade 3: not the math teacher's
    file(w, 5, "quiz", days(w, 5), whole_grade=False, subjects=["english"])  # not their subject
    client.force_login(w.users["teacher"])
    html = client.get("/exams/levels/").content.decode()
    assert f"/exams/{open_plan.pk}/results/" in html and f"/exams/{later.pk}/results/" not in html
    assert "起可录入" in html and html.count("<tr>") == 3  # header + the two of theirs
    data = client.get("/api/v1/exams/levels/pending").json()
    assert [(d["id"], d["open"]) for d in data] == [(open_plan.pk, True), (later.pk, False)]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_exam_page_and_endpoint_per_role(client, w, persona):
    editable = file(w, 5, "final", days(w, 10))
    held = file(w, 5, "quiz", w.today, whole_grade=False)
    results_enter(
        actor=w.users["teacher"], plan_id=held.pk, entries=[ResultEntry(w.student.pk, "math", "优秀", 98.5)]
    )
    client.force_login(w.users[persona])
    admin = persona in SCHOOL_ADMINS
    filer = admin or persona == "bureau"
    staff = persona in ("bureau", "inspector", *SCHOOL_ADMINS)
    r = {
        "plans_page": client.get("/exams/"),
        "plans_api": client.get("/api/v1/exams/plans"),
        "edit_page": client.get(f"/exams/{editable.pk}/edit/"),
        "levels_page": client.get("/exams/levels/"),
        "pending_api": client.get("/api/v1/exams/levels/pending"),
        "entry": client.get(f"/exams/{held.pk}/results/"),
        "family": client.get("/exams/family/"),
        "child": client.get(f"/api/v1/exams/children/{w.student.pk}/levels"),
        "dist": client.get(
            f"/api/v1/exams/plans/{held.pk}/distribution?class_id={w.class_5_1.pk}&subject=math"
        ),
    }
    assert r["plans_page"].status_code == (200 if staff or persona == "outsider" else 404)
    assert (len(r["plans_api"].json()) > 0) == staff
    assert r["edit_page"].status_code == (200 if filer else 404)
    assert r["levels_page"].status_code == (200 if persona in ("teacher", "head_teacher") else 404)
    assert len(r["pending_api"].json()) == (2 if persona == "teacher" else 0)  # open and coming
    assert r["entry"].status_code == (200 if persona == "teacher" else 404)
    assert r["family"].status_code == (200 if persona == "parent" else 404)
    assert r["child"].status_code == (200 if persona == "parent" else 404)
    # Staff of the class or its school; region roles do not hold per-class distributions (0045).
    assert r["dist"].status_code == (200 if admin or persona in ("teacher", "head_teacher") else 404)
    for name, resp in r.items():
        body = re.sub(r"[A-Za-z0-9]{32,}", "", resp.content.decode())  # without CSRF tokens
        assert "98.5" not in body or name == "entry", name  # the raw score stays on the teacher's sheet
        assert "rank" not in body.lower(), name
        assert "排名" not in body.replace("不得公布考试成绩和排名", "").replace("不排名", ""), name

    # Writes: paste, change, release, withdraw — each only for its role.
    paste = post_json(
        client,
        f"/api/v1/exams/plans/{held.pk}/results/paste",
        {"class_id": w.class_5_1.pk, "subject": "math", "levels": "良好\n"},
    )
    assert paste.status_code == (200 if persona == "teacher" else 404), paste.content
    page_paste = client.post(
        f"/exams/{held.pk}/results/",
        {"paste": f"{w.class_5_1.pk}:math", f"levels_{w.class_5_1.pk}:math": "合格"},
    )
    assert page_paste.status_code == (302 if persona == "teacher" else 404)
    change = post_json(
        client,
        f"/api/v1/exams/plans/{editable.pk}",
        {**plan_body(w, date=days(w, 12).isoformat())},
        method="put",
    )
    assert change.status_code == (200 if filer else 403 if persona == "inspector" else 404), change.content
    page_edit = client.post(
        f"/exams/{editable.pk}/edit/",
        {
            "term": w.term.pk,
            "grade": 5,
            "kind": "final",
            "date": days(w, 13).isoformat(),
            "subjects": ["math"],
            "paper_based": "on",
            "whole_grade": "on",
            "organiser": "school",
        },
    )
    assert page_edit.status_code == (302 if filer else 404)
    release = client.post(f"/api/v1/exams/plans/{held.pk}/release")
    assert release.status_code == (200 if admin else 403 if persona in ("bureau", "inspector") else 404)
    page_release = client.post(f"/exams/{held.pk}/release/")
    assert page_release.status_code == (302 if staff else 404)
    assert (ExamPlan.objects.get(pk=held.pk).released_at is not None) == admin
    withdraw = client.post(f"/api/v1/exams/plans/{editable.pk}/withdraw")
    assert withdraw.status_code == (200 if filer else 403 if persona == "inspector" else 404)
    assert (ExamPlan.objects.get(pk=editable.pk).withdrawn_at is not None) == filer
    assert ExamResult.objects.get().level == ("合格" if persona == "teacher" else "优秀")


def test_a_refused_save_shows_again_what_was_typed(client, w):
    plan = file(w, 5, "final", days(w, 2))
    client.force_login(w.users["teacher"])
    key = f"{w.student.pk}:math"
    r = client.post(f"/exams/{plan.pk}/results/", {f"level_{key}": "优秀", f"comment_{key}": "很认真"})
    html = r.content.decode()
    assert r.status_code == 422 and "起才能录入" in html
    assert '<option value="优秀" selected>' in html and 'value="很认真"' in html
    assert not ExamResult.objects.exists()
    # A second final on the edit page: refused, the form keeps the new dates, the hint names the way out.
    other = file(w, 5, "quiz", days(w, 3), whole_grade=False)
    client.force_login(w.users["academic"])
    r = client.post(
        f"/exams/{other.pk}/edit/",
        {
            "term": w.term.pk,
            "grade": 5,
            "kind": "final",
            "date": days(w, 4).isoformat(),
            "end_date": days(w, 5).isoformat(),
            "subjects": ["math"],
            "paper_based": "on",
            "whole_grade": "on",
            "organiser": "school",
        },
    )
    html = r.content.decode()
    assert r.status_code == 422 and "exam_final_per_term_max" in html and "填写结束日期" in html
    assert f'value="{days(w, 5).isoformat()}"' in html
    assert ExamPlan.objects.get(pk=other.pk).kind == "quiz"


@pytest.mark.parametrize("persona", ["inspector", "parent", "teacher", "nobody"])
def test_a_filing_post_from_someone_who_cannot_file_is_not_found(client, w, persona):
    client.force_login(w.users[persona])
    for form in ({}, {"school": w.school.pk, "grade": 5, "term": w.term.pk, "kind": "final"}):
        assert client.post("/exams/", form).status_code == 404
    assert ExamPlan.objects.count() == 0
