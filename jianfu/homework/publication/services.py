"""Publishing a class's days (公示) and managing the class's public page address."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.core.audit import audit
from jianfu.core.errors import PermissionDenied
from jianfu.homework.days.services import _public_page_changed, class_day_load_refresh
from jianfu.homework.models import (
    ClassDayLoad,
    ClassPublication,
)
from jianfu.homework.permissions import can_manage_publication, can_publish_day
from jianfu.notifications.services import notify
from jianfu.schools.models import Guardian, SchoolClass


@transaction.atomic
def day_publish(*, actor: Any, school_class: SchoolClass, on: date) -> ClassDayLoad:
    """The head teacher publishes the day's list (公示): families see it on the class page from now."""
    if not can_publish_day(actor, school_class):
        raise PermissionDenied(_("只有班主任可以公示本班作业"))
    # The class's public page comes with its first publication, in the same transaction: a refused
    # request writes nothing (decision 0045).
    _page_of(school_class, actor)
    load = class_day_load_refresh(school_class=school_class, on=on)
    republished = load.needs_republish
    load.published_at = timezone.now()
    load.version += 1
    load.save(update_fields=["published_at", "version", "updated_at"])
    _public_page_changed(school_class)
    audit(
        actor=actor,
        action="homework_day_published",
        obj=load,
        school_id=school_class.school_id,
        data={"date": on.isoformat(), "items": load.items, "again_after_changes": republished},
    )
    # Families who asked for it (opt-in, decision 0050) are told of the day's first publication.
    notify(
        Guardian.objects.filter(
            student__school_class=school_class, student__is_active=True, user__isnull=False
        ).select_related("user"),
        "homework_published",
        {"school_class": str(school_class), "day": on.isoformat()},
        key=f"homework_published:{school_class.pk}:{on.isoformat()}",
        link_url=reverse("homework:family"),
    )
    return load


@transaction.atomic
def publication_ensure(*, actor: Any, school_class: SchoolClass) -> ClassPublication:
    """The class's public page address, made if it has none: the head teacher, or the school's
    leaders standing in for them (decision 0045)."""
    if not can_manage_publication(actor, school_class):
        raise PermissionDenied(_("只有班主任或学校领导可以管理公示页"))
    return _page_of(school_class, actor)


def _page_of(school_class: SchoolClass, actor: Any) -> ClassPublication:
    pub = ClassPublication.objects.filter(school_class=school_class, revoked_at__isnull=True).first()
    if pub is None:
        pub = ClassPublication.objects.create(school_class=school_class)
        audit(actor=actor, action="publication_created", obj=pub, school_id=school_class.school_id)
    return pub


@transaction.atomic
def publication_revoke(*, actor: Any, school_class: SchoolClass) -> ClassPublication:
    """Revoke the current address (e.g. it was shared too widely) and issue a new one."""
    if not can_manage_publication(actor, school_class):
        raise PermissionDenied(_("只有班主任或学校领导可以管理公示页"))
    ClassPublication.objects.filter(school_class=school_class, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    pub = ClassPublication.objects.create(school_class=school_class)
    _public_page_changed(school_class)
    audit(actor=actor, action="publication_revoked", obj=pub, school_id=school_class.school_id)
    return pub
