from django.urls import path

from . import views

app_name = "appointments"

urlpatterns = [
    path("appointments/", views.overview, name="overview"),
    path("appointments/book/", views.book, name="book"),
    path("appointments/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("appointments/<int:pk>/rebook/", views.rebook, name="rebook"),
    path("appointments/<int:pk>.ics", views.ics, name="ics"),
]
