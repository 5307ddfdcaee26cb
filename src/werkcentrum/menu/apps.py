from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MenuConfig(AppConfig):
    name = "werkcentrum.menu"
    verbose_name = _("Service menu (menukaart)")
