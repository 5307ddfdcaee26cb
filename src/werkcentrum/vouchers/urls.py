from django.urls import path

from . import views

app_name = "vouchers"

urlpatterns = [
    # The fund's staff (LLO conversations also by the Werkcentrum's front office).
    path("fonds/", views.staff_list, name="staff_list"),
    path("fonds/aanvragen/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("fonds/llo/", views.llo, name="llo"),
    path("fonds/budget/", views.budget, name="budget"),
    path("fonds/cijfers/", views.figures, name="figures"),
    path("fonds/werkgevers/", views.employers, name="employers"),
    path("fonds/werkgevers/<int:pk>/label/", views.employer_label, name="employer_label"),
    # Residents (My Werkcentrum).
    path("mijn/scholingscheque/", views.resident_home, name="resident"),
    path("mijn/scholingscheque/aanvragen/", views.resident_apply, name="resident_apply"),
    path(
        "mijn/scholingscheque/<int:pk>/intrekken/",
        views.resident_withdraw,
        name="resident_withdraw",
    ),
    # Employers (the employer portal).
    path("portal/scholingscheque/", views.employer_home, name="employer"),
    path("portal/scholingscheque/aanvragen/", views.employer_apply, name="employer_apply"),
    path(
        "portal/scholingscheque/<int:pk>/intrekken/",
        views.employer_withdraw,
        name="employer_withdraw",
    ),
]
