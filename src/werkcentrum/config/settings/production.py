"""Production: everything secret or host-specific comes from the environment.

Required: SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS, FIELD_ENCRYPTION_KEY. See docs/deployment.md.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
for _name in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEY"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"The environment variable {_name} is required in production.")

WERKCENTRUM_REQUIRE_STAFF_2FA = env_bool("WERKCENTRUM_REQUIRE_STAFF_2FA", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
