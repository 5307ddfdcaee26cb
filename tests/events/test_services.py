"""Registering, the capacity and the waiting list, cancelling (also by link), promotion,
attendance, and who may organise what."""

from datetime import timedelta

import pytest

from tests.conftest import make_user
from tests.events.conftest import anonymous, at, make_event
from werkcentrum.accounts.models import Role
from werkcentrum.core.errors import Conflict, NotAllowed, ServiceError
from werkcentrum.employers.models import Employer
from werkcentrum.events import services
from werkcentrum.events.models import (
    Audience,
    Event,
    Registration,
    RegistrationRole,
    RegistrationStatus,
)
from werkcentrum.privacy.models import ProcessingLogEntry

pytestmark = pytest.mark.django_db


def statuses(event):
    return list(
        Registration.objects.filter(event=event)
        .order_by("created_at", "id")
        .values_list("name", "status")
    )


# -- registering --------------------------------------------------------------------------------


def test_seats_first_then_the_waiting_list(event, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("Anna A", "Bert B", "Cor C", "Dirk D", "Eva E"):
            anonymous(event, name=name)
    assert statuses(event) == [
        ("Anna A", "registered"),
        ("Bert B", "registered"),
        ("Cor C", "registered"),
        ("Dirk D", "waiting"),
        ("Eva E", "waiting"),
    ]
    assert len(mailoutbox) == 5
    seat, waiting = mailoutbox[0], mailoutbox[4]
    assert seat.to == ["anna@example.org"] and "Banenmarkt Enschede" in seat.subject
    assert [a[0] for a in seat.attachments] == [f"evenement-{event.pk}.ics"]
    assert "/evenementen/afmelden/" in seat.body
    assert waiting.to == ["eva@example.org"] and not waiting.attachments
    assert "(nummer 2)" in waiting.body or "(number 2)" in waiting.body


def test_a_resident_registers_with_one_click(event, resident):
    registration = services.register(event, user=resident)
    assert (registration.person, registration.name, registration.email) == (
        resident.person,
        "Yvonne Jansen",
        "yvonne.jansen@example.org",
    )
    assert registration.status == RegistrationStatus.REGISTERED
    entry = ProcessingLogEntry.objects.get(object_type="registration")
    assert (entry.activity_id, entry.operation, entry.subject_person) == (
        "events",
        "create",
        resident.person,
    )
    assert entry.actor == resident


def test_an_anonymous_registration_is_logged_without_a_subject(event):
    registration = anonymous(event)
    entry = ProcessingLogEntry.objects.get(object_id=str(registration.pk))
    assert entry.subject_person is None and entry.actor is None


def test_a_visitor_gives_name_valid_email_and_consent(event):
    with pytest.raises(ServiceError) as exc:
        services.register(event, name=" ", email="a@example.org", consent=True)
    assert exc.value.field == "name"
    with pytest.raises(ServiceError) as exc:
        services.register(event, name="Anna", email="not-an-address", consent=True)
    assert exc.value.field == "email"
    with pytest.raises(ServiceError) as exc:
        services.register(event, name="Anna", email="a@example.org")
    assert exc.value.field == "consent"
    assert not Registration.objects.exists()


def test_a_duplicate_is_refused_with_a_clear_message(event):
    anonymous(event, name="Anna A", email="anna@example.org")
    with pytest.raises(Conflict) as exc:
        anonymous(event, name="Anna Again", email=" ANNA@Example.org ")
    assert "already registered for this event" in exc.value.message
    assert exc.value.field == "email"
    for name in ("Bert B", "Cor C", "Dirk D"):
        anonymous(event, name=name)
    with pytest.raises(Conflict) as exc:
        anonymous(event, name="Dirk D")
    assert "already on the waiting list" in exc.value.message
    assert Registration.objects.count() == 4


def test_after_cancelling_one_can_register_again(event):
    first = anonymous(event)
    services.cancel(first, token=first.cancel_token)
    again = anonymous(event)
    assert again.pk != first.pk and again.status == RegistrationStatus.REGISTERED


def test_no_registration_for_a_draft_or_a_started_event(organiser):
    draft = make_event(organiser, published=False)
    with pytest.raises(ServiceError, match="not open for registration"):
        anonymous(draft)
    event = make_event(organiser, title="Later")
    with pytest.raises(ServiceError, match="already started"):
        anonymous(event, now=event.starts_at + timedelta(minutes=1))


def test_employer_registers_the_company_as_exhibitor_outside_the_capacity(
    event, employer_user, employer
):
    for name in ("Anna A", "Bert B", "Cor C"):
        anonymous(event, name=name)
    registration = services.register(event, user=employer_user, role=RegistrationRole.EXHIBITOR)
    assert (registration.employer, registration.organisation, registration.status) == (
        employer,
        "Zorggroep Twente",
        RegistrationStatus.REGISTERED,
    )
    counted = Event.objects.with_counts().get(pk=event.pk)
    assert (counted.registered_count, counted.exhibitor_count) == (3, 1)


def test_what_an_event_allows(organiser, employer_user, resident):
    for_residents = make_event(
        organiser, audience=Audience.RESIDENTS, exhibitors_welcome=False, title="Workshop"
    )
    with pytest.raises(ServiceError, match="for job seekers"):
        services.register(for_residents, user=employer_user)
    with pytest.raises(ServiceError, match="no room for exhibitors"):
        services.register(for_residents, user=employer_user, role=RegistrationRole.EXHIBITOR)
    for_employers = make_event(organiser, audience=Audience.EMPLOYERS, title="Netwerkdag")
    with pytest.raises(ServiceError, match="for employers"):
        services.register(for_employers, user=resident)
    with pytest.raises(ServiceError) as exc:
        services.register(for_employers, name="Piet", email="piet@example.org", consent=True)
    assert exc.value.field == "organisation"
    visitor = services.register(
        for_employers, name="Piet", email="piet@example.org", consent=True, organisation="Bakker BV"
    )
    assert visitor.organisation == "Bakker BV"
    assert services.register(for_employers, user=employer_user).role == "participant"
    with pytest.raises(NotAllowed):  # an exhibitor needs the employer portal
        services.register(
            for_employers,
            name="Kees",
            email="kees@example.org",
            consent=True,
            role=RegistrationRole.EXHIBITOR,
        )
    with pytest.raises(ServiceError):
        services.register(for_employers, user=employer_user, role="speaker")


# -- cancelling and the waiting list ------------------------------------------------------------


def test_cancelling_a_seat_promotes_the_first_on_the_waiting_list(
    event, mailoutbox, django_capture_on_commit_callbacks
):
    base = at(1, 9)
    people = [
        anonymous(event, name=name, now=base + timedelta(seconds=i))
        for i, name in enumerate(("Anna A", "Bert B", "Cor C", "Dirk D", "Eva E"))
    ]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(people[1], token=people[1].cancel_token, now=base + timedelta(hours=1))
    assert statuses(event) == [
        ("Anna A", "registered"),
        ("Bert B", "cancelled"),
        ("Cor C", "registered"),
        ("Dirk D", "registered"),
        ("Eva E", "waiting"),
    ]
    dirk = Registration.objects.get(name="Dirk D")
    assert dirk.promoted_at == base + timedelta(hours=1)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["dirk@example.org"] and mailoutbox[0].attachments
    # Eva is now first in line.
    assert services.waiting_position(Registration.objects.get(name="Eva E")) == 1


def test_cancelling_a_waiting_place_promotes_nobody(event):
    people = [anonymous(event, name=n) for n in ("Anna A", "Bert B", "Cor C", "Dirk D", "Eva E")]
    services.cancel(people[3], token=people[3].cancel_token)
    assert Registration.objects.get(name="Eva E").status == RegistrationStatus.WAITING


def test_cancelling_an_exhibitor_promotes_nobody(event, employer_user):
    people = [anonymous(event, name=n) for n in ("Anna A", "Bert B", "Cor C", "Dirk D")]
    stand = services.register(event, user=employer_user, role=RegistrationRole.EXHIBITOR)
    services.cancel(stand, user=employer_user)
    assert Registration.objects.get(pk=people[3].pk).status == RegistrationStatus.WAITING


def test_who_may_cancel(event, resident, other_resident, organiser, achterhoek, guide):
    mine = services.register(event, user=resident)
    for outsider in (other_resident, guide, None):
        with pytest.raises(NotAllowed):
            services.cancel(mine, user=outsider)
    with pytest.raises(NotAllowed):
        services.cancel(mine, token="wrong")
    elsewhere = make_user("adviseur_ah", Role.EMPLOYER_ADVISER, achterhoek)
    with pytest.raises(NotAllowed):
        services.cancel(mine, user=elsewhere)
    services.cancel(mine, user=resident)
    with pytest.raises(Conflict, match="already cancelled"):
        services.cancel(mine, user=organiser)
    theirs = services.register(event, user=other_resident)
    assert services.cancel(theirs, user=organiser).status == RegistrationStatus.CANCELLED


def test_registration_for_link_refuses_tampering(event):
    registration = anonymous(event)
    signed = services.cancel_link_token(registration)
    assert services.registration_for_link(signed) == registration
    assert services.registration_for_link(signed[:-1] + ("A" if signed[-1] != "A" else "B")) is None
    assert services.registration_for_link(registration.cancel_token) is None
    assert services.registration_for_link("") is None


# -- organising ---------------------------------------------------------------------------------


def test_who_may_organise(twente, achterhoek, guide, resident, employer_user, uwv_employee):
    for user in (guide, resident, employer_user, uwv_employee):
        with pytest.raises(NotAllowed):
            make_event(user, region=twente)
    elsewhere = make_user("adviseur_ah", Role.EMPLOYER_ADVISER, achterhoek)
    with pytest.raises(NotAllowed, match="another region"):
        make_event(elsewhere, region=twente)
    assert not Event.objects.exists()


def test_coordinators_and_administrators_organise(coordinator, administrator, twente):
    assert make_event(coordinator).organiser == coordinator
    assert make_event(administrator, region=twente, title="Door beheer").pk


def test_another_regions_staff_cannot_change_an_event(event, achterhoek):
    elsewhere = make_user("adviseur_ah", Role.EMPLOYER_ADVISER, achterhoek)
    with pytest.raises(NotAllowed):
        services.update_event(elsewhere, event, title="Gekaapt")
    with pytest.raises(NotAllowed):
        services.set_published(elsewhere, event, False)
    with pytest.raises(NotAllowed):
        services.set_attendance(elsewhere, event, [])
    event.refresh_from_db()
    assert event.title == "Banenmarkt Enschede" and event.published


def test_event_validation(organiser, twente, achterhoek):
    with pytest.raises(ServiceError, match="in the past"):
        make_event(organiser, starts_at=at(-1, 10), ends_at=at(-1, 12))
    with pytest.raises(ServiceError, match="after the start"):
        make_event(organiser, ends_at=at(5, 12))
    with pytest.raises(ServiceError) as exc:
        make_event(organiser, capacity=0)
    assert exc.value.field == "capacity"
    with pytest.raises(ServiceError) as exc:
        make_event(organiser, walk_in_point=None, address="")
    assert exc.value.field == "address"
    with pytest.raises(ServiceError) as exc:
        make_event(organiser, walk_in_point=None, address="Hal 1", city="")
    assert exc.value.field == "city"
    with pytest.raises(ServiceError, match="title"):
        make_event(organiser, title="  ")
    with pytest.raises(NotAllowed):
        make_event(organiser, walk_in_point=achterhoek.walk_in_points.first())
    elsewhere = make_event(organiser, walk_in_point=None, address="Expohal, Hal 1", city="Hengelo")
    assert (elsewhere.city, elsewhere.location) == ("Hengelo", "Expohal, Hal 1, Hengelo")
    at_point = make_event(organiser, city="Ignored")
    assert at_point.city == "Enschede"


def test_only_employers_and_vacancies_of_the_region_are_linked(
    organiser, employer, vacancy, achterhoek
):
    event = make_event(organiser, employers=[employer], vacancies=[vacancy])
    assert list(event.employers.all()) == [employer] and list(event.vacancies.all()) == [vacancy]
    foreign = Employer.objects.create(region=achterhoek, name="Elders BV", kvk_number="87654321")
    with pytest.raises(NotAllowed):
        services.update_event(organiser, event, employers=[foreign])
    assert list(event.employers.all()) == [employer]


def test_more_places_promote_the_waiting_list_fewer_than_taken_are_refused(
    event, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    for name in ("Anna A", "Bert B", "Cor C", "Dirk D", "Eva E", "Fien F"):
        anonymous(event, name=name)
    with pytest.raises(ServiceError, match="3 people are already registered"):
        services.update_event(organiser, event, capacity=2)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(organiser, event, capacity=5)
    assert [s for _n, s in statuses(event)] == ["registered"] * 5 + ["waiting"]
    assert sorted(m.to[0] for m in mailoutbox) == ["dirk@example.org", "eva@example.org"]


def test_a_new_time_raises_the_calendar_sequence(event, organiser):
    services.update_event(organiser, event, title="Banenmarkt Twente")
    event.refresh_from_db()
    assert event.sequence == 0
    services.update_event(organiser, event, starts_at=at(6, 13), ends_at=at(6, 17))
    event.refresh_from_db()
    assert event.sequence == 1 and "SEQUENCE:1" in services.ical_for(event)


def test_publish_and_unpublish(organiser):
    event = make_event(organiser, published=False)
    assert services.set_published(organiser, event, True).published
    assert not services.set_published(organiser, event, False).published


def test_attendance(event, organiser, resident, employer_user, guide):
    mine = services.register(event, user=resident)
    anna = anonymous(event, name="Anna A")
    stand = services.register(event, user=employer_user, role=RegistrationRole.EXHIBITOR)
    for name in ("Bert B", "Cor C"):
        anonymous(event, name=name)
    waiting = Registration.objects.get(name="Cor C")
    assert waiting.status == RegistrationStatus.WAITING
    with pytest.raises(NotAllowed):
        services.set_attendance(guide, event, [mine.pk])
    with pytest.raises(ServiceError, match="not registered"):
        services.set_attendance(organiser, event, [waiting.pk])
    assert services.set_attendance(organiser, event, [mine.pk, stand.pk]) == 2
    got = dict(Registration.objects.values_list("name", "attended"))
    assert got == {
        "Yvonne Jansen": True,
        "Anna A": False,
        "Werkgever": True,
        "Bert B": False,
        "Cor C": None,
    }
    entry = ProcessingLogEntry.objects.filter(object_type="event").get()
    assert (entry.subject_person, entry.operation) == (resident.person, "update")
    services.set_attendance(organiser, event, [anna.pk])
    assert Registration.objects.get(pk=anna.pk).attended is True


# -- reminders ----------------------------------------------------------------------------------


def test_reminders_go_out_once_the_day_before(
    event, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    seated = [anonymous(event, name=n) for n in ("Anna A", "Bert B", "Cor C")]
    anonymous(event, name="Dirk D")  # waiting: no reminder
    services.cancel(seated[2], token=seated[2].cancel_token)  # Dirk promoted
    draft = make_event(organiser, published=False, title="Concept")
    Registration.objects.create(event=draft, name="X", email="x@example.org")
    mailoutbox.clear()

    two_days_before = event.starts_at - timedelta(days=2)
    assert services.send_due_reminders(now=two_days_before) == 0
    day_before = event.starts_at - timedelta(hours=23)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders(now=day_before) == 3
    assert sorted(m.to[0] for m in mailoutbox) == [
        "anna@example.org",
        "bert@example.org",
        "dirk@example.org",
    ]
    assert all(m.attachments for m in mailoutbox)
    assert all("Banenmarkt Enschede" in m.subject for m in mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders(now=day_before) == 0
        assert services.send_due_reminders(now=day_before + timedelta(hours=1)) == 0
    assert len(mailoutbox) == 3
    assert set(
        Registration.objects.filter(event=event, reminded_at__isnull=False).values_list(
            "name", flat=True
        )
    ) == {"Anna A", "Bert B", "Dirk D"}
    # After the start nobody is reminded any more.
    anonymous(event, name="Eva E", now=day_before)
    assert services.send_due_reminders(now=event.starts_at + timedelta(minutes=1)) == 0


def test_the_reminder_command_and_task(event, capsys):
    from django.core.management import call_command

    from werkcentrum.events.tasks import send_event_reminders

    anonymous(event)
    call_command("send_event_reminders")
    assert "0 reminder(s) sent" in capsys.readouterr().out
    assert send_event_reminders() == 0
