from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("opleidingen/", views.training_search, name="search"),
    path("opleidingen/<int:pk>/", views.training_detail, name="detail"),
]
