"""Two-step sign-in for staff: setting it up, signing in with it, recovery codes, turning it off,
and who is offered the page."""

import base64
import re
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from conftest import PASSWORD, PERSONAS
from jianfu.accounts import services
from jianfu.accounts.models import RecoveryCode, TotpDevice
from jianfu.accounts.rules import totp
from jianfu.accounts.services import AccountError
from jianfu.core.models import AuditEvent

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 12, 1, 9, 0, 0, tzinfo=UTC)


def code(secret, when=None):
    return totp.code_at(secret, totp.step_of((when or T0).timestamp()))


def switched_on(user):
    secret, _uri = services.totp_setup_start(actor=user)
    recovery = services.totp_setup_confirm(actor=user, code=code(secret), now=T0)
    return secret, recovery


def test_setting_up_needs_a_code_from_the_app_and_gives_ten_single_use_recovery_codes(world):
    teacher = world.users["teacher"]
    secret, uri = services.totp_setup_start(actor=teacher)
    # The URI the app scans: a TOTP key labelled with the issuer and the masked phone (13900000006),
    # carrying the very key the device stores.
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, unquote(parts.path)) == ("otpauth", "totp", "/减负:139****0006")
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    device = TotpDevice.objects.get(user=teacher)
    assert params["secret"] == secret == device.secret
    assert len(base64.b32decode(params["secret"] + "=" * (-len(secret) % 8))) == 20  # 160 bits
    assert params["issuer"] == "减负"
    assert "13900000006" not in unquote(uri)  # the masked phone only
    with pytest.raises(AccountError) as wrong:
        services.totp_setup_confirm(
            actor=teacher, code="000000" if code(secret) != "000000" else "111111", now=T0
        )
    assert wrong.value.code == "totp_invalid"
    assert TotpDevice.objects.get(user=teacher).confirmed_at is None  # not on until confirmed
    recovery = services.totp_setup_confirm(actor=teacher, code=code(secret), now=T0)
    assert len(recovery) == 10 and all(
        re.fullmatch(r"[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}", c) for c in recovery
    )
    assert len(set(recovery)) == 10
    # Only digests are kept.
    stored = set(RecoveryCode.objects.filter(user=teacher).values_list("code_hash", flat=True))
    assert not stored & {c.replace("-", "") for c in recovery} and len(stored) == 10
    assert AuditEvent.objects.filter(action="totp_enabled", actor=teacher).count() == 1


def test_a_code_signs_in_once_and_a_recovery_code_once(world):
    teacher = world.users["teacher"]
    secret, recovery = switched_on(teacher)
    later = datetime.fromtimestamp(T0.timestamp() + 90, UTC)  # three steps after the setup code
    assert services.login_second_step(user_id=teacher.pk, code=code(secret, later), now=later) == teacher
    with pytest.raises(AccountError):  # the same code again (someone looking over a shoulder)
        services.login_second_step(user_id=teacher.pk, code=code(secret, later), now=later)
    assert services.login_second_step(user_id=teacher.pk, code=recovery[3].lower(), now=later) == teacher
    with pytest.raises(AccountError):
        services.login_second_step(user_id=teacher.pk, code=recovery[3], now=later)
    assert AuditEvent.objects.filter(action="recovery_code_used").count() == 1


def test_five_wrong_codes_lock_the_second_step_for_fifteen_minutes(world):
    teacher = world.users["teacher"]
    secret, _ = switched_on(teacher)
    bad = "000000" if code(secret) != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(AccountError) as exc:
            services.login_second_step(user_id=teacher.pk, code=bad, now=T0)
        assert exc.value.code == "totp_invalid"
    with pytest.raises(AccountError) as locked:
        services.login_second_step(user_id=teacher.pk, code=code(secret), now=T0)
    assert (locked.value.code, locked.value.status) == ("login_throttled", 429)


@pytest.mark.parametrize("odd", ["١٢٣٤٥٦", "123²56", "12\u00b3456"])
def test_unicode_digits_in_the_second_step_are_a_counted_failure_not_an_error(world, odd):
    """security.md L1 #8: these codes raised TypeError (HTTP 500) and were not counted as failures."""
    teacher = world.users["teacher"]
    secret, _ = switched_on(teacher)
    for _ in range(5):
        with pytest.raises(AccountError) as exc:
            services.login_second_step(user_id=teacher.pk, code=odd, now=T0)
        assert exc.value.code == "totp_invalid"
    with pytest.raises(AccountError) as locked:  # five failures: even the right code waits now
        services.login_second_step(user_id=teacher.pk, code=code(secret), now=T0)
    assert locked.value.code == "login_throttled"


def test_turning_it_off_needs_a_current_code(world):
    head = world.users["head_teacher"]
    secret, _ = switched_on(head)
    later = datetime.fromtimestamp(T0.timestamp() + 60, UTC)
    with pytest.raises(AccountError):
        services.totp_disable(actor=head, code="12345", now=later)
    services.totp_disable(actor=head, code=code(secret, later), now=later)
    assert (
        not TotpDevice.objects.filter(user=head).exists()
        and not RecoveryCode.objects.filter(user=head).exists()
    )
    assert AuditEvent.objects.filter(action="totp_disabled", actor=head).exists()


def test_parents_are_not_asked_for_a_second_device(world):
    with pytest.raises(AccountError) as exc:
        services.totp_setup_start(actor=world.users["parent"])
    assert exc.value.code == "totp_state"


