"""Purchase drivers explain the potential; customer information is kept as dated records."""

from __future__ import annotations

from irontriangle.accounts.models import Account, PurchaseDriver
from tests.conftest import api_as
from tests.factories import make_account, strengthen


def _add_driver(client, account, **body):
    response = client.post(f"/accounts/{account.pk}/drivers", body)
    assert response.status_code == 201, response.content
    return response.json()


def test_drivers_explain_the_potential_line_by_line(org):
    account = make_account(org["ar"], name="广东电信", potential="5000000.00")
    client = api_as(org["ar"])
    _add_driver(client, account, name="宽带用户数", volume="2000000", unit="户", factor="1.5")
    _add_driver(client, account, name="基站数", volume="1200", unit="个", factor="2500")

    potential = client.get(f"/accounts/{account.pk}/potential").json()

    assert potential["potential"] == "5000000.00" and potential["potential_basis"] == "manual"
    assert potential["estimate"] == "6000000.00"
    assert [(d["name"], d["contribution"]) for d in potential["drivers"]] == [
        ("宽带用户数", "3000000.00"),
        ("基站数", "3000000.00"),
    ]


def test_following_the_drivers_keeps_the_potential_and_matrix_in_step(org):
    account = strengthen(make_account(org["ar"], name="深圳电信"))
    client = api_as(org["ar"])
    driver = _add_driver(client, account, name="企业客户数", volume="4000", factor="2000")

    followed = client.patch(
        f"/accounts/{account.pk}", {"version": account.version, "potential_basis": "drivers"}
    ).json()
    assert followed["potential"] == "8000000.00" and followed["matrix_class"] == "traction"

    client.patch(f"/accounts/{account.pk}/drivers/{driver['id']}", {"version": 1, "volume": "6000"})
    grown = client.get(f"/accounts/{account.pk}").json()
    assert grown["potential"] == "12000000.00" and grown["matrix_class"] == "core"

    # Typing a potential by hand takes it off the drivers again.
    manual = client.patch(f"/accounts/{account.pk}", {"version": grown["version"], "potential": "100.00"}).json()
    assert manual["potential_basis"] == "manual" and manual["potential"] == "100.00"


def test_deleting_a_driver_moves_it_to_the_trash_and_out_of_the_estimate(org):
    account = make_account(org["ar"], name="佛山电信")
    client = api_as(org["ar"])
    driver = _add_driver(client, account, name="站点", volume="10", factor="100")

    assert client.delete(f"/accounts/{account.pk}/drivers/{driver['id']}").status_code == 204

    assert client.get(f"/accounts/{account.pk}/potential").json()["estimate"] is None
    assert PurchaseDriver.all_objects.get(pk=driver["id"]).deleted_at is not None


def test_bad_drivers_are_refused_naming_the_field(org):
    account = make_account(org["ar"], name="东莞电信")
    client = api_as(org["ar"])

    negative = client.post(f"/accounts/{account.pk}/drivers", {"name": "x", "volume": "-1", "factor": "1"})
    text = client.post(f"/accounts/{account.pk}/drivers", {"name": "x", "volume": "1", "factor": "many"})

    assert negative.status_code == 422 and negative.json()["errors"][0]["field"] == "volume"
    assert text.status_code == 422 and text.json()["errors"][0]["field"] == "factor"
    assert not PurchaseDriver.objects.exists()


def test_a_driver_of_another_account_is_not_reachable_through_this_one(org):
    mine = make_account(org["ar"], name="甲")
    other = make_account(org["ar"], name="乙")
    client = api_as(org["ar"])
    driver = _add_driver(client, other, name="x", volume="1", factor="1")

    response = client.patch(f"/accounts/{mine.pk}/drivers/{driver['id']}", {"version": 1, "volume": "2"})

    assert response.status_code == 404


def test_a_stale_driver_version_is_a_conflict(org):
    account = make_account(org["ar"], name="中山电信")
    client = api_as(org["ar"])
    driver = _add_driver(client, account, name="x", volume="1", factor="1")
    client.patch(f"/accounts/{account.pk}/drivers/{driver['id']}", {"version": 1, "volume": "2"})

    stale = client.patch(f"/accounts/{account.pk}/drivers/{driver['id']}", {"version": 1, "volume": "3"})

    assert stale.status_code == 409


def test_customer_information_is_dated_and_newest_first(org):
    account = make_account(org["ar"], name="宝武钢铁")
    client = api_as(org["ar"])
    for kind, title, day in [
        ("production", "年产粗钢 1 亿吨", "2025-12-31"),
        ("equipment", "新上两座高炉", "2026-06-01"),
        ("business", "并购新钢", "2026-03-15"),
    ]:
        created = client.post(f"/accounts/{account.pk}/information", {"kind": kind, "title": title, "recorded_on": day})
        assert created.status_code == 201, created.content

    listed = client.get(f"/accounts/{account.pk}/information").json()
    equipment = client.get(f"/accounts/{account.pk}/information", {"kind": "equipment"}).json()

    assert [item["title"] for item in listed] == ["新上两座高炉", "并购新钢", "年产粗钢 1 亿吨"]
    assert [item["title"] for item in equipment] == ["新上两座高炉"]
    bad = client.post(
        f"/accounts/{account.pk}/information", {"kind": "gossip", "title": "x", "recorded_on": "2026-01-01"}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "kind"


def test_intelligence_is_for_those_who_may_edit_the_account(org, team_account, reader):
    body = {"name": "x", "volume": "1", "factor": "1"}

    assert api_as(org["sr"]).post(f"/accounts/{team_account.pk}/drivers", body).status_code == 201  # team
    assert api_as(org["manager"]).post(f"/accounts/{team_account.pk}/drivers", body).status_code == 201  # above
    assert api_as(reader).post(f"/accounts/{team_account.pk}/drivers", body).status_code == 403  # reads only
    assert api_as(org["outsider"]).post(f"/accounts/{team_account.pk}/drivers", body).status_code == 404
    assert api_as(org["outsider"]).get(f"/accounts/{team_account.pk}/potential").status_code == 404
    assert Account.objects.get(pk=team_account.pk).potential_basis == "manual"
