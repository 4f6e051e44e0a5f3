"""Web pages of general and organisational relationships: interactions, organisational activities,
visit cadence, the risk radar and the relationship evaluation (mounted at the site root)."""

from django.urls import path

app_name = "relationships"

urlpatterns: list = []
