"""The account 360 page and its cards, through the Django test client and every middleware."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from irontriangle.accounts.models import Account, CustomerInfo, PurchaseDriver
from irontriangle.accounts.services import customer_info_create, driver_create, ownership_request_create
from irontriangle.common.access import viewer_of
from tests.factories import add_to_team, make_account, make_user, strengthen

HX = {"HX-Request": "true"}


def add_driver(account, user, name="移动用户数", volume="1200000", factor="12.5"):
    return driver_create(
        viewer=viewer_of(user),
        actor=user,
        account=account,
        data={"name": name, "volume": Decimal(volume), "unit": "户", "factor": Decimal(factor), "source": "年报"},
    )


def add_info(account, user, title="新建5G基站 3,000 座", kind="equipment", on=date(2026, 3, 1)):
    return customer_info_create(
        viewer=viewer_of(user), actor=user, account=account, data={"kind": kind, "title": title, "recorded_on": on}
    )


@pytest.fixture
def group(org):
    """A group, its province company (the team account's parent) and a city company below it."""
    ar = org["ar"]
    top = make_account(ar, name="中国移动集团", potential="50000000")
    province = strengthen(make_account(ar, name="中国移动上海公司", parent_id=top.pk, potential="20000000"))
    city = make_account(ar, name="中国移动浦东分公司", parent_id=province.pk, potential="3000000")
    add_to_team(province, org["sr"], "sr")
    return {"top": top, "province": province, "city": city}


def test_the_page_shows_tree_matrix_team_potential_information_and_ownership(client, org, group):
    province = group["province"]
    add_driver(province, org["ar"])
    add_info(province, org["ar"])
    client.force_login(org["ar"])

    response = client.get(f"/accounts/{province.pk}/")

    assert response.status_code == 200
    context = response.context
    assert [a.name for a in context["ancestors"]] == ["中国移动集团"]
    assert [(n.account.name, n.depth) for n in context["tree"]] == [("中国移动上海公司", 0), ("中国移动浦东分公司", 1)]
    assert context["tree"][0].rolled_up_potential == Decimal("23000000.00")
    assert context["missing_roles"] == ["FR · fulfilment manager"]
    page = response.content.decode()
    assert 'data-testid="missing-roles"' in page and "no FR · fulfilment manager" in page
    # A strong relationship (its key contact supports us) and potential above 10,000,000: a core customer.
    assert context["chart"]["current"] == "core" and context["chart"]["point"][0] > 50
    assert "Potential 20,000,000 is high" in context["explanation"]
    assert json.loads(page.split('id="matrix-data" type="application/json">')[1].split("</script>")[0])[
        "quadrants"
    ] == {
        "core": "Core",
        "growth": "Growth",
        "traction": "Traction",
        "problem": "Problem",
    }
    assert "移动用户数" in page and "15,000,000" in page  # 1,200,000 × 12.5
    assert "新建5G基站 3,000 座" in page
    assert 'data-testid="ownership-history"' in page and 'data-testid="transfer-open"' in page


def test_who_sees_the_page_and_its_cards(client, org, group):
    province = group["province"]
    urls = [
        f"/accounts/{province.pk}/",
        f"/accounts/{province.pk}/potential/",
        f"/accounts/{province.pk}/information/",
        f"/accounts/{province.pk}/ownership/transfer/",
    ]
    for user, expected in [(org["sr"], 200), (org["manager"], 200), (org["outsider"], 404)]:
        client.force_login(user)
        for url in urls:
            assert client.get(url, headers=HX).status_code == expected, (user.username, url)
    client.force_login(org["outsider"])
    assert client.post(f"/accounts/{province.pk}/drivers/", {"new-driver-name": "x"}, headers=HX).status_code == 404
    assert client.post(f"/accounts/{province.pk}/segment/", {"segment": "ka"}).status_code == 404


def test_a_reader_without_edit_rights_sees_no_forms_and_is_refused(client, org, group, reader):
    province = group["province"]
    client.force_login(reader)
    page = client.get(f"/accounts/{province.pk}/").content.decode()
    assert 'data-testid="driver-form"' not in page and 'data-testid="transfer-open"' not in page
    data = {"new-driver-name": "站点数", "new-driver-volume": "10", "new-driver-factor": "1"}
    assert client.post(f"/accounts/{province.pk}/drivers/", data, headers=HX).status_code == 403
    assert not PurchaseDriver.objects.filter(account=province).exists()


def test_adding_a_driver_explains_and_then_drives_the_potential(client, org, group):
    province = group["province"]
    client.force_login(org["sr"])  # on the team: may edit
    data = {
        "new-driver-name": "宽带用户数",
        "new-driver-volume": "100000",
        "new-driver-unit": "户",
        "new-driver-factor": "300",
        "new-driver-as_of": "2026-06-30",
        "new-driver-source": "客户年报",
    }

    response = client.post(f"/accounts/{province.pk}/drivers/", data, headers=HX)

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="potential-card"' in body and "宽带用户数" in body and "30,000,000" in body
    assert 'id="matrix-card" data-testid="matrix-card" hx-swap-oob="true"' in body
    assert Account.objects.get(pk=province.pk).potential == Decimal("20000000.00")  # still typed by hand

    province.refresh_from_db()
    switched = client.post(
        f"/accounts/{province.pk}/potential/basis/", {"use_drivers": "on", "version": province.version}, headers=HX
    )

    assert switched.status_code == 200
    province.refresh_from_db()
    assert province.potential_basis == "drivers" and province.potential == Decimal("30000000.00")
    assert 'data-testid="potential-value">30,000,000' in switched.content.decode()

    driver = PurchaseDriver.objects.get(account=province)
    edited = client.post(
        f"/accounts/{province.pk}/drivers/{driver.pk}/",
        {
            f"driver-{driver.pk}-name": "宽带用户数",
            f"driver-{driver.pk}-volume": "200000",
            f"driver-{driver.pk}-factor": "300",
            f"driver-{driver.pk}-version": driver.version,
        },
        headers=HX,
    )
    assert edited.status_code == 200
    assert Account.objects.get(pk=province.pk).potential == Decimal("60000000.00")

    assert client.post(f"/accounts/{province.pk}/drivers/{driver.pk}/delete/", headers=HX).status_code == 200
    assert Account.objects.get(pk=province.pk).potential is None


def test_a_stale_driver_edit_is_refused_and_an_invalid_one_shows_its_errors(client, org, group):
    province = group["province"]
    driver = add_driver(province, org["ar"])
    client.force_login(org["ar"])
    prefix = f"driver-{driver.pk}"

    stale = client.post(
        f"/accounts/{province.pk}/drivers/{driver.pk}/",
        {f"{prefix}-name": "改名", f"{prefix}-volume": "1", f"{prefix}-factor": "1", f"{prefix}-version": 99},
        headers=HX,
    )
    invalid = client.post(f"/accounts/{province.pk}/drivers/", {"new-driver-name": "无量"}, headers=HX)

    assert "changed by someone else" in stale.content.decode()
    assert PurchaseDriver.objects.get(pk=driver.pk).name == "移动用户数"
    assert 'data-field-error="volume"' in invalid.content.decode()
    # Without htmx, every card answers by sending the person back to the page.
    assert client.get(f"/accounts/{province.pk}/potential/")["Location"].endswith(f"/accounts/{province.pk}/#potential")


def test_customer_information_is_added_edited_and_deleted_newest_first(client, org, group):
    province = group["province"]
    add_info(province, org["ar"], title="旧记录", on=date(2025, 1, 1))
    client.force_login(org["ar"])
    data = {
        "new-info-kind": "production",
        "new-info-title": "月产能 20 万吨",
        "new-info-recorded_on": "2026-05-01",
        "new-info-detail": "二期投产",
    }

    added = client.post(f"/accounts/{province.pk}/information/new/", data, headers=HX).content.decode()

    assert added.index("月产能 20 万吨") < added.index("旧记录")
    info = CustomerInfo.objects.get(title="月产能 20 万吨")
    prefix = f"info-{info.pk}"
    assert (
        f'id="id_{prefix}-title"'
        in client.get(f"/accounts/{province.pk}/information/{info.pk}/", headers=HX).content.decode()
    )
    client.post(
        f"/accounts/{province.pk}/information/{info.pk}/",
        {
            f"{prefix}-kind": "business",
            f"{prefix}-title": "月产能 25 万吨",
            f"{prefix}-recorded_on": "2026-05-02",
            f"{prefix}-version": info.version,
        },
        headers=HX,
    )
    assert CustomerInfo.objects.get(pk=info.pk).kind == "business"
    client.post(f"/accounts/{province.pk}/information/{info.pk}/delete/", headers=HX)
    assert not CustomerInfo.objects.filter(pk=info.pk).exists()


def test_the_ka_suggestion_is_confirmed_and_shows_who_confirmed(client, org):
    account = make_account(org["ar"], name="招商银行", coverage="national")
    client.force_login(org["ar"])
    page = client.get(f"/accounts/{account.pk}/")
    assert page.context["ka"].pending and 'data-testid="ka-suggestion"' in page.content.decode()
    assert "National key account" in page.content.decode()

    response = client.post(f"/accounts/{account.pk}/segment/", {"segment": "ka", "reason": "全国性客户"}, follow=True)

    account.refresh_from_db()
    assert account.segment == "ka" and account.segment_confirmed_by_id == org["ar"].pk
    body = response.content.decode()
    assert 'data-testid="ka-suggestion"' not in body
    assert "Segment KA confirmed by 王磊" in body


def test_keeping_smb_settles_the_suggestion_too(client, org):
    account = make_account(org["ar"], name="中信银行", coverage="national")
    client.force_login(org["ar"])
    client.post(f"/accounts/{account.pk}/segment/", {"segment": "smb"})
    account.refresh_from_db()
    assert account.segment == "smb" and account.segment_confirmed_at is not None
    assert not client.get(f"/accounts/{account.pk}/").context["ka"].pending


def test_the_page_costs_the_same_however_many_rows_each_card_has(client, org, group):
    """A 360 page needs one query per card (tree, ancestors, team, history, matrix settings, KA rule,
    drivers, information, ownership): a fixed number that must not grow with rows, within the web detail
    budget of 14."""
    province = group["province"]
    province_account = Account.objects.get(pk=province.pk)
    client.force_login(org["ar"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/accounts/{province.pk}/").status_code == 200
        return len(queries)

    def request_transfer(unit: str) -> None:
        who = org["ar"]
        ownership_request_create(
            viewer=viewer_of(who), actor=who, account_id=province.pk, unit_code=unit, reason="调整"
        )

    add_driver(province_account, org["ar"])
    add_info(province_account, org["ar"])
    request_transfer("ka-north")
    client.get(f"/accounts/{province.pk}/")
    few = count()
    for n in range(6):
        add_driver(province_account, org["ar"], name=f"驱动{n}")
        add_info(province_account, org["ar"], title=f"信息{n}")
        make_account(org["ar"], name=f"支公司{n}", parent_id=province.pk)
        add_to_team(province_account, make_user(f"member{n}", units=[org["units"]["shanghai"]]), "other")
    request_transfer("smb")
    request_transfer("ka-east")
    many = count()

    assert many == few
    assert many <= 14
