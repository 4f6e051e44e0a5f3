"""Cost and margin (restricted fields, SPEC §1) never reach someone who may not see them: not in the
aggregates, the web lists and board, the exports over HTTP, the history, nor through sorting or filtering.
The deal's FR sits on the team and sees the deal, but not its margin; the SR does."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from tests.conftest import api_as
from tests.factories import make_user
from tests.pipeline.api.conftest import add_member, make_quote

# One quote line: 10 × 10,000 less 10 % = 90,000 against a cost of 10 × 5,000: a margin of 40,000, 44.44 %.
SECRETS = ("44.44", "40000", "40,000", "50000", "50,000")
RESTRICTED_KEYS = {"margin", "margin_percent", "cost", "unit_cost", "below_floor"}


@pytest.fixture
def fr(org, deal) -> Any:
    user = make_user("fr_user", units=[org["units"]["shanghai"]])
    add_member(deal, user, "fr")
    return user


@pytest.fixture
def priced(deal) -> Any:
    return make_quote(deal, unit_cost="5000.00")


def _browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _restricted_values(data: Any) -> list[Any]:
    """Every non-empty value under a restricted key, anywhere in a JSON document."""
    found: list[Any] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in RESTRICTED_KEYS and value not in (None, "", [], {}):
                found.append((key, value))
            found.extend(_restricted_values(value))
    elif isinstance(data, list):
        for value in data:
            found.extend(_restricted_values(value))
    return found


def test_the_setup_shows_the_margin_to_the_sr(org, deal, fr, priced):
    sr = api_as(org["sr"])
    assert sr.get(f"/opportunities/{deal.pk}").json()["margin_percent"] == "44.44"
    assert sr.get(f"/quotes/{priced.pk}").json()["cost"] == "50000.00"
    page = _browser(org["sr"]).get(f"/opportunities/{deal.pk}/").content.decode()
    assert any(secret in page for secret in SECRETS)


def test_no_margin_in_any_api_answer_the_fr_gets(org, deal, fr, priced):
    client = api_as(fr)
    for path in (
        f"/opportunities/{deal.pk}",
        "/opportunities",
        f"/opportunities/{deal.pk}/history",
        f"/quotes/{priced.pk}",
        "/quotes",
        f"/quotes?opportunity_id={deal.pk}",
        f"/quotes/{priced.pk}/history",
        "/reports/funnel",
        "/reports/funnel?group_by=unit",
        "/reports/lead-conversion",
    ):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.content[:200])
        assert _restricted_values(response.json()) == [], path
        text = json.dumps(response.json())
        assert not any(secret in text for secret in ("44.44", "40000.00", "50000.00")), path


@pytest.mark.parametrize(
    "query",
    [
        {"sort": "margin"},
        {"sort": "-margin"},
        {"sort": "margin_percent"},
        {"sort": "-margin_percent"},
        {"min_margin_percent": "10"},
        {"min_margin_percent": "50"},
    ],
)
def test_sorting_or_filtering_by_margin_is_refused_to_the_fr(org, deal, fr, priced, query):
    for path in ("/opportunities", "/quotes"):
        if path == "/quotes" and "min_margin_percent" in query:
            continue
        response = api_as(fr).get(path, query)
        assert response.status_code == 422, (path, query, response.status_code)
        assert response.json()["errors"][0]["code"] == "restricted_field"


def test_a_margin_filter_cannot_be_used_to_guess_the_margin(org, deal, fr, priced):
    """Were the filter applied silently, 'at least 40 %' finding the deal and '50 %' not would tell."""
    answers = {
        threshold: api_as(fr).get("/opportunities", {"min_margin_percent": threshold}).status_code
        for threshold in ("40", "50")
    }
    assert answers == {"40": 422, "50": 422}
    assert api_as(org["sr"]).get("/opportunities", {"min_margin_percent": "40"}).status_code in (200, 422)


def test_web_pages_show_the_fr_no_margin(org, deal, fr, priced):
    browser = _browser(fr)
    for url in (
        "/opportunities/",
        "/opportunities/?sort=-margin",
        "/opportunities/?min_margin_percent=40",
        "/opportunities/board/",
        f"/opportunities/{deal.pk}/",
        "/pipeline/funnel/",
    ):
        response = browser.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code == 200:
            page = response.content.decode()
            assert not any(secret in page for secret in SECRETS), url


def test_the_export_over_http_has_empty_margin_columns_for_the_fr(org, deal, fr, priced):
    def exported(user: Any, query: str = "") -> tuple[int, list[list[str]]]:
        response = _browser(user).get(f"/opportunities/export.csv{query}")
        if response.status_code != 200:
            return response.status_code, []
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return 200, list(csv.reader(io.StringIO(text)))

    status, rows = exported(fr)
    assert status == 200 and len(rows) == 2
    assert not any(secret in cell for secret in SECRETS for cell in rows[1])
    status, rows = exported(org["sr"])
    assert any("44.44" in cell for cell in rows[1])
    # Sorting the file by margin is refused like the list: no file at all, not an ordered one.
    assert exported(fr, "?sort=-margin")[0] == 302
    assert exported(fr, "?min_margin_percent=40")[0] == 302
