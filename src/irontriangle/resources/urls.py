"""Web routes of call for fire, the pool, partners and deal registration, and the partners' own portal.

The internal pages live under the `resources` namespace; the portal's names stand on their own, as the home
page sends partner logins to `partner-portal`."""

from django.urls import URLPattern, URLResolver, include, path

from irontriangle.resources import views_partners as partners
from irontriangle.resources import views_pool as pool
from irontriangle.resources import views_registrations as registrations
from irontriangle.resources import views_requests as requests

R = "resources/requests/<int:request_id>/"
P = "partners/<int:partner_id>/"

internal: list[URLPattern] = [
    path("resources/queue/", requests.queue, name="queue"),
    path("resources/for-opportunity/<int:opportunity_id>/", requests.opportunity_requests, name="opportunity-requests"),
    path("resources/for-opportunity/<int:opportunity_id>/new/", requests.request_create, name="request-create"),
    path(R, requests.request_detail, name="request-detail"),
    path(f"{R}assign/", requests.request_assign, name="request-assign"),
    path(f"{R}decline/", requests.request_decline, name="request-decline"),
    path(f"{R}done/", requests.request_done, name="request-done"),
    path("resources/pool/", pool.pool_list, name="pool"),
    path("resources/pool/new/", pool.resource_create, name="resource-create"),
    path("resources/pool/<int:resource_id>/edit/", pool.resource_edit, name="resource-edit"),
    path("resources/calendar/", pool.calendar, name="calendar"),
    path("resources/reports/", pool.pool_reports, name="reports"),
    path("partners/", partners.partner_list, name="partner-list"),
    path("partners/new/", partners.partner_create, name="partner-create"),
    path(P, partners.partner_detail, name="partner-detail"),
    path(f"{P}edit/", partners.partner_edit, name="partner-edit"),
    path(f"{P}contacts/", partners.contact_add, name="partner-contact-add"),
    path(f"{P}logins/", partners.login_create, name="partner-login-create"),
    path(f"{P}meetings/", partners.meeting_add, name="partner-meeting-add"),
    path("registrations/", registrations.registration_list, name="registration-list"),
    path("registrations/new/", registrations.registration_create, name="registration-create"),
    path("registrations/deal-options/", registrations.opportunity_options, name="registration-deal-options"),
    path("registrations/<int:registration_id>/", registrations.registration_detail, name="registration-detail"),
    path("registrations/<int:registration_id>/decide/", registrations.registration_decide, name="registration-decide"),
    path(
        "registrations/<int:registration_id>/withdraw/",
        registrations.registration_withdraw,
        name="registration-withdraw",
    ),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include((internal, "resources"))),
    path("partner/", registrations.portal, name="partner-portal"),
    path("partner/register/", registrations.portal_register, name="partner-portal-register"),
    path(
        "partner/registrations/<int:registration_id>/withdraw/",
        registrations.portal_withdraw,
        name="partner-portal-withdraw",
    ),
    path(
        "partner/opportunities/<int:opportunity_id>/",
        registrations.portal_opportunity,
        name="partner-portal-opportunity",
    ),
]
