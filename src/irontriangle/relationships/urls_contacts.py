"""Web pages of contacts: list, form, detail with owners, plans and history (mounted at /contacts/)."""

from django.urls import path

app_name = "contacts"

urlpatterns: list = []
