"""Partners on the web: the list and a partner's page for colleagues, the forms for those who keep partners
(the channel manager, the middle office), and 404 for a partner's own login."""

from __future__ import annotations

from django.utils import timezone

from irontriangle.org.models import User
from irontriangle.resources.models import Partner, PartnerContact, PartnerMeeting, PartnerUser
from tests.resources.web.conftest import browser_as, html


def test_colleagues_list_and_read_partners(org, partners, django_assert_max_num_queries):
    client = browser_as(org["outsider"])
    client.get("/partners/")
    with django_assert_max_num_queries(8):
        response = client.get("/partners/")
    assert response.status_code == 200
    assert [p.name for p in response.context["partners"]] == ["乙伙伴", "甲伙伴"] or sorted(
        p.name for p in response.context["partners"]
    ) == ["乙伙伴", "甲伙伴"]
    assert 'data-testid="partner-add"' not in html(response)
    assert [p.name for p in client.get("/partners/", {"q": "甲"}).context["partners"]] == ["甲伙伴"]
    assert [p.name for p in client.get("/partners/", {"type": "isv"}).context["partners"]] == ["乙伙伴"]
    page = client.get(f"/partners/{partners['alpha'].pk}/")
    assert page.status_code == 200
    body = html(page)
    assert 'data-testid="partner-edit"' not in body and 'data-testid="login-form"' not in body
    assert "alpha_user" in body


def test_a_missing_partner_is_404(org, partners):
    assert browser_as(org["ar"]).get("/partners/999999/").status_code == 404


def test_the_channel_manager_creates_and_edits_a_partner(org, partners):
    client = browser_as(partners["channel"])
    assert 'data-testid="partner-add"' in html(client.get("/partners/"))
    response = client.post(
        "/partners/new/",
        {"name": "丙集成", "name_en": "Bing SI", "type": "si", "tier": "gold", "capabilities": "CRM, 数据中台"},
    )
    assert response.status_code == 302
    created = Partner.objects.get(name="丙集成")
    assert created.capabilities == ["CRM", "数据中台"] and created.manager == partners["channel"]
    duplicate = client.post("/partners/new/", {"name": "丙集成", "type": "si", "tier": "gold"})
    assert duplicate.status_code == 422 and 'data-field-error="name"' in html(duplicate)
    edit = client.post(
        f"/partners/{created.pk}/edit/",
        {"name": "丙集成", "type": "si", "tier": "platinum", "version": created.version},
    )
    assert edit.status_code == 302
    created.refresh_from_db()
    assert created.tier == "platinum"


def test_others_cannot_create_or_edit(org, partners):
    client = browser_as(org["ar"])
    assert client.get("/partners/new/").status_code == 403
    assert client.get(f"/partners/{partners['alpha'].pk}/edit/").status_code == 403
    assert client.post(f"/partners/{partners['alpha'].pk}/contacts/", {"contact-name": "x"}).status_code == 403


def test_contacts_logins_and_meetings_from_the_partner_page(org, partners):
    alpha = partners["alpha"]
    client = browser_as(partners["channel"])
    contact = client.post(f"/partners/{alpha.pk}/contacts/", {"contact-name": "钱经理", "contact-is_primary": "on"})
    assert contact.status_code == 302 and contact["Location"].endswith("#contact")
    assert PartnerContact.objects.get(partner=alpha).is_primary
    weak = client.post(f"/partners/{alpha.pk}/logins/", {"login-username": "alpha2", "login-password": "123"})
    assert weak.status_code == 422 and 'data-field-error="password"' in html(weak)
    login = client.post(
        f"/partners/{alpha.pk}/logins/",
        {"login-username": "alpha2", "login-display_name": "甲二", "login-password": "Partner-2026!z"},
    )
    assert login.status_code == 302
    assert User.objects.get(username="alpha2").is_external
    assert PartnerUser.objects.filter(partner=alpha, user__username="alpha2").exists()
    # Any colleague records a meeting held with the partner.
    ar = browser_as(org["ar"])
    today = timezone.localdate().isoformat()
    meeting = ar.post(
        f"/partners/{alpha.pk}/meetings/", {"meeting-occurred_on": today, "meeting-subject": "季度项目例会"}
    )
    assert meeting.status_code == 302
    assert list(PartnerMeeting.objects.get(partner=alpha).participants.all()) == [org["ar"]]
    body = html(ar.get(f"/partners/{alpha.pk}/"))
    assert "季度项目例会" in body and "钱经理" in body and "alpha2" in body
    missing = ar.post(f"/partners/{alpha.pk}/meetings/", {"meeting-occurred_on": today, "meeting-subject": ""})
    assert missing.status_code == 422


def test_a_partner_login_meets_404_on_every_partner_page(org, partners):
    client = browser_as(partners["login"])
    alpha = partners["alpha"].pk
    for path in ("/partners/", f"/partners/{alpha}/", "/partners/new/", f"/partners/{alpha}/edit/"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/partners/{alpha}/contacts/", {"contact-name": "x"}).status_code == 404
