"""Sign-in, throttling and parent activation."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jianfu.accounts.models import LoginFailure, Membership, OneTimeCode, Role, User
from jianfu.accounts.phones import normalize_phone
from jianfu.accounts.sms import get_sms_backend
from jianfu.core.audit import audit
from jianfu.core.errors import DomainError


class AccountError(DomainError):
    LOGIN_FAILED = "login_failed"
    LOGIN_THROTTLED = "login_throttled"
    PHONE_INVALID = "phone_invalid"
    CODE_INVALID = "code_invalid"
    CODE_THROTTLED = "code_throttled"
    PASSWORD_WEAK = "password_weak"  # noqa: S105 (an error code, not a password)


def _digest(value: str) -> str:
    """A keyed digest so throttle and code rows never hold a phone number in clear."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _recent_failures(key: str) -> int:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    return LoginFailure.objects.filter(key=key, created_at__gte=since).count()


def _throttled(phone_key: str, ip_key: str) -> bool:
    return (
        _recent_failures(phone_key) >= settings.LOGIN_THROTTLE_MAX_FAILURES_PER_PHONE
        or _recent_failures(ip_key) >= settings.LOGIN_THROTTLE_MAX_FAILURES_PER_IP
    )


def login_authenticate(*, phone: str, password: str, ip: str, request: Any = None) -> User:
    """Check a phone and password, with failures throttled per phone and per client address.

    The same message is given for an unknown phone and a wrong password.
    """
    normalized = normalize_phone(phone) or phone.strip()
    phone_key = "p:" + _digest(normalized)
    ip_key = "i:" + _digest(ip or "-")
    if _throttled(phone_key, ip_key):
        raise AccountError(
            AccountError.LOGIN_THROTTLED,
            "登录失败次数过多，请15分钟后再试",
            "Too many failed sign-ins; try again in 15 minutes",
            status=429,
        )
    user = authenticate(request, phone=normalized, password=password)
    if user is None:
        LoginFailure.objects.bulk_create([LoginFailure(key=phone_key), LoginFailure(key=ip_key)])
        raise AccountError(
            AccountError.LOGIN_FAILED, "手机号或密码错误", "Wrong phone number or password", status=400
        )
    # Successful sign-in clears the phone's failures (not the address's: one address may be shared).
    LoginFailure.objects.filter(key=phone_key).delete()
    assert isinstance(user, User)
    return user


def login_failures_prune() -> int:
    """Delete throttle rows older than the window (run daily as a task)."""
    cutoff = timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    deleted, _ = LoginFailure.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _phone_or_error(raw: str) -> str:
    phone = normalize_phone(raw)
    if phone is None:
        raise AccountError(
            AccountError.PHONE_INVALID, "手机号格式错误", "Invalid mobile number", field="phone"
        )
    return phone


def activation_code_send(*, phone: str) -> None:
    """Send a one-time code if `phone` is a guardian phone in some school's roster.

    The answer is the same whether or not the phone is known, so the form cannot be used to find
    out which numbers belong to a child's guardian. There is no self-registration.
    """
    from jianfu.schools.models import Guardian

    normalized = _phone_or_error(phone)
    digest = _digest(normalized)
    since = timezone.now() - timedelta(hours=1)
    if OneTimeCode.objects.filter(phone_digest=digest, created_at__gte=since).count() >= 5:
        raise AccountError(
            AccountError.CODE_THROTTLED,
            "验证码发送过于频繁，请1小时后再试",
            "Too many codes requested; try again later",
            status=429,
        )
    if not Guardian.objects.filter(phone=normalized).exists():
        return
    code = f"{secrets.randbelow(1_000_000):06d}"
    OneTimeCode.objects.create(
        phone_digest=digest,
        code_hash=make_password(code),
        expires_at=timezone.now() + timedelta(seconds=settings.OTP_TTL_SECONDS),
    )
    get_sms_backend().send(
        phone=normalized, text=f"【减负】您的激活验证码为 {code}，10分钟内有效。如非本人操作请忽略。"
    )


def parent_activate(*, phone: str, code: str, password: str) -> User:
    """Activate (or re-activate) the parent account for a roster guardian phone.

    Links every guardian row with that phone to the account and gives a parent membership for each
    child's class.
    """

    normalized = _phone_or_error(phone)
    digest = _digest(normalized)
    otp = (
        OneTimeCode.objects.filter(phone_digest=digest, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    bad = AccountError(AccountError.CODE_INVALID, "验证码错误或已过期", "Wrong or expired code", field="code")
    if otp is None or otp.attempts >= settings.OTP_MAX_ATTEMPTS:
        raise bad
    if not check_password(code.strip(), otp.code_hash):
        # Counted outside any transaction so the failed attempt is kept although activation fails.
        OneTimeCode.objects.filter(pk=otp.pk).update(attempts=F("attempts") + 1)
        raise bad
    try:
        validate_password(password)
    except ValidationError as exc:
        raise AccountError(
            AccountError.PASSWORD_WEAK,
            "密码不符合要求：" + "；".join(exc.messages),
            "Password too weak",
            field="password",
        ) from exc
    with transaction.atomic():
        # Mark the code used only if nobody else did in the meantime (double submit, two tabs).
        if not OneTimeCode.objects.filter(pk=otp.pk, used_at__isnull=True).update(used_at=timezone.now()):
            raise bad
        return _parent_link_guardians(normalized, password)


def _parent_link_guardians(normalized: str, password: str) -> User:
    from jianfu.schools.models import Guardian

    guardians = list(Guardian.objects.filter(phone=normalized).select_related("student"))
    user = User.objects.filter(phone=normalized).first()
    if user is None:
        user = User.objects.create_user(normalized, password, name=guardians[0].name if guardians else "")
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    for guardian in guardians:
        if guardian.user_id != user.pk:
            guardian.user = user
            guardian.save(update_fields=["user"])
        Membership.objects.get_or_create(
            user=user, role=Role.PARENT, school_class_id=guardian.student.school_class_id
        )
    audit(actor=user, action="parent_activated", obj=user, data={"children": len(guardians)})
    return user
