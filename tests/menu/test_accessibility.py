"""axe (WCAG 2.1 AA) on the service menu's screens in Debian's Chromium: the public list and
detail, and the guide's contact screen with the eligible services (a full service included)."""

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import axe, browser, login, new_context  # noqa: F401 - fixtures
from tests.e2e.test_accessibility import check
from tests.factories import contact as make_contact
from werkcentrum.menu.loader import load_menu
from werkcentrum.menu.models import Service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dutch_page(new_context):  # noqa: F811
    return new_context(language=None).new_page()


def open_all_details(page):
    for details in page.locator("details").all():
        details.evaluate("d => d.open = true")


def test_public_menu_pages(axe, dutch_page, twente, live_server):  # noqa: F811
    load_menu("twente")
    dutch_page.goto("/diensten/?for=resident")
    check(axe, dutch_page, "service menu")
    full = Service.objects.get(region=twente, code="ontwikkelpad-zorg")
    dutch_page.goto(f"/diensten/{full.pk}/")
    check(axe, dutch_page, "service detail")


def test_contact_screen_with_eligible_services(axe, dutch_page, twente, guide, live_server):  # noqa: F811
    load_menu("twente")
    contact = make_contact(
        twente, guide, question="Ik heb WW en zoek werk.", municipality="Rijssen-Holten", age=58
    )
    login(dutch_page, guide.username, PASSWORD)
    dutch_page.goto(f"/guide/contacts/{contact.pk}/")
    open_all_details(dutch_page)
    assert dutch_page.locator("#eligible-services").is_visible()
    check(axe, dutch_page, "contact with eligible services")
