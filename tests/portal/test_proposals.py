"""Employers see the candidates proposed to them, anonymised until the candidate agrees; they
ask questions through the front door to their account holder."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.candidates.test_placements import esco, make_candidate, municipality
from tests.conftest import make_user
from werkcentrum.accounts.models import Role
from werkcentrum.candidates import services
from werkcentrum.candidates.models import ProposalStatus
from werkcentrum.employers.models import Employer, EmployerContact
from werkcentrum.frontdoor.errors import NotAllowed
from werkcentrum.frontdoor.models import Contact
from werkcentrum.matching import services as matching
from werkcentrum.privacy.models import ProcessingLogEntry
from werkcentrum.residents.accounts import register_by_email
from werkcentrum.vacancies import services as vacancy_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_indexes():
    matching.reset_indexes()
    yield
    matching.reset_indexes()


@pytest.fixture
def adviser(twente):
    return make_user("adviser", Role.EMPLOYER_ADVISER, twente)


@pytest.fixture
def salon(twente, adviser):
    return Employer.objects.create(
        region=twente,
        name="Salon Kamphuis",
        kvk_number="11223344",
        account_holder=adviser,
        municipality=municipality("Oldenzaal"),
    )


@pytest.fixture
def employer_user(twente, salon):
    return make_user("salon", Role.EMPLOYER, twente, employer=salon)


@pytest.fixture
def proposal(adviser, salon, django_capture_on_commit_callbacks):
    vacancy = vacancy_services.create_vacancy(
        adviser,
        employer=salon,
        esco_id=esco("kapper"),
        title="Kapster",
        hours=32,
        municipality=municipality("Oldenzaal"),
    )
    candidate = make_candidate(adviser, last="Veldkamp", skills=["knippen", "kleuren"])
    proposal = services.shortlist(
        adviser, vacancy=vacancy, candidate=candidate, match={"score": 81}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.move_proposal(adviser, proposal, ProposalStatus.PROPOSED)
    proposal.refresh_from_db()
    return proposal


def test_employer_sees_a_proposal_anonymised_until_the_candidate_agrees(
    client, twente, employer_user, proposal
):
    person = proposal.candidate.person
    # The candidate was told by e-mail where to decide.
    assert any("/mijn/toestemmingen/" in m.body for m in mail.outbox)
    client.force_login(employer_user)
    page = client.get(reverse("portal:proposals")).content.decode()
    assert proposal.pseudonym in page and "knippen" in page
    assert person.last_name not in page and person.email not in page
    assert not ProcessingLogEntry.objects.filter(actor=employer_user).exists()

    resident, _ = register_by_email(
        twente, first_name=person.first_name, last_name=person.last_name, email=person.email
    )
    assert resident.person == person
    client.force_login(resident)
    consents = client.get(reverse("residents:consents")).content.decode()
    assert "Salon Kamphuis" in consents
    client.post(reverse("residents:identity", args=[proposal.pk]), {"share": "1"})

    client.force_login(employer_user)
    page = client.get(reverse("portal:proposals")).content.decode()
    assert person.last_name in page and person.email in page
    entry = ProcessingLogEntry.objects.get(actor=employer_user, subject_person=person)
    assert entry.actor_organisation == "Salon Kamphuis"

    # The candidate changes their mind: anonymous again at once.
    client.force_login(resident)
    client.post(reverse("residents:identity", args=[proposal.pk]), {"share": "0"})
    client.force_login(employer_user)
    assert person.last_name not in client.get(reverse("portal:proposals")).content.decode()


def test_shortlisted_candidates_are_not_shown_and_others_employers_see_nothing(
    client, twente, adviser, employer_user, proposal
):
    other = Employer.objects.create(region=twente, name="Bakkerij", kvk_number="87654321")
    other_user = make_user("bakker", Role.EMPLOYER, twente, employer=other)
    client.force_login(other_user)
    assert proposal.pseudonym not in client.get(reverse("portal:proposals")).content.decode()
    with pytest.raises(NotAllowed):
        services.decide_identity(other_user, proposal, share=True)


def test_another_resident_cannot_decide(client, twente, proposal):
    intruder, _ = register_by_email(
        twente, first_name="Iemand", last_name="Anders", email="iemand@example.org"
    )
    client.force_login(intruder)
    assert (
        client.post(reverse("residents:identity", args=[proposal.pk]), {"share": "1"}).status_code
        == 404
    )
    proposal.refresh_from_db()
    assert proposal.identity_shared_at is None


def test_the_adviser_can_record_the_candidates_answer(client, adviser, employer_user, proposal):
    client.force_login(adviser)
    client.post(reverse("vacancies:proposal_identity", args=[proposal.pk]), {"share": "1"})
    proposal.refresh_from_db()
    assert proposal.identity_shared_at is not None


def test_employer_question_goes_through_the_front_door_to_the_account_holder(
    client, twente, adviser, employer_user, salon, django_capture_on_commit_callbacks
):
    client.force_login(employer_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("portal:ask"),
            {"question": "Welke subsidie geldt bij een proefplaatsing?"},
        )
    contact = Contact.objects.get()
    assert contact.asker_type == "employer" and contact.organisation_name == "Salon Kamphuis"
    assert EmployerContact.objects.get(employer=salon).front_door_contact == contact
    assert any(adviser.email in m.to for m in mail.outbox)
    assert contact.reference in client.get(reverse("portal:home")).content.decode()
    # An empty question changes nothing.
    client.post(reverse("portal:ask"), {"question": " "})
    assert Contact.objects.count() == 1
