"""Complaints: sealed identity on every path a school role has, audited unsealing, working-day
deadlines across the 2026 National Day holiday, escalation, receipt follow-up, rate limits."""

import re
from datetime import date

import pytest

from conftest import PERSONAS, fresh_second_step, make_custodian
from jianfu.cases.models import Complaint, Level, Status, Unsealing
from jianfu.cases.services import (
    CaseError,
    complaint_answer,
    complaint_file,
    complaint_rate,
    complaint_unseal,
    complaints_escalate_overdue,
)
from jianfu.cases.tests.helpers import release
from jianfu.core.actors import PERIODIC
from jianfu.core.errors import NotFound
from jianfu.core.models import AuditEvent

pytestmark = pytest.mark.django_db
SCHOOL_ROLES = ("principal", "academic", "head_teacher", "teacher")


def file(world, **kw):
    """A complaint filed and released to its school (decision 0032): these tests are about what
    the school and the district do with it."""
    return release(
        complaint_file(
            actor=world.users["parent"],
            student_id=world.student.pk,
            category=kw.pop("category", "homework"),
            text=kw.pop("text", "五年级(1)班最近每天作业都要写到十点以后"),
            **kw,
        )
    )


def test_deadlines_count_working_days_across_national_day(world):
    # Filed Tue 2026-09-29, released to the school Wed 09-30 08:00 (the next working day); the
    # deadlines count working days after the release day (decision 0032): 10-08, 10-09 (10-01..07
    # holiday) → acknowledge by 10-09; then 10-10 (Saturday make-up day), 10-12..16, 10-19..23,
    # 10-26, 10-27 → the 15th is 10-27.
    c = file(world, today=date(2026, 9, 29))
    assert (c.acknowledge_due, c.answer_due) == (date(2026, 10, 9), date(2026, 10, 27))


def test_overdue_complaints_escalate_to_the_district(world):
    c = file(world, today=date(2026, 9, 29))
    assert complaints_escalate_overdue(actor=PERIODIC, today=date(2026, 10, 9)) == 0
    assert (
        complaints_escalate_overdue(actor=PERIODIC, today=date(2026, 10, 10)) == 1
    )  # not acknowledged by 10-09
    c.refresh_from_db()
    assert (c.level, c.escalated_on) == (Level.DISTRICT, date(2026, 10, 10))


def test_categories_and_leadership_route_to_the_district(world):
    assert file(world).level == Level.SCHOOL
    assert file(world, category="paid_tutoring").level == Level.DISTRICT
    assert file(world, about_leadership=True).level == Level.DISTRICT


def test_receipt_answer_rating_and_one_reopen(client, world):
    c = file(world)
    complaint_answer(
        actor=world.users["academic"],
        complaint_id=c.pk,
        answer="已核实，本周起语数英作业总量控制在60分钟内。",
    )
    page = client.post("/cases/receipt/", {"code": c.receipt_code.lower()})
    assert page.status_code == 200 and "语数英作业总量控制在60分钟内" in page.content.decode()
    complaint_rate(code=c.receipt_code, rating=2, reopen=True)
    c.refresh_from_db()
    assert c.status == Status.ACKNOWLEDGED and c.reopened
    complaint_answer(actor=world.users["academic"], complaint_id=c.pk, answer="再次核实后已调整。")
    with pytest.raises(CaseError):
        complaint_rate(code=c.receipt_code, rating=3, reopen=True)


def test_rate_limit_per_account(world):
    for _ in range(3):
        file(world)
    with pytest.raises(CaseError) as exc:
        file(world)
    assert exc.value.code == "complaint_rate_limited"


def test_a_parent_can_only_complain_about_their_own_childs_school(world):
    with pytest.raises(NotFound):
        complaint_file(
            actor=world.users["parent"],
            student_id=world.other_student.pk,
            category="homework",
            text="不是我的孩子的班级",
        )


