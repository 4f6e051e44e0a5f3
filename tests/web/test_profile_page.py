"""The profile page: who I am, what I see, and my own API tokens (made and revoked from the web)."""

from __future__ import annotations

import re

from django.utils import translation

from irontriangle.org.models import ApiToken
from irontriangle.org.services import TOKEN_ACTIVE_LIMIT, token_create
from tests.conftest import ApiClient

RAW_TOKEN = re.compile(r"it_[A-Za-z0-9_-]{40,}")


def _create(client, name="laptop"):
    return client.post("/profile/tokens/", {"name": name})


def test_profile_shows_who_i_am_and_my_units(client, org):
    org["manager"].email = "zhang.wei@example.com"
    org["manager"].save(update_fields=["email"])
    client.force_login(org["manager"])
    page = client.get("/profile/", headers={"Accept-Language": "en"}).content.decode()
    assert "张伟" in page
    assert "manager" in page
    assert "zhang.wei@example.com" in page
    assert "华东大客户部" in page
    assert "Primary" in page and "Manager" in page
    assert "every account owned by the units you manage" in page
    assert "finance figures" not in page
    assert 'href="/profile/"' in page  # the user menu links here


def test_profile_says_what_access_covers(client, org, reader):
    client.force_login(org["admin"])
    assert "Administrator" in client.get("/profile/").content.decode()
    client.force_login(org["finance_user"])
    assert "finance figures" in client.get("/profile/").content.decode()
    client.force_login(reader)
    assert "read every account" in client.get("/profile/").content.decode()


def test_profile_in_chinese(client, org):
    client.force_login(org["manager"])
    page = client.get("/profile/", headers={"Accept-Language": "zh-hans"}).content.decode()
    translation.activate("en")
    assert "个人资料" in page
    assert "API 令牌" in page


def test_page_lists_only_my_tokens(client, org):
    token_create(user=org["ar"], name="ar-laptop")
    token_create(user=org["sr"], name="sr-script")
    client.force_login(org["ar"])
    page = client.get("/profile/").content.decode()
    assert "ar-laptop" in page
    assert "sr-script" not in page
    assert "never" in page


def test_created_token_is_shown_once_and_works(client, org):
    client.force_login(org["ar"])
    response = _create(client, "BI report")
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]  # the one response holding the token is never cached
    page = response.content.decode()
    raw = RAW_TOKEN.findall(page)
    assert len(set(raw)) == 1
    raw_token = raw[0]
    assert "will not be shown again" in page
    token = ApiToken.objects.get(user=org["ar"])
    assert token.name == "BI report"
    assert raw_token.startswith(token.prefix)

    # Not kept anywhere: the next page, the session and the messages know nothing of it.
    again = client.get("/profile/").content.decode()
    assert raw_token not in again
    assert f"{token.prefix}…" in again
    assert raw_token not in str(dict(client.session.items()))

    me = ApiClient(raw_token).get("/me")
    assert me.status_code == 200
    assert me.json()["username"] == "ar"


def test_revoked_token_stops_working(client, org):
    client.force_login(org["ar"])
    raw_token = RAW_TOKEN.search(_create(client).content.decode()).group(0)
    token = ApiToken.objects.get(user=org["ar"])
    assert ApiClient(raw_token).get("/me").status_code == 200

    response = client.post(f"/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == "/profile/"
    assert ApiClient(raw_token).get("/me").status_code == 401
    page = client.get("/profile/").content.decode()
    assert "was revoked" in page
    assert "Revoked" in page


def test_revoking_someone_elses_token_is_not_found(client, org):
    token, raw = token_create(user=org["sr"], name="sr-script")
    client.force_login(org["ar"])
    assert client.post(f"/profile/tokens/{token.pk}/revoke/").status_code == 404
    assert client.post("/profile/tokens/999999/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiClient(raw).get("/me").status_code == 200


def test_revoke_and_create_need_post(client, org):
    token, _raw = token_create(user=org["ar"])
    client.force_login(org["ar"])
    assert client.get(f"/profile/tokens/{token.pk}/revoke/").status_code == 405
    assert client.get("/profile/tokens/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not ApiToken.objects.filter(user=org["ar"]).exclude(pk=token.pk).exists()


def test_token_name_is_checked(client, org):
    client.force_login(org["ar"])
    for name in ("", "   ", "x" * 101):
        response = _create(client, name)
        assert response.status_code == 200
        assert "is-invalid" in response.content.decode()
        assert not RAW_TOKEN.search(response.content.decode())
    assert not ApiToken.objects.filter(user=org["ar"]).exists()


def test_active_tokens_are_capped(client, org):
    for number in range(TOKEN_ACTIVE_LIMIT):
        token_create(user=org["ar"], name=f"t{number}")
    client.force_login(org["ar"])
    response = _create(client, "one too many")
    assert "Revoke one you no longer use first" in response.content.decode()
    assert ApiToken.objects.filter(user=org["ar"]).count() == TOKEN_ACTIVE_LIMIT


def test_anonymous_is_sent_to_sign_in(client, org):
    token, _raw = token_create(user=org["ar"])
    for method, url in (
        ("get", "/profile/"),
        ("post", "/profile/tokens/"),
        ("post", f"/profile/tokens/{token.pk}/revoke/"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiToken.objects.count() == 1


def test_usage_hint_and_docs_link(client, org):
    client.force_login(org["ar"])
    page = client.get("/profile/").content.decode()
    assert 'curl -H "Authorization: Bearer &lt;token&gt;" http://testserver/api/v1/me' in page
    assert 'href="/api/v1/docs"' in page


PAGE_BUDGET = 8  # session, user, memberships ×2, two permission look-ups, unread count, tokens


def test_query_count_does_not_grow_with_tokens(client, org, django_assert_max_num_queries):
    client.force_login(org["manager"])
    for number in range(2):
        token_create(user=org["manager"], name=f"first {number}")
    with django_assert_max_num_queries(PAGE_BUDGET) as two:
        assert client.get("/profile/").status_code == 200
    for number in range(18):
        token_create(user=org["manager"], name=f"more {number}")
    with django_assert_max_num_queries(PAGE_BUDGET) as twenty:
        page = client.get("/profile/").content.decode()
    assert page.count('data-testid="token-row"') == 20
    assert len(twenty.captured_queries) == len(two.captured_queries)
