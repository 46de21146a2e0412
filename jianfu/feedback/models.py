"""Families' daily reports: how long the homework really took and when the child slept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FamilyReport(models.Model):
    """One report per child per day: the latest version, the one every summary counts. A correction
    updates this row and adds a FamilyReportVersion, so every version stays (decision 0026).

    Idempotency: the client sends a key with each submission; (student, date) is unique, so a
    flaky network that submits the same report ten times leaves one row (see services.report_submit).
    """

    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="family_reports")
    # Denormalised scope keys: aggregates and scoped reads filter on them without joins.
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey(
        "schools.SchoolClass", on_delete=models.CASCADE, related_name="family_reports"
    )
    date = models.DateField(_("作业日期"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    minutes_total = models.PositiveSmallIntegerField(_("作业用时（分钟）"))
    minutes_by_subject = models.JSONField(_("分学科用时"), default=dict, blank=True)
    finished = models.BooleanField(_("是否完成"), default=True)
    stopped_at_bedtime = models.BooleanField(
        _("到就寝时间停止"),
        default=False,
        help_text="hw_bedtime_overrides_homework: never counted against the child",
    )
    bedtime = models.TimeField(_("就寝时间"), null=True, blank=True)
    wake_time = models.TimeField(_("起床时间"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "date"], name="family_report_one_per_child_day"),
            models.CheckConstraint(
                condition=models.Q(minutes_total__lte=600), name="family_report_minutes_sane"
            ),
        ]
        indexes = [models.Index(fields=["school_class", "date"])]


class FamilyReportVersion(models.Model):
    """Every version of a family's report, as it stood after each filing or correction (decision 0026).

    Written in the same transaction as the report row; never read by the summaries, which use only
    the latest (FamilyReport). A correction keeps what it does not change, so each version is complete.
    """

    report = models.ForeignKey(FamilyReport, on_delete=models.CASCADE, related_name="versions")
    revision = models.PositiveSmallIntegerField()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    minutes_total = models.PositiveSmallIntegerField()
    minutes_by_subject = models.JSONField(default=dict, blank=True)
    finished = models.BooleanField()
    stopped_at_bedtime = models.BooleanField()
    bedtime = models.TimeField(null=True, blank=True)
    wake_time = models.TimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "revision"], name="family_report_version_unique")
        ]


class ClassDayFeedback(models.Model):
    """The class-day summary of families' reports.

    While the day's report window is open, each report only counts itself in `reports` (in the same
    transaction as the report) and the figures stay empty. Once the window has closed (noon the next
    day) the day is sealed: the figures are computed once from the reports as they then stand,
    `sealed_at` is set, and nothing changes the row again — a report that comes later is refused. So
    no one can read the figures before and after one family's report (security.md L2, decision 0035).
    Dashboards read this row; they never scan reports. Figures are shown only when sealed and
    `reports` ≥ 5 (architecture.md, privacy): fewer than five families could be told apart.
    """

    school_class = models.ForeignKey(
        "schools.SchoolClass", on_delete=models.CASCADE, related_name="feedback_days"
    )
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    reports = models.PositiveSmallIntegerField(default=0)
    median_minutes = models.FloatField(null=True)
    p90_minutes = models.FloatField(null=True)
    over_cap = models.PositiveSmallIntegerField(default=0)
    cap_minutes = models.PositiveSmallIntegerField(null=True)
    stopped_at_bedtime = models.PositiveSmallIntegerField(default=0)
    unfinished = models.PositiveSmallIntegerField(default=0)
    sleep_reports = models.PositiveSmallIntegerField(default=0)
    median_sleep_minutes = models.FloatField(null=True)
    short_sleep = models.PositiveSmallIntegerField(default=0)
    sleep_min_minutes = models.PositiveSmallIntegerField(
        null=True, help_text="the stage minimum in force that day"
    )
    updated_at = models.DateTimeField(auto_now=True)
    sealed_at = models.DateTimeField(
        null=True, blank=True, help_text="when the figures were computed, after the report window closed"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school_class", "date"], name="class_day_feedback_unique")
        ]
        # The noon job finds the class-days still to seal without reading the sealed history.
        indexes = [
            models.Index(
                fields=["date"],
                condition=models.Q(sealed_at__isnull=True),
                name="class_day_feedback_unsealed",
            )
        ]


class AlertKind(models.TextChoices):
    OVER_CAP = "over_cap", _("作业时长多日超标")
    SHORT_SLEEP = "short_sleep", _("睡眠不足")


class FeedbackAlert(models.Model):
    """An alert for the head teacher, raised from families' reports (issue 3: over the cap by reported
    time on 3 of the last 5 school days; a class median sleep under the stage minimum)."""

    school_class = models.ForeignKey(
        "schools.SchoolClass", on_delete=models.CASCADE, related_name="feedback_alerts"
    )
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=AlertKind.choices)
    date = models.DateField()
    message = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school_class", "kind", "date"], name="feedback_alert_unique")
        ]
