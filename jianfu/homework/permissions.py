"""Who may do what with homework: the one place the app's rules about people are written.

Built on jianfu.schools.access (the one module that reads roles); the pages, the API endpoints, the
services and the menu all ask these predicates and never re-derive a rule. A SystemActor (the demo
loader, a periodic job) passes every ``holds_role`` check; ``None`` is never an actor.

Roles (domain.md, "People and what they may see"; decision 0024 for exceptions):

- a subject teacher posts, corrects and withdraws homework in the classes and subjects they teach
  (``TeachingAssignment``), and only their own items;
- the head teacher publishes the class's days (公示), sets subject quotas and decides other
  teachers' exceptions; the school's academic office (教导处) and principal stand in for them and
  decide the head teacher's own exceptions (the profile names which role);
- the academic office and the principal oversee the week's exceptions of their school.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from jianfu.accounts.models import Role
from jianfu.core.actors import is_system
from jianfu.core.errors import NotFound, PermissionDenied
from jianfu.homework.models import HomeworkItem
from jianfu.policies.selectors import profile_resolve_for_school
from jianfu.schools.access import (
    BUREAU_ROLES,
    SCHOOL_LEADERS,
    classes_for_actor_staff,
    holds_role,
    schools_for_actor,
)
from jianfu.schools.models import SchoolClass, TeachingAssignment


def is_head_teacher(actor: Any, school_class: SchoolClass) -> bool:
    return holds_role(actor, Role.HEAD_TEACHER, over=school_class)


def teaches(actor: Any, school_class: SchoolClass, subject: str) -> bool:
    """Whether the actor teaches `subject` in the class (a SystemActor stands in for any teacher)."""
    if is_system(actor):
        return True
    return TeachingAssignment.objects.filter(
        teacher__user=actor, school_class=school_class, subject=subject
    ).exists()


def class_get_for_posting(actor: Any, class_id: int, subject: str) -> SchoolClass:
    """The class `class_id` if the actor may post `subject` there; NotFound for a class out of reach,
    PermissionDenied for a class reached but not taught in that subject."""
    school_class = classes_for_actor_staff(actor).filter(pk=class_id).first()
    if school_class is None:
        raise NotFound(_("班级"))
    if not can_post_homework(actor, school_class, subject):
        raise PermissionDenied(_("你没有担任该班这门学科的教学，不能布置作业"))
    return school_class


def can_post_homework(actor: Any, school_class: SchoolClass, subject: str) -> bool:
    """Post (and preview) homework of `subject` for the class: its teacher of that subject."""
    return teaches(actor, school_class, subject)


def can_edit_homework(actor: Any, item: HomeworkItem) -> bool:
    """Correct an item: only the teacher who posted it (others' items are answered as not found)."""
    return bool(getattr(actor, "pk", None)) and actor.pk == item.teacher_id


def can_withdraw_homework(actor: Any, item: HomeworkItem) -> bool:
    return can_edit_homework(actor, item)


def can_see_class_week(actor: Any, school_class: SchoolClass) -> bool:
    """The staff's week of a class (parents have the family page): anyone on staff who reaches it."""
    return classes_for_actor_staff(actor).filter(pk=school_class.pk).exists()


def class_get_for_staff(actor: Any, class_id: int) -> SchoolClass:
    """The class for the staff's pages (week, grade, families' feedback); NotFound for anyone whom
    can_see_class_week refuses, parents included, so an id out of reach tells nothing."""
    school_class = classes_for_actor_staff(actor).filter(pk=class_id).first()
    if school_class is None:
        raise NotFound(_("班级"))
    return school_class


def can_publish_day(actor: Any, school_class: SchoolClass) -> bool:
    """Publish a day's list (公示): the head teacher, who answers to the families for it."""
    return is_head_teacher(actor, school_class)


def can_set_quotas(actor: Any, school_class: SchoolClass) -> bool:
    return is_head_teacher(actor, school_class)


def can_approve_exceptions(actor: Any, school_class: SchoolClass) -> bool:
    """The head teacher of the class (and the school's leadership, who stand in for them): who may
    manage the class's exceptions at all. Whether one may decide a given item: can_decide_exception."""
    return is_head_teacher(actor, school_class) or holds_role(actor, SCHOOL_LEADERS, over=school_class)


def can_manage_publication(actor: Any, school_class: SchoolClass) -> bool:
    """Create or replace the class's public page address: the head teacher, or the school's leaders
    standing in for them (a QR code that leaked while the head teacher is away: decision 0045)."""
    return can_approve_exceptions(actor, school_class)


def exception_decider_role(item: HomeworkItem) -> str:
    """Who decides this item's exception: the head teacher for other teachers' items; for the head
    teacher's own, the profile's designated role (settings.homework_own_exception_approver, default
    教导处). Issue 12, "Nobody approves their own exception"; decision 0024."""
    if not is_head_teacher(item.teacher, item.school_class):
        return "head_teacher"
    profile = profile_resolve_for_school(item.school_class.school, item.date_set)
    return str(profile.setting("homework_own_exception_approver") or "academic_affairs")


def _decider_roles(role: str) -> list[str]:
    # The principal leads the academic office, so may decide what 教导处 decides; the head teacher's
    # role is held by the class's head teacher, with the school's leadership standing in.
    if role == "principal":
        return [Role.PRINCIPAL]
    if role == "academic_affairs":
        return [Role.ACADEMIC_AFFAIRS, Role.PRINCIPAL]
    return [Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS]


def acting_role(actor: Any, item: HomeworkItem) -> str | None:
    """The role in which `actor` may decide `item`'s exception, or None. Never the poster."""
    if getattr(actor, "pk", None) == item.teacher_id:
        return None
    role = exception_decider_role(item)
    if role == "head_teacher" and is_head_teacher(actor, item.school_class):
        return "head_teacher"
    allowed = _decider_roles(role)
    for candidate in (Role.ACADEMIC_AFFAIRS, Role.PRINCIPAL):
        if candidate in allowed and holds_role(actor, candidate, over=item.school_class):
            return str(candidate)
    return None


def can_decide_exception(actor: Any, item: HomeworkItem) -> bool:
    return acting_role(actor, item) is not None


def exception_overseer_schools(actor: Any) -> list[int]:
    """The schools whose exceptions the actor oversees: their academic office (教导处) or principal."""
    return list(schools_for_actor(actor, roles=SCHOOL_LEADERS).values_list("pk", flat=True))


def can_oversee_exceptions(actor: Any) -> bool:
    """The week's exceptions page and its notices: the academic office or the principal of a school."""
    return holds_role(actor, SCHOOL_LEADERS)


def homework_overseer_schools(actor: Any) -> list[int]:
    """The schools whose homework the actor oversees (作业统筹): the school's academic office and
    principal, and the bureau's staff and inspectors for every school of their region (D2)."""
    return list(schools_for_actor(actor, roles=(*SCHOOL_LEADERS, *BUREAU_ROLES)).values_list("pk", flat=True))


def can_oversee_homework(actor: Any) -> bool:
    """The 作业统筹 page and its menu entry."""
    return holds_role(actor, (*SCHOOL_LEADERS, *BUREAU_ROLES))
