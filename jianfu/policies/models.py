"""Stored profiles: the seeded national profile and local overrides with effective dates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProfileLevel(models.TextChoices):
    NATIONAL = "national", _("国家")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区县")
    SCHOOL = "school", _("学校")


class PolicyProfile(models.Model):
    """One profile per scope: the national one (no region, no school), a region's, or a school's."""

    level = models.CharField(max_length=16, choices=ProfileLevel.choices)
    region = models.OneToOneField(
        "schools.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="policy_profile"
    )
    school = models.OneToOneField(
        "schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="policy_profile"
    )
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="profile_scope_matches_level",
                condition=(
                    models.Q(level="national", region__isnull=True, school__isnull=True)
                    | models.Q(
                        level__in=["province", "city", "district"], region__isnull=False, school__isnull=True
                    )
                    | models.Q(level="school", region__isnull=True, school__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["level"], condition=models.Q(level="national"), name="profile_one_national"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProfileValue(models.Model):
    """A parameter's value in a profile from a date on. The national profile holds every default."""

    profile = models.ForeignKey(PolicyProfile, on_delete=models.CASCADE, related_name="values")
    key = models.CharField(max_length=120)
    value = models.JSONField(null=True)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "key", "effective_from"], name="profile_value_unique_start"
            )
        ]
        indexes = [models.Index(fields=["profile", "key"])]

    def __str__(self) -> str:
        return f"{self.key}={self.value!r} from {self.effective_from}"
