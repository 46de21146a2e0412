"""Families name another pickup person (代接人) for a day or a period; the gate confirms the child
left with them (decision 0052).

The person is not a user and gets no account; the family gives a name, a relationship and a mobile
number, and only the masked number is kept. Naming the same person for the same days again returns
the same row (a double tap never makes two). A family may name more than one person for a day (the
grandmother or the grandfather). Withdrawing is possible at any time, the day itself included: it
only takes a permission away. Nothing personal about the person is written to the audit log.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.accounts.rules.phones import normalize_phone
from jianfu.afterschool.attendance.selectors import service_days
from jianfu.afterschool.collectors.models import PickupPerson, Relationship
from jianfu.afterschool.collectors.selectors import person_get
from jianfu.afterschool.days.errors import DaysError
from jianfu.afterschool.models import Programme, ProgrammeStatus
from jianfu.afterschool.permissions import can_manage_programme
from jianfu.afterschool.pickup.selectors import participating_weekdays
from jianfu.afterschool.selectors import children_of_parent
from jianfu.core.audit import audit
from jianfu.core.errors import NotFound
from jianfu.core.masking import mask_phone
from jianfu.schools.models import Student

NAME_MAX = 20


def _may_act_for(actor: Any, student_id: int, programme: Programme) -> bool:
    return children_of_parent(actor).filter(pk=student_id).exists() or can_manage_programme(actor, programme)


def _programme_for(actor: Any, programme_id: int, student_id: int) -> Programme:
    programme = Programme.objects.select_related("term").filter(pk=programme_id).first()
    student = Student.objects.filter(pk=student_id, is_active=True).only("pk", "school_id").first()
    if programme is None or student is None or student.school_id != programme.school_id:
        raise NotFound(_("学生或课后服务方案"))
    if not _may_act_for(actor, student.pk, programme):
        raise NotFound(_("学生或课后服务方案"))
    if programme.status != ProgrammeStatus.PUBLISHED:
        raise DaysError(
            DaysError.PROGRAMME_NOT_RUNNING,
            _("课后服务方案未在进行中（尚未公布或已结束）"),
            field="programme_id",
        )
    return programme


def _check_person(name: str, relationship: str, phone: str) -> str:
    """The masked number of a valid entry; a refusal names the field (never echoing the number)."""
    if not name or len(name) > NAME_MAX:
        raise DaysError(
            DaysError.PICKUP_PERSON_INVALID,
            _("姓名：请填写接孩子的人的姓名（最多%(n)s个字）"),
            params={"n": NAME_MAX},
            field="name",
        )
    if relationship not in Relationship.values:
        raise DaysError(
            DaysError.PICKUP_PERSON_INVALID,
            _("与孩子的关系：请选择"),
            field="relationship",
        )
    full = normalize_phone(phone)
    if full is None:
        raise DaysError(
            DaysError.PICKUP_PERSON_INVALID,
            _("手机号：请填写 11 位手机号"),
            field="phone",
        )
    return mask_phone(full)


def _check_span(programme: Programme, student_id: int, start: date, end: date, today: date) -> None:
    if end < start:
        raise DaysError(DaysError.PICKUP_PERSON_INVALID, _("结束日期：不能早于开始日期"), field="end_date")
    if start < today:
        raise DaysError(
            DaysError.PICKUP_PERSON_INVALID,
            _("开始日期：只能为今天或以后的日子安排代接"),
            field="start_date",
        )
    if end > programme.term.end_date:
        raise DaysError(
            DaysError.PICKUP_PERSON_INVALID,
            _("结束日期：本学期课后服务到%(end)s结束，不能超过这一天"),
            params={"end": programme.term.end_date.isoformat()},
            field="end_date",
        )
    weekdays = participating_weekdays(programme, student_id)
    if not any(d.isoweekday() in weekdays for d in service_days(programme, start=start, until=end)):
        raise DaysError(
            DaysError.PICKUP_PERSON_INVALID,
            _("开始日期：%(start)s至%(end)s孩子没有课后服务，无需安排代接"),
            params={"start": start.isoformat(), "end": end.isoformat()},
            field="start_date",
        )


@transaction.atomic
def pickup_person_name(
    *,
    actor: Any,
    programme_id: int,
    student_id: int,
    name: str,
    relationship: str,
    phone: str,
    start: date,
    end: date | None = None,
    now: datetime | None = None,
) -> PickupPerson:
    """Name another person who may collect the child from `start` to `end` (one day when empty)."""
    today = timezone.localtime(now or timezone.now()).date()
    programme = _programme_for(actor, programme_id, student_id)
    name = " ".join(name.split())
    masked = _check_person(name, relationship, phone)
    end = end or start
    _check_span(programme, student_id, start, end, today)
    key = {
        "student_id": student_id,
        "start_date": start,
        "end_date": end,
        "name": name,
        "phone_masked": masked,
    }
    same = PickupPerson.objects.filter(**key, withdrawn_at__isnull=True).first()
    if same is not None:
        if same.relationship != relationship:
            same.relationship = relationship
            same.save(update_fields=["relationship"])
        return same
    try:
        with transaction.atomic():
            person = PickupPerson.objects.create(
                programme=programme, relationship=relationship, named_by=actor, **key
            )
    except IntegrityError:
        return PickupPerson.objects.get(**key, withdrawn_at__isnull=True)  # a concurrent double tap
    audit(
        actor=actor,
        action="afterschool_pickup_person_named",
        obj=person,
        school_id=programme.school_id,
        # Who the person is stays out of the log: the row holds it, the log says that it happened.
        data={"student_id": student_id, "from": start.isoformat(), "to": end.isoformat()},
    )
    return person


@transaction.atomic
def pickup_person_withdraw(*, actor: Any, person_id: int, now: datetime | None = None) -> PickupPerson:
    """The family takes the permission back (any time; a repeat is harmless)."""
    person = person_get(person_id)
    if person is None or not _may_act_for(actor, person.student_id, person.programme):
        raise NotFound(_("代接人"))
    if person.withdrawn_at is None:
        person.withdrawn_at = now or timezone.now()
        person.save(update_fields=["withdrawn_at"])
        audit(
            actor=actor,
            action="afterschool_pickup_person_withdrawn",
            obj=person,
            school_id=person.programme.school_id,
            data={"student_id": person.student_id},
        )
    return person
