"""Hardening: `manage.py check --deploy` is clean with the production settings, and the
production settings switch on what they promise (HSTS, secure cookies, CSP, no CORS)."""

import os
import subprocess
import sys

from django.test import Client

from werkcentrum.config.middleware import CSP


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "werkcentrum.config.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "werkcentrum.example",
        "FIELD_ENCRYPTION_KEY": "k" * 44,
        "WERKCENTRUM_DATA_DIR": str(tmp_path),
    }
    env.pop("DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-m", "werkcentrum.cli", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_every_response_has_the_csp_and_no_open_cors(db):
    response = Client().get("/", HTTP_ORIGIN="https://evil.example")
    assert response["Content-Security-Policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    assert "Access-Control-Allow-Origin" not in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
