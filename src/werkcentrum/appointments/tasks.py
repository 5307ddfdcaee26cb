"""Scheduled by Celery beat every 15 minutes (``CELERY_BEAT_SCHEDULE``); cron can run
``werkcentrum send_appointment_reminders`` instead. Both are idempotent."""

from werkcentrum.config.celery import app


@app.task
def send_appointment_reminders() -> int:
    from .services import send_due_reminders

    return send_due_reminders()
