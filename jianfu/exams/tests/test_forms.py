"""The exam pages read their posts through Django forms (jianfu.exams.forms): a field that cannot be
read is named on the page, nothing is saved, and what was typed is shown again (issue 14)."""

from __future__ import annotations

import pytest

from jianfu.exams.models import ExamPlan, ExamResult
from jianfu.exams.tests.conftest import days, file

pytestmark = pytest.mark.django_db


def test_a_date_that_is_not_a_date_is_named_and_the_rest_is_kept(client, w):
    client.force_login(w.users["academic"])
    r = client.post(
        "/exams/",
        {
            "school": w.school.pk,
            "term": w.term.pk,
            "grade": 5,
            "kind": "final",
            "organiser": "school",
            "date": "2026-02-30",  # no such day
            "subjects": ["math", "chinese"],
            "paper_based": "on",
        },
    )
    html = r.content.decode()
    assert r.status_code == 422 and 'id="plan-error"' in html
    assert 'value="2026-02-30"' in html and 'value="chinese" checked' in html
    assert '<option value="final" selected>' in html
    # whole_grade was not ticked: it stays unticked rather than falling back to the default.
    assert 'name="whole_grade" checked' not in html and 'name="paper_based" checked' in html
    assert ExamPlan.objects.count() == 0


def test_a_raw_score_that_is_not_a_number_is_refused_not_dropped(client, w):
    plan = file(w, 5, "final", days(w, 0))
    client.force_login(w.users["teacher"])
    key = f"{w.student.pk}:math"
    r = client.post(f"/exams/{plan.pk}/results/", {f"level_{key}": "优秀", f"raw_{key}": "九十"})
    html = r.content.decode()
    assert r.status_code == 422 and 'id="results-error"' in html
    assert '<option value="优秀" selected>' in html and 'value="九十"' in html
    assert not ExamResult.objects.exists()


def test_a_paste_naming_no_block_is_not_found_shaped(client, w):
    plan = file(w, 5, "final", days(w, 0))
    client.force_login(w.users["teacher"])
    r = client.post(f"/exams/{plan.pk}/results/", {"paste": "x:math", "levels_x:math": "优秀"})
    assert r.status_code == 422 and not ExamResult.objects.exists()
