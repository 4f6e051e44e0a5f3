"""Web routes of the pipeline (see pipeline/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
