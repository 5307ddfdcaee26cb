"""WCAG 2.1 AA with axe-core on every public and portal page added for self-service (issue 4):
the resident portal, the talent wall, training and vacancy search, and the employer portal —
in Dutch (the default), on a phone-sized and a desktop window."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import PHONE, login
from tests.e2e.test_accessibility import check, open_all_details
from tests.factories import contact as make_contact
from tests.factories import handover as make_handover
from werkcentrum.accounts.models import Role
from werkcentrum.appointments import services as appointments
from werkcentrum.frontdoor import services as frontdoor
from werkcentrum.residents.accounts import register_by_email

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = [
    ("training search", "/opleidingen/"),
    ("training search without results", "/opleidingen/?q=onderwaterlasser-astronaut"),
    ("talent wall", "/talentenmuur/"),
    ("vacancy search without results", "/vacatures/?q=onderwaterlasser-astronaut"),
    ("labour market", "/arbeidsmarkt/"),
    ("service menu", "/diensten/"),
    ("events", "/evenementen/"),
    ("resident login", "/mijn/inloggen/"),
    ("resident registration", "/mijn/registreren/"),
]


@pytest.fixture
def trainings(twente):
    from werkcentrum.training.loader import load_trainings

    load_trainings("twente")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name,url", PUBLIC, ids=[n for n, _ in PUBLIC])
def test_public_self_service_pages(axe, new_context, trainings, live_server, name, url, viewport):
    page = new_context(language=None, **({"viewport": viewport} if viewport else {})).new_page()
    page.goto(url)
    open_all_details(page)
    check(axe, page, name)


def test_public_detail_pages(axe, new_context, twente, guide, live_server):
    """A public vacancy page and the status page a resident opens from the receipt e-mail."""
    from django.core import signing

    from werkcentrum.employers.models import Employer
    from werkcentrum.frontdoor.views import RECEIPT_SALT
    from werkcentrum.regions.models import Municipality
    from werkcentrum.vacancies.models import Vacancy

    employer = Employer.objects.create(region=twente, name="Bakkerij Bos", kvk_number="12345678")
    vacancy = Vacancy.objects.create(
        region=twente,
        employer=employer,
        title="Bakker",
        esco_id="x",
        occupation_label="bakker",
        isco_group="7512",
        hours=32,
        municipality=Municipality.objects.get(name="Almelo"),
    )
    contact = make_contact(twente, guide)
    page = new_context(language=None).new_page()
    page.goto(f"/vacatures/{vacancy.pk}/")
    check(axe, page, "public vacancy")
    page.goto(f"/vraag/ontvangen/{signing.dumps(contact.pk, salt=RECEIPT_SALT)}/")
    check(axe, page, "question status page")


def test_training_detail_and_talent_wall_result(axe, new_context, trainings, live_server):
    from werkcentrum.training.models import Training

    page = new_context(language=None).new_page()
    page.goto(f"/opleidingen/{Training.objects.filter(active=True).first().pk}/")
    check(axe, page, "training detail")
    page.goto("/talentenmuur/")
    radios = page.locator("input[type=radio][value='4']")
    for i in range(radios.count()):
        radios.nth(i).check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/talentenmuur/resultaat/**")
    check(axe, page, "talent wall result")


@pytest.fixture
def resident_scene(twente, guide, uwv, coordinator):
    resident, _ = register_by_email(
        twente, first_name="Yvonne", last_name="Jansen", email="yvonne.jansen@example.org"
    )
    resident.set_password(PASSWORD)
    resident.save()
    contact = frontdoor.attach_person(make_contact(twente, guide), resident.person, guide)
    make_handover(contact, guide, uwv)
    point = twente.walk_in_points.get(code="oldenzaal-sociaal-plein")
    coordinator.walk_in_point = point
    coordinator.save()
    slots = appointments.publish_availability(
        coordinator, point, timezone.localdate() + timedelta(days=2), "09:00", "10:00"
    )
    appointments.book(resident, slots[0], resident.person)
    return {"resident": resident, "contact": contact, "point": point}


def resident_login(page, email):
    page.goto("/mijn/inloggen/")
    form = page.locator("form", has=page.locator("input[name=password]"))
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/mijn/")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_resident_portal_pages(axe, new_context, resident_scene, live_server, viewport):
    page = new_context(language=None, **({"viewport": viewport} if viewport else {})).new_page()
    resident_login(page, resident_scene["resident"].email)
    check(axe, page, "my werkcentrum")
    for name, url in [
        ("my question", f"/mijn/vragen/{resident_scene['contact'].pk}/"),
        ("ask", "/mijn/vraag/"),
        ("consents", "/mijn/toestemmingen/"),
        ("processing log", "/mijn/inzage/"),
        ("my data", "/mijn/gegevens/"),
        ("deletion", "/mijn/verwijderen/"),
        ("login settings", "/mijn/account/"),
        ("appointments with free times", f"/mijn/afspraken/?place={resident_scene['point'].pk}"),
    ]:
        page.goto(url)
        check(axe, page, name)
    page.goto("/mijn/vraag/")
    page.locator("main form button[type=submit]").click()
    check(axe, page, "ask with errors")


def test_employer_portal_pages(axe, new_context, twente, live_server):
    from werkcentrum.employers.models import Employer
    from werkcentrum.matching.services import reset_indexes

    reset_indexes()
    call_command(
        "generate",
        region="twente",
        employers=3,
        vacancies=3,
        candidates=120,
        seed=3,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    employer = Employer.objects.first()
    make_user("werkgever", Role.EMPLOYER, twente, employer=employer)
    page = new_context(language=None).new_page()
    login(page, "werkgever", PASSWORD)
    for name, url in [
        ("employer portal", "/portal/"),
        ("proposed candidates", "/portal/proposals/"),
        ("anonymised search", "/portal/candidates/?search=1"),
        ("new vacancy", "/vacancies/new/"),
    ]:
        page.goto(url)
        check(axe, page, name)
    reset_indexes()
