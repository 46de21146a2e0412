"""The complaint desk (issue 15, decision 0046): assigning to a handler, internal notes that never
reach the family, the principal's sign-off of an answer (profile setting), and closing with a note."""

from datetime import date

import pytest
from django.utils import timezone

from conftest import PERSONAS, make_custodian
from jianfu.cases.models import Complaint, ComplaintNote, Level, NoteScope, Status
from jianfu.cases.services import (
    CaseError,
    complaint_answer,
    complaint_answer_signoff,
    complaint_assign,
    complaint_close,
    complaint_file,
    complaint_note_add,
    complaint_rate,
    complaints_escalate_overdue,
)
from jianfu.cases.tests.helpers import release
from jianfu.core.actors import PERIODIC
from jianfu.core.errors import NotFound, PermissionDenied
from jianfu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NOTE = "内部备注：已与数学组核对，班主任周三约谈"
DRAFT = "经核查，学校已要求该班每日书面作业不超过60分钟。"


def file(world, **kw):
    return release(
        complaint_file(
            actor=world.users["parent"],
            student_id=world.student.pk,
            category="homework",
            text=kw.pop("text", "五年级(1)班最近每天作业都要写到十点以后"),
            **kw,
        )
    )


def signoff_on(world, *, school=False):
    """The district (or the school) requires the principal's sign-off from 1 September 2026."""
    from jianfu.policies.selectors import profile_cache_generation_bump, profile_memo_clear
    from jianfu.policies.services import profile_override_set

    profile_override_set(
        actor=world.users["principal" if school else "bureau"],
        region=None if school else world.district,
        school=world.school if school else None,
        key="settings.complaint_answer_signoff",
        value=True,
        effective_from=date(2026, 9, 1),
        reason="答复须经校长审签",
    )
    # The bump runs on commit, which a test's transaction never reaches.
    profile_cache_generation_bump()
    profile_memo_clear()


# --- assigning -----------------------------------------------------------------------------------


def test_the_school_office_assigns_among_its_handlers_and_it_is_audited(world):
    c = file(world)
    complaint_assign(
        actor=world.users["academic"], complaint_id=c.pk, assignee_id=world.users["principal"].pk
    )
    c.refresh_from_db()
    assert c.assignee == world.users["principal"]
    # Reassigned, to oneself (no assignee named).
    complaint_assign(actor=world.users["principal"], complaint_id=c.pk)
    c.refresh_from_db()
    assert c.assignee == world.users["principal"]
    complaint_assign(
        actor=world.users["principal"], complaint_id=c.pk, assignee_id=world.users["academic"].pk
    )
    events = AuditEvent.objects.filter(action="complaint_assigned").order_by("pk")
    assert [e.data["assignee"] for e in events] == [world.users["principal"].pk, world.users["academic"].pk]
    assert events.last().data["previous"] == world.users["principal"].pk


@pytest.mark.parametrize("who", ["head_teacher", "teacher", "bureau", "inspector", "outsider", "parent"])
def test_only_a_handler_of_the_complaints_level_may_be_assigned(world, who):
    c = file(world)
    with pytest.raises(CaseError) as exc:
        complaint_assign(actor=world.users["academic"], complaint_id=c.pk, assignee_id=world.users[who].pk)
    assert exc.value.field == "assignee"
    assert Complaint.objects.get(pk=c.pk).assignee is None


def test_the_bureau_assigns_district_complaints_only(world):
    c = file(world, today=date(2026, 9, 29))
    with pytest.raises(CaseError) as exc:
        complaint_assign(actor=world.users["bureau"], complaint_id=c.pk)
    assert exc.value.code == CaseError.STATE
    complaint_assign(actor=world.users["academic"], complaint_id=c.pk)
    # Not acknowledged in time: the district handles it now, and the school's assignee is let go.
    complaints_escalate_overdue(actor=PERIODIC, today=date(2026, 10, 10))
    c.refresh_from_db()
    assert (c.level, c.assignee) == (Level.DISTRICT, None)
    with pytest.raises(NotFound):
        complaint_assign(actor=world.users["academic"], complaint_id=c.pk)
    with pytest.raises(CaseError):  # school staff may not be given a district complaint
        complaint_assign(
            actor=world.users["bureau"], complaint_id=c.pk, assignee_id=world.users["principal"].pk
        )
    complaint_assign(actor=world.users["bureau"], complaint_id=c.pk)
    assert Complaint.objects.get(pk=c.pk).assignee == world.users["bureau"]


