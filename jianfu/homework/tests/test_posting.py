"""Posting homework within the cap. Expected values from policy-defaults.md §2.1 and §2.2."""

from datetime import date

import pytest

from conftest import PERSONAS
from jianfu.core.errors import NotFound, PermissionDenied
from jianfu.homework.models import ClassDayLoad, HomeworkItem, Status
from jianfu.homework.services import (
    Draft,
    HomeworkError,
    exception_approve,
    homework_create,
    homework_withdraw,
)
from jianfu.homework.tests.conftest import at
from jianfu.policies.services import profile_override_set
from jianfu.schools.models import Subject, Teacher, TeachingAssignment

pytestmark = pytest.mark.django_db
MON = date(2026, 11, 23)  # a Monday in the autumn 2026 term


@pytest.fixture
def term(autumn_term):
    return autumn_term


def teach(world, user_key, school_class, *subjects):
    teacher, _ = Teacher.objects.get_or_create(
        school=world.school, user=world.users[user_key], defaults={"name": world.users[user_key].name}
    )
    for s in subjects:
        TeachingAssignment.objects.get_or_create(teacher=teacher, school_class=school_class, subject=s)


def post(world, user_key, school_class, subject, minutes, on=MON, **kw):
    reason = kw.pop("exception_reason", "")
    return homework_create(
        actor=world.users[user_key],
        class_ids=[school_class.pk],
        date_set=on,
        date_due=on,
        draft=Draft(subject=subject, minutes=minutes, **kw),
        description=f"{subject} 练习",
        exception_reason=reason,
        now=at(on),  # that morning: homework is set for today or later
    )


def test_grade_5_third_subject_over_60_is_refused_then_approved(world, term):
    teach(world, "head_teacher", world.class_5_1, Subject.ENGLISH)
    post(world, "head_teacher", world.class_5_1, Subject.CHINESE, 25)
    post(world, "teacher", world.class_5_1, Subject.MATH, 20)
    load = ClassDayLoad.objects.get(school_class=world.class_5_1, date=MON)
    assert (load.counted_minutes, load.cap_minutes, load.by_subject) == (45, 60, {"chinese": 25, "math": 20})
    with pytest.raises(HomeworkError) as exc:
        post(world, "head_teacher", world.class_5_1, Subject.ENGLISH, 20)
    assert exc.value.code == "daily_cap_exceeded"
    # Plain words for the teacher; the rule id only as the detail's code (issue 15, H1).
    assert "超过小学每日60分钟的上限" in exc.value.message_zh and "65" in exc.value.message_zh
    assert "hw_" not in exc.value.message_zh
    assert [d.code for d in exc.value.details] == ["hw_written_daily_avg_max_g3_6"]
    assert HomeworkItem.objects.filter(school_class=world.class_5_1).count() == 2
    # With a reason it waits for the head teacher; it does not count until approved.
    [pending] = post(world, "head_teacher", world.class_5_1, Subject.ENGLISH, 20, exception_reason="单元复习")
    assert pending.status == Status.PENDING
    assert ClassDayLoad.objects.get(school_class=world.class_5_1, date=MON).counted_minutes == 45
    # The head teacher posted it: they may not approve it; 教导处 (the profile's default) decides.
    with pytest.raises(PermissionDenied):
        exception_approve(actor=world.users["head_teacher"], item_id=pending.pk, reason="自己批准自己")
    exception = exception_approve(
        actor=world.users["academic"], item_id=pending.pk, reason="期中前复习，已与家长沟通"
    )
    assert (exception.extra_minutes, exception.approver_role) == (5, "教导处")
    load = ClassDayLoad.objects.get(school_class=world.class_5_1, date=MON)
    assert (load.counted_minutes, load.exception_minutes, load.over_cap) == (65, 5, False)


