from django.contrib import admin
from django.urls import include, path

from irontriangle.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ownership-requests/", include("irontriangle.accounts.urls_ownership")),
    path("", include("irontriangle.web.urls")),
]
