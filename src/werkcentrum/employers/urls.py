from django.urls import path

from . import views

app_name = "employers"

urlpatterns = [
    path("employers/", views.employer_list, name="list"),
    path("employers/new/", views.employer_new, name="new"),
    path("employers/<int:pk>/", views.employer_detail, name="detail"),
    path("employers/<int:pk>/contact/", views.employer_log_contact, name="log_contact"),
    path("employers/<int:pk>/locations/", views.employer_add_location, name="add_location"),
    path("tevredenheid/<str:token>/", views.nps_answer, name="nps_answer"),
]
