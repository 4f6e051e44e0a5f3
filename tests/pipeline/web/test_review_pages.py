"""Review meeting pages: hold a meeting, put only deals the chair may see on the table."""

from __future__ import annotations

import pytest

from irontriangle.common.access import viewer_of
from irontriangle.pipeline.models import ReviewItem, ReviewMeeting
from irontriangle.pipeline.services import review_create, review_item_add
from tests.factories import make_account, make_opportunity


@pytest.fixture(autouse=True)
def sales_processes(db):
    """The default processes come from a data migration, which a transactional test before this one on the
    same worker may have flushed away."""
    from irontriangle.pipeline.defaults import install_processes
    from irontriangle.pipeline.models import ChecklistItem, SalesProcess, Stage

    install_processes(SalesProcess, Stage, ChecklistItem)


@pytest.fixture
def deals(org):
    shanghai = make_account(org["ar"], name="上海客户")
    north = make_account(org["outsider"], name="华北客户")
    return {"mine": make_opportunity(shanghai, name="上海云网"), "north": make_opportunity(north, name="华北专线")}


@pytest.fixture
def meeting(org):
    manager = org["manager"]
    return review_create(
        viewer=viewer_of(manager),
        actor=manager,
        data={
            "title": "华东十一月商机评审",
            "held_on": "2026-11-28",
            "unit_code": "ka-east",
            "participant_ids": [org["ar"].pk],
        },
    )


def test_create_a_meeting_from_the_list(client, org):
    client.force_login(org["manager"])
    page = client.get("/reviews/").content.decode()
    assert 'data-testid="review-form"' in page and "ka-east" in page
    response = client.post(
        "/reviews/",
        {
            "review-title": "周例会",
            "review-held_on": "2026-12-01",
            "review-unit_code": "ka-east",
            "review-participant_ids": [org["ar"].pk, org["sr"].pk],
            "review-notes": "重点看投标阶段",
        },
    )
    meeting = ReviewMeeting.objects.get(title="周例会")
    assert response.status_code == 302 and response["Location"] == f"/reviews/{meeting.pk}/"
    assert set(meeting.participants.all()) == {org["ar"], org["sr"]} and meeting.chair == org["manager"]
    # A unit the person may not hold reviews for is not even offered.
    response = client.post(
        "/reviews/", {"review-title": "越权", "review-held_on": "2026-12-01", "review-unit_code": "ka-north"}
    )
    assert response.status_code == 400 and not ReviewMeeting.objects.filter(title="越权").exists()


@pytest.mark.parametrize(("username", "expected"), [("ar", 200), ("manager", 200), ("outsider", 404)])
def test_meeting_list_and_page_by_who_asks(client, org, meeting, username, expected):
    client.force_login(org[username])
    listed = [m.title for m in client.get("/reviews/").context["page"].items]
    assert listed == (["华东十一月商机评审"] if expected == 200 else [])
    response = client.get(f"/reviews/{meeting.pk}/")
    assert response.status_code == expected
    if expected == 200:
        # Only the chair or a manager of the unit records decisions.
        assert ('data-testid="item-form"' in response.content.decode()) == (username == "manager")


def test_only_visible_opportunities_are_offered_and_listed(client, org, meeting, deals):
    client.force_login(org["manager"])
    page = client.get(f"/reviews/{meeting.pk}/").content.decode()
    assert "上海云网" in page and "华北专线" not in page
    response = client.post(
        f"/reviews/{meeting.pk}/items/",
        {"item-opportunity_id": deals["north"].pk, "item-decision": "放弃"},
    )
    assert response.status_code == 400 and not ReviewItem.objects.exists()
    response = client.post(
        f"/reviews/{meeting.pk}/items/",
        {
            "item-opportunity_id": deals["mine"].pk,
            "item-decision": "加大投入",
            "item-next_actions": "安排高层拜访",
            "item-owner_id": org["ar"].pk,
            "item-due_on": "2026-12-10",
        },
    )
    assert response.status_code == 302
    item = ReviewItem.objects.get()
    assert (item.opportunity, item.decision, item.owner, str(item.due_on)) == (
        deals["mine"],
        "加大投入",
        org["ar"],
        "2026-12-10",
    )
    page = client.get(f"/reviews/{meeting.pk}/").content.decode()
    assert "加大投入" in page and "安排高层拜访" in page and f'href="/opportunities/{deals["mine"].pk}/"' in page


def test_a_reviewed_deal_the_viewer_cannot_see_stays_hidden(client, org, meeting, deals):
    admin = org["admin"]
    review_item_add(
        viewer=viewer_of(admin),
        actor=admin,
        meeting=meeting,
        data={"opportunity_id": deals["north"].pk, "decision": "华北决定"},
    )
    review_item_add(
        viewer=viewer_of(admin),
        actor=admin,
        meeting=meeting,
        data={"opportunity_id": deals["mine"].pk, "decision": "上海决定"},
    )
    client.force_login(org["ar"])
    page = client.get(f"/reviews/{meeting.pk}/").content.decode()
    assert "上海决定" in page and "华北决定" not in page and "华北专线" not in page


def test_take_a_deal_off_the_meeting(client, org, meeting, deals):
    manager = org["manager"]
    item = review_item_add(
        viewer=viewer_of(manager),
        actor=manager,
        meeting=meeting,
        data={"opportunity_id": deals["mine"].pk, "decision": "继续"},
    )
    client.force_login(org["ar"])
    assert client.post(f"/reviews/{meeting.pk}/items/{item.pk}/remove/").status_code == 403
    client.force_login(manager)
    assert client.post(f"/reviews/{meeting.pk}/items/{item.pk}/remove/").status_code == 302
    assert not ReviewItem.objects.exists()
