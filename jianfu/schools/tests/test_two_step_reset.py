"""A district's bureau staff reset a school staff member's two-step sign-in (lost phone and recovery
codes): who may, for whom, what it undoes, what is recorded, and who is told."""

import pytest
from django.utils import timezone

from conftest import PERSONAS, api, app_code, fresh_second_step, two_step_passed
from jianfu.accounts import services
from jianfu.accounts.models import Membership, RecoveryCode, Role, Session, TotpDevice
from jianfu.accounts.rules import totp
from jianfu.accounts.services import AccountError
from jianfu.accounts.tasks import MemorySmsBackend
from jianfu.core.actors import CLI
from jianfu.core.errors import NotFound
from jianfu.core.models import AuditEvent
from jianfu.schools.two_step.services import totp_reset_by_bureau as bureau_reset

pytestmark = pytest.mark.django_db
REASON = "本人手机丢失，已电话回拨学校登记号码核实"


def two_step_on(user):
    TotpDevice.objects.create(user=user, secret=totp.secret_new(), confirmed_at=timezone.now())
    RecoveryCode.objects.create(user=user, code_hash="x")


@pytest.fixture
def district(world):
    """Bureau staff with two-step sign-in on; the home school's head teacher, teacher and principal
    with it on; the other district's principal and the district inspector with it on."""
    for persona in ("bureau", "head_teacher", "teacher", "principal", "outsider", "inspector"):
        two_step_on(world.users[persona])
    MemorySmsBackend.outbox.clear()
    return world


def test_the_bureau_lists_its_schools_staff_with_two_step_sign_in_phones_masked(district):
    rows = services_list(district.users["bureau"])
    # Home-district school staff only: not the other district's principal (outsider), not the
    # region-level inspector, not the bureau member themself; academic affairs has it off.
    assert sorted((r["name"], r["phone_masked"]) for r in rows) == sorted(
        [("张校长", "139****0003"), ("数学赵老师", "139****0006"), ("班主任陈老师", "139****0005")]
    )
    head = next(r for r in rows if r["name"] == "班主任陈老师")
    assert (head["roles"], head["schools"]) == (["班主任（五年级(1)班）"], ["天河区第一实验小学"])
    # The filter by school: all three work at the home school, none at the district's nine-year school.
    assert len(services_list(district.users["bureau"], school_id=district.school.pk)) == 3
    assert services_list(district.users["bureau"], school_id=district.five_four_school.pk) == []


def services_list(actor, school_id=None):
    from jianfu.schools.two_step.selectors import two_step_accounts_for_bureau

    return two_step_accounts_for_bureau(actor, school_id=school_id)


def test_a_reset_turns_it_off_ends_the_sessions_is_audited_and_texts_the_person(
    district, django_capture_on_commit_callbacks
):
    teacher = district.users["head_teacher"]
    Session.objects.create(session_key="a" * 32, session_data="", expire_date=timezone.now(), user=teacher)
    with django_capture_on_commit_callbacks(execute=True):
        bureau_reset(
            actor=district.users["bureau"],
            user_id=teacher.pk,
            reason=REASON,
            **fresh_second_step(district.users["bureau"]),
        )
    assert not TotpDevice.objects.filter(user=teacher).exists()
    assert not RecoveryCode.objects.filter(user=teacher).exists()
    assert not Session.objects.filter(user=teacher).exists()
    event = AuditEvent.objects.get(action="totp_reset")
    assert (event.actor_id, event.object_id, event.data) == (
        district.users["bureau"].pk,
        str(teacher.pk),
        {"reason": REASON},
    )
    # Told on their own phone, so a reset they did not ask for is noticed.
    [(phone, text)] = MemorySmsBackend.outbox
    assert phone == "13900000005" and "两步验证" in text and "关闭" in text
    # Others keep theirs.
    assert TotpDevice.objects.filter(user=district.users["teacher"]).exists()


def test_the_bureau_member_must_use_two_step_sign_in_themself(district):
    TotpDevice.objects.filter(user=district.users["bureau"]).delete()
    with pytest.raises(AccountError) as exc:
        bureau_reset(
            actor=district.users["bureau"],
            user_id=district.users["teacher"].pk,
            reason=REASON,
            session_passed=True,
            code="",
        )
    assert (exc.value.code, exc.value.status) == ("two_step_sign_in_required", 403)
    assert TotpDevice.objects.filter(user=district.users["teacher"]).exists()


def test_a_reason_is_required(district):
    with pytest.raises(AccountError) as exc:
        bureau_reset(
            actor=district.users["bureau"],
            user_id=district.users["teacher"].pk,
            reason=" 丢了 ",
            session_passed=True,
            code="",
        )
    assert exc.value.field == "reason"
    assert TotpDevice.objects.filter(user=district.users["teacher"]).exists()


