"""Every change to events goes through here: one transaction per service, the permission check,
the processing log for registrations, and e-mails queued in the outbox (sent after commit).

Capacity: ``register`` and ``cancel`` lock the event row (``select_for_update``) before they
count, so two people taking the last seat at the same moment are serialised: one gets it, the
other lands on the waiting list. Cancelling a seat promotes the first on the waiting list in the
same transaction. Lock order is always event, then registration (no deadlocks).
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import urlparse

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkcentrum.accounts.permissions import require_staff
from werkcentrum.appointments import ical
from werkcentrum.core.errors import Conflict, NotAllowed, ServiceError
from werkcentrum.outbox.services import queue_email
from werkcentrum.privacy.services import audit, log_processing

from .models import Audience, Event, Registration, RegistrationRole, RegistrationStatus

logger = logging.getLogger(__name__)

ACTIVITY = "events"  # the processing register's activity (privacy/data/processing_register.toml)
REMINDER_WINDOW = timedelta(hours=24)
CANCEL_SALT = "werkcentrum.events.cancel"
MAX_CAPACITY = 10_000

# Fields an organiser edits; a change to one of TIME_AND_PLACE raises the iCalendar SEQUENCE.
EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "walk_in_point",
    "address",
    "city",
    "capacity",
    "audience",
    "exhibitors_welcome",
)
TIME_AND_PLACE = ("starts_at", "ends_at", "walk_in_point", "address", "city")


# -- organising ---------------------------------------------------------------------------------


def require_organiser(user, region_id: int | None = None) -> None:
    require_staff(
        user,
        lambda u: u.is_employer_services,
        _("Only employer advisers and coordinators can organise events."),
        region_id,
        _("This event belongs to another region."),
    )


def _clean(region, fields: dict, *, now: datetime, is_new: bool) -> dict:
    title = (fields.get("title") or "").strip()
    if not title:
        raise ServiceError(_("Give the event a title."), field="title")
    fields["title"] = title[:200]
    fields["description"] = (fields.get("description") or "").strip()
    starts_at, ends_at = fields["starts_at"], fields["ends_at"]
    if ends_at <= starts_at:
        raise ServiceError(_("The end time must be after the start time."), field="end")
    if is_new and starts_at <= now:
        raise ServiceError(_("An event cannot start in the past."), field="day")
    capacity = fields.get("capacity")
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        raise ServiceError(
            _("The number of places is between 1 and %(max)s.") % {"max": MAX_CAPACITY},
            field="capacity",
        )
    point = fields.get("walk_in_point")
    fields["address"] = (fields.get("address") or "").strip()
    if point is not None:
        if point.region_id != region.pk:
            raise NotAllowed(_("This walk-in point belongs to another region."))
        fields["city"] = point.city
    else:
        fields["city"] = (fields.get("city") or "").strip()
        if not fields["address"]:
            raise ServiceError(
                _("Choose a walk-in point or enter the address of the venue."), field="address"
            )
        if not fields["city"]:
            raise ServiceError(_("Enter the place of the venue."), field="city")
    return fields


def _link(event: Event, employers, vacancies) -> None:
    """Link employers and vacancies of the event's region (others are refused)."""
    if employers is not None:
        employers = list(employers)
        if any(e.region_id != event.region_id for e in employers):
            raise NotAllowed(_("This employer belongs to another region."))
        event.employers.set(employers)
    if vacancies is not None:
        vacancies = list(vacancies)
        if any(v.region_id != event.region_id for v in vacancies):
            raise NotAllowed(_("This vacancy belongs to another region."))
        event.vacancies.set(vacancies)


@transaction.atomic
def create_event(
    user, *, region, employers=(), vacancies=(), published: bool = False, now=None, **fields
) -> Event:
    require_organiser(user, region.pk)
    fields = _clean(
        region, {f: fields.get(f) for f in EVENT_FIELDS}, now=now or timezone.now(), is_new=True
    )
    event = Event.objects.create(region=region, organiser=user, published=published, **fields)
    _link(event, employers, vacancies)
    audit(user=user, action="event_created", obj=event)
    return event


