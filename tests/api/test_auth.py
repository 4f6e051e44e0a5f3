"""Who is calling: bearer tokens, the browser session with CSRF, and the error format of a refusal."""

from __future__ import annotations

from django.test import Client

from irontriangle.accounts.models import Account
from irontriangle.org.models import ApiToken
from irontriangle.org.services import token_create, token_revoke
from tests.conftest import ApiClient, api_as


def _assert_error_format(body: dict, code: str) -> None:
    assert set(body) >= {"code", "detail", "errors"}
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], list)


def test_me_with_token_shows_units_and_permissions(org):
    response = api_as(org["manager"]).get("/me")

    assert response.status_code == 200, response.content
    me = response.json()
    assert me["username"] == "manager"
    assert me["display_name"] == "张伟"
    assert me["units"] == [
        {"code": "ka-east", "name": "华东大客户部", "segment": "ka", "is_primary": True, "is_manager": True}
    ]
    assert me["permissions"] == {"admin": False, "read_all": False, "finance": False, "middle_office": False}


def test_me_permissions_follow_admin_finance_and_read_all(org, reader):
    assert api_as(org["admin"]).get("/me").json()["permissions"] == {
        "admin": True,
        "read_all": True,
        "finance": True,
        "middle_office": True,
    }
    finance = api_as(org["finance_user"]).get("/me").json()["permissions"]
    assert finance["finance"] is True and finance["read_all"] is False and finance["admin"] is False
    assert api_as(reader).get("/me").json()["permissions"]["read_all"] is True


def test_no_credentials_is_401_in_the_error_format(db):
    response = ApiClient().get("/me")

    assert response.status_code == 401
    _assert_error_format(response.json(), "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_unknown_and_malformed_tokens_are_401(db):
    for token in ("it_" + "x" * 43, "not-a-token", "it_" + "y" * 500):
        response = ApiClient(token).get("/me")
        assert response.status_code == 401, token
        _assert_error_format(response.json(), "unauthorized")


def test_revoked_token_is_refused(org):
    token, raw = token_create(user=org["ar"], name="laptop")
    client = ApiClient(raw)
    assert client.get("/me").status_code == 200

    token_revoke(token=token)

    response = client.get("/me")
    assert response.status_code == 401
    _assert_error_format(response.json(), "unauthorized")


def test_token_of_a_deactivated_user_is_refused(org):
    _token, raw = token_create(user=org["ar"])
    org["ar"].is_active = False
    org["ar"].save(update_fields=["is_active"])

    assert ApiClient(raw).get("/me").status_code == 401


def test_token_records_when_it_was_last_used(org):
    token, raw = token_create(user=org["ar"])
    assert token.last_used_at is None

    assert ApiClient(raw).get("/me").status_code == 200

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_the_hash_of_a_token_is_stored(org):
    token, raw = token_create(user=org["ar"])

    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.key_hash, stored.prefix, stored.name)
    assert stored.prefix == raw[:12]


def test_session_login_works_for_reads(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org["ar"])

    response = client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["username"] == "ar"


def test_session_write_without_csrf_token_is_refused(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org["ar"])

    response = client.post("/api/v1/accounts", {"name": "无令牌客户"}, content_type="application/json")

    assert response.status_code == 403
    body = response.json()
    assert set(body) >= {"code", "detail", "errors"}
    assert "CSRF" in body["detail"]
    assert not Account.all_objects.filter(name="无令牌客户").exists()


def test_session_write_with_csrf_token_is_accepted(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org["ar"])
    secret = "a" * 16 + "B" * 16  # a CSRF secret: 32 characters of the token alphabet
    client.cookies["csrftoken"] = secret

    response = client.post(
        "/api/v1/accounts", {"name": "有令牌客户"}, content_type="application/json", headers={"X-CSRFToken": secret}
    )

    assert response.status_code == 201, response.content
    assert Account.objects.filter(name="有令牌客户", owner=org["ar"]).exists()


def test_bearer_write_needs_no_csrf_token(org):
    response = api_as(org["ar"]).post("/accounts", {"name": "脚本创建的客户"})

    assert response.status_code == 201, response.content
