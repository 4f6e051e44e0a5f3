"""Web routes of the contract pages and what they post."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
