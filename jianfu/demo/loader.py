"""The demo district: fictional but realistic data, the same on every run (fixed seeds).

One district (天河区, GB/T 2260 440106) with a 六三制 primary school, a junior secondary school and a
五四制 nine-year school: 60 classes, about 2,500 students with guardians, teachers with teaching
assignments, the current term's calendar, a district profile with local values, and a login for
every role. Every name, phone number and 学籍号 is generated; none belongs to a real person.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from jianfu.accounts.models import Role, TotpDevice, User
from jianfu.accounts.rules import totp
from jianfu.core.actors import DEMO_LOADER
from jianfu.schools.access import grant, holders
from jianfu.schools.models import (
    Grade,
    Guardian,
    Region,
    RegionLevel,
    School,
    SchoolClass,
    SchoolSystem,
    SchoolType,
    Student,
    Subject,
    Teacher,
    TeachingAssignment,
    stage_for_grade,
)

# The demo district is content: names of places, schools and people, homework texts and policy reasons
# stored as a Chinese district would write them, and the login table printed in both languages.
__i18n_data__ = "the demo district's stored content and its bilingual login table"

DEMO_PASSWORD = "jianfu2026"  # noqa: S105 - printed for the demo; documented in the README
DISTRICT_CODE = "440106"
SEED = 20261122


@dataclass(frozen=True)
class DemoLogin:
    role_zh: str
    role_en: str
    phone: str
    scope: str


# Fixed phones so the README can list them. 1380000xxxx numbers are generated, not real.
LOGINS: list[DemoLogin] = [
    DemoLogin("区教育局工作人员", "bureau staff", "13800000001", "天河区教育局"),
    DemoLogin("督学", "inspector", "13800000002", "天河区教育局"),
    DemoLogin("举报保管人", "complaint custodian", "13800000003", "天河区教育局"),
    DemoLogin("校长", "principal", "13800000011", "天河区示范小学"),
    DemoLogin("教导处", "academic affairs", "13800000012", "天河区示范小学"),
    DemoLogin("校长", "principal", "13800000021", "天河区育才初级中学"),
    DemoLogin("教导处", "academic affairs", "13800000022", "天河区育才初级中学"),
    DemoLogin("校长", "principal", "13800000031", "天河区五四制实验学校"),
    DemoLogin("教导处", "academic affairs", "13800000032", "天河区五四制实验学校"),
    DemoLogin("班主任", "head teacher", "13800000041", "天河区示范小学 五年级(1)班"),
    DemoLogin("科任教师（数学）", "subject teacher (math)", "13800000042", "天河区示范小学 五年级(1)班"),
    DemoLogin("家长（已激活）", "parent (activated)", "13800000051", "天河区示范小学 五年级(1)班"),
    DemoLogin(
        "家长（未激活，用短信验证码激活）",
        "parent (not yet activated: SMS code goes to the log)",
        "13800000052",
        "天河区示范小学 五年级(1)班",
    ),
]

SCHOOLS = [
    # code, name, type, system, first grade, last grade, classes per grade
    ("4401060101", "天河区示范小学", SchoolType.PRIMARY, SchoolSystem.SIX_THREE, 1, 6, 4),
    ("4401060201", "天河区育才初级中学", SchoolType.JUNIOR, SchoolSystem.SIX_THREE, 7, 9, 6),
    ("4401060301", "天河区五四制实验学校", SchoolType.NINE_YEAR, SchoolSystem.FIVE_FOUR, 1, 9, 2),
]
STUDENTS_PER_CLASS = (38, 46)

AUTUMN_START, AUTUMN_END = date(2026, 9, 1), date(2027, 1, 22)


def subjects_for(grade: int, stage: str) -> list[str]:
    """Subjects whose teachers post homework: 英语 from grade 3 (domain.md), sciences in junior."""
    subjects: list[str] = [Subject.CHINESE, Subject.MATH]
    if grade >= 3:
        subjects.append(Subject.ENGLISH)
    if stage == "junior":
        subjects += [Subject.PHYSICS] if grade >= 8 else []
        subjects += [Subject.CHEMISTRY] if grade >= 9 else []
        subjects += [Subject.HISTORY, Subject.GEOGRAPHY, Subject.BIOLOGY, Subject.MORALITY]
    else:
        subjects += [Subject.SCIENCE, Subject.MORALITY]
    return subjects


def registry_id(region6: str, born: date, seq: int, male: bool) -> str:
    """G + an 18-character citizen id with a valid GB 11643 check digit and the birth date inside."""
    order = seq * 2 + (1 if male else 0)  # the 17th digit is odd for men, even for women
    body = f"{region6}{born:%Y%m%d}{order % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return f"G{body}{check}"


def birth_date_for(grade: int, rng: random.Random) -> date:
    """A child in grade g in the 2026-27 school year was born between 1 Sept and 31 Aug, 6+g years before."""
    start = date(2026 - 6 - grade, 9, 1)
    return start + timedelta(days=rng.randrange(365))


def is_loaded() -> bool:
    return School.objects.filter(code=SCHOOLS[0][0]).exists()


# A stage of the build as it starts, with what it is about to make: `jianfu demo` words it (the texts
# live with the command, in its catalogue), so the loader stays free of UI text.
Progress = Callable[[str, Mapping[str, Any]], None]


def _quiet(stage: str, facts: Mapping[str, Any]) -> None:
    return None


@transaction.atomic
def load_demo(
    *, with_activity: bool = True, with_afterschool: bool = True, progress: Progress = _quiet
) -> dict[str, int]:
    """Create the demo district. Idempotent: does nothing if it is already there.

    `with_activity` adds the last school days' homework and families' reports, the after-school
    programme and its days (with `with_afterschool`, four fifths of the time) and an exam.
    `progress(stage, facts)` is told each stage as it starts: school (index, total, name, classes),
    families (students, guardians), calendar, homework, afterschool, exams."""
    if is_loaded():
        return {"loaded": 0}
    rng = random.Random(SEED)  # noqa: S311 - demo data must be reproducible, not secret
    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: every demo account shares it

    province, _ = Region.objects.get_or_create(
        code="440000", defaults={"name": "广东省", "level": RegionLevel.PROVINCE}
    )
    city, _ = Region.objects.get_or_create(
        code="440100", defaults={"name": "广州市", "level": RegionLevel.CITY, "parent": province}
    )
    district, _ = Region.objects.get_or_create(
        code=DISTRICT_CODE, defaults={"name": "天河区", "level": RegionLevel.DISTRICT, "parent": city}
    )

    def user(phone: str, name: str) -> User:
        return User.objects.create(phone=phone, name=name, password=password_hash)

    bureau = user("13800000001", "王建国（区教育局）")
    grant(bureau, Role.BUREAU_STAFF, at=district)
    grant(user("13800000002", "李督学"), Role.INSPECTOR, at=district)
    custodian = user("13800000003", "赵保管员")
    grant(custodian, Role.CUSTODIAN, at=district)
    # Custodians and bureau staff must sign in with two steps (the deployment's default): the demo's
    # use the published secret (README; `jianfu demo-code PHONE` prints the current code).
    for holder in (bureau, custodian):
        TotpDevice.objects.create(user=holder, secret=totp.DEMO_SECRET, confirmed_at=timezone.now())

    teacher_seq = 0
    family_seq = 0
    student_rows: list[Student] = []
    guardian_rows: list[tuple[int, list[tuple[str, str, str]]]] = []
    demo_class: SchoolClass | None = None
    used_ids: set[str] = set()
    schools: list[School] = []
    for index, (code, name, stype, system, first, last, per_grade) in enumerate(SCHOOLS, start=1):
        progress(
            "school",
            {"index": index, "total": len(SCHOOLS), "name": name, "classes": (last - first + 1) * per_grade},
        )
        school = School.objects.create(
            code=code,
            name=name,
            region=district,
            school_type=stype,
            system=system,
            first_grade=first,
            last_grade=last,
        )
        schools.append(school)
        grant(user(f"138000000{index}1", fake.name() + "（校长）"), Role.PRINCIPAL, at=school)
        grant(user(f"138000000{index}2", fake.name() + "（教导处）"), Role.ACADEMIC_AFFAIRS, at=school)
        # One teacher per subject per two classes of a grade, as schools staff them.
        for g in range(first, last + 1):
            stage = stage_for_grade(g, system)
            grade = Grade.objects.create(school=school, number=g, stage=stage)
            classes = [
                SchoolClass.objects.create(school=school, grade=grade, number=n)
                for n in range(1, per_grade + 1)
            ]
            for subject in subjects_for(g, stage):
                for pair in range(0, len(classes), 2):
                    is_demo_math = index == 1 and g == 5 and pair == 0 and subject == Subject.MATH
                    teacher_seq += 1
                    phone = "13800000042" if is_demo_math else f"1390{teacher_seq:07d}"
                    t_user = user(phone, fake.name())
                    teacher = Teacher.objects.create(school=school, user=t_user, name=t_user.name)
                    grant(t_user, Role.SUBJECT_TEACHER, at=school)
                    for c in classes[pair : pair + 2]:
                        TeachingAssignment.objects.create(teacher=teacher, school_class=c, subject=subject)
            for c in classes:
                is_demo_class = index == 1 and g == 5 and c.number == 1
                teacher_seq += 1
                phone = "13800000041" if is_demo_class else f"1390{teacher_seq:07d}"
                h_user = user(phone, fake.name())
                head = Teacher.objects.create(school=school, user=h_user, name=h_user.name)
                grant(h_user, Role.HEAD_TEACHER, at=c)
                TeachingAssignment.objects.create(teacher=head, school_class=c, subject=Subject.PRACTICE)
                c.head_teacher = head
                c.save(update_fields=["head_teacher"])
                if is_demo_class:
                    demo_class = c
                for seat in range(1, rng.randint(*STUDENTS_PER_CLASS) + 1):
                    family_seq += 1
                    male = rng.random() < 0.52
                    born = birth_date_for(g, rng)
                    if rng.random() < 0.03:  # children without a citizen id get other prefixes
                        reg = f"L{born:%Y}{family_seq:012d}"
                    else:
                        seq = family_seq % 500
                        reg = registry_id(DISTRICT_CODE, born, seq, male)
                        while reg in used_ids:  # the 3-digit order code can repeat for the same birthday
                            seq = (seq + 1) % 500
                            reg = registry_id(DISTRICT_CODE, born, seq, male)
                    used_ids.add(reg)
                    surname = fake.last_name()
                    child = surname + (fake.first_name_male() if male else fake.first_name_female())
                    student_rows.append(
                        Student(
                            school=school,
                            school_class=c,
                            registry_id=reg,
                            registry_id_verified=reg.startswith("G"),
                            name=child,
                            gender="M" if male else "F",
                            birth_date=born,
                            seat=seat,  # 学号 in the class list
                        )
                    )
                    guardians = [(surname + fake.first_name_male(), f"15{family_seq:09d}", "父亲")]
                    if rng.random() < 0.6:
                        guardians.append(
                            (fake.last_name() + fake.first_name_female(), f"18{family_seq:09d}", "母亲")
                        )
                    guardian_rows.append((len(student_rows) - 1, guardians))
    progress(
        "families", {"students": len(student_rows), "guardians": sum(len(gs) for _, gs in guardian_rows)}
    )
    Student.objects.bulk_create(student_rows, batch_size=500)
    if any(s.pk is None for s in student_rows):
        by_reg = {s.registry_id: s.pk for s in Student.objects.filter(school__region=district)}
        for s in student_rows:
            s.pk = by_reg[s.registry_id]
    Guardian.objects.bulk_create(
        [
            Guardian(student_id=student_rows[i].pk, name=n, phone=p, relation=r)
            for i, gs in guardian_rows
            for n, p, r in gs
        ],
        batch_size=1000,
    )

    # The demo parents: the first two children of 五年级(1)班 get the fixed demo phones.
    assert demo_class is not None
    first_two = list(Student.objects.filter(school_class=demo_class).order_by("pk")[:2])
    parent = user("13800000051", "周女士（家长）")
    Guardian.objects.filter(student=first_two[0], relation="母亲").delete()
    Guardian.objects.create(
        student=first_two[0], name="周女士", phone="13800000051", relation="母亲", user=parent
    )
    grant(parent, Role.PARENT, at=demo_class)
    Guardian.objects.create(student=first_two[1], name="吴先生", phone="13800000052", relation="父亲")

    progress("calendar", {})
    _calendar(bureau, district, schools)
    _profile(bureau, district)
    if with_activity:
        progress("homework", {"school": schools[0].name})
        _homework_and_reports(schools[0], demo_class, password_hash, rng)
        # After the calendar and the district profile (off-work time): the programme is checked against them.
        from jianfu.afterschool.models import Programme
        from jianfu.demo.afterschool import load_afterschool
        from jianfu.demo.afterschool_days import load_afterschool_days

        if with_afterschool:
            progress("afterschool", {"school": schools[0].name})
            made = load_afterschool(school=schools[0], bureau=bureau, password_hash=password_hash)
            load_afterschool_days(Programme.objects.get(pk=made["programme"]), days=5, late_class=demo_class)
        progress("exams", {"school": schools[0].name})
        _exams(schools[0])
        # Last in line: after the texts that are queued once this transaction commits.
        transaction.on_commit(_forget_texts_about_the_made_up_history)
    return {
        "schools": len(schools),
        "classes": SchoolClass.objects.filter(school__in=schools).count(),
        "students": len(student_rows),
        "guardians": Guardian.objects.filter(student__school__in=schools).count(),
        "teachers": Teacher.objects.filter(school__in=schools).count(),
    }


def _exams(school: School) -> None:
    """The demo school's grade-5 final, filed by 教导处 over the term's last two school days (one exam,
    two sittings), so teachers see it under 录入等级 with the day entry opens. Filing is for today or
    later: a demo loaded after that has no final."""
    from django.utils import timezone

    from jianfu.exams.services import PlanDraft, exam_file
    from jianfu.schools.models import DayType, SchoolDay

    days = list(
        SchoolDay.objects.filter(
            school=school, date__gte=timezone.localdate(), day_type=DayType.SCHOOL_DAY
        ).order_by("-date")[:2]
    )
    if len(days) < 2:
        return
    exam_file(
        actor=User.objects.get(phone="13800000012"),
        school=school,
        draft=PlanDraft(
            grade_number=5,
            term_id=days[0].term_id,
            kind="final",
            subjects=[Subject.CHINESE, Subject.MATH, Subject.ENGLISH],
            date=days[1].date,
            end_date=days[0].date,
        ),
    )


def _forget_texts_about_the_made_up_history() -> None:
    """The history above was made up a moment ago: its texts (about 750 to families and head teachers)
    would otherwise go out — to the log — when the demo's worker starts, and scroll the demo logins
    off the screen. Texts about what people do in the demo are sent as usual."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY").delete()


