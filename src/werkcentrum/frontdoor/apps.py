from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontdoorConfig(AppConfig):
    name = "werkcentrum.frontdoor"
    verbose_name = _("Front door")
