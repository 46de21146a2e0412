"""The notification service: `notify` writes each recipient's inbox message once per key and queues
its channel deliveries after commit (decision 0050). Triggers in the other apps call it after their
own write, inside their transaction: a rolled-back write tells nobody."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.core.errors import NotFound
from jianfu.notifications import rules, selectors
from jianfu.notifications.models import Delivery, DeliveryStatus, Message, Preference, WechatBinding


def _user_recipient(r: Any) -> tuple[Any, Any]:
    """(user, guardian): an account, or a roster guardian row (its account if it has one)."""
    if hasattr(r, "student_id") and hasattr(r, "phone"):  # a schools.Guardian row
        return (r.user, None) if r.user_id else (None, r)
    return r, None


def enabled_channels(user: Any, kind: rules.Kind) -> set[str]:
    """The channels this person gets this kind on: their choices, else the kind's defaults."""
    on = selectors.choices_for(user, [kind])[kind.key]
    if not kind.opt_in:
        on.add(rules.INBOX)  # every message is in the inbox
    return on


def wechat_enabled(kind_key: str) -> bool:
    conf = settings.NOTIFY_WECHAT
    return bool(conf.get("APP_ID")) and kind_key in conf.get("TEMPLATES", {})


def notify(
    recipients: Iterable[Any],
    kind: str,
    params: dict[str, Any],
    key: str,
    *,
    link_url: str = "",
    now: datetime | None = None,
) -> list[Message]:
    """Tell each recipient (accounts, or schools.Guardian rows) about one event. Returns the messages
    written now: a recipient already told under `key` gets nothing new. `params` are the catalogue
    texts' parameters — never a 学籍号 or a phone; a child's name goes under "child"."""
    spec = rules.KINDS[kind]
    now = now or timezone.now()
    quiet = None if spec.safety else rules.quiet_until(now)
    seen: set[tuple[str, int]] = set()
    written: list[Message] = []
    to_send: list[int] = []
    clean = {k: str(v) for k, v in params.items()}
    for r in recipients:
        user, guardian = _user_recipient(r)
        ident = ("u", user.pk) if user is not None else ("g", guardian.pk)
        if ident in seen:
            continue
        seen.add(ident)
        if user is not None:
            channels = enabled_channels(user, spec)
            language = user.preferred_language or settings.LANGUAGE_CODE
        else:
            # No account, so no inbox and no choices: texted only what concerns safety, in the
            # site's language.
            channels = {rules.SMS} if spec.safety else set()
            language = settings.LANGUAGE_CODE
        if not channels:
            continue
        who = {"recipient": user} if user is not None else {"guardian": guardian}
        if Message.objects.filter(key=key[:120], **who).exists():
            continue
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    **who,
                    kind=kind,
                    safety=spec.safety,
                    params=clean,
                    language=language,
                    title=rules.render(spec.title, clean, language)[:100],
                    body=rules.render(spec.body, clean, language)[:1000],
                    link_url=link_url[:300],
                    key=key[:120],
                    created_at=now,
                )
        except IntegrityError:
            continue  # written meanwhile by a concurrent call with the same key
        written.append(message)
        outside = channels - {rules.INBOX}
        # WeChat only where the deployment has a template for the kind and the person a binding.
        if rules.WECHAT in outside and not (
            user is not None and wechat_enabled(kind) and WechatBinding.objects.filter(user=user).exists()
        ):
            outside.discard(rules.WECHAT)
        if not outside:
            continue
        limited = not spec.safety and _over_rate(who, now)
        for channel in sorted(outside):
            if limited:
                Delivery.objects.create(
                    message=message, channel=channel, status=DeliveryStatus.SKIPPED, error_code="rate_limited"
                )
            elif quiet is not None:
                Delivery.objects.create(
                    message=message, channel=channel, status=DeliveryStatus.DEFERRED, not_before=quiet
                )
            else:
                to_send.append(Delivery.objects.create(message=message, channel=channel).pk)
    if to_send:
        transaction.on_commit(lambda: _enqueue(to_send))
    return written


def _over_rate(who: dict[str, Any], now: datetime) -> bool:
    """Has this person already had RATE_PER_HOUR non-safety messages go out (or wait to) on a
    channel in the last hour? The message being written is not counted: it has no delivery yet."""
    recent = (
        Delivery.objects.filter(
            message__safety=False,
            message__created_at__gt=now - timedelta(hours=1),
            **{f"message__{k}": v for k, v in who.items()},
        )
        .exclude(status=DeliveryStatus.SKIPPED)
        .values("message_id")
        .distinct()
        .count()
    )
    return recent >= rules.RATE_PER_HOUR


def _enqueue(ids: list[int]) -> None:
    from jianfu.notifications.tasks import deliveries_send

    deliveries_send.enqueue(ids)


def deferred_release(*, now: datetime | None = None) -> int:
    """The 07:00 job (settings.JIANFU_PERIODIC_JOBS): queue what quiet hours held back, and what
    failed for a passing reason and may be tried again. Returns deliveries queued."""
    now = now or timezone.now()
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.DEFERRED, not_before__lte=now).values_list(
            "pk", flat=True
        )
    )
    ids += list(
        Delivery.objects.filter(
            status=DeliveryStatus.FAILED, error_code__startswith="retry:", attempts__lt=rules.MAX_ATTEMPTS
        ).values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.QUEUED)
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return len(ids)


@transaction.atomic
def preferences_set(*, actor: Any, choices: dict[str, set[str]]) -> None:
    """Store the person's channels for each kind shown to them ({kind: {channels on}}). The inbox
    of a kind that is not opt-in cannot be turned off (every message is in the inbox)."""
    for kind_key, on in choices.items():
        spec = rules.KINDS.get(kind_key)
        if spec is None:
            continue
        for channel in rules.CHANNELS:
            if channel == rules.INBOX and not spec.opt_in:
                continue
            enabled = channel in on
            if enabled == rules.default_enabled(spec, channel):
                Preference.objects.filter(user=actor, kind=kind_key, channel=channel).delete()
            else:
                Preference.objects.update_or_create(
                    user=actor, kind=kind_key, channel=channel, defaults={"enabled": enabled}
                )


def message_mark_read(*, actor: Any, message_id: int, now: datetime | None = None) -> Message:
    """Mark one of the actor's own messages read (again: nothing changes). Anyone else's is 404."""
    message = Message.objects.filter(pk=message_id, recipient=actor).first()
    if message is None:
        raise NotFound(_("消息"))
    if message.read_at is None:
        message.read_at = now or timezone.now()
        message.save(update_fields=["read_at"])
    return message


def messages_mark_all_read(*, actor: Any, now: datetime | None = None) -> int:
    return Message.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=now or timezone.now())
