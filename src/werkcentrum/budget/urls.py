from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path("budget/", views.overview, name="overview"),
    path("budget/realisation/", views.realisation, name="realisation"),
    path("budget/export.xlsx", views.export_xlsx, name="export"),
]
