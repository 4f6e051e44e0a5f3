"""Web routes of the contract pages and what they post."""

from django.urls import URLPattern, path

from irontriangle.collections import views_contract as views
from irontriangle.collections import views_contract_actions as act

C = "contracts/<int:contract_id>/"
M = f"{C}milestones/<int:milestone_id>/"

urlpatterns: list[URLPattern] = [
    path("contracts/", views.contract_list, name="contract-list"),
    path("contracts/new/", views.contract_create, name="contract-create"),
    path("contracts/for-account/<int:account_id>/", views.account_contracts, name="account-contracts"),
    path(C, views.contract_detail, name="contract-detail"),
    path(f"{C}event/", act.contract_event, name="contract-event"),
    path(f"{C}schedule/", act.schedule_save, name="contract-schedule"),
    path(f"{C}schedule/template/", act.schedule_apply_template, name="contract-schedule-template"),
    path(f"{C}evidence/", act.evidence_upload, name="contract-evidence-upload"),
    path(f"{C}evidence/<int:evidence_id>/remove/", act.evidence_remove, name="contract-evidence-remove"),
    path(f"{C}payments/<int:payment_id>/reverse/", act.payment_reverse, name="contract-payment-reverse"),
    path(f"{C}actions/", act.action_log, name="contract-action-log"),
    path(f"{C}checklist/", act.checklist_tick, name="contract-tick"),
    path(f"{M}payment/", act.payment_record, name="contract-payment"),
    path(f"{M}invoice/", act.milestone_invoice, name="contract-invoice"),
    path(f"{M}dispute/", act.milestone_dispute, name="contract-dispute"),
    path(f"{M}resolve/", act.milestone_resolve, name="contract-resolve"),
    path(f"{M}evidence/", act.milestone_evidence_upload, name="contract-milestone-evidence"),
    path(f"{M}sign-offs/", act.sign_off_add, name="contract-sign-off-add"),
    path(f"{M}sign-offs/<int:sign_off_id>/", act.sign_off_signed, name="contract-sign-off-signed"),
    path(f"{M}sign-offs/<int:sign_off_id>/remove/", act.sign_off_remove, name="contract-sign-off-remove"),
    path("evidence/<int:evidence_id>/download/", views.evidence_download, name="evidence-download"),
]
