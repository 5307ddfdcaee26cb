"""The nightly retention run, scheduled by Celery beat (``CELERY_BEAT_SCHEDULE["retention"]``);
cron can run ``werkcentrum retention`` instead. Idempotent: a run that is repeated, or that
goes on after an interrupted one, only finds what is still left to do."""

from werkcentrum.config.celery import app

# A large first run may take long: batches commit one by one, so a time limit loses nothing.
SOFT_TIME_LIMIT = 60 * 60
TIME_LIMIT = SOFT_TIME_LIMIT + 5 * 60


@app.task(soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def run_retention() -> dict:
    """Apply the retention rules; the counts per rule (also in the audit trail)."""
    from .retention_runner import run

    return run().as_json()
