"""Test helpers for complaints."""

from datetime import timedelta

from django.utils import timezone

from jianfu.cases.models import Complaint


def release(complaint: Complaint) -> Complaint:
    """As if the complaint's release time (08:00 on the next working day, decision 0032) had come:
    its school's staff see it from now on. For tests about what the school does with a complaint;
    the release itself is tested in test_release.py."""
    Complaint.objects.filter(pk=complaint.pk).update(released_at=timezone.now() - timedelta(seconds=1))
    complaint.refresh_from_db()
    return complaint
