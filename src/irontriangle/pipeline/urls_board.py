"""Web routes of the opportunity list, the board and the funnel (spliced into pipeline/urls.py)."""

from django.urls import URLPattern, path

from irontriangle.pipeline import views_board, views_funnel, views_opportunity_list

urlpatterns: list[URLPattern] = [
    path("opportunities/", views_opportunity_list.opportunity_list, name="opportunity-list"),
    path(
        "opportunities/export.csv",
        views_opportunity_list.opportunity_export,
        {"fmt": "csv"},
        name="opportunity-export-csv",
    ),
    path(
        "opportunities/export.xlsx",
        views_opportunity_list.opportunity_export,
        {"fmt": "xlsx"},
        name="opportunity-export-xlsx",
    ),
    path("opportunities/board/", views_board.board, name="board"),
    path("opportunities/<int:opportunity_id>/move/", views_board.board_move, name="board-move"),
    path("pipeline/funnel/", views_funnel.funnel, name="funnel"),
]
