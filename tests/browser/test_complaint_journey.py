"""Issue 4's journey: a parent files a homework-load complaint; academic affairs sees it with the
class's load evidence and no trace of who filed; answers; the parent reads it by receipt code."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD, build_world
from jianfu.core.actors import SystemActor
from jianfu.homework.services import Draft, homework_create
from jianfu.schools.calendar.services import term_create
from tests.browser.conftest import DESKTOP, PHONE, shot, sign_in


@pytest.mark.django_db(transaction=True)
def test_complaint_journey(live_server, open_page):
    world = build_world()
    today = timezone.localdate()
    term_create(
        actor=SystemActor("test-setup"),
        school=world.school,
        school_year="journey",
        kind="autumn",
        start_date=today - timedelta(days=40),
        end_date=today + timedelta(days=40),
    )
    homework_create(
        actor=world.users["teacher"],
        class_ids=[world.class_5_1.pk],
        date_set=today - timedelta(days=1),
        date_due=today,
        draft=Draft(subject="math", minutes=35, where="home"),
        description="练习册两页",
        now=timezone.now() - timedelta(days=1),  # posted yesterday: a past day is refused today
    )
    base = live_server.url

    parent = open_page(PHONE)
    sign_in(parent, base, "13900000007", PASSWORD)
    parent.goto(f"{base}/cases/new/")
    parent.select_option("select[name=category]", "homework")
    parent.fill("textarea[name=text]", "五年级(1)班最近数学作业很多，孩子每天写到十点以后")
    shot(parent, "complaint-1-parent-files-phone")
    parent.click("main button[type=submit]")
    code = parent.locator("#receipt-code").inner_text().strip()
    assert len(code) == 10
    shot(parent, "complaint-2-receipt-phone")

    # The school sees it from the next working morning's release (decision 0032): as if that came.
    from jianfu.cases.models import Complaint
    from jianfu.cases.tests.helpers import release

    release(Complaint.objects.get(receipt_code=code))
    staff = open_page(DESKTOP)
    sign_in(staff, base, "13900000004", PASSWORD)
    staff.goto(f"{base}/cases/")
    staff.click("table a")
    staff.wait_for_selector("#evidence")  # the detail page, not the list being left
    html = re.sub(r"[A-Za-z0-9]{32,}", "", staff.content())  # without CSRF tokens (random letters and digits)
    assert "写到十点以后" in html and "35" in staff.locator("#evidence").inner_text()
    for secret in ("周女士", "13900000007", "周小明", "0007"):
        assert secret not in html
    staff.click("main form button[type=submit]")  # 受理
    staff.wait_for_selector("#answer")
    staff.fill(
        "#answer",
        "已核实：数学作业超出学校统筹安排，已要求任课教师调整，本周起每天书面作业总量不超过60分钟。",
    )
    shot(staff, "complaint-3-school-sees-evidence-desktop")
    staff.click("#send-answer")

    anon = open_page(PHONE)
    anon.goto(f"{base}/cases/receipt/")  # the code is sent by the form (POST), never in the URL
    anon.fill("#code", f"{code[:5]}-{code[5:]}")  # as a family may group it
    anon.click("main form button[type=submit]")
    assert "每天书面作业总量不超过60分钟" in anon.locator("#answer").inner_text()
    shot(anon, "complaint-4-parent-reads-answer-phone")


@pytest.mark.django_db(transaction=True)
def test_a_phone_photo_is_shrunk_before_it_is_uploaded(live_server, open_page, tmp_path):
    """A 4000×3000 camera photo goes up redrawn at 2000 px as a JPEG (static/js/photo-shrink.js):
    a fraction of the bytes over a family's connection, and the server keeps it at that size."""
    import io
    from typing import Any
    from unittest import mock

    from PIL import Image, ImageFilter

    from jianfu.cases import services
    from jianfu.cases.models import ComplaintPhoto

    build_world()
    # Photo-like: smooth shapes plus sensor-like grain, saved the way a camera does (quality 95).
    noise = Image.effect_noise((4000, 3000), 40).convert("RGB")
    photo = Image.merge(
        "RGB", [Image.linear_gradient("L").resize((4000, 3000)), noise.getchannel(0), noise.getchannel(1)]
    )
    buf = io.BytesIO()
    photo.filter(ImageFilter.GaussianBlur(1)).save(buf, format="JPEG", quality=95)
    original = tmp_path / "IMG_0001.jpg"
    original.write_bytes(buf.getvalue())
    assert original.stat().st_size > 2_000_000
    # A small photo that says where it was taken (EXIF GPS) and on what: redrawn too, whatever its size.
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (39.0, 54.0, 0.0), 3: "E", 4: (116.0, 23.0, 0.0)})
    small = tmp_path / "IMG_0002.jpg"
    Image.new("RGB", (800, 600), (120, 160, 200)).save(small, format="JPEG", exif=exif)
    assert Image.open(small).getexif().get_ifd(0x8825)

    parent = open_page(PHONE)
    sign_in(parent, live_server.url, "13900000007", PASSWORD)
    parent.goto(f"{live_server.url}/cases/new/")
    parent.select_option("select[name=category]", "homework")
    parent.fill("textarea[name=text]", "作业太多，附照片")
    parent.set_input_files("input[name=photos]", [str(original), str(small)])
    # What reaches the server: the live server runs in this process, so the service can be watched.
    received: list[bytes] = []
    real = services.complaint_file

    def watch(**kwargs: Any) -> Any:
        for f in kwargs["photos"]:  # uploads arrive as temporary files (security.md M5)
            received.append(f.read())
            f.seek(0)
        return real(**kwargs)

    with mock.patch.object(services, "complaint_file", side_effect=watch):
        parent.click("main button[type=submit]")
        parent.wait_for_selector("#receipt-code")
    assert len(received) == 2
    sent = Image.open(io.BytesIO(received[0]))
    assert (sent.format, sent.size) == ("JPEG", (2000, 1500))
    assert len(received[0]) < original.stat().st_size / 4
    # The small one arrives at its own size with nothing of its EXIF: no GPS, no maker.
    second = Image.open(io.BytesIO(received[1]))
    assert second.size == (800, 600) and len(second.getexif()) == 0
    assert sorted(ComplaintPhoto.objects.values_list("width", "height")) == [(800, 600), (2000, 1500)]