@pytest.mark.parametrize("persona", SCHOOL_ROLES)
def test_sealed_from_every_school_role_on_every_path(client, world, persona):
    c = file(world)
    complaint_answer(actor=world.users["academic"], complaint_id=c.pk, answer="已答复，谢谢监督。")
    client.force_login(world.users[persona])
    parent = world.users["parent"]
    secrets = [parent.name, parent.phone, parent.phone[-4:], world.student.name, "周女士"]
    paths = [
        "/cases/",
        f"/cases/{c.ref}/",
        "/core/",
        f"/homework/class/{world.class_5_1.pk}/",
        "/api/v1/accounts/me",
    ]
    # The receipt page takes its code by POST only (security.md L7).
    pages = [client.get(path) for path in paths] + [client.post("/cases/receipt/", {"code": c.receipt_code})]
    for path, page in zip([*paths, "/cases/receipt/"], pages, strict=True):
        # Drop CSRF tokens (64 random letters and digits) so a chance "0007" in one cannot fail the check.
        body = re.sub(r"[A-Za-z0-9]{32,}", "", page.content.decode())
        for secret in secrets:
            assert secret not in body, (persona, path, secret)
    # The audit trail of the filing carries no actor, so an audit view cannot reveal the parent.
    filed = AuditEvent.objects.get(action="complaint_filed", object_id=str(c.pk))
    assert filed.actor is None and "13900000007" not in str(filed.data)
    # The school sees the day it was filed, not the time.
    assert not hasattr(Complaint, "created_at")


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_per_persona(client, world, persona):
    c = file(world)
    client.force_login(world.users[persona])
    listing = client.get("/cases/")
    detail = client.get(f"/cases/{c.ref}/")
    new = client.get("/cases/new/")
    handlers = ("bureau", "inspector", "principal", "academic")
    assert detail.status_code == (200 if persona in handlers else 404)
    assert listing.status_code == (200 if persona in handlers or persona == "outsider" else 404)
    assert new.status_code == (200 if persona == "parent" else 404)
    answer = client.post(f"/cases/{c.ref}/", {"action": "answer", "answer": "答复内容五个字以上"})
    c.refresh_from_db()
    assert (c.status == Status.ANSWERED) == (persona in ("bureau", "principal", "academic"))
    assert answer.status_code in (302, 404)


def test_unsealing_needs_the_custodian_two_step_sign_in_and_a_reason_and_is_audited(world):
    from django.utils import timezone

    from jianfu.accounts.models import Membership, Role, TotpDevice
    from jianfu.accounts.rules import totp

    c = file(world)
    for persona in ("bureau", "inspector", "principal", "academic"):
        with pytest.raises(NotFound):
            complaint_unseal(
                actor=world.users[persona],
                complaint_id=c.pk,
                reason="想知道是谁",
                session_passed=True,
                code="",
            )
    custodian = world.users["nobody"]
    Membership.objects.create(user=custodian, role=Role.CUSTODIAN, region=world.district)
    # The custodian's password alone does not open an identity: two-step sign-in first.
    with pytest.raises(CaseError) as refused:
        complaint_unseal(
            actor=custodian,
            complaint_id=c.pk,
            reason="涉嫌恶意举报，需核实身份",
            session_passed=True,
            code="",
        )
    assert (refused.value.code, refused.value.status) == ("two_step_sign_in_required", 403)
    assert not Unsealing.objects.exists()
    TotpDevice.objects.create(user=custodian, secret=totp.secret_new(), confirmed_at=timezone.now())
    with pytest.raises(CaseError):
        complaint_unseal(actor=custodian, complaint_id=c.pk, reason="", **fresh_second_step(custodian))
    # Four characters are a reason too short: the refusal says how long one must be.
    with pytest.raises(CaseError) as short:
        complaint_unseal(
            actor=custodian, complaint_id=c.pk, reason="核实身份", **fresh_second_step(custodian)
        )
    assert short.value.field == "reason" and "至少5个字" in short.value.message_zh
    identity = complaint_unseal(
        actor=custodian, complaint_id=c.pk, reason="涉嫌恶意举报，需核实身份", **fresh_second_step(custodian)
    )
    assert identity["name"] == "家长周女士" and identity["phone"] == "139****0007"
    assert Unsealing.objects.get(complaint=c).reason == "涉嫌恶意举报，需核实身份"
    event = AuditEvent.objects.get(action="complaint_unsealed")
    assert event.actor == custodian and event.region_code == world.district.code


def test_parent_files_through_the_page_and_gets_a_receipt(client, world):
    client.force_login(world.users["parent"])
    r = client.post(
        "/cases/new/",
        {"student": world.student.pk, "category": "homework", "text": "每天作业写到很晚，孩子睡不够"},
    )
    assert r.status_code == 200 and "回执码" in r.content.decode()
    c = Complaint.objects.get()
    assert c.receipt_code in r.content.decode()


