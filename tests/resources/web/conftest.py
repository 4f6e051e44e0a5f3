"""The call-for-fire web pages' world: the solution centre and its deal (tests/resources/conftest.py), the
partners with their logins, and a deal shared with the first partner."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from irontriangle.common.access import viewer_of
from irontriangle.pipeline import services as pipeline
from tests.factories import make_opportunity


@pytest.fixture
def shared_deal(org: dict[str, Any], partners: dict[str, Any], team_account: Any) -> Any:
    deal = make_opportunity(team_account, name="共享商机", amount="500000.00")
    pipeline.opportunity_team_add(
        viewer=viewer_of(org["ar"]), actor=org["ar"], opportunity=deal, user_id=partners["login"].pk, role="partner"
    )
    return deal


def browser_as(user: Any, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


def html(response: Any) -> str:
    return response.content.decode()
