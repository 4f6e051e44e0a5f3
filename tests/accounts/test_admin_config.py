"""The admin site: administrators change KA profile rules and matrix thresholds, and every account is
re-classified by the same services the API uses; ownership, drivers and information are read-only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.test import Client

from irontriangle.accounts.models import Account, KaProfileRule, MatrixSettings
from irontriangle.accounts.selectors import ka_suggestion
from irontriangle.accounts.services import customer_info_create, driver_create, ownership_request_create
from irontriangle.common.access import viewer_of
from irontriangle.notifications.models import Event
from tests.factories import grant_permission, make_account, make_user, strengthen

RULE_URL = "/admin/accounts/kaprofilerule/{pk}/change/"
MATRIX_URL = "/admin/accounts/matrixsettings/1/change/"


def admin_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rule_form(rule: KaProfileRule, **changes: Any) -> dict[str, Any]:
    values = {
        "enabled": rule.enabled,
        "priority": rule.priority,
        "coverage": rule.coverage,
        "min_annual_revenue": rule.min_annual_revenue if rule.min_annual_revenue is not None else "",
        "requires_region": rule.requires_region,
        "requires_ranking": rule.requires_ranking,
        "requires_high_willingness": rule.requires_high_willingness,
        **changes,
    }
    # A browser sends a ticked box as "on" and leaves an unticked one out.
    return {name: ("on" if value is True else value) for name, value in values.items() if value is not False}


def _matrix_form(**changes: Any) -> dict[str, Any]:
    settings = MatrixSettings.objects.get(pk=1)
    return {
        "potential_threshold": settings.potential_threshold,
        "strength_threshold": settings.strength_threshold,
        **changes,
    }


def _regional_account(org: dict[str, Any]) -> Account:
    return make_account(
        org["ar"],
        name="浙江临江精密制造",
        coverage="regional",
        region="浙江",
        annual_revenue="60000000.00",
        segment="smb",
    )


def test_raising_the_regional_threshold_in_the_admin_withdraws_the_ka_suggestion(org):
    account = _regional_account(org)
    suggestion = ka_suggestion(account)
    assert suggestion is not None and suggestion.rule == "regional" and suggestion.pending

    rule = KaProfileRule.objects.get(code="regional")
    client = admin_client(org["admin"])
    assert client.get(RULE_URL.format(pk=rule.pk)).status_code == 200
    response = client.post(RULE_URL.format(pk=rule.pk), _rule_form(rule, min_annual_revenue="80000000"), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "errornote" not in page
    assert f"{Account.all_objects.count()} account" in page  # the re-classification is reported

    rule.refresh_from_db()
    assert rule.min_annual_revenue == Decimal("80000000.00")
    account.refresh_from_db()
    assert account.ka_rule == ""
    assert ka_suggestion(account) is None
    # Saved by the service: the change is in the rule's history with its author, and announced.
    assert rule.history.first().history_user == org["admin"]  # type: ignore[attr-defined]
    assert Event.objects.filter(kind="configuration.changed", actor=org["admin"]).exists()

    client.post(RULE_URL.format(pk=rule.pk), _rule_form(rule, min_annual_revenue="50000000"))
    account.refresh_from_db()
    suggestion = ka_suggestion(account)
    assert suggestion is not None and suggestion.rule == "regional" and suggestion.pending


def test_disabling_a_rule_in_the_admin_reclassifies(org):
    account = make_account(org["ar"], name="Global Freight Partners", coverage="global", segment="smb")
    assert account.ka_rule == "global"
    rule = KaProfileRule.objects.get(code="global")
    admin_client(org["admin"]).post(RULE_URL.format(pk=rule.pk), _rule_form(rule, enabled=False))
    account.refresh_from_db()
    assert account.ka_rule == ""


def test_changing_the_potential_threshold_in_the_admin_moves_an_account_in_the_matrix(org):
    account = strengthen(make_account(org["ar"], name="苏州博远电子", potential="8000000.00"))
    assert account.matrix_class == "traction"
    # Two key contacts, one of them a close supporter: strength 50, below the default threshold of 60.
    weak = strengthen(make_account(org["ar"], name="无锡启明光电", potential="8000000.00"), strong=1, weak=1)
    assert (weak.relationship_score, weak.matrix_class) == (50, "problem")

    client = admin_client(org["admin"])
    # The list of the one-row settings opens the row itself.
    listing = client.get("/admin/accounts/matrixsettings/")
    assert listing.status_code == 302 and listing["Location"].endswith(MATRIX_URL)
    assert client.get(MATRIX_URL).status_code == 200

    response = client.post(MATRIX_URL, _matrix_form(potential_threshold="5000000"), follow=True)
    assert response.status_code == 200
    assert "re-classified" in response.content.decode()
    account.refresh_from_db()
    weak.refresh_from_db()
    assert (account.matrix_class, weak.matrix_class) == ("core", "growth")

    # The strength threshold is a setting too: strong from 50 makes the weak one core.
    client.post(MATRIX_URL, _matrix_form(strength_threshold="50"))
    weak.refresh_from_db()
    assert (weak.relationship_score, weak.matrix_class) == (50, "core")


def test_the_admin_refuses_invalid_thresholds(org):
    client = admin_client(org["admin"])
    response = client.post(MATRIX_URL, _matrix_form(strength_threshold="150"))
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert MatrixSettings.objects.get(pk=1).strength_threshold == 60


def test_configuration_rows_cannot_be_added_or_deleted(org):
    client = admin_client(org["admin"])
    rule = KaProfileRule.objects.get(code="regional")
    assert client.get("/admin/accounts/kaprofilerule/add/").status_code == 403
    assert client.get("/admin/accounts/matrixsettings/add/").status_code == 403
    assert client.get(f"/admin/accounts/kaprofilerule/{rule.pk}/delete/").status_code == 403
    assert client.get("/admin/accounts/matrixsettings/1/delete/").status_code == 403
    assert KaProfileRule.objects.count() == 4


def test_non_administrators_cannot_reach_the_configuration(org):
    rule = KaProfileRule.objects.get(code="regional")
    for path in (
        RULE_URL.format(pk=rule.pk),
        MATRIX_URL,
        "/admin/accounts/kaprofilerule/",
        "/admin/accounts/ownershiprequest/",
    ):
        response = admin_client(org["ar"]).get(path)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], path
        assert admin_client(org["ar"]).post(path, {}).status_code == 302

    # Staff with the model permissions but no administrator rights may look, never change.
    staff = grant_permission(make_user("staff_clerk"), "read_all_records")
    staff.is_staff = True
    staff.save()
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_kaprofilerule", "change_kaprofilerule"]))
    client = admin_client(staff)
    refused = client.post(RULE_URL.format(pk=rule.pk), _rule_form(rule, min_annual_revenue="1"))
    assert refused.status_code == 403
    rule.refresh_from_db()
    assert rule.min_annual_revenue == Decimal("50000000.00")


def test_ownership_drivers_and_information_are_read_only_with_history(org):
    account = make_account(org["ar"], name="华北新能源装备", potential_basis="drivers")
    viewer, actor = viewer_of(org["ar"]), org["ar"]
    driver = driver_create(
        viewer=viewer,
        actor=actor,
        account=account,
        data={"name": "风机台数", "volume": Decimal("300"), "unit": "台", "factor": Decimal("1000"), "as_of": None},
    )
    info = customer_info_create(
        viewer=viewer,
        actor=actor,
        account=account,
        data={"kind": "equipment", "title": "新建总装车间", "recorded_on": date(2026, 5, 4)},
    )
    claimant = org["outsider"]
    request = ownership_request_create(
        viewer=viewer_of(claimant),
        actor=claimant,
        account_id=account.pk,
        unit_code="ka-north",
        reason="总部在华北",
    )
    client = admin_client(org["admin"])
    for model, pk, text in (
        ("ownershiprequest", request.pk, "华北新能源装备"),
        ("purchasedriver", driver.pk, "风机台数"),
        ("customerinfo", info.pk, "新建总装车间"),
    ):
        base = f"/admin/accounts/{model}/"
        listing = client.get(base)
        assert listing.status_code == 200, model
        assert text in listing.content.decode(), model
        assert client.get(f"{base}{pk}/change/").status_code == 200, model
        assert client.get(f"{base}{pk}/history/").status_code == 200, model
        assert client.get(f"{base}add/").status_code == 403, model
        assert client.post(f"{base}{pk}/change/", {}).status_code == 403, model
        assert client.get(f"{base}{pk}/delete/").status_code == 403, model
