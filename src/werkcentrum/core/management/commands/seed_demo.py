from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils import translation

from werkcentrum.core.bootstrap import ensure_database
from werkcentrum.core.demo import DEMO_PASSWORD, demo_logins, load_demo


class Command(BaseCommand):
    help = "Load demo users for every role and demo contacts (idempotent) and print the logins."

    def handle(self, *args, **options):
        ensure_database()
        translation.activate("nl")
        # Demo e-mails (handover notifications) would flood the console: drop them.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            result = load_demo()
        self.stdout.write("Demo data " + ("loaded." if result["created"] else "already present."))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for username, role, where in demo_logins():
            self.stdout.write(f"  {username:<26} {str(role):<28} {where}")
