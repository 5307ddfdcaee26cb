from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourmarketConfig(AppConfig):
    name = "werkcentrum.labourmarket"
    verbose_name = _("Labour-market information")
