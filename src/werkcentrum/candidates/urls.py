from django.urls import path

from . import views

app_name = "candidates"

urlpatterns = [
    path("candidates/", views.candidate_list, name="list"),
    path("candidates/<int:pk>/", views.candidate_detail, name="detail"),
    path("persons/<int:person_pk>/candidate/", views.candidate_edit, name="edit"),
]
