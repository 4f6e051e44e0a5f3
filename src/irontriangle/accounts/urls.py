from django.urls import path

from irontriangle.accounts import views, views_duplicates, views_intelligence, views_ownership, views_transfer

app_name = "accounts"

urlpatterns = [
    path("", views.account_list, name="account-list"),
    path("new/", views.account_create, name="account-create"),
    path("options/", views.account_options, name="account-options"),
    path("duplicates/", views_duplicates.account_duplicates, name="account-duplicates"),
    path("claim/<int:account_id>/", views_duplicates.account_claim, name="account-claim"),
    path("import/", views_transfer.account_import, name="account-import"),
    path("import/apply/", views_transfer.account_import_apply, name="account-import-apply"),
    path("export.csv", views_transfer.account_export, {"fmt": "csv"}, name="account-export-csv"),
    path("export.xlsx", views_transfer.account_export, {"fmt": "xlsx"}, name="account-export-xlsx"),
    path("<int:account_id>/", views.account_detail, name="account-detail"),
    path("<int:account_id>/edit/", views.account_edit, name="account-edit"),
    path("<int:account_id>/delete/", views.account_delete, name="account-delete"),
    path("<int:account_id>/team/", views.team_add, name="team-add"),
    path("<int:account_id>/team/<int:member_id>/remove/", views.team_remove, name="team-remove"),
    # The account 360 page's cards (htmx): KA confirmation, potential and drivers, information, ownership.
    path("<int:account_id>/segment/", views_intelligence.segment_confirm, name="segment-confirm"),
    path("<int:account_id>/potential/", views_intelligence.potential_card, name="potential"),
    path("<int:account_id>/potential/basis/", views_intelligence.potential_basis, name="potential-basis"),
    path("<int:account_id>/drivers/", views_intelligence.driver_add, name="driver-add"),
    path("<int:account_id>/drivers/<int:driver_id>/", views_intelligence.driver_edit, name="driver-edit"),
    path("<int:account_id>/drivers/<int:driver_id>/delete/", views_intelligence.driver_delete, name="driver-delete"),
    path("<int:account_id>/information/", views_intelligence.information_card, name="information"),
    path("<int:account_id>/information/new/", views_intelligence.info_add, name="info-add"),
    path("<int:account_id>/information/<int:info_id>/", views_intelligence.info_edit, name="info-edit"),
    path("<int:account_id>/information/<int:info_id>/delete/", views_intelligence.info_delete, name="info-delete"),
    path("<int:account_id>/ownership/transfer/", views_ownership.transfer_request, name="transfer-request"),
]
