"""Levels: entered from the exam's last day, shown to families only after the school releases
them, entered by class and roster order or pasted as a column (issue 12, findings C1, C2, C6)."""

from __future__ import annotations

from datetime import date

import pytest

from jianfu.core.errors import NotFound, PermissionDenied
from jianfu.core.models import AuditEvent
from jianfu.exams.models import ExamPlan, ExamResult
from jianfu.exams.selectors import child_levels, plans_awaiting_levels, results_for_entry
from jianfu.exams.services import (
    ExamError,
    ResultEntry,
    exam_release,
    parse_level_column,
    results_enter,
    results_paste,
)
from jianfu.exams.tests.conftest import days, file
from jianfu.schools.models import Student, TeachingAssignment

pytestmark = pytest.mark.django_db

LABELS = [
    "优秀",
    "良好",
    "合格",
    "待合格",
]  # the profile's default labels (policy-defaults.md exam_grade_levels)


def enter(w, plan, level="良好", student=None, **kw):
    return results_enter(
        actor=w.users["teacher"],
        plan_id=plan.pk,
        entries=[ResultEntry((student or w.student).pk, "math", level, **kw)],
    )


def test_levels_are_refused_before_the_exams_last_day(w):
    # The C2 case: a final held later (here over two days, the last in 3 days) graded today.
    plan = file(w, 5, "final", days(w, 2), end_date=days(w, 3))
    with pytest.raises(ExamError) as exc:
        enter(w, plan)
    assert exc.value.code == "exam_levels_not_yet"
    assert f"{days(w, 3).month}月{days(w, 3).day}日" in exc.value.message_zh
    assert ExamResult.objects.count() == 0


def test_levels_open_on_the_last_day_and_families_see_them_only_after_release(w):
    plan = file(w, 5, "final", w.today, subjects=["math", "chinese"])
    assert enter(w, plan, "良好", comment="计算更细心些") == 1
    assert child_levels(w.users["parent"], w.student.pk) == []  # typed in, not released
    for persona in ("teacher", "head_teacher", "parent", "bureau", "inspector", "outsider"):
        with pytest.raises((PermissionDenied, NotFound)):
            exam_release(actor=w.users[persona], plan_id=plan.pk)
    exam_release(actor=w.users["academic"], plan_id=plan.pk)
    again = exam_release(actor=w.users["principal"], plan_id=plan.pk)  # a second release is the first
    assert again.released_by == w.users["academic"]
    assert child_levels(w.users["parent"], w.student.pk) == [
        {"exam": "期末考试", "date": w.today, "subject": "math", "level": "良好", "comment": "计算更细心些"}
    ]
    assert AuditEvent.objects.filter(action="exam_levels_released").count() == 1


def test_release_waits_for_the_last_day(w):
    plan = file(w, 5, "final", days(w, 1))
    with pytest.raises(ExamError) as exc:
        exam_release(actor=w.users["academic"], plan_id=plan.pk)
    assert exc.value.code == "exam_levels_not_yet"


def test_no_level_entry_for_a_withdrawn_plan_or_an_old_violating_one(w):
    plan = file(w, 5, "final", days(w, 5))
    from jianfu.exams.services import exam_withdraw

    exam_withdraw(actor=w.users["academic"], plan_id=plan.pk)
    with pytest.raises(NotFound):
        enter(w, plan)
    # A 月考 filed "with findings" before this change, still in the database.
    old = ExamPlan.objects.create(
        school=w.school,
        grade=w.class_5_1.grade,
        term=w.term,
        kind="monthly",
        subjects=["math"],
        date=w.today,
        end_date=w.today,
        findings=[{"rule_id": "exam_no_weekly_monthly_unit_tests", "severity": "violation"}],
        filed_by=w.users["academic"],
    )
    with pytest.raises(ExamError) as exc:
        enter(w, old)
    assert exc.value.code == "exam_not_enterable"
    assert plans_awaiting_levels(w.users["teacher"], w.today) == []


def test_a_district_exception_opens_level_entry(w):
    plan = file(w, 5, "monthly", w.today, actor="bureau", exception_reason="台风停课后补测，经局务会同意")
    assert enter(w, plan) == 1


def test_the_sheet_is_by_class_then_roster_order_never_by_name_or_level(w):
    # The math teacher also teaches 5-2. Roster order (import order) in 5-1: 周小明 (fixture), then
    # 王五, 阿丽; by character code 阿 < 周 < 王 would come first, which the sheet must not do.
    TeachingAssignment.objects.create(
        teacher=w.class_5_1.assignments.get(subject="math").teacher, school_class=w.class_5_2, subject="math"
    )
    for name, reg in (("王五", "L2015000000000011"), ("阿丽", "L2015000000000012")):
        Student.objects.create(
            school=w.school,
            school_class=w.class_5_1,
            registry_id=reg,
            name=name,
            gender="F",
            birth_date=date(2015, 1, 1),
        )
    plan = file(w, 5, "final", w.today)
    enter(w, plan, "待合格", student=w.student)
    sheet = results_for_entry(plan, w.users["teacher"])
    assert [(str(r["class"]), r["seq"], r["student"].name) for r in sheet] == [
        (str(w.class_5_1), 1, "周小明"),
        (str(w.class_5_1), 2, "王五"),
        (str(w.class_5_1), 3, "阿丽"),
        (str(w.class_5_2), 1, "吴小红"),
    ]


