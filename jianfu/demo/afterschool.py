"""The demo primary school's autumn-2026 after-school programme ("1+N"), built through the services:
Monday to Friday, basic part 15:40–16:40, courses 16:50–17:50, extended care to 18:30; twelve
courses, some run by the district's providers (天河区少年宫, a 科普基地); about 450 families'
applications with ranked choices; a published allocation with the fixed public-draw seed.

Deterministic: one fixed random seed for the families' choices and one for the draw. Every name
is generated; none belongs to a real person.
"""

from __future__ import annotations

import random
from datetime import datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from jianfu.accounts.models import Role, User
from jianfu.afterschool.allocation.services import allocation_publish, allocation_run
from jianfu.afterschool.courses.services import CourseSpec, course_save, provider_create, provider_staff_add
from jianfu.afterschool.family.services import application_submit, hardship_verify
from jianfu.afterschool.models import ProviderKind, ServicePart
from jianfu.afterschool.programme.services import (
    SlotSpec,
    programme_close_choosing,
    programme_create,
    programme_open_choosing,
    slots_set,
    subsidy_rules_set,
)
from jianfu.schools.access import grant, holders
from jianfu.schools.models import Guardian, School, Student

# Course names, venues, providers and staff are the demo's stored content, as a school would write them.
__i18n_data__ = "the demo's after-school courses, venues and providers"

SH = ZoneInfo("Asia/Shanghai")
CHOICE_SEED = 20260824
DRAW_SEED = 20260828  # drawn in public on the day the window closed
OPENS = datetime(2026, 8, 24, 8, 0, tzinfo=SH)
CLOSES = datetime(2026, 8, 28, 12, 0, tzinfo=SH)
DURING = datetime(2026, 8, 26, 20, 30, tzinfo=SH)
AFTER = datetime(2026, 8, 28, 15, 0, tzinfo=SH)
SHARE_APPLYING = 0.45  # families who opt in (voluntary); the others do not take part this term

# name, category, runner ("teacher" or a provider key), grades, capacity, minimum, weekdays, room,
# fee per term, description, popularity (relative weight when families rank)
COURSES: list[tuple[str, str, str, tuple[int, int], int, int, list[int], str, int, str, int]] = [
    (
        "足球",
        "sport",
        "teacher",
        (3, 6),
        30,
        12,
        [1, 3],
        "足球场",
        0,
        "校足球队教练带训，重在兴趣和体能。",
        9,
    ),
    ("篮球", "sport", "teacher", (4, 6), 24, 10, [2, 4], "风雨操场", 0, "运球、传球和小场比赛。", 6),
    ("田径", "sport", "teacher", (3, 6), 30, 10, [2, 4], "田径场", 0, "跑、跳、投基础训练。", 3),
    ("合唱", "art", "teacher", (1, 6), 40, 15, [1, 3], "音乐教室", 0, "学校合唱团，参加区艺术节。", 4),
    ("舞蹈", "art", "palace", (1, 4), 25, 10, [2, 4], "形体教室", 0, "天河区少年宫舞蹈教师授课。", 7),
    (
        "书法",
        "art",
        "palace",
        (3, 6),
        30,
        10,
        [1, 3],
        "书法教室",
        0,
        "硬笔与毛笔书法，少年宫书法教师授课。",
        4,
    ),
    ("国画", "art", "teacher", (2, 6), 30, 10, [2, 4], "美术教室", 0, "水墨画入门。", 3),
    ("机器人", "science", "base", (4, 6), 20, 8, [1, 3], "科创室", 200, "科普基地工程师授课；收材料费。", 9),
    ("科学实验", "science", "base", (3, 6), 30, 10, [2, 4], "科学实验室", 0, "动手做小实验，写观察记录。", 6),
    ("绘本阅读", "reading", "teacher", (1, 2), 30, 10, [1, 3], "图书室", 0, "低年级绘本共读。", 5),
    ("围棋", "other", "teacher", (1, 6), 30, 8, [2, 4], "棋艺室", 0, "围棋入门与对弈。", 3),
    ("创意手工", "labour", "teacher", (1, 3), 30, 10, [2, 4], "劳技室", 0, "纸艺、黏土与简单木工。", 4),
]


def _office(school: School) -> User:
    return holders(Role.ACADEMIC_AFFAIRS, over=school).get().user


def _guardian_user(g: Guardian, password_hash: str) -> User:
    """The guardian's account: the existing one, or one made now (the family activated the app)."""
    if g.user_id:
        return g.user  # type: ignore[return-value]
    user = User.objects.filter(phone=g.phone).first() or User.objects.create(
        phone=g.phone, name=g.name, password=password_hash
    )
    g.user = user
    g.save(update_fields=["user"])
    grant(user, Role.PARENT, at=g.student.school_class)
    return user


