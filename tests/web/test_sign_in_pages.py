"""The sign-in page, the lock-out page and sign-out."""

from __future__ import annotations

from tests.factories import PASSWORD


def test_sign_in_page_names_the_product(client, org):
    page = client.get("/login/").content.decode()
    assert "铁三角" in page and "IronTriangle" in page
    response = client.post("/login/", {"username": "ar", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_repeated_failures_show_the_lock_out_page(client, org, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "ar", "password": "wrong"})
    response = client.post("/login/", {"username": "ar", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_sign_out_is_a_post(client, org):
    client.force_login(org["ar"])
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302
