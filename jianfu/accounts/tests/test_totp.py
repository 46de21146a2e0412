"""RFC 6238 one-time codes: the RFC's own test vectors, the window and replay."""

import base64
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from jianfu.accounts.rules import totp

# RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("unix_time", "eight_digits"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_the_rfc_6238_sha1_vectors(unix_time, eight_digits):
    step = totp.step_of(unix_time)
    assert totp.code_at(RFC_SECRET, step, digits=8) == eight_digits
    # Six digits are the last six of the same value (the modulus is 10**6).
    assert totp.code_at(RFC_SECRET, step) == eight_digits[-6:]


def test_a_code_is_good_for_one_step_either_side_and_never_twice():
    now = 1111111111  # step 37037037
    code = totp.code_at(RFC_SECRET, 37037037)
    assert totp.verify(RFC_SECRET, code, now) == 37037037
    assert totp.verify(RFC_SECRET, code, now + 30) == 37037037  # typed as the next code appeared
    assert totp.verify(RFC_SECRET, code, now + 60) is None  # two steps later: too old
    assert totp.verify(RFC_SECRET, code, now, after_step=37037037) is None  # already used
    assert totp.verify(RFC_SECRET, code[:3] + " " + code[3:], now) == 37037037  # spaces are fine
    assert totp.verify(RFC_SECRET, "12345", now) is None


def test_full_width_digits_count_and_other_unicode_digits_are_a_wrong_code_not_an_error():
    """security.md L1 #8: '１２３４５６', '123²56' and Arabic-Indic digits raised TypeError in
    hmac.compare_digest (HTTP 500). A Chinese input method types full-width digits: they are digits."""
    now = 1111111111
    code = totp.code_at(RFC_SECRET, 37037037)
    full_width = "".join(chr(ord(ch) - ord("0") + ord("０")) for ch in code)
    assert totp.verify(RFC_SECRET, full_width, now) == 37037037
    assert totp.verify(RFC_SECRET, "١٢٣٤٥٦", now) is None


def test_a_new_secret_is_160_bits_and_the_uri_is_what_apps_scan():
    secret = totp.secret_new()
    assert len(base64.b32decode(secret + "=" * (-len(secret) % 8))) == 20
    uri = totp.provisioning_uri(RFC_SECRET, account="138****0001", issuer="减负")
    # Key URI Format: otpauth://TYPE/LABEL?PARAMETERS, the label "issuer:account" percent-encoded.
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert unquote(parts.path) == "/减负:138****0001"
    query = parse_qs(parts.query, strict_parsing=True)
    assert all(len(values) == 1 for values in query.values())  # each parameter once
    params = {k: v[0] for k, v in query.items()}
    # The secret is base32 without padding and decodes to the key itself (RFC 6238's seed here).
    assert re.fullmatch(r"[A-Z2-7]+", params["secret"])
    assert base64.b32decode(params["secret"]) == b"12345678901234567890"
    assert params["issuer"] == "减负"  # the same issuer as the label's prefix
    # Optional parameters, if given, are the RFC 6238 defaults the codes are made with.
    assert params.get("algorithm", "SHA1") == "SHA1"
    assert params.get("digits", "6") == "6"
    assert params.get("period", "30") == "30"
    assert set(params) <= {"secret", "issuer", "algorithm", "digits", "period"}