@pytest.mark.parametrize("student", ["abc", "", "1e3", "９", "99999999999999999999999"])
def test_a_student_that_is_not_an_id_is_not_found_not_an_error(client, world, student):
    """security.md L1 #2: POST /cases/new/ with student=abc raised ValueError (HTTP 500)."""
    client.force_login(world.users["parent"])
    r = client.post(
        "/cases/new/", {"student": student, "category": "homework", "text": "每天作业写到很晚，孩子睡不够"}
    )
    assert r.status_code == 404 and not Complaint.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_per_persona_never_carries_the_complainant(client, world, persona):
    import json

    c = file(world)
    client.force_login(world.users[persona])
    listing = client.get("/api/v1/cases/complaints")
    answer = client.post(
        f"/api/v1/cases/complaints/{c.ref}/answer",
        json.dumps({"answer": "已核实并整改。"}),
        content_type="application/json",
    )
    handlers = ("bureau", "principal", "academic")
    assert listing.status_code == 200
    assert answer.status_code == (200 if persona in handlers else 403 if persona == "inspector" else 404)
    body = listing.content.decode() + answer.content.decode()
    for secret in ("周女士", "13900000007", "周小明"):
        assert secret not in body
    filed = client.post(
        "/api/v1/cases/complaints",
        json.dumps({"student_id": world.student.pk, "category": "homework", "text": "作业太多，孩子睡不够"}),
        content_type="application/json",
    )
    assert filed.status_code == (200 if persona == "parent" else 404)


def test_receipt_api_is_public_and_404_for_unknown_codes(client, world):
    c = file(world)
    assert client.get(f"/api/v1/cases/receipts/{c.receipt_code}").json()["status"] == "new"
    assert client.get("/api/v1/cases/receipts/NOPE").status_code == 404


def test_filing_suggests_a_category_groups_near_duplicates_and_keeps_corrections(world):
    from jianfu.accounts.models import Membership, Role
    from jianfu.cases.models import TriageCorrection
    from jianfu.cases.services import triage_confirm
    from jianfu.schools.models import Guardian

    first = file(world, category="other", text="五年级一班数学作业太多每天写到十点")
    assert first.suggested_category == "homework" and first.duplicate_of is None
    second_parent = world.users["nobody"]
    Guardian.objects.create(
        student=world.student, name="周先生", phone=second_parent.phone, user=second_parent
    )
    Membership.objects.create(user=second_parent, role=Role.PARENT, school_class=world.class_5_1)
    second = complaint_file(
        actor=second_parent,
        student_id=world.student.pk,
        category="homework",
        text="五年级一班数学作业太多，每天要写到十点",
    )
    assert second.duplicate_of == first
    seat = file(world, text="请老师给我家孩子换个座位")
    assert seat.flag_not_burden
    triage_confirm(
        actor=world.users["academic"], complaint_id=seat.pk, category="other", not_burden=True, empty=False
    )
    assert not TriageCorrection.objects.exists()  # confirmed as suggested: nothing to learn
    triage_confirm(
        actor=world.users["academic"],
        complaint_id=first.pk,
        category="schedule",
        not_burden=False,
        empty=False,
    )
    correction = TriageCorrection.objects.get()
    assert (correction.suggested_category, correction.category) == ("homework", "schedule")
    assert correction.text == first.text


