"""A family that missed the choosing window asks to join (补报名); the school office decides.

Accepting joins the child to the basic part at once (it has no cap) and, if the family named a
course, puts them at the end of that course's waiting list — after everyone already waiting, who
keep their places in the queue (decision 0052).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LateJoinStatus(models.TextChoices):
    PENDING = "pending", _("待学校处理")
    ACCEPTED = "accepted", _("学校已同意")
    DECLINED = "declined", _("学校未同意")


class LateJoinRequest(models.Model):
    programme = models.ForeignKey(
        "afterschool.Programme", on_delete=models.CASCADE, related_name="late_joins"
    )
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    basic_part = models.BooleanField(_("参加基础托管"), default=True)
    course = models.ForeignKey(
        "afterschool.Course", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=LateJoinStatus.choices, default=LateJoinStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("学校的答复"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "student"],
                condition=models.Q(status="pending"),
                name="late_join_one_pending",
            ),
        ]
