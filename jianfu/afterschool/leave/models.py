"""Leave (请假) a family reports for a child: one day or a period of the programme's term.

A leave is the family's word that the child will not come; it does not replace the attendance a
teacher takes. While it is active, the gate list and the attendance register show the child as on
leave, the gate's staffing does not count them, and a teacher cannot mark them absent by mistake
(decision 0052). Withdrawing keeps the row (withdrawn_at), so what the family said stays on record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LeaveRequest(models.Model):
    programme = models.ForeignKey(
        "afterschool.Programme", on_delete=models.CASCADE, related_name="leave_requests"
    )
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    reason = models.CharField(_("请假原因"), max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="leave_ends_after_start"
            ),
            # A repeated submission finds the same row (decision 0052: idempotent reports).
            models.UniqueConstraint(
                fields=["student", "start_date", "end_date"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="leave_one_active_per_span",
            ),
        ]
        indexes = [models.Index(fields=["programme", "start_date", "end_date"])]
