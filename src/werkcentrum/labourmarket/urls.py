from django.urls import path

from . import views

app_name = "labourmarket"

urlpatterns = [
    path("arbeidsmarkt/", views.overview, name="overview"),
    path("arbeidsmarkt/export.csv", views.export_csv, name="export_csv"),
]