def _calendar(bureau: User, district: Region, schools: list[School]) -> None:
    from jianfu.schools.calendar.services import holiday_year_declare, term_create

    # chinese-calendar covers years up to 2026. The autumn term runs into 2027, so the district
    # bureau enters 2027's New Year's Day (1 January, fixed by the 全国年节及纪念日放假办法). A real
    # bureau enters the State Council's whole arrangement once it is published.
    holiday_year_declare(
        actor=bureau, region=district, year=2027, entries=[(date(2027, 1, 1), "holiday", "元旦")]
    )
    for school in schools:
        term_create(
            actor=DEMO_LOADER,
            school=school,
            school_year="2026-2027",
            kind="autumn",
            start_date=AUTUMN_START,
            end_date=AUTUMN_END,
        )


def _profile(bureau: User, district: Region) -> None:
    from jianfu.policies.services import profile_override_set

    profile_override_set(
        actor=bureau,
        region=district,
        key="settings.homework_bands",
        value=[{"grades": [3, 4], "max_minutes": 40}],
        effective_from=AUTUMN_START,
        reason="演示：区减负实施方案（三、四年级书面作业不超过40分钟）",
    )
    profile_override_set(
        actor=bureau,
        region=district,
        key="after_school_end_not_before_off_work.off_work_time",
        value="18:00",
        effective_from=AUTUMN_START,
        reason="演示：本市正常下班时间",
    )
    # Local rules of the demo district for every kind of homework at home (decision 0023): the written
    # cap plus half an hour of reading, oral or practical work, so the evening still ends by bedtime.
    for key, minutes in (
        ("settings.homework_all_kinds_daily_max_primary", 90),
        ("settings.homework_all_kinds_daily_max_junior", 120),
    ):
        profile_override_set(
            actor=bureau,
            region=district,
            key=key,
            value=minutes,
            effective_from=AUTUMN_START,
            reason="演示：区减负实施方案（各类家庭作业每日合计）",
        )


