"""The interaction, organisational activity, cadence, risk radar and evaluation pages, through the Django test
client and the real middleware, as a team member, a manager above and an outsider."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from irontriangle.common.access import viewer_of
from irontriangle.relationships.models import Interaction, OrgActivity, RelationshipEvaluation
from irontriangle.relationships.services import org_activity_create
from tests.factories import add_owner, log_interaction, make_account, make_contact

HX = {"HX-Request": "true", "HX-Target": "interaction-results"}


@pytest.fixture
def world(org, team_account):
    """The Shanghai account with a key contact (owner, no backup), a visit with Chinese minutes, an
    executive visit long ago (so the cadence is overdue), and a northern account nobody here may see."""
    key = make_contact(team_account, name="张总", title="信息中心主任", is_key=True, buying_roles=["decision_maker"])
    add_owner(key, org["ar"], primary=True)
    other = make_contact(team_account, name="李工", title="网络部工程师")
    visit = log_interaction(
        team_account,
        kind="visit",
        contact_ids=[key.pk],
        participant_ids=[org["ar"].pk, org["sr"].pk],
        minutes="与张总讨论了数据中心扩容预算，对方希望下季度启动招标。",
        next_steps="下周提交方案建议书",
    )
    activity = org_activity_create(
        viewer=viewer_of(org["ar"]),
        actor=org["ar"],
        data={
            "kind": "executive_visit",
            "account_id": team_account.pk,
            "occurred_on": timezone.localdate() - timedelta(days=400),
            "title": "高层互访",
            "outcome": "双方同意成立联合工作组",
        },
    )
    north = make_account(org["outsider"], name="华北秘密客户", tier="s")
    hidden = log_interaction(north, minutes="北方客户也在讨论扩容预算")
    return {
        "account": team_account,
        "key": key,
        "other": other,
        "visit": visit,
        "activity": activity,
        "north": north,
        "hidden": hidden,
    }


def object_pages(world) -> list[str]:
    visit, account = world["visit"], world["account"]
    return [
        f"/interactions/{visit.pk}/",
        f"/interactions/{visit.pk}/edit/",
        f"/org-activities/{world['activity'].pk}/edit/",
        f"/accounts/{account.pk}/evaluation/",
    ]


LIST_PAGES = [
    "/interactions/",
    "/org-activities/",
    "/cadence/",
    "/risks/",
    "/interactions/new/",
    "/org-activities/new/",
]


# --- access -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["ar", "sr", "manager"])
def test_team_member_and_manager_open_every_page(client, org, world, who):
    client.force_login(org[who])
    for url in object_pages(world) + LIST_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
    body = client.get("/interactions/").content.decode()
    assert "中国移动上海公司" in body and "数据中心扩容预算" in body
    assert "华北秘密客户" not in body


def test_outsider_gets_404_on_objects_and_empty_lists(client, org, world):
    client.force_login(org["outsider"])
    for url in object_pages(world):
        assert client.get(url).status_code == 404, url
    for url in ("/interactions/", "/org-activities/", "/risks/"):
        body = client.get(url).content.decode()
        assert "中国移动上海公司" not in body and "张总" not in body, url
    # The outsider's own account is theirs to see, of course.
    page = client.get("/interactions/").context["page"]
    assert [item.pk for item in page.items] == [world["hidden"].pk]
    assert client.get(f"/interactions/?account={world['account'].pk}").context["page"].items == [world["hidden"]]
    # Contacts of an account they cannot see are never offered.
    chips = client.get("/interactions/contacts/", {"account_id": world["account"].pk}).content.decode()
    assert "张总" not in chips
    assert client.post(f"/interactions/{world['visit'].pk}/delete/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get("/interactions/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- interaction list and search --------------------------------------------------------------------


def test_search_by_a_chinese_word_finds_the_visit_and_never_an_invisible_one(client, org, world):
    client.force_login(org["ar"])
    for word in ("扩容", "数据中心", "扩容预算"):  # two characters scan, three and more use the trigram index
        response = client.get("/interactions/", {"q": word})
        assert [item.pk for item in response.context["page"].items] == [world["visit"].pk], word
        body = response.content.decode()
        assert f"<mark>{word}</mark>" in body
        assert "北方客户" not in body
    assert client.get("/interactions/", {"q": "不存在的词"}).context["page"].items == []
    # Live search answers with the results only, and keeps the address short.
    live = client.get("/interactions/", {"q": "扩容", "kind": "", "since": ""}, headers=HX)
    assert "<html" not in live.content.decode() and "<mark>扩容</mark>" in live.content.decode()
    assert live["HX-Push-Url"] == "/interactions/?q=%E6%89%A9%E5%AE%B9"


def test_list_filters(client, org, world):
    call = log_interaction(world["account"], kind="call", minutes="电话确认招标时间", by=org["sr"])
    client.force_login(org["manager"])

    def shown(**params):
        return [item.pk for item in client.get("/interactions/", params).context["page"].items]

    assert shown() == [call.pk, world["visit"].pk]  # newest first
    assert shown(kind="call") == [call.pk]
    assert shown(account=world["account"].pk) == [call.pk, world["visit"].pk]
    assert shown(since=(timezone.localdate() + timedelta(days=1)).isoformat()) == []
    assert shown(until=timezone.localdate().isoformat()) == [call.pk, world["visit"].pk]
    assert shown(mine="on") == []  # the manager went to neither
    client.force_login(org["sr"])
    assert [i.pk for i in client.get("/interactions/", {"mine": "on"}).context["page"].items] == [
        call.pk,
        world["visit"].pk,
    ]
    # Invalid values are dropped, never an error.
    for bad in ({"kind": "party"}, {"since": "yesterday"}, {"account": "x"}, {"cursor": "broken"}):
        assert client.get("/interactions/", bad).status_code == 200


def test_keyset_paging(client, org, team_account):
    for n in range(35):
        log_interaction(team_account, minutes=f"第{n}次拜访", occurred_at=timezone.now() - timedelta(hours=n))
    client.force_login(org["ar"])
    first = client.get("/interactions/")
    assert len(first.context["page"].items) == 30 and first.context["page"].next_cursor
    second = client.get("/interactions/", {"cursor": first.context["page"].next_cursor})
    assert len(second.context["page"].items) == 5
    assert not {i.pk for i in first.context["page"].items} & {i.pk for i in second.context["page"].items}


def test_list_query_count_does_not_grow_with_rows(client, org, team_account, django_assert_max_num_queries):
    contact = make_contact(team_account, name="王主任")
    for n in range(3):
        log_interaction(team_account, contact_ids=[contact.pk], minutes=f"拜访记录 {n}")
    client.force_login(org["ar"])
    client.get("/interactions/")  # warm the session and the settings row
    with django_assert_max_num_queries(12) as three:
        client.get("/interactions/", {"q": "拜访记录"})
    for n in range(17):
        log_interaction(team_account, contact_ids=[contact.pk], participant_ids=[org["sr"].pk], minutes=f"拜访记录 {n}")
    with django_assert_max_num_queries(12) as twenty:
        response = client.get("/interactions/", {"q": "拜访记录"})
    assert len(response.context["page"].items) == 20
    assert len(twenty.captured_queries) == len(three.captured_queries)


def test_detail_query_budget(client, org, world, django_assert_max_num_queries):
    client.force_login(org["ar"])
    client.get("/interactions/")
    with django_assert_max_num_queries(10):
        response = client.get(f"/interactions/{world['visit'].pk}/")
    body = response.content.decode()
    assert "张总" in body and "下周提交方案建议书" in body and "李娜" in body


# --- logging a visit --------------------------------------------------------------------------------


def test_create_form_defaults_and_prefill(client, org, world):
    client.force_login(org["sr"])
    response = client.get("/interactions/new/", {"account": world["account"].pk, "contact": world["key"].pk})
    context = response.context
    assert context["form"]["account_id"].value() == world["account"].pk
    assert context["ticked_contacts"] == {world["key"].pk}
    assert [pk for pk, _label in context["people"]] == [org["sr"].pk]  # who went: me
    assert {contact.name for contact in context["contacts"]} == {"张总", "李工"}
    assert context["form"]["occurred_at"].value()  # now
    body = response.content.decode()
    for kind in ("visit", "meal", "call", "meeting", "exhibition", "site_tour"):
        assert f'data-testid="kind-{kind}"' in body
    # An account the person cannot act on is not offered and not prefilled.
    client.force_login(org["outsider"])
    response = client.get("/interactions/new/", {"account": world["account"].pk})
    assert response.context["form"]["account_id"].value() is None
    assert all(pk != world["account"].pk for pk, _name in response.context["form"].fields["account_id"].choices[1:])


def test_logging_a_visit_through_the_form(client, org, world):
    client.force_login(org["sr"])
    account = world["account"]
    response = client.post(
        "/interactions/new/",
        {
            "kind": "meal",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "account_id": account.pk,
            "contact_ids": [world["key"].pk, world["other"].pk],
            "participant_ids": [org["sr"].pk, org["ar"].pk],
            "minutes": "午餐时张总提到明年预算增加两成",
            "next_steps": "约技术交流",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/accounts/{account.pk}/"
    interaction = Interaction.objects.get(minutes="午餐时张总提到明年预算增加两成")
    assert interaction.kind == "meal" and interaction.logged_by == org["sr"]
    assert set(interaction.contacts.values_list("name", flat=True)) == {"张总", "李工"}
    assert set(interaction.participants.all()) == {org["sr"], org["ar"]}
    page = client.get(f"/accounts/{account.pk}/")
    assert any("was logged" in str(message) for message in page.context["messages"])
    # Back to where the person came from, when it is a page of this site.
    client.post(
        "/interactions/new/",
        {"kind": "call", "occurred_at": "2026-01-05T09:30", "account_id": account.pk, "next": "/interactions/"},
    )
    assert Interaction.objects.filter(kind="call").count() == 1
    elsewhere = client.post(
        "/interactions/new/",
        {"kind": "call", "occurred_at": "2026-01-05T09:30", "account_id": account.pk, "next": "https://evil.example/"},
    )
    assert elsewhere["Location"] == f"/accounts/{account.pk}/"


def test_logging_errors_are_shown_on_their_field(client, org, world):
    client.force_login(org["ar"])
    elsewhere = make_account(org["ar"], name="另一个客户")
    stranger = make_contact(elsewhere, name="外人")
    response = client.post(
        "/interactions/new/",
        {
            "kind": "visit",
            "occurred_at": "2026-01-05T09:30",
            "account_id": world["account"].pk,
            "contact_ids": [stranger.pk],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["contact_ids"]
    assert 'data-field-error="contact_ids"' in response.content.decode()
    missing = client.post("/interactions/new/", {"kind": "visit", "occurred_at": "2026-01-05T09:30"})
    assert "account_id" in missing.context["form"].errors
    future = client.post(
        "/interactions/new/",
        {"kind": "visit", "occurred_at": "2099-01-05T09:30", "account_id": world["account"].pk},
    )
    assert "occurred_at" in future.context["form"].errors
    # An account the person sees but may not act on: refused on the field, nothing written.
    client.force_login(org["north_manager"])
    refused = client.post(
        "/interactions/new/", {"kind": "visit", "occurred_at": "2026-01-05T09:30", "account_id": world["account"].pk}
    )
    assert "account_id" in refused.context["form"].errors
    assert Interaction.objects.count() == 2


def test_contact_chips_follow_the_account(client, org, world):
    client.force_login(org["ar"])
    body = client.get(
        "/interactions/contacts/", {"account_id": world["account"].pk, "participant_ids": [org["ar"].pk]}
    ).content.decode()
    assert "张总" in body and "李工" in body and 'name="contact_ids"' in body
    # The account team is suggested (out of band) as people who may have gone along, except those ticked.
    assert 'id="people-suggestions"' in body and "李娜" in body and "王磊" not in body
    people = client.get("/interactions/people/", {"q": "张"}).content.decode()
    assert "张伟" in people and 'name="participant_ids"' in people


def test_editing_an_interaction_is_version_checked(client, org, world):
    visit = world["visit"]
    client.force_login(org["ar"])
    form = client.get(f"/interactions/{visit.pk}/edit/").context["form"]
    assert form["version"].value() == visit.version
    data = {
        "kind": "meeting",
        "occurred_at": "2026-01-05T09:30",
        "account_id": world["account"].pk,
        "contact_ids": [world["other"].pk],
        "participant_ids": [org["ar"].pk],
        "minutes": "改为会议纪要",
        "version": visit.version,
    }
    response = client.post(f"/interactions/{visit.pk}/edit/", data)
    assert response.status_code == 302 and response["Location"] == f"/interactions/{visit.pk}/"
    visit.refresh_from_db()
    assert visit.kind == "meeting" and list(visit.contacts.all()) == [world["other"]]
    stale = client.post(f"/interactions/{visit.pk}/edit/", {**data, "minutes": "过期的修改"})
    assert stale.status_code == 409 and 'data-testid="version-conflict"' in stale.content.decode()
    visit.refresh_from_db()
    assert visit.minutes == "改为会议纪要"


# --- organisational activities ----------------------------------------------------------------------


def test_org_activity_list_flags_overdue_cadence(client, org, world):
    client.force_login(org["manager"])
    response = client.get("/org-activities/")
    body = response.content.decode()
    assert "高层互访" in body and "双方同意成立联合工作组" in body
    overdue = [cadence for cadence, late in response.context["cadence_rows"] if late]
    assert {cadence.kind for cadence in overdue} >= {"executive_visit"}
    assert 'data-testid="overdue-flag"' in body
    client.force_login(org["outsider"])
    response = client.get("/org-activities/")
    assert response.context["page"].items == []
    assert all(cadence.account.pk != world["account"].pk for cadence, _late in response.context["cadence_rows"])


def test_recording_a_strategic_agreement(client, org, world):
    client.force_login(org["ar"])
    response = client.post(
        "/org-activities/new/",
        {
            "kind": "strategic_agreement",
            "account_id": world["account"].pk,
            "occurred_on": "2026-01-10",
            "title": "战略合作协议",
            "participant_ids": [org["ar"].pk, org["manager"].pk],
            "contact_ids": [world["key"].pk],
            "outcome": "签署三年战略合作协议",
            "key_projects": "5G 专网；数据中心二期",
            "exclusive": "on",
            "valid_until": "2028-12-31",
        },
    )
    assert response.status_code == 302
    agreement = OrgActivity.objects.get(kind="strategic_agreement")
    assert agreement.exclusive and agreement.key_projects == "5G 专网；数据中心二期"
    assert set(agreement.participants.all()) == {org["ar"], org["manager"]}
    assert list(agreement.contacts.all()) == [world["key"]]
    assert 'data-testid="agreement-terms"' in client.get("/org-activities/").content.decode()
    # An agreement cannot end before it is signed; the error sits on its field.
    wrong = client.post(
        "/org-activities/new/",
        {
            "kind": "strategic_agreement",
            "account_id": world["account"].pk,
            "occurred_on": "2026-01-10",
            "valid_until": "2025-01-01",
        },
    )
    assert "valid_until" in wrong.context["form"].errors


def test_editing_an_org_activity(client, org, world):
    activity = world["activity"]
    client.force_login(org["sr"])
    data = {
        "kind": "executive_visit",
        "occurred_on": "2026-02-01",
        "outcome": "更新后的成果",
        "version": activity.version,
    }
    assert client.post(f"/org-activities/{activity.pk}/edit/", data).status_code == 302
    activity.refresh_from_db()
    assert activity.outcome == "更新后的成果" and activity.account == world["account"]
    assert client.post(f"/org-activities/{activity.pk}/edit/", data).status_code == 409


# --- cadence, risks, evaluation ---------------------------------------------------------------------


def test_cadence_page_shows_a_person_below_target(client, org, world):
    client.force_login(org["manager"])
    response = client.get("/cadence/")
    people = {person.user.username: person for person in response.context["people"]}
    assert people["ar"].visits == 1 and people["ar"].below_target
    body = response.content.decode()
    assert 'data-testid="below-target"' in body and "王磊" in body
    assert 'data-cadence-chart="cadence-data"' in body
    chart = response.context["chart"]
    assert chart["target"] == 5 and len(chart["categories"]) == 8
    # Last week: nothing logged, everyone below target; a week picker that goes nowhere odd.
    last_week = (timezone.localdate() - timedelta(days=7)).isoformat()
    previous = client.get("/cadence/", {"week": last_week})
    assert all(person.visits == 0 for person in previous.context["people"])
    assert client.get("/cadence/", {"week": "1900-01-01", "unit": "nowhere"}).status_code == 200
    shanghai = client.get("/cadence/", {"unit": "ka-sh"}).context["report"].people
    assert {person.unit.code for person in shanghai} == {"ka-sh"}


def test_cadence_shows_only_oneself_to_a_rep(client, org, world):
    client.force_login(org["sr"])
    people = client.get("/cadence/").context["people"]
    assert [person.user.username for person in people] == ["sr"]


def test_risk_page_lists_a_key_contact_without_backup(client, org, world):
    client.force_login(org["ar"])
    response = client.get("/risks/")
    body = response.content.decode()
    assert "Key contact 张总 has no backup owner." in body
    assert 'data-testid="risk-link"' in body
    kinds = {risk.kind for group in response.context["groups"] for risk in group["risks"]}
    assert {"no_backup", "org_cadence_overdue"} <= kinds
    only = client.get("/risks/", {"kind": "no_backup"})
    assert {risk.kind for group in only.context["groups"] for risk in group["risks"]} == {"no_backup"}
    assert client.get("/risks/", {"kind": "bogus"}).status_code == 200
    client.force_login(org["manager"])
    assert "张总" in client.get("/risks/").content.decode()
    client.force_login(org["outsider"])
    assert "张总" not in client.get("/risks/").content.decode()


def test_evaluation_save_is_version_checked(client, org, world):
    account = world["account"]
    url = f"/accounts/{account.pk}/evaluation/?year=2026"
    client.force_login(org["ar"])
    response = client.get(url)
    assert len(response.context["items"]) == 9
    assert response.context["evaluation"].score == 0
    body = response.content.decode()
    assert "0 of 1 key contacts have an owner and a backup" in body
    assert "1 of 1 executive visits have their outcome recorded" not in body  # that visit was in another year
    saved = client.post(url, {"strategy_set": "on", "plan_made": "on", "notes": "年度评估：战略已明确"})
    assert saved.status_code == 302 and saved["Location"] == f"/accounts/{account.pk}/evaluation/?year=2026"
    record = RelationshipEvaluation.objects.get(account=account, year=2026)
    assert record.strategy_set and record.plan_made and not record.satisfaction_survey
    assert record.notes == "年度评估：战略已明确"
    page = client.get(url)
    assert page.context["evaluation"].score == 22 and page.context["form"]["version"].value() == record.version
    # A second save without the current version (another tab) is refused, nothing overwritten.
    stale = client.post(url, {"satisfaction_survey": "on", "version": record.version - 1 or 99})
    assert stale.status_code == 409
    record.refresh_from_db()
    assert not record.satisfaction_survey
    updated = client.post(url, {"satisfaction_survey": "on", "version": record.version})
    assert updated.status_code == 302
    record.refresh_from_db()
    assert record.satisfaction_survey and not record.strategy_set
    # Another year is another evaluation.
    assert client.get(f"/accounts/{account.pk}/evaluation/?year=2025").context["evaluation"].record is None


def test_evaluation_is_read_only_for_those_who_only_read(client, org, world, reader):
    url = f"/accounts/{world['account'].pk}/evaluation/"
    client.force_login(reader)
    response = client.get(url)
    assert response.status_code == 200 and not response.context["can_edit"]
    assert 'data-testid="save-evaluation"' not in response.content.decode()
    assert client.post(url, {"strategy_set": "on"}).status_code == 403
    assert not RelationshipEvaluation.objects.exists()


def test_navbar_offers_the_relationship_pages_and_log_a_visit(client, org):
    client.force_login(org["ar"])
    body = client.get("/").content.decode()
    assert 'data-testid="log-visit"' in body and 'href="/interactions/new/"' in body
    for url in ("/interactions/", "/org-activities/", "/cadence/", "/risks/"):
        assert f'href="{url}"' in body
