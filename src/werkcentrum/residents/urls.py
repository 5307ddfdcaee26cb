from django.urls import path

from . import views

app_name = "residents"

urlpatterns = [
    path("mijn/", views.home, name="home"),
    path("mijn/inloggen/", views.login_view, name="login"),
    path("mijn/inloggen/link/<str:token>/", views.login_link, name="login_link"),
    path("mijn/registreren/", views.register, name="register"),
    path("mijn/vraag/", views.ask, name="ask"),
    path("mijn/vragen/<int:pk>/", views.question_detail, name="question"),
    path("mijn/toestemmingen/", views.consents, name="consents"),
    path("mijn/toestemmingen/<int:pk>/intrekken/", views.consent_withdraw, name="consent_withdraw"),
    path("mijn/voorstellen/<int:pk>/", views.identity, name="identity"),
    path("mijn/matching/", views.matching_consent, name="matching_consent"),
    path("mijn/inzage/", views.processing_log, name="log"),
    path("mijn/gegevens/", views.my_data, name="data"),
    path("mijn/gegevens.json", views.export_json, name="export_json"),
    path("mijn/gegevens.pdf", views.export_pdf, name="export_pdf"),
    path("mijn/verwijderen/", views.deletion, name="deletion"),
    path("mijn/account/", views.account, name="account"),
    path("mijn/afspraken/", views.appointments_view, name="appointments"),
    path("mijn/afspraken/boeken/", views.appointment_book, name="appointment_book"),
    path("mijn/afspraken/<int:pk>/annuleren/", views.appointment_cancel, name="appointment_cancel"),
    path("mijn/afspraken/<int:pk>.ics", views.appointment_ics, name="appointment_ics"),
]
