"""Journey 4 end to end: an employer adviser registers a vacancy (title -> ESCO), sees ranked,
explained candidates, shortlists and records a placement; the employer searches anonymised
candidates in the portal and asks for contact."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import expect, login, logout
from werkcentrum.accounts.models import Role
from werkcentrum.candidates.models import Placement
from werkcentrum.employers.models import Employer
from werkcentrum.matching.services import reset_indexes
from werkcentrum.portal.models import ContactRequest
from werkcentrum.vacancies.models import Vacancy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def employer_setup(twente):
    reset_indexes()
    call_command(
        "generate",
        region="twente",
        employers=5,
        vacancies=0,
        candidates=250,
        seed=11,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    adviser = make_user("adviser", Role.EMPLOYER_ADVISER, twente)
    employer = Employer.objects.create(
        region=twente,
        name="Cevdet ICT Solutions",
        kvk_number="59876543",
        chain="ict",
        account_holder=adviser,
    )
    employer.contact_persons.create(name="Cevdet", email="cevdet@example.org")
    portal_user = make_user("cevdet", Role.EMPLOYER, twente, employer=employer)
    yield adviser, employer, portal_user
    reset_indexes()


def test_adviser_registers_vacancy_shortlists_and_records_placement(page, employer_setup):
    adviser, employer, _ = employer_setup
    login(page, "adviser", PASSWORD)
    page.goto(f"/vacancies/new/?employer={employer.pk}")
    page.locator("#id_title").press_sequentially("magazijnmedewerkster", delay=10)
    suggestion = page.locator("#occupation-suggestions input[name=esco_id]").first
    suggestion.wait_for()
    expect(page.locator("#occupation-suggestions")).to_contain_text("magazijnmedewerker")
    page.locator("#id_hours").fill("32")
    page.locator("#id_municipality").select_option(label="Almelo")
    page.locator("#id_required_skills").fill("orderpicken, heftruckcertificaat")
    page.get_by_role("button", name="Register vacancy").click()

    vacancy = Vacancy.objects.get(employer=employer)
    assert vacancy.occupation_label == "magazijnmedewerker"
    expect(page.locator("h1")).to_contain_text("magazijnmedewerkster")
    rows = page.locator("table tbody tr")
    assert rows.count() > 0
    expect(rows.first).to_contain_text("occupation +")  # every score explains itself

    rows.first.get_by_role("button", name="Shortlist").click()
    expect(page.locator(".alert--success")).to_be_visible()
    page.locator("#id_candidate").select_option(index=1)
    page.locator("#id_source").select_option("direct_match")
    page.get_by_role("button", name="Record placement").click()
    expect(page.locator(".alert--success")).to_contain_text("targets")
    placement = Placement.objects.get(vacancy=vacancy)
    assert placement.source == "direct_match" and placement.candidate is not None
    vacancy.refresh_from_db()
    assert vacancy.status == "filled"


def test_employer_searches_anonymised_groups_and_asks_for_contact(page, employer_setup):
    _adviser, employer, _portal_user = employer_setup
    login(page, "cevdet", PASSWORD)
    page.goto("/portal/candidates/?search=1")
    counts = [int(c) for c in page.locator("table tbody tr td:first-child").all_inner_texts()]
    assert counts and min(counts) >= 5
    html = page.content()
    from werkcentrum.candidates.models import CandidateProfile

    for profile in CandidateProfile.objects.select_related("person")[:50]:
        assert profile.person.full_name not in html
    page.locator("table tbody tr").first.get_by_role("button", name="Ask for contact").click()
    expect(page.locator(".alert--success")).to_contain_text("account holder")
    request = ContactRequest.objects.get(employer=employer)
    assert len(request.member_ids) >= 5
    logout(page)
