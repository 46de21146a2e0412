"""404 and 403 pages say what happened and where to go; an old class-page QR code says it was replaced
(issue 15). Chinese first; English through the catalogue."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import path
from django.utils import translation

from config.urls import urlpatterns as site_urlpatterns
from jianfu.homework.publication.services import publication_ensure, publication_revoke

pytestmark = pytest.mark.django_db


def _refuse(request):
    raise PermissionDenied


# The site's URLs plus one view that refuses, so the project's handler403 answers.
urlpatterns = [path("test-refused/", _refuse), *site_urlpatterns]
handler403 = "jianfu.core.views.forbidden"
handler404 = "jianfu.core.views.not_found"


def test_an_unknown_address_says_so_and_sends_a_visitor_to_sign_in(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "找不到这个页面" in html and 'href="/accounts/login/"' in html and "班主任" in html


def test_an_unknown_address_sends_a_signed_in_person_home(login, world):
    response = login(world.users["teacher"]).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "找不到这个页面" in html and 'href="/core/"' in html and "回到首页" in html


@override_settings(ROOT_URLCONF=__name__)
def test_a_refused_page_says_who_can_open_it_and_where_to_go(login, world):
    response = login(world.users["teacher"]).get("/test-refused/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "你的账号没有权限打开这个页面" in html and "教导处" in html and 'href="/core/"' in html


def test_the_error_pages_are_in_english_for_an_english_visitor(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/no-such-page/").content.decode()
    assert "找不到这个页面" not in html
    with translation.override("en"):
        assert translation.gettext("找不到这个页面") in html


def test_an_old_qr_code_says_the_link_was_replaced(client, world):
    pub = publication_ensure(actor=world.users["head_teacher"], school_class=world.class_5_1)
    assert client.get(f"/p/{pub.token}/").status_code == 200
    publication_revoke(actor=world.users["head_teacher"], school_class=world.class_5_1)
    for url in (f"/p/{pub.token}/", f"/p/{pub.token}/print/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "此链接已更换，请向班主任索取新的二维码" in response.content.decode(), url
    unknown = client.get("/p/not-a-token/").content.decode()
    assert "此链接已更换" not in unknown and "找不到这个页面" in unknown
