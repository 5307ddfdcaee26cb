"""The service menu on screen: the guide sees a real contact's eligible services with reasons
(and what to check, and a full or no-budget warning) on the contact screen and in the live
intake proposal; the public list and detail; the coordinator's edit and the approval."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.conftest import make_user
from werkcentrum.accounts.models import Role
from werkcentrum.menu import selectors
from werkcentrum.menu.loader import load_menu
from werkcentrum.menu.models import Service
from werkcentrum.regions.models import Municipality

from .helpers import make_service

pytestmark = pytest.mark.django_db
LIST = reverse("menu:list")


@pytest.fixture(autouse=True)
def english(client, settings):
    """Assert on the English msgids and reasons (the Dutch catalogue is the lead's job)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def menu(twente):
    load_menu("twente")
    return twente


def codes(matches):
    return {m.service.code: m for m in matches}


def reasons_en(match):
    return [r.en for r in match.reasons]


# --------------------------------------------------------------------------- real contacts


def test_58_year_old_with_ww_in_rijssen_holten(client, menu, guide):
    contact = factories.contact(
        menu,
        guide,
        question="Ik ben 58, heb WW en zoek werk als kok.",
        municipality="Rijssen-Holten",
        age=58,
        work_status="unemployed",
        benefit="ww",
    )
    matches = codes(selectors.eligible_for_contact(contact))
    assert matches["perspectief-50plus"].eligible
    assert "Age 58 (aged 50 or older)" in reasons_en(matches["perspectief-50plus"])
    assert "Benefit: WW (unemployment benefit)" in reasons_en(matches["perspectief-50plus"])
    assert "Municipality of Rijssen-Holten" in reasons_en(matches["schuldhulp-rijssen-holten"])
    assert matches["scholing-met-ww"].eligible and matches["proefplaatsing"].eligible
    assert matches["loopbaanadvies"].eligible
    for other in (
        "schuldhulp-enschede",
        "jongerenloket-enschede",
        "werkfit-traject-enschede",
        "van-werk-naar-werk",
        "werkgevers-informatie-regelingen",
        "werkfit-wia-wajong",
    ):
        assert other not in matches
    # the best fit first: about finding work, and for 50+ with WW
    assert list(matches)[0] == "perspectief-50plus"

    client.force_login(guide)
    page = client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    assert "Eligible services" in page
    assert "Perspectief 50+: netwerk en sollicitatie" in page
    assert "Age 58 (aged 50 or older)" in page
    assert "Schuldhulpverlening Enschede" not in page
    # a full service is shown with a warning before any referral
    assert "Ontwikkelpad zorg en welzijn" in page
    assert "Full: no places left this period." in page
    assert "No budget left this period." in page  # ontwikkelpad techniek


def test_young_person_on_social_assistance_in_enschede(client, menu, guide):
    contact = factories.contact(
        menu,
        guide,
        question="Ik zit in de bijstand en heb geen diploma. Ik wil werken.",
        municipality="Enschede",
        age=22,
        benefit="bijstand",
        work_status="unemployed",
    )
    matches = codes(selectors.eligible_for_contact(contact))
    assert "Age 22 (aged 16 to 27)" in reasons_en(matches["jongerenloket-enschede"])
    assert "Benefit: social assistance (bijstand)" in reasons_en(
        matches["werkfit-traject-enschede"]
    )
    assert matches["werkleerplek-dcw"].eligible and matches["schuldhulp-enschede"].eligible
    for other in (
        "perspectief-50plus",
        "scholing-met-ww",
        "jongerenloket-almelo",
        "schuldhulp-rijssen-holten",
    ):
        assert other not in matches
    client.force_login(guide)
    page = client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    assert "Jongerenloket Enschede" in page and "Age 22 (aged 16 to 27)" in page


def test_employer_gets_employer_services_and_what_to_check(client, menu, guide):
    contact = factories.contact(
        menu,
        guide,
        asker_type="employer",
        organisation_name="Bakkerij Almelo",
        with_person=False,
        question="Wij zoeken personeel en willen iemand met een beperking aannemen.",
        municipality="Almelo",
    )
    matches = codes(selectors.eligible_for_contact(contact))
    assert matches["werkgevers-informatie-regelingen"].eligible
    assert "For employers" in reasons_en(matches["werkgevers-informatie-regelingen"])
    assert matches["inclusief-werkgeven-jobcarving"].eligible
    assert matches["no-riskpolis"].possibly  # is the candidate in the target-group register?
    assert "target-group register" in matches["no-riskpolis"].checks[0].en
    for resident_only in ("loopbaanadvies", "perspectief-50plus", "van-werk-naar-werk"):
        assert resident_only not in matches
    client.force_login(guide)
    page = client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    assert "Informatie over alle regelingen voor werkgevers" in page
    assert "Check first:" in page and "Possibly" in page


def test_unknown_age_shows_possibly_with_what_to_check(client, menu, guide):
    contact = factories.contact(
        menu, guide, question="Ik heb geen diploma en zoek werk.", municipality="Almelo"
    )
    matches = codes(selectors.eligible_for_contact(contact))
    youth = matches["jongerenloket-almelo"]
    assert youth.possibly
    assert [r.en for r in youth.checks] == ["Ask the age: only aged 16 to 27"]
    client.force_login(guide)
    page = client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    assert "Ask the age: only aged 16 to 27" in page


def test_no_menu_loaded_shows_an_empty_section(client, twente, guide):
    contact = factories.contact(twente, guide)
    client.force_login(guide)
    page = client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    assert "No service of the menu fits what is recorded so far." in page


def test_contact_screen_queries_do_not_grow_with_the_services(client, menu, guide):
    contact = factories.contact(menu, guide, municipality="Rijssen-Holten", age=40)
    client.force_login(guide)
    url = reverse("frontdoor:contact_detail", args=[contact.pk])
    client.get(url)  # warm up caches (sessions, rule sets)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for n in range(15):
        make_service(menu, f"extra-{n}", capacity=10, places_left=n % 3)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)


