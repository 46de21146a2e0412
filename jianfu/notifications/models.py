"""Messages (通知): what a person is told, in their inbox, and each channel's delivery of it
(docs/decisions/0050-notifications.md).

A Message is written once per recipient and idempotency key, so the same event told twice (a retried
request, a job run again) stores nothing new. Its recipient is an account, or — for roster guardians
who never activated one — the roster row itself: such a family has no inbox, but is still texted
what concerns its child's safety. Deliveries (SMS, WeChat) are the channel copies, each sent at most
once by the background task (jianfu.notifications.tasks)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    INBOX = "inbox", _("站内消息")
    SMS = "sms", _("短信")
    WECHAT = "wechat", _("微信")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    DEFERRED = "deferred", _("延后发送")
    SKIPPED = "skipped", _("未发送")
    FAILED = "failed", _("发送失败")


class Message(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A roster guardian without an account: no inbox, channel deliveries only.
    guardian = models.ForeignKey(
        "schools.Guardian", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=40)
    safety = models.BooleanField(default=False)
    # The event's parameters (never a 学籍号 or a phone): channel texts are rendered from them when
    # sent, with the child's name masked.
    params = models.JSONField(default=dict)
    language = models.CharField(max_length=10, default="zh-hans")
    title = models.CharField(max_length=100)
    body = models.TextField(max_length=1000)
    link_url = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="message_one_recipient",
                condition=models.Q(recipient__isnull=False, guardian__isnull=True)
                | models.Q(recipient__isnull=True, guardian__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=models.Q(recipient__isnull=False),
                name="message_key_user",
            ),
            models.UniqueConstraint(
                fields=["guardian", "key"],
                condition=models.Q(guardian__isnull=False),
                name="message_key_guardian",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class Delivery(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Deferred by quiet hours: not before this time.
    not_before = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "channel"], name="delivery_one_per_channel"),
        ]
        indexes = [models.Index(fields=["status", "not_before"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.status}"


class Preference(models.Model):
    """A person's choice for one kind on one channel; without a row, the kind's default holds."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    enabled = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="preference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.channel}: {'on' if self.enabled else 'off'}"


class WechatBinding(models.Model):
    """The account's openid at the school's WeChat official account (公众号). Set when the family
    follows the account and signs in through its menu (decision 0050); settable in the admin."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    openid = models.CharField(max_length=64, unique=True)
    bound_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"wechat binding #{self.pk}"
