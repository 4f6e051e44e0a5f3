"""Cadences: customer visits per person per week (`/visit-cadence`) and the organisational activities of
S / A accounts (`/accounts/{id}/org-cadence`, `/org-activities`)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from irontriangle.relationships.models import OrgActivity, RelationshipSettings
from tests.conftest import api_as
from tests.factories import grant_permission, log_interaction, make_account, make_contact


def _monday(weeks_back: int):
    today = timezone.localdate()
    return today - timedelta(days=today.weekday() + 7 * weeks_back)


def _at(day, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def week():
    return _monday(2)


def _people(client, week, **params) -> dict[str, dict]:
    response = client.get("/visit-cadence", {"week": week.isoformat(), **params})
    assert response.status_code == 200, response.content
    return {person["user_label"]: person for person in response.json()["people"]}


def _log(account, who, day, *, kind="visit", count=1, hour=10):
    for number in range(count):
        log_interaction(
            account, kind=kind, participant_ids=[user.pk for user in who], occurred_at=_at(day, hour + number)
        )


def test_visits_per_person_in_the_week(org, team_account, week):
    ar, sr = org["ar"], org["sr"]
    _log(team_account, [ar], week, count=3)  # Monday
    _log(team_account, [ar, sr], week + timedelta(days=6), hour=20)  # Sunday evening, both went
    _log(team_account, [ar], week + timedelta(days=2), kind="call", count=4)  # calls do not count
    _log(team_account, [ar], week - timedelta(days=1), count=2)  # the Sunday before: last week
    _log(team_account, [ar], week + timedelta(days=7))  # the Monday after: next week
    _log(team_account, [sr], week + timedelta(days=3), kind="meal")
    _log(team_account, [sr], week + timedelta(days=4), kind="site_tour")

    people = _people(api_as(org["manager"]), week)

    assert people["王磊"]["visits"] == 4
    assert people["李娜"]["visits"] == 3
    assert people["王磊"]["trend"][-1] == 4 and people["王磊"]["trend"][-2] == 2
    assert people["王磊"]["unit_code"] == "ka-sh"
    # Any day of the week names the week.
    assert _people(api_as(org["manager"]), week + timedelta(days=5))["王磊"]["visits"] == 4


def test_deleted_visits_do_not_count(org, team_account, week):
    _log(team_account, [org["ar"]], week, count=2)
    client = api_as(org["ar"])
    first = client.get("/interactions").json()["items"][0]
    client.delete(f"/interactions/{first['id']}")

    assert _people(client, week)["王磊"]["visits"] == 1


def test_below_target_against_the_default_and_a_configured_target(org, team_account, week):
    _log(team_account, [org["ar"]], week, count=5)
    _log(team_account, [org["sr"]], week + timedelta(days=1), count=4)
    client = api_as(org["manager"])

    body = client.get("/visit-cadence", {"week": week.isoformat()}).json()
    people = {person["user_label"]: person for person in body["people"]}
    assert body["target"] == 5 and body["week"] == week.isoformat()
    assert (people["王磊"]["below_target"], people["李娜"]["below_target"]) == (False, True)
    assert people["张伟"]["visits"] == 0 and people["张伟"]["below_target"] is True

    RelationshipSettings.objects.update_or_create(pk=1, defaults={"weekly_visit_target": 4})
    people = _people(client, week)
    assert (people["王磊"]["below_target"], people["李娜"]["below_target"]) == (False, False)
    assert people["李娜"]["target"] == 4


def test_a_manager_sees_the_units_people_and_a_plain_user_only_themselves(org, team_account, week):
    _log(team_account, [org["ar"]], week)

    assert set(_people(api_as(org["manager"]), week)) == {"王磊", "李娜", "张伟"}
    assert set(_people(api_as(org["sr"]), week)) == {"李娜"}
    assert set(_people(api_as(org["outsider"]), week)) == {"赵敏"}
    north = _people(api_as(org["north_manager"]), week)
    assert "王磊" not in north and "赵敏" in north
    # Asking for another unit does not widen what one sees.
    assert set(_people(api_as(org["sr"]), week, unit_code="ka-east")) == {"李娜"}
    assert _people(api_as(org["manager"]), week, unit_code="ka-north") == {}


def test_unit_summary(org, team_account, week):
    _log(team_account, [org["ar"]], week, count=6)
    _log(team_account, [org["sr"]], week, count=2)

    body = api_as(org["manager"]).get("/visit-cadence", {"week": week.isoformat()}).json()
    units = {unit["unit_code"]: unit for unit in body["units"]}

    shanghai = units["ka-sh"]
    assert (shanghai["people"], shanghai["visits"], shanghai["average"], shanghai["on_target"]) == (2, 8, 4.0, 1)
    assert shanghai["below_target"] is True
    assert units["ka-east"]["people"] == 1 and units["ka-east"]["visits"] == 0
    assert len(body["weeks"]) == len(shanghai["trend"]) == 8


def test_visit_cadence_rejects_a_bad_week(org):
    client = api_as(org["ar"])
    assert client.get("/visit-cadence", {"week": "not-a-date"}).status_code == 422
    assert client.get("/visit-cadence").status_code == 200


# --- organisational cadence ---------------------------------------------------------------------------


def test_an_s_account_whose_last_alignment_meeting_was_long_ago_is_overdue(org, team_account):
    client = api_as(org["ar"])
    long_ago = timezone.localdate() - timedelta(days=400)
    created = client.post(
        "/org-activities",
        {"kind": "strategic_alignment_meeting", "account_id": team_account.pk, "occurred_on": long_ago.isoformat()},
    )
    assert created.status_code == 201, created.content

    cadences = {row["kind"]: row for row in client.get(f"/accounts/{team_account.pk}/org-cadence").json()}

    alignment = cadences["strategic_alignment_meeting"]
    assert alignment["overdue"] is True and alignment["last_on"] == long_ago.isoformat()
    assert alignment["per_year"] == 2 and alignment["count_last_year"] == 0
    assert date_of(alignment["due_on"]) < timezone.localdate()
    # Never held yet, but the account is new: not overdue before one interval has passed.
    assert cadences["executive_visit"]["overdue"] is False and cadences["executive_visit"]["last_on"] is None

    recent = (timezone.localdate() - timedelta(days=10)).isoformat()
    client.post(
        "/org-activities",
        {"kind": "strategic_alignment_meeting", "account_id": team_account.pk, "occurred_on": recent},
    )
    alignment = {row["kind"]: row for row in client.get(f"/accounts/{team_account.pk}/org-cadence").json()}[
        "strategic_alignment_meeting"
    ]
    assert alignment["overdue"] is False and alignment["count_last_year"] == 1


def date_of(text: str):
    from datetime import date

    return date.fromisoformat(text)


def test_accounts_of_lower_tiers_have_no_organisational_cadence(org):
    account = make_account(org["ar"], name="普通客户", tier="c")
    assert api_as(org["ar"]).get(f"/accounts/{account.pk}/org-cadence").json() == []


def test_org_activities_crud(org, team_account):
    client = api_as(org["ar"])
    cio = make_contact(team_account, name="陈主任")
    created = client.post(
        "/org-activities",
        {
            "kind": "strategic_agreement",
            "account_id": team_account.pk,
            "occurred_on": "2026-03-01",
            "title": "战略合作协议",
            "participant_ids": [org["ar"].pk, org["manager"].pk],
            "contact_ids": [cio.pk],
            "outcome": "签署三年战略合作协议",
            "key_projects": "5G专网;数据中心",
            "exclusive": True,
            "valid_until": "2029-02-28",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["kind"], body["exclusive"], body["valid_until"], body["contact_ids"]) == (
        "strategic_agreement",
        True,
        "2029-02-28",
        [cio.pk],
    )
    assert sorted(body["participant_ids"]) == sorted([org["ar"].pk, org["manager"].pk])
    assert client.get(f"/org-activities/{body['id']}").json() == body

    listed = client.get("/org-activities", {"account_id": team_account.pk}).json()["items"]
    assert [item["id"] for item in listed] == [body["id"]]
    assert client.get("/org-activities", {"kind": "executive_visit"}).json()["items"] == []

    patched = client.patch(f"/org-activities/{body['id']}", {"version": 1, "outcome": "已签署", "valid_until": None})
    assert patched.status_code == 200
    assert (patched.json()["outcome"], patched.json()["valid_until"], patched.json()["version"]) == ("已签署", None, 2)
    stale = client.patch(f"/org-activities/{body['id']}", {"version": 1, "outcome": "旧"})
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"

    assert client.delete(f"/org-activities/{body['id']}").status_code == 204
    assert client.get(f"/org-activities/{body['id']}").status_code == 404
    assert OrgActivity.all_objects.get(pk=body["id"]).deleted_at is not None


def test_org_activities_are_validated_and_guarded(org, team_account):
    client = api_as(org["ar"])
    other_contact = make_contact(make_account(org["ar"], name="别家"), name="别家的人")
    hidden = make_account(org["outsider"], name="华北客户")
    base = {"kind": "executive_visit", "account_id": team_account.pk, "occurred_on": "2026-04-01"}

    assert client.post("/org-activities", {**base, "kind": "party"}).status_code == 422
    bad_contact = client.post("/org-activities", {**base, "contact_ids": [other_contact.pk]})
    assert bad_contact.status_code == 422 and bad_contact.json()["errors"][0]["field"] == "contact_ids"
    invisible = client.post("/org-activities", {**base, "account_id": hidden.pk})
    assert invisible.status_code == 422 and invisible.json()["errors"][0]["field"] == "account_id"
    activity = client.post("/org-activities", base).json()

    outsider = api_as(org["outsider"])
    assert outsider.get("/org-activities").json()["items"] == []
    assert outsider.get(f"/org-activities/{activity['id']}").status_code == 404
    assert outsider.patch(f"/org-activities/{activity['id']}", {"version": 1, "outcome": "x"}).status_code == 404
    assert outsider.delete(f"/org-activities/{activity['id']}").status_code == 404
    manager = api_as(org["manager"])
    assert [item["id"] for item in manager.get("/org-activities").json()["items"]] == [activity["id"]]
    reader = api_as(grant_permission(org["finance_user"], "read_all_records"))
    assert reader.get(f"/org-activities/{activity['id']}").status_code == 200
    assert reader.patch(f"/org-activities/{activity['id']}", {"version": 1, "outcome": "x"}).status_code == 403
    assert reader.post("/org-activities", base).status_code == 403
    assert OrgActivity.objects.count() == 1
