"""Shortlists, proposals and placements: from the vacancy page to the placement that counts."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.factories import person
from werkcentrum.accounts.models import Role
from werkcentrum.candidates import services
from werkcentrum.candidates.models import Placement, Proposal, ProposalStatus
from werkcentrum.employers.models import Employer, EmployerContactPerson, NpsSurvey
from werkcentrum.frontdoor.errors import Conflict, NotAllowed, ServiceError
from werkcentrum.matching import services as matching
from werkcentrum.occupations.normalise import default_normaliser
from werkcentrum.privacy.models import ProcessingLogEntry
from werkcentrum.regions.models import Municipality
from werkcentrum.vacancies import services as vacancy_services
from werkcentrum.vacancies.models import VacancyStatus


@pytest.fixture(autouse=True)
def _fresh_indexes():
    matching.reset_indexes()
    yield
    matching.reset_indexes()


def esco(title: str) -> str:
    return default_normaliser().normalise(title, top=1)[0].esco_id


def municipality(name: str) -> Municipality:
    return Municipality.objects.get(name=name)


@pytest.fixture
def adviser(twente):
    return make_user("adviser", Role.EMPLOYER_ADVISER, twente)


@pytest.fixture
def salon(twente):
    employer = Employer.objects.create(region=twente, name="Salon Kamphuis", kvk_number="11223344")
    EmployerContactPerson.objects.create(
        employer=employer, name="Wilma Pots", email="wilma@salon.example"
    )
    return employer


@pytest.fixture
def vacancy(adviser, salon):
    return vacancy_services.create_vacancy(
        adviser,
        employer=salon,
        esco_id=esco("kapper"),
        title="Kapster",
        hours=32,
        municipality=municipality("Oldenzaal"),
    )


def make_candidate(adviser, last="Jansen", consent=True, regime="ww", **fields):
    p = person(adviser.region, last=last, municipality="Oldenzaal")
    return services.save_profile(
        adviser,
        person=p,
        occupations=[esco("kapper")],
        consent=consent,
        municipality=municipality("Oldenzaal"),
        benefit_regime=regime,
        **fields,
    )


@pytest.fixture
def candidate(adviser):
    return make_candidate(adviser, regime="bijstand")


def test_shortlist_from_the_vacancy_page_stores_the_explained_match(
    client, adviser, vacancy, candidate
):
    client.force_login(adviser)
    response = client.post(
        reverse("vacancies:shortlist", args=[vacancy.pk]), {"candidate": candidate.pk}
    )
    assert response.status_code == 302 and response.url == reverse(
        "vacancies:detail", args=[vacancy.pk]
    )
    proposal = Proposal.objects.get()
    assert (proposal.vacancy, proposal.candidate, proposal.status) == (
        vacancy,
        candidate,
        "shortlisted",
    )
    assert proposal.created_by == adviser
    match = proposal.match
    assert match["id"] == candidate.pk and match["score"] > 0
    assert abs(sum(match["factors"].values()) - match["score"]) < 1e-5
    assert ProcessingLogEntry.objects.filter(
        operation="update", object_type="proposal", subject_person=candidate.person
    ).exists()
    # Shortlisting twice keeps one proposal.
    client.post(reverse("vacancies:shortlist", args=[vacancy.pk]), {"candidate": candidate.pk})
    assert Proposal.objects.count() == 1
    page = client.get(reverse("vacancies:detail", args=[vacancy.pk]))
    assert candidate.person.full_name in page.content.decode()


def test_shortlist_service_refuses_without_consent_and_after_withdrawal(
    adviser, vacancy, candidate
):
    refused = make_candidate(adviser, last="Nee", consent=False)
    with pytest.raises(ServiceError):
        services.shortlist(adviser, vacancy=vacancy, candidate=refused, match={})
    proposal = services.shortlist(adviser, vacancy=vacancy, candidate=candidate, match={})
    services.move_proposal(adviser, proposal, ProposalStatus.WITHDRAWN)
    with pytest.raises(Conflict):
        services.shortlist(adviser, vacancy=vacancy, candidate=candidate, match={})


def test_shortlisting_a_candidate_without_consent_shows_a_message(client, adviser, vacancy):
    refused = make_candidate(adviser, last="Nee", consent=False)
    client.force_login(adviser)
    response = client.post(
        reverse("vacancies:shortlist", args=[vacancy.pk]), {"candidate": refused.pk}
    )
    assert response.status_code == 302
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        (["proposed", "interview", "hired"], "proposed"),
        (["proposed", "rejected"], "interview"),
        (["withdrawn"], "proposed"),
        (["proposed", "hired"], "withdrawn"),
    ],
)
def test_proposal_moves(adviser, vacancy, candidate, path, refused):
    proposal = services.shortlist(adviser, vacancy=vacancy, candidate=candidate, match={})
    for step in path:
        proposal = services.move_proposal(adviser, proposal, step, note=f"naar {step}")
        assert proposal.status == step
    with pytest.raises(Conflict):
        services.move_proposal(adviser, proposal, refused)
    proposal.refresh_from_db()
    assert proposal.status == path[-1]
    assert proposal.note.splitlines() == [f"naar {step}" for step in path]


def test_shortlisted_cannot_jump_to_hired_and_view_reports_it(client, adviser, vacancy, candidate):
    proposal = services.shortlist(adviser, vacancy=vacancy, candidate=candidate, match={})
    client.force_login(adviser)
    url = reverse("vacancies:proposal_move", args=[proposal.pk])
    response = client.post(url, {"status": "hired"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    proposal.refresh_from_db()
    assert proposal.status == "shortlisted"
    response = client.post(url, {"status": "proposed", "note": "Gebeld"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    proposal.refresh_from_db()
    assert proposal.status == "proposed" and proposal.note == "Gebeld"


def test_only_employer_services_move_proposals(adviser, guide, vacancy, candidate):
    proposal = services.shortlist(adviser, vacancy=vacancy, candidate=candidate, match={})
    with pytest.raises(NotAllowed):
        services.move_proposal(guide, proposal, "proposed")
    with pytest.raises(NotAllowed):
        services.shortlist(guide, vacancy=vacancy, candidate=candidate, match={})


def test_placement_from_the_vacancy_page(
    client, adviser, salon, vacancy, candidate, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = services.shortlist(adviser, vacancy=vacancy, candidate=candidate, match={})
    services.move_proposal(adviser, proposal, "proposed")
    assert candidate.pk in [r.id for r in matching.candidates_for(vacancy)]
    client.force_login(adviser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("vacancies:placement", args=[vacancy.pk]),
            {
                "candidate": candidate.pk,
                "start_date": "2027-02-01",
                "hours": "28",
                "source": "direct_match",
                "ends_benefit": "partial",
                "benefit_regime": "ww",  # ignored: the regime comes from the candidate
            },
            follow=True,
        )
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    placement = Placement.objects.get()
    assert (placement.employer, placement.vacancy, placement.candidate) == (
        salon,
        vacancy,
        candidate,
    )
    assert placement.start_date == date(2027, 2, 1) and placement.hours == 28
    assert placement.benefit_regime == "bijstand" and placement.source == "direct_match"
    assert placement.benefit_municipality == municipality("Oldenzaal")  # the candidate's payer
    assert placement.ends_benefit == "partial" and placement.recorded_by == adviser
    assert placement.region == salon.region
    vacancy.refresh_from_db()
    proposal.refresh_from_db()
    candidate.refresh_from_db()
    assert vacancy.status == VacancyStatus.FILLED
    assert proposal.status == ProposalStatus.HIRED
    assert candidate.available is False
    survey = NpsSurvey.objects.get()
    assert survey.trigger == "placement" and survey.trigger_ref == f"placement-{placement.pk}"
    assert [m.to for m in mailoutbox] == [["wilma@salon.example"]]
    # The placed candidate drops out of the ranking without a rebuild.
    other = vacancy_services.create_vacancy(
        adviser,
        employer=salon,
        esco_id=esco("kapper"),
        title="Kapper",
        hours=32,
        municipality=municipality("Oldenzaal"),
    )
    assert candidate.pk not in [r.id for r in matching.candidates_for(other)]


def test_placement_form_refuses_a_placement_without_candidate_and_regime(client, adviser, vacancy):
    client.force_login(adviser)
    response = client.post(
        reverse("vacancies:placement", args=[vacancy.pk]),
        {"start_date": "2027-02-01", "hours": "20", "source": "regular", "ends_benefit": "unknown"},
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Placement.objects.exists()
    vacancy.refresh_from_db()
    assert vacancy.status == "open"


def test_placement_without_candidate_with_a_regime(client, adviser, salon, vacancy):
    client.force_login(adviser)
    client.post(
        reverse("vacancies:placement", args=[vacancy.pk]),
        {
            "start_date": "2027-02-01",
            "hours": "20",
            "source": "job_hunting",
            "benefit_regime": "ww",
            "ends_benefit": "full",
        },
    )
    placement = Placement.objects.get()
    assert placement.candidate is None and placement.benefit_regime == "ww"
    assert placement.source == "job_hunting" and placement.vacancy == vacancy


def test_bijstand_placement_needs_the_paying_municipality(adviser, salon, vacancy):
    with pytest.raises(ServiceError) as error:
        services.record_placement(
            adviser,
            employer=salon,
            start_date=date(2027, 1, 1),
            hours=24,
            benefit_regime="bijstand",
            source="regular",
        )
    assert error.value.field == "benefit_municipality"
    placement = services.record_placement(
        adviser,
        employer=salon,
        start_date=date(2027, 1, 1),
        hours=24,
        benefit_regime="bijstand",
        source="regular",
        benefit_municipality=municipality("Losser"),
    )
    assert placement.benefit_municipality == municipality("Losser") and placement.vacancy is None


def test_placement_rules(adviser, achterhoek, salon, vacancy, candidate):
    start = date(2027, 1, 1)
    with pytest.raises(ServiceError) as error:
        services.record_placement(
            adviser, employer=salon, start_date=start, hours=24, benefit_regime="", source="regular"
        )
    assert error.value.field == "benefit_regime"
    with pytest.raises(ServiceError) as error:
        services.record_placement(
            adviser,
            employer=salon,
            start_date=start,
            hours=24,
            benefit_regime="ww",
            source="direct_match",
            candidate=candidate,
        )
    assert error.value.field == "benefit_regime"  # differs from the candidate's profile
    with pytest.raises(ServiceError) as error:
        services.record_placement(
            adviser,
            employer=salon,
            start_date=start,
            hours=0,
            benefit_regime="ww",
            source="regular",
        )
    assert error.value.field == "hours"
    with pytest.raises(ServiceError) as error:
        services.record_placement(
            adviser,
            employer=salon,
            start_date=start,
            hours=8,
            benefit_regime="ww",
            source="friends",
        )
    assert error.value.field == "source"
    other = Employer.objects.create(region=salon.region, name="Ander", kvk_number="99887766")
    with pytest.raises(ServiceError) as error:
        services.record_placement(
            adviser,
            employer=other,
            start_date=start,
            hours=8,
            benefit_regime="ww",
            source="regular",
            vacancy=vacancy,
        )
    assert error.value.field == "vacancy"
    with pytest.raises(NotAllowed):
        services.record_placement(
            make_user("ah", Role.EMPLOYER_ADVISER, achterhoek),
            employer=salon,
            start_date=start,
            hours=8,
            benefit_regime="ww",
            source="regular",
        )
    assert not Placement.objects.exists()
    vacancy.refresh_from_db()
    assert vacancy.status == "open"
