"""Filing exams: a plan that breaks a hard rule of policy-defaults.md §2.3 is refused naming the
rule (issue 12, findings C1, C3, C4); only the district records an exception, with a reason."""

from __future__ import annotations

import pytest

from jianfu.accounts.models import Role, User
from jianfu.core.actors import SystemActor
from jianfu.core.errors import NotFound, PermissionDenied
from jianfu.core.models import AuditEvent
from jianfu.exams.models import ExamPlan
from jianfu.exams.services import ExamError, exam_update, exam_withdraw
from jianfu.exams.tests.conftest import days, draft, file
from jianfu.schools.access import grant

pytestmark = pytest.mark.django_db


def refused_rules(exc: pytest.ExceptionInfo) -> list[str]:
    assert exc.value.code == "exam_rule_broken"
    return sorted({d.code for d in exc.value.details})


# Each row: what the school files, and the rule that refuses it (policy-defaults.md §2.3).
REFUSED = [
    ("monthly", 5, {}, "exam_no_weekly_monthly_unit_tests", "月考"),
    ("weekly", 5, {}, "exam_no_weekly_monthly_unit_tests", "周考"),
    ("unit", 4, {}, "exam_no_weekly_monthly_unit_tests", "单元"),
    ("quiz", 5, {"whole_grade": True}, "exam_no_weekly_monthly_unit_tests", "变相考试"),
    ("final", 2, {"paper_based": True}, "exam_paper_none_g1_2", "纸笔考试"),
    ("midterm", 4, {}, "exam_midterm_per_term_max", "小学不得安排期中考试"),
    ("mock", 6, {}, "exam_mock_max_graduating", "毕业年级"),
    ("final", 5, {"organiser": "regional"}, "exam_no_regional_or_interschool", "区域性"),
]


@pytest.mark.parametrize(("kind", "grade", "extra", "rule", "words"), REFUSED)
def test_a_plan_breaking_a_hard_rule_is_refused_naming_the_rule(w, kind, grade, extra, rule, words):
    with pytest.raises(ExamError) as exc:
        file(w, grade, kind, days(w, 10), **extra)
    assert refused_rules(exc) == [rule]
    assert words in exc.value.message_zh and exc.value.message_en
    assert ExamPlan.objects.count() == 0  # refused, not "filed with findings"


def test_a_second_final_is_refused_and_a_final_over_two_days_is_one_exam(w):
    two_days = file(w, 5, "final", days(w, 20), end_date=days(w, 21), subjects=["chinese", "math", "english"])
    assert two_days.findings == [] and two_days.end_date == days(w, 21)
    with pytest.raises(ExamError) as exc:
        file(w, 5, "final", days(w, 22), subjects=["science"])
    assert refused_rules(exc) == ["exam_final_per_term_max"]
    assert "2次期末考试" in exc.value.message_zh
    assert ExamPlan.objects.count() == 1


def test_allowed_plans_are_filed_without_findings(w):
    assert file(w, 2, "final", days(w, 5), paper_based=False).findings == []
    assert file(w, 5, "quiz", days(w, 6), whole_grade=False).findings == []
    # 五四制: grade 8 is junior, where one midterm and one final are allowed; grade 9 may have mocks.
    # Filed by that school's own 教导处: the district files only to record an exception (0045).
    office = w.users["junior_office"] = User.objects.create_user(phone="13900009901", password="x-pass-1234")
    grant(office, Role.ACADEMIC_AFFAIRS, at=w.five_four_school)
    junior = {"school": w.five_four_school, "term": w.junior_term, "actor": "junior_office"}
    assert file(w, 8, "midterm", days(w, 7), subjects=["physics"], **junior).findings == []
    assert file(w, 8, "final", days(w, 30), **junior).findings == []
    assert file(w, 9, "mock", days(w, 8), **junior).findings == []  # grade 9's spring term


def test_the_district_does_not_file_an_ordinary_plan_for_a_school(w):
    # 备案 is the school's act (0009); the district files only to except a broken rule (0027, 0045).
    with pytest.raises(PermissionDenied):
        file(w, 2, "final", days(w, 5), paper_based=False, actor="bureau")
    with pytest.raises(PermissionDenied):  # a reason does not help when no rule is broken
        file(
            w,
            2,
            "final",
            days(w, 5),
            paper_based=False,
            actor="bureau",
            exception_reason="区县统一安排的期末",
        )
    assert ExamPlan.objects.count() == 0
    assert file(w, 2, "final", days(w, 5), paper_based=False).findings == []  # the school's office can


def test_only_the_district_records_an_exception_with_a_reason_and_it_is_audited(w):
    with pytest.raises(PermissionDenied):  # the school cannot except itself
        file(w, 5, "monthly", days(w, 10), exception_reason="学校自己想考一次")
    for persona in ("inspector", "head_teacher", "teacher", "parent"):
        with pytest.raises((PermissionDenied, NotFound)):
            file(w, 5, "monthly", days(w, 10), actor=persona, exception_reason="请求例外，理由充分")
    with pytest.raises(NotFound):  # another district's school principal
        file(w, 5, "monthly", days(w, 10), actor="outsider", exception_reason="请求例外，理由充分")
    with pytest.raises(ExamError) as exc:
        file(w, 5, "monthly", days(w, 10), actor="bureau")  # no reason: refused like anyone's
    assert exc.value.code == "exam_rule_broken"
    with pytest.raises(ExamError) as exc:
        file(w, 5, "monthly", days(w, 10), actor="bureau", exception_reason=" 补考 ")  # 2 characters
    assert exc.value.field == "exception_reason"
    reason = "台风停课后补测，经局务会同意"
    plan = file(w, 5, "monthly", days(w, 10), actor="bureau", exception_reason=reason)
    assert plan.exception_reason == reason and plan.exception_by == w.users["bureau"]
    assert [f["rule_id"] for f in plan.findings] == ["exam_no_weekly_monthly_unit_tests"]
    event = AuditEvent.objects.get(action="exam_exception_recorded")
    assert event.actor_id == w.users["bureau"].pk and event.data["reason"] == reason


