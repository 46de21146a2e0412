from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def csp_source_hash(source: str) -> str:
    """The CSP source expression for an inline script or handler: 'sha256-<base64 of its digest>'."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (docs/decisions/0030).

    Django 5.2 has no CSP of its own. The policy is settings.JIANFU_CSP (from the environment), in which
    `{nonce}` becomes a fresh random value per request — templates put it on an inline <script> as
    `nonce="{{ request.csp_nonce }}"` — and `{handler_hashes}` the hashes of the few inline event
    handlers still allowed (settings.JIANFU_CSP_INLINE_HANDLERS; jianfu/core/tests/
    test_security_headers.py keeps the templates to them). A response that already carries its own
    policy keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        handlers = " ".join(csp_source_hash(s) for s in settings.JIANFU_CSP_INLINE_HANDLERS)
        policy = " ".join(settings.JIANFU_CSP.split())
        self.policy = policy.replace("{handler_hashes}", handlers) if policy else ""
        self.header = (
            "Content-Security-Policy-Report-Only"
            if settings.JIANFU_CSP_REPORT_ONLY
            else "Content-Security-Policy"
        )
        self.permissions = settings.JIANFU_PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        if self.policy and self.header not in response:
            response[self.header] = self.policy.replace("{nonce}", nonce)
        if self.permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions
        return response
