"""Project-wide test fixtures: a small district with one person for every role (a persona cast).

The cast, after healthchecks' hc/test.py: each persona has full, partial or no access to the
"home" school so permission tests can be written per role.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from jianfu.core.actors import SystemActor

# Browser tests drive a live server from a thread; Django refuses sync ORM calls from an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "jianfu-test-pw"  # noqa: S105


# The longest tests (each builds a whole demo district, or walks the permission matrix) start first,
# one per worker. CI runs `pytest -n 2 --dist worksteal`: each worker is handed one half of this list
# in order and an idle one takes tests off the end of the other's queue. So the long tests are dealt
# alternately to the head of each half: they run side by side from the start, and the short ones
# fill in around them (with the default scheduling they all went to one worker and the other sat idle
# at the end: `pytest --durations=30`; CI's time is in docs/performance.md).
LONG_FIRST = (  # longest first (durations on a busy two-core machine, stop 13)
    "tests/test_demo_build.py::test_demo_activity",  # 225 s
    "tests/test_cli.py::test_demo_no_serve",  # 129 s
    "tests/permissions/test_permission_matrix.py::test_permission_matrix",  # 96 s
    "tests/test_cli.py::test_after_the_demo",  # 44 s
    "tests/test_cli.py::test_serve_answers",  # 28 s
    "jianfu/afterschool/tests/test_demo_afterschool.py::test_the_demo_programme_is_deterministic",  # 27 s
    "tests/test_cli.py::test_serve_and_demo",  # 26 s
    "tests/test_cli.py::test_a_database_behind",  # 23 s
    "jianfu/afterschool/tests/test_allocation_properties.py::",  # 22 s
    "tests/test_cli.py::test_worker_once",  # 20 s
    "tests/test_demo_build.py::",  # 15 s
    "jianfu/afterschool/tests/test_demo_afterschool.py::",  # 11 s each
    "jianfu/afterschool/tests/test_days_demo.py::",
)


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    def rank(item: Any) -> int:
        for n, prefix in enumerate(LONG_FIRST):
            if item.nodeid.startswith(prefix):
                return n
        return len(LONG_FIRST)

    long = sorted((i for i in items if rank(i) < len(LONG_FIRST)), key=rank)
    rest = [i for i in items if rank(i) == len(LONG_FIRST)]  # in their own order
    first, second = long[0::2], long[1::2]
    k = max(0, len(items) // 2 - len(first))
    items[:] = first + rest[:k] + second + rest[k:]


@pytest.fixture(autouse=True)
def _fast_and_offline(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SMS_BACKEND = "jianfu.accounts.tasks.MemorySmsBackend"
    # The deployment's default obliges custodians and bureau staff to sign in with two steps. Tests
    # sign personas in with force_login (no second step), so the obligation is off here and switched
    # on by the tests about it (jianfu/accounts/tests/test_two_step*.py); unsealing and the bureau's
    # reset need a passed session and a fresh code whatever this says (two_step_passed below).
    settings.JIANFU_TWO_STEP_REQUIRED_ROLES = []
    from jianfu.accounts.tasks import MemorySmsBackend

    MemorySmsBackend.outbox.clear()
    from django.core.cache import cache

    from jianfu.policies.selectors import profile_memo_clear

    cache.clear()
    profile_memo_clear()


@dataclass
class World:
    province: Any
    city: Any
    district: Any
    other_district: Any
    school: Any  # 六三制 primary school in `district`
    five_four_school: Any  # 五四制 nine-year school in `district`
    other_school: Any  # a school in `other_district`
    class_3_1: Any
    class_5_1: Any
    class_5_2: Any
    other_class: Any
    student: Any  # in class_5_1, child of `parent`
    other_student: Any  # in class_5_2, not the parent's child
    users: dict[str, Any]


def make_user(phone: str, name: str) -> Any:
    from jianfu.accounts.models import User

    return User.objects.create_user(phone, PASSWORD, name=name)


def build_world() -> World:
    from jianfu.accounts.models import Membership, Role
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

    province = Region.objects.create(code="440000", name="广东省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(code="440100", name="广州市", level=RegionLevel.CITY, parent=province)
    district = Region.objects.create(code="440106", name="天河区", level=RegionLevel.DISTRICT, parent=city)
    other_district = Region.objects.create(
        code="440104", name="越秀区", level=RegionLevel.DISTRICT, parent=city
    )

    def school(code: str, name: str, region: Any, stype: str, system: str, first: int, last: int) -> Any:
        s = School.objects.create(
            code=code,
            name=name,
            region=region,
            school_type=stype,
            system=system,
            first_grade=first,
            last_grade=last,
        )
        for n in range(first, last + 1):
            Grade.objects.create(school=s, number=n, stage=stage_for_grade(n, system))
        return s

    home = school(
        "4401060001", "天河区第一实验小学", district, SchoolType.PRIMARY, SchoolSystem.SIX_THREE, 1, 6
    )
    five_four = school(
        "4401060002", "天河区五四制学校", district, SchoolType.NINE_YEAR, SchoolSystem.FIVE_FOUR, 1, 9
    )
    other = school(
        "4401040001", "越秀区小学", other_district, SchoolType.PRIMARY, SchoolSystem.SIX_THREE, 1, 6
    )

    def klass(s: Any, grade: int, number: int) -> Any:
        return SchoolClass.objects.create(school=s, grade=s.grades.get(number=grade), number=number)

    c31, c51, c52 = klass(home, 3, 1), klass(home, 5, 1), klass(home, 5, 2)
    oc = klass(other, 5, 1)

    users = {
        "bureau": make_user("13900000001", "区教育局王科长"),
        "inspector": make_user("13900000002", "督学李老师"),
        "principal": make_user("13900000003", "张校长"),
        "academic": make_user("13900000004", "教导处刘主任"),
        "head_teacher": make_user("13900000005", "班主任陈老师"),
        "teacher": make_user("13900000006", "数学赵老师"),
        "parent": make_user("13900000007", "家长周女士"),
        "outsider": make_user("13900000008", "外区校长"),
        "nobody": make_user("13900000009", "无角色用户"),
    }
    Membership.objects.create(user=users["bureau"], role=Role.BUREAU_STAFF, region=district)
    Membership.objects.create(user=users["inspector"], role=Role.INSPECTOR, region=district)
    Membership.objects.create(user=users["principal"], role=Role.PRINCIPAL, school=home)
    Membership.objects.create(user=users["academic"], role=Role.ACADEMIC_AFFAIRS, school=home)
    Membership.objects.create(user=users["head_teacher"], role=Role.HEAD_TEACHER, school_class=c51)
    Membership.objects.create(user=users["teacher"], role=Role.SUBJECT_TEACHER, school=home)
    Membership.objects.create(user=users["parent"], role=Role.PARENT, school_class=c51)
    Membership.objects.create(user=users["outsider"], role=Role.PRINCIPAL, school=other)

    head = Teacher.objects.create(school=home, user=users["head_teacher"], name="陈老师")
    c51.head_teacher = head
    c51.save()
    TeachingAssignment.objects.create(teacher=head, school_class=c51, subject=Subject.CHINESE)
    math = Teacher.objects.create(school=home, user=users["teacher"], name="赵老师")
    TeachingAssignment.objects.create(teacher=math, school_class=c51, subject=Subject.MATH)

    # G + a citizen id with a valid GB 11643 check digit, born 2015-03-07.
    student = Student.objects.create(
        school=home,
        school_class=c51,
        registry_id="G440106201503070016",
        name="周小明",
        gender="M",
        birth_date=date(2015, 3, 7),
    )
    other_student = Student.objects.create(
        school=home,
        school_class=c52,
        registry_id="L2015000000000002",
        name="吴小红",
        gender="F",
        birth_date=date(2015, 5, 1),
    )
    Guardian.objects.create(
        student=student, name="周女士", phone="13900000007", relation="母亲", user=users["parent"]
    )
    Guardian.objects.create(student=other_student, name="吴先生", phone="13700000001", relation="父亲")
    return World(
        province,
        city,
        district,
        other_district,
        home,
        five_four,
        other,
        c31,
        c51,
        c52,
        oc,
        student,
        other_student,
        users,
    )


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def autumn_term(world: World) -> Any:
    """The home school's autumn 2026 term (1 September – 31 December), school days built."""
    from datetime import date

    from jianfu.schools.calendar.services import term_create

    return term_create(
        actor=SystemActor("test-setup"),
        school=world.school,
        school_year="2026-2027",
        kind="autumn",
        start_date=date(2026, 9, 1),
        end_date=date(2026, 12, 31),
    )


