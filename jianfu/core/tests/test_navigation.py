"""The menu is built only when a page shows it (not for htmx fragments), and once per page."""

from unittest import mock

import pytest
from django.template import engines
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def test_the_menu_is_built_only_for_a_template_that_shows_it_and_once(world):
    request = RequestFactory().get("/")
    request.user = world.users["principal"]
    django_engine = engines["django"]
    with mock.patch(
        "jianfu.accounts.selectors.navigation_for_user", return_value=[{"label": "首页", "url": "/"}]
    ) as built:
        fragment = django_engine.from_string("<tr><td>周小明</td></tr>").render({}, request)
        assert fragment == "<tr><td>周小明</td></tr>" and built.call_count == 0
        page = django_engine.from_string(
            "{% for i in nav_items %}{{ i.label }}{% endfor %}|{% for i in nav_items %}{{ i.url }}{% endfor %}"
        ).render({}, request)
        assert page == "首页|/" and built.call_count == 1
