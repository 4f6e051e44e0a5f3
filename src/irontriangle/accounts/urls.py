from django.urls import path

from irontriangle.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account_list, name="account-list"),
    path("new/", views.account_create, name="account-create"),
    path("options/", views.account_options, name="account-options"),
    path("<int:account_id>/", views.account_detail, name="account-detail"),
    path("<int:account_id>/edit/", views.account_edit, name="account-edit"),
    path("<int:account_id>/delete/", views.account_delete, name="account-delete"),
    path("<int:account_id>/team/", views.team_add, name="team-add"),
    path("<int:account_id>/team/<int:member_id>/remove/", views.team_remove, name="team-remove"),
]
