"""Sending a message's channel deliveries: run by the background task (jianfu.notifications.tasks).

Retry-safe: a delivery is claimed by moving it from queued (or due deferred) to "sending" in one
conditional update, so a task run twice, or two workers, send it once. A delivery left "sending" by
a worker that died mid-send is not sent again: a family may miss one text, but never gets two
(decision 0050)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from jianfu.accounts.tasks import get_sms_backend
from jianfu.core.masking import mask_phone
from jianfu.notifications import rules
from jianfu.notifications.errors import ChannelError
from jianfu.notifications.models import Delivery, DeliveryStatus, WechatBinding
from jianfu.notifications.services.wechat import WechatClient, template_data

logger = logging.getLogger("jianfu.notifications")


def deliveries_send_now(ids: list[int], *, now: datetime | None = None) -> int:
    """Send what is due among these deliveries; returns how many went out."""
    now = now or timezone.now()
    sent = 0
    for delivery in Delivery.objects.filter(pk__in=ids).select_related(
        "message", "message__recipient", "message__guardian"
    ):
        if delivery.status not in (DeliveryStatus.QUEUED, DeliveryStatus.DEFERRED):
            continue  # sent, being sent, skipped or failed: never twice
        if delivery.status == DeliveryStatus.DEFERRED and delivery.not_before and delivery.not_before > now:
            continue
        # Quiet hours are judged again when sending: a task that waited in the queue past 21:00
        # holds its non-safety messages until the morning.
        quiet = None if delivery.message.safety else rules.quiet_until(now)
        if quiet is not None:
            Delivery.objects.filter(pk=delivery.pk, status=delivery.status).update(
                status=DeliveryStatus.DEFERRED, not_before=quiet
            )
            continue
        claimed = Delivery.objects.filter(pk=delivery.pk, status=delivery.status).update(
            status=DeliveryStatus.SENDING, attempts=F("attempts") + 1
        )
        if not claimed:
            continue
        try:
            _send(delivery)
        except ChannelError as exc:
            code = ("retry:" if exc.retryable else "") + exc.code
            Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, error_code=code[:40])
            logger.warning("notification %s on %s failed: %s", delivery.message_id, delivery.channel, code)
            continue
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
        sent += 1
    return sent


def _send(delivery: Delivery) -> None:
    message = delivery.message
    spec = rules.KINDS[message.kind]
    if delivery.channel == rules.SMS:
        phone = message.recipient.phone if message.recipient else message.guardian.phone  # type: ignore[union-attr]
        text = rules.render(spec.sms, message.params, message.language, masked=True)
        get_sms_backend().send(phone=phone, text=text)
        logger.info("notification %s sent by SMS to %s", message.pk, mask_phone(phone))
    elif delivery.channel == rules.WECHAT:
        conf = settings.NOTIFY_WECHAT
        template = conf.get("TEMPLATES", {}).get(message.kind)
        binding = (
            WechatBinding.objects.filter(user_id=message.recipient_id).first()
            if message.recipient_id
            else None
        )
        if not conf.get("APP_ID") or template is None or binding is None:
            raise ChannelError("wechat_not_configured")
        parts = {
            "title": rules.render(spec.title, message.params, message.language, masked=True),
            "body": rules.render(spec.body, message.params, message.language, masked=True),
            "time": date_format(timezone.localtime(message.created_at), "Y-m-d H:i"),
        }
        WechatClient.from_settings().send_template(
            openid=binding.openid,
            template_id=str(template["template_id"]),
            data=template_data(template.get("fields", {}), parts),
            url=(conf.get("SITE_URL", "") + message.link_url) if message.link_url else "",
        )
    else:
        raise ChannelError(f"unknown_channel_{delivery.channel}")