# --------------------------------------------------------------------------- live intake


def test_live_intake_proposal_shows_the_top_5(client, menu, guide):
    client.force_login(guide)
    response = client.post(
        reverse("frontdoor:triage_preview"),
        {
            "question": "Ik heb WW en zoek werk als kok.",
            "municipality": Municipality.objects.get(name="Rijssen-Holten").pk,
            "age": "58",
            "benefit": "ww",
            "asker_type": "resident",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="proposal"' in page and "Eligible services" in page
    assert page.count('class="badge badge--accepted"') + page.count('badge badge--pending">') == 5
    assert "Perspectief 50+" in page
    empty = client.post(reverse("frontdoor:triage_preview"), {"question": ""})
    assert "Eligible services" not in empty.content.decode()


# --------------------------------------------------------------------------- public pages


def test_public_list_and_filters(client, menu):
    page = client.get(LIST)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Services in Twente" in text and "Jobcoach" in text
    assert "approved by Portefeuillehoudersoverleg" in text
    employers = client.get(LIST, {"for": "employer"}).content.decode()
    assert "Informatie over alle regelingen voor werkgevers" in employers
    assert "Jobcoach" in employers  # open to both
    assert "Loopbaanadvies" not in employers  # residents only
    uwv = client.get(LIST, {"provider": "uwv-twente"}).content.decode()
    assert "No-riskpolis" in uwv and "Jobcoach" not in uwv
    debts = client.get(LIST, {"theme": "debts"}).content.decode()
    assert "Schuldhulpverlening Almelo" in debts and "Jobcoach" not in debts
    found = client.get(LIST, {"q": "Greet"}).content.decode()
    assert "1 service found." in found
    # invalid filter values are ignored, never an error
    odd = client.get(LIST, {"for": "alien", "provider": "x", "theme": "y", "page": "x"})
    assert odd.status_code == 200 and "Jobcoach" in odd.content.decode()
    none = client.get(LIST, {"q": "zzzzzz"}).content.decode()
    assert "No service matches your search" in none


def test_public_list_queries_do_not_grow(client, menu):
    client.get(LIST)
    with CaptureQueriesContext(connection) as before:
        client.get(LIST)
    for n in range(10):
        make_service(menu, f"aaa-extra-{n}", provider="uwv-twente")
    with CaptureQueriesContext(connection) as after:
        client.get(LIST)
    assert len(after) == len(before)


def test_public_detail(client, menu):
    service = Service.objects.get(region=menu, code="jongerenloket-enschede")
    page = client.get(reverse("menu:detail", args=[service.pk])).content.decode()
    assert "Jongerenloket Enschede" in page
    assert "For residents, aged 16 to 27" in page and "Enschede" in page
    assert "How to apply" in page and "14 053" in page
    full = Service.objects.get(region=menu, code="ontwikkelpad-zorg")
    page = client.get(reverse("menu:detail", args=[full.pk])).content.decode()
    assert "Full: there are no places left this period." in page
    llo = Service.objects.get(region=menu, code="llo-gesprek")
    page = client.get(reverse("menu:detail", args=[llo.pk])).content.decode()
    assert "Walk in without an appointment" in page and "Bibliotheek Hengelo" in page
    assert "Edit this service" not in page


def test_expired_and_inactive_services_are_not_public(client, menu, guide):
    yesterday = timezone.localdate() - timedelta(days=1)
    old = make_service(menu, "oude-regeling", name="Oude regeling", valid_until=yesterday)
    gone = make_service(menu, "weg", name="Weg", active=False)
    assert client.get(reverse("menu:detail", args=[old.pk])).status_code == 404
    assert client.get(reverse("menu:detail", args=[gone.pk])).status_code == 404
    assert "Oude regeling" not in client.get(LIST).content.decode()
    client.force_login(guide)  # staff may still open an expired one
    assert client.get(reverse("menu:detail", args=[old.pk])).status_code == 200


# --------------------------------------------------------------------------- edit, approval


def test_coordinator_edit_makes_a_new_version_awaiting_approval(client, menu, coordinator):
    service = Service.objects.get(region=menu, code="jobcoach")
    client.force_login(coordinator)
    url = reverse("menu:edit", args=[service.pk])
    form = client.get(url)
    assert form.status_code == 200 and 'name="description"' in form.content.decode()
    data = {
        "name": service.name,
        "description": "Een jobcoach helpt je op je nieuwe werkplek.",
        "target_groups": "werkzoekenden, werkgevers",
        "topics": service.topics,
        "costs": service.costs,
        "funding": service.funding,
        "how_to_apply": service.how_to_apply,
        "contact_name": service.contact_name,
        "email": service.email,
        "capacity": service.capacity,
        "capacity_period": service.capacity_period,
        "places_left": service.places_left,
        "budget_available": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.version == 2 and service.awaiting_approval
    assert service.edited_by == coordinator
    assert service.target_groups == ["werkzoekenden", "werkgevers"]
    # availability alone keeps the version
    client.post(url, {**data, "places_left": 0})
    service.refresh_from_db()
    assert service.version == 2 and service.is_full
    # invalid input: the form again with the error, nothing changed
    bad = client.post(url, {**data, "places_left": 500})
    assert bad.status_code == 400 and "Places left cannot be more" in bad.content.decode()
    detail = client.get(reverse("menu:detail", args=[service.pk])).content.decode()
    assert "Awaiting PHA approval" in detail and "Edit this service" in detail


def test_only_coordinators_of_the_region_edit(client, menu, guide, achterhoek):
    service = Service.objects.get(region=menu, code="jobcoach")
    url = reverse("menu:edit", args=[service.pk])
    assert client.get(url).status_code == 302  # to the login
    client.force_login(guide)
    assert client.get(url).status_code == 403
    client.force_login(make_user("coord_ah", Role.COORDINATOR, achterhoek))
    assert client.get(url).status_code == 403


def test_administrator_records_the_approval(client, menu, coordinator, administrator):
    service = Service.objects.get(region=menu, code="jobcoach")
    service.version, service.approved_by, service.approved_on = 2, "", None
    service.save()
    url = reverse("menu:approve", args=[service.pk])
    client.force_login(coordinator)
    assert client.post(url, {"approved_by": "PHA", "approved_on": "2026-03-01"}).status_code == 403
    client.force_login(administrator)
    detail = client.get(reverse("menu:detail", args=[service.pk])).content.decode()
    assert "Record the PHA&#x27;s approval" in detail or "Record the PHA's approval" in detail
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.post(url, {"approved_by": "PHA Twente", "approved_on": future})
    service.refresh_from_db()
    assert service.awaiting_approval  # a future date is refused
    response = client.post(url, {"approved_by": "PHA Twente", "approved_on": "2026-03-01"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.approved_by, service.approved_on) == ("PHA Twente", date(2026, 3, 1))
    assert not service.awaiting_approval


def test_reasons_in_dutch_by_default(client, menu, guide, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    contact = factories.contact(
        menu, guide, question="Ik heb WW.", municipality="Rijssen-Holten", age=58, benefit="ww"
    )
    client.force_login(guide)
    page = client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    assert "Leeftijd 58 (50 jaar of ouder)" in page and "Uitkering: WW" in page
    detail = client.get(
        reverse("menu:detail", args=[Service.objects.get(region=menu, code="jobcoach").pk])
    ).content.decode()
    assert "Voor iedereen: inwoners en werkgevers, met of zonder uitkering." in detail
