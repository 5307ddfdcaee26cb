from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "werkcentrum.core"
    verbose_name = "Werkcentrum"
