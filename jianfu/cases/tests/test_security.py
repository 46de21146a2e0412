"""Complaints under attack (../shared/findings/security.md M1, M2, M5, L1 #9 and NUL, L7): what a
school that wants to know who complained, or a client that guesses receipt codes, can no longer learn."""

import json

import pytest

from jianfu.cases.models import Complaint, Level
from jianfu.cases.services import complaint_file, complaints_escalate_overdue
from jianfu.cases.tests.helpers import release
from jianfu.core.actors import PERIODIC

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
    return f"/cases/{complaint.ref}/"


@pytest.mark.parametrize("persona", ["principal", "academic"])
def test_a_similar_school_complaint_never_points_at_a_district_only_one(client, world, persona):
    hidden = file_as(world, world.users["parent"], LEADERSHIP_TEXT, about_leadership=True)
    assert hidden.level == Level.DISTRICT
    seen = release(file_as(world, second_parent(world), SIMILAR_TEXT))
    release(hidden)
    assert seen.level == Level.SCHOOL
    # Jaccard ≥ 0.5 on the two texts (the finding's own pair): they were grouped on main.
    assert seen.duplicate_of_id is None
    body = _school_sees(client, world, persona, seen)
    assert f"/cases/{hidden.pk}/" not in body and hidden.ref not in body and "相近" not in body
    assert "校长要求" not in body


def test_a_district_complaint_may_still_be_grouped_with_a_school_one(world):
    # The district sees both levels, so a district-level complaint may point at a school-level one.
    seen = file_as(world, second_parent(world), SIMILAR_TEXT)
    district = file_as(world, world.users["parent"], LEADERSHIP_TEXT, about_leadership=True)
    assert district.duplicate_of == seen


def test_the_badge_disappears_once_the_earlier_complaint_left_the_school(client, world):
    from datetime import date

    first = release(file_as(world, world.users["parent"], SIMILAR_TEXT, today=date(2026, 9, 29)))
    second = release(file_as(world, second_parent(world), SIMILAR_TEXT + "。", today=date(2026, 9, 29)))
    assert second.duplicate_of == first
    client.force_login(world.users["academic"])
    assert "相近" in client.get(detail_url(second)).content.decode()
    second.status = "acknowledged"
    second.save(update_fields=["status"])
    # The first was not acknowledged in time: the district takes it; the school no longer sees it.
    assert (
        complaints_escalate_overdue(actor=PERIODIC, today=date(2026, 10, 12)) == 1
    )  # ack due 10-09, answer 10-27
    first.refresh_from_db()
    assert first.level == Level.DISTRICT
    body = client.get(detail_url(second)).content.decode()
    assert "相近" not in body and f"/cases/{first.pk}/" not in body and first.ref not in body
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
    # An old link with the code in the URL goes to the bare page (issue 15), which looks nothing up.
    by_url = client.get(f"/cases/receipt/?code={c.receipt_code}", follow=True)
    assert by_url.redirect_chain == [("/cases/receipt/", 302)]
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


# --- M5 and L1 #9: photos -----------------------------------------------------------------------


