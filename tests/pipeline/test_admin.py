"""The pipeline admin: processes, stages and their weights, the margin floor, procurement templates."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from irontriangle.common.access import viewer_of
from irontriangle.pipeline.models import PipelineSettings, ProcurementStep, ProcurementTemplate, SalesProcess, Stage
from irontriangle.pipeline.services import opportunity_create


@pytest.fixture(autouse=True)
def defaults(db):
    """The configuration rows the migrations install, back after any flushing test on this worker."""
    from irontriangle.pipeline.defaults import ensure_processes
    from irontriangle.pipeline.settings import pipeline_settings

    ensure_processes()
    pipeline_settings()


def admin_client(org) -> Client:
    client = Client()
    client.force_login(org["admin"])
    return client


def _stage_data(stage: Stage, **changes) -> dict:
    data = {
        "process": stage.process_id,
        "position": stage.position,
        "code": stage.code,
        "name_zh": stage.name_zh,
        "name_en": stage.name_en,
        "probability": stage.probability,
        "forecast_category": stage.forecast_category,
        "outcome": stage.outcome,
        "ar_weight": stage.ar_weight,
        "sr_weight": stage.sr_weight,
        "fr_weight": stage.fr_weight,
        "items-TOTAL_FORMS": 0,
        "items-INITIAL_FORMS": 0,
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    return {**data, **changes}


def test_stage_weights_must_add_up_to_100(org):
    client = admin_client(org)
    stage = Stage.objects.get(process__code="ka", code="bid")
    response = client.post(f"/admin/pipeline/stage/{stage.pk}/change/", _stage_data(stage, fr_weight=20))
    assert response.status_code == 200
    assert "AR weight + SR weight + FR weight must add up to 100; now they add up to 110." in response.content.decode()
    stage.refresh_from_db()
    assert stage.fr_weight == 10

    response = client.post(
        f"/admin/pipeline/stage/{stage.pk}/change/", _stage_data(stage, ar_weight=20, sr_weight=70, fr_weight=10)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    stage.refresh_from_db()
    assert (stage.ar_weight, stage.sr_weight, stage.fr_weight) == (20, 70, 10)
    chinese = client.post(
        f"/admin/pipeline/stage/{stage.pk}/change/", _stage_data(stage, fr_weight=0), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert chinese.status_code == 200


def test_processes_settings_and_records_pages_open(org, team_account):
    client = admin_client(org)
    process = SalesProcess.objects.get(code="ka")
    page = client.get(f"/admin/pipeline/salesprocess/{process.pk}/change/")
    assert page.status_code == 200 and "验证商机" in page.content.decode()
    stage = Stage.objects.get(process=process, code="verify")
    page = client.get(f"/admin/pipeline/stage/{stage.pk}/change/")
    assert page.status_code == 200 and "BANT" in page.content.decode()

    # One settings row: the list opens it; no second row, no delete.
    response = client.get("/admin/pipeline/pipelinesettings/")
    assert response.status_code == 302
    settings = PipelineSettings.objects.get()
    assert client.get("/admin/pipeline/pipelinesettings/add/").status_code == 403
    assert client.get(f"/admin/pipeline/pipelinesettings/{settings.pk}/delete/").status_code == 403
    response = client.post(f"/admin/pipeline/pipelinesettings/{settings.pk}/change/", {"margin_floor_percent": "18"})
    assert response.status_code == 302
    assert PipelineSettings.objects.get().margin_floor_percent == Decimal("18")

    opportunity_create(viewer=viewer_of(org["ar"]), actor=org["ar"], account=team_account, data={"name": "平台项目"})
    for model in ("lead", "opportunity", "quote", "salesprocess", "stage", "procurementtemplate"):
        assert client.get(f"/admin/pipeline/{model}/").status_code == 200, model
    assert client.get("/admin/pipeline/opportunity/add/").status_code == 403


def test_procurement_steps_choose_buying_roles(org):
    client = admin_client(org)
    response = client.post(
        "/admin/pipeline/procurementtemplate/add/",
        {
            "code": "group-crm",
            "name_zh": "集团公司采购 CRM",
            "name_en": "Group company buys a CRM",
            "description_zh": "",
            "description_en": "",
            "is_active": "on",
            "steps-TOTAL_FORMS": 2,
            "steps-INITIAL_FORMS": 0,
            "steps-MIN_NUM_FORMS": 0,
            "steps-MAX_NUM_FORMS": 1000,
            "steps-0-position": 1,
            "steps-0-name_zh": "法务审核",
            "steps-0-name_en": "Legal review",
            "steps-0-stakeholder_roles": ["risk_audit", "legal"],
            "steps-1-position": 2,
            "steps-1-name_zh": "空",
            "steps-1-name_en": "Empty",
        },
    )
    assert response.status_code == 200  # the second step names no role
    assert not ProcurementTemplate.objects.exists()

    data = {
        "code": "group-crm",
        "name_zh": "集团公司采购 CRM",
        "name_en": "Group company buys a CRM",
        "is_active": "on",
        "steps-TOTAL_FORMS": 1,
        "steps-INITIAL_FORMS": 0,
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
        "steps-0-position": 1,
        "steps-0-name_zh": "法务审核",
        "steps-0-name_en": "Legal review",
        "steps-0-stakeholder_roles": ["risk_audit", "legal"],
    }
    response = client.post("/admin/pipeline/procurementtemplate/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    step = ProcurementStep.objects.get()
    assert step.stakeholder_roles == "legal,risk_audit" and step.roles == ["legal", "risk_audit"]
    page = client.get(f"/admin/pipeline/procurementtemplate/{step.template_id}/change/").content.decode()
    assert 'value="legal" ' in page and "checked" in page
