"""Web pages of collections, mounted at the site root: contracts, the battle map, the measures."""

from irontriangle.collections import urls_battle, urls_contract

app_name = "collections"

urlpatterns = [*urls_battle.urlpatterns, *urls_contract.urlpatterns]
