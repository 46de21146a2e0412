"""The account pages read what was posted through forms only (issue 14 part 2): a bad value is an
error beside its field, and everything else that was typed is shown again."""

import pytest

from jianfu.accounts.forms import ActivationRequestForm, LanguageForm, LoginForm, TwoStepActionForm

pytestmark = pytest.mark.django_db


def test_login_a_bad_phone_is_a_field_error_and_the_way_back_is_kept(client, world):
    form = LoginForm(data={"phone": "1" * 30, "password": "x", "next": "/schools/calendar/"})
    assert not form.is_valid() and "phone" in form.errors and "next" not in form.errors
    page = client.post(
        "/accounts/login/", {"phone": "1" * 30, "password": "x", "next": "/schools/calendar/"}
    ).content.decode()
    assert 'name="next" value="/schools/calendar/"' in page
    assert 'name="phone" value="' + "1" * 30 + '"' in page


def test_login_keeps_the_next_page_from_the_address_before_anything_is_typed(client):
    page = client.get("/accounts/login/?next=/schools/calendar/").content.decode()
    assert 'name="next" value="/schools/calendar/"' in page


def test_activation_a_bad_answer_is_a_field_error_and_the_phone_is_kept(client, world):
    form = ActivationRequestForm(data={"phone": "13700000001", "challenge": "9" * 11})
    assert not form.is_valid() and "challenge" in form.errors and "phone" not in form.errors
    page = client.post(
        "/accounts/activate/", {"phone": "13700000001", "challenge": "9" * 11}
    ).content.decode()
    assert 'value="13700000001"' in page


def test_security_an_unknown_step_is_a_field_error_and_the_page_is_shown_unchanged(client, world, login):
    form = TwoStepActionForm(data={"action": "explode"})
    assert not form.is_valid() and "action" in form.errors
    bureau = world.users["bureau"]
    page = login(bureau).post("/accounts/security/", {"action": "explode", "code": "123456"})
    assert page.status_code == 200


def test_language_an_unknown_language_is_a_field_error_and_the_way_back_is_kept(client):
    form = LanguageForm(data={"language": "xx", "next": "/accounts/login/"})
    assert not form.is_valid() and "language" in form.errors
    assert form.cleaned_data["next"] == "/accounts/login/"
    response = client.post("/accounts/language/", {"language": "xx", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert response.cookies["django_language"].value == "zh-hans"
