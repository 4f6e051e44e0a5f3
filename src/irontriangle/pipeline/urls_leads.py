"""Web routes of leads, the conversion report and review meetings (see pipeline/urls.py)."""

from django.urls import path

from irontriangle.pipeline import views_leads, views_reviews

urlpatterns = [
    path("leads/", views_leads.lead_list, name="lead-list"),
    path("leads/new/", views_leads.lead_create, name="lead-create"),
    path("leads/conversion/", views_leads.lead_conversion, name="lead-conversion"),
    path("leads/contact-options/", views_leads.lead_contact_options, name="lead-contact-options"),
    path("leads/<int:lead_id>/", views_leads.lead_detail, name="lead-detail"),
    path("leads/<int:lead_id>/edit/", views_leads.lead_edit, name="lead-edit"),
    path("leads/<int:lead_id>/follow-ups/", views_leads.lead_follow_up_add, name="lead-follow-up-add"),
    path("leads/<int:lead_id>/convert/", views_leads.lead_convert, name="lead-convert"),
    path("leads/<int:lead_id>/disqualify/", views_leads.lead_disqualify, name="lead-disqualify"),
    path("reviews/", views_reviews.review_list, name="review-list"),
    path("reviews/<int:meeting_id>/", views_reviews.review_detail, name="review-detail"),
    path("reviews/<int:meeting_id>/items/", views_reviews.review_item_add, name="review-item-add"),
    path(
        "reviews/<int:meeting_id>/items/<int:item_id>/remove/",
        views_reviews.review_item_remove,
        name="review-item-remove",
    ),
]
