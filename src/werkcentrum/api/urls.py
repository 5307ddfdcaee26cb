"""/api/v1/: resources without trailing slashes (Logius API Design Rules), schema and docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("handovers", views.HandoverViewSet, basename="handover")
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("walk-in-points", views.WalkInPointViewSet, basename="walk-in-point")

urlpatterns = [
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("docs", SpectacularRedocView.as_view(url_name="api:schema"), name="docs"),
    path("triage", views.TriageView.as_view(), name="triage"),
    *router.urls,
]
