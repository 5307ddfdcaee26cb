from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "werkcentrum.api"
    verbose_name = "API"
