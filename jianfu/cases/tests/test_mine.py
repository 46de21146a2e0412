"""我的反映 (decision 0048): a parent sees the complaints their account filed, with status and the
answer sent — never another family's, never a draft or a handler's note."""

import pytest
from django.utils import timezone

from conftest import make_user
from jianfu.accounts.models import Membership, Role
from jianfu.cases.models import ComplaintNote, NoteScope
from jianfu.cases.services import complaint_answer, complaint_file
from jianfu.cases.tests.helpers import release
from jianfu.schools.models import Guardian

pytestmark = pytest.mark.django_db


def other_parent(world):
    user = make_user("13700000001", "吴先生")
    Guardian.objects.filter(phone="13700000001").update(user=user)
    Membership.objects.create(user=user, role=Role.PARENT, school_class=world.class_5_2)
    return user


def test_a_parent_sees_their_own_complaints_with_status_and_answer(client, world):
    parent = world.users["parent"]
    answered = release(
        complaint_file(
            actor=parent, student_id=world.student.pk, category="homework", text="作业每天写到十点以后"
        )
    )
    complaint_answer(
        actor=world.users["academic"], complaint_id=answered.pk, answer="已核实，作业总量已调整。"
    )
    release(
        complaint_file(actor=parent, student_id=world.student.pk, category="exams", text="每周都有测验排名")
    )
    client.force_login(parent)
    page = client.get("/cases/mine/").content.decode()
    assert "作业每天写到十点以后" in page and "已核实，作业总量已调整。" in page and "已答复" in page
    assert "每周都有测验排名" in page and "待受理" in page
    assert answered.receipt_code not in page  # the receipt code stays a bearer secret on paper


def test_never_another_familys_complaint_nor_a_draft_or_note(client, world):
    wu = other_parent(world)
    theirs = release(
        complaint_file(
            actor=wu, student_id=world.other_student.pk, category="homework", text="吴家孩子的作业太多"
        )
    )
    ComplaintNote.objects.create(
        complaint=theirs,
        author=world.users["academic"],
        text="内部记录：已约谈老师",
        scope=NoteScope.SCHOOL,
        at=timezone.now(),
    )
    theirs.answer_draft = "草稿：尚未发出的答复"
    theirs.save(update_fields=["answer_draft"])
    client.force_login(world.users["parent"])
    page = client.get("/cases/mine/").content.decode()
    assert "吴家孩子的作业太多" not in page and "您还没有用本账号提交过反映" in page
    client.force_login(wu)
    page = client.get("/cases/mine/").content.decode()
    assert "吴家孩子的作业太多" in page
    assert "草稿" not in page and "内部记录" not in page


@pytest.mark.parametrize("persona", ["principal", "academic", "bureau"])
def test_staff_see_only_what_they_filed_themselves(client, world, persona):
    release(
        complaint_file(
            actor=world.users["parent"], student_id=world.student.pk, category="homework", text="作业太多了"
        )
    )
    client.force_login(world.users[persona])
    page = client.get("/cases/mine/")
    assert page.status_code == 200 and "作业太多了" not in page.content.decode()


def test_the_parents_menu_links_to_it(client, world):
    client.force_login(world.users["parent"])
    assert "/cases/mine/" in client.get("/").content.decode()


def test_anonymous_is_sent_to_sign_in(client, world):
    assert client.get("/cases/mine/").status_code == 302
