"""The menu is built only when a page shows it (not for htmx fragments), and once per page."""

from unittest import mock

import pytest
from django.template import engines
from django.test import RequestFactory

from conftest import PERSONAS

pytestmark = pytest.mark.django_db


def test_the_menu_is_built_only_for_a_template_that_shows_it_and_once(world):
    request = RequestFactory().get("/")
    request.user = world.users["principal"]
    django_engine = engines["django"]
    with mock.patch(
        "jianfu.site.navigation.navigation_for_user", return_value=[{"label": "首页", "url": "/"}]
    ) as built:
        fragment = django_engine.from_string("<tr><td>周小明</td></tr>").render({}, request)
        assert fragment == "<tr><td>周小明</td></tr>" and built.call_count == 0
        page = django_engine.from_string(
            "{% for i in nav_items %}{{ i.label }}{% endfor %}|{% for i in nav_items %}{{ i.url }}{% endfor %}"
        ).render({}, request)
        assert page == "首页|/" and built.call_count == 1


def test_teaching_is_read_once_and_exam_plans_never(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jianfu.site.navigation import navigation_for_user

    def tables(persona):
        user = world.users[persona]
        with CaptureQueriesContext(connection) as q:
            labels = [i["label"] for i in navigation_for_user(user)]
        sql = [x["sql"] for x in q.captured_queries]
        return (
            labels,
            sum('FROM "schools_teachingassignment"' in s for s in sql),
            sum('FROM "exams_examplan"' in s for s in sql),
        )

    # The principal teaches nothing: one look at teaching, none at exam plans.
    labels, teaching, plans = tables("principal")
    assert ("布置作业" in labels, teaching, plans) == (False, 1, 0)
    # The math teacher teaches 五年级(1)班: the same one look, and one "录入等级" entry that leads to
    # the list of exams (issue 12, C5): the menu reads no exam plans and does not grow with them.
    labels, teaching, plans = tables("teacher")
    assert ("布置作业" in labels, labels.count("录入等级"), teaching, plans) == (True, 1, 1, 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_menu_offers_the_schools_pages_to_whoever_the_page_lets_in(client, world, persona):
    """The menu asks the same predicates as the pages (schools.permissions): an entry shown is a page
    that opens, and a page that opens has its entry."""
    from jianfu.site.navigation import navigation_for_user

    user = world.users[persona]
    labels = [i["label"] for i in navigation_for_user(user)]
    client.force_login(user)
    for label, url in (("校历", "/schools/calendar/"), ("学籍名册导入", "/schools/roster/import/")):
        assert (label in labels) == (client.get(url).status_code == 200), (persona, label)