def _lock(event: Event) -> Event:
    return (
        Event.objects.select_for_update(of=("self",))
        .select_related("walk_in_point", "region")
        .get(pk=event.pk)
    )


def update_event(
    user, event: Event, *, employers=None, vacancies=None, now=None, **fields
) -> Event:
    """Change an event. Fewer places than people already registered is refused; more places
    promote people from the waiting list (they get an e-mail)."""
    with transaction.atomic():
        event = _lock(event)
        require_organiser(user, event.region_id)
        current = {f: getattr(event, f) for f in EVENT_FIELDS}
        fields = _clean(
            event.region, {**current, **fields}, now=now or timezone.now(), is_new=False
        )
        seated = Registration.objects.filter(event=event).seated().count()
        if fields["capacity"] < seated:
            raise ServiceError(
                _(
                    "%(n)s people are already registered: the number of places cannot be "
                    "lower. Cancel registrations first."
                )
                % {"n": seated},
                field="capacity",
            )
        if any(fields[f] != current[f] for f in TIME_AND_PLACE):
            event.sequence += 1
        for name, value in fields.items():
            setattr(event, name, value)
        event.save()
        _link(event, employers, vacancies)
        promoted = _fill_from_waiting_list(user, event, seated, now=now)
        audit(user=user, action="event_changed", obj=event, detail={"promoted": len(promoted)})
    return event


@transaction.atomic
def set_published(user, event: Event, published: bool) -> Event:
    event = _lock(event)
    require_organiser(user, event.region_id)
    if event.published != published:
        event.published = published
        event.save(update_fields=["published", "updated_at"])
        audit(user=user, action="event_published" if published else "event_unpublished", obj=event)
    return event


# -- registering --------------------------------------------------------------------------------


def _who(event: Event, user, *, name, email, organisation, role) -> dict:
    """Who registers: a logged-in resident (their own record), a logged-in employer (their
    company) or a visitor (name and e-mail). Refuses what the event does not allow."""
    authenticated = getattr(user, "is_authenticated", False)
    if role == RegistrationRole.EXHIBITOR:
        if not (authenticated and user.is_employer):
            raise NotAllowed(_("Log in to the employer portal to register your company."))
        if not event.exhibitors_welcome:
            raise ServiceError(_("This event has no room for exhibitors."), field="role")
    elif role != RegistrationRole.PARTICIPANT:
        raise ServiceError(_("Choose how you take part."), field="role")

    if authenticated and user.is_resident:
        if not event.for_residents:
            raise ServiceError(_("This event is for employers."))
        person = user.person
        return {
            "person": person,
            "name": person.full_name or str(user),
            "email": person.email or user.email or email,
        }
    if authenticated and user.is_employer:
        if role == RegistrationRole.PARTICIPANT and not event.for_employers:
            raise ServiceError(_("This event is for job seekers and residents."))
        return {
            "employer": user.employer,
            "name": user.get_full_name() or user.username,
            "email": user.email or email,
            "organisation": user.employer.name,
        }
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Enter your name."), field="name")
    organisation = (organisation or "").strip()
    if event.audience == Audience.EMPLOYERS and not organisation:
        raise ServiceError(_("Enter the name of your organisation."), field="organisation")
    return {"name": name[:200], "email": email, "organisation": organisation[:200]}


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not email:
        raise ServiceError(_("Enter your e-mail address."), field="email")
    try:
        validate_email(email)
    except ValidationError:
        raise ServiceError(_("Enter a valid e-mail address."), field="email") from None
    return email


def _already(existing: Registration) -> Conflict:
    if existing.status == RegistrationStatus.WAITING:
        message = _(
            "This e-mail address is already on the waiting list for this event. "
            "We e-mail you as soon as a place becomes free."
        )
    else:
        message = _(
            "This e-mail address is already registered for this event. "
            "The confirmation e-mail has a link to cancel."
        )
    return Conflict(message, field="email")