def load_afterschool(*, school: School, bureau: User, password_hash: str) -> dict[str, Any]:
    """Build and publish the programme. Call inside load_demo's transaction, after the calendar and
    the district profile (off-work time 18:00) exist."""
    rng = random.Random(CHOICE_SEED)  # noqa: S311 - demo data must be reproducible, not secret
    office = _office(school)
    term = school.terms.get(kind="autumn")
    district = school.region

    palace = provider_create(
        actor=bureau, name="天河区少年宫", kind=ProviderKind.CULTURE_CENTRE, region_id=district.pk
    )
    base = provider_create(
        actor=bureau, name="天河区青少年科普教育基地", kind=ProviderKind.SCIENCE_BASE, region_id=district.pk
    )
    staff = {
        "palace": [
            provider_staff_add(
                actor=bureau, provider_id=palace.pk, name="林舒婷", qualification="舞蹈教师资格"
            ),
            provider_staff_add(
                actor=bureau, provider_id=palace.pk, name="黄志远", qualification="书法家协会会员"
            ),
        ],
        "base": [
            provider_staff_add(actor=bureau, provider_id=base.pk, name="陈一鸣", qualification="科技辅导员"),
            provider_staff_add(
                actor=bureau, provider_id=base.pk, name="周晓峰", qualification="机器人竞赛教练"
            ),
        ],
    }
    providers = {"palace": palace, "base": base}

    p = programme_create(
        actor=office,
        school_id=school.pk,
        term_id=term.pk,
        name="2026年秋季学期课后服务",
        max_choices=3,
        choice_opens_at=OPENS,
        choice_closes_at=CLOSES,
    )
    week = []
    for d in (1, 2, 3, 4, 5):
        week += [
            SlotSpec(d, ServicePart.BASIC, time(15, 40), time(16, 40)),
            SlotSpec(d, ServicePart.COURSE, time(16, 50), time(17, 50)),
            SlotSpec(d, ServicePart.EXTENDED, time(17, 50), time(18, 30)),
        ]
    slots_set(actor=office, programme_id=p.pk, slots=week)
    subsidy_rules_set(actor=office, programme_id=p.pk, percents={"hardship": 100, "disability": 100})

    teachers = list(school.teachers.order_by("pk"))
    courses = []
    for n, (name, category, runner, grades, cap, minimum, days, room, fee, text, _) in enumerate(COURSES):
        if runner == "teacher":
            who: dict[str, Any] = {"teacher_id": teachers[(n * 7) % len(teachers)].pk}
        else:
            member = {
                "舞蹈": staff["palace"][0],
                "书法": staff["palace"][1],
                "科学实验": staff["base"][0],
            }.get(name, staff["base"][1])
            who = {"provider_id": providers[runner].pk, "provider_staff_id": member.pk}
        courses.append(
            course_save(
                actor=office,
                programme_id=p.pk,
                spec=CourseSpec(
                    name=name,
                    category=category,
                    capacity=cap,
                    weekdays=days,
                    min_grade=grades[0],
                    max_grade=grades[1],
                    min_size=minimum,
                    room=room,
                    fee_per_term=Decimal(fee),
                    description=text,
                    **who,
                ),
            )
        )
    programme_open_choosing(actor=office, programme_id=p.pk, now=DURING)

    popularity = {c.pk: spec[10] for c, spec in zip(courses, COURSES, strict=True)}
    students = list(
        Student.objects.filter(school=school, is_active=True)
        .select_related("school_class__grade")
        .order_by("pk")
    )
    demo_parent_child = (
        Guardian.objects.filter(student__school=school, phone="13800000051")
        .values_list("student_id", flat=True)
        .first()
    )
    applied = hardship = 0
    for student in students:
        if student.pk != demo_parent_child and rng.random() >= SHARE_APPLYING:
            continue
        g = (
            Guardian.objects.filter(student=student)
            .select_related("user", "student")
            .order_by("-user_id", "pk")
            .first()
        )
        if g is None:
            continue
        grade = student.school_class.grade.number
        eligible = [c for c in courses if c.min_grade <= grade <= c.max_grade]
        wanted = 0 if rng.random() < 0.15 else rng.choice([1, 2, 3, 3, 3])
        ranked: list[Any] = []
        pool = list(eligible)
        while pool and len(ranked) < wanted:
            pick = rng.choices(pool, weights=[popularity[c.pk] for c in pool])[0]
            ranked.append(pick)
            pool.remove(pick)
        claims = rng.random() < 0.04
        app = application_submit(
            actor=_guardian_user(g, password_hash),
            programme_id=p.pk,
            student_id=student.pk,
            course_ids=[c.pk for c in ranked],
            both_parents_working=rng.random() < 0.6,
            hardship_claimed=claims,
            hardship_category="hardship" if claims else "",
            now=DURING,
        )
        applied += 1
        if claims and rng.random() < 0.9:
            hardship_verify(actor=office, programme_id=p.pk, application_id=app.pk, verified=True)
            hardship += 1
    programme_close_choosing(actor=office, programme_id=p.pk, now=AFTER)
    run = allocation_run(actor=office, programme_id=p.pk, seed=DRAW_SEED, now=AFTER)
    allocation_publish(actor=office, programme_id=p.pk, now=AFTER)
    return {"programme": p.pk, "courses": len(courses), "applications": applied, "placed": run.placed}
