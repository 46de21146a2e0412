"""The homework pages in English (issue 14): the catalogue is used, the public page is kept per
language (a Chinese visitor never gets the English copy from the cache, nor the other way round), and
what is stored for families stays in the site's language whoever wrote it."""

from datetime import date
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone, translation

from jianfu.homework.models import ClassDayLoad
from jianfu.homework.services import Draft, day_publish, homework_create, publication_ensure

pytestmark = pytest.mark.django_db
MON = date(2026, 11, 23)
EVENING = timezone.make_aware(timezone.datetime(2026, 11, 23, 19, 0))


@pytest.fixture
def published(world, autumn_term):
    with mock.patch("django.utils.timezone.now", return_value=EVENING):
        homework_create(
            actor=world.users["teacher"],
            class_ids=[world.class_5_1.pk],
            date_set=MON,
            date_due=MON,
            draft=Draft(subject="math", kind="oral", minutes=20),
            description="朗读课文",
        )
        pub = publication_ensure(actor=world.users["head_teacher"], school_class=world.class_5_1)
        day_publish(actor=world.users["head_teacher"], school_class=world.class_5_1, on=MON)
    return pub


def test_public_page_follows_the_language_cookie_and_is_cached_per_language(client, published):
    url = f"/p/{published.token}/"
    with mock.patch("django.utils.timezone.now", return_value=EVENING):
        zh = client.get(url)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        en = client.get(url)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        zh_again = client.get(url)
    assert "作业公示" in zh.content.decode() and "Homework notice" not in zh.content.decode()
    english = en.content.decode()
    assert "Homework notice" in english and '<html lang="en">' in english
    assert "Oral" in english and "朗读课文" in english  # labels translated, the teacher's text as written
    assert en["ETag"] != zh["ETag"] and zh_again["ETag"] == zh["ETag"]
    assert "Cookie" in en["Vary"]
    assert client.get(url + "print/").status_code == 200


def test_the_families_snapshot_is_stored_in_the_site_language(world, published):
    with translation.override("en"), mock.patch("django.utils.timezone.now", return_value=EVENING):
        homework_create(
            actor=world.users["teacher"],
            class_ids=[world.class_5_1.pk],
            date_set=MON,
            date_due=MON,
            draft=Draft(subject="math", kind="reading", minutes=10),
            description="读一篇短文",
        )
    load = ClassDayLoad.objects.get(school_class=world.class_5_1, date=MON)
    assert {i["kind"] for i in load.public_items} == {"口头", "阅读"}
    assert load.changes[-1]["what"].startswith("新增：")


def test_staff_pages_in_english(client, world, published):
    user = world.users["head_teacher"]
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    page = client.get(f"/homework/class/{world.class_5_1.pk}/?week={MON}").content.decode()
    assert "homework this week" in page and "Parents' reports" in page and "本周作业" not in page


@pytest.mark.parametrize(
    ("persona", "path", "english"),
    [
        ("teacher", "/homework/post/", "Set homework"),
        ("teacher", "/homework/mine/", "Homework I set"),
        ("parent", f"/homework/family/?day={MON}", "Homework and feedback"),
        ("academic", f"/homework/exceptions/?week={MON}", "Homework exceptions this week"),
    ],
)
def test_other_pages_in_english(client, world, published, persona, path, english):
    user = world.users[persona]
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    with mock.patch("django.utils.timezone.now", return_value=EVENING):
        response = client.get(path)
    assert response.status_code == 200 and english in response.content.decode()
