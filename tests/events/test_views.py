"""The event screens: public calendar and event page, registering, cancelling by link, the
organisers' screens; who may see what; bad input never gives a 500."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.events.conftest import anonymous, at, make_event
from werkcentrum.accounts.models import Role
from werkcentrum.events import services
from werkcentrum.events.models import Audience, Event, EventKind, Registration

pytestmark = pytest.mark.django_db

LIST = "/evenementen/"


@pytest.fixture(autouse=True)
def english_pages(client):
    """Pages in English (the language switch's cookie), to assert on the source strings."""
    client.cookies["django_language"] = "en"


def detail(event):
    return reverse("events:detail", args=[event.pk])


def visitor(**extra):
    return {"name": "Anna de Vries", "email": "anna@example.org", "consent": "on", **extra}


# -- the public calendar ------------------------------------------------------------------------


def test_the_public_list_shows_upcoming_published_events(client, organiser):
    fair = make_event(organiser)
    workshop = make_event(
        organiser,
        kind=EventKind.WORKSHOP,
        title="Workshop solliciteren",
        walk_in_point=organiser.region.walk_in_points.get(code="almelo-werkplein"),
        starts_at=at(3, 9),
        ends_at=at(3, 12),
    )
    make_event(organiser, title="Nog geheim", published=False)
    past = make_event(organiser, title="Al geweest")
    Event.objects.filter(pk=past.pk).update(starts_at=at(-3, 10), ends_at=at(-3, 12))

    html = client.get(LIST).content.decode()
    assert html.index("Workshop solliciteren") < html.index("Banenmarkt Enschede")
    assert "Nog geheim" not in html and "Al geweest" not in html
    assert "2 upcoming events" in html and "3 places left" in html

    # Filters are in the URL (shareable); unknown values are ignored, never an error.
    html = client.get(LIST, {"kind": "workshop"}).content.decode()
    assert "Workshop solliciteren" in html and "Banenmarkt Enschede" not in html
    html = client.get(LIST, {"place": "almelo"}).content.decode()
    assert "Workshop solliciteren" in html and "Banenmarkt Enschede" not in html
    assert '<option value="Almelo" selected>' in html
    for params in ({"kind": "circus"}, {"place": "Atlantis"}, {"place": "x" * 5000}, {"kind": ""}):
        response = client.get(LIST, params)
        assert response.status_code == 200
        assert "Banenmarkt Enschede" in response.content.decode()
    assert fair.pk and workshop.pk


def test_a_full_event_says_so(client, event):
    for name in ("Anna A", "Bert B", "Cor C"):
        anonymous(event, name=name)
    assert "Full — join the waiting list" in client.get(LIST).content.decode()
    html = client.get(detail(event)).content.decode()
    assert "Join the waiting list" in html


def test_the_empty_state_helps(client, twente):
    html = client.get(LIST).content.decode()
    assert "There are no events planned right now" in html
    assert reverse("frontdoor:ask") in html
    html = client.get(LIST, {"kind": "workshop"}).content.decode()
    assert "No upcoming events match your choice" in html


def test_the_event_page(client, organiser, employer, vacancy):
    event = make_event(organiser, employers=[employer], vacancies=[vacancy])
    html = client.get(detail(event)).content.decode()
    assert "Banenmarkt Enschede" in html and "Inlooppunt Werkplein Enschede" in html
    assert "Zorggroep Twente" in html
    assert reverse("vacancies:public_detail", args=[vacancy.pk]) in html
    assert reverse("events:ics", args=[event.pk]) in html
    assert 'name="consent"' in html and 'name="email"' in html
    assert reverse("residents:login") + "?next=" in html


def test_drafts_and_unknown_events_are_not_found(client, organiser):
    draft = make_event(organiser, published=False)
    assert client.get(detail(draft)).status_code == 404
    assert client.get(reverse("events:ics", args=[draft.pk])).status_code == 404
    assert client.post(detail(draft), visitor()).status_code == 404
    assert client.get("/evenementen/999999/").status_code == 404
    assert client.get("/evenementen/abc/").status_code == 404


def test_ics_download(client, event):
    response = client.get(reverse("events:ics", args=[event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="evenement-{event.pk}.ics"' in response["Content-Disposition"]
    assert b"BEGIN:VEVENT" in response.content


# -- registering --------------------------------------------------------------------------------


def test_a_visitor_registers(client, event, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail(event), visitor(), follow=True)
    assert response.redirect_chain == [(detail(event), 302)]
    assert "You are registered. The confirmation goes to anna@example.org." in (
        response.content.decode()
    )
    registration = Registration.objects.get()
    assert (registration.name, registration.email, registration.person) == (
        "Anna de Vries",
        "anna@example.org",
        None,
    )
    assert len(mailoutbox) == 1


def test_bad_input_is_shown_not_a_500(client, event):
    for data in (
        {},
        visitor(email="nonsense"),
        visitor(consent=""),
        visitor(name=""),
        visitor(name="x" * 1000),
        {"name": ["a", "b"], "email": "\x00"},
    ):
        response = client.post(detail(event), data)
        assert response.status_code == 400, data
        assert "Please correct the following" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_duplicate_gets_a_clear_message(client, event):
    client.post(detail(event), visitor())
    response = client.post(detail(event), visitor(name="Anna again"))
    assert response.status_code == 409
    assert "This e-mail address is already registered for this event" in (response.content.decode())
    assert Registration.objects.count() == 1


def test_full_means_the_waiting_list(client, event):
    for name in ("Anna A", "Bert B", "Cor C"):
        anonymous(event, name=name)
    response = client.post(detail(event), visitor(email="dirk@example.org"), follow=True)
    assert "you are on the waiting list (number 1)" in response.content.decode()
    assert Registration.objects.get(email="dirk@example.org").status == "waiting"


def test_a_resident_registers_with_one_click_and_cancels(client, event, resident):
    client.force_login(resident)
    html = client.get(detail(event)).content.decode()
    assert "You register as Yvonne Jansen" in html and 'name="email"' not in html
    response = client.post(detail(event), {}, follow=True)
    assert "You are registered" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.person == resident.person
    html = client.get(detail(event)).content.decode()
    assert "You are registered for this event" in html
    assert reverse("events:cancel_mine", args=[event.pk]) in html
    # A second POST does not register twice.
    assert client.post(detail(event), {}).status_code == 302
    assert Registration.objects.count() == 1
    response = client.post(reverse("events:cancel_mine", args=[event.pk]), follow=True)
    assert "Your registration is cancelled" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    response = client.post(reverse("events:cancel_mine", args=[event.pk]), follow=True)
    assert "You are not registered for this event" in response.content.decode()


def test_a_resident_sees_an_employers_only_event_without_form(client, organiser, resident):
    event = make_event(organiser, audience=Audience.EMPLOYERS)
    client.force_login(resident)
    html = client.get(detail(event)).content.decode()
    assert "This event is for employers." in html and 'name="consent"' not in html
    response = client.post(detail(event), {}, follow=True)
    assert "You cannot register for this event" in response.content.decode()
    assert not Registration.objects.exists()


def test_an_employer_registers_the_company(client, event, employer_user):
    client.force_login(employer_user)
    html = client.get(detail(event)).content.decode()
    assert 'name="role"' in html and "You register Zorggroep Twente" in html
    response = client.post(detail(event), {"role": "exhibitor"}, follow=True)
    assert "registered as exhibitor" in response.content.decode()
    assert Registration.objects.get().role == "exhibitor"
    assert client.post(detail(event), {"role": "nonsense"}).status_code in (302, 400)


def test_registration_closes_when_the_event_starts(client, event):
    Event.objects.filter(pk=event.pk).update(
        starts_at=at(0, 0) - timedelta(hours=1), ends_at=at(0, 0) + timedelta(days=1)
    )
    html = client.get(detail(event)).content.decode()
    assert "registration is closed" in html and 'name="consent"' not in html
    response = client.post(detail(event), visitor(), follow=True)
    assert "You cannot register for this event" in response.content.decode()
    assert not Registration.objects.exists()


# -- cancelling by the signed link --------------------------------------------------------------


def test_cancel_by_link_asks_first_then_cancels_and_promotes(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("Anna A", "Bert B", "Cor C", "Dirk D"):
            anonymous(event, name=name)
    anna_mail = next(m for m in mailoutbox if m.to == ["anna@example.org"])
    path = re.search(r"https?://[^/]+(/evenementen/afmelden/\S+/)", anna_mail.body).group(1)
    page = client.get(path)
    assert page.status_code == 200 and "Yes, cancel my registration" in page.content.decode()
    assert Registration.objects.get(name="Anna A").status == "registered"  # GET changes nothing

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(path)
    assert done.status_code == 200 and "Registration cancelled" in done.content.decode()
    assert Registration.objects.get(name="Anna A").status == "cancelled"
    assert Registration.objects.get(name="Dirk D").status == "registered"
    assert [m.to for m in mailoutbox] == [["dirk@example.org"]]
    # The link again (a double click, a second visit) is harmless.
    assert client.post(path).status_code == 200
    assert "Registration cancelled" in client.get(path).content.decode()


def test_a_tampered_link_is_a_friendly_404_and_changes_nothing(client, event):
    registration = anonymous(event)
    signed = services.cancel_link_token(registration)
    for token in (
        signed[:-2] + "xx",
        registration.cancel_token,
        "nonsense",
        "a:b:c",
        signed.replace(":", "."),
    ):
        path = f"/evenementen/afmelden/{token}/"
        for response in (client.get(path), client.post(path)):
            assert response.status_code == 404
            assert "This link does not work" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "registered"


# -- organisers ---------------------------------------------------------------------------------


STAFF_URLS = (
    "events:staff_list",
    "events:new",
    ("events:edit", True),
    ("events:attendance", True),
    ("events:attendance_csv", True),
)


def staff_paths(event):
    for item in STAFF_URLS:
        if isinstance(item, tuple):
            yield reverse(item[0], args=[event.pk])
        else:
            yield reverse(item)


def test_only_organisers_see_the_staff_screens(
    client, event, resident, employer_user, guide, uwv_employee, manager
):
    for path in staff_paths(event):
        assert client.get(path).status_code == 302  # to the login page
    for user in (resident, employer_user, guide, uwv_employee, manager):
        client.force_login(user)
        for path in staff_paths(event):
            assert client.get(path).status_code == 403, (user, path)
        assert client.post(reverse("events:publish", args=[event.pk])).status_code == 403


def test_another_regions_organiser_gets_404(client, event, achterhoek):
    client.force_login(make_user("adviseur_ah", Role.EMPLOYER_ADVISER, achterhoek))
    assert event.title not in client.get(reverse("events:staff_list")).content.decode()
    for path in list(staff_paths(event))[2:]:
        assert client.get(path).status_code == 404
    assert (
        client.post(reverse("events:publish", args=[event.pk]), {"published": "0"}).status_code
        == 404
    )
    assert client.post(reverse("events:edit", args=[event.pk]), {"title": "x"}).status_code == 404
    registration = anonymous(event)
    response = client.post(reverse("events:registration_cancel", args=[registration.pk]))
    assert response.status_code == 404
    event.refresh_from_db()
    registration.refresh_from_db()
    assert event.published and registration.status == "registered"


def form_data(twente, **extra):
    return {
        "kind": "meet_and_greet",
        "title": "Meet & Greet zorg",
        "description": "Koffie met zorgwerkgevers.",
        "day": (at(10).date()).isoformat(),
        "start": "10:00",
        "end": "12:00",
        "walk_in_point": twente.walk_in_points.get(code="hengelo-werkplein").pk,
        "address": "",
        "city": "",
        "capacity": "12",
        "audience": "residents",
        **extra,
    }


def test_create_publish_and_edit(client, organiser, twente, employer, vacancy):
    client.force_login(organiser)
    assert client.get(reverse("events:new")).status_code == 200
    response = client.post(
        reverse("events:new"), form_data(twente, employers=[employer.pk], vacancies=[vacancy.pk])
    )
    event = Event.objects.get()
    assert response["Location"] == reverse("events:edit", args=[event.pk])
    assert (event.title, event.city, event.capacity, event.published) == (
        "Meet & Greet zorg",
        "Hengelo",
        12,
        False,
    )
    assert list(event.employers.all()) == [employer] and list(event.vacancies.all()) == [vacancy]
    assert event.organiser == organiser
    assert client.get(detail(event)).status_code == 404

    client.post(reverse("events:publish", args=[event.pk]), {"published": "1"})
    event.refresh_from_db()
    assert event.published
    assert client.get(detail(event)).status_code == 200

    html = client.get(reverse("events:edit", args=[event.pk])).content.decode()
    assert 'value="Meet &amp; Greet zorg"' in html and "Unpublish" in html
    response = client.post(
        reverse("events:edit", args=[event.pk]),
        form_data(twente, title="Meet & Greet zorg en welzijn", capacity="20", employers=[]),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.capacity, event.employers.count()) == (
        "Meet & Greet zorg en welzijn",
        20,
        0,
    )
    html = client.get(reverse("events:staff_list")).content.decode()
    assert "Meet &amp; Greet zorg en welzijn" in html and "0 / 20" in html


def test_the_event_form_refuses_bad_input(client, coordinator, twente):
    client.force_login(coordinator)
    cases = [
        {},
        form_data(twente, end="09:00"),
        form_data(twente, capacity="0"),
        form_data(twente, capacity="many"),
        form_data(twente, day="2026-13-45"),
        form_data(twente, day=at(-2).date().isoformat()),
        form_data(twente, walk_in_point="", address=""),
        form_data(twente, walk_in_point="", address="Expohal"),
        form_data(twente, walk_in_point="999999"),
        form_data(twente, kind="circus"),
        form_data(twente, employers=["999999"]),
    ]
    for data in cases:
        response = client.post(reverse("events:new"), data)
        assert response.status_code == 400, data
    assert not Event.objects.exists()


def test_capacity_below_the_registrations_is_refused_on_the_form(client, event, organiser, twente):
    for name in ("Anna A", "Bert B", "Cor C"):
        anonymous(event, name=name)
    client.force_login(organiser)
    response = client.post(reverse("events:edit", args=[event.pk]), form_data(twente, capacity="2"))
    assert response.status_code == 400
    assert "3 people are already registered" in response.content.decode()


def test_attendance_and_csv(client, event, organiser, resident, employer_user):
    mine = services.register(event, user=resident)
    anna = anonymous(event, name="=HYPERLINK(1)", email="anna@example.org")
    stand = services.register(event, user=employer_user, role="exhibitor")
    for name in ("Bert B", "Cor C"):
        anonymous(event, name=name)
    client.force_login(organiser)
    page = client.get(reverse("events:attendance", args=[event.pk]))
    html = page.content.decode()
    assert "Yvonne Jansen" in html and "Cor C" in html and "Waiting list" in html
    assert "yvonne.jansen@example.org" not in html  # no e-mail addresses on screen

    response = client.post(
        reverse("events:attendance", args=[event.pk]), {"attended": [mine.pk, stand.pk]}
    )
    assert response.status_code == 302
    assert dict(Registration.objects.values_list("pk", "attended"))[mine.pk] is True
    assert Registration.objects.get(pk=anna.pk).attended is False

    for bad in ({"attended": ["abc"]}, {"attended": ["999999"]}):
        assert client.post(reverse("events:attendance", args=[event.pk]), bad).status_code == 400
    assert Registration.objects.get(pk=mine.pk).attended is True

    csv = client.get(reverse("events:attendance_csv", args=[event.pk]))
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "Name;Organisation;Take part as;Attended"
    assert "Yvonne Jansen;;Participant;yes" in rows
    assert "'=HYPERLINK(1);;Participant;no" in rows
    assert "Werkgever;Zorggroep Twente;Exhibitor;yes" in rows
    assert len(rows) == 5  # header, 3 seats, 1 exhibitor; the waiting list is not in it
    assert "@" not in csv.content.decode()


def test_organiser_cancels_a_registration(client, event, organiser):
    people = [anonymous(event, name=n) for n in ("Anna A", "Bert B", "Cor C", "Dirk D")]
    client.force_login(organiser)
    response = client.post(reverse("events:registration_cancel", args=[people[0].pk]), follow=True)
    assert "Registration of Anna A cancelled" in response.content.decode()
    assert Registration.objects.get(pk=people[3].pk).status == "registered"
    again = client.post(reverse("events:registration_cancel", args=[people[0].pk]), follow=True)
    assert "already cancelled" in again.content.decode()
    assert client.get(reverse("events:registration_cancel", args=[people[1].pk])).status_code == 405


def test_navigation_links(client, organiser, resident):
    assert reverse("events:list") in client.get("/").content.decode()
    client.force_login(organiser)
    assert reverse("events:staff_list") in client.get(reverse("events:staff_list")).content.decode()
    client.force_login(resident)
    assert reverse("events:list") in client.get(reverse("residents:home")).content.decode()
