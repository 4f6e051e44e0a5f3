"""The collections admin: payment-schedule templates that add up to 100 %, the one settings row, and
contracts, milestones and payments shown read-only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from irontriangle.collections.models import CollectionSettings, MilestoneTemplate, MilestoneTemplateLine
from tests.collections.conftest import record
from tests.factories import make_contract


@pytest.fixture(autouse=True)
def defaults(db: Any) -> None:
    """The templates the migrations install, back after any flushing test on this worker."""
    from irontriangle.collections.defaults import ensure_templates

    ensure_templates()


def admin_client(org: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(org["admin"])
    return client


def _template_data(template: MilestoneTemplate | None, lines: list[tuple[str, str, str, int]], **changes: Any) -> dict:
    """The change form as the browser posts it: the template's fields and its lines inline (all replaced)."""
    existing = list(template.lines.order_by("position", "pk")) if template else []
    data: dict[str, Any] = {
        "code": template.code if template else "40-50-10",
        "name_zh": template.name_zh if template else "40/50/10",
        "name_en": template.name_en if template else "40 / 50 / 10",
        "is_active": "on",
        "position": 5,
        "lines-TOTAL_FORMS": len(existing) + len(lines),
        "lines-INITIAL_FORMS": len(existing),
        "lines-MIN_NUM_FORMS": 0,
        "lines-MAX_NUM_FORMS": 1000,
    }
    for index, line in enumerate(existing):
        data.update(
            {
                f"lines-{index}-id": line.pk,
                f"lines-{index}-template": template.pk if template else "",
                f"lines-{index}-position": line.position,
                f"lines-{index}-kind": line.kind,
                f"lines-{index}-percent": line.percent,
                f"lines-{index}-trigger": line.trigger,
                f"lines-{index}-offset_days": line.offset_days,
                f"lines-{index}-DELETE": "on",
            }
        )
    for offset, (kind, percent, trigger, days) in enumerate(lines):
        index = len(existing) + offset
        data.update(
            {
                f"lines-{index}-position": offset,
                f"lines-{index}-kind": kind,
                f"lines-{index}-percent": percent,
                f"lines-{index}-trigger": trigger,
                f"lines-{index}-offset_days": days,
            }
        )
    return {**data, **changes}


def test_a_template_whose_lines_do_not_add_up_to_100_is_refused(org):
    client = admin_client(org)
    short = [("down_payment", "40", "signing", 15), ("on_delivery", "50", "delivery", 30)]
    response = client.post("/admin/collections/milestonetemplate/add/", _template_data(None, short))
    assert response.status_code == 200
    assert "The lines add up to 90%; a payment schedule must add up to exactly 100%." in response.content.decode()
    assert not MilestoneTemplate.objects.filter(code="40-50-10").exists()

    empty = client.post("/admin/collections/milestonetemplate/add/", _template_data(None, []))
    assert empty.status_code == 200 and "A template needs at least one line." in empty.content.decode()

    whole = [*short, ("on_acceptance", "10", "acceptance", 30)]
    response = client.post("/admin/collections/milestonetemplate/add/", _template_data(None, whole))
    assert response.status_code == 302, response.content.decode()[:3000]
    template = MilestoneTemplate.objects.get(code="40-50-10")
    assert [line.percent for line in template.lines.all()] == [Decimal("40"), Decimal("50"), Decimal("10")]


def test_editing_a_template_keeps_it_whole(org):
    client = admin_client(org)
    template = MilestoneTemplate.objects.get(code="30-60-10")
    before = list(template.lines.values_list("kind", "percent"))
    url = f"/admin/collections/milestonetemplate/{template.pk}/change/"
    over = [("down_payment", "50", "signing", 15), ("on_delivery", "60", "delivery", 30)]
    response = client.post(url, _template_data(template, over))
    assert response.status_code == 200
    assert "The lines add up to 110%" in response.content.decode()
    assert list(template.lines.values_list("kind", "percent")) == before

    # Refused in Chinese too (the page renders in the other language).
    chinese = client.post(url, _template_data(template, over), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 200

    response = client.post(url, _template_data(template, [("down_payment", "100", "signing", 10)]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(template.lines.values_list("kind", "percent", "offset_days")) == [("down_payment", Decimal("100"), 10)]
    assert template.history.count() >= 1  # type: ignore[attr-defined]


def test_settings_open_their_one_row_and_refuse_more_than_90_days(org):
    client = admin_client(org)
    response = client.get("/admin/collections/collectionsettings/")
    settings = CollectionSettings.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/admin/collections/collectionsettings/{settings.pk}/change/")
    url = f"/admin/collections/collectionsettings/{settings.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "hourly job" in page.content.decode()
    refused = client.post(url, {"due_soon_days": 120})
    assert refused.status_code == 200 and "At most 90 days ahead." in refused.content.decode()
    assert client.post(url, {"due_soon_days": 14}).status_code == 302
    settings.refresh_from_db()
    assert settings.due_soon_days == 14
    assert client.get("/admin/collections/collectionsettings/add/").status_code == 403


def test_contracts_milestones_and_payments_are_shown_read_only(org, deal):
    contract = make_contract(deal, number="HT-ADMIN-001", signed_on=date(2026, 9, 1), milestones="30-60-10")
    milestone = contract.milestones.get(position=1)
    payment = record(milestone, "300000", date(2026, 9, 10), by=deal.owner)
    client = admin_client(org)
    for path in (
        "/admin/collections/milestonetemplate/",
        "/admin/collections/contract/",
        f"/admin/collections/contract/{contract.pk}/change/",
        "/admin/collections/paymentmilestone/",
        f"/admin/collections/paymentmilestone/{milestone.pk}/change/",
        "/admin/collections/payment/",
        f"/admin/collections/payment/{payment.pk}/change/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
    page = client.get("/admin/collections/contract/").content.decode()
    assert "HT-ADMIN-001" in page
    # No way to write business records here: no add, no save, no delete.
    for model in ("contract", "paymentmilestone", "payment"):
        assert client.get(f"/admin/collections/{model}/add/").status_code == 403, model
    assert client.post(f"/admin/collections/payment/{payment.pk}/change/", {"amount": "1"}).status_code == 403
    assert client.post(f"/admin/collections/contract/{contract.pk}/delete/", {"post": "yes"}).status_code == 403
    milestone.refresh_from_db()
    assert milestone.received == Decimal("300000")

    # Someone who is not an administrator does not see them at all.
    other = Client()
    other.force_login(deal.owner)
    assert other.get("/admin/collections/contract/").status_code in (302, 403)


def test_template_lines_are_kept_as_entered(org):
    """The inline edits lines in place: kinds, triggers and offsets go to the template as given."""
    template = MilestoneTemplate.objects.get(code="30-30-30-10")
    assert MilestoneTemplateLine.objects.filter(template=template).count() == 4
    page = admin_client(org).get(f"/admin/collections/milestonetemplate/{template.pk}/change/")
    assert page.status_code == 200 and "warranty_retention" in page.content.decode()
