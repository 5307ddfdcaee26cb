"""Write login, logout and failed logins to the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from werkcentrum.privacy.services import audit


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit(user=user, action="login", request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit(user=user, action="logout", request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Never store the password; the username only, truncated.
    audit(
        user=None,
        action="login_failed",
        request=request,
        detail={"username": str(credentials.get("username", ""))[:150]},
    )
