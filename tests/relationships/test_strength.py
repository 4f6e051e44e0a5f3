"""The account's relationship strength follows its contacts (the customer matrix's second axis)."""

from __future__ import annotations

from irontriangle.accounts import profiling
from irontriangle.accounts.models import Account
from tests.conftest import api_as
from tests.factories import make_account, make_contact


def _account(client, account) -> tuple[int, str]:
    body = client.get(f"/accounts/{account.pk}").json()
    return body["relationship_score"], body["matrix_class"]


def test_strength_is_the_share_of_counted_contacts_who_are_close_supporters(org):
    client = api_as(org["ar"])
    account = make_account(org["ar"], name="中国石化上海", potential="20000000")
    assert _account(client, account) == (0, "growth")

    make_contact(account, name="普通员工", stance="supporter", intimacy="high")  # neither key nor decision maker
    assert _account(client, account) == (0, "growth")

    strong = make_contact(account, name="王总", is_key=True, stance="supporter", intimacy="medium")
    weak = make_contact(account, name="陈总", buying_roles=["user", "decision_maker"], stance="neutral")
    assert _account(client, account) == (50, "growth")  # 2 counted, 1 strong

    client.patch(f"/contacts/{weak.pk}", {"version": 1, "stance": "supporter", "intimacy": "high"})
    assert _account(client, account) == (100, "core")

    client.patch(f"/contacts/{strong.pk}", {"version": 1, "intimacy": "low"})
    assert _account(client, account) == (50, "growth")  # a supporter we hardly know is not strong


def test_a_contact_who_leaves_or_is_deleted_stops_counting(org):
    client = api_as(org["ar"])
    account = make_account(org["ar"], name="上海烟草", potential="20000000")
    strong = make_contact(account, name="王总", is_key=True, stance="supporter", intimacy="high")
    weak = make_contact(account, name="陈总", is_key=True)
    make_contact(account, name="李总", is_key=True)
    assert _account(client, account) == (33, "growth")

    client.patch(f"/contacts/{weak.pk}", {"version": 1, "status": "left"})
    assert _account(client, account) == (50, "growth")

    client.delete(f"/contacts/{next(c for c in account.contacts.all() if c.name == '李总').pk}")
    assert _account(client, account) == (100, "core")

    client.patch(f"/contacts/{strong.pk}", {"version": 1, "status": "left"})
    assert _account(client, account) == (0, "growth")  # nobody counted: no strength


def test_the_account_history_records_the_change_of_strength(org):
    client = api_as(org["ar"])
    account = make_account(org["ar"], name="上海地铁")
    make_contact(account, name="王总", is_key=True, stance="supporter", intimacy="high")

    history = client.get(f"/accounts/{account.pk}/history").json()

    changed = {change["field"] for entry in history for change in entry["changes"]}
    assert {"relationship_score", "matrix_class"} <= changed


def test_restoring_a_contact_from_the_trash_counts_it_again(org):
    client = api_as(org["ar"])
    account = make_account(org["ar"], name="上海电气")
    contact = make_contact(account, name="王总", is_key=True, stance="supporter", intimacy="high")
    client.delete(f"/contacts/{contact.pk}")
    assert _account(client, account)[0] == 0

    restored = api_as(org["admin"]).post(f"/trash/relationships.contact/{contact.pk}/restore")

    assert restored.status_code == 200
    assert _account(client, account)[0] == 100


def test_python_and_sql_agree(org):
    account = make_account(org["ar"], name="上海机场")
    make_contact(account, name="甲", is_key=True, stance="supporter", intimacy="high")
    make_contact(account, name="乙", buying_roles=["decision_maker"], stance="supporter", intimacy="low")
    make_contact(account, name="丙", buying_roles=["economic_buyer", "decision_maker"], status="moved")
    other = make_account(org["ar"], name="空客户")
    Account.all_objects.update(relationship_score=99)

    profiling.reclassify_all()

    assert Account.all_objects.get(pk=account.pk).relationship_score == profiling.relationship_score(account) == 50
    assert Account.all_objects.get(pk=other.pk).relationship_score == 0
