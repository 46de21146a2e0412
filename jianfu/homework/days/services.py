"""Keeping the class-day row (ClassDayLoad) current: every change to a class-day's items recomputes
it in the same transaction, and a change to a published day (公示) is recorded for families."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jianfu.homework import rules as load_rules
from jianfu.homework.days.selectors import (
    ClassDay,
    _as_facts,
    _item_minutes,
    class_day_read,
)
from jianfu.homework.models import (
    ClassDayLoad,
    ClassPublication,
    HomeworkItem,
    Kind,
    Where,
)
from jianfu.homework.selectors import SUBJECT_LABELS
from jianfu.policies.rules import counted_minutes
from jianfu.policies.rules.profiles import ResolvedProfile
from jianfu.schools.models import SchoolClass


def _split_by_kind(items: list[HomeworkItem], profile: ResolvedProfile) -> dict[str, dict[str, int]]:
    """Per subject: written at home, other kinds at home, and work done at school (the class grid)."""
    out: dict[str, dict[str, int]] = {}
    for i in items:
        row = out.setdefault(i.subject, {"written": 0, "other": 0, "school": 0})
        part = "school" if i.where != Where.HOME else "written" if i.kind == Kind.WRITTEN else "other"
        row[part] += _item_minutes(i, profile)
    return out


def class_day_load_refresh(
    *,
    school_class: SchoolClass,
    on: date,
    change: str = "",
    now: datetime | None = None,
    day: ClassDay | None = None,
    load: ClassDayLoad | None = None,
) -> ClassDayLoad:
    """Recompute the class-day row from that day's active items (a handful: bounded, never history).

    `change` says what a post, edit, withdrawal or approval changed as families would read it; on a
    day already published (公示) it is recorded with the time and the head teacher is asked to
    confirm the day again (docs/decisions/0024-separation-of-duties-for-exceptions.md).

    A caller that has just read the day (a post: `day`, with its new item) and locked its row
    (`load`) passes both, so the day is not read twice (decision 0040); otherwise they are read here."""
    day = day or class_day_read(school_class, on)
    profile = day.profile
    items = day.items
    facts = [_as_facts(i, profile) for i in items]
    cap, _rule, _band = profile.homework_cap(school_class.grade.number, school_class.grade.stage)
    by_subject: dict[str, int] = {}
    for i in items:
        by_subject[i.subject] = by_subject.get(i.subject, 0) + _item_minutes(i, profile)
    exceptions = day.exceptions
    if load is None:
        load = class_day_row_lock(school_class, on)
    load.counted_minutes = counted_minutes(facts, profile)
    load.total_minutes = sum(f.minutes for f in facts)
    load.all_kinds_minutes = load_rules.all_kinds_minutes(facts, profile)
    load.non_written_minutes = load_rules.non_written_minutes(facts, profile)
    load.all_kinds_cap = load_rules.all_kinds_cap(profile, school_class.grade.stage)
    load.items = len(items)
    load.by_subject = by_subject
    load.by_subject_kinds = _split_by_kind(items, profile)
    load.cap_minutes = cap
    load.exception_minutes = sum(e.extra_minutes for e in exceptions)
    # The snapshot families read is kept in the site's language (Chinese) whoever's request wrote
    # it; the public page translates its labels when it shows them (publication.views).
    with translation.override(settings.LANGUAGE_CODE):
        load.public_exceptions = [
            {
                "role": e.approver_role or gettext("班主任"),
                "minutes": e.extra_minutes,
                "all_kinds_minutes": e.extra_all_kinds_minutes,
                "reason": e.reason,
            }
            for e in exceptions
        ]
        load.public_items = [public_item(i) for i in items]
    if change and load.published_at is not None:
        moment = now or timezone.now()
        load.changed_at = moment
        load.changes = [*(load.changes or []), {"at": moment.isoformat(), "what": change[:120]}][-10:]
    load.version += 1
    load.save()
    _public_page_changed(school_class)
    return load


def class_day_row_lock(school_class: SchoolClass, on: date) -> ClassDayLoad:
    """The class-day row, created if need be and locked until the transaction ends: two teachers
    posting to the same class-day at once are judged one after the other."""
    load, _ = ClassDayLoad.objects.select_for_update().get_or_create(
        school_class=school_class, date=on, defaults={"school_id": school_class.school_id}
    )
    return load


# What a change did, as change_text says it.
ADDED = _("新增")
ADDED_AFTER_EXCEPTION = _("特批后新增")
WITHDRAWN = _("撤回")
EDITED = _("修改")
PENDING_TAKEN_DOWN = _("撤下待特批")


def change_text(verb: Any, item: HomeworkItem, before: int | None = None) -> str:
    """What changed, as families read it: no one's name. Stored with the class-day, so written in the
    site's language (Chinese) like the rest of the families' snapshot."""
    with translation.override(settings.LANGUAGE_CODE):
        if before is not None and before != item.minutes:
            minutes = gettext("约%(before)s→%(after)s分钟") % {"before": before, "after": item.minutes}
        else:
            minutes = gettext("约%(minutes)s分钟") % {"minutes": item.minutes}
        return gettext("%(verb)s：%(subject)s（%(kind)s）%(minutes)s") % {
            "verb": verb,
            "subject": SUBJECT_LABELS.get(item.subject, item.subject),
            "kind": item.get_kind_display(),
            "minutes": minutes,
        }


def public_item(item: HomeworkItem) -> dict[str, Any]:
    """An item as the public page, the print sheet and the family page show it: nothing about anyone."""
    return {
        "subject": SUBJECT_LABELS.get(item.subject, item.subject),
        "code": item.subject,
        "kind": item.get_kind_display(),
        "where": item.get_where_display(),
        "tier": item.get_tier_display(),
        "minutes": item.minutes,
        "description": item.description,
        "due": item.date_due.isoformat(),
    }


def _public_page_changed(school_class: SchoolClass) -> None:
    """Drop this process's cached lookups for the class's public page once the change commits.

    Other processes notice within jianfu.homework.publication.views.META_SECONDS (or at once with a shared cache)."""
    from django.core.cache import cache

    from jianfu.homework.publication.selectors import hot_cache_key

    # The class's tokens are read once: the same keys are dropped now and after commit.
    tokens = list(ClassPublication.objects.filter(school_class=school_class).values_list("token", flat=True))

    def drop() -> None:
        today = timezone.localdate().isoformat()
        cache.delete_many(
            [hot_cache_key(t, today, code) for t in tokens for code, _name in settings.LANGUAGES]
        )

    drop()  # now, for this request's own reads
    transaction.on_commit(drop)  # and again after commit, in case a reader re-cached the old state meanwhile
