"""Who may do what with a complaint: the one statement of each rule, used by the services, the pages,
the API and the menu (issue 14). Built on jianfu.schools.access; nothing here reads a role itself.

The complainant's identity is not behind any predicate here but ``can_unseal_complaint``: it is read
only by the bureau's custodian (security.md H1). A system actor (jianfu.core.actors) may run the
daily jobs but never unseal: reading who filed is a person's act, with a recorded reason.
"""

from __future__ import annotations

from typing import Any

from jianfu.accounts.models import Role
from jianfu.accounts.selectors import totp_enabled
from jianfu.cases.models import Complaint, Level
from jianfu.core.actors import is_system
from jianfu.schools.access import BUREAU_ROLES, SCHOOL_LEADERS, holds_role
from jianfu.schools.models import School

# Roles that work with complaints at all (the list page, the menu entry).
COMPLAINT_ROLES = (*SCHOOL_LEADERS, *BUREAU_ROLES, Role.CUSTODIAN)


def can_handle_at_school(actor: Any, complaint: Complaint) -> bool:
    """The school's principal or academic office handle a school-level complaint of their school."""
    return complaint.level == Level.SCHOOL and holds_role(actor, SCHOOL_LEADERS, over=complaint.school)


def can_handle_at_district(actor: Any, complaint: Complaint) -> bool:
    """Bureau staff of the school's region (or a region above it) handle any of its complaints."""
    return holds_role(actor, Role.BUREAU_STAFF, over=complaint.school)


def can_handle_complaint(actor: Any, complaint: Complaint) -> bool:
    """Acknowledge, answer, confirm the triage or close as abusive."""
    return can_handle_at_school(actor, complaint) or can_handle_at_district(actor, complaint)


def handler_scope(actor: Any, complaint: Complaint) -> str:
    """'school' or 'district' if the actor handles this complaint now, else ''."""
    if can_handle_at_school(actor, complaint):
        return "school"
    if can_handle_at_district(actor, complaint):
        return "district"
    return ""


def can_assign_complaint(actor: Any, complaint: Complaint) -> bool:
    """The level that handles the complaint assigns it: the school's principal or academic office a
    school-level one, bureau staff above the school a district-level one (issue 15)."""
    if complaint.level == Level.SCHOOL:
        return can_handle_at_school(actor, complaint)
    return can_handle_at_district(actor, complaint)


def may_be_assigned(user: Any, complaint: Complaint) -> bool:
    """Whether `user` may be given the complaint: a person (not a system actor) who handles it at
    the level it is at now. Never a custodian or an inspector as such: they do not handle."""
    return not is_system(user) and can_assign_complaint(user, complaint)


def can_read_notes(actor: Any, complaint: Complaint) -> bool:
    """Internal notes are for the complaint's handlers only: never the family, an inspector or the
    custodian. Which notes a school handler sees is the selector's (school notes only)."""
    return not is_system(actor) and can_handle_complaint(actor, complaint)


def can_sign_off_answer(actor: Any, complaint: Complaint) -> bool:
    """The school's principal signs off a school-level answer before it goes out, where the profile
    asks for it (setting complaint_answer_signoff)."""
    return complaint.level == Level.SCHOOL and holds_role(actor, Role.PRINCIPAL, over=complaint.school)


def can_close_complaint(actor: Any, complaint: Complaint) -> bool:
    """A handler closes (办结) an answered complaint with a note the family reads."""
    return can_handle_complaint(actor, complaint)


def is_custodian_for(actor: Any, complaint: Complaint) -> bool:
    """The bureau's designated custodian for the complaint's school (its region or one above)."""
    return not is_system(actor) and holds_role(actor, Role.CUSTODIAN, over=complaint.school)


def can_unseal_complaint(actor: Any, complaint: Complaint) -> bool:
    """The custodian, with two-step sign-in turned on, may read who filed (with a reason and a fresh
    code at that moment: the service checks those, docs/decisions/0018-two-step-sign-in.md)."""
    return is_custodian_for(actor, complaint) and totp_enabled(actor)


def can_review_closure(actor: Any, complaint: Complaint) -> bool:
    """Bureau staff above the school review a closure as abusive (issue 4)."""
    return holds_role(actor, Role.BUREAU_STAFF, over=complaint.school)


def can_record_complaint(actor: Any, school: School) -> bool:
    """Bureau staff above the school record a complaint that came by phone or letter."""
    return holds_role(actor, Role.BUREAU_STAFF, over=school)


def can_record_complaints(actor: Any) -> bool:
    """Whether the list page offers the phone-or-letter form (bureau staff anywhere)."""
    return holds_role(actor, Role.BUREAU_STAFF)


def can_oversee_complaints(actor: Any) -> bool:
    """The bureau's leadership (staff, inspectors) see every unsealing and review closures."""
    return holds_role(actor, BUREAU_ROLES)


def can_list_complaints(actor: Any) -> bool:
    """The complaint list page (and its menu entry) is for handlers and the bureau."""
    return holds_role(actor, COMPLAINT_ROLES)


def can_file_complaints(actor: Any) -> bool:
    """Parents file complaints about their children's school (the menu entry; the service checks
    the child is theirs)."""
    return not is_system(actor) and holds_role(actor, Role.PARENT)


def can_see_complaint(actor: Any, complaint: Complaint) -> bool:
    """Whether the complaint is in the actor's reach (selectors.complaints_for_actor: the school
    from its release, the bureau at once)."""
    from jianfu.cases.selectors import complaints_for_actor

    return complaints_for_actor(actor).filter(pk=complaint.pk).exists()


def can_escalate_overdue(actor: Any) -> bool:
    """Moving overdue complaints to the district is the daily job's (or an operator's CLI run), never
    a person's page: only a system actor runs it, and ``None`` is nobody."""
    return is_system(actor)