def test_findings_attach_only_to_the_plan_that_causes_them(w):
    file(w, 5, "monthly", days(w, 10), actor="bureau", exception_reason="台风停课后补测，经局务会同意")
    final = file(w, 5, "final", days(w, 40))
    assert final.findings == []  # on main it carried the 月考's finding
    # The excepted 月考 does not make a second one acceptable: the new one is its own finding.
    with pytest.raises(ExamError):
        file(w, 5, "monthly", days(w, 11))


def test_subjects_and_grades_come_from_the_school(w):
    with pytest.raises(ExamError) as exc:
        file(w, 5, "final", days(w, 10), subjects=["math", "physics"])
    assert exc.value.field == "subjects" and "物理" in exc.value.message_zh
    with pytest.raises(ExamError) as exc:
        file(w, 8, "final", days(w, 10))  # a primary school has no grade 8
    assert exc.value.field == "grade"
    with pytest.raises(ExamError) as exc:
        file(w, 5, "final", days(w, -1))  # filed after the fact
    assert exc.value.field == "date"
    with pytest.raises(ExamError) as exc:
        file(w, 5, "final", days(w, 10), end_date=days(w, 9))
    assert exc.value.field == "end_date"
    with pytest.raises(ExamError) as exc:
        file(w, 5, "final", days(w, 10), end_date=days(w, 17))  # 8 days: not one exam
    assert exc.value.field == "end_date"
    with pytest.raises(ExamError):
        file(w, 5, "final", days(w, 89), end_date=days(w, 92))  # past the term's end
    assert ExamPlan.objects.count() == 0


def test_the_same_filing_sent_twice_is_one_plan(w):
    a = file(w, 5, "final", days(w, 10), subjects=["math", "chinese"])
    b = file(w, 5, "final", days(w, 10), subjects=["chinese", "math"])
    assert a.pk == b.pk and ExamPlan.objects.count() == 1


def test_a_plan_is_changed_and_withdrawn_before_its_first_day_audited(w):
    plan = file(w, 5, "final", days(w, 10))
    changed = exam_update(
        actor=w.users["academic"],
        plan_id=plan.pk,
        draft=draft(w, 5, "final", days(w, 12), end_date=days(w, 13), subjects=["math", "chinese"]),
    )
    assert (changed.date, changed.end_date, changed.subjects) == (
        days(w, 12),
        days(w, 13),
        ["chinese", "math"],
    )
    with pytest.raises(ExamError) as exc:  # turned into a 月考: refused, and nothing changes
        exam_update(actor=w.users["academic"], plan_id=plan.pk, draft=draft(w, 5, "monthly", days(w, 12)))
    assert exc.value.code == "exam_rule_broken"
    assert ExamPlan.objects.get(pk=plan.pk).kind == "final"
    for persona in ("teacher", "head_teacher", "parent", "outsider", "inspector"):
        with pytest.raises((PermissionDenied, NotFound)):
            exam_withdraw(actor=w.users[persona], plan_id=plan.pk)
    exam_withdraw(actor=w.users["principal"], plan_id=plan.pk)
    assert ExamPlan.objects.get(pk=plan.pk).withdrawn_at is not None
    assert {"exam_updated", "exam_withdrawn"} <= set(AuditEvent.objects.values_list("action", flat=True))
    # Withdrawn, it no longer counts: a final can be filed again.
    assert file(w, 5, "final", days(w, 20)).findings == []


def test_a_district_exception_does_not_carry_over_to_a_school_change(w):
    plan = file(w, 5, "monthly", days(w, 10), actor="bureau", exception_reason="台风停课后补测，经局务会同意")
    with pytest.raises(ExamError):
        exam_update(
            actor=w.users["academic"],
            plan_id=plan.pk,
            draft=draft(w, 5, "monthly", days(w, 11), subjects=["math", "chinese"]),
        )


def test_nothing_changes_once_the_exam_has_begun(w):
    plan = file(w, 5, "final", w.today)
    with pytest.raises(ExamError) as exc:
        exam_withdraw(actor=w.users["academic"], plan_id=plan.pk)
    assert exc.value.code == "exam_locked"
    with pytest.raises(ExamError) as exc:
        exam_update(actor=w.users["academic"], plan_id=plan.pk, draft=draft(w, 5, "final", days(w, 3)))
    assert exc.value.code == "exam_locked"


@pytest.mark.django_db(transaction=True)
def test_two_finals_sent_at_once_are_not_both_filed():
    from datetime import timedelta

    from django.utils import timezone

    from conftest import build_world, run_at_once
    from jianfu.exams.services import PlanDraft, exam_file
    from jianfu.schools.calendar.services import term_create

    world = build_world()
    today = timezone.localdate()
    term = term_create(
        actor=SystemActor("test-setup"),
        school=world.school,
        school_year="race",
        kind="autumn",
        start_date=today - timedelta(days=10),
        end_date=today + timedelta(days=60),
    )

    def final(subject):
        return lambda: exam_file(
            actor=world.users["academic"],
            school=world.school,
            draft=PlanDraft(5, term.pk, "final", [subject], today + timedelta(days=20)),
        )

    errors = run_at_once(final("math"), final("chinese"))
    assert [getattr(e, "code", e) for e in errors] == ["exam_rule_broken"]
    assert ExamPlan.objects.filter(kind="final").count() == 1
