"""Reads for the inbox and the choices page: only ever the signed-in person's own messages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from jianfu.notifications import rules
from jianfu.notifications.models import Message, Preference, WechatBinding

INBOX_PAGE = 100
STAFF_ROLES = frozenset(
    {
        "bureau_staff",
        "inspector",
        "custodian",
        "principal",
        "academic_affairs",
        "head_teacher",
        "subject_teacher",
    }
)


def inbox_for(user: Any) -> QuerySet[Message]:
    """The person's messages, unread first, newest first within each."""
    return Message.objects.filter(recipient=user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-pk"
    )


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def kinds_for(user: Any) -> list[rules.Kind]:
    """The kinds a person can be sent: families' if they are a parent, staff's if they hold a staff role."""
    roles = set(user.held_roles())
    audiences = set()
    if "parent" in roles:
        audiences.add(rules.FAMILY)
    if roles & STAFF_ROLES:
        audiences.add(rules.STAFF)
    return [k for k in rules.KINDS.values() if k.audience in audiences]


def channels_shown() -> list[str]:
    """WeChat is offered only where the deployment has an official account configured."""
    return [c for c in rules.CHANNELS if c != rules.WECHAT or settings.NOTIFY_WECHAT.get("APP_ID")]


def choices_for(user: Any, kinds: list[rules.Kind]) -> dict[str, set[str]]:
    """{kind: channels on} as the person has them now (their choices over the defaults)."""
    chosen = {
        (k, c): e
        for k, c, e in Preference.objects.filter(user=user).values_list("kind", "channel", "enabled")
    }
    return {
        kind.key: {c for c in rules.CHANNELS if chosen.get((kind.key, c), rules.default_enabled(kind, c))}
        for kind in kinds
    }


def wechat_bound(user: Any) -> bool:
    return WechatBinding.objects.filter(user=user).exists()


def inbox_navigation(user: Any, roles: set[str]) -> list[dict[str, str]]:
    """The menu's "消息" entry, with the unread count when there is one. For whoever holds a role
    (everyone who can be sent something); an account without one sees it only if a message waits."""
    n = unread_count(user)
    if not roles and not n:
        return []
    label = _("消息（%(n)s）") % {"n": n} if n else _("消息")
    return [{"label": label, "url": reverse("notifications:inbox")}]
