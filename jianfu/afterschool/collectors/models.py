"""Another pickup person (代接人) a family names for a child, for a day or a period.

The person is not a user: the family gives a name, how they are related to the child and a mobile
number, and the gate sees the name, the relationship and the number masked (138****5678) to check
who has come. Only the masked number is stored (decision 0052: minimal data — the gate needs no
more, and a full number never reaches the database, a URL or a log).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Relationship(models.TextChoices):
    GRANDPARENT = "grandparent", _("祖父母或外祖父母")
    RELATIVE = "relative", _("其他亲属")
    CARER = "carer", _("保姆")
    FRIEND = "friend", _("朋友或邻居")
    OTHER = "other", _("其他")


class PickupPerson(models.Model):
    programme = models.ForeignKey(
        "afterschool.Programme", on_delete=models.CASCADE, related_name="pickup_persons"
    )
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    name = models.CharField(_("姓名"), max_length=20)
    relationship = models.CharField(_("与孩子的关系"), max_length=16, choices=Relationship.choices)
    phone_masked = models.CharField(max_length=11, help_text="e.g. 138****5678; the full number is not kept")
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="pickup_person_ends_after_start",
            ),
            # A repeated submission finds the same row (decision 0052).
            models.UniqueConstraint(
                fields=["student", "start_date", "end_date", "name", "phone_masked"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="pickup_person_one_active",
            ),
        ]
        indexes = [models.Index(fields=["programme", "start_date", "end_date"])]
