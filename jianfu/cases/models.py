"""Complaints from families, stored apart from who filed them (sealed identity)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    HOMEWORK = "homework", _("作业负担")
    EXAMS = "exams", _("考试与排名")
    PAID_TUTORING = "paid_tutoring", _("教师有偿补课")
    FEES = "fees", _("收费与教辅")
    SCHEDULE = "schedule", _("作息与睡眠")
    AFTER_SCHOOL = "after_school", _("课后服务")
    OFFCAMPUS = "offcampus", _("校外培训机构")
    OTHER = "other", _("其他")


# Categories that go straight to the district bureau rather than to the school.
DISTRICT_CATEGORIES = frozenset({Category.PAID_TUTORING, Category.OFFCAMPUS})


class Level(models.TextChoices):
    SCHOOL = "school", _("学校办理")
    DISTRICT = "district", _("区教育局办理")


class Status(models.TextChoices):
    NEW = "new", _("待受理")
    ACKNOWLEDGED = "acknowledged", _("已受理")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


def complaint_ref_new() -> str:
    """An opaque reference for pages and the API: random, so it carries no place in the filing order
    (the primary key would), and never all digits, so it cannot be mistaken for a primary key."""
    import secrets

    return "c" + secrets.token_hex(8)


class Complaint(models.Model):
    """What the school sees: the complaint, never who filed it. Filing time is kept to the day for
    staff views so that it cannot be matched against a parent's visit (timing), and school staff see
    a complaint only from its release, the next working morning's batch (released_at;
    docs/decisions/0032-daily-release-of-complaints.md), under its random `ref`, never its id."""

    receipt_code = models.CharField(max_length=12, unique=True)
    ref = models.CharField(max_length=20, unique=True, default=complaint_ref_new, editable=False)
    # When school staff first see it. The district sees it at once.
    released_at = models.DateTimeField(db_index=True)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="complaints")
    school_class = models.ForeignKey(
        "schools.SchoolClass", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    about_leadership = models.BooleanField(_("涉及学校领导"), default=False)
    text = models.TextField(_("内容"), max_length=2000)
    channel = models.CharField(max_length=16, default="online")
    filed_on = models.DateField()
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.SCHOOL)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    acknowledge_due = models.DateField(null=True, blank=True)
    answer_due = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    answer = models.TextField(blank=True)
    answer_public = models.BooleanField(default=False)
    answered_on = models.DateField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    reopened = models.BooleanField(default=False)
    # Triage (jianfu.cases.rules.triage): suggested on filing, confirmed or corrected by a person.
    suggested_category = models.CharField(max_length=16, blank=True)
    flag_not_burden = models.BooleanField(_("非减负类诉求"), default=False)
    flag_empty = models.BooleanField(_("无实质内容"), default=False)
    triage_confirmed = models.BooleanField(default=False)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    closed_as_abusive = models.BooleanField(_("作为恶意或无效举报关闭"), default=False)
    closed_reason = models.CharField(max_length=300, blank=True)
    closure_reviewed = models.BooleanField(_("区教育局已复核关闭"), default=False)
    # The case desk (issue 15). Who handles it now: a handler of the level that handles it, chosen by
    # that level (services.handling.complaint_assign); cleared when the complaint moves to the district.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An answer awaiting the principal's sign-off (profile setting complaint_answer_signoff). Kept
    # apart from `answer`, which is what the family reads: a draft never reaches the receipt page.
    answer_draft = models.TextField(blank=True)
    answer_draft_public = models.BooleanField(default=False)
    answer_draft_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer_draft_at = models.DateTimeField(null=True, blank=True)
    # The principal's reason for sending a draft back, shown to the handlers until the next draft.
    answer_returned_reason = models.CharField(max_length=300, blank=True)
    answer_signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Closing (办结) after the answer: a note the family reads with the closed status.
    closing_note = models.CharField(max_length=500, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        # Within a day by the random ref, never by arrival (security.md M2).
        ordering = ["-filed_on", "ref"]
        indexes = [models.Index(fields=["school", "level", "status"])]

    @property
    def awaiting_signoff(self) -> bool:
        """A draft answer is with the principal (not yet signed off, not returned)."""
        return bool(self.answer_draft) and not self.answer_returned_reason

    @property
    def closed_by_handler(self) -> bool:
        """Closed (办结) by its handlers after the answer, not as abusive nor by the family's rating."""
        return self.status == Status.CLOSED and self.closed_on is not None

    @property
    def can_be_rated(self) -> bool:
        """The family rates an answered complaint, or one its handlers closed before it was rated."""
        return self.status == Status.ANSWERED or (self.closed_by_handler and self.rating is None)


class NoteScope(models.TextChoices):
    SCHOOL = "school", _("学校")
    DISTRICT = "district", _("区教育局")


class ComplaintNote(models.Model):
    """An internal note on a complaint, for its handlers only: never on the family's receipt page,
    in the receipt API or in any answer. Append-only (a note, once written, is part of the record).
    A note written at the district stays with the district: school handlers see only the school's
    notes, so nothing the bureau learns (e.g. from the custodian) can reach the school this way."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=16, choices=NoteScope.choices)
    text = models.TextField(max_length=2000)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("complaint notes are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("complaint notes are append-only")


class SealedIdentity(models.Model):
    """Who filed a complaint. Read only by jianfu.cases.services.unsealing.complaint_unseal (custodian, with a
    reason, audited); no selector, page, export or endpoint for school staff joins this table."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="+")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    student = models.ForeignKey("schools.Student", null=True, on_delete=models.SET_NULL, related_name="+")
    # Complaints received by phone or letter: who took them down, and how to reach the complainant.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    contact = models.CharField(max_length=200, blank=True)
    # The submission's key from the form or the API: the same submission sent again (a flaky mobile
    # connection, a second tap) returns the complaint it made instead of filing another. Kept here,
    # beside who filed, so nothing school staff see carries it.
    idempotency_key = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["filed_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="sealed_identity_one_per_submission",
            )
        ]


class Unsealing(models.Model):
    """A custodian's act of reading a complainant's identity, with the reason. Bureau leadership sees
    these (issue 4)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="unsealings")
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    at = models.DateTimeField(auto_now_add=True)


class TriageCorrection(models.Model):
    """A person's correction of the suggestion, kept so the classifier can be re-fitted."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="triage_corrections")
    text = models.TextField()
    suggested_category = models.CharField(max_length=16)
    category = models.CharField(max_length=16)
    not_burden = models.BooleanField()
    empty = models.BooleanField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)


def _photo_path(instance: ComplaintPhoto, filename: str) -> str:
    import secrets

    # A random name: the upload's own name may carry a phone number, a child's name or a date.
    return f"complaints/{instance.complaint_id}/{secrets.token_hex(12)}.jpg"


class ComplaintPhoto(models.Model):
    """A photo attached to a complaint, re-encoded on upload so no EXIF (GPS, device, time) survives.
    Served only through jianfu.cases.views.photo_view to handlers of the complaint."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=_photo_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]  # photo n of a complaint is the n-th uploaded (views.photo_view)


class RefusedFiling(models.Model):
    """A filing refused for one of its photos after the photos were decoded. It counts against the
    account's daily limit like a filed complaint: decoding is the expensive part, and a refusal must
    not be a free way to repeat it (security.md M5). Kept apart from the complaints, like
    SealedIdentity: no page or export for school staff reads it."""

    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
