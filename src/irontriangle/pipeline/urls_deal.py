"""Web routes of the pipeline (see pipeline/urls.py): the opportunity page and what it posts."""

from django.urls import URLPattern, path

from irontriangle.pipeline import views_deal
from irontriangle.pipeline import views_deal_actions as act

D = "opportunities/<int:opportunity_id>/"

urlpatterns: list[URLPattern] = [
    path("opportunities/new/", views_deal.opportunity_create, name="opportunity-create"),
    path("opportunities/for-account/<int:account_id>/", views_deal.account_opportunities, name="account-opportunities"),
    path(D, views_deal.opportunity_detail, name="opportunity-detail"),
    path(f"{D}edit/", views_deal.opportunity_edit, name="opportunity-edit"),
    path(f"{D}pulse/", views_deal.opportunity_pulse, name="opportunity-pulse"),
    path(f"{D}delete/", act.opportunity_delete, name="opportunity-delete"),
    path(f"{D}advance/", act.opportunity_advance, name="opportunity-advance"),
    path(f"{D}checklist/", act.checklist_tick, name="opportunity-tick"),
    path(f"{D}team/", act.team_add, name="opportunity-team-add"),
    path(f"{D}team/<int:member_id>/remove/", act.team_remove, name="opportunity-team-remove"),
    path(f"{D}guides/", act.guide_add, name="opportunity-guide-add"),
    path(f"{D}guides/<int:guide_id>/remove/", act.guide_remove, name="opportunity-guide-remove"),
    path(f"{D}competitors/", act.competitor_add, name="opportunity-competitor-add"),
    path(f"{D}competitors/<int:competitor_id>/", act.competitor_edit, name="opportunity-competitor-edit"),
    path(f"{D}competitors/<int:competitor_id>/remove/", act.competitor_remove, name="opportunity-competitor-remove"),
    path(f"{D}pain-chain/", act.pain_add, name="opportunity-pain-add"),
    path(f"{D}pain-chain/<int:link_id>/remove/", act.pain_remove, name="opportunity-pain-remove"),
    path(f"{D}splits/", act.splits_save, name="opportunity-splits"),
    path(f"{D}quotes/", act.quote_create, name="opportunity-quote-create"),
    path(f"{D}quotes/<int:quote_id>/edit/", act.quote_edit, name="opportunity-quote-edit"),
    path(f"{D}quotes/<int:quote_id>/submit/", act.quote_submit, name="opportunity-quote-submit"),
    path(f"{D}quotes/<int:quote_id>/approve/", act.quote_approve, name="opportunity-quote-approve"),
    path(f"{D}quotes/<int:quote_id>/reject/", act.quote_reject, name="opportunity-quote-reject"),
    path(f"{D}quotes/<int:quote_id>/delete/", act.quote_delete, name="opportunity-quote-delete"),
]