def register(
    event: Event,
    *,
    user=None,
    name: str = "",
    email: str = "",
    organisation: str = "",
    role: str = RegistrationRole.PARTICIPANT,
    consent: bool = False,
    now: datetime | None = None,
) -> Registration:
    """Register for a published event that has not started. A seat when one is free, else a
    place on the waiting list. The confirmation (with .ics for a seat) goes out after commit."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock(event)
        if not event.published:
            raise ServiceError(_("This event is not open for registration."))
        if event.starts_at <= now:
            raise ServiceError(_("This event has already started; registration is closed."))
        data = _who(event, user, name=name, email=email, organisation=organisation, role=role)
        data["email"] = _normalise_email(data["email"])
        if not (
            getattr(user, "is_authenticated", False) and (user.is_resident or user.is_employer)
        ):
            if not consent:
                raise ServiceError(
                    _(
                        "Tick the box to agree that we use your name and e-mail address for this event."
                    ),
                    field="consent",
                )
        existing = Registration.objects.active().filter(event=event, email=data["email"]).first()
        if existing is not None:
            raise _already(existing)
        if role == RegistrationRole.EXHIBITOR:
            status = RegistrationStatus.REGISTERED
        else:
            seated = Registration.objects.filter(event=event).seated().count()
            full = seated >= event.capacity
            status = RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED
        try:
            with transaction.atomic():  # a savepoint: the outer transaction stays usable
                registration = Registration.objects.create(
                    event=event, role=role, status=status, created_at=now, **data
                )
        except IntegrityError as exc:  # the unique index caught a simultaneous duplicate
            raise Conflict(
                _("This e-mail address is already registered for this event."), field="email"
            ) from exc
        log_processing(
            actor=user if getattr(user, "is_authenticated", False) else None,
            activity=ACTIVITY,
            operation="create",
            obj=registration,
        )
        transaction.on_commit(partial(send_confirmation, registration.pk), robust=True)
    registration.event = event
    return registration


def _may_cancel(user, registration: Registration) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_resident:
        return registration.person_id is not None and registration.person_id == user.person_id
    if user.is_employer:
        return registration.employer_id == user.employer_id and (
            registration.email == (user.email or "").lower()
        )
    return user.is_administrator or (
        user.is_employer_services and user.region_id == registration.event.region_id
    )


def cancel(
    registration: Registration, *, user=None, token: str | None = None, now=None
) -> Registration:
    """Cancel a registration: by the person themselves (logged in, or through the signed link
    in their e-mail, ``token``) or by an organiser of the region. A freed seat goes to the
    first on the waiting list in the same transaction; they get an e-mail."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock(registration.event)
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=registration.pk)
        )
        registration.event = event
        by_token = token is not None and secrets.compare_digest(
            str(token).encode(), registration.cancel_token.encode()
        )
        if not (by_token or _may_cancel(user, registration)):
            raise NotAllowed(_("You cannot cancel this registration."))
        if registration.status == RegistrationStatus.CANCELLED:
            raise Conflict(_("This registration was already cancelled."))
        had_seat = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.attended = None
        registration.save(update_fields=["status", "cancelled_at", "attended"])
        actor = user if getattr(user, "is_authenticated", False) else None
        log_processing(actor=actor, activity=ACTIVITY, operation="update", obj=registration)
        if had_seat and registration.role == RegistrationRole.PARTICIPANT:
            seated = Registration.objects.filter(event=event).seated().count()
            _fill_from_waiting_list(actor, event, seated, now=now)
    return registration


def _fill_from_waiting_list(actor, event: Event, seated: int, now=None) -> list[Registration]:
    """Give free seats to the waiting list, first come first served. The caller holds the
    event lock."""
    free = event.capacity - seated
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.filter(event=event)
        .waiting()
        .select_for_update(of=("self",))
        .select_related("person")[:free]
    )
    moment = now or timezone.now()
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = moment
        registration.save(update_fields=["status", "promoted_at"])
        log_processing(actor=actor, activity=ACTIVITY, operation="update", obj=registration)
        transaction.on_commit(partial(send_promotion, registration.pk), robust=True)
    return promoted


