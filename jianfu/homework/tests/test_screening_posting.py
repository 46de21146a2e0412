"""The text screen on the post path (issue 12, findings A1; decision 0025): page, API and service.

On main the flags were honour-system: the oral item "背诵乘法口诀并录视频发群里" with no box ticked was
posted. The rule it breaks is hw_no_phone_based_homework (phone_notice_2021 item 2: 不得…要求学生用手机完成作业).
"""

from datetime import date

import pytest

from conftest import PERSONAS, api
from jianfu.core.models import AuditEvent
from jianfu.homework.models import HomeworkItem
from jianfu.homework.services import Draft, HomeworkError, homework_create

pytestmark = pytest.mark.django_db
MON = date(2026, 11, 23)
ORAL = "背诵乘法口诀并录视频发群里"
ARGUABLE = "观察豆芽生长，拍照记录"  # a photo, not sent: the teacher confirms it needs no phone


def post(world, description, *, confirm=False, **flags):
    return homework_create(
        actor=world.users["teacher"],
        class_ids=[world.class_5_1.pk],
        date_set=MON,
        date_due=MON,
        draft=Draft(subject="math", kind="oral", minutes=20, **flags),
        description=description,
        confirm_warnings=confirm,
    )


def test_the_oral_video_item_with_no_box_ticked_is_refused_with_the_phone_rule(world, autumn_term):
    with pytest.raises(HomeworkError) as caught:
        post(world, ORAL)
    err = caught.value
    assert err.code == HomeworkError.RULE_VIOLATION
    assert err.field == "description"
    assert "hw_" not in err.message  # the rule id is the detail's code, not part of the sentence
    assert "不得用手机布置作业或要求学生用手机完成作业" in err.message  # the rule's title, plain Chinese
    assert "录视频发群" in err.message  # the phrase, so the teacher sees what to change
    assert "No homework by or on mobile phones" in err.message_en
    assert [d.code for d in err.details] == ["hw_no_phone_based_homework"]
    assert not HomeworkItem.objects.exists()


def test_a_refused_practice_cannot_be_confirmed_away(world, autumn_term):
    with pytest.raises(HomeworkError) as caught:
        post(world, "作业请家长检查并签字", confirm=True)
    assert caught.value.code == HomeworkError.RULE_VIOLATION
    assert [d.code for d in caught.value.details] == ["hw_no_parent_checking_or_marking"]
    assert "hw_" not in caught.value.message
    assert not HomeworkItem.objects.exists()


def test_traditional_and_full_width_text_is_refused_too(world, autumn_term):
    with pytest.raises(HomeworkError) as caught:
        post(world, "背誦乘法口訣並錄視頻發群裡")
    assert caught.value.code == HomeworkError.RULE_VIOLATION
    with pytest.raises(HomeworkError) as caught:
        post(world, "ＡＰＰ上完成英语跟读")
    assert caught.value.code == HomeworkError.RULE_VIOLATION


def test_an_arguable_text_waits_for_confirmation_then_posts_and_the_confirmation_is_audited(
    world, autumn_term
):
    with pytest.raises(HomeworkError) as caught:
        post(world, ARGUABLE)
    assert caught.value.code == HomeworkError.TEXT_NEEDS_CONFIRMATION
    assert caught.value.field == "confirm_warnings"
    assert "拍照" in caught.value.message and "确认" in caught.value.message
    assert not HomeworkItem.objects.exists()
    [item] = post(world, ARGUABLE, confirm=True)
    assert item.description == ARGUABLE
    event = AuditEvent.objects.get(action="homework_posted")
    assert event.data["text_warnings_confirmed"] == ["拍照"]


def test_negations_and_harmless_mentions_post_without_a_question(world, autumn_term):
    for text in ("口算练习，不需要家长签字", "自主阅读，无需打卡", "请家长督促孩子早睡"):
        [item] = post(world, text)
        assert item.description == text


# --- API ---------------------------------------------------------------------------------------


def body(world, description, **extra):
    return {
        "class_ids": [world.class_5_1.pk],
        "subject": "math",
        "kind": "oral",
        "minutes": 20,
        "date_set": str(MON),
        "date_due": str(MON),
        "description": description,
        **extra,
    }


def test_api_refuses_the_oral_video_item_with_the_documented_error_shape(client, world, autumn_term):
    client.force_login(world.users["teacher"])
    r = api(client, "post", "/api/v1/homework/items", body(world, ORAL))
    assert r.status_code == 422
    data = r.json()
    assert data["code"] == "homework_rule_violation"
    assert data["field"] == "description"
    assert "不得用手机" in data["message"] and data["message_en"]
    assert data["details"][0]["code"] == "hw_no_phone_based_homework"
    assert not HomeworkItem.objects.exists()


