from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("beheer/verwijderverzoeken/", views.deletion_requests, name="deletion_requests"),
    path(
        "beheer/verwijderverzoeken/<int:pk>/",
        views.deletion_request,
        name="deletion_request",
    ),
    path(
        "beheer/verwijderverzoeken/<int:pk>/uitvoeren/",
        views.deletion_carry_out,
        name="deletion_carry_out",
    ),
    path(
        "beheer/verwijderverzoeken/<int:pk>/weigeren/",
        views.deletion_refuse,
        name="deletion_refuse",
    ),
]
