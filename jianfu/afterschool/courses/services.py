"""Courses of a programme (the "N" of 1+N) and the external providers who run some of them.

A course is run by a teacher of the school or by an external provider and one of its staff. The
district bureau registers providers for its region (vetted when registered); a school may add its
own (shown as not vetted by the district). Every course change re-runs the programme's policy check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.models import (
    Course,
    CourseCategory,
    ExternalProvider,
    ProgrammeStatus,
    ProviderKind,
    ProviderStaff,
    ServicePart,
)
from jianfu.afterschool.permissions import can_keep_provider, can_register_provider_in_region
from jianfu.afterschool.programme.selectors import providers_for_school
from jianfu.afterschool.programme.services import (
    ProgrammeError,
    office_programme,
    refresh_findings,
    require_status,
)
from jianfu.afterschool.rules import WEEKDAYS, Listed
from jianfu.core.audit import audit
from jianfu.core.errors import NotFound, PermissionDenied
from jianfu.schools.access import SCHOOL_WIDE_ROLES, regions_for_actor, schools_for_actor
from jianfu.schools.models import Region

PHONE = re.compile(r"^1\d{10}$")

# Fields that decide who may get a place and what families signed up for: fixed once the
# allocation has run (cancel or merge a course instead).
STRUCTURAL = (
    "capacity",
    "min_size",
    "min_grade",
    "max_grade",
    "weekdays",
    "start",
    "end",
    "fee_per_term",
    "teaches_new_lessons",
)


@dataclass(frozen=True)
class CourseSpec:
    name: str
    category: str
    capacity: int
    weekdays: list[int]
    teacher_id: int | None = None
    provider_id: int | None = None
    provider_staff_id: int | None = None
    min_grade: int | None = None  # None: the school's first grade
    max_grade: int | None = None  # None: the school's last grade
    min_size: int = 8
    room: str = ""
    start: time | None = None
    end: time | None = None
    fee_per_term: Decimal = Decimal("0")
    teaches_new_lessons: bool = False
    description: str = ""


# The most places one course may have (a course with more children is two courses).
MAX_CAPACITY = 500


def _invalid(message: Any, field_name: str, **params: Any) -> ProgrammeError:
    return ProgrammeError(ProgrammeError.INVALID, message, params=params or None, field=field_name)


def _validated(programme: Any, spec: CourseSpec) -> dict[str, Any]:
    school = programme.school
    name = (spec.name or "").strip()
    if not name or len(name) > 100:
        raise _invalid(_("请填写课程名称（100字以内）"), "name")
    if spec.category not in CourseCategory.values:
        raise _invalid(_("请选择课程类别"), "category")
    teacher = provider = staff = None
    if (spec.teacher_id is None) == (spec.provider_id is None):
        raise _invalid(_("请选择授课教师或校外机构（二选一）"), "teacher_id")
    if spec.teacher_id is not None:
        teacher = school.teachers.filter(pk=spec.teacher_id).first()
        if teacher is None:
            raise _invalid(_("授课教师不是本校教师"), "teacher_id")
    else:
        provider = providers_for_school(school).filter(pk=spec.provider_id or 0).first()
        if provider is None:
            raise _invalid(_("校外机构不存在或不可用于本校"), "provider_id")
        if spec.provider_staff_id is not None:
            staff = provider.staff.filter(pk=spec.provider_staff_id).first()
            if staff is None:
                raise _invalid(_("授课人员不属于该机构"), "provider_staff_id")
    min_grade = school.first_grade if spec.min_grade is None else spec.min_grade
    max_grade = school.last_grade if spec.max_grade is None else spec.max_grade
    if not school.first_grade <= min_grade <= max_grade <= school.last_grade:
        raise _invalid(
            _("年级范围应在%(first)s到%(last)s年级之间，且最低不高于最高"),
            "min_grade",
            first=school.first_grade,
            last=school.last_grade,
        )
    if not 1 <= spec.capacity <= MAX_CAPACITY:
        raise _invalid(_("名额应在1到%(max)s之间"), "capacity", max=MAX_CAPACITY)
    if not 0 <= spec.min_size <= spec.capacity:
        raise _invalid(_("最少开班人数应在0到名额之间"), "min_size")
    if spec.fee_per_term < 0 or spec.fee_per_term > Decimal("99999"):
        raise _invalid(_("费用应在0到99999元之间"), "fee_per_term")
    weekdays = sorted(set(spec.weekdays))
    course_slots = {s.weekday: s for s in programme.slots.all() if s.part == ServicePart.COURSE}
    if not weekdays:
        raise _invalid(_("请选择上课星期"), "weekdays")
    missing = [d for d in weekdays if d not in course_slots]
    if missing:
        raise _invalid(
            _("%(days)s没有课程时段，请先在服务时段中设置"),
            "weekdays",
            days=Listed(WEEKDAYS.get(d, str(d)) for d in missing),
        )
    start, end = spec.start, spec.end
    if start is None and end is None:
        first = course_slots[weekdays[0]]
        start, end = first.start, first.end
    if start is None or end is None or end <= start:
        raise _invalid(_("请填写上课开始和结束时间（结束晚于开始）"), "start")
    for d in weekdays:
        slot = course_slots[d]
        if start < slot.start or end > slot.end:
            raise _invalid(
                _("上课时间应在%(day)s课程时段%(start)s–%(end)s之内"),
                "start",
                day=WEEKDAYS[d],
                start=f"{slot.start:%H:%M}",
                end=f"{slot.end:%H:%M}",
            )
    return {
        "name": name,
        "category": spec.category,
        "description": (spec.description or "").strip()[:1000],
        "teacher": teacher,
        "provider": provider,
        "provider_staff": staff,
        "min_grade": min_grade,
        "max_grade": max_grade,
        "capacity": spec.capacity,
        "min_size": spec.min_size,
        "room": (spec.room or "").strip()[:50],
        "weekdays": weekdays,
        "start": start,
        "end": end,
        "fee_per_term": spec.fee_per_term,
        "teaches_new_lessons": spec.teaches_new_lessons,
    }


@transaction.atomic
def course_save(*, actor: Any, programme_id: int, spec: CourseSpec, course_id: int | None = None) -> Course:
    """Add a course (draft or while families choose) or change one. After the allocation only who
    runs it, where and its description may change; places, grades, days, times and fee are fixed."""
    programme = office_programme(actor, programme_id, lock=True)
    values = _validated(programme, spec)
    if course_id is None:
        require_status(programme, ProgrammeStatus.DRAFT, ProgrammeStatus.CHOOSING, action=_("新增课程"))
        course = Course.objects.create(programme=programme, **values)
        action = "afterschool_course_created"
    else:
        found = programme.courses.select_for_update().filter(pk=course_id).first()
        if found is None:
            raise NotFound(_("课程"))
        course = found
        require_status(
            programme,
            ProgrammeStatus.DRAFT,
            ProgrammeStatus.CHOOSING,
            ProgrammeStatus.ALLOCATED,
            ProgrammeStatus.PUBLISHED,
            action=_("修改课程"),
        )
        if programme.status in (ProgrammeStatus.ALLOCATED, ProgrammeStatus.PUBLISHED):
            changed = [f for f in STRUCTURAL if getattr(course, f) != values[f]]
            if changed:
                raise ProgrammeError(
                    ProgrammeError.WRONG_STATUS,
                    _("已分配名额，课程的名额、年级、时间和费用不能再改；人数不足的课程可以取消或合并"),
                    field=changed[0],
                    status=409,
                )
        for key, value in values.items():
            setattr(course, key, value)
        course.save()
        action = "afterschool_course_updated"
    refresh_findings(programme)
    audit(
        actor=actor,
        action=action,
        obj=course,
        school_id=programme.school_id,
        data={"programme": programme.pk},
    )
    return course


@transaction.atomic
def course_remove(*, actor: Any, programme_id: int, course_id: int) -> None:
    """Delete a course nobody has ranked yet (a draft's mistake). Later, cancel it instead."""
    programme = office_programme(actor, programme_id, lock=True)
    course = programme.courses.filter(pk=course_id).first()
    if course is None:
        raise NotFound(_("课程"))
    require_status(programme, ProgrammeStatus.DRAFT, ProgrammeStatus.CHOOSING, action=_("删除课程"))
    if course.choices.exists():
        raise ProgrammeError(
            ProgrammeError.WRONG_STATUS,
            _("已有家长填报该课程，不能删除"),
            status=409,
        )
    audit(
        actor=actor,
        action="afterschool_course_removed",
        obj=course,
        school_id=programme.school_id,
        data={"name": course.name},
    )
    course.delete()
    refresh_findings(programme)


def _provider_owner_check(actor: Any, provider: ExternalProvider) -> None:
    """Who keeps a provider's record: the bureau staff of its region, or the office of its school."""
    if not can_keep_provider(actor, provider):
        raise PermissionDenied(_("只有登记该机构的区教育局或学校可以修改"))


@transaction.atomic
def provider_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    region_id: int | None = None,
    school_id: int | None = None,
    contact_name: str = "",
    contact_phone: str = "",
) -> ExternalProvider:
    """Register an external provider: the district bureau for its region (vetted now), or a school
    office for its own school only (not vetted by the district; the district sees that)."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise _invalid(_("请填写机构名称（100字以内）"), "name")
    if kind not in ProviderKind.values:
        raise _invalid(_("请选择机构类型"), "kind")
    contact_phone = (contact_phone or "").strip()
    if contact_phone and not PHONE.match(contact_phone):
        raise _invalid(_("联系电话应为11位手机号"), "contact_phone")
    if (region_id is None) == (school_id is None):
        raise _invalid(_("请选择登记范围：本区或本校"), "region_id")
    region: Region | None = None
    vetted_at = None
    if region_id is not None:
        region = regions_for_actor(actor).filter(pk=region_id).first()
        if region is None:
            raise NotFound(_("地区"))
        if not can_register_provider_in_region(actor, region.pk):
            raise PermissionDenied(_("只有本区教育局工作人员可以登记校外机构"))
        vetted_at = timezone.now()
    school = None
    if school_id is not None:
        school = schools_for_actor(actor, roles=SCHOOL_WIDE_ROLES).filter(pk=school_id).first()
        if school is None:
            raise NotFound(_("学校"))
    provider = ExternalProvider.objects.create(
        region=region,
        school=school,
        name=name,
        kind=kind,
        contact_name=(contact_name or "").strip()[:50],
        contact_phone=contact_phone,
        vetted_at=vetted_at,
    )
    audit(
        actor=actor,
        action="afterschool_provider_created",
        obj=provider,
        school_id=school.pk if school else None,
        region_code=region.code if region else (school.region.code if school else ""),
        data={"name": name, "kind": kind},
    )
    return provider


@transaction.atomic
def provider_staff_add(*, actor: Any, provider_id: int, name: str, qualification: str = "") -> ProviderStaff:
    provider = ExternalProvider.objects.filter(pk=provider_id).first()
    if provider is None:
        raise NotFound(_("校外机构"))
    visible = (
        provider.region_id is not None and regions_for_actor(actor).filter(pk=provider.region_id).exists()
    ) or any(
        providers_for_school(s).filter(pk=provider.pk).exists()
        for s in schools_for_actor(actor, roles=SCHOOL_WIDE_ROLES)
    )
    if not visible:
        raise NotFound(_("校外机构"))
    _provider_owner_check(actor, provider)
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise _invalid(_("请填写授课人员姓名"), "name")
    staff = ProviderStaff.objects.create(
        provider=provider, name=name, qualification=(qualification or "").strip()[:100]
    )
    audit(actor=actor, action="afterschool_provider_staff_added", obj=staff, data={"provider": provider.pk})
    return staff