def test_api_warning_then_confirmed_post(client, world, autumn_term):
    client.force_login(world.users["teacher"])
    r = api(client, "post", "/api/v1/homework/items", body(world, ARGUABLE))
    assert r.status_code == 422
    assert r.json()["code"] == "homework_text_needs_confirmation"
    assert r.json()["field"] == "confirm_warnings"
    r = api(client, "post", "/api/v1/homework/items", body(world, ARGUABLE, confirm_warnings=True))
    assert r.status_code == 200
    assert HomeworkItem.objects.get().description == ARGUABLE


def test_api_preview_shows_what_the_text_screen_found(client, world, autumn_term):
    client.force_login(world.users["teacher"])
    payload = {"class_id": world.class_5_1.pk, "subject": "math", "kind": "oral", "minutes": 20}
    r = api(
        client, "post", "/api/v1/homework/preview", {**payload, "date_set": str(MON), "description": ORAL}
    )
    assert r.status_code == 200
    [hit] = r.json()["text_screen"]
    assert (hit["flag"], hit["level"], hit["rule_id"]) == (
        "phone_required",
        "block",
        "hw_no_phone_based_homework",
    )
    # The text ticks the flag, so the engine's finding is there too, as if the box were ticked.
    assert "hw_no_phone_based_homework" in {f["rule_id"] for f in r.json()["findings"]}
    r = api(
        client, "post", "/api/v1/homework/preview", {**payload, "date_set": str(MON), "description": "口算"}
    )
    assert r.json()["text_screen"] == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_confirming_does_not_open_posting_to_anyone_else(client, world, autumn_term, persona):
    client.force_login(world.users[persona])
    r = api(client, "post", "/api/v1/homework/items", body(world, ARGUABLE, confirm_warnings=True))
    staff = {"bureau", "inspector", "principal", "academic", "head_teacher"}
    assert r.status_code == (200 if persona == "teacher" else 403 if persona in staff else 404)


# --- page --------------------------------------------------------------------------------------


def form(world, description, **extra):
    return {
        "assignment": f"{world.class_5_1.pk}:math",
        "date_set": str(MON),
        "date_due": str(MON),
        "kind": "oral",
        "where": "home",
        "tier": "required",
        "minutes": "20",
        "description": description,
        **extra,
    }


def test_page_refuses_the_oral_video_item_in_plain_chinese(client, world, autumn_term):
    client.force_login(world.users["teacher"])
    r = client.post("/homework/post/", form(world, ORAL))
    assert r.status_code == 422
    html = r.content.decode()
    assert "政策禁止的做法" in html and "录视频发群" in html and "hw_no_phone_based_homework" in html
    assert 'name="confirm_warnings"' not in html  # nothing to confirm: the text must change
    assert ORAL in html  # what the teacher typed is kept in the form
    assert not HomeworkItem.objects.exists()


def test_page_asks_to_confirm_a_warning_and_a_confirmed_warning_posts(client, world, autumn_term):
    client.force_login(world.users["teacher"])
    r = client.post("/homework/post/", form(world, ARGUABLE))
    assert r.status_code == 422
    html = r.content.decode()
    assert 'id="confirm-box"' in html and "确认并布置" in html
    assert not HomeworkItem.objects.exists()
    r = client.post("/homework/post/", form(world, ARGUABLE, confirm_warnings="on"))
    assert r.status_code == 302
    assert HomeworkItem.objects.get().description == ARGUABLE


def test_live_panel_says_the_text_will_be_refused(client, world, autumn_term):
    client.force_login(world.users["teacher"])
    r = client.post("/homework/post/preview/", form(world, ORAL))
    assert r.status_code == 200
    assert "将被拒绝" in r.content.decode() and "录视频发群" in r.content.decode()


def test_a_confirmation_is_kept_when_the_cap_then_asks_for_an_exception(client, world, autumn_term):
    """Never lose what the teacher did: after confirming, a cap refusal keeps the confirmation."""
    client.force_login(world.users["teacher"])
    over = form(world, ARGUABLE, kind="written", minutes="61", confirm_warnings="on")  # cap 60 (grade 5)
    r = client.post("/homework/post/", over)
    assert r.status_code == 422
    html = r.content.decode()
    assert 'id="exception-box"' in html
    assert '<input type="hidden" name="confirm_warnings" value="on">' in html
    r = client.post(
        "/homework/post/", {**over, "request_exception": "1", "exception_reason": "单元复习，已与班主任沟通"}
    )
    assert r.status_code == 302
    assert HomeworkItem.objects.get().status == "pending"
