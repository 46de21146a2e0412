"""Sign-in (with two-step sign-in for staff), throttling and parent activation."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from jianfu.accounts.models import (
    LoginFailure,
    OneTimeCode,
    RecoveryCode,
    Role,
    Session,
    TotpDevice,
    User,
)
from jianfu.accounts.permissions import can_use_two_step, is_staff_account
from jianfu.accounts.rules import totp
from jianfu.accounts.rules.phones import normalize_phone
from jianfu.accounts.selectors import totp_enabled, totp_uri
from jianfu.accounts.tasks import get_sms_backend
from jianfu.core.actors import SystemActor
from jianfu.core.audit import audit
from jianfu.core.errors import DomainError

logger = logging.getLogger(__name__)


class AccountError(DomainError):
    LOGIN_FAILED = "login_failed"
    LOGIN_THROTTLED = "login_throttled"
    PHONE_INVALID = "phone_invalid"
    CODE_INVALID = "code_invalid"
    CODE_THROTTLED = "code_throttled"
    PASSWORD_WEAK = "password_weak"  # noqa: S105 (an error code, not a password)
    TOTP_INVALID = "totp_invalid"
    TOTP_STATE = "totp_state"
    TWO_STEP_REQUIRED = "two_step_sign_in_required"
    CHALLENGE_REQUIRED = "challenge_required"
    SESSION_EXPIRED = "session_expired"
    PASSWORD_WRONG = "password_wrong"  # noqa: S105 (an error code)


class GuardianDirectory(Protocol):
    """Where parent activation looks up a roster phone and links the account to the children.

    The roster lives in the schools app, above accounts: schools registers its directory when the
    app is ready (jianfu.schools.apps), so accounts never imports schools (decision 0039)."""

    def guardian_name(self, phone: str) -> str | None:
        """The name the roster gives this guardian phone, or None if it is no guardian's."""

    def link_children(self, user: User, phone: str) -> int:
        """Link every guardian row with this phone to ``user`` with a parent role for each child's
        class; the number of children."""


class _NoGuardians:
    def guardian_name(self, phone: str) -> str | None:
        return None

    def link_children(self, user: User, phone: str) -> int:
        return 0


_guardians: GuardianDirectory = _NoGuardians()


def guardian_directory_set(directory: GuardianDirectory) -> None:
    global _guardians
    _guardians = directory


