"""Web pages of general and organisational relationships: interactions, organisational activities,
visit cadence, the risk radar and the relationship evaluation (mounted at the site root)."""

from django.urls import path

from irontriangle.relationships import views_activity, views_insight, views_org_activity

app_name = "relationships"

urlpatterns = [
    path("interactions/", views_activity.interaction_list, name="interaction-list"),
    path("interactions/new/", views_activity.interaction_create, name="interaction-create"),
    path("interactions/accounts/", views_activity.account_options, name="account-options"),
    path("interactions/contacts/", views_activity.contact_choices, name="activity-contacts"),
    path("interactions/people/", views_activity.people_choices, name="people-choices"),
    path("interactions/<int:interaction_id>/", views_activity.interaction_detail, name="interaction-detail"),
    path("interactions/<int:interaction_id>/edit/", views_activity.interaction_edit, name="interaction-edit"),
    path("interactions/<int:interaction_id>/delete/", views_activity.interaction_delete, name="interaction-delete"),
    path("org-activities/", views_org_activity.org_activity_list, name="org-activity-list"),
    path("org-activities/new/", views_org_activity.org_activity_create, name="org-activity-create"),
    path("org-activities/<int:activity_id>/edit/", views_org_activity.org_activity_edit, name="org-activity-edit"),
    path(
        "org-activities/<int:activity_id>/delete/",
        views_org_activity.org_activity_delete,
        name="org-activity-delete",
    ),
    path("cadence/", views_insight.cadence, name="cadence"),
    path("risks/", views_insight.risks, name="risks"),
    path("accounts/<int:account_id>/evaluation/", views_insight.evaluation, name="evaluation"),
]