def test_signing_in_with_two_steps_through_the_pages(client, world):
    principal = world.users["principal"]
    secret, _ = services.totp_setup_start(actor=principal)
    set_up = datetime.now(UTC) - timedelta(minutes=5)  # set up earlier: the sign-in code is a newer one
    services.totp_setup_confirm(actor=principal, code=code(secret, set_up), now=set_up)
    page = client.post(
        "/accounts/login/", {"phone": principal.phone, "password": PASSWORD, "next": "/cases/"}
    )
    assert page.status_code == 302 and page["Location"] == "/accounts/login/step/"
    assert client.get("/").status_code == 302  # the password alone did not sign in
    wrong = client.post("/accounts/login/step/", {"code": "abc"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    now_code = totp.code_at(secret, totp.step_of(time.time()))
    done = client.post("/accounts/login/step/", {"code": now_code})
    assert done.status_code == 302 and done["Location"] == "/cases/"
    assert client.get("/").status_code == 200


def test_the_second_step_expires_and_cannot_be_opened_without_a_password(client, world):
    assert client.get("/accounts/login/step/")["Location"] == "/accounts/login/"
    principal = world.users["principal"]
    secret, _ = switched_on(principal)
    client.post("/accounts/login/", {"phone": principal.phone, "password": PASSWORD})
    session = client.session
    session["jianfu_login_pending"] = {**session["jianfu_login_pending"], "until": time.time() - 1}
    session.save()
    late = client.post("/accounts/login/step/", {"code": totp.code_at(secret, totp.step_of(time.time()))})
    assert late["Location"] == "/accounts/login/" and client.get("/").status_code == 302


@pytest.mark.parametrize("persona", [*PERSONAS, "anonymous"])
def test_the_security_page_per_persona(client, world, persona):
    if persona != "anonymous":
        client.force_login(world.users[persona])
    page = client.get("/accounts/security/")
    if persona == "anonymous":
        assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")
    elif persona in ("parent", "nobody"):  # no staff role: not offered
        assert page.status_code == 404
    else:
        assert page.status_code == 200 and "两步验证" in page.content.decode()
        started = client.post("/accounts/security/", {"action": "start"})
        body = started.content.decode()
        assert started.status_code == 200 and "<svg" in body and "开启两步验证" in body
        secret = TotpDevice.objects.get(user=world.users[persona]).secret
        done = client.post(
            "/accounts/security/",
            {"action": "confirm", "code": totp.code_at(secret, totp.step_of(time.time()))},
        )
        assert "恢复码（只显示这一次）" in done.content.decode()
        assert done.content.decode().count("<li><code>") == 10


def test_the_operator_can_turn_it_off_for_a_lost_phone_with_a_reason(world, capsys):
    from django.core.management import CommandError, call_command

    teacher = world.users["teacher"]
    switched_on(teacher)
    with pytest.raises(CommandError, match="请写明重置原因"):
        call_command("totp_reset", teacher.phone, "--reason", "")
    call_command("totp_reset", teacher.phone, "--reason", "手机丢失，已由校长当面核实身份")
    assert "已关闭" in capsys.readouterr().out
    assert not TotpDevice.objects.filter(user=teacher).exists()
    assert not RecoveryCode.objects.filter(user=teacher).exists()
    event = AuditEvent.objects.get(action="totp_reset")
    assert event.object_id == str(teacher.pk) and event.data == {
        "reason": "手机丢失，已由校长当面核实身份",
        "system": "cli",  # the operator acts as the CLI system actor, named in the log
    }
    call_command("totp_reset", teacher.phone, "--reason", "再次确认已关闭")
    assert "没有开启" in capsys.readouterr().out


@pytest.mark.parametrize("persona", ["principal", "teacher", "parent"])
def test_where_the_deployment_requires_it_a_principal_sets_it_up_before_anything_else(
    client, world, settings, persona
):
    settings.JIANFU_TWO_STEP_REQUIRED_ROLES = ["principal", "parent"]  # parents are never held to it
    user = world.users[persona]
    client.post("/accounts/login/", {"phone": user.phone, "password": PASSWORD})
    home = client.get("/")
    api = client.get("/api/v1/accounts/me")
    if persona != "principal":
        assert home.status_code == 200 and api.status_code == 200
        return
    assert home.status_code == 302 and home["Location"] == "/accounts/security/"
    assert api.status_code == 403 and api.json()["code"] == "two_step_sign_in_required"
    assert client.get("/accounts/security/").status_code == 200
    client.post("/accounts/security/", {"action": "start"})
    secret = TotpDevice.objects.get(user=user).secret
    client.post(
        "/accounts/security/", {"action": "confirm", "code": totp.code_at(secret, totp.step_of(time.time()))}
    )
    assert client.get("/").status_code == 200 and client.get("/api/v1/accounts/me").status_code == 200
    with pytest.raises(AccountError) as kept:
        services.totp_disable(actor=user, code="000000")
    assert kept.value.message_zh == "您的岗位要求使用两步验证，不能关闭"


def test_the_operators_reset_needs_a_named_system_actor(world):
    """Issue 14: it used to audit ``actor=None``; now only a SystemActor (the CLI) may reset this way,
    and no one is a stand-in for "nobody"."""
    from jianfu.accounts.services import totp_reset_by_operator

    teacher = world.users["teacher"]
    switched_on(teacher)
    for nobody in (None, teacher):
        with pytest.raises(TypeError):
            totp_reset_by_operator(actor=nobody, phone=teacher.phone, reason="手机丢失，已核实身份")
    assert TotpDevice.objects.filter(user=teacher).exists()
