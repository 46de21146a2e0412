"""Reads of complaints for handlers. Nothing here touches SealedIdentity: the complainant is not
part of any read a school role can make."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet

from jianfu.accounts.models import Role
from jianfu.cases.models import Category, Complaint, Level
from jianfu.schools.selectors import _memberships, regions_for_actor


def complaints_for_actor(actor: Any) -> QuerySet[Complaint]:
    """School leaders: their school's school-level complaints. Bureau roles: every complaint of the
    schools in their region (the district-level ones are theirs to handle)."""
    ms = _memberships(actor)
    school_ids = [
        m.school_id for m in ms if m.role in (Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS) and m.school_id
    ]
    q = Q(school_id__in=school_ids, level=Level.SCHOOL)
    regions = list(regions_for_actor(actor))
    for r in regions:
        q |= Q(school__region__code__startswith=r.descendant_codes_prefix)
    return Complaint.objects.filter(q).select_related("school", "school_class__grade").distinct()


def evidence_for(complaint: Complaint) -> dict[str, Any]:
    """Data already in the system about what the complaint names: the class's homework load and
    families' summaries for the two weeks before it (homework, schedule), or the grade's filed exams."""
    out: dict[str, Any] = {"loads": [], "feedback": [], "exams": []}
    if complaint.school_class is None:
        return out
    since = complaint.filed_on - timedelta(days=14)
    if complaint.category in (Category.HOMEWORK, Category.SCHEDULE):
        from jianfu.feedback.selectors import class_day_summary
        from jianfu.homework.models import ClassDayLoad

        loads = ClassDayLoad.objects.filter(
            school_class=complaint.school_class, date__gte=since, date__lte=complaint.filed_on, items__gt=0
        ).order_by("date")
        out["loads"] = list(loads)
        out["feedback"] = [
            {"date": x.date, **class_day_summary(complaint.school_class, x.date)} for x in loads
        ]
    if complaint.category == Category.EXAMS:
        from jianfu.exams.models import ExamPlan

        out["exams"] = list(
            ExamPlan.objects.filter(grade=complaint.school_class.grade, withdrawn_at__isnull=True)
        )
    return out