def test_the_subject_teacher_cannot_approve_exceptions(world, term):
    post(world, "teacher", world.class_5_1, Subject.MATH, 55)
    [pending] = post(world, "teacher", world.class_5_1, Subject.MATH, 10, exception_reason="x")
    with pytest.raises(PermissionDenied):
        exception_approve(actor=world.users["teacher"], item_id=pending.pk, reason="自批")
    with pytest.raises(NotFound):
        exception_approve(actor=world.users["parent"], item_id=pending.pk, reason="x")


def test_grades_1_2_written_at_home_refused_in_class_consolidation_allowed(world, term):
    from jianfu.schools.models import SchoolClass

    c11 = SchoolClass.objects.create(school=world.school, grade=world.school.grades.get(number=1), number=1)
    teach(world, "teacher", c11, Subject.MATH)
    with pytest.raises(HomeworkError) as exc:
        post(world, "teacher", c11, Subject.MATH, 10)
    assert (
        exc.value.code == "homework_rule_violation"
        and "不得布置家庭书面作业（数学，10分钟）" in exc.value.message_zh
    )
    assert [d.code for d in exc.value.details] == ["hw_written_at_home_g1_2"]
    [item] = post(world, "teacher", c11, Subject.MATH, 15, where="in_class")
    assert item.status == Status.ACTIVE
    # An exception can never lift a hard rule.
    with pytest.raises(HomeworkError):
        post(world, "teacher", c11, Subject.MATH, 10, exception_reason="家长要求")


@pytest.mark.parametrize(
    "flag", ["needs_parent_marking", "assigned_to_parent", "phone_required", "self_marking", "punitive"]
)
def test_forbidden_flags_are_refused(world, term, flag):
    with pytest.raises(HomeworkError) as exc:
        post(world, "teacher", world.class_5_1, Subject.MATH, 10, **{flag: True})
    assert exc.value.code == "homework_rule_violation"
    assert not HomeworkItem.objects.exists()


def test_local_band_of_40_minutes_for_grades_3_4(world, term):
    profile_override_set(
        actor=world.users["bureau"],
        region=world.district,
        key="settings.homework_bands",
        value=[{"grades": [3, 4], "max_minutes": 40}],
        effective_from=date(2026, 9, 1),
        reason="区文件",
    )
    teach(world, "teacher", world.class_3_1, Subject.MATH, Subject.CHINESE)
    post(world, "teacher", world.class_3_1, Subject.MATH, 25)
    post(world, "teacher", world.class_3_1, Subject.CHINESE, 15)  # 40: at the band cap
    with pytest.raises(HomeworkError) as exc:
        post(world, "teacher", world.class_3_1, Subject.CHINESE, 1)
    assert "40" in exc.value.message_zh
    assert ClassDayLoad.objects.get(school_class=world.class_3_1, date=MON).cap_minutes == 40


def test_holidays_and_makeup_workdays_follow_the_calendar(world, autumn_term):
    # 2026-10-03 is in the National Day holiday: no national number, so no cap is applied (warn only).
    post(world, "teacher", world.class_5_1, Subject.MATH, 90, on=date(2026, 10, 3))
    # 2026-10-10 (Saturday) is a make-up workday: the school-day cap of 60 applies.
    with pytest.raises(HomeworkError):
        post(world, "teacher", world.class_5_1, Subject.MATH, 61, on=date(2026, 10, 10))
    # A district value for rest days applies on weekends and holidays as a warning, never a refusal.
    profile_override_set(
        actor=world.users["bureau"],
        region=world.district,
        key="hw_weekend_holiday_total_controlled.max_minutes_per_day",
        value=60,
        effective_from=date(2026, 9, 1),
        reason="区规定",
    )
    post(world, "teacher", world.class_5_1, Subject.MATH, 90, on=date(2026, 10, 4))


