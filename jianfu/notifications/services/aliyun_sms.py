"""Aliyun SMS (阿里云短信服务, dysmsapi SendSms): an SmsBackend (jianfu.accounts.tasks) for production.

Select it with SMS_BACKEND=jianfu.notifications.services.aliyun_sms.AliyunSmsBackend and set
ALIYUN_SMS_ACCESS_KEY_ID, ALIYUN_SMS_ACCESS_KEY_SECRET, ALIYUN_SMS_SIGN_NAME and
ALIYUN_SMS_TEMPLATE_CODE (a notice template whose one variable, ALIYUN_SMS_TEMPLATE_PARAM, default
"content", carries the text; decision 0050). Requests are signed with the RPC signature, version 1.0
(HMAC-SHA1 over the sorted, percent-encoded query), as Aliyun documents it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime

from jianfu.notifications.errors import ChannelError

ENDPOINT = "https://dysmsapi.aliyuncs.com/"
# Our texts start with the product's name in brackets (Chinese 【…】 or "[…]"); the provider adds the
# approved sign name itself, so ours is taken off.
SIGN_PREFIX = re.compile(r"^(\u3010[^\u3011]*\u3011|\[[^\]]*\])\s*")
# Aliyun's codes that mean "try later" rather than "this will never go".
RETRYABLE = frozenset({"isv.BUSINESS_LIMIT_CONTROL", "isp.SYSTEM_ERROR", "Throttling.User"})


def percent_encode(value: str) -> str:
    """RFC 3986: unreserved characters kept, everything else %XY (a space is %20, never +)."""
    return urllib.parse.quote(value, safe="-_.~")


def string_to_sign(params: dict[str, str], method: str = "GET") -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(params, method).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsBackend:
    def __init__(self) -> None:
        self.key_id = os.environ.get("ALIYUN_SMS_ACCESS_KEY_ID", "")
        self.secret = os.environ.get("ALIYUN_SMS_ACCESS_KEY_SECRET", "")
        self.sign_name = os.environ.get("ALIYUN_SMS_SIGN_NAME", "")
        self.template = os.environ.get("ALIYUN_SMS_TEMPLATE_CODE", "")
        self.template_param = os.environ.get("ALIYUN_SMS_TEMPLATE_PARAM", "content")
        self.endpoint = os.environ.get("ALIYUN_SMS_ENDPOINT", ENDPOINT)
        self.timeout = float(os.environ.get("ALIYUN_SMS_TIMEOUT", "5"))

    def request_params(self, *, phone: str, text: str, nonce: str, timestamp: str) -> dict[str, str]:
        params = {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": "cn-hangzhou",
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce,
            "SignatureVersion": "1.0",
            "TemplateCode": self.template,
            # The sign name is added by the provider: the text goes without our 【减负】 prefix.
            "TemplateParam": json.dumps(
                {self.template_param: SIGN_PREFIX.sub("", text, count=1)}, ensure_ascii=False
            ),
            "Timestamp": timestamp,
            "Version": "2017-05-25",
        }
        params["Signature"] = signature(params, self.secret)
        return params

    def send(self, *, phone: str, text: str) -> None:
        if not (self.key_id and self.secret and self.sign_name and self.template):
            raise ChannelError("aliyun_not_configured")
        params = self.request_params(
            phone=phone,
            text=text,
            nonce=str(uuid.uuid4()),
            timestamp=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        url = self.endpoint + "?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:  # noqa: S310 (https endpoint)
                answer = json.loads(response.read().decode())
        except urllib.error.HTTPError as exc:
            try:
                answer = json.loads(exc.read().decode())
            except ValueError:
                raise ChannelError(f"http_{exc.code}", retryable=True) from exc
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise ChannelError("network", retryable=True) from exc
        code = str(answer.get("Code", ""))
        if code != "OK":
            raise ChannelError(code or "no_code", retryable=code in RETRYABLE)