def test_abusive_closure_is_reviewed_by_the_district(client, world):
    from jianfu.cases.services import closure_review, complaint_close_abusive

    c = file(world, text="无聊无聊无聊无聊，随便写写")
    complaint_close_abusive(
        actor=world.users["academic"], complaint_id=c.pk, reason="内容与学校无关的重复骚扰"
    )
    client.force_login(world.users["bureau"])
    page = client.get("/cases/oversight/")
    assert "内容与学校无关的重复骚扰" in page.content.decode()
    with pytest.raises(NotFound):
        closure_review(actor=world.users["principal"], complaint_id=c.pk, uphold=True)
    closure_review(actor=world.users["bureau"], complaint_id=c.pk, uphold=False)
    c.refresh_from_db()
    assert (c.status, c.level, c.closed_as_abusive, c.closure_reviewed) == (
        Status.ACKNOWLEDGED,
        Level.DISTRICT,
        False,
        True,
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_oversight_page_per_persona_and_unsealings_listed(client, world, persona):

    c = file(world)
    custodian = make_custodian(
        world.users["nobody"] if persona != "nobody" else world.users["outsider"], world.district
    )
    complaint_unseal(
        actor=custodian, complaint_id=c.pk, reason="核实是否为本校学生家长", **fresh_second_step(custodian)
    )
    client.force_login(world.users[persona])
    r = client.get("/cases/oversight/")
    assert r.status_code == (200 if persona in ("bureau", "inspector") else 404)
    if r.status_code == 200:
        assert "核实是否为本校学生家长" in r.content.decode()


def test_published_answers_are_public_and_anonymised(client, world):
    c = file(world, text="五年级一班作业太多，周小明每天写到十点")
    complaint_answer(
        actor=world.users["academic"],
        complaint_id=c.pk,
        answer="已统筹各科作业，每天不超过60分钟。",
        public=True,
    )
    private = file(world, text="另一件事情需要学校处理一下")
    complaint_answer(
        actor=world.users["academic"], complaint_id=private.pk, answer="私下答复的内容", public=False
    )
    html = client.get(f"/cases/answers/{world.district.code}/").content.decode()
    assert "每天不超过60分钟" in html and "私下答复的内容" not in html
    assert "周小明" not in html and "写到十点" not in html


def test_bureau_records_a_hotline_complaint_sealed_from_the_school(client, world):
    from jianfu.cases.services import complaint_record
    from jianfu.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        complaint_record(
            actor=world.users["principal"],
            school_id=world.school.pk,
            class_id=None,
            category="fees",
            text="学校强制订购教辅资料",
            channel="phone",
            contact="王先生 13712345678",
        )
    c = complaint_record(
        actor=world.users["bureau"],
        school_id=world.school.pk,
        class_id=world.class_5_1.pk,
        category="fees",
        text="学校强制订购教辅资料，每人一百元",
        channel="phone",
        contact="王先生 13712345678",
    )
    assert c.channel == "phone" and c.suggested_category == "fees" and c.level == Level.SCHOOL
    client.force_login(world.users["academic"])
    release(c)
    html = client.get(f"/cases/{c.ref}/").content.decode()
    assert "强制订购教辅资料" in html and "王先生" not in html and "13712345678" not in html
    custodian = make_custodian(world.users["nobody"], world.district)
    assert (
        complaint_unseal(
            actor=custodian, complaint_id=c.pk, reason="需回访来电人", **fresh_second_step(custodian)
        )["contact"]
        == "王先生 13712345678"
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_record_endpoint_per_persona(client, world, persona):
    import json

    client.force_login(world.users[persona])
    r = client.post(
        "/api/v1/cases/complaints/record",
        json.dumps(
            {
                "school_id": world.school.pk,
                "category": "homework",
                "text": "来电反映作业太多",
                "channel": "phone",
                "contact": "李女士",
            }
        ),
        content_type="application/json",
    )
    sees_school = persona in ("bureau", "inspector", "principal", "academic")
    assert r.status_code == (200 if persona == "bureau" else 403 if sees_school else 404)
    page = client.post(
        "/cases/",
        {
            "school": world.school.pk,
            "channel": "letter",
            "category": "fees",
            "text": "来信反映收费问题",
            "contact": "张先生",
        },
    )
    assert Complaint.objects.filter(channel="letter").exists() == (persona == "bureau")
    handlers = ("inspector", "principal", "academic", "outsider")
    assert page.status_code == (302 if persona == "bureau" else 403 if persona in handlers else 404)


def _jpeg_with_gps() -> bytes:
    import io

    from PIL import Image

    img = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:11:20 21:43:00"  # DateTime
    exif[0x8825] = {1: "N", 2: (22.0, 32.0, 10.0), 3: "E", 4: (113.0, 21.0, 5.0)}  # GPS
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


@pytest.mark.parametrize("persona", PERSONAS)
def test_photos_lose_their_metadata_and_only_handlers_see_them(client, world, settings, tmp_path, persona):
    import io

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    raw = _jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif()  # the original carries EXIF
    c = complaint_file(
        actor=world.users["parent"],
        student_id=world.student.pk,
        category="homework",
        text="附上孩子作业本的照片",
        photos=[raw],
    )
    release(c)
    photo = c.photos.get()
    stored = photo.image.read()
    assert b"PhoneMaker" not in stored and b"2026:11:20" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert (photo.width, photo.height) == (40, 30)
    client.force_login(world.users[persona])
    r = client.get(f"/cases/photo/{c.ref}/1/")
    assert r.status_code == (200 if persona in ("bureau", "inspector", "principal", "academic") else 404)


def test_a_file_that_is_not_an_image_is_refused_with_its_number(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(CaseError) as exc:
        complaint_file(
            actor=world.users["parent"],
            student_id=world.student.pk,
            category="homework",
            text="附上两张照片",
            photos=[_jpeg_with_gps(), b"not an image"],
        )
    assert "第2张照片" in exc.value.message_zh
    assert not Complaint.objects.exists()


def test_a_district_may_shorten_the_deadlines_but_not_lengthen_them(world):
    from jianfu.policies.services import PolicyError, profile_override_set

    profile_override_set(
        actor=world.users["bureau"],
        region=world.district,
        key="settings.complaint_answer_working_days",
        value=10,
        effective_from=date(2026, 9, 1),
        reason="区规定10个工作日内答复",
    )
    # Filed Tue 2026-09-29, released Wed 09-30: the 10th working day after the release is 10-20
    # (10-08, 10-09, 10-10, 10-12..16, 10-19, 10-20).
    assert file(world, today=date(2026, 9, 29)).answer_due == date(2026, 10, 20)
    with pytest.raises(PolicyError):
        profile_override_set(
            actor=world.users["bureau"],
            region=world.district,
            key="settings.complaint_answer_working_days",
            value=20,
            effective_from=date(2026, 10, 1),
            reason="放宽",
        )


def test_escalation_command(world, capsys):
    from django.core.management import call_command

    file(world, today=date(2026, 9, 29))
    call_command("escalate_complaints", "--date", "2026-10-10")  # acknowledge by 10-09
    assert "escalated 1" in capsys.readouterr().out
    assert Complaint.objects.get().level == Level.DISTRICT


def test_the_same_submission_sent_again_files_one_complaint(world):
    first = file(world, idempotency_key="form-1")
    again = file(world, idempotency_key="form-1", text="五年级(1)班最近每天作业都要写到十点以后！！")
    assert again.pk == first.pk and again.receipt_code == first.receipt_code
    assert Complaint.objects.count() == 1
    # A new showing of the form (a new key) is a new complaint, marked as a near-duplicate of the first.
    second = file(world, idempotency_key="form-2")
    assert second.pk != first.pk and second.duplicate_of_id == first.pk
    # The key belongs to the account: another parent's submission with the same key is their own.
    from jianfu.schools.models import Guardian

    Guardian.objects.create(
        student=world.other_student, name="吴先生", phone="13900000009", user=world.users["nobody"]
    )
    theirs = complaint_file(
        actor=world.users["nobody"],
        student_id=world.other_student.pk,
        category="homework",
        text="五年级(2)班每天作业写到很晚",
        idempotency_key="form-1",
    )
    assert theirs.pk not in (first.pk, second.pk)
    assert Complaint.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_ten_copies_of_one_submission_at_once_file_one_complaint(world):
    from conftest import run_at_once

    receipts: list[str] = []
    assert run_at_once(*[lambda: receipts.append(file(world, idempotency_key="tap").receipt_code)] * 10) == []
    assert Complaint.objects.count() == 1
    assert receipts == [Complaint.objects.get().receipt_code] * 10


def test_the_form_carries_a_fresh_key_and_a_resent_form_gets_the_same_receipt(client, world):
    client.force_login(world.users["parent"])
    keys = [
        re.search(
            r'name="idempotency_key" value="([^"]+)"', client.get("/cases/new/").content.decode()
        ).group(1)
        for _ in range(2)
    ]
    assert keys[0] != keys[1] and len(keys[0]) >= 16
    form = {
        "student": world.student.pk,
        "category": "homework",
        "text": "每天作业写到十点以后",
        "idempotency_key": keys[0],
    }
    codes = [
        re.search(
            r'id="receipt-code"[^>]*>\s*([A-Z0-9]{10})', client.post("/cases/new/", form).content.decode()
        ).group(1)
        for _ in range(2)
    ]
    assert codes[0] == codes[1] and Complaint.objects.count() == 1


def test_the_api_resent_with_its_key_gets_the_same_receipt(client, world):
    client.force_login(world.users["parent"])
    body = {
        "student_id": world.student.pk,
        "category": "homework",
        "text": "每天作业写到十点以后",
        "idempotency_key": "api-1",
    }
    sent = [client.post("/api/v1/cases/complaints", body, content_type="application/json") for _ in range(2)]
    assert [r.status_code for r in sent] == [200, 200]
    assert sent[0].json()["receipt_code"] == sent[1].json()["receipt_code"]
    assert Complaint.objects.count() == 1
    too_long = client.post(
        "/api/v1/cases/complaints", {**body, "idempotency_key": "k" * 65}, content_type="application/json"
    )
    assert (too_long.status_code, too_long.json()["field"]) == (422, "idempotency_key")
