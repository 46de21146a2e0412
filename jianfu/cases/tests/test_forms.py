"""The complaint pages parse posts with forms (issue 14): a refusal shows the page again with what
was typed, above all a parent's complaint text, and bad input is a refusal or "not found", never a 500."""

import html

import pytest

from conftest import make_custodian, two_step_passed
from jianfu.cases.models import Complaint, Status
from jianfu.cases.services import complaint_file
from jianfu.cases.tests.helpers import release

pytestmark = pytest.mark.django_db

TEXT = "五年级(1)班最近每天作业都要写到十点以后，孩子睡不够"


def body(r) -> str:
    return html.unescape(r.content.decode())


def test_a_refused_complaint_keeps_the_parents_text_category_and_choice(client, world):
    client.force_login(world.users["parent"])
    for n in range(3):  # the day's three filings (MAX_PER_ACCOUNT_PER_DAY)
        complaint_file(
            actor=world.users["parent"], student_id=world.student.pk, category="homework", text=f"{TEXT}{n}"
        )
    r = client.post(
        "/cases/new/",
        {"student": world.student.pk, "category": "fees", "text": TEXT, "about_leadership": "on"},
    )
    page = body(r)
    assert r.status_code == 429 and "每个账号每天最多提交3条反映" in page
    assert f">{TEXT}</textarea>" in page
    assert '<option value="fees" selected>' in page
    assert 'name="about_leadership" checked' in page
    assert Complaint.objects.count() == 3


def test_a_photo_refusal_keeps_the_text(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users["parent"])
    bad = SimpleUploadedFile("a.jpg", b"not a picture", content_type="image/jpeg")
    r = client.post(
        "/cases/new/", {"student": world.student.pk, "category": "homework", "text": TEXT, "photos": [bad]}
    )
    page = body(r)
    assert r.status_code == 422 and "第1张照片：无法识别的图片格式（请上传 JPG 或 PNG）" in page
    assert f">{TEXT}</textarea>" in page and not Complaint.objects.exists()


def test_a_too_short_text_is_refused_and_shown_back(client, world):
    client.force_login(world.users["parent"])
    r = client.post("/cases/new/", {"student": world.student.pk, "category": "homework", "text": "太多"})
    assert r.status_code == 422 and "请具体描述问题（至少5个字）" in body(r) and ">太多</textarea>" in body(r)


def test_an_unknown_category_is_refused_with_the_text_kept(client, world):
    client.force_login(world.users["parent"])
    r = client.post("/cases/new/", {"student": world.student.pk, "category": "nonsense", "text": TEXT})
    assert r.status_code == 422 and "请选择问题类别" in body(r) and f">{TEXT}</textarea>" in body(r)


def filed(world):
    return release(
        complaint_file(
            actor=world.users["parent"], student_id=world.student.pk, category="homework", text=TEXT
        )
    )


def test_a_refused_answer_keeps_what_the_handler_wrote(client, world):
    c = filed(world)
    client.force_login(world.users["academic"])
    r = client.post(f"/cases/{c.ref}/", {"action": "answer", "answer": "已处理", "public": "on"})
    page = body(r)
    assert r.status_code == 422 and "请填写答复内容" in page
    assert ">已处理</textarea>" in page and 'name="public" checked' in page
    c.refresh_from_db()
    assert c.status == Status.NEW and c.answer == ""


def test_a_refused_closure_keeps_its_reason(client, world):
    c = filed(world)
    client.force_login(world.users["principal"])
    r = client.post(f"/cases/{c.ref}/", {"action": "close_abusive", "close_reason": "无关"})
    assert r.status_code == 422 and "请填写关闭理由（至少5个字）" in body(r)
    assert 'value="无关"' in body(r)


def test_a_refused_unsealing_keeps_its_reason(client, world):
    c = filed(world)
    custodian = make_custodian(world.users["nobody"], world.district)
    client.force_login(custodian)
    two_step_passed(client)
    r = client.post(
        f"/cases/{c.ref}/", {"action": "unseal", "reason": "核实是否为本校家长", "code": "000000"}
    )
    assert r.status_code in (400, 403, 422, 429)
    assert 'value="核实是否为本校家长"' in body(r) and "反映人：" not in body(r)


def test_a_refused_recording_keeps_the_text_and_contact(client, world):
    client.force_login(world.users["bureau"])
    r = client.post(
        "/cases/",
        {
            "school": world.school.pk,
            "channel": "letter",
            "category": "fees",
            "text": "收费",
            "contact": "张先生",
        },
    )
    page = body(r)
    assert r.status_code == 422 and "请具体描述问题（至少5个字）" in page
    assert ">收费</textarea>" in page and 'value="张先生"' in page
    assert '<option value="letter" selected>' in page and not Complaint.objects.exists()


