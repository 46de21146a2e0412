"""Reads of complaints for handlers, and the family's own list. No handler's read touches
SealedIdentity: the complainant is not part of any read a school role can make. The one read that
does, complaints_filed_by, starts from the signed-in account and returns only what that account
filed — it never says who filed anything else."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from jianfu.accounts.models import Role
from jianfu.cases.models import Category, Complaint, ComplaintNote, Level, NoteScope, SealedIdentity, Status
from jianfu.schools.access import (
    BUREAU_ROLES,
    SCHOOL_LEADERS,
    holders,
    holds_role,
    regions_for_actor,
    schools_for_actor,
)


def complaints_for_actor(
    actor: Any, *, now: datetime | None = None, school_scope: bool = True
) -> QuerySet[Complaint]:
    """School leaders: their school's school-level complaints, from their release (the next working
    morning's batch, decision 0032). Bureau roles: every complaint of the schools in their region
    (the district-level ones are theirs to handle), at once. Ordered by day filed and, within a day,
    by the random ref: never by arrival (security.md M2). school_scope=False: the bureau part only."""
    q = Q(pk__in=[])
    if school_scope and holds_role(actor, SCHOOL_LEADERS):
        school_ids = schools_for_actor(actor, roles=SCHOOL_LEADERS).values("pk")
        q |= Q(school_id__in=school_ids, level=Level.SCHOOL, released_at__lte=now or timezone.now())
    regions = list(regions_for_actor(actor))
    for r in regions:
        q |= Q(school__region__code__startswith=r.descendant_codes_prefix)
    return (
        Complaint.objects.filter(q)
        .select_related("school", "school_class__grade")
        .distinct()
        .order_by("-filed_on", "ref")
    )


def complaint_for_actor(actor: Any, key: int | str) -> Complaint | None:
    """One complaint the actor may see. `key` from a URL or the API is the complaint's ref; a key of
    digits is an id, taken from district roles only (the school never learns ids, which would show
    the filing order). An int `key` comes from code, not from a request."""
    if isinstance(key, int):
        return complaints_for_actor(actor).filter(pk=key).first()
    if key.isascii() and key.isdigit():
        if len(key) > 18:  # past a 64-bit id: nothing, rather than an overflow in the database
            return None
        return complaints_for_actor(actor, school_scope=False).filter(pk=int(key)).first()
    return complaints_for_actor(actor).filter(ref=key).first()


def evidence_for(complaint: Complaint) -> dict[str, Any]:
    """Data already in the system about what the complaint names: the class's homework load and
    families' summaries for the two weeks before it (homework, schedule), or the grade's filed exams."""
    out: dict[str, Any] = {"loads": [], "feedback": [], "exams": []}
    if complaint.school_class is None:
        return out
    since = complaint.filed_on - timedelta(days=14)
    if complaint.category in (Category.HOMEWORK, Category.SCHEDULE):
        from jianfu.feedback.selectors import class_day_summaries
        from jianfu.homework.models import ClassDayLoad

        loads = ClassDayLoad.objects.filter(
            school_class=complaint.school_class, date__gte=since, date__lte=complaint.filed_on, items__gt=0
        ).order_by("date")
        out["loads"] = list(loads)
        summaries = class_day_summaries(complaint.school_class, [x.date for x in out["loads"]])
        out["feedback"] = [{"date": d, **s} for d, s in summaries.items()]
    if complaint.category == Category.EXAMS:
        from jianfu.exams.models import ExamPlan

        out["exams"] = list(
            ExamPlan.objects.filter(grade=complaint.school_class.grade, withdrawn_at__isnull=True)
        )
    return out


def unsealings_for_bureau(actor: Any) -> QuerySet[Any]:
    """Every unsealing in the actor's region, for the bureau's leadership (bureau staff, inspectors)."""
    from jianfu.cases.models import Unsealing

    if not holds_role(actor, BUREAU_ROLES):
        return Unsealing.objects.none()
    q = Q(pk__in=[])
    for r in regions_for_actor(actor):
        q |= Q(complaint__school__region__code__startswith=r.descendant_codes_prefix)
    return Unsealing.objects.filter(q).select_related("complaint__school", "custodian").order_by("-at")


def closures_for_review(actor: Any) -> QuerySet[Complaint]:
    if not holds_role(actor, Role.BUREAU_STAFF):
        return Complaint.objects.none()
    return complaints_for_actor(actor).filter(closed_as_abusive=True, closure_reviewed=False)


def published_answers(region_code: str) -> QuerySet[Complaint]:
    """Answers the handler chose to publish, anonymised: category, school, date and answer only."""
    return (
        Complaint.objects.filter(answer_public=True, school__region__code__startswith=region_code)
        .exclude(answer="")
        .select_related("school")
        .order_by("-answered_on")
    )


def assignee_candidates(complaint: Complaint) -> list[Any]:
    """Who the complaint may be assigned to: at school level the school's principal and academic
    office, at district level the bureau staff of the school's region or a region above it (issue
    15). The permission itself is permissions.may_be_assigned; this only lists them for a form."""
    if complaint.level == Level.SCHOOL:
        memberships = list(holders(SCHOOL_LEADERS, over=complaint.school))
    else:
        memberships = [
            m
            for region in complaint.school.region.ancestors()
            for m in holders(Role.BUREAU_STAFF, over=region)
        ]
    users = {m.user.pk: m.user for m in memberships if m.user.is_active}
    return sorted(users.values(), key=lambda u: (u.name, u.pk))


def notes_for_handler(actor: Any, complaint: Complaint) -> QuerySet[ComplaintNote]:
    """The internal notes the actor may read: none unless they handle the complaint; a school
    handler the school's notes only, the district every note (ComplaintNote)."""
    from jianfu.cases.permissions import can_read_notes, handler_scope

    if not can_read_notes(actor, complaint):
        return ComplaintNote.objects.none()
    notes = ComplaintNote.objects.filter(complaint=complaint).select_related("author")
    if handler_scope(actor, complaint) != "district":
        notes = notes.filter(scope=NoteScope.SCHOOL)
    return notes.order_by("at", "pk")


