"""Issue 12's exam journey in a real browser: a 月考 is refused naming the rule; a final over two
days is one filing; levels are refused before the exam's last day; levels entered by pasting a
column stay hidden from the family until 教导处 releases them.

The clock is the real one: the term is built around today (Beijing) and the plans are filed
relative to today, as the other journeys do."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD, build_world
from jianfu.core.actors import SystemActor
from jianfu.exams.models import ExamPlan
from jianfu.schools.calendar.services import term_create
from tests.browser.conftest import DESKTOP, PHONE, shot, sign_in


def file_plan(page, base, *, kind, first, last=None, whole_grade=True):
    page.goto(f"{base}/exams/")
    if not page.locator("#plan-form").is_visible():
        page.click("main details summary")
    page.select_option("#grade", "5")
    page.select_option("#kind", kind)
    page.fill("#date", first.isoformat())
    if last:
        page.fill("#end_date", last.isoformat())
    page.check("input[name=subjects][value=math]")
    if not whole_grade:
        page.uncheck("input[name=whole_grade]")
    page.click("#plan-form button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_exams_journey(live_server, open_page):
    world = build_world()
    today = timezone.localdate()
    term_create(
        actor=SystemActor("test-setup"),
        school=world.school,
        school_year="journey",
        kind="autumn",
        start_date=today - timedelta(days=40),
        end_date=today + timedelta(days=40),
    )
    base = live_server.url

    office = open_page(DESKTOP)
    sign_in(office, base, "13900000004", PASSWORD)  # 教导处
    # 1. A 月考 is refused, naming the rule, and the form keeps what was typed.
    file_plan(office, base, kind="monthly", first=today + timedelta(days=3))
    alert = office.locator("#plan-error").inner_text()
    assert "不能备案" in alert and "月考" in alert and "exam_no_weekly_monthly_unit_tests" in alert
    assert office.locator("#kind").input_value() == "monthly"
    assert office.locator("input[name=subjects][value=math]").is_checked()
    assert ExamPlan.objects.count() == 0
    shot(office, "exams-1-monthly-refused")

    # 2. A final over two days (today and tomorrow) is one filing; a class quiz today is allowed.
    file_plan(office, base, kind="final", first=today, last=today + timedelta(days=1))
    file_plan(office, base, kind="quiz", first=today, whole_grade=False)
    assert ExamPlan.objects.count() == 2
    assert "本学期安排了2次期末考试" not in office.content()
    shot(office, "exams-2-plans")
    final = ExamPlan.objects.get(kind="final")
    quiz = ExamPlan.objects.get(kind="quiz")

    # 3. The math teacher's one menu entry lists both; the final is not open before its last day.
    teacher = open_page(DESKTOP)
    sign_in(teacher, base, "13900000006", PASSWORD)
    assert teacher.locator("nav >> text=录入等级").count() == 1
    teacher.click("nav >> text=录入等级")
    listing = teacher.locator("#pending").inner_text()
    assert "起可录入" in listing
    shot(teacher, "exams-3-levels-list")
    teacher.goto(f"{base}/exams/{final.pk}/results/")
    assert teacher.locator("#not-open").is_visible()
    teacher.select_option(f"select[name='level_{world.student.pk}:math']", "优秀")
    teacher.locator("main form:not(:has(input[name=paste])) button[type=submit]").first.click()
    assert "起才能录入" in teacher.locator("#results-error").inner_text()
    assert not final.results.exists()
    shot(teacher, "exams-4-levels-refused-before-the-day")

    # 4. For today's quiz the teacher pastes a column of levels.
    teacher.goto(f"{base}/exams/{quiz.pk}/results/")
    teacher.click("main details summary")
    teacher.fill(f"textarea[name='levels_{world.class_5_1.pk}:math']", "良好\n")
    teacher.click("main form:has(input[name=paste]) button[type=submit]")
    assert "已保存1条等级" in teacher.content()
    assert quiz.results.get().level == "良好"

    # 5. The parent sees nothing until 教导处 releases the levels, then sees their child's.
    parent = open_page(PHONE)
    sign_in(parent, base, "13900000007", PASSWORD)
    parent.goto(f"{base}/exams/family/")
    assert "暂无已发布的考试等级" in parent.content() and "良好" not in parent.content()
    shot(parent, "exams-5-family-before-release-phone")
    office.goto(f"{base}/exams/")
    office.click(f"#release-{quiz.pk}")
    assert "等级已发布" in office.content()
    parent.goto(f"{base}/exams/family/")
    assert "良好" in parent.locator("main").inner_text()
    shot(parent, "exams-6-family-after-release-phone")
