from django.urls import path

from . import views

app_name = "frontdoor"

urlpatterns = [
    path("", views.home, name="home"),
    path("vraag/", views.ask_question, name="ask"),
    path("vraag/ontvangen/<str:token>/", views.question_received, name="question_received"),
    path("inlooppunten/", views.walk_in_points, name="walk_in_points"),
    path("workspace/", views.workspace, name="workspace"),
    path("guide/", views.guide_queue, name="guide_queue"),
    path("guide/new/", views.intake, name="intake"),
    path("guide/triage-preview/", views.triage_preview, name="triage_preview"),
    path("guide/persons/search/", views.person_search, name="person_search"),
    path("guide/contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("guide/contacts/<int:pk>/answer/", views.contact_answer, name="contact_answer"),
    path("guide/contacts/<int:pk>/advice/", views.contact_advice, name="contact_advice"),
    path("guide/contacts/<int:pk>/handover/", views.contact_handover, name="contact_handover"),
    path("guide/contacts/<int:pk>/override/", views.contact_override, name="contact_override"),
    path("guide/contacts/<int:pk>/person/", views.contact_person, name="contact_person"),
    path("guide/contacts/<int:pk>/claim/", views.contact_claim, name="contact_claim"),
    path("guide/contacts/<int:pk>/reopen/", views.contact_reopen, name="contact_reopen"),
    path("guide/handovers/<int:pk>/withdraw/", views.handover_withdraw, name="handover_withdraw"),
    path("guide/consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("partner/inbox/", views.partner_inbox, name="partner_inbox"),
    path("partner/handovers/<int:pk>/", views.partner_handover, name="partner_handover"),
    path("partner/handovers/<int:pk>/accept/", views.partner_accept, name="partner_accept"),
    path("partner/handovers/<int:pk>/return/", views.partner_return, name="partner_return"),
    path("coordinator/escalations/", views.escalations, name="escalations"),
    path(
        "coordinator/handovers/<int:pk>/remind/", views.escalation_remind, name="escalation_remind"
    ),
    path(
        "coordinator/handovers/<int:pk>/reroute/",
        views.escalation_reroute,
        name="escalation_reroute",
    ),
    path(
        "coordinator/contacts/<int:pk>/reassign/",
        views.escalation_reassign,
        name="escalation_reassign",
    ),
    path("coordinator/insights/", views.insights, name="insights"),
    path("coordinator/rules/", views.rules, name="rules"),
    path("manager/", views.manager_overview, name="manager_overview"),
]
