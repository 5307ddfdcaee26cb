"""Candidate profiles: consent, who may see a profile, and the processing log on reading one."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from tests.conftest import make_user
from tests.factories import contact, handover, person
from werkcentrum.accounts.models import Role
from werkcentrum.candidates import services
from werkcentrum.candidates.models import CandidateProfile
from werkcentrum.employers.models import Employer
from werkcentrum.frontdoor.errors import NotAllowed, ServiceError
from werkcentrum.matching import services as matching
from werkcentrum.occupations.normalise import default_normaliser
from werkcentrum.portal import services as portal
from werkcentrum.privacy.models import ProcessingLogEntry
from werkcentrum.regions.models import Municipality
from werkcentrum.vacancies import services as vacancy_services


@pytest.fixture(autouse=True)
def _fresh_indexes():
    matching.reset_indexes()
    yield
    matching.reset_indexes()


def esco(title: str) -> str:
    return default_normaliser().normalise(title, top=1)[0].esco_id


def municipality(name: str) -> Municipality:
    return Municipality.objects.get(name=name)


def make_candidate(
    adviser,
    *,
    first="Yvonne",
    last="Jansen",
    place="Oldenzaal",
    titles=("kapper",),
    consent=True,
    p=None,
    **fields,
):
    p = p or person(adviser.region, first=first, last=last, municipality=place)
    fields.setdefault("benefit_regime", "ww")
    return services.save_profile(
        adviser,
        person=p,
        occupations=[esco(t) for t in titles],
        consent=consent,
        municipality=municipality(place),
        **fields,
    )


@pytest.fixture
def adviser(twente):
    return make_user("adviser", Role.EMPLOYER_ADVISER, twente)


@pytest.fixture
def salon(twente):
    return Employer.objects.create(region=twente, name="Salon Kamphuis", kvk_number="11223344")


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


def test_consent_is_recorded_withdrawn_and_given_again(adviser, coordinator):
    profile = make_candidate(adviser)
    assert profile.has_consent and profile.consent_recorded_by == adviser
    assert profile.consent_given_at is not None and profile.consent_withdrawn_at is None
    assert profile.occupations == [
        {"esco_id": esco("kapper"), "isco_group": "5141", "label": "kapper"}
    ]
    given_at = profile.consent_given_at

    profile = make_candidate(adviser, p=profile.person, consent=False)
    assert not profile.has_consent and profile.consent_withdrawn_at is not None
    assert CandidateProfile.objects.with_consent().count() == 0

    profile = make_candidate(coordinator, p=profile.person, consent=True)
    assert profile.has_consent and profile.consent_recorded_by == coordinator
    assert profile.consent_given_at > given_at and profile.consent_withdrawn_at is None
    assert CandidateProfile.objects.count() == 1


def test_profile_without_consent_records_no_consent(adviser):
    profile = make_candidate(adviser, consent=False)
    assert profile.consent_given_at is None and profile.consent_recorded_by is None
    assert not profile.has_consent and not profile.matchable


def test_profile_rules(adviser, achterhoek, manager):
    with pytest.raises(ServiceError):
        make_candidate(adviser, titles=())
    with pytest.raises(ServiceError):
        make_candidate(adviser, hours_min=32, hours_max=16)
    with pytest.raises(NotAllowed):
        make_candidate(manager)
    with pytest.raises(NotAllowed):
        make_candidate(
            make_user("adviser_ah", Role.EMPLOYER_ADVISER, achterhoek),
            p=person(adviser.region, last="Nijhuis"),
        )
    bijstand = make_candidate(adviser, last="Bouzid", place="Enschede", benefit_regime="bijstand")
    assert bijstand.benefit_municipality == municipality("Enschede")
    assert not CandidateProfile.objects.exclude(pk=bijstand.pk).exists()


def test_without_consent_not_matched_and_not_in_the_portal(twente, adviser, salon, vacancy):
    consenting = [make_candidate(adviser, last=f"Kapper{i}") for i in range(5)]
    refused = make_candidate(adviser, last="Geentoestemming", consent=False)
    ids = [r.id for r in matching.candidates_for(vacancy, top=50)]
    assert set(ids) == {c.pk for c in consenting} and refused.pk not in ids

    employer_user = make_user("salon", Role.EMPLOYER, twente, employer=salon)
    groups, _result = portal.search(employer_user, log=False)
    members = {m for g in groups for m in g["_members"]}
    assert refused.pk not in members and members <= {c.pk for c in consenting}
    assert sum(g["count"] for g in groups) <= 5


def test_visible_to_only_advisers_with_a_reason(
    twente,
    achterhoek,
    adviser,
    guide,
    coordinator,
    manager,
    administrator,
    uwv,
    uwv_employee,
    salon,
):
    # A person the UWV has an active handover for, and one it has not.
    handed_over = contact(twente, guide)
    handover(handed_over, guide, uwv)
    with_handover = make_candidate(adviser, p=handed_over.person)
    without = make_candidate(adviser, last="Ter Horst")
    both = {with_handover.pk, without.pk}

    def visible(user):
        return set(CandidateProfile.objects.visible_to(user).values_list("pk", flat=True))

    assert visible(adviser) == both  # employer adviser of the region
    assert visible(guide) == both  # front office of the region
    assert visible(coordinator) == both
    assert visible(administrator) == both
    assert visible(make_user("adviser_ah", Role.EMPLOYER_ADVISER, achterhoek)) == set()
    assert visible(make_user("guide_ah", Role.GUIDE, achterhoek)) == set()
    assert visible(manager) == set()
    assert visible(make_user("salon", Role.EMPLOYER, twente, employer=salon)) == set()
    assert visible(uwv_employee) == {with_handover.pk}
    assert visible(AnonymousUser()) == set()


def test_partner_loses_sight_when_the_consent_is_withdrawn(
    twente, adviser, guide, uwv, uwv_employee
):
    from werkcentrum.frontdoor import services as frontdoor

    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    profile = make_candidate(adviser, p=c.person)
    assert list(CandidateProfile.objects.visible_to(uwv_employee)) == [profile]
    frontdoor.withdraw_consent(h.consent, guide)
    assert list(CandidateProfile.objects.visible_to(uwv_employee)) == []


def test_opening_a_profile_writes_a_read_in_the_processing_log(client, adviser):
    profile = make_candidate(adviser)
    ProcessingLogEntry.objects.all().delete()
    client.force_login(adviser)
    response = client.get(reverse("candidates:detail", args=[profile.pk]))
    assert response.status_code == 200 and "Yvonne Jansen" in response.content.decode()
    entry = ProcessingLogEntry.objects.get()
    assert (entry.activity_id, entry.operation) == ("candidate_profile", "read")
    assert entry.actor == adviser and entry.actor_role == "employer_adviser"
    assert entry.subject_person == profile.person
    assert (entry.object_type, entry.object_id) == ("candidateprofile", str(profile.pk))


def test_saving_a_profile_is_logged_as_create_then_update(adviser):
    profile = make_candidate(adviser)
    make_candidate(adviser, p=profile.person, skills=["knippen"])
    operations = list(
        ProcessingLogEntry.objects.filter(
            subject_person=profile.person, activity_id="candidate_profile"
        )
        .order_by("pk")
        .values_list("operation", flat=True)
    )
    assert operations == ["create", "update"]


def test_profile_pages_closed_to_others(client, twente, achterhoek, adviser, manager, salon):
    profile = make_candidate(adviser)
    url = reverse("candidates:detail", args=[profile.pk])
    ProcessingLogEntry.objects.all().delete()
    client.force_login(make_user("adviser_ah", Role.EMPLOYER_ADVISER, achterhoek))
    assert client.get(url).status_code == 404
    for user in (manager, make_user("salon", Role.EMPLOYER, twente, employer=salon)):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.get(reverse("candidates:list")).status_code == 403
    assert not ProcessingLogEntry.objects.filter(operation="read").exists()
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_list_shows_profiles_of_the_region_and_logs_the_reads(client, adviser):
    profiles = [make_candidate(adviser, last=name) for name in ("Wolters", "Leferink")]
    ProcessingLogEntry.objects.all().delete()
    client.force_login(adviser)
    html = client.get(reverse("candidates:list")).content.decode()
    assert "Yvonne Wolters" in html and "Yvonne Leferink" in html
    assert set(ProcessingLogEntry.objects.values_list("subject_person", flat=True)) == {
        p.person_id for p in profiles
    }


def test_front_office_creates_a_profile_with_consent_through_the_form(client, twente, guide):
    p = person(twente, last="Kamphuis", municipality="Hengelo")
    client.force_login(guide)
    url = reverse("candidates:edit", args=[p.pk])
    assert client.get(url).status_code == 200
    data = {
        "occupations": [esco("kapper"), esco("schoonheidsspecialist")],
        "skills": "Knippen, Kleuren",
        "experience_years": "3",
        "education_level": "3",
        "hours_min": "16",
        "hours_max": "32",
        "municipality": str(municipality("Hengelo").pk),
        "travel_radius_km": "20",
        "work_fit": "on",
        "benefit_regime": "bijstand",
        "available": "on",
        "consent": "on",
    }
    response = client.post(url, data)
    profile = CandidateProfile.objects.get(person=p)
    assert response.status_code == 302 and response.url == reverse(
        "candidates:detail", args=[profile.pk]
    )
    assert profile.has_consent and profile.consent_recorded_by == guide
    assert [o["esco_id"] for o in profile.occupations] == data["occupations"]
    assert profile.skills == [
        "knippen",
        "kleuren",
    ] and profile.benefit_municipality == municipality("Hengelo")

    data.pop("consent")
    client.post(url, data)
    profile.refresh_from_db()
    assert not profile.has_consent and profile.consent_withdrawn_at is not None


def test_employer_adviser_can_open_the_edit_link_on_the_profile(client, adviser):
    profile = make_candidate(adviser)
    client.force_login(adviser)
    detail = client.get(reverse("candidates:detail", args=[profile.pk]))
    edit_url = reverse("candidates:edit", args=[profile.person_id])
    assert edit_url in detail.content.decode()
    assert client.get(edit_url).status_code == 200


def candidate_list_queries(client, region, adviser, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from werkcentrum.frontdoor.models import Person

    place = municipality("Almelo")
    start = Person.objects.count()
    persons = Person.objects.bulk_create(
        [
            Person(
                region=region, first_name="Lotte", last_name=f"Lijst{start + i}", municipality=place
            )
            for i in range(n)
        ]
    )
    CandidateProfile.objects.bulk_create(
        [
            CandidateProfile(
                person=p,
                region=region,
                municipality=place,
                benefit_regime="ww",
                occupations=[{"esco_id": "x", "isco_group": "5120", "label": "kok"}],
                consent_given_at=timezone.now(),
            )
            for p in persons
        ]
    )
    client.force_login(adviser)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("candidates:list"))
    assert response.status_code == 200
    return len(response.context["candidates"]), len(queries)


def test_candidate_list_uses_a_fixed_number_of_queries(
    client, twente, adviser, django_assert_max_num_queries
):
    small_rows, small = candidate_list_queries(client, twente, adviser, 3)
    large_rows, large = candidate_list_queries(client, twente, adviser, 80)
    assert (small_rows, large_rows) == (3, 83)
    assert small == large
    with django_assert_max_num_queries(7):
        client.get(reverse("candidates:list"))