@pytest.mark.parametrize("school", ["abc", "", "99999999999999999999999"])
def test_a_recording_for_a_school_not_offered_is_refused_not_an_error(client, world, school):
    client.force_login(world.users["bureau"])
    r = client.post(
        "/cases/", {"school": school, "channel": "phone", "category": "fees", "text": "来电反映收费问题"}
    )
    assert r.status_code == 422 and not Complaint.objects.exists()


@pytest.mark.parametrize("complaint", ["abc", "", "0", "99999999999999999999999"])
def test_a_closure_review_of_no_complaint_is_not_found(client, world, complaint):
    client.force_login(world.users["bureau"])
    r = client.post("/cases/oversight/", {"complaint": complaint, "decision": "uphold"})
    assert r.status_code == 404


@pytest.mark.parametrize("rating", ["9", "abc", "0"])
def test_a_bad_rating_is_refused_on_the_receipt_page(client, world, rating):
    c = filed(world)
    Complaint.objects.filter(pk=c.pk).update(status=Status.ANSWERED, answer="已核实并整改")
    r = client.post("/cases/receipt/", {"code": c.receipt_code, "rating": rating})
    assert r.status_code == 200 and "评价应为1到5" in body(r)
    c.refresh_from_db()
    assert c.status == Status.ANSWERED and c.rating is None


def test_a_rating_on_the_receipt_page(client, world):
    c = filed(world)
    Complaint.objects.filter(pk=c.pk).update(status=Status.ANSWERED, answer="已核实并整改")
    r = client.post("/cases/receipt/", {"code": c.receipt_code, "rating": "4"})
    assert r.status_code == 200 and "谢谢您的评价。" in body(r)
    c.refresh_from_db()
    assert (c.status, c.rating) == (Status.CLOSED, 4)


def test_an_unknown_receipt_code_says_so(client, world):
    r = client.post("/cases/receipt/", {"code": "ABCDEFGH23"})
    assert r.status_code == 200 and "未找到该回执码" in body(r) and 'id="status"' not in body(r)


# Issue 15 (product review F5, F6): the family's side of the receipt page.
@pytest.mark.parametrize("typed", ["{a} {b}", "{a}-{b}", "{a}–{b}", " {a}  {b} ", "{a}－{b}"])
def test_a_receipt_code_typed_in_groups_and_lowercase_is_found(client, world, typed):
    c = filed(world)
    code = c.receipt_code.lower()
    r = client.post("/cases/receipt/", {"code": typed.format(a=code[:4], b=code[4:])})
    assert r.status_code == 200 and 'id="status"' in body(r)


def test_the_receipt_form_posts_and_an_old_link_with_the_code_in_the_url_shows_nothing(client, world):
    c = filed(world)
    page = body(client.get("/cases/receipt/"))
    assert '<form method="post"' in page
    old = client.get(f"/cases/receipt/?code={c.receipt_code}")
    assert old.status_code == 302 and old["Location"] == "/cases/receipt/"


def test_the_rating_starts_unset_and_is_asked_for_only_when_rating(client, world):
    c = filed(world)
    Complaint.objects.filter(pk=c.pk).update(status=Status.ANSWERED, answer="已核实并整改")
    page = body(client.post("/cases/receipt/", {"code": c.receipt_code}))
    assert page.count('name="rating"') == 5 and "checked" not in page and "<select" not in page
    # The rating form sent with no choice: asked for beside the choices, nothing saved.
    r = client.post("/cases/receipt/", {"code": c.receipt_code, "action": "rate"})
    assert r.status_code == 200 and "请选择评价（1到5）" in body(r) and 'id="rating-form"' in body(r)
    c.refresh_from_db()
    assert c.rating is None and c.status == Status.ANSWERED


def test_families_read_fanying_not_jubao(client, world):
    c = filed(world)
    Complaint.objects.filter(pk=c.pk).update(status=Status.ANSWERED, answer="已核实并整改")
    client.force_login(world.users["parent"])
    for url in ("/cases/new/", "/cases/mine/", "/cases/receipt/"):
        assert "举报" not in body(client.get(url)), url
    assert "举报" not in body(client.post("/cases/receipt/", {"code": c.receipt_code}))
    assert "举报" not in body(client.post("/cases/receipt/", {"code": "ABCDEFGH23"}))


def test_a_refused_rating_keeps_the_reopen_tick(client, world):
    """The family ticked 不满意，要求重新办理 but chose no rating: the page asks for the rating and keeps
    the tick, so choosing a rating and sending again reopens the complaint instead of closing it."""
    c = filed(world)
    Complaint.objects.filter(pk=c.pk).update(status=Status.ANSWERED, answer="已核实并整改")
    r = client.post("/cases/receipt/", {"code": c.receipt_code, "action": "rate", "reopen": "on"})
    assert r.status_code == 200 and "请选择评价（1到5）" in body(r)
    assert 'name="reopen" checked' in body(r)
    page = body(client.post("/cases/receipt/", {"code": c.receipt_code}))
    assert 'name="reopen" checked' not in page  # unticked until the family ticks it
