"""`/contacts` through the API: every field of SPEC §3, validation, versions, the trash, filters, paging,
history, and who may see and change what."""

from __future__ import annotations

import pytest

from irontriangle.relationships.models import Contact
from tests.conftest import api_as
from tests.factories import add_owner, grant_permission, make_account, make_contact

FULL = {
    "name": "王建国",
    "title": "信息中心主任",
    "department": "信息技术部",
    "phone": "+86 138 0000 0001",
    "email": "wang.jianguo@example.com",
    "wechat": "wjg_sh",
    "buying_roles": ["technical_evaluator", "decision_maker"],
    "influence": 4,
    "stance": "supporter",
    "intimacy": "medium",
    "support": "high",
    "is_key": True,
    "status": "active",
}


def _fields(response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


def _codes(response) -> set[str]:
    return {error["code"] for error in response.json()["errors"]}


@pytest.fixture
def boss(team_account):
    return make_contact(team_account, name="李总", title="总经理", buying_roles=["decision_maker"], influence=5)


def test_every_field_round_trips_through_post_get_and_patch(org, team_account, boss):
    client = api_as(org["ar"])

    created = client.post("/contacts", {**FULL, "account_id": team_account.pk, "reports_to_id": boss.pk})

    assert created.status_code == 201, created.content
    body = created.json()
    for name, value in FULL.items():
        if name == "buying_roles":
            # Stored in the order of SPEC §3, each role once.
            assert body[name] == ["decision_maker", "technical_evaluator"]
        else:
            assert body[name] == value, name
    assert (body["account_id"], body["reports_to_id"], body["version"]) == (team_account.pk, boss.pk, 1)
    assert client.get(f"/contacts/{body['id']}").json() == body

    changes = {
        "name": "王建民",
        "title": "副总经理",
        "department": "总经理办公室",
        "reports_to_id": None,
        "phone": "021-5555 0000",
        "email": "wjm@example.com",
        "wechat": "wjm_sh",
        "buying_roles": ["economic_buyer", "executive", "economic_buyer"],
        "influence": 5,
        "stance": "opponent",
        "intimacy": "high",
        "support": "low",
        "is_key": False,
        "status": "promoted",
    }
    patched = client.patch(f"/contacts/{body['id']}", {**changes, "version": 1})

    assert patched.status_code == 200, patched.content
    after = patched.json()
    for name, value in changes.items():
        expected = ["economic_buyer", "executive"] if name == "buying_roles" else value
        assert after[name] == expected, name
    assert after["version"] == 2
    assert after["status_changed_on"] is not None  # a status change is dated
    assert client.get(f"/contacts/{body['id']}").json() == after


def test_buying_roles_accept_any_of_the_spec_codes_and_nothing_else(org, team_account):
    client = api_as(org["ar"])
    every = [
        "decision_maker",
        "economic_buyer",
        "technical_evaluator",
        "user",
        "procurement",
        "finance",
        "legal",
        "risk_audit",
        "supervisor_third_party",
        "executive",
    ]
    created = client.post("/contacts", {"account_id": team_account.pk, "name": "全能", "buying_roles": every})
    assert created.status_code == 201 and created.json()["buying_roles"] == every

    bad = client.post("/contacts", {"account_id": team_account.pk, "name": "某人", "buying_roles": ["boss"]})
    assert bad.status_code == 422
    assert any(field.startswith("buying_roles") for field in _fields(bad))

    cleared = client.patch(f"/contacts/{created.json()['id']}", {"version": 1, "buying_roles": []})
    assert cleared.status_code == 200 and cleared.json()["buying_roles"] == []


@pytest.mark.parametrize("influence", [0, 6, -1, 100])
def test_influence_outside_one_to_five_is_refused_naming_the_field(org, team_account, boss, influence):
    client = api_as(org["ar"])

    created = client.post("/contacts", {"account_id": team_account.pk, "name": "某人", "influence": influence})
    patched = client.patch(f"/contacts/{boss.pk}", {"version": 1, "influence": influence})

    assert created.status_code == 422 and _fields(created) == {"influence"}
    assert patched.status_code == 422 and _fields(patched) == {"influence"}
    assert Contact.objects.get(pk=boss.pk).influence == 5


def test_reports_to_a_contact_of_another_account_is_refused(org, team_account, boss):
    other = make_contact(make_account(org["ar"], name="中国电信上海公司"), name="别家的人")
    client = api_as(org["ar"])

    created = client.post("/contacts", {"account_id": team_account.pk, "name": "张三", "reports_to_id": other.pk})
    patched = client.patch(f"/contacts/{boss.pk}", {"version": 1, "reports_to_id": other.pk})

    for response in (created, patched):
        assert response.status_code == 422, response.content
        assert _fields(response) == {"reports_to_id"}
    assert Contact.objects.get(pk=boss.pk).reports_to_id is None
    assert not Contact.objects.filter(name="张三").exists()


def test_reports_to_a_contact_of_an_invisible_account_reads_like_an_unknown_one(org, team_account):
    """The answer must not tell whether a contact id exists at an account the caller cannot see."""
    hidden = make_contact(make_account(org["outsider"], name="华北某客户"), name="看不见的人")
    client = api_as(org["ar"])

    hidden_answer = client.post("/contacts", {"account_id": team_account.pk, "name": "甲", "reports_to_id": hidden.pk})
    missing_answer = client.post("/contacts", {"account_id": team_account.pk, "name": "乙", "reports_to_id": 10**9})

    assert hidden_answer.status_code == missing_answer.status_code == 422
    assert hidden_answer.json()["errors"] == missing_answer.json()["errors"]


def test_a_reporting_cycle_is_refused(org, team_account, boss):
    client = api_as(org["ar"])
    cio = make_contact(team_account, name="陈主任", reports_to_id=boss.pk)
    engineer = make_contact(team_account, name="刘工", reports_to_id=cio.pk)

    to_self = client.patch(f"/contacts/{boss.pk}", {"version": 1, "reports_to_id": boss.pk})
    around = client.patch(f"/contacts/{boss.pk}", {"version": 1, "reports_to_id": engineer.pk})

    for response in (to_self, around):
        assert response.status_code == 422
        assert _fields(response) == {"reports_to_id"}
    assert Contact.objects.get(pk=boss.pk).reports_to_id is None
    assert client.patch(f"/contacts/{engineer.pk}", {"version": 1, "reports_to_id": boss.pk}).status_code == 200


def test_a_stale_version_is_a_conflict_and_changes_nothing(org, team_account, boss):
    client = api_as(org["ar"])
    assert client.patch(f"/contacts/{boss.pk}", {"version": 1, "title": "董事长"}).status_code == 200

    stale = client.patch(f"/contacts/{boss.pk}", {"version": 1, "title": "总裁", "stance": "opponent"})

    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict"
    assert stale.json()["current"]["title"] == "董事长"
    contact = Contact.objects.get(pk=boss.pk)
    assert (contact.title, contact.stance, contact.version) == ("董事长", "neutral", 2)
    # The If-Match header carries the version as well.
    assert client.patch(f"/contacts/{boss.pk}", {"title": "总裁"}, **{"If-Match": '"2"'}).status_code == 200
    missing = client.patch(f"/contacts/{boss.pk}", {"title": "总裁"})
    assert missing.status_code == 422 and _fields(missing) == {"version"}


def test_delete_moves_the_contact_to_the_trash(org, team_account, boss):
    client = api_as(org["ar"])
    report = make_contact(team_account, name="下属", reports_to_id=boss.pk)

    assert client.delete(f"/contacts/{boss.pk}").status_code == 204

    assert client.get(f"/contacts/{boss.pk}").status_code == 404
    assert client.delete(f"/contacts/{boss.pk}").status_code == 404
    assert Contact.all_objects.get(pk=boss.pk).deleted_at is not None
    assert client.get(f"/contacts/{report.pk}").json()["reports_to_id"] is None
    trash = api_as(org["admin"]).get("/trash").json()
    assert any(item["kind"] == "relationships.contact" and item["id"] == boss.pk for item in trash)
    assert boss.pk not in [item["id"] for item in client.get("/contacts").json()["items"]]


def test_list_filters(org, team_account):
    client = api_as(org["ar"])
    other_account = make_account(org["ar"], name="上海银行")
    decider = make_contact(
        team_account, name="决策人", buying_roles=["decision_maker", "economic_buyer"], stance="supporter", is_key=True
    )
    opponent = make_contact(team_account, name="反对者", stance="opponent", is_key=True, title="采购总监")
    add_owner(opponent, org["ar"], primary=True)
    add_owner(opponent, org["sr"])
    add_owner(decider, org["ar"], primary=True)
    user = make_contact(team_account, name="使用者", buying_roles=["user"], email="user@bank.example")
    elsewhere = make_contact(other_account, name="别处的决策人", buying_roles=["decision_maker"])

    def names(**params) -> set[str]:
        response = client.get("/contacts", params)
        assert response.status_code == 200, response.content
        return {item["name"] for item in response.json()["items"]}

    assert names(account_id=team_account.pk) == {"决策人", "反对者", "使用者"}
    assert names(account_id=other_account.pk) == {elsewhere.name}
    assert names(role="decision_maker") == {"决策人", "别处的决策人"}
    assert names(role="economic_buyer") == {"决策人"}
    assert names(role="user") == {"使用者"}
    assert names(stance="opponent") == {"反对者"}
    assert names(is_key=True) == {"决策人", "反对者"}
    assert names(is_key=True, no_backup=True) == {"决策人"}
    assert names(no_backup=False) == {"反对者"}
    assert names(q="采购") == {"反对者"}
    assert names(q="bank.example") == {user.name}
    assert names(q="决策", account_id=team_account.pk) == {"决策人"}
    assert client.get("/contacts", {"role": "boss"}).status_code == 422
    assert client.get("/contacts", {"stance": "friend"}).status_code == 422


def test_keyset_paging_walks_every_contact_once(org, team_account):
    client = api_as(org["ar"])
    for number in range(7):
        make_contact(team_account, name=f"联系人{number:02}", influence=number % 5 + 1)

    for sort in ("name", "-name", "influence", "-updated_at"):
        seen: list[str] = []
        cursor = None
        pages = 0
        while True:
            params = {"limit": 3, "sort": sort, **({"cursor": cursor} if cursor else {})}
            page = client.get("/contacts", params).json()
            seen.extend(item["name"] for item in page["items"])
            pages += 1
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert sorted(seen) == [f"联系人{number:02}" for number in range(7)], sort
        assert pages == 3
    assert client.get("/contacts", {"cursor": "garbage"}).status_code == 422
    assert client.get("/contacts", {"limit": 201}).status_code == 422


def test_history_shows_the_move_between_nine_grid_cells(org, team_account, boss):
    client = api_as(org["ar"])
    client.patch(f"/contacts/{boss.pk}", {"version": 1, "intimacy": "medium"})
    client.patch(f"/contacts/{boss.pk}", {"version": 2, "intimacy": "high", "support": "medium"})

    history = client.get(f"/contacts/{boss.pk}/history")

    assert history.status_code == 200
    entries = history.json()
    assert entries[-1]["kind"] == "created"
    newest = {change["field"]: (change["old"], change["new"]) for change in entries[0]["changes"]}
    assert newest == {"intimacy": ("medium", "high"), "support": ("low", "medium")}
    middle = {change["field"]: (change["old"], change["new"]) for change in entries[1]["changes"]}
    assert middle == {"intimacy": ("low", "medium")}
    assert entries[0]["user_id"] == org["ar"].pk


@pytest.mark.parametrize(("who", "reads", "writes"), [("sr", True, True), ("manager", True, True)])
def test_team_member_and_manager_read_and_write(org, team_account, boss, who, reads, writes):
    client = api_as(org[who])

    assert client.get(f"/contacts/{boss.pk}").status_code == 200
    assert [item["id"] for item in client.get("/contacts").json()["items"]] == [boss.pk]
    created = client.post("/contacts", {"account_id": team_account.pk, "name": f"{who}的联系人"})
    assert created.status_code == 201
    assert client.patch(f"/contacts/{boss.pk}", {"version": 1, "title": who}).status_code == 200
    assert client.delete(f"/contacts/{created.json()['id']}").status_code == 204


def test_outsider_sees_nothing(org, team_account, boss):
    client = api_as(org["outsider"])

    assert client.get("/contacts").json() == {"items": [], "next_cursor": None}
    assert client.get("/contacts", {"account_id": team_account.pk}).json()["items"] == []
    for method, path, body in (
        ("get", f"/contacts/{boss.pk}", None),
        ("patch", f"/contacts/{boss.pk}", {"version": 1, "title": "黑客"}),
        ("delete", f"/contacts/{boss.pk}", None),
        ("get", f"/contacts/{boss.pk}/history", None),
    ):
        response = getattr(client, method)(path, body) if body else getattr(client, method)(path)
        assert response.status_code == 404, (method, path)
        assert response.json()["code"] == "not_found"
    created = client.post("/contacts", {"account_id": team_account.pk, "name": "混进来的人"})
    assert created.status_code == 422 and _fields(created) == {"account_id"}
    assert Contact.objects.get(pk=boss.pk).title == "总经理"
    assert not Contact.objects.filter(name="混进来的人").exists()


def test_a_global_reader_reads_but_may_not_write(org, team_account, boss):
    finance = grant_permission(org["finance_user"], "read_all_records")
    client = api_as(finance)

    assert client.get(f"/contacts/{boss.pk}").status_code == 200
    assert [item["id"] for item in client.get("/contacts").json()["items"]] == [boss.pk]
    assert client.get(f"/contacts/{boss.pk}/history").status_code == 200
    assert client.post("/contacts", {"account_id": team_account.pk, "name": "财务加的人"}).status_code == 403
    assert client.patch(f"/contacts/{boss.pk}", {"version": 1, "title": "财务改"}).status_code == 403
    assert client.delete(f"/contacts/{boss.pk}").status_code == 403
    contact = Contact.objects.get(pk=boss.pk)
    assert (contact.title, contact.deleted_at, contact.version) == ("总经理", None, 1)
    assert not Contact.objects.filter(name="财务加的人").exists()


def test_unknown_account_and_bad_ids_are_invalid_input_or_404(org):
    client = api_as(org["ar"])

    assert client.post("/contacts", {"account_id": 10**9, "name": "某人"}).status_code == 422
    assert client.get("/contacts/0").status_code in (404, 422)
    assert client.get(f"/contacts/{2**63}").status_code in (404, 422)
    assert client.get("/contacts/abc").status_code in (404, 422)
