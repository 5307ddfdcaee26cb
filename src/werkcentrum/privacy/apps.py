from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "werkcentrum.privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from .register import sync_register

        post_migrate.connect(sync_register, sender=self)