def test_assigned_to_me_on_the_list_page_and_the_api(client, world):
    mine, other = file(world), file(world, text="三年级作业太多，孩子每天写到很晚")
    complaint_assign(
        actor=world.users["principal"], complaint_id=mine.pk, assignee_id=world.users["academic"].pk
    )
    client.force_login(world.users["academic"])
    page = client.get("/cases/").content.decode()
    assert "指派给我" in page
    filtered = client.get("/cases/?mine=1").content.decode()
    assert mine.ref in filtered and other.ref not in filtered
    items = client.get("/api/v1/cases/complaints?mine=true").json()
    assert [(i["id"], i["assigned_to_me"], i["assignee"]) for i in items] == [
        (mine.ref, True, world.users["academic"].name)
    ]
    client.force_login(world.users["principal"])
    assert mine.ref not in client.get("/cases/?mine=1").content.decode()


def test_assigning_on_the_detail_page(client, world):
    c = file(world)
    client.force_login(world.users["principal"])
    page = client.get(f"/cases/{c.ref}/").content.decode()
    assert 'id="assign-form"' in page and world.users["academic"].name in page
    r = client.post(f"/cases/{c.ref}/", {"action": "assign", "assignee": world.users["academic"].pk})
    assert r.status_code == 302
    assert Complaint.objects.get(pk=c.pk).assignee == world.users["academic"]
    # Someone who may not handle it: the form again with the reason, nothing changed.
    r = client.post(f"/cases/{c.ref}/", {"action": "assign", "assignee": world.users["teacher"].pk})
    assert r.status_code == 422 and "只能分派给办理这条举报的人员" in r.content.decode()
    assert Complaint.objects.get(pk=c.pk).assignee == world.users["academic"]


