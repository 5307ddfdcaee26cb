"""How each record type is anonymised or deleted safely: the one place for it, used by the
retention run (``retention_runner``) and by carrying out a deletion request (``erasure``).

Anonymising removes what identifies a person (names, contact details, BSN, free text) and keeps
what the monitoring figures count (channel, place, municipality, topics, benefit, service level,
partner, statuses and dates). Every function works on a list of primary keys inside the caller's
transaction, with set-based updates, and is idempotent: a second call changes nothing.

Markers: an anonymised record is recognisable by its cleared fields (an anonymised question has
an empty question text, an anonymised registration an empty name), so the retention run counts
only what still needs doing.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection

from django.db.models import Q

# A stopped trajectory must give a reason (a database constraint): this stands in for it.
REMOVED = "—"


def contact_has_text() -> Q:
    """Contacts that still hold something identifying."""
    return ~Q(question="") | ~Q(outcome="") | ~Q(organisation_name="") | Q(age__isnull=False)


def anonymise_contacts(pks: Collection[int]) -> int:
    """Clear a question's texts and everything said about it; keep what the figures count.

    The link to the person stays: the person record is anonymised by its own rule, and the link
    keeps "new or known person" in the reach figures right."""
    from werkcentrum.appointments.models import Booking
    from werkcentrum.frontdoor.models import Contact, ContactEvent, Handover, TriageOverride
    from werkcentrum.trajectories.models import Trajectory, TrajectoryNote

    pks = list(pks)
    if not pks:
        return 0
    changed = Contact.objects.filter(pk__in=pks).update(
        question="", outcome="", organisation_name="", age=None
    )
    ContactEvent.objects.filter(contact_id__in=pks).exclude(note="").update(note="")
    Handover.objects.filter(contact_id__in=pks).filter(
        ~Q(message="") | ~Q(return_reason="")
    ).update(message="", return_reason="")
    TriageOverride.objects.filter(contact_id__in=pks).exclude(reason="").update(reason="")
    trajectories = Trajectory.objects.filter(contact_id__in=pks)
    TrajectoryNote.objects.filter(trajectory__in=trajectories).delete()
    trajectories.filter(outcome="stopped").update(goal="", plan="", outcome_note=REMOVED)
    trajectories.exclude(outcome="stopped").update(goal="", plan="", outcome_note="")
    Booking.objects.filter(contact_id__in=pks).filter(~Q(note="") | ~Q(cancel_reason="")).update(
        note="", cancel_reason=""
    )
    return changed


def anonymise_consents(pks: Collection[int]) -> int:
    """A consent's row stays (its handovers are counted) without its purpose text."""
    from werkcentrum.frontdoor.models import Consent

    return Consent.objects.filter(pk__in=list(pks)).exclude(purpose="").update(purpose="")


def booking_has_text() -> Q:
    return ~Q(note="") | ~Q(cancel_reason="")


def anonymise_bookings(pks: Collection[int]) -> int:
    from werkcentrum.appointments.models import Booking

    return (
        Booking.objects.filter(pk__in=list(pks))
        .filter(booking_has_text())
        .update(note="", cancel_reason="")
    )


def anonymise_registrations(pks: Collection[int]) -> int:
    """Name, e-mail address, the person link and a resident's organisation go; role, status and
    attendance stay. The e-mail address must stay unique per event: it becomes a placeholder
    that cannot receive mail (``.invalid``, RFC 2606); the cancel link stops working."""
    from werkcentrum.events.models import Registration

    rows = list(Registration.objects.filter(pk__in=list(pks)).exclude(name=""))
    for row in rows:
        row.name = ""
        row.email = f"anonymised-{row.pk}@example.invalid"
        row.person = None
        if row.employer_id is None:
            row.organisation = ""
        row.cancel_token = secrets.token_urlsafe(24)
    Registration.objects.bulk_update(
        rows, ["name", "email", "person", "organisation", "cancel_token"], batch_size=500
    )
    return len(rows)


def llo_has_text() -> Q:
    return ~Q(summary="")


def anonymise_llo_conversations(pks: Collection[int]) -> int:
    from werkcentrum.vouchers.models import LLOConversation

    return (
        LLOConversation.objects.filter(pk__in=list(pks)).filter(llo_has_text()).update(summary="")
    )


APPLICATION_TEXTS = ("motivation", "decision_note", "withdraw_reason", "completion_proof")


def application_has_text() -> Q:
    q = Q()
    for name in APPLICATION_TEXTS:
        q |= ~Q(**{name: ""})
    return q


def anonymise_applications(pks: Collection[int]) -> int:
    """Amounts, dates, training and decision stay for the fund's accounts and figures."""
    from werkcentrum.vouchers.models import Application

    return (
        Application.objects.filter(pk__in=list(pks))
        .filter(application_has_text())
        .update(**dict.fromkeys(APPLICATION_TEXTS, ""))
    )


def person_has_contact_details() -> Q:
    return ~Q(email="") | ~Q(phone="") | ~Q(postcode="") | ~Q(bsn_encrypted="") | ~Q(bsn_hash="")


def person_has_identity() -> Q:
    return ~Q(first_name="") | ~Q(last_name="") | Q(date_of_birth__isnull=False)


def anonymise_persons(pks: Collection[int], keep_identity: Collection[int] = ()) -> int:
    """Anonymise persons with everything that belongs only to them.

    Goes: e-mail, phone, postcode, BSN, the resident account (with its two-factor devices),
    talent-wall results, the job-seeker profile (placements stay without the link), and the
    texts of the person's questions, appointments and event registrations. Name and date of
    birth go too, except for the persons in ``keep_identity`` (a retained record such as a paid
    voucher still needs them). The row stays, so what is counted about the person (questions,
    appointments, handovers) keeps adding up."""
    from werkcentrum.accounts.models import Role, User
    from werkcentrum.appointments.models import Booking
    from werkcentrum.candidates.models import CandidateProfile
    from werkcentrum.events.models import Registration
    from werkcentrum.frontdoor.models import Contact, Person
    from werkcentrum.orientation.models import TalentWallResult

    pks = list(pks)
    if not pks:
        return 0
    keep = set(keep_identity)
    Person.objects.filter(pk__in=pks).update(
        email="", phone="", postcode="", bsn_encrypted="", bsn_hash=""
    )
    Person.objects.filter(pk__in=[pk for pk in pks if pk not in keep]).update(
        first_name="", last_name="", date_of_birth=None
    )
    User.objects.filter(person_id__in=pks, role=Role.RESIDENT).delete()
    TalentWallResult.objects.filter(person_id__in=pks).delete()
    CandidateProfile.objects.filter(person_id__in=pks).delete()
    contacts = Contact.objects.filter(person_id__in=pks).filter(contact_has_text())
    anonymise_contacts(list(contacts.values_list("pk", flat=True)))
    anonymise_bookings(list(Booking.objects.filter(person_id__in=pks).values_list("pk", flat=True)))
    anonymise_registrations(
        list(Registration.objects.filter(person_id__in=pks).values_list("pk", flat=True))
    )
    return len(pks)


def delete(model, pks: Collection) -> int:
    """Delete rows of ``model`` (its cascades included); the number of ``model`` rows."""
    _total, per_model = model.objects.filter(pk__in=list(pks)).delete()
    return per_model.get(model._meta.label, 0)
