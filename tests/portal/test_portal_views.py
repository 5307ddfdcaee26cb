"""The employer portal: anonymised candidate groups (k >= 5), logged and rate-limited searches,
contact requests that go to the account holder, and no access for other roles."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from werkcentrum.accounts.models import Role
from werkcentrum.candidates.models import CandidateProfile
from werkcentrum.employers.models import Employer, EmployerContact
from werkcentrum.frontdoor.models import Person
from werkcentrum.matching.services import reset_indexes
from werkcentrum.occupations.normalise import default_normaliser
from werkcentrum.portal import services
from werkcentrum.portal.models import ContactRequest, PortalSearch
from werkcentrum.regions.models import Municipality

SEARCH = reverse("portal:search") + "?search=1"


@pytest.fixture(autouse=True)
def _fresh_indexes():
    reset_indexes()
    yield
    reset_indexes()


def add_candidates(
    region,
    n,
    *,
    title="kapper",
    place="Oldenzaal",
    last="Zwartkruis",
    consent=True,
    education=3,
    **fields,
):
    occupation = default_normaliser().normalise(title, top=1)[0]
    municipality = Municipality.objects.get(name=place)
    persons = Person.objects.bulk_create(
        [
            Person(
                region=region, first_name="Sanne", last_name=f"{last}{i}", municipality=municipality
            )
            for i in range(n)
        ]
    )
    return CandidateProfile.objects.bulk_create(
        [
            CandidateProfile(
                person=p,
                region=region,
                municipality=municipality,
                benefit_regime="ww",
                occupations=[
                    {
                        "esco_id": occupation.esco_id,
                        "isco_group": occupation.isco_group,
                        "label": occupation.label,
                    }
                ],
                education_level=education,
                hours_min=16,
                hours_max=32,
                experience_years=2,
                consent_given_at=timezone.now() if consent else None,
                **fields,
            )
            for p in persons
        ]
    )


@pytest.fixture
def salon(twente):
    return Employer.objects.create(region=twente, name="Salon Kamphuis", kvk_number="11223344")


@pytest.fixture
def employer_user(twente, salon):
    return make_user("salon", Role.EMPLOYER, twente, employer=salon)


@pytest.fixture
def pool(twente):
    eligible = (
        add_candidates(twente, 7)
        + add_candidates(twente, 6, place="Losser", last="Oudevrielink")
        + add_candidates(
            twente,
            1,
            title="softwareontwikkelaar",
            place="Haaksbergen",
            last="Uniekenaam",
            education=7,
        )
    )
    hidden = (
        add_candidates(twente, 3, last="Geentoestemming", consent=False)
        + add_candidates(twente, 2, last="Nietwerkfit", work_fit=False)
        + add_candidates(twente, 2, last="Nietbeschikbaar", available=False)
    )
    return eligible, hidden


def test_search_shows_only_groups_of_at_least_five_and_no_person(client, employer_user, pool):
    eligible, hidden = pool
    client.force_login(employer_user)
    response = client.get(SEARCH)
    assert response.status_code == 200
    groups = response.context["groups"]
    assert groups and all(g["count"] >= services.K for g in groups)
    members = {m for g in groups for m in g["_members"]}
    assert members <= {c.pk for c in eligible}
    assert not members & {c.pk for c in hidden}
    html = response.content.decode()
    for candidate in eligible + hidden:
        assert candidate.person.last_name not in html
    assert "Sanne" not in html and "Zwartkruis" not in html
    assert (
        not re.search(r"[^/]/candidates/\d", html) and "/persons/" not in html
    )  # no profile links
    hidden_inputs = set(re.findall(r'<input type="hidden" name="([^"]+)"', html))
    assert hidden_inputs <= {
        "csrfmiddlewaretoken",
        "search",
        "key",
        "chain",
        "subregion",
        "min_education",
    }
    for group in groups:  # only generalised attributes are shown, never an id
        assert set(group["attributes"]) == {
            "occupation",
            "place",
            "education",
            "hours",
            "experience",
            "work_and_learn",
        }


def test_too_few_candidates_shows_nothing(client, twente, employer_user):
    add_candidates(twente, 4)
    client.force_login(employer_user)
    response = client.get(SEARCH)
    assert response.context["groups"] == []
    assert "Zwartkruis" not in response.content.decode()
    assert PortalSearch.objects.get().groups_shown == 0


def test_every_search_is_logged(client, employer_user, salon, pool):
    client.force_login(employer_user)
    assert client.get(reverse("portal:search")).context["groups"] is None  # the form only
    assert not PortalSearch.objects.exists()
    response = client.get(SEARCH + "&chain=hospitality_retail&min_education=2&subregion=")
    search = PortalSearch.objects.get()
    assert (search.user, search.employer) == (employer_user, salon)
    assert search.params == {"chain": "hospitality_retail", "subregion": "", "min_education": 2}
    assert search.groups_shown == len(response.context["groups"])
    assert search.candidates_covered == sum(g["count"] for g in response.context["groups"])
    client.get(SEARCH + "&chain=bogus&min_education=99")
    assert PortalSearch.objects.order_by("pk").last().params == {
        "chain": "",
        "subregion": "",
        "min_education": None,
    }


def test_the_31st_search_within_an_hour_is_refused_and_not_logged(
    client, employer_user, salon, pool
):
    client.force_login(employer_user)
    for _ in range(services.SEARCHES_PER_HOUR):
        response = client.get(SEARCH)
        assert response.context["error"] == "" and response.context["groups"]
    assert PortalSearch.objects.count() == 30
    refused = client.get(SEARCH)
    assert refused.status_code == 200
    assert refused.context["error"] and refused.context["groups"] is None
    assert "30" in refused.context["error"] and refused.context["error"] in refused.content.decode()
    assert PortalSearch.objects.count() == 30
    # An hour later the employer can search again.
    PortalSearch.objects.update(at=timezone.now() - timedelta(hours=1, minutes=1))
    assert client.get(SEARCH).context["groups"]
    assert PortalSearch.objects.count() == 31


def test_rate_limit_is_per_user(client, twente, employer_user, salon, pool):
    for _ in range(services.SEARCHES_PER_HOUR):
        PortalSearch.objects.create(user=employer_user, employer=salon)
    colleague = make_user("salon2", Role.EMPLOYER, twente, employer=salon)
    client.force_login(colleague)
    assert client.get(SEARCH).context["error"] == ""


def test_contact_request_goes_to_the_account_holder_never_to_candidates(
    client, twente, employer_user, salon, pool, mailoutbox, django_capture_on_commit_callbacks
):
    adviser = make_user("adviser", Role.EMPLOYER_ADVISER, twente)
    salon.account_holder = adviser
    salon.save()
    client.force_login(employer_user)
    group = client.get(SEARCH).context["groups"][0]
    searches = PortalSearch.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:contact_request"),
            {
                "key": group["key"],
                "chain": "",
                "subregion": "",
                "min_education": "",
                "message": "Wij zoeken kappers",
            },
            follow=True,
        )
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    request = ContactRequest.objects.get()
    assert request.employer == salon and request.requested_by == employer_user
    assert sorted(request.member_ids) == sorted(group["_members"]) and len(request.member_ids) >= 5
    assert request.message == "Wij zoeken kappers" and request.status == "open"
    entry = EmployerContact.objects.get(employer=salon)
    assert (
        entry.channel == EmployerContact.Channel.FRONT_DOOR and entry.note == "Wij zoeken kappers"
    )
    assert str(group["count"]) in entry.subject
    assert entry in salon.contacts.all()  # in the log the account holder works from
    candidate_addresses = set(Person.objects.exclude(email="").values_list("email", flat=True))
    assert not any(set(m.to) & candidate_addresses for m in mailoutbox)
    # Only the account holder is told (one e-mail, to the adviser); never a candidate.
    assert [m.to for m in mailoutbox] == [[adviser.email]]
    assert PortalSearch.objects.count() == searches  # asking for contact is not a search
    # The account holder sees the request in the employer's contact log.
    client.force_login(adviser)
    assert (
        "Wij zoeken kappers"
        in client.get(reverse("employers:detail", args=[salon.pk])).content.decode()
    )


def test_contact_request_for_an_unknown_group_is_refused(client, employer_user, pool):
    client.force_login(employer_user)
    response = client.post(
        reverse("portal:contact_request"), {"key": "0123456789abcdef"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not ContactRequest.objects.exists() and not EmployerContact.objects.exists()
    assert client.get(reverse("portal:contact_request")).status_code == 405


def test_portal_home_lists_only_the_employers_own_vacancies(client, twente, employer_user, salon):
    from werkcentrum.vacancies.models import Vacancy

    other = Employer.objects.create(region=twente, name="Regge Bouw", kvk_number="55667788")
    place = Municipality.objects.get(name="Almelo")
    for employer, title in ((salon, "Kapster gezocht"), (other, "Timmerman gezocht")):
        Vacancy.objects.create(
            region=twente,
            employer=employer,
            title=title,
            esco_id="x",
            occupation_label="x",
            isco_group="5141",
            hours=20,
            municipality=place,
        )
    client.force_login(employer_user)
    html = client.get(reverse("portal:home")).content.decode()
    assert "Kapster gezocht" in html and "Timmerman gezocht" not in html


def test_other_roles_get_403_on_the_portal(
    client, twente, guide, coordinator, manager, administrator, uwv_employee, pool
):
    adviser = make_user("adviser", Role.EMPLOYER_ADVISER, twente)
    for user in (adviser, guide, coordinator, manager, administrator, uwv_employee):
        client.force_login(user)
        assert client.get(reverse("portal:home")).status_code == 403, user.role
        assert client.get(SEARCH).status_code == 403, user.role
        assert client.post(reverse("portal:contact_request"), {"key": "x"}).status_code == 403, (
            user.role
        )
    assert not PortalSearch.objects.exists() and not ContactRequest.objects.exists()
    client.logout()
    assert client.get(SEARCH).status_code == 302
