from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "werkcentrum.budget"
    verbose_name = _("Budget and planning & control")
