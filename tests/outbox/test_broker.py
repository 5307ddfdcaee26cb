"""One e-mail through a real message broker (RabbitMQ) and a real Celery worker (a thread in
this process, with its own database connection): queued, committed, published, consumed, sent.

Skipped when the broker is unreachable, except in CI (``CI=true``), where that fails. Each run
uses its own auto-deleted queue, so parallel runs never take each other's tasks.
WERKCENTRUM_TEST_BROKER_URL chooses another broker (e.g. redis://127.0.0.1:6379/0 when the
redis client is installed).
"""

import os
import threading
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import setup_logging, task_postrun
from django.db import transaction
from kombu import Connection, Exchange, Queue

from werkcentrum.outbox.models import OutboundEmail
from werkcentrum.outbox.services import queue_email

BROKER_URL = os.environ.get("WERKCENTRUM_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def unreachable(url: str) -> str | None:
    """Why the broker cannot be reached, or None when it can."""
    try:
        with Connection(url, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _forget_connections(app) -> None:
    """Drop the connection pool and queue set built from the previous configuration."""
    app._pool = None
    app.__dict__.pop("amqp", None)  # a cached property


def stop_promptly(worker) -> None:
    """Let the worker stop now instead of at its next poll of the broker (up to 10 s later)."""
    from celery.worker import state

    state.should_terminate = 0  # what start_worker sets on exit, before it joins the thread
    if getattr(worker, "hub", None) is not None:
        worker.hub.call_soon(lambda: None)  # wakes the event loop, which then sees it


@pytest.fixture
def broker_app(monkeypatch):
    """The Werkcentrum Celery app pointed at the real broker (not eager) and a fresh queue;
    the configuration is restored afterwards, for the tests that run next in this process."""
    problem = unreachable(BROKER_URL)
    if problem:
        message = f"no message broker at {BROKER_URL} ({problem})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI needs one", pytrace=False)
        pytest.skip(message)

    from werkcentrum.config.celery import app

    name = f"werkcentrum-test-{uuid.uuid4().hex}"
    exchange = Exchange(name, type="direct", durable=False, auto_delete=True)
    overrides = {
        "broker_url": BROKER_URL,
        "task_always_eager": False,
        "task_default_queue": name,
        "task_default_exchange": name,
        "task_default_routing_key": name,
        "task_queues": (Queue(name, exchange, routing_key=name, durable=False, auto_delete=True),),
        "broker_connection_retry_on_startup": False,
        "worker_hijack_root_logger": False,
        "worker_enable_remote_control": False,
    }
    saved = {key: app.conf[key] for key in overrides}
    monkeypatch.setenv("CELERY_SKIP_CHECKS", "1")  # the Django checks already ran for pytest
    app.conf.update(overrides)
    _forget_connections(app)
    setup_logging.connect(_keep_logging, weak=False)
    try:
        yield app
    finally:
        setup_logging.disconnect(_keep_logging)
        app.conf.update(saved)
        _forget_connections(app)


def _keep_logging(**kwargs):
    """With a receiver of ``setup_logging`` the embedded worker leaves the logging of this
    process alone (otherwise it sets the root logger's level to its own, "error")."""


def test_an_email_goes_through_the_broker_and_a_worker(broker_app, mailoutbox):
    done = threading.Event()
    outcome = {}

    def finished(sender=None, args=None, retval=None, state=None, **kwargs):
        if sender.name == "werkcentrum.outbox.tasks.send_email":
            outcome.update(args=list(args), retval=retval, state=state)
            done.set()

    task_postrun.connect(finished, weak=False)
    try:
        with start_worker(broker_app, perform_ping_check=False, shutdown_timeout=30) as worker:
            with transaction.atomic():
                email = queue_email("Via de broker", "Hallo!\n", ["broker@example.org"])
            assert done.wait(timeout=30), "the worker did not run the task"
            stop_promptly(worker)
    finally:
        task_postrun.disconnect(finished)

    assert outcome == {"args": [email.pk], "retval": "sent", "state": "SUCCESS"}
    (message,) = mailoutbox
    assert (message.subject, message.to) == ("Via de broker", ["broker@example.org"])
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 1)
