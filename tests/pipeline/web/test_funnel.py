"""The funnel on a small known set of deals: open deals per stage, conversion, win rate, filters."""

from __future__ import annotations

from datetime import date

import pytest

from irontriangle.common.access import viewer_of
from irontriangle.pipeline.funnel import FunnelFilters, funnels
from irontriangle.pipeline.selectors import processes
from tests.factories import make_account, make_user
from tests.pipeline.web.board_data import force, open_deal


@pytest.fixture
def history(org, team_account):
    """Four KA deals: one still verifying, one in guidance, one won through every stage, one lost early."""
    manager = org["manager"]
    open_deal(team_account, name="A", amount="100", expected_close="2030-01-15")
    b = open_deal(team_account, name="B", amount="200", expected_close="2030-02-15")
    force(b, "guide", manager=manager)
    c = open_deal(team_account, name="C", amount="400", expected_close="2030-03-15")
    for stage in ("guide", "bid", "negotiate"):
        c = force(c, stage, manager=manager)
    force(c, "won", manager=manager, reason="方案最优")
    d = open_deal(team_account, name="D", amount="800", expected_close="2030-04-15")
    force(d, "lost", manager=manager, reason="预算取消")
    # Another unit's deal: never in the Shanghai figures.
    north = make_account(org["outsider"], name="北京银行", segment="ka")
    open_deal(north, name="N", amount="5000")
    return {"b": b, "c": c, "d": d}


def ka(viewer, **filters):
    process = next(process for process in processes() if process.code == "ka")
    return funnels(viewer, [process], FunnelFilters(**filters))[0]


def figures(funnel):
    return {
        row.stage.code: (row.open_count, int(row.open_amount), row.entered, row.conversion) for row in funnel.stages
    }


def test_funnel_figures_on_a_known_set(org, history):
    funnel = ka(viewer_of(org["ar"]))
    assert figures(funnel) == {
        "verify": (1, 100, 4, 50),  # B and C went further; D was lost, A waits
        "guide": (1, 200, 2, 50),  # C went further
        "trial": (0, 0, 0, None),  # optional, never entered
        "bid": (0, 0, 1, 100),
        "negotiate": (0, 0, 1, 100),  # won counts as further
    }
    assert (funnel.won, funnel.lost, funnel.win_rate) == (1, 1, 50)
    assert (funnel.open_count, int(funnel.open_amount)) == (2, 300)


def test_funnel_filters(org, history):
    who = viewer_of(org["manager"])
    assert ka(who, closing_to=date(2030, 1, 31)).open_count == 1
    early = ka(who, closing_from=date(2030, 2, 1), closing_to=date(2030, 3, 31))
    assert figures(early)["verify"] == (0, 0, 2, 100) and early.win_rate == 100
    assert ka(who, owner_id=org["sr"].pk).open_count == 0
    assert ka(who, unit=org["units"]["north"]).open_count == 0
    assert ka(who, unit=org["units"]["east"]).open_count == 2


def test_outsider_sees_only_their_own(org, history):
    funnel = ka(viewer_of(org["outsider"]))
    assert figures(funnel)["verify"] == (1, 5000, 1, 0)
    assert funnel.win_rate is None


def test_funnel_page(client, org, history, django_assert_max_num_queries):
    client.force_login(org["ar"])
    client.get("/pipeline/funnel/")
    with django_assert_max_num_queries(16):
        response = client.get("/pipeline/funnel/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="funnel"') == 2  # KA and SMB
    assert 'data-testid="funnel-chart"' in page and "vendor/echarts/echarts.min.js" in page
    assert 'id="funnel-data-ka"' in page
    assert 'data-testid="win-rate">50%' in page
    assert 'data-testid="nav-funnel"' in page
    only_ka = client.get("/pipeline/funnel/", {"process": "ka", "unit": "ka-north", "owner": org["ar"].pk})
    assert only_ka.status_code == 200 and only_ka.content.decode().count('data-testid="funnel"') == 1
    # A unit the person may not narrow to, or a backwards period, is dropped or explained, never a 500.
    assert (
        client.get(
            "/pipeline/funnel/", {"unit": "nowhere", "closing_from": "2030-05-01", "closing_to": "2030-01-01"}
        ).status_code
        == 200
    )


def test_funnel_needs_sign_in(client, org):
    assert client.get("/pipeline/funnel/").status_code == 302
    stranger = make_user("stranger", units=[org["units"]["smb"]])
    client.force_login(stranger)
    assert client.get("/pipeline/funnel/").status_code == 200
