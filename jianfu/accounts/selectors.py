"""Reads about accounts: two-step sign-in state. (The menu and the home page are jianfu.site's.)"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def session_passed_two_step(session: Any) -> bool:
    """Whether this session gave a code from the authenticator app (sign-in's second step or the
    setup's confirmation) — not merely that the account has one (security.md H1)."""
    from jianfu.accounts.middleware import PASSED, TWO_STEP

    return bool(session.get(TWO_STEP) == PASSED)


def demo_two_step_secret(phone: str) -> str | None:
    """The account's two-step secret if it is the published demo one (jianfu demo-code), else None."""
    from jianfu.accounts.models import TotpDevice
    from jianfu.accounts.rules.phones import normalize_phone
    from jianfu.accounts.rules.totp import DEMO_SECRET

    normalized = normalize_phone(phone)
    if normalized is None:
        return None
    found = TotpDevice.objects.filter(
        user__phone=normalized, secret=DEMO_SECRET, confirmed_at__isnull=False
    ).exists()
    return DEMO_SECRET if found else None


def totp_enabled(user: Any) -> bool:
    """Whether the account signs in with a second step (a confirmed authenticator app)."""
    from jianfu.accounts.models import TotpDevice

    return TotpDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).exists()


TOTP_ISSUER = _("减负")  # the product's name, as the authenticator app lists it


def totp_uri(user: Any, secret: str) -> str:
    """The otpauth URI the app scans: the issuer and the masked phone, so the app shows whose code it is."""
    from jianfu.accounts.rules import totp
    from jianfu.core.masking import mask_phone

    return totp.provisioning_uri(secret, account=mask_phone(user.phone), issuer=str(TOTP_ISSUER))


def totp_pending_setup(user: Any) -> tuple[str, str] | None:
    """The secret being set up (shown again when the first code was mistyped) and its otpauth URI."""
    from jianfu.accounts.models import TotpDevice

    device = TotpDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=True).first()
    if device is None:
        return None
    return device.secret, totp_uri(user, device.secret)