def test_assigning_over_the_api(client, world):
    c = file(world)
    client.force_login(world.users["academic"])
    r = client.post(
        f"/api/v1/cases/complaints/{c.ref}/assign",
        {"assignee_id": world.users["principal"].pk},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["assignee"] == world.users["principal"].name
    client.force_login(world.users["inspector"])
    r = client.post(f"/api/v1/cases/complaints/{c.ref}/assign", {}, content_type="application/json")
    assert r.status_code == 403


# --- internal notes ------------------------------------------------------------------------------


def test_notes_are_appended_with_author_and_time_and_audited_without_their_text(world):
    c = file(world)
    note = complaint_note_add(actor=world.users["principal"], complaint_id=c.pk, text=NOTE)
    assert (note.author, note.scope, note.text) == (world.users["principal"], NoteScope.SCHOOL, NOTE)
    assert note.at is not None
    event = AuditEvent.objects.get(action="complaint_note_added")
    assert event.data == {"note": note.pk, "scope": "school"}
    assert NOTE not in str(event.data)
    note.text = "改写"
    with pytest.raises(ValueError):
        note.save()
    with pytest.raises(ValueError):
        note.delete()
    assert ComplaintNote.objects.get(pk=note.pk).text == NOTE
    with pytest.raises(CaseError):
        complaint_note_add(actor=world.users["principal"], complaint_id=c.pk, text="   ")


def test_only_handlers_write_notes(world):
    c = file(world)
    make_custodian(world.users["nobody"], world.district)
    with pytest.raises(PermissionDenied):
        complaint_note_add(actor=world.users["inspector"], complaint_id=c.pk, text=NOTE)
    with pytest.raises(PermissionDenied):
        complaint_note_add(actor=world.users["nobody"], complaint_id=c.pk, text=NOTE)
    for who in ("head_teacher", "teacher", "parent", "outsider"):
        with pytest.raises(NotFound):
            complaint_note_add(actor=world.users[who], complaint_id=c.pk, text=NOTE)
    assert not ComplaintNote.objects.exists()


def test_a_district_note_is_never_shown_to_the_school(client, world):
    c = file(world)
    complaint_note_add(actor=world.users["principal"], complaint_id=c.pk, text=NOTE)
    complaint_note_add(
        actor=world.users["bureau"], complaint_id=c.pk, text="区局备注：保管人已核实反映人情况"
    )
    client.force_login(world.users["academic"])
    page = client.get(f"/cases/{c.ref}/").content.decode()
    assert NOTE in page and "区局备注" not in page
    notes = client.get(f"/api/v1/cases/complaints/{c.ref}/notes").json()
    assert [n["text"] for n in notes] == [NOTE]
    client.force_login(world.users["bureau"])
    notes = client.get(f"/api/v1/cases/complaints/{c.ref}/notes").json()
    assert [n["text"] for n in notes] == [NOTE, "区局备注：保管人已核实反映人情况"]


def test_notes_never_reach_the_family(client, world):
    """Not on the receipt page, not in the receipt API, not in any page or API the parent can open."""
    c = file(world)
    complaint_note_add(actor=world.users["principal"], complaint_id=c.pk, text=NOTE)
    complaint_answer(actor=world.users["principal"], complaint_id=c.pk, answer=DRAFT)
    complaint_note_add(actor=world.users["academic"], complaint_id=c.pk, text=NOTE + "（二）")
    # A handler sees them (so the marker below is a real one).
    client.force_login(world.users["principal"])
    assert NOTE in client.get(f"/cases/{c.ref}/").content.decode()
    client.logout()
    # Anyone with the receipt code, signed in or not.
    for user in (None, world.users["parent"]):
        if user is not None:
            client.force_login(user)
        page = client.post("/cases/receipt/", {"code": c.receipt_code}).content.decode()
        assert DRAFT in page and NOTE not in page and "内部备注" not in page
        receipt = client.get(f"/api/v1/cases/receipts/{c.receipt_code}")
        assert receipt.status_code == 200 and NOTE not in receipt.content.decode()
    # The parent's own reach: the detail page, the list and the notes endpoint.
    assert client.get(f"/cases/{c.ref}/").status_code == 404
    assert NOTE not in client.get("/api/v1/cases/complaints").content.decode()
    r = client.get(f"/api/v1/cases/complaints/{c.ref}/notes")
    assert r.status_code == 404 and NOTE not in r.content.decode()
    r = client.post(
        f"/api/v1/cases/complaints/{c.ref}/notes", {"text": "家长试图写备注"}, content_type="application/json"
    )
    assert r.status_code == 404
    assert ComplaintNote.objects.count() == 2


def test_inspectors_and_the_custodian_read_no_notes(client, world):
    c = file(world)
    complaint_note_add(actor=world.users["principal"], complaint_id=c.pk, text=NOTE)
    make_custodian(world.users["nobody"], world.district)
    for who in ("inspector", "nobody"):
        client.force_login(world.users[who])
        assert client.get(f"/cases/{c.ref}/").status_code == 200
        assert NOTE not in client.get(f"/cases/{c.ref}/").content.decode()
        assert client.get(f"/api/v1/cases/complaints/{c.ref}/notes").status_code == 403


# --- the principal's sign-off ---------------------------------------------------------------------


def test_a_draft_answer_is_listed_to_its_handlers_only(client, world):
    # The page shows the draft to handlers; the API list did to every reader (inspector, custodian).
    signoff_on(world)
    c = file(world)
    complaint_answer(actor=world.users["academic"], complaint_id=c.pk, answer=DRAFT, public=True)
    release(c)
    seen = {}
    for who in ("academic", "principal", "inspector"):
        client.force_login(world.users[who])
        rows = {r["id"]: r for r in client.get("/api/v1/cases/complaints").json()}
        seen[who] = rows[c.ref]["answer_draft"]
    assert seen == {"academic": DRAFT, "principal": DRAFT, "inspector": ""}


def test_with_signoff_a_school_answer_waits_for_the_principal(client, world):
    signoff_on(world)
    c = file(world)
    complaint_answer(actor=world.users["academic"], complaint_id=c.pk, answer=DRAFT, public=True)
    c.refresh_from_db()
    assert (c.status, c.answer, c.answer_draft, c.answered_on) == (Status.ACKNOWLEDGED, "", DRAFT, None)
    assert c.awaiting_signoff and c.answer_draft_by == world.users["academic"]
    # The family sees nothing yet.
    page = client.post("/cases/receipt/", {"code": c.receipt_code}).content.decode()
    assert DRAFT not in page and "尚未答复" in page
    assert client.get(f"/api/v1/cases/receipts/{c.receipt_code}").json()["answer"] == ""
    with pytest.raises(CaseError):  # nothing to rate yet
        complaint_rate(code=c.receipt_code, rating=5)
    # Only the principal signs off.
    with pytest.raises(PermissionDenied):
        complaint_answer_signoff(actor=world.users["academic"], complaint_id=c.pk, approve=True)
    with pytest.raises(PermissionDenied):
        complaint_answer_signoff(actor=world.users["bureau"], complaint_id=c.pk, approve=True)
    # Returned with a reason: still nothing for the family; the handler revises.
    with pytest.raises(CaseError):
        complaint_answer_signoff(actor=world.users["principal"], complaint_id=c.pk, approve=False, reason="")
    complaint_answer_signoff(
        actor=world.users["principal"], complaint_id=c.pk, approve=False, reason="请写明整改时间"
    )
    c.refresh_from_db()
    assert (c.answer, c.answer_returned_reason, c.awaiting_signoff) == ("", "请写明整改时间", False)
    with pytest.raises(CaseError):  # a returned draft is not signed off
        complaint_answer_signoff(actor=world.users["principal"], complaint_id=c.pk, approve=True)
    complaint_answer(
        actor=world.users["academic"], complaint_id=c.pk, answer=DRAFT + "自下周一起执行。", public=True
    )
    complaint_answer_signoff(actor=world.users["principal"], complaint_id=c.pk, approve=True)
    c.refresh_from_db()
    assert (c.status, c.answer, c.answer_public, c.answer_draft) == (
        Status.ANSWERED,
        DRAFT + "自下周一起执行。",
        True,
        "",
    )
    assert c.answered_on == timezone.localdate() and c.answer_signed_off_by == world.users["principal"]
    assert "自下周一起执行" in client.post("/cases/receipt/", {"code": c.receipt_code}).content.decode()
    actions = list(
        AuditEvent.objects.filter(action__startswith="complaint_answer")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "complaint_answer_drafted",
        "complaint_answer_returned",
        "complaint_answer_drafted",
        "complaint_answer_signed_off",
    ]


def test_the_principals_own_answer_and_the_districts_go_out_at_once(world):
    signoff_on(world)
    c = file(world)
    complaint_answer(actor=world.users["principal"], complaint_id=c.pk, answer=DRAFT)
    c.refresh_from_db()
    assert (c.status, c.answer, c.answer_signed_off_by) == (Status.ANSWERED, DRAFT, world.users["principal"])
    d = file(world, text="三年级作业太多，孩子每天写到很晚")
    complaint_answer(actor=world.users["bureau"], complaint_id=d.pk, answer=DRAFT)
    assert Complaint.objects.get(pk=d.pk).status == Status.ANSWERED


def test_without_the_setting_an_answer_goes_out_at_once(world):
    c = file(world)
    complaint_answer(actor=world.users["academic"], complaint_id=c.pk, answer=DRAFT)
    c.refresh_from_db()
    assert (c.status, c.answer, c.answer_draft) == (Status.ANSWERED, DRAFT, "")


def test_a_school_may_turn_signoff_on_but_not_off_when_the_district_requires_it(world):
    from jianfu.policies.services import PolicyError, profile_override_set

    signoff_on(world, school=True)
    c = file(world)
    complaint_answer(actor=world.users["academic"], complaint_id=c.pk, answer=DRAFT)
    assert Complaint.objects.get(pk=c.pk).awaiting_signoff
    signoff_on(world)
    with pytest.raises(PolicyError):
        profile_override_set(
            actor=world.users["principal"],
            school=world.school,
            key="settings.complaint_answer_signoff",
            value=False,
            effective_from=date(2026, 10, 1),
            reason="本校不需要",
        )


def test_the_answer_deadline_still_counts_while_a_draft_waits(world):
    signoff_on(world)
    c = file(world, today=date(2026, 9, 29))  # answer by 10-27
    complaint_answer(actor=world.users["academic"], complaint_id=c.pk, answer=DRAFT)
    assert complaints_escalate_overdue(actor=PERIODIC, today=date(2026, 10, 27)) == 0
    assert complaints_escalate_overdue(actor=PERIODIC, today=date(2026, 10, 28)) == 1
    c.refresh_from_db()
    assert (c.level, c.answer) == (Level.DISTRICT, "")
    # The district answers itself; the school's principal no longer reaches it.
    with pytest.raises(NotFound):
        complaint_answer_signoff(actor=world.users["principal"], complaint_id=c.pk, approve=True)


def test_signing_off_on_the_page_and_over_the_api(client, world):
    signoff_on(world)
    c = file(world)
    client.force_login(world.users["academic"])
    page = client.get(f"/cases/{c.ref}/").content.decode()
    assert "提交校长审签" in page
    client.post(f"/cases/{c.ref}/", {"action": "answer", "answer": DRAFT})
    page = client.get(f"/cases/{c.ref}/").content.decode()
    assert 'id="draft-answer"' in page and 'id="signoff-form"' not in page
    client.force_login(world.users["principal"])
    r = client.post(f"/cases/{c.ref}/", {"action": "signoff", "decision": "return", "reason": "太短"})
    assert r.status_code == 422 and Complaint.objects.get(pk=c.pk).awaiting_signoff
    r = client.post(
        f"/cases/{c.ref}/", {"action": "signoff", "decision": "return", "reason": "请写明整改时间"}
    )
    assert r.status_code == 302
    client.force_login(world.users["academic"])
    page = client.get(f"/cases/{c.ref}/").content.decode()
    assert "请写明整改时间" in page and DRAFT in page  # the draft comes back into the answer form
    r = client.post(
        f"/api/v1/cases/complaints/{c.ref}/answer",
        {"answer": DRAFT + "下周执行。"},
        content_type="application/json",
    )
    assert r.json()["awaiting_signoff"] is True and r.json()["answer"] == ""
    client.force_login(world.users["principal"])
    r = client.post(f"/api/v1/cases/complaints/{c.ref}/answer/approve")
    assert r.status_code == 200 and r.json()["answer"] == DRAFT + "下周执行。"
    r = client.post(f"/api/v1/cases/complaints/{c.ref}/answer/approve")
    assert r.status_code == 409 and r.json()["code"] == CaseError.STATE


# --- closing -------------------------------------------------------------------------------------


def test_closing_needs_an_answer_that_went_out(world):
    c = file(world)
    with pytest.raises(CaseError) as exc:
        complaint_close(actor=world.users["academic"], complaint_id=c.pk, note="已处理完毕，予以办结")
    assert exc.value.code == CaseError.STATE
    complaint_answer(actor=world.users["academic"], complaint_id=c.pk, answer=DRAFT)
    with pytest.raises(CaseError):
        complaint_close(actor=world.users["academic"], complaint_id=c.pk, note="")
    with pytest.raises(PermissionDenied):
        complaint_close(actor=world.users["inspector"], complaint_id=c.pk, note="已处理完毕，予以办结")
    complaint_close(actor=world.users["academic"], complaint_id=c.pk, note="已处理完毕，予以办结")
    c.refresh_from_db()
    assert (c.status, c.closing_note, c.closed_on, c.closed_by) == (
        Status.CLOSED,
        "已处理完毕，予以办结",
        timezone.localdate(),
        world.users["academic"],
    )
    assert AuditEvent.objects.filter(action="complaint_closed").count() == 1
    with pytest.raises(CaseError) as exc:
        complaint_close(actor=world.users["academic"], complaint_id=c.pk, note="再次办结试试看")
    assert exc.value.code == CaseError.CLOSED


def test_a_draft_waiting_for_signoff_blocks_closing(world):
    c = file(world)
    complaint_answer(actor=world.users["academic"], complaint_id=c.pk, answer=DRAFT)
    signoff_on(world)
    complaint_answer(actor=world.users["academic"], complaint_id=c.pk, answer=DRAFT + "补充说明。")
    with pytest.raises(CaseError) as exc:
        complaint_close(actor=world.users["academic"], complaint_id=c.pk, note="已处理完毕，予以办结")
    assert exc.value.code == CaseError.STATE


def test_the_family_sees_it_closed_and_may_still_rate_and_reopen_once(client, world):
    c = file(world)
    complaint_answer(actor=world.users["academic"], complaint_id=c.pk, answer=DRAFT)
    complaint_close(actor=world.users["academic"], complaint_id=c.pk, note="已约谈班主任，作业量已调整")
    page = client.post("/cases/receipt/", {"code": c.receipt_code}).content.decode()
    assert "已办结" in page and "已约谈班主任，作业量已调整" in page and 'name="rating"' in page
    receipt = client.get(f"/api/v1/cases/receipts/{c.receipt_code}").json()
    assert (receipt["status"], receipt["closing_note"]) == ("closed", "已约谈班主任，作业量已调整")
    complaint_rate(code=c.receipt_code, rating=2, reopen=True)
    c.refresh_from_db()
    assert (c.status, c.reopened, c.closing_note, c.closed_on) == (Status.ACKNOWLEDGED, True, "", None)


def test_a_rated_closed_complaint_is_not_rated_again(world):
    c = file(world)
    complaint_answer(actor=world.users["academic"], complaint_id=c.pk, answer=DRAFT)
    complaint_rate(code=c.receipt_code, rating=5)  # the family's own closing
    with pytest.raises(CaseError):
        complaint_rate(code=c.receipt_code, rating=1)


def test_assign_answer_signed_off_and_closed_on_the_pages(client, world):
    """Product review J4: assign → answer (signed off) → closed, and the answer form is gone."""
    signoff_on(world)
    c = file(world)
    client.force_login(world.users["principal"])
    client.post(f"/cases/{c.ref}/", {"action": "assign", "assignee": world.users["academic"].pk})
    client.force_login(world.users["academic"])
    client.post(f"/cases/{c.ref}/", {"action": "note", "text": NOTE})
    client.post(f"/cases/{c.ref}/", {"action": "answer", "answer": DRAFT})
    client.force_login(world.users["principal"])
    client.post(f"/cases/{c.ref}/", {"action": "signoff", "decision": "approve"})
    client.force_login(world.users["academic"])
    page = client.get(f"/cases/{c.ref}/").content.decode()
    assert 'id="close-form"' in page and "经校长" in page
    r = client.post(f"/cases/{c.ref}/", {"action": "close", "note": "短"})
    assert r.status_code == 422 and 'value="close"' in r.content.decode()
    client.post(f"/cases/{c.ref}/", {"action": "close", "note": "已答复并落实整改，予以办结"})
    c.refresh_from_db()
    assert (c.assignee, c.status, c.answer) == (world.users["academic"], Status.CLOSED, DRAFT)
    page = client.get(f"/cases/{c.ref}/").content.decode()
    assert 'id="send-answer"' not in page and 'id="close-form"' not in page and 'id="assign-form"' not in page
    assert 'id="closing"' in page and NOTE in page


def test_closing_over_the_api(client, world):
    c = file(world)
    complaint_answer(actor=world.users["academic"], complaint_id=c.pk, answer=DRAFT)
    client.force_login(world.users["bureau"])
    r = client.post(
        f"/api/v1/cases/complaints/{c.ref}/close", {"note": "区局核实后办结"}, content_type="application/json"
    )
    assert (
        r.status_code == 200
        and r.json()["status"] == "closed"
        and r.json()["closing_note"] == "区局核实后办结"
    )


# --- per persona ---------------------------------------------------------------------------------

DESK_HANDLERS = {"principal", "academic", "bureau"}


def test_desk_predicates_per_persona(world):
    from jianfu.cases import permissions

    c = file(world)
    u = world.users
    for persona in PERSONAS:
        user = u[persona]
        assert permissions.can_read_notes(user, c) == (persona in DESK_HANDLERS), persona
        assert permissions.can_close_complaint(user, c) == (persona in DESK_HANDLERS), persona
        assert permissions.can_assign_complaint(user, c) == (persona in {"principal", "academic"}), persona
        assert permissions.may_be_assigned(user, c) == (persona in {"principal", "academic"}), persona
        assert permissions.can_sign_off_answer(user, c) == (persona == "principal"), persona
    c.level = Level.DISTRICT
    assert permissions.can_assign_complaint(u["bureau"], c) and permissions.may_be_assigned(u["bureau"], c)
    assert not permissions.can_assign_complaint(u["principal"], c)
    assert not permissions.can_sign_off_answer(u["principal"], c)
    assert not permissions.may_be_assigned(PERIODIC, c) and not permissions.can_read_notes(PERIODIC, c)


def test_the_desk_refuses_none(world):
    c = file(world)
    calls = [
        lambda: complaint_assign(actor=None, complaint_id=c.pk),
        lambda: complaint_note_add(actor=None, complaint_id=c.pk, text=NOTE),
        lambda: complaint_answer_signoff(actor=None, complaint_id=c.pk, approve=True),
        lambda: complaint_close(actor=None, complaint_id=c.pk, note="已处理完毕，予以办结"),
    ]
    for call in calls:
        with pytest.raises((NotFound, PermissionDenied)):
            call()


@pytest.mark.parametrize("persona", PERSONAS)
def test_desk_pages_and_api_per_persona(client, world, persona):
    """Each persona on the note, assign and close actions, page and API: handlers act, the rest are
    refused (404 outside their reach, 403 or a notice within it) and nothing is written."""
    c = file(world)
    complaint_answer(actor=world.users["principal"], complaint_id=c.pk, answer=DRAFT)
    client.force_login(world.users[persona])
    allowed = persona in DESK_HANDLERS
    page = client.post(f"/cases/{c.ref}/", {"action": "note", "text": NOTE + persona})
    api = client.post(
        f"/api/v1/cases/complaints/{c.ref}/notes",
        {"text": NOTE + persona + "api"},
        content_type="application/json",
    )
    notes = client.get(f"/api/v1/cases/complaints/{c.ref}/notes")
    assert ComplaintNote.objects.filter(text__startswith=NOTE + persona).count() == (2 if allowed else 0)
    if allowed:
        assert page.status_code == 302 and api.status_code == 200 and notes.status_code == 200
    else:
        assert page.status_code in (302, 404) and api.status_code in (403, 404)
        assert notes.status_code in (403, 404) and NOTE not in notes.content.decode()
    client.post(f"/cases/{c.ref}/", {"action": "assign"})
    expected = world.users[persona] if persona in {"principal", "academic"} else None
    assert Complaint.objects.get(pk=c.pk).assignee == expected
    r = client.post(
        f"/api/v1/cases/complaints/{c.ref}/close",
        {"note": "已处理完毕，予以办结"},
        content_type="application/json",
    )
    assert (r.status_code == 200) == allowed, r.status_code
    assert (Complaint.objects.get(pk=c.pk).status == Status.CLOSED) == allowed


def test_the_answer_button_says_where_the_answer_goes(client, world):
    signoff_on(world)
    c = file(world)
    for who, label in (("academic", "提交校长审签"), ("principal", "发送答复"), ("bureau", "发送答复")):
        client.force_login(world.users[who])
        page = client.get(f"/cases/{c.ref}/").content.decode()
        assert label in page and (label == "发送答复") == ("提交校长审签" not in page), who


def test_an_assignee_id_past_64_bits_is_invalid_not_an_error(client, world):
    c = file(world)
    client.force_login(world.users["academic"])
    r = client.post(
        f"/api/v1/cases/complaints/{c.ref}/assign", {"assignee_id": 2**70}, content_type="application/json"
    )
    assert r.status_code == 422
    r = client.post(f"/cases/{c.ref}/", {"action": "assign", "assignee": str(2**70)})
    assert r.status_code == 422


def test_the_desk_in_english(client, world):
    import re

    signoff_on(world)
    c = file(world)
    complaint_assign(
        actor=world.users["principal"], complaint_id=c.pk, assignee_id=world.users["academic"].pk
    )
    complaint_note_add(actor=world.users["academic"], complaint_id=c.pk, text=NOTE)
    complaint_answer(actor=world.users["academic"], complaint_id=c.pk, answer=DRAFT)
    user = world.users["principal"]
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    page = client.get(f"/cases/{c.ref}/").content.decode()
    for text in ("Handler:", "Reassign", "Internal notes", "Approve and send", "Return for changes"):
        assert text in page, text
    # The desk's own words are all translated: what is left in Chinese is data (names, texts).
    desk = page[page.index('id="draft-answer"') : page.index('id="signoff-form"')]
    assert not re.search(
        r"[\u4e00-\u9fff]", desk.replace(DRAFT, "").replace(world.users["academic"].name, "")
    )
