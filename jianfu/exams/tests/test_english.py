"""The exam and policy pages in English, for an account that chose English (issue 14). The Chinese
assertions of the other tests stay as they are: Chinese is the source language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from jianfu.exams.tests.conftest import days, file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese_afterwards():
    # A page request activates the account's language for the thread and leaves it active; the next
    # test in this worker calls services directly and must start in the source language again.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def english(user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def test_the_filing_page_and_a_refusal_in_english(client, w):
    client.force_login(english(w.users["academic"]))
    html = client.get("/exams/").content.decode()
    # (The site menu is another module's and may still be Chinese: only this page's own text is checked.)
    assert "Exam filings" in html and "File an exam" in html and "每学期每个年级" not in html
    r = client.post(
        "/exams/",
        {
            "school": w.school.pk,
            "term": w.term.pk,
            "grade": 5,
            "kind": "monthly",
            "organiser": "school",
            "date": days(w, 7).isoformat(),
            "subjects": ["math"],
            "paper_based": "on",
            "whole_grade": "on",
        },
    )
    html = r.content.decode()
    assert r.status_code == 422 and "Refused: it breaks the exam rules" in html
    assert "exam_no_weekly_monthly_unit_tests" in html


def test_the_levels_pages_in_english(client, w):
    file(w, 5, "final", days(w, 0))
    client.force_login(english(w.users["teacher"]))
    assert "Enter levels" in client.get("/exams/levels/").content.decode()
    client.force_login(english(w.users["parent"]))
    assert "s exam levels" in client.get("/exams/family/").content.decode()


def test_the_profile_page_in_english(client, w):
    client.force_login(english(w.users["principal"]))
    html = client.get("/policies/").content.decode()
    assert "Policy profile in force" in html and "Set a local rule" in html
    assert "现行政策配置" not in html
