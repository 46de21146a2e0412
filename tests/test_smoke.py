import pytest


@pytest.mark.django_db
def test_login_page_is_public_and_chinese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_home_requires_login(client, world):
    response = client.get("/core/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_with_phone_and_password(client, world):
    from conftest import PASSWORD

    response = client.post("/accounts/login/", {"phone": "139 0000 0003", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/core/")
    assert "张校长" in home.content.decode()
