from django.urls import path

from . import views

app_name = "trajectories"

urlpatterns = [
    path("trajectories/", views.my_trajectories, name="list"),
    path("trajectories/<int:pk>/", views.detail, name="detail"),
    path("trajectories/<int:pk>/plan/", views.save_plan, name="plan"),
    path("trajectories/<int:pk>/notes/", views.add_note, name="note"),
    path("trajectories/<int:pk>/close/", views.close, name="close"),
]
