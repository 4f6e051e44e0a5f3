"""Brute-force protection on the sign-in page (django-axes): five failures lock that username."""

from __future__ import annotations

from django.test import Client

from tests.factories import PASSWORD


def _login(client: Client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _is_lockout(response) -> bool:
    return response.status_code == 429 or "registration/locked_out.html" in [t.name for t in response.templates]


def test_right_password_signs_in(org):
    client = Client()

    response = _login(client, "ar", PASSWORD)

    assert response.status_code == 302
    assert _signed_in(client)


def test_wrong_password_is_refused_without_locking_at_once(org):
    client = Client()

    response = _login(client, "ar", "wrong-password")

    assert response.status_code == 200  # the form again, with an error
    assert not _signed_in(client)
    assert _login(client, "ar", PASSWORD).status_code == 302


def test_five_failures_lock_the_username_but_not_others(org):
    attacker = Client()
    for _attempt in range(5):
        assert not _signed_in(attacker)
        _login(attacker, "ar", "wrong-password")

    locked = _login(attacker, "ar", PASSWORD)

    assert _is_lockout(locked)
    assert not _signed_in(attacker)
    # A new browser from the same address is locked out as well: the lock is on username and address.
    fresh = Client()
    assert _is_lockout(_login(fresh, "ar", PASSWORD))
    assert not _signed_in(fresh)

    colleague = Client()
    assert _login(colleague, "sr", PASSWORD).status_code == 302
    assert _signed_in(colleague)
