"""Contact pages and the account 360 page's relationships tab, through the test client and every middleware."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from irontriangle.common.access import viewer_of
from irontriangle.relationships.models import Contact, ContactOwner, PlanAction, RelationshipPlan
from irontriangle.relationships.services import plan_action_add, plan_create
from tests.factories import add_owner, add_to_team, log_interaction, make_account, make_contact

HX = {"HX-Request": "true"}
# The team's SR edits, the unit's manager edits, someone of another region sees nothing.
WHO = [("sr", 200), ("manager", 200), ("outsider", 404)]


@pytest.fixture
def account(org):
    account = make_account(org["ar"], name="中国移动上海公司", segment="ka", tier="s")
    add_to_team(account, org["sr"], "sr")
    return account


@pytest.fixture
def people(org, account):
    """A small decision structure: the general manager, his CIO (key, opponent) and an engineer."""
    boss = make_contact(
        account,
        name="王总",
        title="总经理",
        buying_roles=["decision_maker"],
        influence=5,
        stance="supporter",
        intimacy="high",
        support="high",
        is_key=True,
    )
    cio = make_contact(
        account,
        name="陈主任",
        title="信息中心主任",
        reports_to_id=boss.pk,
        buying_roles=["technical_evaluator", "economic_buyer"],
        influence=4,
        stance="opponent",
        is_key=True,
    )
    engineer = make_contact(account, name="刘工", title="网络工程师", reports_to_id=cio.pk, buying_roles=["user"])
    add_owner(boss, org["ar"], primary=True)
    add_owner(boss, org["sr"])
    add_owner(cio, org["sr"], primary=True)
    return {"boss": boss, "cio": cio, "engineer": engineer}


def _login(client, org, username):
    client.force_login(org[username])


# --- list -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "expected"), WHO)
def test_the_list_shows_the_contacts_a_person_may_see(client, org, people, username, expected):
    _login(client, org, username)
    response = client.get("/contacts/")
    assert response.status_code == 200
    names = [row[0].name for row in response.context["rows"]]
    if expected == 200:
        assert sorted(names) == sorted(["王总", "陈主任", "刘工"])
        page = response.content.decode()
        assert 'data-testid="no-backup"' in page  # the CIO is key and has no backup
        assert "Technical evaluator" in page and "Opponent" in page
    else:
        assert names == []


def test_list_filters_and_a_short_bookmarkable_address(client, org, people, account):
    _login(client, org, "sr")
    rows = client.get("/contacts/", {"key": "on", "no_backup": "on"}).context["rows"]
    assert [row[0].name for row in rows] == ["陈主任"]
    rows = client.get("/contacts/", {"role": "decision_maker"}).context["rows"]
    assert [row[0].name for row in rows] == ["王总"]
    rows = client.get("/contacts/", {"stance": "opponent", "account": account.pk}).context["rows"]
    assert [row[0].name for row in rows] == ["陈主任"]
    rows = client.get("/contacts/", {"q": "工程师"}).context["rows"]
    assert [row[0].name for row in rows] == ["刘工"]
    assert client.get("/contacts/", {"role": "astronaut", "status": "x"}).status_code == 200

    response = client.get("/contacts/", {"q": "", "role": "", "stance": "opponent", "status": ""}, headers=HX)
    assert response["HX-Push-Url"] == "/contacts/?stance=opponent"
    body = response.content.decode()
    assert '<nav class="navbar' not in body and 'data-testid="filter-chip"' in body


def test_the_list_costs_the_same_for_3_and_20_contacts(client, org, account, people):
    _login(client, org, "manager")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/contacts/", {"account": account.pk}).status_code == 200
        return len(queries)

    client.get("/contacts/")
    few = count()
    for n in range(17):
        contact = make_contact(account, name=f"联系人{n:02}", buying_roles=["user", "finance"], is_key=n % 2 == 0)
        add_owner(contact, org["ar"], primary=True)
        add_owner(contact, org["sr"])
    many = count()
    assert many == few
    assert many <= 10


def test_the_list_pages_with_a_cursor(client, org, account):
    for n in range(55):
        make_contact(account, name=f"人{n:02}")
    _login(client, org, "ar")
    first = client.get("/contacts/")
    assert len(first.context["rows"]) == 50 and first.context["page"].next_cursor
    second = client.get("/contacts/", {"cursor": first.context["page"].next_cursor})
    assert len(second.context["rows"]) == 5
    assert client.get("/contacts/", {"cursor": "garbage"}).status_code == 200


# --- create and edit --------------------------------------------------------------------------------


def _form_data(account, **changes):
    data = {
        "account_id": str(account.pk),
        "name": "赵处长",
        "title": "采购处处长",
        "department": "采购部",
        "reports_to_id": "",
        "phone": "13800000000",
        "email": "zhao@example.com",
        "wechat": "zhao_wx",
        "buying_roles": ["procurement", "finance"],
        "influence": "4",
        "stance": "neutral",
        "intimacy": "medium",
        "support": "low",
        "is_key": "on",
        "status": "promoted",
        "status_changed_on": "2026-03-01",
        "status_note": "升任副总",
        "notes": "关注交付周期",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize(("username", "expected"), WHO)
def test_create_round_trips_every_field(client, org, account, people, username, expected):
    _login(client, org, username)
    page = client.get(f"/contacts/new/?account={account.pk}")
    assert page.status_code == 200
    if expected == 200:
        # The reports-to list holds the people of this account only.
        assert "王总" in page.content.decode()
    response = client.post("/contacts/new/", _form_data(account, reports_to_id=str(people["boss"].pk)))
    if expected == 404:
        # The account is unknown to an outsider: the form says so on the account field.
        assert response.status_code == 200
        assert response.context["form"].errors["account_id"]
        assert not Contact.objects.filter(name="赵处长").exists()
        return
    contact = Contact.objects.get(name="赵处长")
    assert response.status_code == 302 and response["Location"] == f"/contacts/{contact.pk}/"
    assert contact.account_id == account.pk
    assert (contact.title, contact.department, contact.reports_to_id) == ("采购处处长", "采购部", people["boss"].pk)
    assert (contact.phone, contact.email, contact.wechat) == ("13800000000", "zhao@example.com", "zhao_wx")
    assert contact.roles == ["procurement", "finance"]
    assert (contact.influence, contact.stance, contact.intimacy, contact.support) == (4, "neutral", "medium", "low")
    assert contact.is_key
    assert (contact.status, contact.status_changed_on, contact.status_note) == (
        "promoted",
        date(2026, 3, 1),
        "升任副总",
    )
    assert contact.notes == "关注交付周期"

    # And back into the edit form, unchanged.
    form = client.get(f"/contacts/{contact.pk}/edit/").context["form"]
    assert form.initial["buying_roles"] == ["procurement", "finance"]
    assert form.initial["reports_to_id"] == people["boss"].pk
    assert form.initial["status_changed_on"] == date(2026, 3, 1)


def test_create_shows_service_errors_on_their_fields(client, org, account):
    _login(client, org, "ar")
    response = client.post("/contacts/new/", _form_data(account, name="", email="not-an-address", influence="9"))
    errors = response.context["form"].errors
    assert {"name", "email", "influence"} <= set(errors)
    assert not Contact.objects.exists()


def test_edit_rejects_a_manager_of_another_account_on_that_field(client, org, account, people):
    other = make_account(org["ar"], name="中国联通上海公司")
    stranger = make_contact(other, name="外人")
    engineer = people["engineer"]
    _login(client, org, "ar")  # sees both accounts
    data = _form_data(account, name="刘工", reports_to_id=str(stranger.pk), version=str(engineer.version))
    response = client.post(f"/contacts/{engineer.pk}/edit/", data)
    assert response.status_code == 200
    assert "same account" in response.context["form"].errors["reports_to_id"][0]
    assert 'data-field-error="reports_to_id"' in response.content.decode()
    engineer.refresh_from_db()
    assert engineer.reports_to_id == people["cio"].pk
    # Someone who cannot see the other account is told the person is unknown, on the same field.
    _login(client, org, "sr")
    response = client.post(f"/contacts/{engineer.pk}/edit/", data)
    assert response.context["form"].errors["reports_to_id"] == ["Unknown contact."]

    # A circle is refused the same way: the boss cannot report to the engineer below him.
    boss = people["boss"]
    data = _form_data(account, name="王总", reports_to_id=str(engineer.pk), version=str(boss.version))
    response = client.post(f"/contacts/{boss.pk}/edit/", data)
    assert "circle" in response.context["form"].errors["reports_to_id"][0]


@pytest.mark.parametrize(("username", "expected"), WHO)
def test_edit_saves_for_editors(client, org, people, username, expected):
    cio = people["cio"]
    _login(client, org, username)
    assert client.get(f"/contacts/{cio.pk}/edit/").status_code == expected
    data = _form_data(
        cio.account, name="陈主任", reports_to_id=str(people["boss"].pk), stance="supporter", version=str(cio.version)
    )
    response = client.post(f"/contacts/{cio.pk}/edit/", data)
    cio.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert cio.stance == "supporter" and cio.roles == ["procurement", "finance"]
    else:
        assert response.status_code == 404 and cio.stance == "opponent"


def test_a_reader_may_look_but_not_edit(client, org, people, reader):
    client.force_login(reader)
    assert client.get(f"/contacts/{people['cio'].pk}/").status_code == 200
    assert client.get(f"/contacts/{people['cio'].pk}/edit/").status_code == 403


def test_edit_with_a_stale_version_keeps_the_other_change(client, org, people):
    cio = people["cio"]
    _login(client, org, "sr")
    data = _form_data(cio.account, name="陈主任", reports_to_id=str(people["boss"].pk), version=str(cio.version))
    client.post(f"/contacts/{cio.pk}/edit/", {**data, "title": "CIO"})
    response = client.post(f"/contacts/{cio.pk}/edit/", {**data, "title": "首席信息官"})
    assert response.status_code == 409
    assert 'data-testid="version-conflict"' in response.content.decode()
    cio.refresh_from_db()
    assert cio.title == "CIO"


def test_the_reports_to_options_follow_the_account(client, org, account, people):
    _login(client, org, "sr")
    body = client.get("/contacts/options/", {"account_id": account.pk}, headers=HX).content.decode()
    assert "王总" in body and "刘工" in body
    client.force_login(org["outsider"])
    assert "王总" not in client.get("/contacts/options/", {"account_id": account.pk}).content.decode()


# --- detail, owners, plans --------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "expected"), WHO)
def test_the_detail_page(client, org, account, people, username, expected):
    cio = people["cio"]
    log_interaction(account, contact_ids=[cio.pk], minutes="讨论了5G专网方案", kind="meal")
    _login(client, org, username)
    response = client.get(f"/contacts/{cio.pk}/")
    assert response.status_code == expected
    if expected != 200:
        return
    page = response.content.decode()
    assert "陈主任" in page and "信息中心主任" in page and "王总" in page  # reports to the boss
    assert 'data-testid="owner-warning"' in page  # key, without a backup
    assert "讨论了5G专网方案" in page
    assert f"/interactions/new/?account={account.pk}&amp;contact={cio.pk}" in page
    assert 'data-testid="account-history"' in page and "Added the contact" in page
    assert 'data-testid="edit-contact"' in page and 'data-testid="delete-contact"' in page


def test_the_history_shows_moves_on_the_nine_grid(client, org, people):
    from irontriangle.relationships.services import contact_update

    cio = people["cio"]
    contact_update(
        viewer=viewer_of(org["ar"]),
        actor=org["ar"],
        contact=cio,
        data={"intimacy": "medium", "support": "high", "reports_to_id": None},
        version=cio.version,
    )
    _login(client, org, "sr")
    response = client.get(f"/contacts/{cio.pk}/")
    changes = {change.field: change for change in response.context["history"][0].changes}
    assert (changes["intimacy"].old, changes["intimacy"].new) == ("Low", "Medium")
    assert (changes["support"].old, changes["support"].new) == ("Low", "High")
    assert changes["reports_to"].old == "王总"  # named, not numbered


def test_the_detail_page_costs_a_fixed_number_of_queries(client, org, account, people):
    cio = people["cio"]
    _login(client, org, "sr")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/contacts/{cio.pk}/").status_code == 200
        return len(queries)

    client.get(f"/contacts/{cio.pk}/")
    few = count()
    who = viewer_of(org["ar"])
    plan = plan_create(
        viewer=who, actor=org["ar"], contact=cio, data={"goal": "争取支持", "target_stance": "supporter"}
    )
    for n in range(5):
        plan_action_add(viewer=who, actor=org["ar"], plan=plan, data={"title": f"拜访{n}", "owner_id": org["sr"].pk})
        log_interaction(account, contact_ids=[cio.pk], minutes=f"第{n}次")
        add_owner(cio, add_to_team(account, _member(org, n), "other").user)
    many = count()
    assert many - few <= 3  # the plans, their actions and their owners: once each, not per row
    assert many <= 22


def _member(org, n):
    from tests.factories import make_user

    return make_user(f"member{n}", units=[org["units"]["shanghai"]])


@pytest.mark.parametrize(("username", "expected"), WHO)
def test_owners_are_added_and_removed(client, org, people, username, expected):
    cio = people["cio"]
    _login(client, org, username)
    response = client.post(f"/contacts/{cio.pk}/owners/", {"owner-user_id": org["ar"].pk})
    assert response.status_code == (302 if expected == 200 else 404)
    if expected != 200:
        assert ContactOwner.objects.filter(contact=cio).count() == 1
        return
    assert response["Location"] == f"/contacts/{cio.pk}/#owners"
    backup = ContactOwner.objects.get(contact=cio, user=org["ar"])
    assert not backup.is_primary
    page = client.get(f"/contacts/{cio.pk}/").content.decode()
    assert 'data-testid="owner-warning"' not in page

    client.post(f"/contacts/{cio.pk}/owners/{backup.pk}/remove/")
    assert not ContactOwner.objects.filter(pk=backup.pk).exists()


def test_an_owner_who_cannot_see_the_account_is_refused_on_the_field(client, org, people):
    cio = people["cio"]
    _login(client, org, "ar")
    response = client.post(f"/contacts/{cio.pk}/owners/", {"owner-user_id": org["outsider"].pk})
    assert response.status_code == 400
    assert "cannot see this account" in response.context["owner_form"].errors["user_id"][0]


@pytest.mark.parametrize(("username", "expected"), WHO)
def test_a_plan_is_made_and_its_actions_ticked_off(client, org, people, username, expected):
    cio = people["cio"]
    _login(client, org, username)
    data = {
        "plan-goal": "把陈主任转为支持者",
        "plan-target_intimacy": "medium",
        "plan-target_support": "medium",
        "plan-target_stance": "supporter",
        "plan-due_on": "2026-12-31",
    }
    response = client.post(f"/contacts/{cio.pk}/plans/", data)
    if expected != 200:
        assert response.status_code == 404 and not RelationshipPlan.objects.exists()
        return
    plan = RelationshipPlan.objects.get(contact=cio)
    assert (plan.start_stance, plan.target_stance, plan.due_on) == ("opponent", "supporter", date(2026, 12, 31))

    prefix = f"action-{plan.pk}"
    client.post(
        f"/contacts/{cio.pk}/plans/{plan.pk}/actions/",
        {f"{prefix}-title": "安排技术交流", f"{prefix}-owner_id": org["sr"].pk, f"{prefix}-due_on": "2026-07-01"},
    )
    client.post(f"/contacts/{cio.pk}/plans/{plan.pk}/actions/", {f"{prefix}-title": "邀请参观展厅"})
    first, _second = PlanAction.objects.filter(plan=plan).order_by("id")
    assert first.owner_id == org["sr"].pk

    response = client.post(
        f"/contacts/{cio.pk}/plans/{plan.pk}/actions/{first.pk}/done/",
        {"done": "on", "version": first.version},
        headers=HX,
        follow=True,
    )
    first.refresh_from_db()
    assert first.done_on is not None
    progress = {p.pk: value for p, value in response.context["plans"]}
    assert progress[plan.pk] == 25  # half the actions done, no move yet: (0 + 0.5) / 2

    client.post(f"/contacts/{cio.pk}/plans/{plan.pk}/close/", {"status": "achieved", "version": plan.version})
    plan.refresh_from_db()
    assert plan.status == "achieved"
    page = client.get(f"/contacts/{cio.pk}/").content.decode()
    assert 'data-testid="plan-form"' in page  # closed: a new plan may be made


def test_a_second_active_plan_is_refused_with_a_message(client, org, people):
    cio = people["cio"]
    plan_create(viewer=viewer_of(org["ar"]), actor=org["ar"], contact=cio, data={"goal": "第一个计划"})
    _login(client, org, "ar")
    data = {"plan-goal": "第二个", "plan-target_intimacy": "high", "plan-target_support": "high"}
    response = client.post(f"/contacts/{cio.pk}/plans/", {**data, "plan-target_stance": "supporter"})
    assert response.status_code == 400
    assert RelationshipPlan.objects.filter(contact=cio).count() == 1


def test_delete_moves_the_contact_to_the_trash(client, org, people, account):
    engineer = people["engineer"]
    _login(client, org, "outsider")
    assert client.post(f"/contacts/{engineer.pk}/delete/").status_code == 404
    _login(client, org, "sr")
    response = client.post(f"/contacts/{engineer.pk}/delete/")
    assert response["Location"] == f"/accounts/{account.pk}/#relationships"
    assert not Contact.objects.filter(pk=engineer.pk).exists()
    assert client.get(f"/contacts/{engineer.pk}/").status_code == 404


# --- the account 360 page's relationships tab -------------------------------------------------------


@pytest.mark.parametrize(("username", "expected"), WHO)
def test_the_relationships_tab(client, org, account, people, username, expected):
    _login(client, org, username)
    url = f"/contacts/account/{account.pk}/relationships/"
    response = client.get(url, headers=HX)
    assert response.status_code == expected
    if expected != 200:
        return
    page = response.content.decode()
    chart = json.loads(page.split('id="power-map-data" type="application/json">')[1].split("</script>")[0])
    nodes = {node["name"]: node for node in chart["nodes"]}
    assert nodes["陈主任"]["parent"] == people["boss"].pk and nodes["王总"]["parent"] is None
    assert nodes["陈主任"]["stance"] == "opponent" and nodes["陈主任"]["no_backup"]
    assert nodes["王总"]["key"] and nodes["王总"]["owner"] == "王磊"
    assert nodes["刘工"]["url"] == f"/contacts/{people['engineer'].pk}/"
    assert 'data-testid="uncovered-roles"' not in page  # decision maker and economic buyer are there
    # The nine-grid places the key people; the boss top right.
    cells = {(cell.intimacy, cell.support): cell for row in response.context["grid"] for cell, _w in row["cells"]}
    assert [c.name for c in cells[("high", "high")].contacts] == ["王总"]
    assert [c.name for c in cells[("low", "low")].contacts] == ["陈主任"]
    assert "Keep and leverage" in page
    kinds = {risk.kind for risk in response.context["risks"]}
    assert {"no_backup", "not_met"} <= kinds
    assert 'data-testid="org-cadence"' in page and 'data-testid="cadence-overdue"' not in page
    assert f"/contacts/new/?account={account.pk}" in page
    # Opened without htmx, the address leads to the tab on the 360 page.
    plain = client.get(url)
    assert plain.status_code == 302 and plain["Location"] == f"/accounts/{account.pk}/#relationships"


def test_the_tab_flags_uncovered_roles_and_is_empty_without_contacts(client, org, account):
    _login(client, org, "ar")
    page = client.get(f"/accounts/{account.pk}/").content.decode()
    assert 'id="tab-relationships"' in page and f"/contacts/account/{account.pk}/relationships/" in page
    empty = client.get(f"/contacts/account/{account.pk}/relationships/", headers=HX).content.decode()
    assert "power-map-data" not in empty and "No contacts yet" in empty
    make_contact(account, name="李经理", buying_roles=["user"], status="left")
    page = client.get(f"/contacts/account/{account.pk}/relationships/", headers=HX).content.decode()
    assert 'data-testid="uncovered-roles"' in page and "Decision maker" in page


def test_the_tab_costs_the_same_however_many_contacts(client, org, account, people):
    _login(client, org, "ar")
    url = f"/contacts/account/{account.pk}/relationships/"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, headers=HX).status_code == 200
        return len(queries)

    client.get(url, headers=HX)
    few = count()
    for n in range(10):
        contact = make_contact(account, name=f"联系人{n}", is_key=True, reports_to_id=people["boss"].pk)
        add_owner(contact, org["sr"], primary=True)
        log_interaction(account, contact_ids=[contact.pk])
    assert count() == few


def test_a_crowded_account_draws_its_most_important_people_first(client, org, account, people, monkeypatch):
    """On an account with more contacts than the tab draws, key people and the most influential come first,
    and the page says how many there are in all."""
    from irontriangle.relationships import sections

    monkeypatch.setattr(sections, "MAP_LIMIT", 2)
    _login(client, org, "ar")
    response = client.get(f"/contacts/account/{account.pk}/relationships/", headers=HX)
    chart = response.context["chart"]
    assert [node["name"] for node in chart["nodes"]] == [
        "王总",
        "陈主任",
    ]  # the engineer is neither key nor influential
    page = response.content.decode()
    assert "The 2 most important of 3 contacts" in page
