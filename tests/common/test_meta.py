"""`/meta/enums`: every enum code with its label in the caller's language."""

from __future__ import annotations

import re

from tests.conftest import api_as

CJK = re.compile(r"[\u4e00-\u9fff]")


def _labels(body: dict, name: str) -> dict[str, str]:
    return {item["value"]: item["label"] for item in body["enums"][name]}


def test_english_labels(org):
    response = api_as(org["ar"], "en").get("/meta/enums")

    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "en"
    assert _labels(body, "account.segment") == {"ka": "KA", "smb": "SMB"}
    assert set(_labels(body, "account.tier")) == {"s", "a", "b", "c"}
    assert set(_labels(body, "account_team.role")) == {"ar", "sr", "fr", "executive_sponsor", "other"}
    assert set(_labels(body, "webhook.format")) == {"json", "wecom", "dingtalk", "feishu"}
    assert _labels(body, "account.lifecycle_stage")["exploring"] == "Exploring"


def test_chinese_labels(org):
    response = api_as(org["ar"], "zh-hans").get("/meta/enums")

    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "zh-hans"
    english = api_as(org["ar"], "en").get("/meta/enums").json()
    # The codes never change with the language; the labels do.
    assert {name: set(_labels(body, name)) for name in body["enums"]} == {
        name: set(_labels(english, name)) for name in english["enums"]
    }
    for name in ("account.lifecycle_stage", "account.strategic_fit", "account.coverage", "webhook_delivery.status"):
        untranslated = [label for label in _labels(body, name).values() if not CJK.search(label)]
        assert not untranslated, f"{name}: labels without Chinese: {untranslated}"
    # Codes that are also the business's own shorthand (KA, AR, S) may keep it, beside Chinese words.
    assert CJK.search(_labels(body, "account.tier")["s"])
    assert CJK.search(_labels(body, "account_team.role")["ar"])
    assert CJK.search(_labels(body, "org_unit.segment")["finance"])


def test_enums_need_credentials(db):
    from tests.conftest import ApiClient

    assert ApiClient().get("/meta/enums").status_code == 401
