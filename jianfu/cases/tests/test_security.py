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


# --- L7: receipt codes ----------------------------------------------------------------------------


def test_failed_receipt_lookups_are_limited_per_address(client, world):
    from jianfu.cases.services import RECEIPT_FAILURES_PER_HOUR

    assert RECEIPT_FAILURES_PER_HOUR == 10  # the limit docs/api.md states
    real = file_as(world, world.users["parent"], SIMILAR_TEXT)
    guesses = [f"ABCDEFGH{n:02d}" for n in range(10)]
    for guess in guesses:
        assert client.get(f"/api/v1/cases/receipts/{guess}", REMOTE_ADDR="203.0.113.7").status_code == 404
    # The 11th failed lookup from that address, and now even a right code, get 429.
    over = client.get("/api/v1/cases/receipts/ABCDEFGH99", REMOTE_ADDR="203.0.113.7")
    assert (over.status_code, over.json()["code"]) == (429, "complaint_rate_limited")
    assert (
        client.get(f"/api/v1/cases/receipts/{real.receipt_code}", REMOTE_ADDR="203.0.113.7").status_code
        == 429
    )
    page = client.post("/cases/receipt/", {"code": real.receipt_code}, REMOTE_ADDR="203.0.113.7")
    assert page.status_code == 200 and 'id="status"' not in page.content.decode()
    assert "一小时后再试" in page.content.decode()
    # Another address is not affected.
    assert (
        client.get(f"/api/v1/cases/receipts/{real.receipt_code}", REMOTE_ADDR="198.51.100.1").status_code
        == 200
    )


def test_failed_lookups_on_the_page_count_too(client, world):
    for n in range(10):
        client.post("/cases/receipt/", {"code": f"WRONGCODE{n}"}, REMOTE_ADDR="203.0.113.8")
    r = client.get("/api/v1/cases/receipts/ABCDEFGH99", REMOTE_ADDR="203.0.113.8")
    assert r.status_code == 429


def test_receipt_answers_are_not_stored_and_the_code_is_taken_by_post_only(client, world):
    c = file_as(world, world.users["parent"], SIMILAR_TEXT)
    api = client.get(f"/api/v1/cases/receipts/{c.receipt_code}")
    assert api.status_code == 200 and "no-store" in api["Cache-Control"]
    by_url = client.get(f"/cases/receipt/?code={c.receipt_code}")
    assert 'id="status"' not in by_url.content.decode() and "no-store" in by_url["Cache-Control"]
    posted = client.post("/cases/receipt/", {"code": c.receipt_code})
    assert 'id="status"' in posted.content.decode() and "no-store" in posted["Cache-Control"]
    assert 'method="post"' in by_url.content.decode() and 'method="get"' not in by_url.content.decode()


def test_receipt_codes_are_accepted_with_spaces_and_dashes(client, world):
    c = file_as(world, world.users["parent"], SIMILAR_TEXT)
    code = c.receipt_code  # 10 characters, e.g. ABCDE23456
    grouped = f"{code[:4].lower()}-{code[4:8]} {code[8:]}"
    assert client.get(f"/api/v1/cases/receipts/{grouped}").json()["status"] == "new"
    assert 'id="status"' in client.post("/cases/receipt/", {"code": f" {grouped} "}).content.decode()


@pytest.mark.parametrize("persona", [*__import__("conftest").PERSONAS, "anonymous"])
def test_receipt_lookup_per_persona(client, world, persona):
    # Public by design: whoever holds the code follows the complaint; the answer never names the family.
    c = file_as(world, world.users["parent"], SIMILAR_TEXT)
    if persona != "anonymous":
        client.force_login(world.users[persona])
    api = client.get(f"/api/v1/cases/receipts/{c.receipt_code}")
    page = client.post("/cases/receipt/", {"code": c.receipt_code})
    assert api.status_code == 200 and page.status_code == 200
    # (The parent's own name is in the page's header, as on every page they open.)
    body = api.content.decode() + (page.content.decode() if persona != "parent" else "")
    for secret in ("周女士", "13900000007", "周小明"):
        assert secret not in body
