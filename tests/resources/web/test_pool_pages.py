"""The pool list with its load bars and filters, adding and editing entries, the assignments calendar and
the reports page: who may see and change what, and what each page costs."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from irontriangle.resources.models import Resource
from tests.factories import make_user
from tests.resources.conftest import raise_request
from tests.resources.web.conftest import browser_as, html


def _assign(org, centre, deal, resource_key="match_res", **data):
    item = raise_request(deal, org["ar"], **data)
    browser_as(centre["head"]).post(f"/resources/requests/{item.pk}/assign/", {"resource_id": centre[resource_key].pk})
    item.refresh_from_db()
    return item


def test_every_colleague_browses_the_pool_with_this_weeks_load(org, centre, tier1_deal):
    _assign(org, centre, tier1_deal, hours=70)  # 35 hours a week over the two weeks to the deadline
    response = browser_as(org["outsider"]).get("/resources/pool/")
    assert response.status_code == 200
    rows = {row["resource"].pk: row for row in response.context["rows"]}
    assert len(rows) == 3
    busy = rows[centre["match_res"].pk]
    assert str(busy["load"]) == "35.00" and str(busy["utilisation"]) == "87.5" and busy["bar_class"] == "high"
    assert not busy["can_edit"]
    body = html(response)
    assert 'data-testid="resource-add"' not in body and 'data-testid="resource-edit"' not in body


def test_the_pool_filters(org, centre):
    client = browser_as(org["ar"])
    assert len(client.get("/resources/pool/", {"skill": "网络"}).context["rows"]) == 1
    assert len(client.get("/resources/pool/", {"q": "se_far"}).context["rows"]) == 1
    assert len(client.get("/resources/pool/", {"tier": "tier2"}).context["rows"]) == 0
    assert len(client.get("/resources/pool/", {"unit": "sc"}).context["rows"]) == 3
    assert len(client.get("/resources/pool/", {"tier": "bogus"}).context["rows"]) == 3  # an unknown value is ignored


def test_the_pool_list_costs_the_same_whatever_its_size(org, centre, django_assert_max_num_queries):
    client = browser_as(org["ar"])
    client.get("/resources/pool/")
    with django_assert_max_num_queries(10):
        client.get("/resources/pool/")
    head = centre["head"]
    for n in range(5):
        person = make_user(f"extra{n}", units=[centre["unit"]])
        browser_as(head).post(
            "/resources/pool/new/",
            {"person": person.pk, "support_tier": "tier1", "weekly_capacity_hours": 40, "is_active": "on"},
        )
    assert Resource.objects.count() == 8
    with django_assert_max_num_queries(10):
        assert len(client.get("/resources/pool/").context["rows"]) == 8


def test_the_unit_head_adds_and_edits_a_pool_entry(org, centre):
    newcomer = make_user("se_new", units=[centre["unit"]], display_name="新人")
    client = browser_as(centre["head"])
    page = html(client.get("/resources/pool/"))
    assert 'data-testid="resource-add"' in page and 'data-testid="resource-edit"' in page
    response = client.post(
        "/resources/pool/new/",
        {
            "person": newcomer.pk,
            "support_tier": "tier1",
            "weekly_capacity_hours": 32,
            "skills": "BI, 数据中台",
            "region": "上海 Shanghai",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    entry = Resource.objects.get(user=newcomer)
    assert entry.skills == ["BI", "数据中台"] and entry.unit == centre["unit"] and entry.weekly_capacity_hours == 32
    edit = client.post(
        f"/resources/pool/{entry.pk}/edit/",
        {"support_tier": "tier1", "weekly_capacity_hours": 20, "version": entry.version, "is_active": "on"},
    )
    assert edit.status_code == 302
    entry.refresh_from_db()
    assert entry.weekly_capacity_hours == 20
    # Twice with the same version: someone changed it meanwhile.
    stale = client.post(
        f"/resources/pool/{entry.pk}/edit/",
        {"support_tier": "tier1", "weekly_capacity_hours": 10, "version": entry.version - 1, "is_active": "on"},
    )
    assert stale.status_code == 409


def test_a_person_already_in_the_pool_is_refused_on_the_form(org, centre):
    response = browser_as(centre["head"]).post(
        "/resources/pool/new/", {"person": centre["match"].pk, "support_tier": "tier1", "weekly_capacity_hours": 40}
    )
    assert response.status_code == 422 and "already in the pool" in html(response)


def test_others_cannot_add_or_edit(org, centre, partners):
    ar = browser_as(org["ar"])
    assert ar.get("/resources/pool/new/").status_code == 403
    assert ar.get(f"/resources/pool/{centre['match_res'].pk}/edit/").status_code == 403
    # The north manager runs another unit: not the solution centre's part of the pool.
    north = browser_as(org["north_manager"])
    assert north.get(f"/resources/pool/{centre['match_res'].pk}/edit/").status_code == 403
    partner = browser_as(partners["login"])
    for path in ("/resources/pool/", "/resources/pool/new/", "/resources/calendar/", "/resources/reports/"):
        assert partner.get(path).status_code == 404, path


def test_the_calendar_shows_eight_weeks_of_load_and_the_assignments(org, centre, tier1_deal):
    item = _assign(org, centre, tier1_deal, hours=70)
    response = browser_as(centre["head"]).get("/resources/calendar/")
    assert response.status_code == 200
    assert len(response.context["weeks"]) == 8
    row = next(r for r in response.context["rows"] if r["person"].resource_id == centre["match_res"].pk)
    # 70 hours due next week's Sunday: two calendar weeks of 35, nothing after; the weeks add up to 70.
    assert [str(c["hours"]) for c in row["cells"][:4]] == ["35.00", "35.00", "0", "0"]
    assert row["cells"][0]["css"] == "high"
    assert [a.pk for a in row["assignments"]] == [item.pk]
    body = html(response)
    assert "集团CRM项目" in body and 'data-testid="calendar-assignment"' in body
    # Moving on eight weeks: nothing planned there.
    later = (timezone.localdate() + timedelta(weeks=8)).isoformat()
    moved = browser_as(centre["head"]).get("/resources/calendar/", {"start": later})
    assert moved.context["served"] == []
    assert browser_as(centre["head"]).get("/resources/calendar/", {"start": "not-a-date"}).status_code == 200


def test_the_calendar_does_not_show_a_deal_to_someone_who_cannot_see_it(org, centre, tier1_deal):
    _assign(org, centre, tier1_deal, hours=70)
    response = browser_as(org["outsider"]).get("/resources/calendar/")
    assert response.status_code == 200
    assert response.context["served"] == []
    assert "集团CRM项目" not in html(response)


def test_the_reports_page(org, centre, tier1_deal, django_assert_max_num_queries):
    _assign(org, centre, tier1_deal, hours=70)
    raise_request(tier1_deal, org["ar"], kind="executive_sponsor")
    client = browser_as(centre["head"])
    client.get("/resources/reports/")
    with django_assert_max_num_queries(20):
        response = client.get("/resources/reports/", {"weeks": 1})
    assert response.status_code == 200
    body = html(response)
    assert 'data-chart="utilisation-data"' in body and 'id="utilisation-data"' in body
    measures = dict(response.context["measures"])
    assert measures["All tiers"].raised == 2 and measures["All tiers"].fulfilled == 1
    assert 'data-testid="double-counting"' in body
    # The manager above the deal's team sees the deals behind the double count and the executive asks.
    manager = html(browser_as(org["manager"]).get("/resources/reports/"))
    assert "解决方案中心" in manager
    assert 'data-testid="executive-involvement"' in manager and "中国移动上海公司" in manager
    # An outsider sees the pool's load but none of the deals.
    outsider = html(browser_as(org["outsider"]).get("/resources/reports/"))
    assert "中国移动上海公司" not in outsider
