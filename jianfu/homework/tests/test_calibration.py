"""Calibration: reported ÷ estimated minutes per teacher × subject × grade, by medians."""

from datetime import date, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jianfu.feedback.services import class_days_seal, report_submit
from jianfu.feedback.tests.test_reports import family
from jianfu.homework.days.selectors import calibration_factor
from jianfu.homework.services import Draft, homework_create, homework_evaluate

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
DAYS = [date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18)]


def at(day, hour=20):
    return datetime.combine(day, time(hour, 0), tzinfo=SH)


def test_factor_from_three_days_of_five_reports(world, autumn_term):
    families = family(world, 5)
    # The afternoon after the last day: every day's report window has closed, and reports count once
    # their day is sealed (decision 0035).
    with mock.patch("django.utils.timezone.now", return_value=at(DAYS[-1] + timedelta(days=1), 13)):
        for day in DAYS:
            homework_create(
                actor=world.users["teacher"],
                class_ids=[world.class_5_1.pk],
                date_set=day,
                date_due=day,
                draft=Draft(subject="math", minutes=20),
                description="练习",
                now=at(day, 8),  # posted that morning: homework is set for today or later
            )
        assert (
            calibration_factor(
                teacher=world.users["teacher"], subject="math", grade=5, school_id=world.school.pk
            )
            is None
        )  # no reports yet
        # Day ratios: medians 30/20, 40/20, 36/20 → 1.5, 2.0, 1.8; the factor is their median, 1.8.
        per_day = {
            DAYS[0]: [25, 28, 30, 32, 60],
            DAYS[1]: [35, 38, 40, 45, 50],
            DAYS[2]: [30, 33, 36, 40, 41],
        }
        for day, minutes in per_day.items():
            for (parent, kid), m in zip(families, minutes, strict=True):
                report_submit(
                    actor=parent,
                    student_id=kid.pk,
                    report_date=day,
                    minutes_total=m + 10,
                    idempotency_key=f"{day}-{kid.pk}",
                    minutes_by_subject={"math": m},
                    now=at(day),
                )
        class_days_seal()
        factor = calibration_factor(
            teacher=world.users["teacher"], subject="math", grade=5, school_id=world.school.pk
        )
        assert factor == pytest.approx(1.8)
        result = homework_evaluate(
            school_class=world.class_5_1,
            on=date(2026, 11, 19),
            draft=Draft(subject="math", minutes=20),
            teacher=world.users["teacher"],
        )
        assert result["calibrated_minutes"] == 36
        # Another teacher's estimates are not calibrated by this teacher's reports.
        assert (
            calibration_factor(
                teacher=world.users["head_teacher"], subject="math", grade=5, school_id=world.school.pk
            )
            is None
        )


def test_family_form_sends_per_subject_minutes(client, world):
    from jianfu.feedback.models import FamilyReport

    client.force_login(world.users["parent"])
    evening = timezone.make_aware(datetime(2026, 11, 23, 20, 0))
    with mock.patch("django.utils.timezone.now", return_value=evening):
        r = client.post(
            "/homework/family/report/",
            {
                "student": world.student.pk,
                "date": "2026-11-23",
                "minutes_total": "50",
                "idempotency_key": "web-1",
                "finished": "on",
                "subject_math": "30",
                "subject_chinese": "20",
                "subject_english": "",
            },
        )
    assert r.status_code == 302
    assert FamilyReport.objects.get(student=world.student).minutes_by_subject == {"math": 30, "chinese": 20}
