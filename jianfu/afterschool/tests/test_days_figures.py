"""Figures computed from the records, checked against a hand calculation; the .xlsx exports."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from conftest import make_user
from jianfu.afterschool.attendance.services import attendance_mark, sessions_ensure
from jianfu.afterschool.figures.exports import export_district_figures, export_school_figures
from jianfu.afterschool.figures.selectors import district_figures, figures_school_for_actor
from jianfu.afterschool.models import ExternalProvider, ProviderStaff
from jianfu.afterschool.pickup.services import duty_assign
from jianfu.afterschool.tests.factories_days import (
    MON,
    TUE,
    WED,
    apply_for,
    at,
    course_in,
    kid,
    pickup_slots,
    place,
    programme_for,
    subsidy,
    teacher_of,
)
from jianfu.core.errors import NotFound
from jianfu.core.models import AuditEvent
from jianfu.schools.models import Teacher

pytestmark = pytest.mark.django_db


@pytest.fixture
def term_of_records(world, autumn_term):
    """The records of two service days (Mon 23 and Tue 24 Nov), and a Wednesday not held yet."""
    w = world
    office = w.users["principal"]
    chen, zhao = teacher_of(w, "head_teacher"), teacher_of(w, "teacher")
    sun = Teacher.objects.create(school=w.school, user=make_user("13600000011", "孙老师"), name="孙老师")
    Teacher.objects.create(school=w.school, user=make_user("13600000012", "钱老师"), name="钱老师")
    li = kid(w, w.class_5_1, "李小华", 1)
    kid(w, w.class_3_1, "钱小军", 2)  # active, takes no part
    p = programme_for(w, autumn_term)
    provider = ExternalProvider.objects.create(name="区少年宫", kind="culture_centre", school=w.school)
    coach = ProviderStaff.objects.create(provider=provider, name="王教练")
    coding = course_in(p, "趣味编程", teacher=zhao, weekdays=(1, 3), fee="300")
    choir = course_in(p, "合唱团", provider_staff=coach, weekdays=(2,), fee="200")
    subsidy(p, 50)
    place(coding, w.student, basic=True)  # 周小明: coding + basic part
    apply_for(p, w.student, basic=True, hardship="hardship", verified=None)  # claimed, not verified
    place(coding, w.other_student)
    place(choir, w.other_student)
    apply_for(p, w.other_student, basic=False, hardship="hardship", verified=True)  # 吴小红: verified
    apply_for(p, li, basic=True)  # 李小华: basic part only

    def mark(on, title, marks, hh=17):
        session = next(
            s
            for s in sessions_ensure(actor=None, programme=p, on=on)
            if (s.course.name if s.course else "basic") == title
        )
        for student, status in marks:
            attendance_mark(
                actor=office, session_id=session.pk, student_id=student.pk, status=status, now=at(on, hh)
            )

    mark(MON, "趣味编程", [(w.student, "present"), (w.other_student, "late")])
    mark(MON, "basic", [(w.student, "present"), (li, "absent")])
    mark(TUE, "basic", [(w.student, "leave"), (li, "present")])
    mark(TUE, "合唱团", [(w.other_student, "present")])
    sessions_ensure(actor=None, programme=p, on=WED)  # created, not held: not counted
    slots = pickup_slots(p)
    for on, slot, teacher in (
        (MON, "18:00", sun),
        (MON, "18:30", sun),
        (TUE, "18:30", zhao),
        (WED, "18:30", chen),
    ):
        duty_assign(actor=office, programme_id=p.pk, slot_id=slots[slot].pk, on=on, teacher_id=teacher.pk)
    return p


def test_school_figures_by_hand(world, term_of_records):
    f = figures_school_for_actor(world.users["academic"], world.school.pk, None, as_of=TUE)
    # Taking part: 周小明 (coding, basic), 吴小红 (coding, choir), 李小华 (basic) = 3; active: those 3 + 钱小军 = 4.
    assert (f.students_taking_part, f.active_students, f.student_rate) == (3, 4, 0.75)
    # Teachers: 陈 (basic Mon+Tue), 赵 (coding Mon, duty Tue), 孙 (duties Mon) = 3 of 陈 赵 孙 钱 = 4.
    # 陈's Wednesday duty is after the reference date (Tue): not counted.
    assert (f.teachers_taking_part, f.teachers, f.teacher_rate) == (3, 4, 0.75)
    assert f.service_days == 2  # Mon and Tue held; Wed only created
    # Marks: present 4 (周 coding, 周 basic Mon, 李 basic Tue, 吴 choir), late 1, absent 1, leave 1 = 7; came 5.
    assert (f.marks_total, f.came) == (7, 5)
    assert f.attendance_rate == pytest.approx(5 / 7)
    hours = {h.name: (h.sessions, h.session_minutes, h.duties, h.duty_minutes, h.hours) for h in f.hours}
    assert hours == {
        "陈老师": (2, 120, 0, 0, 2.0),  # basic 15:40–16:40 twice = 60 + 60
        "赵老师": (1, 40, 1, 30, 1.17),  # coding 16:50–17:30 = 40; Tue 18:30 duty from 18:00 = 30 → 70 min
        "孙老师": (0, 0, 2, 60, 1.0),  # Mon 18:00 duty 17:30–18:00 + 18:30 duty 18:00–18:30
    }
    assert f.teacher_minutes == 250  # 120 + 70 + 60; the choir's coach is paid through the fee
    # Fees: coding 300 × 2 = 600, choir 200 × 1 = 200 → 800. Subsidy 50% for 吴小红 only (verified):
    # 150 + 100 = 250. 周小明's claim is not verified: nothing. Net 800 − 250 = 550.
    assert (f.fees_due, f.subsidies, f.net) == (Decimal("800"), Decimal("250.00"), Decimal("550.00"))
    assert f.subsidised_children == 1
    assert {c.name: (c.placed, c.fees_due, c.subsidies) for c in f.courses} == {
        "趣味编程": (2, Decimal("600"), Decimal("150.00")),
        "合唱团": (1, Decimal("200"), Decimal("100.00")),
    }


def test_district_figures_are_per_school_plus_totals(world, term_of_records):
    d = district_figures(world.users["bureau"], school_year=None, kind=None, as_of=TUE)
    assert [r.school.name for r in d.rows] == ["天河区第一实验小学", "天河区五四制学校"]
    home, nine_year = d.rows
    assert (home.students_taking_part, home.active_students, home.teacher_minutes) == (3, 4, 250)
    assert home.hours == []  # no teacher named at district level
    assert (nine_year.students_taking_part, nine_year.active_students) == (0, 0)
    # Totals: 3 of 4 students, 3 of 4 teachers, 250 minutes, 800 / 250 / 550 yuan.
    t = d.total
    assert (t.students_taking_part, t.active_students, t.teachers_taking_part, t.teachers) == (3, 4, 3, 4)
    assert (t.fees_due, t.subsidies, t.net) == (Decimal("800"), Decimal("250.00"), Decimal("550.00"))
    assert t.attendance_rate == pytest.approx(5 / 7)


@pytest.mark.parametrize(
    "persona",
    [
        "principal",
        "academic",
        "bureau",
        "inspector",
        "head_teacher",
        "teacher",
        "parent",
        "outsider",
        "nobody",
    ],
)
def test_who_sees_which_figures(world, term_of_records, persona):
    user = world.users[persona]
    school_ok = persona in ("principal", "academic")
    district_ok = persona in ("bureau", "inspector")
    if school_ok:
        assert figures_school_for_actor(user, world.school.pk, None, as_of=TUE).students_taking_part == 3
    else:
        with pytest.raises(NotFound):
            figures_school_for_actor(user, world.school.pk, None, as_of=TUE)
    if district_ok:
        assert district_figures(user, school_year=None, kind=None, as_of=TUE).total.students_taking_part == 3
    else:
        with pytest.raises(NotFound):
            district_figures(user, school_year=None, kind=None, as_of=TUE)


def cells(data):
    wb = load_workbook(io.BytesIO(data))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_school_export_has_numbers_and_names_teachers(world, term_of_records):
    name, data = export_school_figures(
        actor=world.users["academic"], school_id=world.school.pk, term_id=None, as_of=TUE
    )
    assert name.endswith(".xlsx")
    sheets = cells(data)
    assert list(sheets) == ["概况", "教师课时", "课程收费"]
    summary = {r[0]: r[1] for r in sheets["概况"][2:]}
    assert summary["参加课后服务学生数"] == 3 and summary["学生参与率"] == 0.75
    assert summary["应收费用（元）"] == 800 and summary["实收（元）"] == 550
    hours = {r[0]: r[1:] for r in sheets["教师课时"][1:]}
    assert sheets["教师课时"][0][0] == "教师"
    assert hours["陈老师"] == [2, 120, 0, 0, 120, 2.0]
    # 赵老师: coding Mon 16:50–17:30 = 40 min; Tue 18:30 duty from 18:00 = 30 min; 40 + 30 = 70 min
    # = 70 / 60 h ≈ 1.17 h (shown to two decimals).
    assert hours["赵老师"] == [1, 40, 1, 30, 70, pytest.approx(70 / 60, abs=0.005)]
    # 孙老师: Mon 18:00 duty (17:30–18:00) + Mon 18:30 duty (18:00–18:30) = 60 min = 1 h.
    assert hours["孙老师"] == [0, 0, 2, 60, 60, 1.0]
    text = repr(sheets)
    for secret in ("周小明", "吴小红", world.student.registry_id, "困难"):
        assert secret not in text
    assert AuditEvent.objects.filter(action="afterschool_figures_exported", data__scope="school").count() == 1


def test_district_export_has_no_child_or_teacher_data(world, term_of_records):
    _, data = export_district_figures(actor=world.users["inspector"], school_year=None, kind=None, as_of=TUE)
    sheet = cells(data)["各校汇总"]
    assert sheet[0][:4] == ["学校", "参加学生数", "在校学生数", "学生参与率"]
    assert sheet[-1][0] == "合计" and sheet[-1][1:4] == [3, 4, 0.75]
    text = repr(sheet)
    for secret in ("周小明", "吴小红", "李小华", "陈老师", "赵老师", "孙老师", world.student.registry_id):
        assert secret not in text
    assert (
        AuditEvent.objects.filter(action="afterschool_figures_exported", data__scope="district").count() == 1
    )
    with pytest.raises(NotFound):
        export_district_figures(actor=world.users["principal"], school_year=None, kind=None, as_of=TUE)
