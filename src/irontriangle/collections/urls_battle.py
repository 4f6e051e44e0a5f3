"""Web routes of the battle map and the collection measures."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
