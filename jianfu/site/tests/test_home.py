"""The home page as each role's work list for today (issue 15, D1; decision 0051).

The clock: Thursday 2026-12-03, 15:00 Beijing (07:00 UTC), in the autumn term; the week began on
Monday 30 November. Every expected figure below is counted by hand from the fixture's rows.
"""

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_custodian, make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)  # 15:00 in Beijing
TODAY = date(2026, 12, 3)
MONDAY = date(2026, 11, 30)


def load(school_class, day, counted, cap, *, exception=0, published=False, items=1, all_kinds=None, public=0):
    from jianfu.homework.models import ClassDayLoad

    return ClassDayLoad.objects.create(
        school_class=school_class,
        school=school_class.school,
        date=day,
        counted_minutes=counted,
        total_minutes=counted,
        all_kinds_minutes=all_kinds if all_kinds is not None else counted,
        cap_minutes=cap,
        exception_minutes=exception,
        items=items,
        published_at=NOW - timedelta(hours=1) if published else None,
        public_items=[{"code": "math", "due": day.isoformat()}] * public,
    )


def item(school_class, teacher, day, minutes, *, pending=False, subject="math"):
    from jianfu.homework.models import HomeworkItem, Status

    return HomeworkItem.objects.create(
        school=school_class.school,
        school_class=school_class,
        subject=subject,
        teacher=teacher,
        date_set=day,
        date_due=day + timedelta(days=1),
        minutes=minutes,
        description="练习",
        status=Status.PENDING if pending else Status.ACTIVE,
        request_reason="单元复习" if pending else "",
    )


def complaint(school, code, *, status="new", released=None, ack_due=None, answer_due=None):
    from jianfu.cases.models import Complaint

    return Complaint.objects.create(
        receipt_code=code,
        released_at=released or NOW - timedelta(days=1),
        school=school,
        category="homework",
        text="作业太多",
        filed_on=TODAY - timedelta(days=2),
        status=status,
        acknowledge_due=ack_due,
        answer_due=answer_due,
    )


@pytest.fixture
def day(world, autumn_term):
    """The week so far at the home school (hand-counted in the tests):

    - 五年级(1)班: Tue 65/60 (over), Wed 50/60, today 70/60 (over), today published with 3 items;
    - 五年级(2)班: Wed 90/60 with a 30-minute exception (not over), today 61/60 (over);
    - the other district's class: today 100/60 (never counted at the home school);
    - the math teacher: today one item (20 min) and one waiting for an exception (30 min) in 5(1);
      the head teacher: one of their own waiting (it goes to the office, not to them);
    - three families of 5(1) reported about today (the parent's own child did not);
    - families' figures: 5(2) Tue sealed, 5 reports, median 75 over the cap 60 (counted);
      5(1) Wed sealed, 4 reports, median 80 (fewer than five: never counted);
    - complaints: one released (acknowledge by Fri 4 Dec), one not released until tomorrow (answer
      was due Tue 1 Dec), one closed; the parent filed a fourth, answered;
    - exams of grade 5 over: one with no level entered, one with a level entered, neither released.
    """
    from jianfu.cases.models import SealedIdentity, Unsealing
    from jianfu.exams.models import ExamPlan, ExamResult
    from jianfu.feedback.models import ClassDayFeedback, FamilyReport
    from jianfu.schools.models import Guardian, Student

    w = world
    load(w.class_5_1, date(2026, 12, 1), 65, 60)
    load(w.class_5_1, date(2026, 12, 2), 50, 60)
    load(w.class_5_1, TODAY, 70, 60, published=True, items=3, all_kinds=80, public=3)
    load(w.class_5_2, date(2026, 12, 2), 90, 60, exception=30)
    load(w.class_5_2, TODAY, 61, 60)
    load(w.other_class, TODAY, 100, 60)
    item(w.class_5_1, w.users["teacher"], TODAY, 20)
    item(w.class_5_1, w.users["teacher"], TODAY, 30, pending=True)
    item(w.class_5_1, w.users["head_teacher"], TODAY, 25, pending=True, subject="chinese")
    for i in range(3):
        kid = Student.objects.create(
            school=w.school,
            school_class=w.class_5_1,
            registry_id=f"L20150000000100{i}",
            name=f"同学{i}",
            gender="M",
            birth_date=date(2015, 4, 1),
        )
        parent = make_user(f"1370000100{i}", f"家长{i}")
        Guardian.objects.create(student=kid, name=parent.name, phone=parent.phone, user=parent)
        FamilyReport.objects.create(
            student=kid,
            school=w.school,
            school_class=w.class_5_1,
            date=TODAY,
            reported_by=parent,
            minutes_total=50,
            idempotency_key=f"k{i}",
        )
    sealed = NOW - timedelta(days=1)
    ClassDayFeedback.objects.create(
        school_class=w.class_5_2, school=w.school, date=date(2026, 12, 1), reports=5,
        median_minutes=75, cap_minutes=60, sealed_at=sealed,
    )  # fmt: skip
    ClassDayFeedback.objects.create(
        school_class=w.class_5_1, school=w.school, date=date(2026, 12, 2), reports=4,
        median_minutes=80, cap_minutes=60, sealed_at=sealed,
    )  # fmt: skip
    complaint(w.school, "R1", ack_due=date(2026, 12, 4), answer_due=date(2026, 12, 17))
    complaint(
        w.school, "R2", released=NOW + timedelta(days=1), answer_due=date(2026, 12, 1), status="acknowledged"
    )
    complaint(w.school, "R3", status="closed")
    mine = complaint(w.school, "R4", status="answered")
    SealedIdentity.objects.create(complaint=mine, filed_by=w.users["parent"], student=w.student)
    grade5 = w.school.grades.get(number=5)
    common = {"school": w.school, "grade": grade5, "term": autumn_term, "kind": "unit", "subjects": ["math"]}
    ExamPlan.objects.create(
        **common, date=date(2026, 11, 20), end_date=date(2026, 11, 20), filed_by=w.users["academic"]
    )
    entered = ExamPlan.objects.create(
        **common, date=date(2026, 11, 25), end_date=date(2026, 11, 25), filed_by=w.users["academic"]
    )
    ExamResult.objects.create(
        exam=entered, student=w.student, school_class=w.class_5_1, subject="math", level="A",
        entered_by=w.users["teacher"],
    )  # fmt: skip
    custodian = make_custodian(make_user("13900000010", "保管人"), w.district)
    Unsealing.objects.create(complaint=mine, custodian=custodian, reason="核实")
    w.users["custodian"] = custodian
    return w


