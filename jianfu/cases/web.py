"""What the complaint pages and endpoints both need from a request."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address for the receipt-lookup limit: the proxy's X-Real-IP where the settings
    trust the proxy (as the sign-in throttle in jianfu.accounts.views does), else the connection's."""
    if settings.JIANFU_TRUST_PROXY_HEADERS and request.META.get("HTTP_X_REAL_IP"):
        return str(request.META["HTTP_X_REAL_IP"]).strip()[:45]
    return str(request.META.get("REMOTE_ADDR", ""))
