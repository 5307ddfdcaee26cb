from django.urls import path

from . import public, views

app_name = "vacancies"

urlpatterns = [
    path("vacancies/", views.vacancy_list, name="list"),
    path("vacancies/new/", views.vacancy_new, name="new"),
    path("vacancies/import/", views.vacancy_import, name="import"),
    path("vacancies/occupations/", views.occupation_suggestions, name="occupations"),
    path("vacancies/<int:pk>/", views.vacancy_detail, name="detail"),
    path("vacancies/<int:pk>/status/", views.vacancy_status, name="status"),
    path("vacancies/<int:pk>/shortlist/", views.vacancy_shortlist, name="shortlist"),
    path("vacancies/<int:pk>/placement/", views.vacancy_placement, name="placement"),
    path("proposals/<int:pk>/move/", views.proposal_move, name="proposal_move"),
    path("proposals/<int:pk>/identity/", views.proposal_identity, name="proposal_identity"),
    path("vacatures/", public.vacancy_search, name="public_search"),
    path("vacatures/<int:pk>/", public.vacancy_public_detail, name="public_detail"),
]
