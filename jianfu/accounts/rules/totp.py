"""Time-based one-time codes (RFC 6238, HMAC-SHA1, 30-second steps, 6 digits): what authenticator
apps (腾讯身份验证器, Google or Microsoft Authenticator, FreeOTP) generate. Pure; no ORM.

Only the standard library: the algorithm is twenty lines, and a dependency for it would be one more
thing to audit on the sign-in path.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import unicodedata
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
# One step either side: a phone clock 30 s off, or a code typed as it changed, still signs in.
WINDOW = 1
# The demo's bureau member and custodian must sign in with two steps (the deployment's default). Their
# secret is published in the README so a tester can add it to an authenticator app, or print the
# current code with `jianfu demo-code PHONE` — which refuses any account whose secret is not this one.
DEMO_SECRET = "NJUWC3TGOUWWIZLNN4WXI53PFVZXIZLQ"  # noqa: S105 - published for the demo (base32 of b"jianfu-demo-two-step")


def secret_new() -> str:
    """A random 160-bit secret, base32 without padding (what the apps expect to be typed or scanned)."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret_b32: str) -> bytes:
    padded = secret_b32.upper() + "=" * (-len(secret_b32) % 8)
    return base64.b32decode(padded)


def code_at(secret_b32: str, step: int, digits: int = DIGITS) -> str:
    """RFC 4226 HOTP of the step counter (RFC 6238: counter = floor(unix time / 30))."""
    mac = hmac.new(_key(secret_b32), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def step_of(unix_time: float) -> int:
    return int(unix_time // STEP_SECONDS)


def verify(secret_b32: str, code: str, unix_time: float, *, after_step: int = -1) -> int | None:
    """The step a code belongs to if it is valid now (within WINDOW steps) and newer than
    `after_step` — the last step accepted, so a code seen over someone's shoulder cannot be replayed;
    else None."""
    # Full-width digits from a Chinese input method are the same digits (NFKC makes them ASCII); any
    # other character str.isdigit() accepts (superscripts, Arabic-Indic digits) is dropped, so the
    # comparison below only ever sees ASCII and a wrong code is an ordinary failed attempt.
    code = "".join(ch for ch in unicodedata.normalize("NFKC", code) if ch in "0123456789")
    if len(code) != DIGITS:
        return None
    now = step_of(unix_time)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if step > after_step and hmac.compare_digest(code_at(secret_b32, step), code):
            return step
    return None


def provisioning_uri(secret_b32: str, *, account: str, issuer: str) -> str:
    """The otpauth:// URI an app reads from a QR code (Key Uri Format)."""
    label = quote(f"{issuer}:{account}")
    query = urlencode({"secret": secret_b32, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS})
    return f"otpauth://totp/{label}?{query}"