def sections(user):
    from jianfu.site.home import home_sections

    return {s.key: s for s in home_sections(user, NOW)}


def labels(section):
    return [e.label for e in section.entries]


def entry(section, starts):
    found = [e for e in section.entries if e.label.startswith(starts)]
    assert len(found) == 1, (starts, labels(section))
    return found[0]


def test_head_teacher_sees_the_decision_first_then_the_class_day(day):
    s = sections(day.users["head_teacher"])
    # The head teacher also teaches Chinese in 5(1): a teacher's section, then the head teacher's.
    assert list(s) == ["teacher", "head_teacher"]
    ht = s["head_teacher"]
    # The math teacher's pending item (the head teacher's own goes to the office): one, first.
    assert ht.entries[0].label == "五年级(1)班：1项超上限作业待你审批" and ht.entries[0].count == 1
    load_entry = entry(ht, "五年级(1)班：本班作业量")
    # Today 70 over 60: urgent; this week Tue and today over the cap.
    assert load_entry.level == 0
    assert [x.text for x in load_entry.lines] == ["今天书面作业70分钟，上限60分钟", "本周2天超出上限"]
    assert entry(ht, "五年级(1)班：今天的作业已公示").level == 2
    # Three families reported about today (the count only: fewer than five, no figures).
    families = entry(ht, "五年级(1)班：3位家长反馈了12月3日")
    assert families.count == 3
    assert all(e.url == f"/homework/class/{day.class_5_1.pk}/" for e in ht.entries)


def test_teacher_sees_todays_classes_and_what_waits(day):
    s = sections(day.users["teacher"])
    assert list(s) == ["teacher"]
    t = s["teacher"]
    assert labels(t)[0] == "1项作业等待特批"
    classes = entry(t, "今天的班级")
    assert [x.text for x in classes.lines] == ["五年级(1)班（数学）：今天已布置2项，共50分钟"]


def test_office_sees_the_week_by_urgency(day):
    for persona in ("academic", "principal"):
        office = sections(day.users[persona])["office"]
        # The released complaint must be acknowledged by tomorrow: urgent, first. The unreleased one
        # is not the school's yet (decision 0032).
        first = office.entries[0]
        assert (first.label, first.count, first.level) == ("1件家长反映待办理", 1, 0)
        assert [x.text for x in first.lines] == ["天河区第一实验小学 · 作业负担 · 期限12月4日"]
        assert entry(office, "本周2项特批待审批").count == 2
        posted = entry(office, "本周2个班级布置的书面作业超出上限")
        assert [x.text for x in posted.lines] == [
            "五年级(1)班：2天超出，最多70/60分钟",
            "五年级(2)班：1天超出，最多61/60分钟",
        ]
        reported = entry(office, "本周1个班级家长反馈的用时超出上限")
        assert [x.text for x in reported.lines] == ["五年级(2)班"]
        assert entry(office, "考试：1场待录入等级，1场待发布").count == 2


def test_bureau_and_inspector_see_schools_needing_attention(day):
    for persona in ("bureau", "inspector"):
        bureau = sections(day.users[persona])["bureau"]
        first = bureau.entries[0]
        # Only the home school: 2 classes over, 2 open complaints (the district sees at once), one
        # past its answer deadline. The other district's class is not theirs.
        assert (first.label, first.count) == ("1所学校需要关注", 1)
        assert [x.text for x in first.lines] == [
            "天河区第一实验小学：2个班级超出作业上限，2件反映未办结（1件逾期）"
        ]
        assert first.lines[0].url == f"/homework/overview/#school-{day.school.pk}"


