"""The exam predicates per role (jianfu.exams.permissions), as domain.md and decision 0027 state them:
school leaders file and release for their own school; the district bureau files for schools below it
and alone records an exception; teachers of the grade enter levels; a family sees its own child."""

from __future__ import annotations

from typing import Any

import pytest

from jianfu.core.actors import DEMO_LOADER
from jianfu.exams import permissions as p
from jianfu.exams.tests.conftest import days, file

ROLES = [
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

# Who may file for 天河区第一实验小学 (home): its leaders and the 天河区 bureau's staff.
FILE_HOME = {"bureau", "principal", "academic"}
RELEASE_HOME = {"principal", "academic"}
SEE_PLANS = {"bureau", "inspector", "principal", "academic", "outsider"}
# The grade 5 teachers of home: 陈老师 (Chinese, 5-1) and 赵老师 (maths, 5-1).
ENTER_GRADE5 = {"head_teacher", "teacher"}


@pytest.mark.parametrize("role", ROLES)
def test_exam_predicates_per_role(w: Any, role: str) -> None:
    user = w.users[role]
    plan = file(w, 5, "final", days(w, 10))
    assert p.can_file_exam(user, w.school) is (role in FILE_HOME)
    assert p.can_change_exam(user, plan) is (role in FILE_HOME)
    assert p.can_withdraw_exam(user, plan) is (role in FILE_HOME)
    assert p.can_release_levels(user, plan) is (role in RELEASE_HOME)
    assert p.is_exam_school_leader(user, w.school) is (role in RELEASE_HOME)
    assert p.can_record_exam_exception(user, w.school) is (role == "bureau")
    assert p.can_see_exam_plans(user) is (role in SEE_PLANS)
    assert p.can_enter_levels(user, plan) is (role in ENTER_GRADE5)
    assert p.keeps_levels(user) is (role in ENTER_GRADE5)
    assert p.can_see_child_levels(user, w.student) is (role == "parent")
    assert p.can_see_child_levels(user, w.other_student) is False
    assert (w.school in p.schools_filing_for(user)) is (role in FILE_HOME)


def test_outsider_files_only_for_own_school(w: Any) -> None:
    outsider = w.users["outsider"]
    assert p.can_file_exam(outsider, w.other_school) is True
    assert p.can_file_exam(outsider, w.school) is False
    # The 天河区 bureau reaches no 越秀区 school.
    assert p.can_file_exam(w.users["bureau"], w.other_school) is False


def test_the_system_actor_passes_and_no_actor_does_not(w: Any) -> None:
    assert p.can_file_exam(DEMO_LOADER, w.school) is True
    assert p.can_file_exam(None, w.school) is False
    assert p.can_record_exam_exception(None, w.school) is False
    assert p.can_see_exam_plans(None) is False


def test_a_missing_actor_cannot_file(w: Any) -> None:
    from jianfu.core.errors import NotFound
    from jianfu.exams.services import exam_file
    from jianfu.exams.tests.conftest import draft

    with pytest.raises(NotFound):
        exam_file(actor=None, school=w.school, draft=draft(w, 5, "final", days(w, 10)))
