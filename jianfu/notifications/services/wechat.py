"""WeChat official account (公众号) template messages: the access token (fetched with the app id and
secret, kept in the cache until shortly before it expires) and the template send, with WeChat's
error codes handled: an expired or invalid token is fetched again once; a follower who unfollowed or
an unknown openid is a final refusal; a busy or limited API is tried again later.

Configured from the environment (settings.NOTIFY_WECHAT): WECHAT_APP_ID, WECHAT_APP_SECRET,
WECHAT_API_BASE (tests point it at a local server) and WECHAT_TEMPLATES, a JSON object
{kind: {"template_id": "…", "fields": {"thing1": "title", "thing2": "body", "time3": "time"}}}
naming which of the message's parts fills each field of the template chosen in the WeChat console.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.core.cache import cache

from jianfu.notifications.errors import ChannelError

TOKEN_ERRORS = frozenset({40001, 40014, 42001})  # invalid credential / invalid token / token expired
RETRYABLE = frozenset({-1, 45009, 45047})  # system busy / API limit reached / too many sends
# Seconds before WeChat's stated expiry that a cached token is dropped (its clocks and ours differ).
TOKEN_MARGIN = 300
# WeChat truncates nothing itself: a "thing" field takes at most 20 characters.
FIELD_MAX = 20


class WechatClient:
    def __init__(self, *, app_id: str, app_secret: str, api_base: str, timeout: float = 5.0) -> None:
        self.app_id = app_id
        self.app_secret = app_secret
        self.api_base = api_base.rstrip("/")
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> WechatClient:
        conf = settings.NOTIFY_WECHAT
        return cls(app_id=conf["APP_ID"], app_secret=conf["APP_SECRET"], api_base=conf["API_BASE"])

    @property
    def _cache_key(self) -> str:
        return f"notifications:wechat-token:{self.app_id}"

    def _call(self, path: str, query: dict[str, str], body: dict[str, Any] | None = None) -> dict[str, Any]:
        url = f"{self.api_base}{path}?{urllib.parse.urlencode(query)}"
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 (the configured https base)
            url, data=data, headers={"Content-Type": "application/json; charset=utf-8"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer: dict[str, Any] = json.loads(response.read().decode())
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise ChannelError("network", retryable=True) from exc
        return answer

    def access_token(self, *, fresh: bool = False) -> str:
        if not fresh:
            cached = cache.get(self._cache_key)
            if cached:
                return str(cached)
        answer = self._call(
            "/cgi-bin/token",
            {"grant_type": "client_credential", "appid": self.app_id, "secret": self.app_secret},
        )
        token = answer.get("access_token")
        if not token:
            code = int(answer.get("errcode", 0) or 0)
            raise ChannelError(f"wechat_{code}", retryable=code in RETRYABLE)
        expires = int(answer.get("expires_in", 7200))
        cache.set(self._cache_key, token, max(60, expires - TOKEN_MARGIN))
        return str(token)

    def send_template(self, *, openid: str, template_id: str, data: dict[str, str], url: str = "") -> int:
        """Send one template message; WeChat's msgid."""
        body: dict[str, Any] = {
            "touser": openid,
            "template_id": template_id,
            "data": {k: {"value": v} for k, v in data.items()},
        }
        if url:
            body["url"] = url
        for attempt in range(2):
            token = self.access_token(fresh=attempt > 0)
            answer = self._call("/cgi-bin/message/template/send", {"access_token": token}, body)
            code = int(answer.get("errcode", 0) or 0)
            if code == 0:
                return int(answer.get("msgid", 0) or 0)
            if code in TOKEN_ERRORS and attempt == 0:
                cache.delete(self._cache_key)
                continue
            raise ChannelError(f"wechat_{code}", retryable=code in RETRYABLE)
        raise ChannelError("wechat_token", retryable=True)


def template_data(fields: dict[str, str], parts: dict[str, str]) -> dict[str, str]:
    """The template's fields filled from the message's parts ("title", "body", "time")."""
    out = {}
    for field, part in fields.items():
        value = parts.get(part, "")
        out[field] = value[:FIELD_MAX] if field.startswith("thing") else value
    return out