def test_the_sheet_follows_the_class_lists_xuehao_where_the_roster_gave_one(w):
    """Issue 12: "Level entry is sorted by 学号". 学号 3, 1, 2 given out of import order; a child
    without a 学号 comes after those with one, in import order."""
    for name, reg, seat in (
        ("王五", "L2015000000000011", 3),
        ("阿丽", "L2015000000000012", 1),
        ("赵六", "L2015000000000013", None),
    ):
        Student.objects.create(
            school=w.school,
            school_class=w.class_5_1,
            registry_id=reg,
            name=name,
            gender="F",
            birth_date=date(2015, 1, 1),
            seat=seat,
        )
    Student.objects.filter(pk=w.student.pk).update(seat=2)
    sheet = results_for_entry(file(w, 5, "final", w.today), w.users["teacher"])
    assert [(r["student"].seat, r["student"].name) for r in sheet] == [
        (1, "阿丽"),
        (2, "周小明"),
        (3, "王五"),
        (None, "赵六"),
    ]


def test_parse_level_column():
    names = ["甲", "乙", "丙"]
    # A column copied from Excel ends with a newline and may use CRLF; a blank line skips a student.
    assert parse_level_column("优秀\r\n\r\n 合格\t88\r\n", names, LABELS) == (["优秀", "", "合格"], [])
    assert parse_level_column("良好\n", names, LABELS) == (["良好", "", ""], [])
    _, errors = parse_level_column("优秀\n优\nA", names, LABELS)
    assert [(e.row, e.message_zh) for e in errors] == [
        (2, "第2行（乙）：“优”不是等级，应为优秀/良好/合格/待合格之一"),
        (3, "第3行（丙）：“A”不是等级，应为优秀/良好/合格/待合格之一"),
    ]
    _, errors = parse_level_column("优秀\n优秀\n优秀\n优秀", names, LABELS)
    # One catalogue message now (issue 14): the same Chinese, field and English as the former pair.
    assert [(e.row, e.field, e.message_zh, e.message_en) for e in errors] == [
        (
            None,
            "levels",
            "粘贴了4行，但名单只有3名学生，请核对顺序",
            "4 lines pasted for 3 students; check the order",
        )
    ]


def test_a_pasted_column_is_saved_in_the_sheets_order_all_or_nothing(w):
    second = Student.objects.create(
        school=w.school,
        school_class=w.class_5_1,
        registry_id="L2015000000000021",
        name="王五",
        gender="M",
        birth_date=date(2015, 1, 1),
    )
    plan = file(w, 5, "final", w.today)
    enter(w, plan, "合格", student=second, comment="进步明显")
    with pytest.raises(ExamError) as exc:
        results_paste(
            actor=w.users["teacher"],
            plan_id=plan.pk,
            class_id=w.class_5_1.pk,
            subject="math",
            text="优秀\n95",
        )
    assert exc.value.details[0].row == 2 and "王五" in exc.value.details[0].message_zh
    assert ExamResult.objects.get(student=second).level == "合格"  # nothing saved
    saved = results_paste(
        actor=w.users["teacher"],
        plan_id=plan.pk,
        class_id=w.class_5_1.pk,
        subject="math",
        text="优秀\n良好\n",
    )
    assert saved == 2
    got = {r.student.name: (r.level, r.comment) for r in ExamResult.objects.select_related("student")}
    assert got == {"周小明": ("优秀", ""), "王五": ("良好", "进步明显")}  # the comment is kept
    with pytest.raises(NotFound):  # 语文 in 5-1 is the head teacher's, not the math teacher's
        results_paste(
            actor=w.users["teacher"], plan_id=plan.pk, class_id=w.class_5_1.pk, subject="chinese", text="优秀"
        )


def test_bad_level_rows_name_the_student(w):
    plan = file(w, 5, "final", w.today)
    with pytest.raises(ExamError) as exc:
        enter(w, plan, "95分")
    assert exc.value.code == "exam_level_invalid" and "周小明" in exc.value.message_zh


def test_release_tells_each_family_once_in_its_inbox(w):
    """Issue 15, "Messages": results released → the families of children with levels (decision 0050)."""
    from jianfu.notifications.models import Message

    plan = file(w, 5, "final", w.today, subjects=["math", "chinese"])
    enter(w, plan, "良好")
    assert not Message.objects.exists()
    exam_release(actor=w.users["academic"], plan_id=plan.pk)
    exam_release(actor=w.users["principal"], plan_id=plan.pk)  # the second release tells nobody again
    [m] = Message.objects.all()
    assert (m.recipient, m.kind, m.link_url) == (w.users["parent"], "exam_released", "/exams/family/")
    # No level and no child's name in it: those stay behind the sign-in.
    assert "良好" not in m.body and w.student.name not in m.body
