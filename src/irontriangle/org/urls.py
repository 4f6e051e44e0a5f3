from django.urls import path

from irontriangle.org import views

urlpatterns = [
    path("", views.profile, name="profile"),
    path("tokens/", views.token_create, name="profile-token-create"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="profile-token-revoke"),
]