def png_claiming(width: int, height: int, *, full: bool) -> bytes:
    """A greyscale PNG whose header says width×height. With full=True its rows are all there (white,
    compressed in chunks so making it costs little memory): a real picture of that size, ~150 KB
    for 12000×12000. With full=False only the header and an empty data chunk."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = b""
    if full:
        z = zlib.compressobj(9)
        row = b"\x00" + b"\xff" * width
        parts = [z.compress(row * 100) for _ in range(height // 100)]
        idat = b"".join(parts) + z.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/png")


def post_with_photos(client, world, photos, text="附上孩子作业本的照片，每天写到十点"):
    client.force_login(world.users["parent"])
    return client.post(
        "/cases/new/",
        {"student": world.student.pk, "category": "homework", "text": text, "photos": photos},
    )


def small_jpeg() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, format="JPEG")
    return buf.getvalue()


def test_a_144_megapixel_png_is_refused_before_it_is_decoded(client, world, settings, tmp_path):
    from unittest import mock

    from PIL import ImageFile

    settings.MEDIA_ROOT = tmp_path
    bomb = png_claiming(12000, 12000, full=True)  # 144 MP, the finding's file
    assert len(bomb) < 1_000_000
    # Decoding would call load(); it must never be reached.
    with mock.patch.object(ImageFile.ImageFile, "load", side_effect=AssertionError("decoded")):
        r = post_with_photos(client, world, [upload("bomb.png", bomb)])
    assert r.status_code == 422
    assert "第1张照片：图片像素过大（12000×12000），不能超过4000万像素" in r.content.decode()
    assert not Complaint.objects.exists()


def test_a_225_megapixel_png_is_422_not_500(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    r = post_with_photos(client, world, [upload("big.png", png_claiming(15000, 15000, full=False))])
    assert r.status_code == 422 and "不能超过4000万像素" in r.content.decode()


def test_a_corrupt_image_is_422(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # A PNG header with no picture data behind it: the decoder fails, the answer names the photo.
    r = post_with_photos(client, world, [upload("cut.png", png_claiming(64, 64, full=False))])
    assert r.status_code == 422 and "第1张照片：无法识别的图片格式" in r.content.decode()


def test_a_request_whose_last_photo_is_bad_still_counts_against_the_daily_limit(
    client, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    for attempt in range(3):  # MAX_PER_ACCOUNT_PER_DAY = 3
        r = post_with_photos(client, world, [upload("a.jpg", small_jpeg()), upload("bad.txt", b"x")])
        assert r.status_code == 422 and "第2张照片" in r.content.decode(), attempt
    assert not Complaint.objects.exists()
    # Three refused attempts used the day's three filings: a good one now is refused too.
    r = post_with_photos(client, world, [upload("a.jpg", small_jpeg())])
    assert r.status_code == 429 and not Complaint.objects.exists()


def test_count_and_size_are_checked_before_any_photo_is_read(client, world, settings, tmp_path):
    from unittest import mock

    from jianfu.cases.rules import photos

    settings.MEDIA_ROOT = tmp_path
    with mock.patch.object(photos, "strip_metadata", side_effect=AssertionError("read")) as strip:
        four = post_with_photos(client, world, [upload(f"{n}.jpg", small_jpeg()) for n in range(4)])
        big = post_with_photos(client, world, [upload("big.jpg", small_jpeg() + b"\0" * (8 * 1024 * 1024))])
    assert strip.call_count == 0
    assert four.status_code == 422 and "最多上传3张照片" in four.content.decode()
    assert big.status_code == 422 and "第1张照片：照片不能超过8MB" in big.content.decode()
    # Refused before reading, so they did not count: the day's filings are all still there.
    for n in range(3):
        assert (
            post_with_photos(
                client, world, [upload("a.jpg", small_jpeg())], text=f"第{n}次反映作业太多的问题"
            ).status_code
            == 200
        )
    assert Complaint.objects.count() == 3


def test_photos_reach_the_service_as_temporary_files_not_in_memory(client, world, settings, tmp_path):
    from typing import Any
    from unittest import mock

    from django.core.files.uploadedfile import TemporaryUploadedFile

    from jianfu.cases import services

    settings.MEDIA_ROOT = tmp_path
    seen: list[Any] = []
    real = services.complaint_file

    def watch(**kwargs: Any) -> Any:
        seen.extend(kwargs["photos"])
        return real(**kwargs)

    with mock.patch.object(services, "complaint_file", side_effect=watch):
        r = post_with_photos(client, world, [upload("a.jpg", small_jpeg())])
    assert r.status_code == 200 and len(seen) == 1
    assert isinstance(seen[0], TemporaryUploadedFile)
    assert Complaint.objects.get().photos.get().width == 40


@pytest.mark.parametrize("persona", __import__("conftest").PERSONAS)
def test_filing_with_a_photo_per_persona(client, world, settings, tmp_path, persona):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.users[persona])
    r = client.post(
        "/cases/new/",
        {
            "student": world.student.pk,
            "category": "homework",
            "text": "附上孩子作业本的照片",
            "photos": [upload("a.jpg", small_jpeg())],
        },
    )
    assert r.status_code == (200 if persona == "parent" else 404)
    assert Complaint.objects.exists() == (persona == "parent")


# --- L1: NUL characters -------------------------------------------------------------------------


def test_nul_characters_never_reach_the_database(client, world):
    from jianfu.cases.services import complaint_answer, complaint_record

    filed = file_as(world, world.users["parent"], "每天作业\x00写到十点\x00以后")
    client.force_login(world.users["parent"])
    api = client.post(
        "/api/v1/cases/complaints",
        json.dumps(
            {"student_id": world.student.pk, "category": "homework", "text": "作业\u0000太多，孩子睡不够"}
        ),
        content_type="application/json",
    )
    assert api.status_code == 200
    recorded = complaint_record(
        actor=world.users["bureau"],
        school_id=world.school.pk,
        class_id=None,
        category="fees",
        text="来电\x00反映收费问题",
        channel="phone",
        contact="王先生\x00",
    )
    complaint_answer(actor=world.users["bureau"], complaint_id=recorded.pk, answer="已核实\x00并整改。")
    # What the family typed is kept, without the NUL characters.
    assert Complaint.objects.get(pk=filed.pk).text == "每天作业写到十点以后"
    from jianfu.cases.models import SealedIdentity

    # (Checked in Python: SQLite's LIKE stops at a NUL, so a database filter would match everything.)
    stored = [c.text + c.answer for c in Complaint.objects.all()]
    stored += [s.contact for s in SealedIdentity.objects.all()]
    assert len(stored) == 6 and not any("\x00" in t for t in stored)
    assert Complaint.objects.get(pk=recorded.pk).answer == "已核实并整改。"
    assert Complaint.objects.filter(text="作业太多，孩子睡不够").exists()


def test_the_photo_form_and_the_receipt_form_still_check_csrf(world):
    from django.test import Client

    # new_page sets its upload handler before the CSRF check reads the form, so it is exempted from
    # the middleware and checks CSRF itself: a forged post must still fail.
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["parent"])
    forged = strict.post(
        "/cases/new/",
        {"student": world.student.pk, "category": "homework", "text": "每天作业写到十点以后，孩子睡不够"},
    )
    assert forged.status_code == 403 and not Complaint.objects.exists()
    assert Client(enforce_csrf_checks=True).post("/cases/receipt/", {"code": "ABCDEFGH23"}).status_code == 403
