"""What pages and endpoints of several apps need from a request, written once."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address for the per-address limits (sign-in, activation, receipt lookups): the
    proxy's X-Real-IP where the settings trust the proxy (TRUST_PROXY_HEADERS), else the
    connection's own address."""
    if settings.JIANFU_TRUST_PROXY_HEADERS and request.META.get("HTTP_X_REAL_IP"):
        return str(request.META["HTTP_X_REAL_IP"]).strip()[:45]
    return str(request.META.get("REMOTE_ADDR", ""))
