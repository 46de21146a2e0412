"""Seed the national default profile with every parameter of the catalogue (policy-defaults.md §2, §4).

Values come from the catalogue as it stands when the migration runs (get_or_create: re-running adds
only missing keys). Resolution falls back to the catalogue for any key the database lacks, so a rule
added to the catalogue later is in force at its national default without a new migration.
"""

from datetime import date

from django.db import migrations

# 2021-07-24: publication of the 双减 opinion (中办发〔2021〕40号).
EFFECTIVE = date(2021, 7, 24)


def seed(apps, schema_editor):
    from jianfu.policies.rules.catalogue import national_defaults

    PolicyProfile = apps.get_model("policies", "PolicyProfile")
    ProfileValue = apps.get_model("policies", "ProfileValue")
    profile, _ = PolicyProfile.objects.get_or_create(level="national", defaults={"name": "国家默认配置"})
    for key, value in national_defaults().items():
        ProfileValue.objects.get_or_create(
            profile=profile,
            key=key,
            effective_from=EFFECTIVE,
            defaults={"value": value, "reason": "国家默认值（policy-defaults.md）"},
        )


def unseed(apps, schema_editor):
    apps.get_model("policies", "PolicyProfile").objects.filter(level="national").delete()


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_profiles")]
    operations = [migrations.RunPython(seed, unseed)]
