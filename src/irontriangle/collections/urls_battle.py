"""Web routes of the battle map and the collection measures."""

from django.urls import URLPattern, path

from irontriangle.collections import views_battle

urlpatterns: list[URLPattern] = [
    path("battle-map/", views_battle.battle_map, name="battle-map"),
    path("battle-map.xlsx", views_battle.battle_map_export, name="battle-map-xlsx"),
    path("collections/measures/", views_battle.collection_measures, name="collection-measures"),
]
