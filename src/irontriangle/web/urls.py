from django.contrib.auth import views as auth_views
from django.urls import include, path

from irontriangle.web import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("trash/", views.trash_list, name="trash"),
    path("trash/<str:kind>/<int:record_id>/restore/", views.trash_restore, name="trash-restore"),
    path("people/options/", views.user_options, name="user-options"),
    path("accounts/", include("irontriangle.accounts.urls")),
    path("contacts/", include("irontriangle.relationships.urls_contacts")),
    path("", include("irontriangle.relationships.urls_activity")),
    path("", include("irontriangle.pipeline.urls")),
    path("", include("irontriangle.collections.urls")),
    path("", include("irontriangle.resources.urls")),
    path("notifications/", include("irontriangle.notifications.urls")),
    path("profile/", include("irontriangle.org.urls")),
]
