"""`/interactions`: logging, editing and deleting visits, and searching the minutes, Chinese included.

The suite runs on SQLite (FTS5 trigram) and on PostgreSQL (pg_trgm): search must give the same answers.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from irontriangle.relationships.models import Interaction
from tests.conftest import api_as
from tests.factories import add_to_team, grant_permission, log_interaction, make_account, make_contact


def _fields(response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


@pytest.fixture
def official(team_account):
    return make_contact(team_account, name="周处长", title="信息化处处长", is_key=True)


def _ids(client, **params) -> set[int]:
    response = client.get("/interactions", params)
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_create_get_patch_delete(org, team_account, official):
    client = api_as(org["ar"])
    when = (timezone.now() - timedelta(days=2)).replace(microsecond=0)

    created = client.post(
        "/interactions",
        {
            "kind": "meal",
            "occurred_at": when.isoformat(),
            "account_id": team_account.pk,
            "contact_ids": [official.pk],
            "participant_ids": [org["ar"].pk, org["sr"].pk],
            "minutes": "讨论了明年的预算安排",
            "next_steps": "下周提交方案",
        },
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["kind"] == "meal" and body["account_id"] == team_account.pk
    assert body["contact_ids"] == [official.pk] and body["contacts"][0]["name"] == "周处长"
    assert sorted(body["participant_ids"]) == sorted([org["ar"].pk, org["sr"].pk])
    assert body["minutes"] == "讨论了明年的预算安排" and body["next_steps"] == "下周提交方案"
    assert body["opportunity_id"] is None and body["logged_by_id"] == org["ar"].pk and body["version"] == 1
    assert client.get(f"/interactions/{body['id']}").json() == body

    patched = client.patch(
        f"/interactions/{body['id']}",
        {"version": 1, "kind": "visit", "minutes": "改为拜访", "participant_ids": [org["sr"].pk]},
    )
    assert patched.status_code == 200, patched.content
    after = patched.json()
    assert (after["kind"], after["minutes"], after["participant_ids"], after["version"]) == (
        "visit",
        "改为拜访",
        [org["sr"].pk],
        2,
    )
    assert after["contact_ids"] == [official.pk]  # untouched when not sent
    stale = client.patch(f"/interactions/{body['id']}", {"version": 1, "minutes": "旧版本"})
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"

    assert client.delete(f"/interactions/{body['id']}").status_code == 204
    assert client.get(f"/interactions/{body['id']}").status_code == 404
    assert Interaction.all_objects.get(pk=body["id"]).deleted_at is not None
    assert body["id"] not in _ids(client)


def test_logging_without_participants_names_the_logger(org, team_account):
    body = api_as(org["sr"]).post("/interactions", {"account_id": team_account.pk, "minutes": "电话沟通"}).json()
    assert body["participant_ids"] == [org["sr"].pk] and body["kind"] == "visit"


def test_a_contact_of_another_account_is_refused(org, team_account, official):
    stranger = make_contact(make_account(org["ar"], name="上海电信"), name="别家的人")
    client = api_as(org["ar"])

    created = client.post("/interactions", {"account_id": team_account.pk, "contact_ids": [official.pk, stranger.pk]})
    interaction = log_interaction(team_account, minutes="初次拜访")
    patched = client.patch(f"/interactions/{interaction.pk}", {"version": 1, "contact_ids": [stranger.pk]})

    for response in (created, patched):
        assert response.status_code == 422 and _fields(response) == {"contact_ids"}
    assert Interaction.objects.count() == 1
    assert list(Interaction.objects.get().contacts.all()) == []


def test_an_account_the_caller_cannot_see_is_refused(org, team_account):
    hidden = make_account(org["outsider"], name="华北客户")
    client = api_as(org["ar"])
    interaction = log_interaction(team_account, minutes="初次拜访")

    created = client.post("/interactions", {"account_id": hidden.pk, "minutes": "越权"})
    moved = client.patch(f"/interactions/{interaction.pk}", {"version": 1, "account_id": hidden.pk})
    unknown = client.post("/interactions", {"account_id": 10**9})

    for response in (created, moved, unknown):
        assert response.status_code == 422 and _fields(response) == {"account_id"}
    assert Interaction.objects.get().account_id == team_account.pk
    assert not Interaction.objects.filter(account=hidden).exists()


def test_a_date_in_the_future_is_refused(org, team_account):
    client = api_as(org["ar"])
    future = (timezone.now() + timedelta(days=3)).isoformat()

    created = client.post("/interactions", {"account_id": team_account.pk, "occurred_at": future})
    interaction = log_interaction(team_account)
    patched = client.patch(f"/interactions/{interaction.pk}", {"version": 1, "occurred_at": future})

    for response in (created, patched):
        assert response.status_code == 422 and _fields(response) == {"occurred_at"}
    assert Interaction.objects.count() == 1


def test_an_opportunity_cannot_be_named_yet(org, team_account):
    client = api_as(org["ar"])
    response = client.post("/interactions", {"account_id": team_account.pk, "opportunity_id": 1})
    assert response.status_code == 422 and _fields(response) == {"opportunity_id"}
    interaction = log_interaction(team_account)
    patched = client.patch(f"/interactions/{interaction.pk}", {"version": 1, "opportunity_id": 1})
    assert patched.status_code == 422 and _fields(patched) == {"opportunity_id"}
    assert client.patch(f"/interactions/{interaction.pk}", {"version": 1, "opportunity_id": None}).status_code == 200


def test_bad_enum_and_list_filters(org, team_account, official):
    client = api_as(org["ar"])
    assert client.post("/interactions", {"account_id": team_account.pk, "kind": "party"}).status_code == 422
    visit = log_interaction(team_account, contact_ids=[official.pk], minutes="拜访")
    call = log_interaction(
        team_account,
        kind="call",
        participant_ids=[org["sr"].pk],
        occurred_at=timezone.now() - timedelta(days=10),
    )

    assert _ids(client, kind="call") == {call.pk}
    assert _ids(client, contact_id=official.pk) == {visit.pk}
    assert _ids(client, participant_id=org["sr"].pk) == {call.pk}
    assert _ids(client, account_id=team_account.pk) == {visit.pk, call.pk}
    since = (timezone.localdate() - timedelta(days=3)).isoformat()
    assert _ids(client, since=since) == {visit.pk}
    assert _ids(client, until=since) == {call.pk}
    items = client.get("/interactions").json()["items"]
    assert [item["id"] for item in items] == [visit.pk, call.pk]  # newest first


def test_paging_is_newest_first_and_complete(org, team_account):
    client = api_as(org["ar"])
    now = timezone.now()
    ids = [log_interaction(team_account, occurred_at=now - timedelta(hours=number)).pk for number in range(5)]

    seen, cursor = [], None
    while True:
        page = client.get("/interactions", {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ids


def test_who_sees_and_changes_interactions(org, team_account):
    interaction = log_interaction(team_account, minutes="拜访")
    for who in ("sr", "manager"):
        client = api_as(org[who])
        assert _ids(client) == {interaction.pk}
        assert client.get(f"/interactions/{interaction.pk}").status_code == 200
    outsider = api_as(org["outsider"])
    assert _ids(outsider) == set()
    assert outsider.get(f"/interactions/{interaction.pk}").status_code == 404
    assert outsider.patch(f"/interactions/{interaction.pk}", {"version": 1, "minutes": "x"}).status_code == 404
    assert outsider.delete(f"/interactions/{interaction.pk}").status_code == 404
    reader = api_as(grant_permission(org["finance_user"], "read_all_records"))
    assert _ids(reader) == {interaction.pk}
    assert reader.patch(f"/interactions/{interaction.pk}", {"version": 1, "minutes": "x"}).status_code == 403
    assert reader.post("/interactions", {"account_id": team_account.pk}).status_code == 403
    assert reader.delete(f"/interactions/{interaction.pk}").status_code == 403
    assert Interaction.objects.get().minutes == "拜访"


# --- search -------------------------------------------------------------------------------------------


@pytest.fixture
def minutes(org, team_account, official):
    """Visits with Chinese, English and mixed minutes; another region has one with the same words."""
    budget = log_interaction(
        team_account,
        contact_ids=[official.pk],
        minutes="周处长介绍了明年的预算,重点是数字化转型和云平台迁移。",
        next_steps="两周内提交ERP改造方案",
    )
    security = log_interaction(
        team_account, minutes="Discussed the security audit; 网络安全等保测评 needs a partner.", kind="meeting"
    )
    chitchat = log_interaction(team_account, minutes="寒暄,没有谈业务。")
    north = make_account(org["outsider"], name="北京某局")
    hidden = log_interaction(north, minutes="预算 数字化转型 ERP 周处长 security", by=org["outsider"])
    return {"budget": budget, "security": security, "chitchat": chitchat, "hidden": hidden}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("预算", {"budget"}),  # two characters: shorter than a trigram
        ("数字化转型", {"budget"}),
        ("云平台", {"budget"}),
        ("周处长", {"budget"}),  # the contact met, not only the minutes
        ("ERP", {"budget"}),  # next steps
        ("erp", {"budget"}),  # case does not matter
        ("ERP改造", {"budget"}),  # mixed English and Chinese in one word
        ("security", {"security"}),
        ("SECURITY 等保", {"security"}),
        ("预算 数字化转型", {"budget"}),  # every word must match
        ("预算 security", set()),
        ("中国移动上海", {"budget", "security", "chitchat"}),  # the account's name
        ("王磊", {"budget", "security", "chitchat"}),  # who went
        ("不存在的词", set()),
        ("寒", {"chitchat"}),
        ('"', set()),
        ("100%", set()),
        ("_", set()),
    ],
)
def test_search_finds_chinese_and_mixed_words_and_nothing_hidden(org, minutes, query, expected):
    client = api_as(org["ar"])

    found = _ids(client, q=query)

    assert found == {minutes[name].pk for name in expected}, query
    assert minutes["hidden"].pk not in found


def test_search_never_reaches_past_what_the_caller_may_see(org, minutes):
    outsider = api_as(org["outsider"])
    for query in ("预算", "数字化转型", "ERP", "周处长", "security"):
        assert _ids(outsider, q=query) == {minutes["hidden"].pk}, query
    manager = api_as(org["manager"])
    assert _ids(manager, q="数字化转型") == {minutes["budget"].pk}
    reader = api_as(grant_permission(org["finance_user"], "read_all_records"))
    assert _ids(reader, q="数字化转型") == {minutes["budget"].pk, minutes["hidden"].pk}


def test_search_combines_with_filters(org, team_account, minutes):
    client = api_as(org["ar"])
    assert _ids(client, q="安全", kind="meeting") == {minutes["security"].pk}
    assert _ids(client, q="安全", kind="visit") == set()
    assert _ids(client, q="预算", account_id=team_account.pk) == {minutes["budget"].pk}


def test_edited_and_deleted_minutes_are_searched_as_they_are_now(org, minutes):
    client = api_as(org["ar"])
    budget = minutes["budget"]

    client.patch(f"/interactions/{budget.pk}", {"version": 1, "minutes": "只谈了人工智能", "next_steps": ""})
    assert _ids(client, q="数字化转型") == set()
    assert _ids(client, q="人工智能") == {budget.pk}

    client.delete(f"/interactions/{minutes['security'].pk}")
    assert _ids(client, q="security") == set()


def test_a_renamed_contact_is_found_under_the_new_name(org, team_account, official, minutes):
    client = api_as(org["ar"])

    renamed = client.patch(f"/contacts/{official.pk}", {"version": 1, "name": "周局长"})

    assert renamed.status_code == 200
    assert _ids(client, q="周局长") == {minutes["budget"].pk}
    assert _ids(client, q="局长") == {minutes["budget"].pk}
    assert _ids(client, q="周处长") == {minutes["budget"].pk}  # still in the minutes themselves
    assert minutes["hidden"].pk not in _ids(client, q="周")


def test_adding_a_contact_to_a_visit_makes_it_findable_by_their_name(org, team_account, minutes):
    client = api_as(org["ar"])
    newcomer = make_contact(team_account, name="欧阳主任")
    chitchat = minutes["chitchat"]

    client.patch(f"/interactions/{chitchat.pk}", {"version": 1, "contact_ids": [newcomer.pk]})

    assert _ids(client, q="欧阳主任") == {chitchat.pk}


def test_a_team_member_who_joins_later_finds_earlier_visits(org, minutes):
    newcomer_account = minutes["budget"].account
    from tests.factories import make_user

    fr = make_user("fr", units=[org["units"]["shanghai"]])
    assert _ids(api_as(fr), q="预算") == set()
    add_to_team(newcomer_account, fr, "fr")
    assert _ids(api_as(fr), q="预算") == {minutes["budget"].pk}


def test_search_terms_and_length_are_bounded(org, minutes):
    client = api_as(org["ar"])
    assert client.get("/interactions", {"q": "字" * 201}).status_code == 422
    many = " ".join(["预算"] * 30)
    assert _ids(client, q=many) == {minutes["budget"].pk}


def test_on_postgresql_the_search_uses_the_trigram_index(org, minutes):
    from django.db import connection

    from irontriangle.relationships.models import Interaction
    from irontriangle.relationships.search import matching_interactions

    if connection.vendor != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's; SQLite searches its FTS5 table")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned whatever the index
    plan = matching_interactions(Interaction.all_objects.all(), "数字化转型").explain()

    assert "interaction_search_trgm" in plan, plan


def test_search_pages_run_newest_first_across_the_recent_window(org, team_account):
    # A search looks in the last month first and takes that page only when the month holds more than a
    # page of matches; pages that reach past the month must continue without a gap or a repeat.
    now = timezone.now().replace(microsecond=0)
    ages = [1, 3, 5, 40, 400]  # days ago: three inside the month, two before it
    logged = [
        log_interaction(team_account, kind="visit", occurred_at=now - timedelta(days=age), minutes=f"讨论预算 第{n}次")
        for n, age in enumerate(ages)
    ]
    log_interaction(team_account, kind="visit", occurred_at=now - timedelta(days=2), minutes="无关内容")
    client = api_as(org["ar"])

    seen, cursor = [], None
    while True:
        params = {"q": "讨论预算", "limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get("/interactions", params).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break

    assert seen == [interaction.pk for interaction in logged]