def test_withdrawing_frees_the_minutes(world, term):
    [item] = post(world, "teacher", world.class_5_1, Subject.MATH, 60)
    homework_withdraw(actor=world.users["teacher"], item_id=item.pk)
    assert ClassDayLoad.objects.get(school_class=world.class_5_1, date=MON).counted_minutes == 0
    post(world, "teacher", world.class_5_1, Subject.MATH, 60)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_a_teacher_of_the_class_and_subject_may_post(world, term, persona):
    allowed = persona == "teacher"  # teaches math in 5(1); the head teacher teaches 语文, not math
    if allowed:
        post(world, persona, world.class_5_1, Subject.MATH, 10)
    else:
        with pytest.raises((NotFound, PermissionDenied)):
            post(world, persona, world.class_5_1, Subject.MATH, 10)
    with pytest.raises((NotFound, PermissionDenied)):
        post(world, persona, world.class_5_2, Subject.MATH, 10)  # nobody teaches math in 5(2)


def test_posting_to_several_classes_is_all_or_nothing(world, term):
    teach(world, "teacher", world.class_5_2, Subject.MATH)
    post(world, "teacher", world.class_5_2, Subject.MATH, 50)
    with pytest.raises(HomeworkError):
        homework_create(
            actor=world.users["teacher"],
            class_ids=[world.class_5_1.pk, world.class_5_2.pk],
            date_set=MON,
            date_due=MON,
            draft=Draft(subject=Subject.MATH, minutes=20),
            description="练习册",
        )
    assert not HomeworkItem.objects.filter(school_class=world.class_5_1).exists()
    items = homework_create(
        actor=world.users["teacher"],
        class_ids=[world.class_5_1.pk, world.class_5_2.pk],
        date_set=MON,
        date_due=MON,
        draft=Draft(subject=Subject.MATH, minutes=10),
        description="口算",
    )
    assert len({i.batch for i in items}) == 1 and items[0].batch


def test_subject_quota_warns_but_does_not_refuse(world, term):
    from jianfu.homework.services import homework_evaluate, subject_quota_set

    subject_quota_set(
        actor=world.users["head_teacher"], school_class=world.class_5_1, subject="math", minutes=20
    )
    post(world, "teacher", world.class_5_1, Subject.MATH, 15)
    result = homework_evaluate(school_class=world.class_5_1, on=MON, draft=Draft(subject="math", minutes=10))
    assert result["quota"] == {"minutes": 20, "used": 25, "over": True}
    post(world, "teacher", world.class_5_1, Subject.MATH, 10)  # still allowed: 25 ≤ 60
    with pytest.raises(PermissionDenied):
        subject_quota_set(
            actor=world.users["teacher"], school_class=world.class_5_1, subject="math", minutes=90
        )


@pytest.mark.parametrize("persona", PERSONAS)
def test_quota_page_action_per_persona(client, world, term, persona):
    from jianfu.homework.models import SubjectQuota

    client.force_login(world.users[persona])
    r = client.post(f"/homework/class/{world.class_5_1.pk}/quotas/", {"quota_math": "25"})
    saved = SubjectQuota.objects.filter(school_class=world.class_5_1, subject="math").exists()
    assert saved == (persona == "head_teacher")
    assert r.status_code == (
        302
        if persona in ("bureau", "inspector", "principal", "academic", "head_teacher", "teacher", "parent")
        else 404
    )


def test_post_page_can_post_to_sibling_classes_at_once(client, world, term):
    teach(world, "teacher", world.class_5_2, Subject.MATH)
    client.force_login(world.users["teacher"])
    page = client.get(f"/homework/post/?assignment={world.class_5_1.pk}:math")
    assert f'name="also_class" value="{world.class_5_2.pk}"' in page.content.decode()
    r = client.post(
        "/homework/post/",
        {
            "assignment": f"{world.class_5_1.pk}:math",
            "date_set": str(MON),
            "date_due": str(MON),
            "kind": "written",
            "where": "home",
            "minutes": "20",
            "tier": "required",
            "description": "练习册第36页",
            "also_class": [str(world.class_5_2.pk)],
        },
    )
    assert r.status_code == 302
    assert set(
        HomeworkItem.objects.filter(description="练习册第36页").values_list("school_class", flat=True)
    ) == {world.class_5_1.pk, world.class_5_2.pk}
