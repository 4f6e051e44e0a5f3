"""The relationships admin: settings, nine-grid texts and cadence targets change what the product shows."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from irontriangle.relationships.models import NineGridCell, OrgCadenceTarget, RelationshipSettings
from tests.factories import add_owner, log_interaction, make_contact


def admin_client(org) -> Client:
    client = Client()
    client.force_login(org["admin"])
    return client


def test_the_lists_show_the_default_rows_installed_on_first_use(org, team_account):
    client = admin_client(org)
    assert not NineGridCell.objects.exists() and not OrgCadenceTarget.objects.exists()
    response = client.get("/admin/relationships/ninegridcell/")
    assert response.status_code == 200 and NineGridCell.objects.count() == 9
    assert "9 nine-grid actions" in response.content.decode()
    response = client.get("/admin/relationships/orgcadencetarget/")
    assert response.status_code == 200 and OrgCadenceTarget.objects.count() == 4
    # One settings row: the list opens it.
    response = client.get("/admin/relationships/relationshipsettings/")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200

    contact = make_contact(team_account, name="张信息", is_key=True)
    add_owner(contact, org["ar"], primary=True)
    log_interaction(team_account, contact_ids=[contact.pk], minutes="数字化转型交流")
    for model in ("contact", "interaction", "orgactivity"):
        assert client.get(f"/admin/relationships/{model}/").status_code == 200, model
    page = client.get(f"/admin/relationships/contact/{contact.pk}/change/")
    assert page.status_code == 200 and "王磊" in page.content.decode()
    assert client.get(f"/admin/relationships/contact/{contact.pk}/history/").status_code == 200
    assert client.get("/admin/relationships/contact/add/").status_code == 403


def test_an_edited_nine_grid_action_shows_in_the_api(org, team_account, api):
    make_contact(team_account, name="张信息", is_key=True, intimacy="high", support="low")
    client = admin_client(org)
    client.get("/admin/relationships/ninegridcell/")
    cell = NineGridCell.objects.get(intimacy="high", support="low")
    response = client.post(
        f"/admin/relationships/ninegridcell/{cell.pk}/change/",
        {"action_en": "Invite them to the POC review.", "action_zh": "邀请其参加 POC 评审。"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get("/admin/relationships/ninegridcell/add/").status_code == 403

    grid = api(org["ar"]).get(f"/accounts/{team_account.pk}/nine-grid").json()
    cell_out = next(c for c in grid if (c["intimacy"], c["support"]) == ("high", "low"))
    assert cell_out["action"] == "Invite them to the POC review."
    assert [person["name"] for person in cell_out["contacts"]] == ["张信息"]
    chinese = api(org["ar"], "zh-hans").get(f"/accounts/{team_account.pk}/nine-grid").json()
    assert (
        next(c for c in chinese if (c["intimacy"], c["support"]) == ("high", "low"))["action"]
        == "邀请其参加 POC 评审。"
    )


def test_the_weekly_visit_target_changes_the_visit_cadence(org, team_account, api):
    for days in (0, 0, 0):
        log_interaction(team_account, occurred_at=timezone.now() - timedelta(minutes=5 + days))
    before = api(org["ar"]).get("/visit-cadence").json()
    me = next(person for person in before["people"] if person["user_id"] == org["ar"].pk)
    assert (before["target"], me["visits"], me["below_target"]) == (5, 3, True)

    client = admin_client(org)
    settings_page = client.get("/admin/relationships/relationshipsettings/")
    response = client.post(settings_page["Location"], {"weekly_visit_target": 3, "key_contact_stale_days": 45})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RelationshipSettings.objects.get().key_contact_stale_days == 45

    after = api(org["ar"]).get("/visit-cadence").json()
    me = next(person for person in after["people"] if person["user_id"] == org["ar"].pk)
    assert (after["target"], me["target"], me["below_target"]) == (3, 3, False)


def test_cadence_targets_are_edited_per_kind_and_tier(org):
    client = admin_client(org)
    client.get("/admin/relationships/orgcadencetarget/")
    response = client.post(
        "/admin/relationships/orgcadencetarget/add/",
        {"kind": "joint_innovation_centre", "tier": "s", "per_year": 1},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert OrgCadenceTarget.objects.filter(kind="joint_innovation_centre", tier="s", per_year=1).exists()
    refused = client.post(
        "/admin/relationships/orgcadencetarget/add/", {"kind": "executive_visit", "tier": "x", "per_year": 1}
    )
    assert refused.status_code == 200 and not OrgCadenceTarget.objects.filter(tier="x").exists()


def test_only_administrators_reach_the_relationship_admin(org):
    client = Client()
    client.force_login(org["manager"])
    response = client.get("/admin/relationships/ninegridcell/")
    assert response.status_code in (302, 403)