@pytest.mark.parametrize("target", ["outsider", "inspector", "bureau", "parent", "academic", "nobody"])
def test_accounts_outside_the_bureau_reach_are_not_found(district, target):
    """Another district's principal, a region-level inspector, the bureau member themself, a parent,
    and accounts without two-step sign-in: "not found", nothing changed."""
    before = TotpDevice.objects.count()
    with pytest.raises(NotFound):
        bureau_reset(
            actor=district.users["bureau"],
            user_id=district.users[target].pk,
            reason=REASON,
            session_passed=True,
            code="",
        )
    assert TotpDevice.objects.count() == before


def test_staff_who_also_hold_a_role_in_another_district_are_left_to_the_operator(district):
    """A reset would also open their account in the other district, which this bureau does not run."""
    teacher = district.users["teacher"]
    Membership.objects.create(user=teacher, role=Role.SUBJECT_TEACHER, school=district.other_school)
    assert teacher.pk not in [r["user_id"] for r in services_list(district.users["bureau"])]
    with pytest.raises(NotFound):
        bureau_reset(
            actor=district.users["bureau"],
            user_id=teacher.pk,
            reason=REASON,
            **fresh_second_step(district.users["bureau"]),
        )


def test_the_operators_reset_also_texts_the_person(district, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.totp_reset_by_operator(actor=CLI, phone="13900000006", reason=REASON)
    assert [phone for phone, _ in MemorySmsBackend.outbox] == ["13900000006"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_page_and_api_per_role(client, district, persona):
    """Only bureau staff see the page and the endpoints; to everyone else they do not exist."""
    client.force_login(district.users[persona])
    two_step_passed(client)
    teacher = district.users["teacher"]
    page = client.get("/accounts/two-step-resets/")
    listed = client.get("/api/v1/accounts/two-step-accounts")
    code = app_code(district.users[persona]) if persona == "bureau" else "000000"
    reset = api(
        client,
        "post",
        f"/api/v1/accounts/two-step-accounts/{teacher.pk}/reset",
        {"reason": REASON, "code": code},
    )
    if persona == "bureau":
        assert page.status_code == 200 and "数学赵老师" in page.content.decode()
        assert "13900000006" not in page.content.decode()  # masked
        assert {r["name"] for r in listed.json()} == {"张校长", "数学赵老师", "班主任陈老师"}
        assert reset.status_code == 200 and reset.json() == {"user_id": teacher.pk, "two_step_enabled": False}
        assert not TotpDevice.objects.filter(user=teacher).exists()
    else:
        assert (page.status_code, listed.status_code, reset.status_code) == (404, 404, 404)
        assert TotpDevice.objects.filter(user=teacher).exists()


def test_page_posts_a_reset_and_says_so(client, district):
    client.force_login(district.users["bureau"])
    two_step_passed(client)
    head = district.users["head_teacher"]
    done = client.post(
        "/accounts/two-step-resets/",
        {"user_id": head.pk, "reason": REASON, "code": app_code(district.users["bureau"])},
        follow=True,
    )
    assert "已关闭班主任陈老师的两步验证" in done.content.decode()
    assert not TotpDevice.objects.filter(user=head).exists()
    short = client.post(
        "/accounts/two-step-resets/", {"user_id": district.users["teacher"].pk, "reason": "丢"}
    )
    assert short.status_code == 400 and "请写明重置原因" in short.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, district):
    page = client.get("/accounts/two-step-resets/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/accounts/two-step-accounts").status_code == 401


def test_the_menu_offers_it_to_bureau_staff_only(district):
    from jianfu.site.navigation import navigation_for_user

    def has(persona):
        return "两步验证重置" in [i["label"] for i in navigation_for_user(district.users[persona])]

    assert [p for p in PERSONAS if has(p)] == ["bureau"]


def test_custodians_and_site_administrators_are_left_to_the_operator(district):
    """Decision 0019: a bureau member must not be able to strip a custodian's second factor (it guards
    complainants' identities), nor a site administrator's — even one who also holds a school role."""
    from conftest import make_custodian, make_user

    custodian = make_custodian(make_user("13911120001", "保管人孙老师"), district.district)
    admin = make_user("13911120002", "系统管理员")
    admin.is_staff = True
    admin.save()
    Membership.objects.create(user=admin, role=Role.ACADEMIC_AFFAIRS, school=district.school)
    two_step_on(admin)
    listed = [r["user_id"] for r in services_list(district.users["bureau"])]
    for target in (custodian, admin):
        assert target.pk not in listed
        with pytest.raises(NotFound):
            bureau_reset(
                actor=district.users["bureau"], user_id=target.pk, reason=REASON, session_passed=True, code=""
            )
        assert TotpDevice.objects.filter(user=target).exists()


def test_page_a_refused_reset_shows_that_account_form_again_as_typed(client, district):
    """issue 14 part 2: the reason stays in the form of the account it was typed for, the error beside it."""
    client.force_login(district.users["bureau"])
    two_step_passed(client)
    teacher = district.users["teacher"]
    r = client.post("/accounts/two-step-resets/", {"user_id": teacher.pk, "reason": "丢了", "code": "123456"})
    page = r.content.decode()
    assert r.status_code == 400 and "请写明重置原因" in page
    assert 'value="丢了"' in page and 'value="123456"' in page
    assert page.count('value="丢了"') == 1  # only in that account's form
