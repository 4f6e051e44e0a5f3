"""Lead conversion rates by source, purchase scenario and segment on a known set of leads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from irontriangle.common.access import viewer_of
from irontriangle.pipeline.conversion import SMB_BASELINE_PERCENT, lead_conversion, rate_percent
from irontriangle.pipeline.models import Lead
from irontriangle.pipeline.services import lead_convert, lead_delete
from tests.factories import make_account, make_lead

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = (TODAY - dt.timedelta(days=364), TODAY)


@pytest.fixture(autouse=True)
def sales_processes(db):
    """The default processes come from a data migration, which a transactional test before this one on the
    same worker may have flushed away."""
    from irontriangle.pipeline.defaults import install_processes
    from irontriangle.pipeline.models import ChecklistItem, SalesProcess, Stage

    install_processes(SalesProcess, Stage, ChecklistItem)


def _convert(lead, user):
    lead_convert(viewer=viewer_of(user), actor=user, lead=lead)


@pytest.fixture
def leads(org):
    """Shanghai's leads: 4 referrals (1 converted), 3 from the internet (none), 2 from an exhibition (both);
    plus one too old, one deleted and one of another region, none of which count for the East manager."""
    ka = make_account(org["ar"], name="大客户", segment="ka")
    smb = make_account(org["ar"], name="小客户", segment="smb")
    ar = org["ar"]
    referrals = [
        make_lead(ar, account=ka, source="referral", scenario="continuous", bant="confirmed") for _n in range(4)
    ]
    _convert(referrals[0], ar)
    for _n in range(3):
        make_lead(ar, account=smb, source="internet", scenario="occasional")
    for _n in range(2):
        _convert(make_lead(ar, account=smb, source="exhibition", scenario="occasional", bant="confirmed"), ar)
    old = make_lead(ar, account=ka, source="referral", scenario="continuous")
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    gone = make_lead(ar, account=ka, source="partner", scenario="continuous")
    lead_delete(viewer=viewer_of(ar), actor=ar, lead=gone)
    make_lead(org["outsider"], source="partner", scenario="continuous", company_name="华北公司")


def _rows(report, dimension):
    return {row.code: (row.created, row.converted, row.rate) for row in report.breakdown(dimension).rows}


def test_rates_by_source_scenario_and_segment(org, leads):
    report = lead_conversion(viewer_of(org["manager"]), start=YEAR[0], end=YEAR[1])
    assert (report.total.created, report.total.converted, report.total.rate) == (9, 3, Decimal("33.3"))
    assert report.baseline == SMB_BASELINE_PERCENT == Decimal("15")
    sources = _rows(report, "source")
    assert sources["referral"] == (4, 1, Decimal("25.0"))
    assert sources["internet"] == (3, 0, Decimal("0.0"))
    assert sources["exhibition"] == (2, 2, Decimal("100.0"))
    # Every source is listed, a source without leads with no rate at all.
    assert sources["partner"] == (0, 0, None)
    assert [row.code for row in report.breakdown("source").rows][:3] == ["exhibition", "referral", "internet"]
    assert _rows(report, "scenario") == {
        "continuous": (4, 1, Decimal("25.0")),
        "occasional": (5, 2, Decimal("40.0")),
    }
    assert _rows(report, "segment") == {"ka": (4, 1, Decimal("25.0")), "smb": (5, 2, Decimal("40.0"))}


def test_the_period_and_the_viewer_decide_what_counts(org, leads):
    old = lead_conversion(viewer_of(org["manager"]), start=TODAY - dt.timedelta(days=800), end=TODAY)
    assert old.total.created == 10
    assert (
        lead_conversion(
            viewer_of(org["manager"]), start=TODAY - dt.timedelta(days=30), end=TODAY - dt.timedelta(days=1)
        ).total.created
        == 0
    )
    outsider = lead_conversion(viewer_of(org["outsider"]), start=YEAR[0], end=YEAR[1])
    assert (outsider.total.created, _rows(outsider, "source")["partner"]) == (1, (1, 0, Decimal("0.0")))
    assert lead_conversion(viewer_of(org["north_manager"]), start=YEAR[0], end=YEAR[1]).total.created == 1


def test_one_query_per_dimension(org, leads):
    viewer = viewer_of(org["manager"])
    with CaptureQueriesContext(connection) as queries:
        lead_conversion(viewer, start=YEAR[0], end=YEAR[1])
    assert len(queries) == 3


def test_rate_rounding():
    assert rate_percent(1, 3) == Decimal("33.3")
    assert rate_percent(2, 3) == Decimal("66.7")
    assert rate_percent(0, 0) is None
