from django.urls import path

from irontriangle.accounts import views_ownership

app_name = "ownership"

# Notifications link to /ownership-requests/<id>/: that address is part of the product's contract.
urlpatterns = [
    path("", views_ownership.request_list, name="request-list"),
    path("<int:request_id>/", views_ownership.request_detail, name="request-detail"),
    path("<int:request_id>/decide/", views_ownership.request_decide, name="request-decide"),
    path("<int:request_id>/withdraw/", views_ownership.request_withdraw, name="request-withdraw"),
]
