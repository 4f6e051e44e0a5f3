"""Web pages of contacts: list, import and export, form, detail with owners, plans and history (mounted at
/contacts/)."""

from django.urls import path

from irontriangle.relationships import views_contacts as views
from irontriangle.relationships import views_transfer

app_name = "contacts"

urlpatterns = [
    path("", views.contact_list, name="contact-list"),
    path("new/", views.contact_create, name="contact-create"),
    path("options/", views.contact_options, name="contact-options"),
    path("import/", views_transfer.contact_import, name="contact-import"),
    path("import/apply/", views_transfer.contact_import_apply, name="contact-import-apply"),
    path("export.csv", views_transfer.contact_export, {"fmt": "csv"}, name="contact-export-csv"),
    path("export.xlsx", views_transfer.contact_export, {"fmt": "xlsx"}, name="contact-export-xlsx"),
    path("<int:contact_id>/", views.contact_detail, name="contact-detail"),
    path("<int:contact_id>/edit/", views.contact_edit, name="contact-edit"),
    path("<int:contact_id>/delete/", views.contact_delete, name="contact-delete"),
    path("<int:contact_id>/owners/", views.owner_add, name="owner-add"),
    path("<int:contact_id>/owners/<int:owner_id>/remove/", views.owner_remove, name="owner-remove"),
    path("<int:contact_id>/plans/", views.plan_create, name="plan-create"),
    path("<int:contact_id>/plans/<int:plan_id>/close/", views.plan_close, name="plan-close"),
    path("<int:contact_id>/plans/<int:plan_id>/actions/", views.action_add, name="action-add"),
    path(
        "<int:contact_id>/plans/<int:plan_id>/actions/<int:action_id>/done/",
        views.action_done,
        name="action-done",
    ),
    # The account 360 page's relationships tab, loaded when it is opened.
    path("account/<int:account_id>/relationships/", views.account_relationships, name="account-relationships"),
]
