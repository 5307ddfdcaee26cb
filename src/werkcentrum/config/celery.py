"""The Celery app: ``celery -A werkcentrum.config.celery worker`` (and ``beat``).

Configured from the Django settings with the ``CELERY_`` prefix (see ``settings/base.py`` and
docs/deployment.md). Not imported by ``werkcentrum/__init__.py``: creating the app costs about
a tenth of a second, which every CLI call would pay; task modules import it instead
(``from werkcentrum.config.celery import app``), so it is loaded when a task is first used.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkcentrum.config.settings.dev")

app = Celery("werkcentrum")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
