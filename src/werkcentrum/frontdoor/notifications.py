"""E-mails to residents and partners, queued in the outbox (werkcentrum.outbox) and sent by
the task queue after the transaction commits (console backend in development)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from werkcentrum.outbox.services import queue_email

from .models import ContactEvent, Handover


def _send(
    subject: str, template: str, context: dict, to: list[str], key: str | None = None
) -> bool:
    recipients = [address for address in to if address]
    if not recipients:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
    return queue_email(subject, body, recipients, key=key) is not None


def resident_handover_accepted(handover_id: int) -> None:
    handover = Handover.objects.select_related("contact__person", "partner", "contact__region").get(
        pk=handover_id
    )
    person = handover.contact.person
    if person is None or not person.email:
        return
    sent = _send(
        f"Uw vraag {handover.contact.reference} is opgepakt door {handover.partner.name}",
        "frontdoor/email/handover_accepted.txt",
        {"handover": handover, "person": person},
        [person.email],
        key=f"handover-accepted:{handover.pk}",
    )
    if sent:
        ContactEvent.objects.create(
            contact=handover.contact,
            kind=ContactEvent.Kind.NOTIFIED,
            data={"channel": "email", "about": "accepted"},
        )


def _partner_recipients(handover: Handover) -> list[str]:
    employees = handover.partner.user_set.filter(is_active=True).exclude(email="")
    return [handover.partner.email, *employees.values_list("email", flat=True)]


def partner_new_handover(handover_id: int) -> None:
    handover = Handover.objects.select_related("contact", "partner").get(pk=handover_id)
    # Deliberately no personal data in the e-mail: the partner opens the inbox to see it.
    _send(
        f"Nieuwe warme overdracht {handover.contact.reference}",
        "frontdoor/email/partner_new_handover.txt",
        {"handover": handover},
        _partner_recipients(handover),
        key=f"handover-new:{handover.pk}",
    )


def partner_reminder(handover_id: int) -> None:
    handover = Handover.objects.select_related("contact", "partner").get(pk=handover_id)
    _send(
        f"Herinnering: overdracht {handover.contact.reference} wacht op oppakken",
        "frontdoor/email/partner_reminder.txt",
        {"handover": handover},
        _partner_recipients(handover),
    )


def question_received(contact, token: str) -> None:
    """A receipt with the link where the person can always see where the question stands."""
    from django.urls import reverse

    link = settings.SITE_URL.rstrip("/") + reverse("frontdoor:question_received", args=[token])
    _send(
        f"Uw vraag {contact.reference} is ontvangen",
        "frontdoor/email/question_received.txt",
        {"contact": contact, "link": link},
        [contact.person.email],
        key=f"question-received:{contact.pk}",
    )
