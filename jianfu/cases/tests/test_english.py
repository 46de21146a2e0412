"""The complaint pages and messages in English for an account that chose it (issue 14); the Chinese
pages are checked everywhere else, unchanged."""

import html

import pytest
from django.conf import settings

from conftest import make_custodian
from jianfu.cases.models import Complaint, Status
from jianfu.cases.services import CaseError, complaint_file, complaint_unseal
from jianfu.cases.tests.helpers import release

pytestmark = pytest.mark.django_db

TEXT = "五年级(1)班最近每天作业都要写到十点以后"


def english(user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def body(r) -> str:
    return html.unescape(r.content.decode())


def filed(world):
    return release(
        complaint_file(
            actor=world.users["parent"], student_id=world.student.pk, category="homework", text=TEXT
        )
    )


def test_the_parents_pages_in_english(client, world):
    client.force_login(english(world.users["parent"]))
    new = body(client.get("/cases/new/"))
    assert "Report a problem to the education authorities" in new and "Homework load" in new
    assert "向教育部门反映问题" not in new
    refused = client.post(
        "/cases/new/", {"student": world.student.pk, "category": "homework", "text": "太多"}
    )
    assert refused.status_code == 422 and "Describe the problem (at least 5 characters)" in body(refused)
    assert ">太多</textarea>" in body(refused)
    done = body(
        client.post("/cases/new/", {"student": world.student.pk, "category": "homework", "text": TEXT})
    )
    assert "Receipt code: " in done and "Track a complaint" in done


def test_the_handlers_pages_in_english(client, world):
    c = filed(world)
    client.force_login(english(world.users["academic"]))
    listing = body(client.get("/cases/"))
    assert "Complaints from parents" in listing and "Awaiting acknowledgement" in listing
    detail = body(client.get(f"/cases/{c.ref}/"))
    assert "The complainant's identity is sealed" in detail and "Send answer" in detail
    assert TEXT in detail  # what the family wrote is shown as written


def test_the_bureau_pages_in_english(client, world):
    client.force_login(english(world.users["bureau"]))
    oversight = body(client.get("/cases/oversight/"))
    assert "Complaint oversight" in oversight and "No unsealings." in oversight
    recorded = client.post(
        "/cases/",
        {"school": world.school.pk, "channel": "phone", "category": "fees", "text": "来电反映收费问题"},
    )
    assert recorded.status_code == 302
    assert "Recorded. Receipt code" in body(client.get("/cases/"))


def test_the_receipt_page_in_english_by_the_language_cookie(client, world):
    c = filed(world)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = body(client.post("/cases/receipt/", {"code": c.receipt_code}))
    assert "Track a complaint" in page and "Not answered yet." in page
    assert "No complaint has this receipt code" in body(
        client.post("/cases/receipt/", {"code": "ABCDEFGH23"})
    )
    Complaint.objects.filter(pk=c.pk).update(status=Status.ANSWERED, answer="已核实并整改")
    answers = body(client.get(f"/cases/answers/{world.district.code}/"))
    assert "Public answers to parents' complaints" in answers


def test_the_photo_message_is_one_message_in_either_language(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("a.jpg", b"not a picture", content_type="image/jpeg")
    with pytest.raises(CaseError) as exc:
        complaint_file(
            actor=world.users["parent"],
            student_id=world.student.pk,
            category="homework",
            text=TEXT,
            photos=[bad],
        )
    assert exc.value.message_zh == "第1张照片：无法识别的图片格式（请上传 JPG 或 PNG）"
    assert exc.value.message_en == "Photo 1: Not a usable image (upload a JPG or PNG)"


def test_unsealing_refused_without_two_step_in_english(world):
    from jianfu.accounts.models import TotpDevice

    c = filed(world)
    custodian = make_custodian(world.users["nobody"], world.district)
    TotpDevice.objects.filter(user=custodian).delete()
    with pytest.raises(CaseError) as exc:
        complaint_unseal(
            actor=custodian, complaint_id=c.pk, reason="核实身份需要", session_passed=True, code="0"
        )
    assert exc.value.code == "two_step_sign_in_required"
    assert exc.value.message_en.startswith("Turn on two-step sign-in")
