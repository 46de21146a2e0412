"""Complaints get an opaque reference and a release time (security.md M2, decision 0032).

Complaints filed before this migration were already visible to their school: released at once."""

from django.db import migrations, models
from django.utils import timezone

import jianfu.cases.models


def fill(apps, schema_editor):
    Complaint = apps.get_model("cases", "Complaint")
    now = timezone.now()
    for c in Complaint.objects.all().only("pk"):
        Complaint.objects.filter(pk=c.pk).update(ref=jianfu.cases.models.complaint_ref_new(), released_at=now)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_refused_filing")]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="ref",
            field=models.CharField(editable=False, max_length=20, null=True),
        ),
        migrations.AddField(
            model_name="complaint",
            name="released_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="complaint",
            name="ref",
            field=models.CharField(
                default=jianfu.cases.models.complaint_ref_new, editable=False, max_length=20, unique=True
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="released_at",
            field=models.DateTimeField(db_index=True),
        ),
        migrations.AlterModelOptions(name="complaint", options={"ordering": ["-filed_on", "ref"]}),
        migrations.AlterModelOptions(name="complaintphoto", options={"ordering": ["pk"]}),
    ]
