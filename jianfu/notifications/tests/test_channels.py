"""The provider adapters against a local fake HTTP server (no mock of the adapters themselves), and
the Aliyun signature against Aliyun's documented example."""

from __future__ import annotations

import json

import pytest

from jianfu.notifications.errors import ChannelError
from jianfu.notifications.models import Delivery, DeliveryStatus, WechatBinding
from jianfu.notifications.services import notify
from jianfu.notifications.services.aliyun_sms import AliyunSmsBackend, signature, string_to_sign
from jianfu.notifications.services.sending import deliveries_send_now
from jianfu.notifications.services.wechat import WechatClient

TOKEN = "/cgi-bin/token"
SEND = "/cgi-bin/message/template/send"


def client(api):
    return WechatClient(app_id="wx-test", app_secret="s3cret", api_base=api.base)


def test_aliyun_signature_matches_the_documented_example():
    # Aliyun's "签名机制" example: DescribeRegions, AccessKeyId testid, secret testsecret.
    params = {
        "TimeStamp": "2016-02-23T12:46:24Z",
        "Format": "XML",
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "Version": "2014-05-26",
        "SignatureVersion": "1.0",
    }
    assert string_to_sign(params) == (
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
        "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
        "%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    )
    assert signature(params, "testsecret") == "CT9X0VtwR86fNWSnsc6v8YGOjuE="


def test_aliyun_send_against_a_fake_endpoint(fake_api, monkeypatch):
    for k, v in {
        "ALIYUN_SMS_ACCESS_KEY_ID": "testid",
        "ALIYUN_SMS_ACCESS_KEY_SECRET": "testsecret",
        "ALIYUN_SMS_SIGN_NAME": "减负",
        "ALIYUN_SMS_TEMPLATE_CODE": "SMS_1",
        "ALIYUN_SMS_ENDPOINT": fake_api.base + "/",
    }.items():
        monkeypatch.setenv(k, v)
    fake_api.answers["/"] = [
        {"Code": "OK"},
        {"Code": "isv.MOBILE_NUMBER_ILLEGAL"},
        {"Code": "isv.BUSINESS_LIMIT_CONTROL"},
    ]
    backend = AliyunSmsBackend()
    backend.send(phone="13900000007", text="【减负】测试 a+b")
    q = fake_api.requests[0]["query"]
    assert (q["Action"], q["PhoneNumbers"], q["TemplateCode"], q["SignName"]) == (
        "SendSms",
        "13900000007",
        "SMS_1",
        "减负",
    )
    assert json.loads(q["TemplateParam"]) == {"content": "测试 a+b"}
    # The server side can check the signature from what it received.
    received = {k: v for k, v in q.items() if k != "Signature"}
    assert q["Signature"] == signature(received, "testsecret")
    with pytest.raises(ChannelError) as final:
        backend.send(phone="13900000007", text="x")
    assert (final.value.code, final.value.retryable) == ("isv.MOBILE_NUMBER_ILLEGAL", False)
    with pytest.raises(ChannelError) as later:
        backend.send(phone="13900000007", text="x")
    assert later.value.retryable


@pytest.mark.django_db
def test_wechat_token_is_fetched_once_and_cached(fake_api):
    fake_api.answers[TOKEN] = [{"access_token": "T1", "expires_in": 7200}]
    fake_api.answers[SEND] = [{"errcode": 0, "errmsg": "ok", "msgid": 42}]
    c = client(fake_api)
    assert c.send_template(openid="o1", template_id="tpl", data={"thing1": "x"}, url="https://x/y") == 42
    assert c.send_template(openid="o1", template_id="tpl", data={"thing1": "y"}) == 42
    paths = [r["path"] for r in fake_api.requests]
    assert paths == [TOKEN, SEND, SEND]
    token_q = fake_api.requests[0]["query"]
    assert token_q == {"grant_type": "client_credential", "appid": "wx-test", "secret": "s3cret"}
    sent = fake_api.requests[1]
    assert sent["query"] == {"access_token": "T1"}
    assert sent["json"] == {
        "touser": "o1",
        "template_id": "tpl",
        "data": {"thing1": {"value": "x"}},
        "url": "https://x/y",
    }


@pytest.mark.django_db
def test_wechat_expired_token_is_refreshed_once(fake_api):
    fake_api.answers[TOKEN] = [
        {"access_token": "OLD", "expires_in": 7200},
        {"access_token": "NEW", "expires_in": 7200},
    ]
    fake_api.answers[SEND] = [
        {"errcode": 42001, "errmsg": "access_token expired"},
        {"errcode": 0, "msgid": 7},
    ]
    c = client(fake_api)
    c.access_token()  # cached: OLD
    assert c.send_template(openid="o1", template_id="tpl", data={}) == 7
    sends = [r["query"]["access_token"] for r in fake_api.requests if r["path"] == SEND]
    assert sends == ["OLD", "NEW"]
    assert c.access_token() == "NEW"


@pytest.mark.django_db
def test_wechat_error_codes(fake_api):
    fake_api.answers[TOKEN] = [{"access_token": "T", "expires_in": 7200}]
    fake_api.answers[SEND] = [{"errcode": 43004, "errmsg": "require subscribe"}, {"errcode": 45009}]
    c = client(fake_api)
    with pytest.raises(ChannelError) as unfollowed:
        c.send_template(openid="o1", template_id="tpl", data={})
    assert (unfollowed.value.code, unfollowed.value.retryable) == ("wechat_43004", False)
    with pytest.raises(ChannelError) as limited:
        c.send_template(openid="o1", template_id="tpl", data={})
    assert (limited.value.code, limited.value.retryable) == ("wechat_45009", True)


@pytest.mark.django_db
def test_wechat_bad_credentials(fake_api):
    fake_api.answers[TOKEN] = [{"errcode": 40013, "errmsg": "invalid appid"}]
    with pytest.raises(ChannelError) as bad:
        client(fake_api).access_token()
    assert bad.value.code == "wechat_40013"


@pytest.mark.django_db
def test_a_message_goes_to_a_bound_wechat_with_the_name_masked(world, fake_api, settings, clock):
    settings.NOTIFY_WECHAT = {
        "APP_ID": "wx-test",
        "APP_SECRET": "s3cret",
        "API_BASE": fake_api.base,
        "SITE_URL": "https://jianfu.example",
        "TEMPLATES": {
            "afterschool_absent": {
                "template_id": "tpl-absent",
                "fields": {"thing1": "title", "time2": "time"},
            }
        },
    }
    fake_api.answers[TOKEN] = [{"access_token": "T", "expires_in": 7200}]
    fake_api.answers[SEND] = [{"errcode": 0, "msgid": 1}]
    parent = world.users["parent"]
    WechatBinding.objects.create(user=parent, openid="o-parent")
    notify(
        [parent],
        "afterschool_absent",
        {"child": "周小明", "day": "2026-12-03", "what": "趣味编程"},
        key="a",
        link_url="/notifications/",
    )
    wechat = Delivery.objects.get(channel="wechat")
    deliveries_send_now([wechat.pk])
    wechat.refresh_from_db()
    assert wechat.status == DeliveryStatus.SENT
    body = fake_api.requests[-1]["json"]
    assert body["touser"] == "o-parent" and body["template_id"] == "tpl-absent"
    assert body["data"]["thing1"]["value"] == "课后服务缺席：周*明"
    assert body["data"]["time2"]["value"] == "2026-12-03 16:00"
    assert body["url"] == "https://jianfu.example/notifications/"


@pytest.mark.django_db
def test_a_failed_wechat_send_is_recorded_with_its_code(world, fake_api, settings, clock):
    settings.NOTIFY_WECHAT = {
        "APP_ID": "wx-test",
        "APP_SECRET": "s3cret",
        "API_BASE": fake_api.base,
        "TEMPLATES": {"afterschool_absent": {"template_id": "tpl", "fields": {"thing1": "title"}}},
    }
    fake_api.answers[TOKEN] = [{"access_token": "T", "expires_in": 7200}]
    fake_api.answers[SEND] = [{"errcode": 43004}]
    parent = world.users["parent"]
    WechatBinding.objects.create(user=parent, openid="o-parent")
    notify([parent], "afterschool_absent", {"child": "周小明", "day": "2026-12-03", "what": "x"}, key="a")
    wechat = Delivery.objects.get(channel="wechat")
    deliveries_send_now([wechat.pk])
    wechat.refresh_from_db()
    assert (wechat.status, wechat.error_code, wechat.attempts) == ("failed", "wechat_43004", 1)
    # The SMS copy is independent of the WeChat one.
    assert Delivery.objects.get(channel="sms").status == DeliveryStatus.QUEUED
