"""Who may call what. Coarse role checks only: which rows a user sees is decided by the
models' ``visible_to`` and what a user may change by the services (NotAllowed -> 403)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


def _authenticated(user) -> bool:
    return bool(user and user.is_authenticated)


class WorksWithContacts(BasePermission):
    """Individual contacts and handovers: front office, partner employees, administrators.
    Managers see aggregates only."""

    message = _("Managers see aggregate figures only, not individual contacts or handovers.")

    def has_permission(self, request, view):
        user = request.user
        return _authenticated(user) and (
            user.is_front_office or user.is_partner_employee or user.is_administrator
        )


class IsFrontOffice(BasePermission):
    message = _("Only guides and coordinators can do this.")

    def has_permission(self, request, view):
        user = request.user
        return _authenticated(user) and (user.is_front_office or user.is_administrator)


class IsPartnerEmployee(BasePermission):
    message = _("Only employees of the partner the handover is for can do this.")

    def has_permission(self, request, view):
        user = request.user
        return _authenticated(user) and user.is_partner_employee
