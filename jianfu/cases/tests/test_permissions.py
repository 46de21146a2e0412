"""Issue 14: the complaint rules live in jianfu.cases.permissions, and ``None`` is nobody. Each of the
four former ``actor=None`` paths (filing's and recording's audit, the rating's audit, the daily
escalation) now names its actor; a call with ``actor=None`` is refused wherever a check stands."""

from datetime import date

import pytest

from conftest import make_custodian
from jianfu.cases import permissions
from jianfu.cases.models import Complaint, Level, Status
from jianfu.cases.services import (
    closure_review,
    complaint_acknowledge,
    complaint_answer,
    complaint_close_abusive,
    complaint_file,
    complaint_record,
    complaint_unseal,
    complaints_escalate_overdue,
    triage_confirm,
)
from jianfu.cases.tests.helpers import release
from jianfu.core.actors import CLI, DEMO_LOADER, PERIODIC
from jianfu.core.errors import DomainError, NotFound, PermissionDenied
from jianfu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def filed(world):
    return release(
        complaint_file(
            actor=world.users["parent"],
            student_id=world.student.pk,
            category="homework",
            text="五年级(1)班最近每天作业都要写到十点以后",
            today=date(2026, 9, 29),
        )
    )


def test_escalation_refuses_none_and_people_and_names_the_system_actor(world):
    c = filed(world)  # released 30 September, to be acknowledged by 9 October
    with pytest.raises(PermissionDenied):
        complaints_escalate_overdue(actor=None, today=date(2026, 10, 10))
    with pytest.raises(PermissionDenied):
        complaints_escalate_overdue(actor=world.users["bureau"], today=date(2026, 10, 10))
    assert Complaint.objects.get(pk=c.pk).level == Level.SCHOOL
    assert complaints_escalate_overdue(actor=PERIODIC, today=date(2026, 10, 10)) == 1
    event = AuditEvent.objects.get(action="complaint_escalated", object_id=str(c.pk))
    assert event.actor is None and event.data["system"] == "periodic-job"


def test_the_cli_may_escalate_by_hand(world):
    filed(world)
    assert complaints_escalate_overdue(actor=CLI, today=date(2026, 10, 10)) == 1


def test_filing_as_none_or_as_a_system_actor_is_refused(world):
    for actor in (None, DEMO_LOADER):
        with pytest.raises(NotFound):
            complaint_file(
                actor=actor, student_id=world.student.pk, category="homework", text="作业太多写到很晚"
            )
    assert not Complaint.objects.exists()


def test_the_filing_audit_names_the_sealed_complainant_not_the_parent(world):
    c = filed(world)
    event = AuditEvent.objects.get(action="complaint_filed", object_id=str(c.pk))
    assert event.actor is None and event.data["system"] == "sealed-complainant"


def test_handling_as_none_is_refused(world):
    c = filed(world)
    calls = [
        lambda: complaint_acknowledge(actor=None, complaint_id=c.pk),
        lambda: complaint_answer(actor=None, complaint_id=c.pk, answer="已核实并整改作业量"),
        lambda: triage_confirm(
            actor=None, complaint_id=c.pk, category="homework", not_burden=False, empty=False
        ),
        lambda: complaint_close_abusive(actor=None, complaint_id=c.pk, reason="内容与学校无关的辱骂"),
        lambda: closure_review(actor=None, complaint_id=c.pk, uphold=True),
        lambda: complaint_unseal(
            actor=None, complaint_id=c.pk, reason="需要核实反映人身份", session_passed=True, code="000000"
        ),
        lambda: complaint_record(
            actor=None,
            school_id=world.school.pk,
            class_id=None,
            category="homework",
            text="电话反映作业太多",
            channel="phone",
        ),
    ]
    for call in calls:
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.status in (403, 404)
    assert Complaint.objects.get(pk=c.pk).status == Status.NEW


def test_a_system_actor_never_unseals(world):
    c = filed(world)
    assert not permissions.is_custodian_for(PERIODIC, c)
    with pytest.raises(NotFound):
        complaint_unseal(
            actor=PERIODIC, complaint_id=c.pk, reason="需要核实反映人身份", session_passed=True, code="0"
        )


def test_predicates_per_persona(world):
    c = filed(world)
    u = world.users
    assert permissions.handler_scope(u["principal"], c) == "school"
    assert permissions.handler_scope(u["academic"], c) == "school"
    assert permissions.handler_scope(u["bureau"], c) == "district"
    assert permissions.can_see_complaint(u["principal"], c) and permissions.can_see_complaint(
        u["inspector"], c
    )
    for persona in ("head_teacher", "teacher", "parent", "outsider"):
        assert not permissions.can_see_complaint(u[persona], c), persona
    for persona in ("head_teacher", "teacher", "parent", "outsider", "inspector"):
        assert permissions.handler_scope(u[persona], c) == "", persona
        assert not permissions.can_review_closure(u[persona], c), persona
    # At district level the school no longer handles it; the bureau still does.
    c.level = Level.DISTRICT
    assert not permissions.can_handle_complaint(u["principal"], c)
    assert permissions.can_handle_complaint(u["bureau"], c)
    assert permissions.can_oversee_complaints(u["bureau"]) and permissions.can_oversee_complaints(
        u["inspector"]
    )
    assert not permissions.can_oversee_complaints(u["principal"])
    assert permissions.can_record_complaint(u["bureau"], world.school)
    assert not permissions.can_record_complaint(u["inspector"], world.school)
    assert permissions.can_file_complaints(u["parent"]) and not permissions.can_file_complaints(u["teacher"])
    assert permissions.can_list_complaints(u["inspector"]) and not permissions.can_list_complaints(
        u["teacher"]
    )


def test_unsealing_needs_the_custodian_with_two_step(world):
    c = filed(world)
    custodian = world.users["bureau"]
    assert not permissions.is_custodian_for(custodian, c)
    make_custodian(custodian, world.school.region)
    from jianfu.schools.access import forget_memberships

    forget_memberships(custodian)
    assert permissions.is_custodian_for(custodian, c) and permissions.can_unseal_complaint(custodian, c)
    assert not permissions.is_custodian_for(world.users["inspector"], c)


def test_the_two_step_code_is_the_accounts_one():
    from jianfu.accounts.services import AccountError
    from jianfu.cases.errors import CaseError

    assert CaseError.TWO_STEP_REQUIRED == AccountError.TWO_STEP_REQUIRED == "two_step_sign_in_required"