def test_custodian_sees_complaints_and_their_unsealings(day):
    c = sections(day.users["custodian"])["custodian"]
    assert labels(c) == ["本区2件家长反映未办结", "近30天你启封了1次身份"]
    assert c.entries[0].url == "/cases/"


def test_parent_sees_each_childs_day_what_to_report_and_answers(day):
    p = sections(day.users["parent"])["parent"]
    assert labels(p) == [
        "周小明：请反馈12月3日的实际作业用时",
        "我的反映：1件已答复，0件办理中",
        "周小明：今天的作业3项，约80分钟（书面70分钟）",
    ]


def test_a_user_with_no_role_has_no_section(day):
    assert sections(day.users["nobody"]) == {}


def test_the_office_and_head_teacher_homes_take_as_many_queries_with_many_classes(day):
    """No per-class reads: the same number of queries with 3 classes as with 23."""
    from jianfu.accounts.models import Membership, Role
    from jianfu.schools.access import forget_memberships
    from jianfu.schools.models import SchoolClass
    from jianfu.site.home import home_sections

    def count(user):
        forget_memberships(user)
        with CaptureQueriesContext(connection) as q:
            home_sections(user, NOW)
        return len(q.captured_queries)

    before = {p: count(day.users[p]) for p in ("academic", "head_teacher", "bureau")}
    grade4 = day.school.grades.get(number=4)
    for n in range(1, 21):
        c = SchoolClass.objects.create(school=day.school, grade=grade4, number=n)
        load(c, TODAY, 80, 60)
        item(c, day.users["teacher"], TODAY, 30, pending=True)
        # The head teacher heads these too: their section grows, their reads do not.
        Membership.objects.create(user=day.users["head_teacher"], role=Role.HEAD_TEACHER, school_class=c)
    after = {p: count(day.users[p]) for p in ("academic", "head_teacher", "bureau")}
    assert after == before
    assert entry(sections(day.users["academic"])["office"], "本周22个班级").count == 22


def test_home_page_for_every_signed_in_user_and_sign_in_for_anyone_else(client, day):
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        anonymous = client.get("/core/")
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
        for persona in (
            "parent",
            "teacher",
            "head_teacher",
            "academic",
            "principal",
            "bureau",
            "inspector",
            "nobody",
        ):
            client.force_login(day.users[persona])
            page = client.get("/core/")
            assert page.status_code == 200, persona
        client.force_login(day.users["head_teacher"])
        html = client.get("/core/").content.decode()
        assert "1项超上限作业待你审批" in html and 'id="work-head_teacher"' in html


def test_home_page_in_english(client, day):
    user = day.users["academic"]
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        html = client.get("/core/").content.decode()
    assert "1 complaint to handle" in html and "家长反映待办理" not in html
    assert "To do today" in html


def test_menus_lead_to_homework_complaints_and_stay_short(client, day):
    from jianfu.site.navigation import navigation_for_user

    def urls(user):
        return [i["url"] for i in navigation_for_user(user)]

    for persona in ("academic", "principal", "bureau", "inspector"):
        assert "/homework/overview/" in urls(day.users[persona]), persona
    assert "/cases/" in urls(day.users["custodian"])
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        head = [i["label"] for i in navigation_for_user(day.users["head_teacher"])]
    assert "本班作业（1项待审批）" in head
    # Every entry of every persona's menu opens (C5), and no menu is longer than 16 entries.
    for persona, user in day.users.items():
        client.force_login(user)
        entries = navigation_for_user(user)
        assert len(entries) <= 16, persona
        for e in entries:
            assert client.get(e["url"]).status_code == 200, (persona, e)


def test_the_grade_page_lists_every_class_of_the_grade(client, day):
    client.force_login(day.users["head_teacher"])
    html = client.get(f"/homework/class/{day.class_5_1.pk}/grade/?week=2026-11-30").content.decode()
    assert "五年级(1)班" in html and "五年级(2)班" in html
    # The neighbouring class is named, not linked: its week is not the head teacher's to open.
    assert f"/homework/class/{day.class_5_2.pk}/" not in html


def test_the_overview_lists_classes_over_the_cap(client, day):
    client.force_login(day.users["bureau"])
    html = client.get("/homework/overview/?week=2026-11-30").content.decode()
    assert "本周2个班级超出上限" in html and "越秀区小学" not in html
    client.force_login(day.users["teacher"])
    assert client.get("/homework/overview/").status_code == 404


def test_the_family_after_school_page_links_attendance(client, day):
    client.force_login(day.users["parent"])
    assert "/afterschool/days/family/attendance/" in client.get("/afterschool/family/").content.decode()
