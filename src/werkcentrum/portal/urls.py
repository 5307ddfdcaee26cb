from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/candidates/", views.candidate_search, name="search"),
    path("portal/proposals/", views.proposals, name="proposals"),
    path("portal/question/", views.ask, name="ask"),
    path("portal/contact-request/", views.contact_request, name="contact_request"),
]
