"""Periodic jobs run once per slot across workers, record failures, and run the real jobs
(jianfu/core/periodic.py; the worker command, jianfu/core/management/commands/worker.py)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks import task

from conftest import run_at_once
from jianfu.core.models import PeriodicRun
from jianfu.core.periodic import Job, periodic_run_due, slot_of

SH = ZoneInfo("Asia/Shanghai")
CALLS: list[str] = []


def count_call() -> int:
    CALLS.append("counted")
    return len(CALLS)


def always_fails() -> None:
    raise RuntimeError("boom")


@task()
def remember(word: str) -> str:
    CALLS.append(word)
    return word


@pytest.fixture
def two_jobs(settings):
    CALLS.clear()
    settings.JIANFU_PERIODIC_JOBS = {
        "counts": {"call": "jianfu.core.tests.test_periodic.count_call", "daily_at": "00:10"},
        "fails": {"call": "jianfu.core.tests.test_periodic.always_fails", "daily_at": "03:00"},
    }


@pytest.mark.parametrize(
    ("now", "slot"),
    [
        # Beijing time; a daily job at 00:10.
        (datetime(2026, 12, 1, 0, 9, tzinfo=SH), datetime(2026, 11, 30, 0, 10, tzinfo=SH)),
        (datetime(2026, 12, 1, 0, 10, tzinfo=SH), datetime(2026, 12, 1, 0, 10, tzinfo=SH)),
        (datetime(2026, 12, 1, 23, 59, tzinfo=SH), datetime(2026, 12, 1, 0, 10, tzinfo=SH)),
        # 2026-11-30 16:30 UTC is already 00:30 on 1 December in Beijing.
        (datetime(2026, 11, 30, 16, 30, tzinfo=ZoneInfo("UTC")), datetime(2026, 12, 1, 0, 10, tzinfo=SH)),
    ],
)
def test_the_slot_is_the_last_scheduled_time_in_beijing(now, slot):
    assert slot_of(Job("x", count_call, time(0, 10)), now) == slot


@pytest.mark.django_db
def test_each_job_runs_once_per_slot_and_a_failure_is_recorded_without_stopping_the_others(two_jobs):
    at = datetime(2026, 12, 1, 8, 0, tzinfo=SH)
    first = periodic_run_due(now=at)
    assert sorted((r.job, r.ok, r.detail) for r in first) == [
        ("counts", True, "1"),
        ("fails", False, "RuntimeError"),
    ]
    assert periodic_run_due(now=datetime(2026, 12, 1, 23, 0, tzinfo=SH)) == []  # same slots
    assert CALLS == ["counted"]
    # The next day's slot opens at 00:10 for one job and 03:00 for the other.
    later = periodic_run_due(now=datetime(2026, 12, 2, 1, 0, tzinfo=SH))
    assert [r.job for r in later] == ["counts"] and CALLS == ["counted", "counted"]
    assert PeriodicRun.objects.filter(job="fails").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_run_a_slot_once(two_jobs):
    at = datetime(2026, 12, 1, 8, 0, tzinfo=SH)
    assert run_at_once(*[lambda: periodic_run_due(now=at)] * 4) == []
    assert CALLS == ["counted"]
    assert PeriodicRun.objects.count() == 2


@pytest.mark.django_db
def test_the_configured_jobs_escalate_an_overdue_complaint_after_midnight(world, monkeypatch):
    from django.utils import timezone

    from jianfu.cases.models import Complaint, Level
    from jianfu.cases.services import complaint_file

    complaint_file(
        actor=world.users["parent"],
        student_id=world.student.pk,
        category="homework",
        text="五年级(1)班最近每天作业都要写到十点以后",
        today=date(2026, 9, 29),
    )
    # Filed Tue 29 September, released to the school on Wed 30 September (decision 0032), to be
    # acknowledged by 9 October (two working days after the release: 8 and 9 October, the National
    # Day holiday in between): not acknowledged, so the run at 00:10 on 10 October sends it to the
    # district.
    at = datetime(2026, 10, 10, 0, 15, tzinfo=SH)
    monkeypatch.setattr(timezone, "now", lambda: at)
    runs = {r.job: r for r in periodic_run_due()}
    assert set(runs) == {
        "afterschool_uncollected_checks",
        "complaints_deadline_remind",
        "complaints_escalate",
        "feedback_days_seal",
        "login_failures_prune",
        "notifications_release",
        "roster_uploads_purge",
        "sessions_clear_expired",
        "task_results_prune",
    }
    assert all(r.ok for r in runs.values())
    assert runs["complaints_escalate"].detail == "1"
    assert Complaint.objects.get().level == Level.DISTRICT


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_queued_tasks_and_due_jobs_once(two_jobs):
    from django_tasks_db.models import DBTaskResult

    remember.enqueue("作业提醒")
    assert DBTaskResult.objects.get().status == "READY"
    call_command("worker", "--once")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert sorted(CALLS) == ["counted", "作业提醒"]
    assert PeriodicRun.objects.count() == 2
