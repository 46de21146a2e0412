"""The post and edit pages read what was typed through forms (issue 14): a value a field cannot read
is said beside that field, and everything else the teacher typed comes back as typed."""

import re
from datetime import date

import pytest

from jianfu.homework.models import HomeworkItem, Status
from jianfu.homework.services import Draft, homework_create
from jianfu.schools.models import Subject, Teacher, TeachingAssignment

pytestmark = pytest.mark.django_db
MON = date(2026, 11, 23)


def typed(world, **changes):
    return {
        "assignment": f"{world.class_5_1.pk}:math",
        "date_set": str(MON),
        "date_due": str(MON),
        "kind": "oral",
        "where": "home",
        "tier": "required",
        "minutes": "20",
        "description": "朗读课文第三段",
        "phone_required": "",
        **changes,
    }


def field_errors(html: str) -> str:
    return " ".join(re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', html, re.S))


def test_post_minutes_that_are_not_a_number_are_said_beside_the_field(client, world, autumn_term):
    client.force_login(world.users["teacher"])
    r = client.post("/homework/post/", typed(world, minutes="二十"))
    html = r.content.decode()
    assert r.status_code == 422 and not HomeworkItem.objects.exists()
    assert "请填写整数分钟" in field_errors(html) and 'id="post-error"' in html
    assert 'value="二十"' in html  # the bad value itself is shown again, to be corrected
    assert "朗读课文第三段</textarea>" in html
    assert f'value="{MON}"' in html and '<option value="oral" selected>' in html


def test_post_a_date_that_is_not_a_date_is_said_beside_the_field(client, world, autumn_term):
    client.force_login(world.users["teacher"])
    r = client.post("/homework/post/", typed(world, date_set="2026-11-31", minutes="25"))
    html = r.content.decode()
    assert r.status_code == 422 and not HomeworkItem.objects.exists()
    assert "请填写有效的日期" in field_errors(html)
    assert (
        'value="25"' in html
        and "朗读课文第三段</textarea>" in html
        and '<option value="oral" selected>' in html
    )


def test_post_a_sibling_class_stays_ticked_after_a_refusal(client, world, autumn_term):
    teacher, _ = Teacher.objects.get_or_create(
        school=world.school, user=world.users["teacher"], defaults={"name": world.users["teacher"].name}
    )
    TeachingAssignment.objects.get_or_create(
        teacher=teacher, school_class=world.class_5_2, subject=Subject.MATH
    )
    client.force_login(world.users["teacher"])
    r = client.post("/homework/post/", typed(world, minutes="x", also_class=[str(world.class_5_2.pk)]))
    assert f'name="also_class" value="{world.class_5_2.pk}" checked' in r.content.decode()


def test_post_a_service_refusal_stands_beside_its_field_too(client, world, autumn_term):
    client.force_login(world.users["teacher"])
    r = client.post("/homework/post/", typed(world, minutes="300"))
    html = r.content.decode()
    assert r.status_code == 422 and "预计用时应在1到240分钟之间" in field_errors(html)
    assert 'value="300"' in html and "朗读课文第三段</textarea>" in html


def test_edit_a_bad_value_is_said_beside_the_field_and_keeps_the_rest(client, world, autumn_term):
    [item] = homework_create(
        actor=world.users["teacher"],
        class_ids=[world.class_5_1.pk],
        date_set=MON,
        date_due=MON,
        draft=Draft(subject="math", minutes=20),
        description="练习册第35页",
    )
    client.force_login(world.users["teacher"])
    r = client.post(
        f"/homework/item/{item.pk}/edit/",
        {"minutes": "半小时", "description": "练习册第36页", "kind": "reading", "date_due": "2026-11-24"},
    )
    html = r.content.decode()
    assert r.status_code == 422 and 'id="edit-error"' in html
    assert "请填写整数分钟" in field_errors(html)
    assert "练习册第36页</textarea>" in html and '<option value="reading" selected>' in html
    assert 'value="2026-11-24"' in html
    item.refresh_from_db()
    assert (item.minutes, item.description, item.status) == (20, "练习册第35页", Status.ACTIVE)
    r = client.post(
        f"/homework/item/{item.pk}/edit/", {"minutes": "20", "description": "x", "date_due": "明天"}
    )
    assert r.status_code == 422 and "请填写有效的日期" in field_errors(r.content.decode())


# --- the one-button forms: a refusal is said on the page they return to, and nothing changes --------


def test_a_publish_with_a_date_that_is_not_a_date_publishes_nothing(client, world, autumn_term):
    from jianfu.homework.models import ClassDayLoad

    homework_create(
        actor=world.users["teacher"],
        class_ids=[world.class_5_1.pk],
        date_set=MON,
        date_due=MON,
        draft=Draft(subject="math", minutes=20),
        description="练习册第35页",
    )
    client.force_login(world.users["head_teacher"])
    r = client.post(f"/homework/class/{world.class_5_1.pk}/publish/", {"date": "2026-02-30"}, follow=True)
    assert "日期：请填写有效的日期" in r.content.decode()
    assert not ClassDayLoad.objects.filter(published_at__isnull=False).exists()


def test_an_over_long_reason_decides_nothing(client, world, autumn_term):
    homework_create(
        actor=world.users["teacher"],
        class_ids=[world.class_5_1.pk],
        date_set=MON,
        date_due=MON,
        draft=Draft(subject="math", minutes=50),
        description="数学 练习",
    )
    [pending] = homework_create(
        actor=world.users["head_teacher"],
        class_ids=[world.class_5_1.pk],
        date_set=MON,
        date_due=MON,
        draft=Draft(subject="chinese", minutes=20),
        description="语文 练习",
        exception_reason="单元复习",
    )
    client.force_login(world.users["academic"])
    r = client.post(
        f"/homework/item/{pending.pk}/approve/", {"decision": "approve", "reason": "长" * 201}, follow=True
    )
    assert r.status_code == 200 and "200" in r.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_a_family_report_for_no_child_or_no_day_files_nothing(client, world, autumn_term):
    from django.urls import reverse

    from jianfu.feedback.models import FamilyReport

    client.force_login(world.users["parent"])
    for envelope in ({"student": "", "date": str(MON)}, {"student": world.student.pk, "date": "周一"}):
        r = client.post(
            reverse("homework:family-report"),
            {**envelope, "idempotency_key": "k", "minutes_total": "30"},
            follow=True,
        )
        assert "提交的内容不完整" in r.content.decode()
    assert not FamilyReport.objects.exists()
