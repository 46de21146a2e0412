"""Homework items, the class-day load kept on write, cap exceptions and publication (公示)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    WRITTEN = "written", _("书面")
    ORAL = "oral", _("口头")
    READING = "reading", _("阅读")
    PRACTICAL = "practical", _("实践")
    INQUIRY = "inquiry", _("探究")
    CROSS_SUBJECT = "cross_subject", _("跨学科")


class Where(models.TextChoices):
    HOME = "home", _("在家完成")
    IN_CLASS = "in_class", _("课堂完成")
    AFTER_SCHOOL = "after_school", _("课后服务时间完成")


class Tier(models.TextChoices):
    REQUIRED = "required", _("必做")
    BASIC = "basic", _("分层·基础")
    ADVANCED = "advanced", _("分层·提高")
    EXTENSION = "extension", _("分层·拓展")
    ELECTIVE = "elective", _("选做")


class Status(models.TextChoices):
    ACTIVE = "active", _("已布置")
    PENDING = "pending", _("待班主任特批")
    WITHDRAWN = "withdrawn", _("已撤回")


class HomeworkItem(models.Model):
    """One piece of homework for one class. Its minutes load the class on `date_set` (the evening it
    is done); see docs/decisions/0008-homework-load.md."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey("schools.SchoolClass", on_delete=models.CASCADE, related_name="homework")
    subject = models.CharField(_("学科"), max_length=16)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="homework_set"
    )
    date_set = models.DateField(_("布置日期"))
    date_due = models.DateField(_("完成日期"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.WRITTEN)
    where = models.CharField(_("完成地点"), max_length=16, choices=Where.choices, default=Where.HOME)
    minutes = models.PositiveSmallIntegerField(_("预计用时（分钟）"))
    calibrated_minutes = models.PositiveSmallIntegerField(_("校准用时（分钟）"), null=True, blank=True)
    tier = models.CharField(_("层次"), max_length=16, choices=Tier.choices, default=Tier.REQUIRED)
    description = models.TextField(_("作业内容"), max_length=1000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    batch = models.CharField(
        max_length=32, blank=True, help_text="shared by items posted to several classes at once"
    )
    exception = models.ForeignKey(
        "CapException", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    request_reason = models.CharField(_("特批申请理由"), max_length=200, blank=True)
    # The form's fresh key per showing (or the API client's): the same post sent twice is one item.
    idempotency_key = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date_set", "subject", "pk"]
        indexes = [models.Index(fields=["school_class", "date_set", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "school_class", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="homework_item_idempotent",
            )
        ]


class ClassDayLoad(models.Model):
    """The class's homework load for one day, maintained in the same transaction as every change to
    its items, so reading it never sums history (architecture.md, "How data flows")."""

    school_class = models.ForeignKey(
        "schools.SchoolClass", on_delete=models.CASCADE, related_name="day_loads"
    )
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    counted_minutes = models.PositiveSmallIntegerField(default=0)
    total_minutes = models.PositiveSmallIntegerField(default=0)
    # What a child really spends at home: every kind (written, oral, reading, practical …), tiers
    # counted as for the cap; the written part is counted_minutes (docs/decisions/0023-…).
    all_kinds_minutes = models.PositiveSmallIntegerField(default=0)
    non_written_minutes = models.PositiveSmallIntegerField(default=0)
    all_kinds_cap = models.PositiveSmallIntegerField(null=True)
    # {subject: {"written": home written minutes, "other": other home minutes, "school": done at school}}
    by_subject_kinds = models.JSONField(default=dict, blank=True)
    items = models.PositiveSmallIntegerField(default=0)
    by_subject = models.JSONField(default=dict)
    cap_minutes = models.PositiveSmallIntegerField(null=True)
    exception_minutes = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    # A post, edit, withdrawal or exception on a day already published (公示): when, and what changed,
    # shown on the public page; the head teacher re-confirms by publishing again (decision 0024).
    changed_at = models.DateTimeField(null=True, blank=True)
    changes = models.JSONField(default=list, blank=True)
    # Approved exceptions as families read them: [{"role": "教导处", "minutes": 15, "reason": "…"}].
    public_exceptions = models.JSONField(default=list, blank=True)
    # The day's active items as families see them (subject, kind, minutes, description …, no one's
    # name), rewritten with the row: the public page reads one row per day and never the items table.
    public_items = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_class", "date"], name="class_day_load_unique")]

    @property
    def needs_republish(self) -> bool:
        """Changed after it was published and not yet confirmed again by the head teacher."""
        return bool(self.published_at and self.changed_at and self.changed_at > self.published_at)

    @property
    def over_cap(self) -> bool:
        return (
            self.cap_minutes is not None and self.counted_minutes > self.cap_minutes + self.exception_minutes
        )


class CapException(models.Model):
    """An approval to exceed the class's daily cap on one day, with the reason (audited).

    Decided by someone other than the poster: the head teacher for other teachers' items, the
    profile's designated role for the head teacher's own (docs/decisions/0024-…)."""

    school_class = models.ForeignKey(
        "schools.SchoolClass", on_delete=models.CASCADE, related_name="cap_exceptions"
    )
    date = models.DateField()
    extra_minutes = models.PositiveSmallIntegerField()
    reason = models.CharField(_("理由"), max_length=200)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The approver's role as families read it on the public page ("班主任", "教导处", "校长"): no name.
    approver_role = models.CharField(max_length=16, blank=True)
    extra_all_kinds_minutes = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)


class HomeworkNotice(models.Model):
    """An in-app notice to the school's academic office (教导处) about an exception: requested,
    approved or turned down. Read on the week's exceptions page; a notification channel comes later."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(HomeworkItem, on_delete=models.CASCADE, related_name="notices")
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "read_at"])]


def new_token() -> str:
    return secrets.token_urlsafe(18)


class ClassPublication(models.Model):
    """The unguessable, revocable address of a class's public homework page (公示)."""

    school_class = models.ForeignKey(
        "schools.SchoolClass", on_delete=models.CASCADE, related_name="publications"
    )
    token = models.CharField(max_length=32, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school_class"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_publication_per_class",
            )
        ]


class SubjectQuota(models.Model):
    """A head teacher's optional daily minute quota for one subject in the class (作业统筹).

    A quota is a coordination aid: going over it warns the teacher; only the policy cap refuses."""

    school_class = models.ForeignKey(
        "schools.SchoolClass", on_delete=models.CASCADE, related_name="subject_quotas"
    )
    subject = models.CharField(max_length=16)
    minutes = models.PositiveSmallIntegerField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school_class", "subject"], name="subject_quota_unique")
        ]
