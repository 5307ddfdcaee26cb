"""Scheduled by Celery beat every hour (``CELERY_BEAT_SCHEDULE``); cron can run
``werkcentrum send_event_reminders`` instead. Both are idempotent."""

from werkcentrum.config.celery import app


@app.task
def send_event_reminders() -> int:
    from .services import send_due_reminders

    return send_due_reminders()
