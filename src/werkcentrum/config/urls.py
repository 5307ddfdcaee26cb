from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from werkcentrum.frontdoor import views as frontdoor_views

handler400 = "werkcentrum.config.errors.bad_request"
handler403 = "werkcentrum.config.errors.permission_denied"
handler404 = "werkcentrum.config.errors.page_not_found"
handler500 = "werkcentrum.config.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("werkcentrum.accounts.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("werkcentrum.api.urls")),
    path("", frontdoor_views.home, name="home"),
    path("", include("werkcentrum.frontdoor.urls")),
    path("", include("werkcentrum.employers.urls")),
    path("", include("werkcentrum.vacancies.urls")),
    path("", include("werkcentrum.candidates.urls")),
    path("", include("werkcentrum.portal.urls")),
    path("", include("werkcentrum.trajectories.urls")),
    path("", include("werkcentrum.appointments.urls")),
    path("", include("werkcentrum.training.urls")),
    path("", include("werkcentrum.orientation.urls")),
    path("", include("werkcentrum.residents.urls")),
    path("", include("werkcentrum.menu.urls")),
    path("", include("werkcentrum.vouchers.urls")),
    path("", include("werkcentrum.events.urls")),
    path("", include("werkcentrum.labourmarket.urls")),
    path("", include("werkcentrum.budget.urls")),
    path("", include("werkcentrum.monitoring.urls")),
    path("", include("werkcentrum.privacy.urls")),
    path("", include("werkcentrum.operations.urls")),
]