def set_attendance(user, event: Event, attended_ids, now=None) -> int:
    """Record who came: the registered people in ``attended_ids`` attended, the other
    registered people did not. Returns how many attended."""
    attended_ids = {int(pk) for pk in attended_ids}
    with transaction.atomic():
        event = _lock(event)
        require_organiser(user, event.region_id)
        registered = list(
            Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
            .select_for_update(of=("self",))
            .select_related("person")
        )
        unknown = attended_ids - {r.pk for r in registered}
        if unknown:
            raise ServiceError(_("Someone in the list is not registered for this event."))
        for registration in registered:
            registration.attended = registration.pk in attended_ids
        Registration.objects.bulk_update(registered, ["attended"])
        persons = [r.person for r in registered if r.person_id]
        if persons:
            log_processing(
                actor=user, activity=ACTIVITY, operation="update", obj=event, persons=persons
            )
    return len(attended_ids)


# -- cancel links, iCalendar and e-mail ---------------------------------------------------------


def cancel_link_token(registration: Registration) -> str:
    return signing.dumps(registration.cancel_token, salt=CANCEL_SALT)


def registration_for_link(signed: str) -> Registration | None:
    """The registration behind a signed cancel link; None when tampered with or unknown."""
    try:
        token = signing.loads(signed, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(token, str):
        return None
    return (
        Registration.objects.select_related("event__walk_in_point", "event__region")
        .filter(cancel_token=token)
        .first()
    )


def cancel_url(registration: Registration) -> str:
    path = reverse("events:cancel", args=[cancel_link_token(registration)])
    return settings.SITE_URL.rstrip("/") + path


def describe_time(event: Event) -> str:
    """E.g. "dinsdag 2 juni 2026 10:00–12:00" in the active language."""
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    day = formats.date_format(start, "l j F Y")
    if translation.get_language() == "nl":
        day = day.lower()  # Dutch writes weekdays in lower case mid-sentence
    if start.date() == end.date():
        return f"{day} {start:%H:%M}–{end:%H:%M}"
    last = formats.date_format(end, "j F Y")
    return f"{day} {start:%H:%M} – {last} {end:%H:%M}"


def ical_for(event: Event, stamp: datetime | None = None) -> str:
    host = urlparse(settings.SITE_URL).hostname or "werkcentrum"
    link = settings.SITE_URL.rstrip("/") + reverse("events:detail", args=[event.pk])
    description = "\n\n".join(part for part in (event.description, link) if part)
    entry = ical.Event(
        uid=f"event-{event.pk}@{host}",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=event.title,
        location=event.location,
        description=description,
        sequence=event.sequence,
    )
    return ical.calendar(entry, stamp=stamp or timezone.now())


def ics_filename(event: Event) -> str:
    return f"evenement-{event.pk}.ics"


RELATED = ("event__walk_in_point", "event__region", "person")

# (subject, opening line), translated when the e-mail is composed.
CONFIRMATION = (
    gettext_lazy("You are registered: %(title)s"),
    gettext_lazy("Thank you for registering. You have a place at this event."),
)
WAITING = (
    gettext_lazy("On the waiting list: %(title)s"),
    gettext_lazy(
        "This event is full, so you are on the waiting list (number %(position)s). "
        "When a place becomes free, it is yours and we e-mail you at once."
    ),
)
PROMOTION = (
    gettext_lazy("A place became free for you: %(title)s"),
    gettext_lazy("Good news: a place became free and it is yours. You no longer wait."),
)
REMINDER = (
    gettext_lazy("Reminder: %(title)s"),
    gettext_lazy("A reminder: the event you registered for is coming soon."),
)


def waiting_position(registration: Registration) -> int:
    """1 for the first on the waiting list (by the moment of registering)."""
    ahead = (
        Registration.objects.filter(
            event_id=registration.event_id, status=RegistrationStatus.WAITING
        )
        .filter(created_at__lt=registration.created_at)
        .count()
    )
    same_moment = Registration.objects.filter(
        event_id=registration.event_id,
        status=RegistrationStatus.WAITING,
        created_at=registration.created_at,
        pk__lt=registration.pk,
    ).count()
    return ahead + same_moment + 1


def _email(registration: Registration, texts, *, with_ics: bool, key: str) -> bool:
    """Compose one e-mail about ``registration`` in the default language (Dutch) and queue it;
    ``key`` makes queueing it twice send it once."""
    event = registration.event
    subject, opening = texts
    with translation.override(settings.LANGUAGE_CODE):
        values = {"title": event.title}
        if registration.status == RegistrationStatus.WAITING:
            values["position"] = waiting_position(registration)
        lines = [
            _("Dear %(name)s,") % {"name": registration.name},
            "",
            str(opening) % values,
            "",
            event.title,
            _("When: %(when)s") % {"when": describe_time(event)},
            _("Where: %(place)s") % {"place": event.location},
        ]
        if registration.role == RegistrationRole.EXHIBITOR:
            lines.append(
                _("You take part as exhibitor for %(company)s.")
                % {"company": registration.organisation}
            )
        lines += [
            _("More information: %(url)s")
            % {"url": settings.SITE_URL.rstrip("/") + reverse("events:detail", args=[event.pk])},
            "",
            _("Cannot come? Please cancel, so that someone on the waiting list gets your place:"),
            cancel_url(registration),
            "",
            _("Kind regards,"),
            _("Werkcentrum %(region)s") % {"region": event.region},
        ]
        attachments = [(ics_filename(event), ical_for(event), "text/calendar")] if with_ics else []
        queue_email(
            str(subject) % values,
            "\n".join(lines) + "\n",
            [registration.email],
            key=key,
            attachments=attachments,
        )
    return True


def send_confirmation(registration_id: int) -> bool:
    registration = Registration.objects.select_related(*RELATED).get(pk=registration_id)
    if registration.status == RegistrationStatus.REGISTERED:
        return _email(
            registration,
            CONFIRMATION,
            with_ics=True,
            key=f"event-confirmation:{registration.pk}",
        )
    if registration.status == RegistrationStatus.WAITING:
        return _email(registration, WAITING, with_ics=False, key=f"event-waiting:{registration.pk}")
    return False


def send_promotion(registration_id: int) -> bool:
    registration = Registration.objects.select_related(*RELATED).get(pk=registration_id)
    if registration.status != RegistrationStatus.REGISTERED:
        return False
    return _email(registration, PROMOTION, with_ics=True, key=f"event-promotion:{registration.pk}")


def send_due_reminders(now: datetime | None = None) -> int:
    """E-mail a reminder to everyone with a place at a published event starting within 24
    hours who has not had one (the day before).

    Idempotent: each registration is locked, its e-mail queued in the outbox (with a key) and the
    registration marked (``reminded_at``) in one transaction, so a second run, or one at the
    same time, sends nothing twice. Run by ``werkcentrum send_event_reminders`` or Celery beat.
    """
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        reminded_at__isnull=True,
        event__published=True,
        event__starts_at__gt=now,
        event__starts_at__lte=now + REMINDER_WINDOW,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        try:
            with transaction.atomic():
                registration = (
                    Registration.objects.select_for_update(of=("self",), skip_locked=True)
                    .select_related(*RELATED)
                    .filter(pk=pk, status=RegistrationStatus.REGISTERED, reminded_at__isnull=True)
                    .first()
                )
                if registration is None:
                    continue
                _email(registration, REMINDER, with_ics=True, key=f"event-reminder:{pk}")
                registration.reminded_at = now
                registration.save(update_fields=["reminded_at"])
                log_processing(actor=None, activity=ACTIVITY, operation="read", obj=registration)
        except Exception:  # one failing registration must not stop the others
            logger.exception("event reminder %s failed", pk)
            continue
        sent += 1
    return sent