PERSONAS = [
    "bureau",
    "inspector",
    "principal",
    "academic",
    "head_teacher",
    "teacher",
    "parent",
    "outsider",
    "nobody",
]


@pytest.fixture
def login(client: Any) -> Any:
    """login(user) signs the test client in as that user and returns the client."""

    def _login(user: Any) -> Any:
        client.force_login(user)
        return client

    return _login


def make_custodian(user: Any, region: Any) -> Any:
    """A complaint custodian for `region`, with two-step sign-in on (unsealing requires it)."""
    from django.utils import timezone

    from jianfu.accounts.models import Membership, Role, TotpDevice
    from jianfu.accounts.rules import totp

    Membership.objects.create(user=user, role=Role.CUSTODIAN, region=region)
    TotpDevice.objects.create(user=user, secret=totp.secret_new(), confirmed_at=timezone.now())
    return user


def two_step_passed(client: Any) -> None:
    """Mark the test client's session as having passed the second step, as the sign-in page does."""
    from jianfu.accounts.middleware import PASSED, TWO_STEP

    session = client.session
    session[TWO_STEP] = PASSED
    session.save()


def app_code(user: Any) -> str:
    """The code the user's authenticator app shows now (their confirmed device's secret)."""
    import time

    from jianfu.accounts.models import TotpDevice
    from jianfu.accounts.rules import totp

    device = TotpDevice.objects.get(user=user, confirmed_at__isnull=False)
    return totp.code_at(device.secret, totp.step_of(time.time()))


def fresh_second_step(user: Any) -> dict[str, Any]:
    """The arguments unsealing and the bureau's reset need from a session that passed the second step."""
    return {"session_passed": True, "code": app_code(user)}


def run_at_once(*calls: Any) -> list[BaseException]:
    """Run each call in its own thread, released together, each on its own database connection (as
    concurrent requests would be); the exceptions they raised. For transaction=True tests."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Any) -> None:
        try:
            barrier.wait()
            call()
        except BaseException as exc:  # reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def api(client: Any, method: str, url: str, body: Any = None) -> Any:
    """A JSON request to the API with the test client (`method`: get, post, put, patch, delete)."""
    import json

    return getattr(client, method)(
        url, json.dumps(body) if body is not None else None, content_type="application/json"
    )