def answer_signoff_required(complaint: Complaint, day: Any = None) -> bool:
    """Whether the school's profile asks the principal to sign off an answer before it goes out
    (setting complaint_answer_signoff; a district may require it, a school may add it)."""
    from jianfu.policies.selectors import profile_resolve_for_school

    profile = profile_resolve_for_school(complaint.school, day or timezone.localdate())
    return bool(profile.setting("complaint_answer_signoff"))


def answer_needs_signoff(actor: Any, complaint: Complaint) -> bool:
    """Whether the actor's answer waits for the principal: a school handler other than the principal,
    where the profile asks for sign-off. The district's answers and the principal's own go out."""
    from jianfu.cases.permissions import can_sign_off_answer, handler_scope

    return (
        handler_scope(actor, complaint) == "school"
        and not can_sign_off_answer(actor, complaint)
        and answer_signoff_required(complaint)
    )


def complaints_filed_by(actor: Any) -> QuerySet[Complaint]:
    """我的反映: the complaints this account filed itself (online, from the account), newest first —
    never another family's, and not one taken down by phone for them (that has no account). Only what
    the family may see is read by the page: status, the sent answer, the closing note."""
    if not getattr(actor, "is_authenticated", False):
        return Complaint.objects.none()
    filed = SealedIdentity.objects.filter(filed_by=actor).values("complaint_id")
    return Complaint.objects.filter(pk__in=filed).order_by("-filed_on", "ref")


OPEN_STATUSES = (Status.NEW, Status.ACKNOWLEDGED)


def open_complaints_by_deadline(actor: Any, *, now: datetime | None = None, limit: int = 5) -> dict[str, Any]:
    """The open complaints the actor sees (a school only from their release, decision 0032), the
    nearest deadline first (to acknowledge while new, to answer once acknowledged): the count and
    the first `limit`. Two queries."""
    qs = complaints_for_actor(actor, now=now).filter(status__in=OPEN_STATUSES)
    due = Coalesce(Case(When(status=Status.NEW, then="acknowledge_due"), default="answer_due"), "answer_due")
    first = list(qs.annotate(due=due).order_by(F("due").asc(nulls_last=True), "ref")[:limit])
    return {"count": qs.count(), "first": first}


def open_complaints_by_school(actor: Any, today: Any) -> dict[int, dict[str, int]]:
    """For the bureau's roles: open complaints of each school in their region, and how many are past
    their answer deadline. One query."""
    rows = (
        complaints_for_actor(actor, school_scope=False)
        .filter(status__in=OPEN_STATUSES)
        .order_by()
        .values("school_id")
        .annotate(
            open=Count("pk", distinct=True),
            overdue=Count("pk", filter=Q(answer_due__lt=today), distinct=True),
        )
    )
    return {r["school_id"]: {"open": r["open"], "overdue": r["overdue"]} for r in rows}


def unsealings_by(actor: Any, since: Any) -> int:
    """How many identities the custodian unsealed since `since` (their own log)."""
    from jianfu.cases.models import Unsealing

    return Unsealing.objects.filter(custodian=actor, at__date__gte=since).count()


def complaints_of_family(actor: Any) -> dict[str, int]:
    """我的反映 at a glance: how many of the family's complaints are still open, and how many were
    answered and wait for them to read (and rate). One query."""
    counts = (
        complaints_filed_by(actor)
        .order_by()
        .aggregate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            answered=Count("pk", filter=Q(status=Status.ANSWERED)),
        )
    )
    return {"open": counts["open"] or 0, "answered": counts["answered"] or 0}
