"""Deal registration on the web: registering for a partner or a unit, the conflict told on the form, the
live / expired / all lists, deciding and withdrawing; and the partner portal for a partner's login."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from irontriangle.common.access import viewer_of
from irontriangle.resources import services
from irontriangle.resources.models import DealRegistration
from tests.resources.web.conftest import browser_as, html


def _register(who, *, partner=None, unit=None, account=None, project="CRM二期", days=30, customer=""):
    return services.registration_create(
        viewer=viewer_of(who),
        actor=who,
        data={"project": project, "customer_name": customer, "expires_on": timezone.localdate() + timedelta(days=days)},
        partner=partner,
        unit=unit,
        account=account,
    )


def _form(account, **extra):
    return {
        "account": account.pk,
        "project": "CRM 二期",
        "estimated_amount": "800000",
        "expires_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
        **extra,
    }


def test_the_ar_registers_a_deal_for_a_partner(org, partners, team_account):
    client = browser_as(org["ar"])
    form = client.get("/registrations/new/")
    assert form.status_code == 200 and 'data-testid="registration-form"' in html(form)
    response = client.post("/registrations/new/", _form(team_account, partner=partners["alpha"].pk))
    assert response.status_code == 302
    registration = DealRegistration.objects.get()
    assert registration.account == team_account and registration.partner == partners["alpha"]
    assert response["Location"] == f"/registrations/{registration.pk}/"
    assert "CRM 二期" in html(client.get(response["Location"]))


def test_the_deal_select_follows_the_account_picked(org, partners, team_account, tier1_deal):
    client = browser_as(org["ar"])
    options = html(client.get("/registrations/deal-options/", {"account": team_account.pk}))
    assert f'value="{tier1_deal.pk}"' in options and "集团CRM项目" in options
    assert "集团CRM项目" not in html(
        browser_as(org["outsider"]).get("/registrations/deal-options/", {"account": team_account.pk})
    )
    assert browser_as(partners["login"]).get("/registrations/deal-options/").status_code == 404
    # Opened from a deal, the form comes filled in.
    form = client.get("/registrations/new/", {"opportunity": tier1_deal.pk})
    assert form.context["form"].initial["project"] == "集团CRM项目"
    assert f'<option value="{tier1_deal.pk}" selected>' in html(form)


def test_the_same_project_again_is_refused_on_the_form(org, partners, team_account):
    _register(org["ar"], partner=partners["beta"], account=team_account)
    response = browser_as(org["ar"]).post("/registrations/new/", _form(team_account, partner=partners["alpha"].pk))
    assert response.status_code == 422
    body = html(response)
    assert 'data-testid="form-error"' in body and "already registered" in body
    assert DealRegistration.objects.count() == 1


def test_partner_or_unit_and_a_visible_account(org, partners, team_account):
    client = browser_as(org["ar"])
    neither = client.post("/registrations/new/", _form(team_account))
    assert neither.status_code == 422 and 'data-field-error="partner"' in html(neither)
    # The outsider cannot name the AR's account.
    outsider = browser_as(org["outsider"]).post("/registrations/new/", _form(team_account, unit="ka-north"))
    assert outsider.status_code == 422 and 'data-field-error="account"' in html(outsider)
    assert not DealRegistration.objects.exists()


def test_lists_live_expired_and_all(org, partners, team_account, django_assert_max_num_queries):
    live = _register(org["ar"], partner=partners["alpha"], account=team_account, project="甲")
    old = _register(org["ar"], partner=partners["alpha"], account=team_account, project="乙")
    DealRegistration.objects.filter(pk=old.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    client = browser_as(org["ar"])
    client.get("/registrations/")
    with django_assert_max_num_queries(8):
        response = client.get("/registrations/")
    assert [row["registration"].pk for row in response.context["rows"]] == [live.pk]
    expired = client.get("/registrations/", {"state": "expired"}).context["rows"]
    assert [(row["registration"].pk, row["state"]) for row in expired] == [(old.pk, "expired")]
    assert len(client.get("/registrations/", {"state": "all"}).context["rows"]) == 2
    # The outsider sees none of them, and their pages answer 404.
    outsider = browser_as(org["outsider"])
    assert outsider.get("/registrations/", {"state": "all"}).context["rows"] == []
    assert outsider.get(f"/registrations/{live.pk}/").status_code == 404


def test_the_channel_manager_approves_or_rejects(org, partners, team_account):
    first = _register(org["ar"], partner=partners["alpha"], account=team_account, project="甲")
    second = _register(org["ar"], partner=partners["alpha"], account=team_account, project="乙")
    ar = browser_as(org["ar"])
    assert 'data-testid="decision-form"' not in html(ar.get(f"/registrations/{first.pk}/"))
    assert ar.post(f"/registrations/{first.pk}/decide/", {"decision": "approve"}).status_code == 403
    channel = browser_as(partners["channel"])
    assert 'data-testid="decision-form"' in html(channel.get(f"/registrations/{first.pk}/"))
    assert channel.post(f"/registrations/{first.pk}/decide/", {"decision": "approve"}).status_code == 302
    no_reason = channel.post(f"/registrations/{second.pk}/decide/", {"decision": "reject", "note": ""})
    assert no_reason.status_code == 422 and 'data-field-error="note"' in html(no_reason)
    assert (
        channel.post(f"/registrations/{second.pk}/decide/", {"decision": "reject", "note": "客户重复"}).status_code
        == 302
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("approved", "rejected")


def test_the_registrant_withdraws(org, partners, team_account):
    registration = _register(org["ar"], partner=partners["alpha"], account=team_account)
    client = browser_as(org["ar"])
    assert client.post(f"/registrations/{registration.pk}/withdraw/").status_code == 302
    registration.refresh_from_db()
    assert registration.status == "withdrawn"
    again = client.post(f"/registrations/{registration.pk}/withdraw/")
    assert again.status_code == 409 and 'data-testid="action-error"' in html(again)


def test_a_partner_login_meets_404_outside_its_portal(org, partners, team_account):
    registration = _register(partners["login"], project="门户项目", days=10, customer="某客户")
    client = browser_as(partners["login"])
    for path in ("/registrations/", "/registrations/new/", f"/registrations/{registration.pk}/decide/"):
        assert client.get(path).status_code == 404, path
    # Its own registration's page (a notification's link) leads into the portal instead.
    assert client.get(f"/registrations/{registration.pk}/")["Location"] == f"/partner/#registration-{registration.pk}"


def test_the_portal_is_for_partner_logins_only(org):
    assert browser_as(org["ar"]).get("/partner/").status_code == 404
    assert browser_as(org["admin"]).get("/partner/").status_code == 404


def test_the_partner_registers_in_its_portal(org, partners, team_account, django_assert_max_num_queries):
    client = browser_as(partners["login"])
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/partner/"
    client.get("/partner/")
    with django_assert_max_num_queries(12):
        page = client.get("/partner/")
    assert page.status_code == 200
    body = html(page)
    assert 'data-testid="portal-register-form"' in body and 'name="reg-customer_name"' in body
    assert 'name="account"' not in body
    # Only the portal in the navbar.
    assert 'data-testid="nav-partner-portal"' in body and 'data-testid="resources-menu"' not in body
    assert 'data-testid="log-visit"' not in body and "/api/v1/docs" not in body
    response = client.post(
        "/partner/register/",
        {
            "reg-customer_name": "中国移动上海公司",
            "reg-project": "CRM二期",
            "reg-estimated_amount": "600000",
            "reg-expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302 and response["Location"] == "/partner/"
    registration = DealRegistration.objects.get()
    assert registration.partner == partners["alpha"] and registration.account == team_account
    assert "CRM二期" in html(client.get("/partner/"))
    # The other partner cannot take the same project while it is protected.
    other = browser_as(partners["beta_login"]).post(
        "/partner/register/", {"reg-customer_name": "中国移动上海公司", "reg-project": "crm 二期"}
    )
    assert other.status_code == 409 and 'data-testid="form-error"' in html(other)
    # And does not see the first partner's registration.
    assert "CRM二期" not in html(browser_as(partners["beta_login"]).get("/partner/"))
    # Withdrawing frees it.
    assert client.post(f"/partner/registrations/{registration.pk}/withdraw/").status_code == 302
    registration.refresh_from_db()
    assert registration.status == "withdrawn"
    assert (
        browser_as(partners["beta_login"]).post(f"/partner/registrations/{registration.pk}/withdraw/").status_code
        == 404
    )


def test_the_portal_shows_shared_deals_as_a_read_only_summary(org, partners, shared_deal, team_account):
    from tests.factories import make_opportunity

    hidden = make_opportunity(team_account, name="不共享的商机", amount="800000.00")
    client = browser_as(partners["login"])
    body = html(client.get("/partner/"))
    assert "共享商机" in body and "不共享的商机" not in body
    summary = client.get(f"/partner/opportunities/{shared_deal.pk}/")
    assert summary.status_code == 200
    page = html(summary)
    assert "共享商机" in page and "中国移动上海公司" in page and "王磊" in page and "500,000" in page
    assert "call-for-fire" not in page and "checklist" not in page
    assert client.get(f"/partner/opportunities/{hidden.pk}/").status_code == 404
    assert browser_as(partners["beta_login"]).get(f"/partner/opportunities/{shared_deal.pk}/").status_code == 404
    assert browser_as(org["ar"]).get(f"/partner/opportunities/{shared_deal.pk}/").status_code == 404
