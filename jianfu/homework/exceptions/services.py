"""Exceptions to the cap (特批): approving or turning down a waiting item, and the academic office's
notices. Who decides which item: jianfu.homework.permissions (decision 0024)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jianfu.core.audit import audit
from jianfu.core.errors import NotFound, PermissionDenied
from jianfu.homework import rules as load_rules
from jianfu.homework.days.selectors import Draft, _all_kinds_over, homework_evaluate
from jianfu.homework.days.services import ADDED_AFTER_EXCEPTION, change_text, class_day_load_refresh
from jianfu.homework.errors import HomeworkError
from jianfu.homework.models import (
    CapException,
    ClassDayLoad,
    HomeworkItem,
    HomeworkNotice,
    Status,
)
from jianfu.homework.permissions import (
    acting_role,
    can_decide_exception,
    exception_decider_role,
    exception_overseer_schools,
)
from jianfu.homework.selectors import SUBJECT_LABELS
from jianfu.notifications.services import notify
from jianfu.schools.access import holders

HEAD_TEACHER = _("班主任")
ROLE_LABELS = {"head_teacher": HEAD_TEACHER, "academic_affairs": _("教导处"), "principal": _("校长")}
# What happened to an exception, as a notice says it.
REQUESTED = _("申请")
REQUESTED_AFTER_EDIT = _("修改后申请")
REJECTED = _("已退回")


def role_label(role: str | None) -> Any:
    """The deciding role as people read it (the head teacher's unless another role is named)."""
    return ROLE_LABELS.get(role or "", HEAD_TEACHER)


def notice_exception(item: HomeworkItem, what: Any, reason: str = "") -> None:
    """An in-app notice to the school's academic office (教导处) of every exception: it sees each one
    on the week's exceptions page (a notification channel comes later). Stored text, so written in
    the site's language (Chinese) whoever's request raised it."""
    params = {
        "school_class": item.school_class,
        "month": f"{item.date_set:%m}",
        "day": f"{item.date_set:%d}",
        "subject": SUBJECT_LABELS.get(item.subject, item.subject),
        "minutes": item.minutes,
        "what": what,
        "decider": role_label(exception_decider_role(item)),
        "reason": reason,
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = (
            gettext(
                "%(school_class)s %(month)s月%(day)s日 %(subject)s%(minutes)s分钟：%(what)s特批（由%(decider)s审批）"
            )
            % params
        )
        if reason:
            text += gettext("，理由：%(reason)s") % params
    HomeworkNotice.objects.create(school_id=item.school_id, item=item, text=text[:300])


def exception_waiting_notify(item: HomeworkItem) -> None:
    """Tell whoever decides this exception that it waits for them (never the poster): the class's
    head teacher, or the school's 教导处 / principal where the profile names them (decision 0024)."""
    role = exception_decider_role(item)
    over = item.school_class if role == "head_teacher" else item.school_class.school
    deciders = [m.user for m in holders(role, over=over) if m.user_id != item.teacher_id]
    if not deciders:
        return
    notify(
        deciders,
        "exception_waiting",
        {
            "school_class": str(item.school_class),
            "day": item.date_set.isoformat(),
            "subject": str(SUBJECT_LABELS.get(item.subject, item.subject)),
        },
        key=f"exception_waiting:{item.pk}:{item.updated_at:%Y%m%d%H%M%S%f}",
        link_url=reverse("homework:class-week", args=[item.school_class_id]),
    )


def _item_for_approver(actor: Any, item_id: int) -> HomeworkItem:
    from jianfu.schools.access import classes_for_actor_staff

    item = (
        HomeworkItem.objects.select_related("school_class__grade", "school_class__school", "teacher")
        .filter(pk=item_id, school_class__in=classes_for_actor_staff(actor))
        .first()
    )
    if item is None:
        raise NotFound(_("作业"))
    if actor.pk == item.teacher_id:
        raise PermissionDenied(_("不能审批自己布置的作业的特批申请"))
    if not can_decide_exception(actor, item):
        role = role_label(exception_decider_role(item))
        # Rendered when read, in the reader's language (PermissionDenied takes no parameters).
        raise PermissionDenied(lazy(lambda: gettext("这项特批由%(role)s审批") % {"role": role}, str)())
    return item


def _site_text(message: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(message)


@transaction.atomic
def exception_approve(*, actor: Any, item_id: int, reason: str) -> CapException:
    """Approve a pending item over the cap: records how many minutes over, why, who and in which
    role (audited). Never the poster; the head teacher's own item goes to the designated role."""
    if not reason.strip():
        raise HomeworkError(HomeworkError.INVALID, _("请填写特批理由"), field="reason")
    item = _item_for_approver(actor, item_id)
    if item.status != Status.PENDING:
        raise HomeworkError(HomeworkError.INVALID, _("该作业不在待特批状态"))
    role = acting_role(actor, item) or "head_teacher"
    ClassDayLoad.objects.select_for_update().filter(
        school_class=item.school_class, date=item.date_set
    ).first()
    result = homework_evaluate(
        school_class=item.school_class,
        on=item.date_set,
        draft=Draft(
            subject=item.subject, kind=item.kind, where=item.where, minutes=item.minutes, tier=item.tier
        ),
    )
    # Approving counts against the week's limit too (this item was one of the requests counted).
    limit = result["exceptions_per_week"]
    monday, sunday = load_rules.exception_week_bounds(item.date_set)
    approved = (
        CapException.objects.filter(
            school_class=item.school_class, date__range=(monday, sunday), items__status=Status.ACTIVE
        )
        .distinct()
        .count()
    )
    if limit is not None and approved >= int(limit):
        raise HomeworkError(
            HomeworkError.EXCEPTION_LIMIT_REACHED,
            _(
                "%(school_class)s本周已批准%(approved)s次超时特批，达到每班每周%(limit)s次的上限"
                "（本地配置“每班每周作业超时特批次数上限”）"
            ),
            params={"school_class": item.school_class, "approved": approved, "limit": int(limit)},
        )
    over = max(0, result["total_minutes"] - (result["cap"] or 0) - result["exception_minutes"])
    if result["cap"] is None or result["day_type"] != "school_day":
        over = 0
    exception = CapException.objects.create(
        school_class=item.school_class,
        date=item.date_set,
        extra_minutes=over,
        extra_all_kinds_minutes=_all_kinds_over(result),
        reason=reason.strip()[:200],
        approved_by=actor,
        # Stored for the public page, in the site's language like the rest of its snapshot.
        approver_role=_site_text(ROLE_LABELS[role]) if role in ROLE_LABELS else "",
    )
    item.status = Status.ACTIVE
    item.exception = exception
    item.save(update_fields=["status", "exception", "updated_at"])
    class_day_load_refresh(
        school_class=item.school_class, on=item.date_set, change=change_text(ADDED_AFTER_EXCEPTION, item)
    )
    audit(
        actor=actor,
        action="homework_exception_approved",
        obj=exception,
        school_id=item.school_id,
        data={"item": item.pk, "extra_minutes": over, "reason": exception.reason, "role": role},
    )
    approved_text = _site_text(_("%(role)s已批准")) % {"role": exception.approver_role}
    notice_exception(item, approved_text, exception.reason)
    return exception


@transaction.atomic
def exception_reject(*, actor: Any, item_id: int, reason: str) -> HomeworkItem:
    item = _item_for_approver(actor, item_id)
    if item.status != Status.PENDING:
        raise HomeworkError(HomeworkError.INVALID, _("该作业不在待特批状态"))
    item.status = Status.WITHDRAWN
    item.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor,
        action="homework_exception_rejected",
        obj=item,
        school_id=item.school_id,
        data={"reason": reason.strip()[:200]},
    )
    notice_exception(item, REJECTED, reason.strip()[:100])
    return item


@transaction.atomic
def exception_notices_mark_read(*, actor: Any) -> bool:
    """The academic office has read the notices of its schools (shared by the office). False if the
    actor oversees no school."""
    schools = exception_overseer_schools(actor)
    if not schools:
        return False
    HomeworkNotice.objects.filter(school_id__in=schools, read_at__isnull=True).update(read_at=timezone.now())
    return True
