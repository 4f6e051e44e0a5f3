"""The call-for-fire admin: routing rules, SLAs and the one settings row are edited there; the pool,
requests (with their story), partners, registrations and double counts are shown read-only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from irontriangle.common.access import viewer_of
from irontriangle.resources import services
from irontriangle.resources.defaults import ensure_defaults
from irontriangle.resources.models import (
    DealRegistration,
    DoubleCount,
    ResourceRequest,
    ResourceSettings,
    RoutingRule,
    SlaRule,
)
from tests.resources.conftest import raise_request


@pytest.fixture(autouse=True)
def defaults(db: Any) -> None:
    """The rules the migrations install, back after any flushing test on this worker."""
    ensure_defaults()


def admin_client(org: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(org["admin"])
    return client


def test_every_page_opens_and_the_records_are_read_only(org, centre, tier1_deal, partners):
    request = raise_request(tier1_deal, org["ar"])
    head = centre["head"]
    services.request_assign(viewer=viewer_of(head), actor=head, request=request, resource=centre["match_res"])
    login = partners["login"]
    registration = services.registration_create(
        viewer=viewer_of(login), actor=login, data={"customer_name": "某客户", "project": "门户"}
    )
    client = admin_client(org)
    pages = [
        "/admin/resources/routingrule/",
        "/admin/resources/slarule/",
        "/admin/resources/resource/",
        f"/admin/resources/resource/{centre['match_res'].pk}/change/",
        "/admin/resources/resourcerequest/",
        f"/admin/resources/resourcerequest/{request.pk}/change/",
        "/admin/resources/partner/",
        f"/admin/resources/partner/{partners['alpha'].pk}/change/",
        "/admin/resources/dealregistration/",
        f"/admin/resources/dealregistration/{registration.pk}/change/",
        "/admin/resources/doublecount/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
    story = client.get(f"/admin/resources/resourcerequest/{request.pk}/change/").content.decode()
    assert "raised" in story and "assigned" in story
    assert DoubleCount.objects.filter(opportunity=tier1_deal).exists()
    # Nothing recorded by the application is added, changed or deleted here.
    assert client.get("/admin/resources/resourcerequest/add/").status_code == 403
    assert client.post(f"/admin/resources/dealregistration/{registration.pk}/delete/").status_code == 403
    assert ResourceRequest.objects.filter(pk=request.pk).exists()
    assert DealRegistration.objects.filter(pk=registration.pk).exists()

    # A registration past its window is stored as it was left, and shown as the application sees it.
    DealRegistration.objects.filter(pk=registration.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    assert "Expired" in client.get("/admin/resources/dealregistration/").content.decode()


def test_a_routing_rule_edit_saves_with_its_history(org, centre):
    client = admin_client(org)
    rule = RoutingRule.objects.get(project_type="partner_led", serve_with="people")
    url = f"/admin/resources/routingrule/{rule.pk}/change/"
    assert client.get(url).status_code == 200
    form = {
        "position": rule.position,
        "project_type": rule.project_type,
        "min_amount": "2000000",
        "max_amount": "",
        "is_active": "on",
        "tier": "tier2",
        "pool_unit": centre["unit"].pk,
        "serve_with": "people",
        "description": rule.description,
        "description_en": rule.description_en,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    rule.refresh_from_db()
    assert rule.min_amount == 2000000 and rule.pool_unit == centre["unit"] and not rule.double_count
    assert rule.history.first().history_user == org["admin"]  # type: ignore[attr-defined]

    # A band that ends before it starts is refused by the database's own rule.
    refused = client.post(url, {**form, "max_amount": "1000000"})
    assert refused.status_code == 200
    rule.refresh_from_db()
    assert rule.max_amount is None


def test_the_settings_open_their_one_row_and_slas_are_edited(org):
    client = admin_client(org)
    settings = ResourceSettings.objects.get()
    response = client.get("/admin/resources/resourcesettings/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/admin/resources/resourcesettings/{settings.pk}/change/")
    url = f"/admin/resources/resourcesettings/{settings.pk}/change/"
    assert client.post(url, {"registration_window_days": 60}).status_code == 302
    settings.refresh_from_db()
    assert settings.registration_window_days == 60
    assert client.get("/admin/resources/resourcesettings/add/").status_code == 403

    sla = SlaRule.objects.get(kind="poc")
    sla_url = f"/admin/resources/slarule/{sla.pk}/change/"
    assert client.post(sla_url, {"kind": "poc", "answer_within_hours": 36}).status_code == 302
    sla.refresh_from_db()
    assert sla.answer_within_hours == 36
    assert client.post(f"/admin/resources/slarule/{sla.pk}/delete/").status_code == 403
