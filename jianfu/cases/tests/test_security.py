"""Complaints under attack (../shared/findings/security.md M1, M2, M5, L1 #9 and NUL, L7): what a
school that wants to know who complained, or a client that guesses receipt codes, can no longer learn."""


import pytest

from jianfu.cases.models import Level
from jianfu.cases.services import complaint_file, complaints_escalate_overdue

pytestmark = pytest.mark.django_db

LEADERSHIP_TEXT = "校长要求全年级每周周测并公布排名，班主任不敢不执行，孩子压力很大"
SIMILAR_TEXT = "全年级每周周测并公布排名，孩子压力很大"


def second_parent(world):
    """Another family of the same class (五年级(1)班), so two complaints can name one class."""
    from jianfu.accounts.models import Membership, Role
    from jianfu.schools.models import Guardian

    user = world.users["nobody"]
    Guardian.objects.create(student=world.student, name="周先生", phone=user.phone, user=user)
    Membership.objects.create(user=user, role=Role.PARENT, school_class=world.class_5_1)
    return user


def file_as(world, user, text, **kw):
    return complaint_file(actor=user, student_id=world.student.pk, category="exams", text=text, **kw)


# --- M1: near-duplicate grouping ---------------------------------------------------------------


def _school_sees(client, world, persona, complaint):
    client.force_login(world.users[persona])
    detail = client.get(detail_url(complaint))
    listing = client.get("/api/v1/cases/complaints")
    assert detail.status_code == 200 and listing.status_code == 200
    return detail.content.decode() + listing.content.decode()


def detail_url(complaint):
    return f"/cases/{complaint.pk}/"


@pytest.mark.parametrize("persona", ["principal", "academic"])
def test_a_similar_school_complaint_never_points_at_a_district_only_one(client, world, persona):
    hidden = file_as(world, world.users["parent"], LEADERSHIP_TEXT, about_leadership=True)
    assert hidden.level == Level.DISTRICT
    seen = file_as(world, second_parent(world), SIMILAR_TEXT)
    assert seen.level == Level.SCHOOL
    # Jaccard ≥ 0.5 on the two texts (the finding's own pair): they were grouped on main.
    assert seen.duplicate_of_id is None
    body = _school_sees(client, world, persona, seen)
    assert f"/cases/{hidden.pk}/" not in body and "相近" not in body
    assert "校长要求" not in body and f'"id": {hidden.pk},' not in body


def test_a_district_complaint_may_still_be_grouped_with_a_school_one(world):
    # The district sees both levels, so a district-level complaint may point at a school-level one.
    seen = file_as(world, second_parent(world), SIMILAR_TEXT)
    district = file_as(world, world.users["parent"], LEADERSHIP_TEXT, about_leadership=True)
    assert district.duplicate_of == seen


def test_the_badge_disappears_once_the_earlier_complaint_left_the_school(client, world):
    from datetime import date

    first = file_as(world, world.users["parent"], SIMILAR_TEXT, today=date(2026, 9, 29))
    second = file_as(world, second_parent(world), SIMILAR_TEXT + "。", today=date(2026, 9, 29))
    assert second.duplicate_of == first
    client.force_login(world.users["academic"])
    assert "相近" in client.get(detail_url(second)).content.decode()
    second.status = "acknowledged"
    second.save(update_fields=["status"])
    # The first was not acknowledged in time: the district takes it; the school no longer sees it.
    assert complaints_escalate_overdue(today=date(2026, 10, 12)) == 1  # ack due 10-08, answer 10-26
    first.refresh_from_db()
    assert first.level == Level.DISTRICT
    body = client.get(detail_url(second)).content.decode()
    assert "相近" not in body and f"/cases/{first.pk}/" not in body
    client.force_login(world.users["bureau"])
    assert "相近" in client.get(detail_url(second)).content.decode()