HOMEWORK_TEXT = {
    "chinese": ["课文朗读并完成课后生字练习", "阅读短文并回答三个问题", "仿写一段景物描写（100字）"],
    "math": ["练习册第{n}页", "口算练习一组（20题）", "应用题两道，写出思路"],
    "english": ["Unit {n} 单词跟读", "Unit {n} 课文朗读并抄写重点句型", "完成英语练习册一页"],
    "science": ["观察月相并记录", "整理本课实验记录"],
    "morality": ["与家人讨论“节约用水”并记录一个做法"],
}


def _homework_and_reports(
    school: School, demo_class: SchoolClass, password_hash: str, rng: random.Random
) -> None:
    """The last five school days of homework for the demo primary school, published, and evening
    reports from 30 of the demo class's families, so every page has something to show."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from jianfu.feedback.services import class_days_seal, report_submit
    from jianfu.homework.services import (
        Draft,
        HomeworkError,
        day_publish,
        homework_create,
        publication_ensure,
    )
    from jianfu.schools.models import DayType, SchoolDay

    today = timezone.localdate()
    days = list(
        SchoolDay.objects.filter(school=school, date__lte=today, day_type=DayType.SCHOOL_DAY)
        .order_by("-date")
        .values_list("date", flat=True)[:5]
    )[::-1]
    assignments = list(
        TeachingAssignment.objects.filter(school_class__school=school)
        .exclude(subject=Subject.PRACTICE)
        .select_related("teacher__user", "school_class__grade")
    )
    by_class: dict[int, list[TeachingAssignment]] = {}
    for a in assignments:
        by_class.setdefault(a.school_class_id, []).append(a)
    for day in days:
        for class_id, teaching in by_class.items():
            grade = teaching[0].school_class.grade.number
            chosen = rng.sample(teaching, k=min(len(teaching), 2 if grade <= 4 else 3))
            for a in chosen:
                where = "in_class" if grade <= 2 else "home"  # grades 1–2: no written homework at home
                texts = HOMEWORK_TEXT.get(a.subject, ["完成课后练习"])
                try:
                    homework_create(
                        actor=a.teacher.user,
                        class_ids=[class_id],
                        date_set=day,
                        date_due=day,
                        draft=Draft(
                            subject=a.subject, minutes=rng.choice([10, 15, 15, 20, 20, 25]), where=where
                        ),
                        description=rng.choice(texts).format(n=rng.randint(3, 60)),
                        # Set that morning: homework is refused for a day already past.
                        now=datetime.combine(day, time(8, 0), tzinfo=ZoneInfo("Asia/Shanghai")),
                    )
                except HomeworkError:
                    continue  # over the cap: the demo teacher, like a real one, posts less
    head = holders(Role.HEAD_TEACHER, over=demo_class).get().user
    publication_ensure(actor=head, school_class=demo_class)
    for day in days:
        day_publish(actor=head, school_class=demo_class, on=day)
    # Thirty families of the demo class have activated accounts and report each evening.
    guardians = list(
        Guardian.objects.filter(student__school_class=demo_class, relation="父亲", user__isnull=True)
        .select_related("student")
        .order_by("pk")[:30]
    )
    for g in guardians:
        g.user = User.objects.create(phone=g.phone, name=g.name, password=password_hash)
        g.save(update_fields=["user"])
        grant(g.user, Role.PARENT, at=demo_class)
    tz = ZoneInfo("Asia/Shanghai")
    for day in days:
        evening = datetime.combine(day, time(20, 30), tzinfo=tz)
        for i, g in enumerate(guardians):
            bedtime = time(21, rng.choice([0, 10, 20, 30, 40]))
            report_submit(
                actor=g.user,
                student_id=g.student_id,
                report_date=day,
                minutes_total=max(5, int(rng.gauss(55, 15))),
                idempotency_key=f"demo-{day}-{i}",
                stopped_at_bedtime=rng.random() < 0.05,
                bedtime=bedtime,
                wake_time=time(7, rng.choice([0, 10, 20])),
                now=evening,
            )
    # The days whose report window has closed are sealed, as the worker's noon job would have done:
    # their figures show at once; today's show from noon tomorrow (decision 0035).
    class_days_seal()


def demo_counts() -> dict[str, Any]:
    district = Region.objects.filter(code=DISTRICT_CODE).first()
    if district is None:
        return {}
    return {
        "classes": SchoolClass.objects.filter(school__region=district).count(),
        "students": Student.objects.filter(school__region=district).count(),
    }
