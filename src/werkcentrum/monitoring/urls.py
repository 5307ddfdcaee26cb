from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("monitoring/", views.dashboard, name="dashboard"),
    path("monitoring/targets/", views.targets, name="targets"),
    path("monitoring/drill/<slug:indicator>/", views.drill, name="drill"),
]
