"""The homework predicates (jianfu/homework/permissions.py) per persona: who posts, publishes, sets
quotas, manages the public page, decides exceptions and oversees them. Expected answers from
domain.md ("People and what they may see") and decision 0024 (nobody approves their own exception)."""

import pytest

from conftest import PERSONAS
from jianfu.core.actors import DEMO_LOADER
from jianfu.core.errors import NotFound, PermissionDenied
from jianfu.homework import permissions
from jianfu.homework.services import Draft, homework_create
from jianfu.homework.tests.conftest import MON, at

pytestmark = pytest.mark.django_db

HEAD_ONLY = {"head_teacher"}
HEAD_AND_LEADERS = {"head_teacher", "principal", "academic"}


@pytest.mark.parametrize("who", PERSONAS)
def test_class_predicates_per_persona(world, who):
    actor = world.users[who]
    c = world.class_5_1
    assert permissions.can_publish_day(actor, c) is (who in HEAD_ONLY)
    assert permissions.can_set_quotas(actor, c) is (who in HEAD_ONLY)
    assert permissions.can_approve_exceptions(actor, c) is (who in HEAD_AND_LEADERS)
    assert permissions.can_manage_publication(actor, c) is (who in HEAD_AND_LEADERS)
    # The week of the class: the school's staff who reach the class (the bureau reaches it through
    # its region); never a parent, nor another school's principal.
    staff = {"bureau", "inspector", "principal", "academic", "head_teacher", "teacher"}
    assert permissions.can_see_class_week(actor, c) is (who in staff)
    # Posting math in 5(1): only its math teacher; Chinese: only the head teacher, who teaches it.
    assert permissions.can_post_homework(actor, c, "math") is (who == "teacher")
    assert permissions.can_post_homework(actor, c, "chinese") is (who == "head_teacher")
    assert permissions.can_oversee_exceptions(actor) is (who in {"principal", "academic", "outsider"})
    expected_schools = {"principal": [world.school.pk], "academic": [world.school.pk]}
    if who == "outsider":
        expected_schools["outsider"] = [world.other_school.pk]
    assert permissions.exception_overseer_schools(actor) == expected_schools.get(who, [])


def test_posting_out_of_reach_is_not_found_and_untaught_is_refused(world):
    teacher = world.users["teacher"]
    with pytest.raises(NotFound):
        permissions.class_get_for_posting(world.users["parent"], world.class_5_1.pk, "math")
    with pytest.raises(PermissionDenied):
        permissions.class_get_for_posting(teacher, world.class_5_1.pk, "chinese")
    assert permissions.class_get_for_posting(teacher, world.class_5_1.pk, "math") == world.class_5_1
    with pytest.raises(NotFound):
        permissions.class_get_for_staff(world.users["parent"], world.class_5_1.pk)


def test_who_decides_an_exception(world, autumn_term):
    def post(who, subject, minutes, reason=""):
        [item] = homework_create(
            actor=world.users[who],
            class_ids=[world.class_5_1.pk],
            date_set=MON,
            date_due=MON,
            draft=Draft(subject=subject, minutes=minutes),
            description="练习",
            exception_reason=reason,
            now=at(MON),
        )
        return item

    # Grade 5's written cap is 60 (hw_written_daily_avg_max_g3_6): 50 + 20 goes over.
    post("teacher", "math", 50)
    own = post("head_teacher", "chinese", 20, reason="单元复习")
    # The head teacher's own item: decided by 教导处 (the default designated role), or the principal
    # who leads it; never by the poster, never by a colleague.
    assert permissions.exception_decider_role(own) == "academic_affairs"
    assert permissions.acting_role(world.users["head_teacher"], own) is None
    assert permissions.acting_role(world.users["teacher"], own) is None
    assert permissions.acting_role(world.users["academic"], own) == "academic_affairs"
    assert permissions.acting_role(world.users["principal"], own) == "principal"
    assert not permissions.can_decide_exception(world.users["outsider"], own)
    assert permissions.can_edit_homework(world.users["head_teacher"], own)
    assert not permissions.can_edit_homework(world.users["academic"], own)
    assert not permissions.can_withdraw_homework(DEMO_LOADER, own)


def test_a_quota_that_is_not_a_number_is_refused_and_changes_nothing(client, world, autumn_term):
    from jianfu.homework.models import SubjectQuota

    client.force_login(world.users["head_teacher"])
    r = client.post(f"/homework/class/{world.class_5_1.pk}/quotas/", {"quota_math": "25"}, follow=True)
    assert SubjectQuota.objects.get(school_class=world.class_5_1, subject="math").minutes == 25
    r = client.post(
        f"/homework/class/{world.class_5_1.pk}/quotas/",
        {"quota_math": "二十", "quota_chinese": "30"},
        follow=True,
    )
    # Before forms, "二十" silently cleared the quota; now the page says so and keeps both as they were.
    assert SubjectQuota.objects.get(school_class=world.class_5_1, subject="math").minutes == 25
    assert not SubjectQuota.objects.filter(school_class=world.class_5_1, subject="chinese").exists()
    assert "数学：" in r.content.decode()  # the label, then the field's message
    # An outsider learns nothing, whatever they send.
    client.force_login(world.users["outsider"])
    r = client.post(f"/homework/class/{world.class_5_1.pk}/quotas/", {"quota_math": "x"})
    assert r.status_code == 404
