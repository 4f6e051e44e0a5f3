"""Call for fire in a real browser, in English and in Chinese: the AR asks for help from the deal page, the
solution centre's head assigns the best match from the queue, a colleague registers a deal for a partner and
a partner's login registers one in its portal. Every page of the feature is also shot on a phone and a
desktop, without sideways scrolling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from irontriangle.common.access import viewer_of
from irontriangle.pipeline import services as pipeline
from irontriangle.pipeline.defaults import ensure_processes
from irontriangle.resources.defaults import ensure_defaults
from irontriangle.resources.models import DealRegistration, ResourceRequest
from tests.e2e.conftest import DESKTOP, PHONE, page_width
from tests.factories import PASSWORD, make_opportunity
from tests.resources.conftest import centre, partners, raise_request, tier1_deal

# The call-for-fire world of the API tests serves the browser tests too.
__all__ = ["centre", "partners", "tier1_deal"]

pytestmark = [pytest.mark.e2e]

PARTNER_PASSWORD = "Partner-2026!x"
LANGUAGES = ["en", "zh-hans"]


@pytest.fixture
def defaults(transactional_db):
    # Browser tests empty the database between tests, the rows migrations seeded included; the routing
    # rules must exist before the solution centre is named their pool.
    ensure_processes()
    ensure_defaults()


@pytest.fixture
def world(defaults, org, team_account, centre, tier1_deal, partners):
    return {"org": org, "account": team_account, "centre": centre, "deal": tier1_deal, "partners": partners}


def signed_in(open_session, username, language, viewport=DESKTOP, password=PASSWORD, landing="/"):
    session = open_session(viewport)
    session.goto("/login/")
    if language != "en":
        with session.page.expect_navigation():
            session.page.click(f"[data-testid=lang-{language}]")
    session.page.fill("#id_username", username)
    session.page.fill("#id_password", password)
    session.page.click("button[type=submit]")
    session.page.wait_for_url(session.base_url + landing)
    expect(session.page.locator("html")).to_have_attribute("lang", "zh-Hans" if language != "en" else "en")
    return session


def suffix(language: str) -> str:
    return "zh" if language != "en" else "en"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ar_calls_for_fire_from_the_deal_page(world, open_session, language):
    deal = world["deal"]
    session = signed_in(open_session, "ar", language)
    page = session.page
    session.goto(f"/opportunities/{deal.pk}/")
    card = page.locator("[data-testid=call-for-fire][data-loaded]")
    expect(card).to_be_visible()
    expect(card.locator("[data-testid=deal-request]")).to_have_count(0)
    card.locator("[data-testid=call-for-fire-open]").click()
    page.locator("#call-for-fire-form.show").wait_for()
    form = page.locator("[data-testid=call-for-fire-form]")
    expect(form).to_be_visible()
    form.locator("select[name=cff-kind]").select_option("poc")
    form.locator("input[name=cff-skills]").fill("CRM, POC")
    form.locator("input[name=cff-hours]").fill("24")
    form.locator("input[name=cff-needed_by]").fill((timezone.localdate() + timedelta(days=20)).isoformat())
    form.locator("textarea[name=cff-success_criteria]").fill("客户签字确认POC结果")
    with page.expect_navigation():
        form.locator("[data-testid=call-for-fire-send]").click()
    expect(page.locator(".alert-success")).to_contain_text("解决方案中心")
    rows = page.locator("[data-testid=call-for-fire][data-loaded] [data-testid=deal-request]")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("[data-testid=request-status]")).to_have_attribute("data-status", "requested")
    created = ResourceRequest.objects.get()
    assert created.kind == "poc" and created.requested_by == world["org"]["ar"]
    session.shot(f"cff-deal-card-{suffix(language)}")
    # The request's page explains the priority and the route.
    rows.first.locator("a").click()
    expect(page.locator("[data-testid=priority-parts] li")).to_have_count(3)
    expect(page.locator("[data-testid=pool-unit]")).to_have_text("解决方案中心")
    session.shot(f"cff-request-{suffix(language)}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_head_assigns_from_the_queue(world, open_session, language):
    org, centre = world["org"], world["centre"]
    item = raise_request(world["deal"], org["ar"])
    session = signed_in(open_session, "sc_head", language)
    page = session.page
    session.open_navbar_menu("resources-menu")
    page.click("[data-testid=nav-queue]")
    row = page.locator(f"[data-testid=queue-row][data-request='{item.pk}']")
    expect(row).to_have_count(1)
    matches = row.locator("[data-testid=match]")
    expect(matches).to_have_count(3)
    expect(matches.first).to_have_attribute("data-resource", str(centre["match_res"].pk))
    session.shot(f"cff-queue-{suffix(language)}")
    assert page_width(page) <= DESKTOP["width"]
    matches.first.locator("[data-testid=assign]").click()
    answered = page.locator(f"#queue-row-{item.pk}[data-answered='1']")
    expect(answered).to_contain_text("SE_MATCH")
    item.refresh_from_db()
    assert item.status == "assigned" and item.assignment.resource == centre["match_res"]
    # The calendar now shows the load.
    session.open_navbar_menu("resources-menu")
    page.click("[data-testid=nav-calendar]")
    expect(page.locator("[data-testid=calendar-assignment]")).to_have_count(1)
    session.shot(f"cff-calendar-{suffix(language)}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_colleague_registers_a_deal_for_a_partner(world, open_session, language):
    account, partners = world["account"], world["partners"]
    session = signed_in(open_session, "ar", language)
    page = session.page
    session.open_navbar_menu("resources-menu")
    page.click("[data-testid=nav-registrations]")
    page.click("[data-testid=registration-add]")
    form = page.locator("[data-testid=registration-form]")
    form.locator("select[name=partner]").select_option(str(partners["alpha"].pk))
    picker = page.locator("select[name=account]").locator("xpath=..")
    picker.locator(".picker-search").fill("中国移动")
    expect(page.locator("select[name=account] option", has_text="中国移动上海公司")).to_have_count(1)
    page.select_option("select[name=account]", str(account.pk))
    # The account's deals come into the deal select once the account is picked.
    expect(page.locator("select[name=opportunity] option", has_text="集团CRM项目")).to_have_count(1)
    page.select_option("select[name=opportunity]", str(world["deal"].pk))
    form.locator("input[name=project]").fill("CRM 二期")
    form.locator("input[name=estimated_amount]").fill("800000")
    form.locator("input[name=expires_on]").fill((timezone.localdate() + timedelta(days=60)).isoformat())
    with page.expect_navigation():
        form.locator("[data-testid=registration-save]").click()
    expect(page.locator("[data-testid=registration-state]")).to_have_count(1)
    registration = DealRegistration.objects.get()
    assert registration.partner == partners["alpha"] and registration.account == account
    assert registration.opportunity == world["deal"]
    session.shot(f"cff-registration-{suffix(language)}")
    # The same project again, for the other partner: refused on the form, with the date it frees up.
    session.goto("/registrations/new/")
    form = page.locator("[data-testid=registration-form]")
    form.locator("select[name=partner]").select_option(str(partners["beta"].pk))
    picker = page.locator("select[name=account]").locator("xpath=..")
    picker.locator(".picker-search").fill("中国移动")
    expect(page.locator("select[name=account] option", has_text="中国移动上海公司")).to_have_count(1)
    page.select_option("select[name=account]", str(account.pk))
    form.locator("input[name=project]").fill("crm二期")
    with page.expect_navigation():
        form.locator("[data-testid=registration-save]").click()
    expect(page.locator("[data-testid=form-error]")).to_contain_text(registration.expires_on.isoformat())
    assert DealRegistration.objects.count() == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_partner_registers_in_its_portal(world, open_session, language):
    org, partners = world["org"], world["partners"]
    shared = make_opportunity(world["account"], name="共享商机", amount="500000.00")
    pipeline.opportunity_team_add(
        viewer=viewer_of(org["ar"]), actor=org["ar"], opportunity=shared, user_id=partners["login"].pk, role="partner"
    )
    session = signed_in(open_session, "alpha_user", language, password=PARTNER_PASSWORD, landing="/partner/")
    page = session.page
    # Only the portal in the bar.
    expect(page.locator("[data-testid=nav-partner-portal]")).to_have_count(1)
    expect(page.locator("[data-testid=resources-menu]")).to_have_count(0)
    expect(page.locator("[data-testid=log-visit]")).to_have_count(0)
    page.click("[data-testid=portal-register-open]")
    page.locator("#portal-register.show").wait_for()  # the form slides open; typing waits for the end
    form = page.locator("[data-testid=portal-register-form]")
    expect(form).to_be_visible()
    form.locator("input[name=reg-customer_name]").fill("中国移动上海公司")
    form.locator("input[name=reg-project]").fill("智慧营业厅")
    form.locator("input[name=reg-estimated_amount]").fill("300000")
    with page.expect_navigation():
        form.locator("[data-testid=portal-register-save]").click()
    expect(page.locator("[data-testid=registration-row]")).to_have_count(1)
    expect(page.locator("[data-testid=registration-state]")).to_have_class("badge request-status status-submitted")
    registration = DealRegistration.objects.get()
    assert registration.partner == partners["alpha"] and registration.account == world["account"]
    session.shot(f"cff-portal-{suffix(language)}")
    page.click("[data-testid=portal-deal] a")
    expect(page.locator("[data-testid=portal-deal-name]")).to_have_text("共享商机")
    expect(page.locator("[data-testid=portal-deal-facts]")).to_contain_text("王磊")
    # The internal deal page stays closed.
    response = session.goto(f"/opportunities/{shared.pk}/")
    assert response.status == 404


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_fits_the_screen(world, open_session, viewport):
    org, centre, partners = world["org"], world["centre"], world["partners"]
    assigned = raise_request(world["deal"], org["ar"], hours=70)
    from irontriangle.resources import services

    services.request_assign(
        viewer=viewer_of(centre["head"]), actor=centre["head"], request=assigned, resource=centre["match_res"]
    )
    raise_request(world["deal"], org["ar"], kind="poc")
    raise_request(world["deal"], org["ar"], kind="executive_sponsor")
    name = "phone" if viewport == PHONE else "desktop"
    session = signed_in(open_session, "sc_head", "zh-hans" if viewport == PHONE else "en", viewport)
    page = session.page
    pages = {
        "queue": "/resources/queue/",
        "pool": "/resources/pool/",
        "calendar": "/resources/calendar/",
        "reports": "/resources/reports/",
        "partners": "/partners/",
        "partner": f"/partners/{partners['alpha'].pk}/",
        "registrations": "/registrations/?state=all",
        "register": "/registrations/new/",
        "request": f"/resources/requests/{assigned.pk}/",
    }
    for key, path in pages.items():
        response = session.goto(path)
        assert response.status == 200, path
        width = page_width(page)
        assert width <= viewport["width"], (path, width)
        session.shot(f"cff-{key}-{name}")
    other = signed_in(open_session, "alpha_user", "zh-hans", viewport, password=PARTNER_PASSWORD, landing="/partner/")
    assert page_width(other.page) <= viewport["width"]
    other.shot(f"cff-portal-{name}")