def _digest(value: str) -> str:
    """A keyed digest so throttle and code rows never hold a phone number in clear."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _recent_failures(key: str) -> int:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    return LoginFailure.objects.filter(key=key, created_at__gte=since).count()


def login_authenticate(
    *, phone: str, password: str, ip: str, request: Any = None, challenge_ok: bool = False
) -> User:
    """Check a phone and password, throttled so that guessing is slow but nobody can lock the rightful
    user out (security.md M6):
    - the pair (phone, address) that failed 5 times in 15 minutes is refused: that address stops
      guessing that phone, while the account's holder elsewhere still signs in;
    - a phone failed from several addresses (LOGIN_CHALLENGE_AFTER_PHONE_FAILURES, a spread-out
      guess) or an address with many failures (LOGIN_THROTTLE_MAX_FAILURES_PER_IP: a script, or a
      school's NAT with one careless pupil) asks for the human check instead of refusing;
    - each try is recorded before the password is checked, and the pair's count read after: N
      concurrent guesses check at most five passwords.

    The same message is given for an unknown phone and a wrong password.
    """
    normalized = normalize_phone(phone) or phone.strip()
    phone_key = "p:" + _digest(normalized)
    ip_key = "i:" + _digest(ip or "-")
    pair_key = "pi:" + _digest(f"{normalized}|{ip or '-'}")
    locked = AccountError(
        AccountError.LOGIN_THROTTLED,
        _("该手机号在本网络登录失败次数过多，请15分钟后再试"),
        status=429,
    )
    if _recent_failures(pair_key) >= settings.LOGIN_THROTTLE_MAX_FAILURES_PER_PHONE:
        raise locked
    if not challenge_ok and (
        _recent_failures(phone_key) >= settings.LOGIN_CHALLENGE_AFTER_PHONE_FAILURES
        or _recent_failures(ip_key) >= settings.LOGIN_THROTTLE_MAX_FAILURES_PER_IP
    ):
        raise AccountError(
            AccountError.CHALLENGE_REQUIRED,
            _("登录失败较多：请先回答下面的问题再登录"),
            field="challenge",
            status=429,
        )
    # Taken before the check, outside any transaction: a concurrent guess sees this one's rows.
    taken = LoginFailure.objects.bulk_create(
        [LoginFailure(key=pair_key), LoginFailure(key=phone_key), LoginFailure(key=ip_key)]
    )
    if _recent_failures(pair_key) > settings.LOGIN_THROTTLE_MAX_FAILURES_PER_PHONE:
        raise locked  # a concurrent burst: this try is over the pair's five and is not checked
    user = authenticate(request, phone=normalized, password=password)
    if user is None:
        raise AccountError(AccountError.LOGIN_FAILED, _("手机号或密码错误"), status=400)
    # A right password: this try was no failure, and the phone's and the pair's failures are cleared
    # (not the address's: one address may be shared).
    LoginFailure.objects.filter(pk__in=[row.pk for row in taken]).delete()
    LoginFailure.objects.filter(key__in=[phone_key, pair_key]).delete()
    assert isinstance(user, User)
    return user


def password_change(*, actor: User, old: str, new: str, keep_session_key: str | None = None) -> None:
    """Everyone changes their own password with the current one (security.md L6). The account's other
    sessions end (Django's session hash would refuse them; they are deleted so none lingers); audited."""
    if not actor.check_password(old):
        raise AccountError(AccountError.PASSWORD_WRONG, _("原密码不正确"), field="old")
    problems = password_problems(new, user=actor)
    if problems:
        raise AccountError(
            AccountError.PASSWORD_WEAK,
            _("新密码不符合要求：%(problems)s"),
            params={"problems": problems},
            field="new",
        )
    with transaction.atomic():
        actor.set_password(new)
        actor.save(update_fields=["password"])
        Session.objects.filter(user=actor).exclude(session_key=keep_session_key or "").delete()
        audit(actor=actor, action="password_changed", obj=actor)


# Our own wording for Django's validators, by their error codes: Django's Chinese catalogue lacks
# some of them (the length rule came out in English on a Chinese page), and a sentence half in one
# language is worse than either. A code we do not know keeps Django's text.
_PASSWORD_PROBLEMS: dict[str, Promise] = {
    "password_too_similar": _("不能与手机号或姓名相近。"),
    "password_too_common": _("太常见，容易被猜中。"),
    "password_entirely_numeric": _("不能全为数字。"),
}


class PasswordProblems:
    """What Django's validators found, worded when it is shown: ``str()`` composes every sentence in
    the language active then (a DomainError renders its parameters inside its own language), so the
    message never mixes two languages."""

    def __init__(self, errors: list[ValidationError]) -> None:
        self.errors = errors

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __str__(self) -> str:
        said: list[str] = []
        for error in self.errors:
            params = error.params or {}
            if error.code == "password_too_short":
                length = int(params.get("min_length", 0))
                said.append(
                    ngettext(
                        "太短，至少需要%(min_length)d个字符。",
                        "太短，至少需要%(min_length)d个字符。",
                        length,
                    )
                    % {"min_length": length}
                )
            elif error.code in _PASSWORD_PROBLEMS:
                said.append(str(_PASSWORD_PROBLEMS[error.code]))
            else:
                said.append(" ".join(error.messages))
        return " ".join(said)


def password_problems(password: str, user: User | None = None) -> PasswordProblems:
    """What is wrong with a new password (falsy if nothing)."""
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        return PasswordProblems(exc.error_list)
    return PasswordProblems([])


def _password_acceptable(password: str, user: User | None = None) -> None:
    problems = password_problems(password, user=user)
    if problems:
        raise AccountError(
            AccountError.PASSWORD_WEAK,
            _("密码不符合要求：%(problems)s"),
            params={"problems": problems},
            field="password",
        )


def language_set(user: User, language: str) -> None:
    """Remember the account's page language (jianfu.core.i18n picks it up on the next request)."""
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def login_failures_prune() -> int:
    """Delete throttle rows older than the window (run daily as a task)."""
    cutoff = timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    deleted, _by_model = LoginFailure.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _phone_or_error(raw: str) -> str:
    phone = normalize_phone(raw)
    if phone is None:
        raise AccountError(AccountError.PHONE_INVALID, _("手机号格式错误"), field="phone")
    return phone


ACTIVATION_UNSENT = "activate_unsent"
RESET = "reset"
RESET_UNSENT = "reset_unsent"
# Every code texted to a number, whatever it is for, counts towards that number's limits: asking for
# a password reset must not double what activation may send to one phone.
_CODE_PURPOSES = ["activate", ACTIVATION_UNSENT, RESET, RESET_UNSENT]


def _code_send(*, phone: str, ip: str, challenge_ok: bool, purpose: str, unsent: str, send: Any) -> None:
    """Make, hash and store a one-time code for `phone`, and queue its text when `send` (a callable
    taking the normalized phone) says this number is one to text — an SMS task or None.

    Nothing in the answer, its status or its timing tells a number that gets a text from any other
    (security.md M3, decision 0001): a code is made and hashed for every number (stored as `unsent`
    for the others), so both take the same time, count against the same per-phone limits and get the
    same refusals. The text itself is queued and sent after commit by `jianfu worker`, so the
    gateway's time is not in the answer either. An address asking often gets the human check; the
    site's hourly total is capped (the gateway's bill)."""
    from jianfu.core import ratelimit

    normalized = _phone_or_error(phone)
    digest = _digest(normalized)
    if (
        not ratelimit.hit(
            "act-ip:" + _digest(ip or "-"),
            limit=settings.ACTIVATION_CHALLENGE_AFTER_PER_ADDRESS,
            window_seconds=3600,
        )
        and not challenge_ok
    ):
        raise AccountError(
            AccountError.CHALLENGE_REQUIRED,
            _("请求较多：请先回答下面的问题"),
            field="challenge",
            status=429,
        )
    now = timezone.now()
    recent = OneTimeCode.objects.filter(phone_digest=digest, purpose__in=_CODE_PURPOSES)
    if (
        recent.filter(created_at__gte=now - timedelta(hours=1)).count()
        >= settings.ACTIVATION_PER_PHONE_PER_HOUR
        or recent.filter(created_at__gte=now - timedelta(days=1)).count()
        >= settings.ACTIVATION_TEXTS_PER_PHONE_PER_DAY
    ):
        raise AccountError(
            AccountError.CODE_THROTTLED,
            _("验证码发送过于频繁，请1小时后再试"),
            status=429,
        )
    if not ratelimit.hit("act-site", limit=settings.ACTIVATION_TEXTS_PER_HOUR, window_seconds=3600):
        raise AccountError(
            AccountError.CODE_THROTTLED,
            _("验证码发送繁忙，请稍后再试"),
            status=429,
        )
    sms_task = send(normalized)
    code = f"{secrets.randbelow(1_000_000):06d}"
    OneTimeCode.objects.create(
        phone_digest=digest,
        code_hash=make_password(code),
        purpose=purpose if sms_task is not None else unsent,
        expires_at=now + timedelta(seconds=settings.OTP_TTL_SECONDS),
    )
    if sms_task is not None:
        language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(lambda: sms_task.enqueue(normalized, code, language))


def activation_code_send(*, phone: str, ip: str = "", challenge_ok: bool = False) -> None:
    """Send a one-time code if `phone` is a guardian phone in some school's roster, with the same
    answer and timing for any other number (_code_send). There is no self-registration."""
    from jianfu.accounts.tasks import activation_sms

    def send(normalized: str) -> Any:
        return activation_sms if _guardians.guardian_name(normalized) is not None else None

    _code_send(
        phone=phone, ip=ip, challenge_ok=challenge_ok, purpose="activate", unsent=ACTIVATION_UNSENT, send=send
    )


def _resettable(normalized: str) -> User | None:
    """The account a texted code may set a new password for: an active parent-only account without
    two-step sign-in. Never one holding any staff role — the phone's SMS must not be a way round the
    staff sign-in and its second step (security.md M4 b) — so such a number is answered like an
    unknown one and gets no text."""
    user = User.objects.filter(phone=normalized, is_active=True).first()
    if user is None or not activation_signs_in(user):
        return None
    return user


def password_reset_code_send(*, phone: str, ip: str = "", challenge_ok: bool = False) -> None:
    """忘记密码: text a code to a parent account's phone, with the same answer, timing and limits as
    activation for any number (_code_send) — an unknown number and a staff account's get nothing."""
    from jianfu.accounts.tasks import password_reset_sms

    def send(normalized: str) -> Any:
        return password_reset_sms if _resettable(normalized) is not None else None

    _code_send(phone=phone, ip=ip, challenge_ok=challenge_ok, purpose=RESET, unsent=RESET_UNSENT, send=send)


def _code_take(normalized: str, code: str, purpose: str) -> OneTimeCode:
    """The newest open code of `purpose` for the phone if `code` is it; each attempt counted first."""
    otp = (
        OneTimeCode.objects.filter(
            phone_digest=_digest(normalized),
            purpose=purpose,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
        .first()
    )
    bad = AccountError(AccountError.CODE_INVALID, _("验证码错误或已过期"), field="code")
    # The attempt is counted before the (slow, PBKDF2) check, in one conditional UPDATE: concurrent
    # guesses each take one of the five tries or none, so a burst cannot check more than five codes.
    # Outside any transaction, so a failed attempt is kept although the caller fails.
    if otp is None or not OneTimeCode.objects.filter(
        pk=otp.pk, attempts__lt=settings.OTP_MAX_ATTEMPTS
    ).update(attempts=F("attempts") + 1):
        raise bad
    if not check_password(code.strip(), otp.code_hash):
        raise bad
    return otp


def _code_use(otp: OneTimeCode) -> None:
    """Mark the code used only if nobody else did in the meantime (double submit, two tabs)."""
    if not OneTimeCode.objects.filter(pk=otp.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise AccountError(AccountError.CODE_INVALID, _("验证码错误或已过期"), field="code")


def password_reset(*, phone: str, code: str, password: str) -> User:
    """Set a new password for a parent account with the code texted to its phone. Every session of
    the account ends (whoever knew the old password may hold one); audited. The account must still
    be one a code may reset (a staff role given since the text was sent refuses)."""
    normalized = _phone_or_error(phone)
    otp = _code_take(normalized, code, RESET)
    user = _resettable(normalized)
    _password_acceptable(password, user=user)
    with transaction.atomic():
        _code_use(otp)
        if user is None:
            raise AccountError(AccountError.CODE_INVALID, _("验证码错误或已过期"), field="code")
        user.set_password(password)
        user.save(update_fields=["password"])
        Session.objects.filter(user=user).delete()
        LoginFailure.objects.filter(key="p:" + _digest(normalized)).delete()
        audit(actor=user, action="password_reset", obj=user)
    return user


def parent_activate(*, phone: str, code: str, password: str) -> User:
    """Activate (or re-activate) the parent account for a roster guardian phone.

    Links every guardian row with that phone to the account and gives a parent membership for each
    child's class.
    """

    normalized = _phone_or_error(phone)
    otp = _code_take(normalized, code, "activate")
    _password_acceptable(password)
    with transaction.atomic():
        _code_use(otp)
        return _parent_link_guardians(normalized, password)


def _parent_link_guardians(normalized: str, password: str) -> User:
    user = User.objects.filter(phone=normalized).first()
    if user is None:
        user = User.objects.create_user(normalized, password, name=_guardians.guardian_name(normalized) or "")
    elif not holds_staff_role(user):
        user.set_password(password)
        user.save(update_fields=["password"])
    # A staff account whose phone is also a guardian's (a teacher who is a parent) is linked to the
    # child, but an SMS code never sets its password: that would make the phone's SMS a way round the
    # staff sign-in and its second step (security.md M4 b).
    children = _guardians.link_children(user, normalized)
    audit(actor=user, action="parent_activated", obj=user, data={"children": children})
    return user


# --- two-step sign-in (staff) ---------------------------------------------------------------------

RECOVERY_CODES = 10
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are copied by hand


def holds_staff_role(user: User) -> bool:
    """Any role besides parent (or a site administrator): such an account signs in with its password
    and, where it has one, its second step — never through a parent's activation code."""
    return is_staff_account(user, user.held_roles())


def activation_signs_in(user: User) -> bool:
    """Whether activating may sign the account in at once: only a parent-only account without
    two-step sign-in (security.md M4 c). Everyone else goes through the sign-in page."""
    return not holds_staff_role(user) and not TotpDevice.objects.filter(user=user).exists()


def totp_offered(user: User) -> bool:
    """Whether the account may turn on two-step sign-in (accounts.permissions.can_use_two_step)."""
    return can_use_two_step(user, user.held_roles())


def totp_required(user: User) -> bool:
    """Whether the account's roles oblige it to use two-step sign-in (settings.JIANFU_TWO_STEP_REQUIRED_ROLES)."""
    # Never parents: they are not offered it (totp_offered), so requiring it would lock them out.
    roles = [r for r in settings.JIANFU_TWO_STEP_REQUIRED_ROLES if r != Role.PARENT]
    return bool(roles) and bool(user.held_roles() & set(roles))


def _now_ts(now: Any = None) -> float:
    return (now or timezone.now()).timestamp()


def totp_setup_start(*, actor: User) -> tuple[str, str]:
    """A new secret for the actor's authenticator app: (secret, otpauth URI for the QR code).

    Nothing changes at sign-in until a code from the app confirms it (totp_setup_confirm)."""
    if not totp_offered(actor):
        raise AccountError(AccountError.TOTP_STATE, _("两步验证供学校和教育局工作人员使用"))
    if totp_enabled(actor):
        raise AccountError(AccountError.TOTP_STATE, _("两步验证已开启"))
    secret = totp.secret_new()
    TotpDevice.objects.update_or_create(
        user=actor, defaults={"secret": secret, "confirmed_at": None, "last_step": -1}
    )
    return secret, totp_uri(actor, secret)


def _bad_code() -> AccountError:
    return AccountError(
        AccountError.TOTP_INVALID,
        _("验证码不正确：请输入验证器App中当前显示的6位数字，或一个未用过的恢复码"),
        field="code",
    )


def _recovery_digest(code: str) -> str:
    # Random 50-bit codes: a keyed digest is enough (and fast to check), unlike a password.
    return _digest("rc:" + "".join(ch for ch in code.upper() if ch.isalnum()))


@transaction.atomic
def totp_setup_confirm(
    *, actor: User, code: str, now: Any = None, keep_session_key: str | None = None
) -> list[str]:
    """Turn two-step sign-in on with the first code from the app; returns the recovery codes, shown
    to the user once (only their digests are kept). Every other session of the account ends: one
    opened with a leaked password before today must not keep its rights (security.md H1)."""
    device = TotpDevice.objects.select_for_update().filter(user=actor, confirmed_at__isnull=True).first()
    if device is None:
        raise AccountError(AccountError.TOTP_STATE, _("请先开始设置两步验证"))
    step = totp.verify(device.secret, code, _now_ts(now))
    if step is None:
        raise _bad_code()
    device.confirmed_at, device.last_step = timezone.now(), step
    device.save(update_fields=["confirmed_at", "last_step"])
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.filter(user=actor).delete()
    RecoveryCode.objects.bulk_create([RecoveryCode(user=actor, code_hash=_recovery_digest(c)) for c in codes])
    Session.objects.filter(user=actor).exclude(session_key=keep_session_key or "").delete()
    audit(actor=actor, action="totp_enabled", obj=actor)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def _second_factor_ok(user: User, code: str, now: Any = None) -> bool:
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    step = totp.verify(device.secret, code, _now_ts(now), after_step=device.last_step)
    if step is not None:
        # Accept the step only if no request accepted it (or a later one) in the meantime.
        return bool(TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step))
    used = RecoveryCode.objects.filter(user=user, code_hash=_recovery_digest(code), used_at__isnull=True)
    if used.update(used_at=timezone.now()):
        audit(actor=user, action="recovery_code_used", obj=user)
        return True
    return False


def _second_step_not_locked(key: str) -> None:
    if _recent_failures(key) >= settings.LOGIN_THROTTLE_MAX_FAILURES_PER_PHONE:
        raise AccountError(
            AccountError.LOGIN_THROTTLED,
            _("验证失败次数过多，请15分钟后再试"),
            status=429,
        )


def second_factor_confirm(*, actor: User, session_passed: bool, code: str, now: Any = None) -> None:
    """For the gravest actions (unsealing a complainant, resetting someone's two-step sign-in): this
    session must have passed the second step, and a fresh code from the app is asked for at that
    moment — a session left open on a shared computer is not enough (security.md H1). Wrong codes
    count towards the same lock as sign-in's second step; recovery codes are for signing in only."""
    if not session_passed or not totp_enabled(actor):
        raise AccountError(
            AccountError.TWO_STEP_REQUIRED,
            _("此操作须用两步验证登录：请在“账号安全”中开启两步验证，并退出后重新登录"),
            status=403,
        )
    key = "t:" + _digest(str(actor.pk))
    _second_step_not_locked(key)
    device = TotpDevice.objects.filter(user=actor, confirmed_at__isnull=False).first()
    step = totp.verify(device.secret, code, _now_ts(now), after_step=device.last_step) if device else None
    # Accept the step only if no request accepted it (or a later one) in the meantime: a code is good once.
    if step is None or not TotpDevice.objects.filter(user=actor, last_step__lt=step).update(last_step=step):
        LoginFailure.objects.create(key=key)
        raise _bad_code()


def login_second_step(*, user_id: int, code: str, now: Any = None) -> User:
    """The second step of a staff sign-in after the password: a code from the app or a recovery
    code. Failures are throttled per account like passwords (5 in 15 minutes)."""
    key = "t:" + _digest(str(user_id))
    _second_step_not_locked(key)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not _second_factor_ok(user, code, now):
        LoginFailure.objects.create(key=key)
        raise _bad_code()
    LoginFailure.objects.filter(key=key).delete()
    return user


@transaction.atomic
def totp_disable(*, actor: User, code: str, now: Any = None) -> None:
    """Turn two-step sign-in off, proving possession with a current code or a recovery code."""
    if totp_required(actor):
        raise AccountError(
            AccountError.TOTP_STATE,
            _("您的岗位要求使用两步验证，不能关闭"),
        )
    if not _second_factor_ok(actor, code, now):
        raise _bad_code()
    TotpDevice.objects.filter(user=actor).delete()
    RecoveryCode.objects.filter(user=actor).delete()
    audit(actor=actor, action="totp_disabled", obj=actor)


@transaction.atomic
def totp_reset_by_operator(*, actor: SystemActor, phone: str, reason: str) -> bool:
    """Turn off two-step sign-in for an account whose phone and recovery codes are both lost — run by
    the site's operator after checking the person's identity offline (`jianfu totp-reset`, acting as
    the CLI system actor). Audited with the actor and the reason; False if the account had none."""
    if not isinstance(actor, SystemActor):
        # Only the operator's command resets this way; a person resets through the bureau's page.
        raise TypeError("totp_reset_by_operator needs a SystemActor")
    normalized = _phone_or_error(phone)
    if len(reason.strip()) < 5:
        raise AccountError(
            AccountError.TOTP_STATE,
            _("请写明重置原因（至少5个字）"),
            field="reason",
        )
    user = User.objects.filter(phone=normalized).first()
    if user is None or not TotpDevice.objects.filter(user=user).exists():
        return False
    _totp_remove(user)
    audit(actor=actor, action="totp_reset", obj=user, data={"reason": reason.strip()[:200]})
    _tell_about_reset(user, pgettext_lazy("who turned it off", "系统运维人员"))
    return True


def _totp_remove(user: User) -> None:
    """Turn the account's two-step sign-in off and end every session: whoever holds the lost phone may
    also hold a signed-in browser."""
    TotpDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    Session.objects.filter(user=user).delete()


def _tell_about_reset(user: User, by: Promise | str) -> None:
    """Text the account holder once the reset committed, so a reset they did not ask for does not go
    unnoticed. The gateway failing must not undo the reset (it is logged by the backend)."""
    phone, language = user.phone, user.preferred_language

    def send() -> None:
        try:
            with translation.override(language):  # the holder's language, not the resetter's
                text = _(
                    "【减负】您账号的两步验证已由%(by)s关闭，请登录后在“账号安全”中重新开启。"
                    "如非本人申请，请立即联系学校或教育局。"
                ) % {"by": by}
            get_sms_backend().send(phone=phone, text=str(text))
        except Exception:  # a text that did not go out is not a failed reset
            logger.exception("reset notice not sent (user %s)", user.pk)

    transaction.on_commit(send)


def reset_reason_check(reason: str) -> str:
    """A reset is audited with why it was made and how the person's identity was checked."""
    if len(reason.strip()) < 5:
        raise AccountError(
            AccountError.TOTP_STATE,
            _("请写明重置原因（至少5个字），例如核实身份的方式"),
            field="reason",
        )
    return reason.strip()[:200]


def totp_reset_for(*, actor: User, user_id: int, reason: str, by: Promise | str) -> User:
    """Turn off ``user_id``'s two-step sign-in for a person allowed to (the caller checked that, and
    the actor's own second step): audited with the reason, the holder texted, their sessions ended."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        _totp_remove(user)
        audit(actor=actor, action="totp_reset", obj=user, data={"reason": reset_reason_check(reason)})
        _tell_about_reset(user, by)
    return user
