from django.urls import path

from irontriangle.accounts import views, views_transfer

app_name = "accounts"

urlpatterns = [
    path("", views.account_list, name="account-list"),
    path("new/", views.account_create, name="account-create"),
    path("options/", views.account_options, name="account-options"),
    path("import/", views_transfer.account_import, name="account-import"),
    path("import/apply/", views_transfer.account_import_apply, name="account-import-apply"),
    path("export.csv", views_transfer.account_export, {"fmt": "csv"}, name="account-export-csv"),
    path("export.xlsx", views_transfer.account_export, {"fmt": "xlsx"}, name="account-export-xlsx"),
    path("<int:account_id>/", views.account_detail, name="account-detail"),
    path("<int:account_id>/edit/", views.account_edit, name="account-edit"),
    path("<int:account_id>/delete/", views.account_delete, name="account-delete"),
    path("<int:account_id>/team/", views.team_add, name="team-add"),
    path("<int:account_id>/team/<int:member_id>/remove/", views.team_remove, name="team-remove"),
]
