"""我的账号 (issue 15, families' accounts): every signed-in account sees its own, the phone masked."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_parent_sees_their_child_and_class_and_the_phone_masked(world, login):
    page = login(world.users["parent"]).get(reverse("core:account")).content.decode()
    assert "周小明" in page and "五年级(1)班" in page  # the parent's own child and their class
    assert "吴小红" not in page  # another family's child, in the same school
    assert "13900000007" not in page and "139****0007" in page
    assert reverse("accounts:password") in page
    assert reverse("accounts:security") not in page  # two-step is for staff (decision 0018)
    assert reverse("notifications:choices") in page


@pytest.mark.parametrize("persona", ["bureau", "principal", "head_teacher", "teacher"])
def test_staff_see_their_role_and_the_two_step_page_and_no_children(world, login, persona):
    page = login(world.users[persona]).get(reverse("core:account")).content.decode()
    assert reverse("accounts:security") in page
    assert "我的孩子" not in page
    assert world.users[persona].phone not in page


def test_an_account_without_a_role_gets_the_page_and_nothing_else(world, login):
    response = login(world.users["nobody"]).get(reverse("core:account"))
    assert response.status_code == 200 and "我的孩子" not in response.content.decode()


def test_signed_out_goes_to_sign_in(client, world):
    response = client.get(reverse("core:account"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_name_in_the_header_leads_to_the_account_page(world, login):
    page = login(world.users["parent"]).get(reverse("core:home")).content.decode()
    assert f'class="who" href="{reverse("core:account")}"' in page
