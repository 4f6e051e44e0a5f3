"""Web pages of the pipeline, mounted at the site root: leads, opportunities, the board, the funnel, reviews."""

from irontriangle.pipeline import urls_board, urls_deal, urls_leads

app_name = "pipeline"

# The board's fixed paths (/opportunities/board/) come before the deal's /opportunities/<id>/.
urlpatterns = [*urls_board.urlpatterns, *urls_deal.urlpatterns, *urls_leads.urlpatterns]
