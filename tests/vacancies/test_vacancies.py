"""Vacancies: registering with an ESCO occupation (title -> suggestions), status transitions,
and employers (portal users) posting for their own company only."""

import pytest
from django.urls import reverse

from tests.conftest import make_user
from werkcentrum.accounts.models import Role
from werkcentrum.employers.models import Employer
from werkcentrum.frontdoor.errors import Conflict, NotAllowed, ServiceError
from werkcentrum.matching.services import reset_indexes
from werkcentrum.occupations import registry
from werkcentrum.occupations.normalise import default_normaliser
from werkcentrum.regions.models import Municipality
from werkcentrum.vacancies import services
from werkcentrum.vacancies.models import Vacancy, VacancyStatus


@pytest.fixture(autouse=True)
def _fresh_indexes():
    reset_indexes()
    yield
    reset_indexes()


def esco(title: str) -> str:
    return default_normaliser().normalise(title, top=1)[0].esco_id


@pytest.fixture
def adviser(twente):
    return make_user("adviser", Role.EMPLOYER_ADVISER, twente)


@pytest.fixture
def enschede(twente):
    return Municipality.objects.get(region=twente, name="Enschede")


@pytest.fixture
def salon(twente, adviser):
    return Employer.objects.create(region=twente, name="Salon Kamphuis", kvk_number="11223344")


@pytest.fixture
def other_employer(twente):
    return Employer.objects.create(region=twente, name="Regge Bouw", kvk_number="55667788")


@pytest.fixture
def portal_user(twente, salon):
    return make_user("salon", Role.EMPLOYER, twente, employer=salon)


def form_data(enschede, **extra):
    data = {
        "title": "Kapster",
        "hours": "24",
        "municipality": str(enschede.pk),
        "education_level": "3",
        "required_skills": "Knippen, föhnen; kleuren",
        "source": "regular",
    }
    data.update(extra)
    return data


def test_title_without_chosen_esco_id_shows_suggestions_and_creates_nothing(
    client, adviser, salon, enschede
):
    client.force_login(adviser)
    url = reverse("vacancies:new") + f"?employer={salon.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(enschede))
    assert response.status_code == 200
    assert "esco_id" in response.context["form"].errors
    labels = [m.label for m in response.context["matches"]]
    assert labels and labels[0] == "kapper"
    assert 'name="esco_id"' in response.content.decode() and "kapper" in response.content.decode()
    assert not Vacancy.objects.exists()


def test_unknown_esco_id_is_refused(client, adviser, salon, enschede):
    client.force_login(adviser)
    url = reverse("vacancies:new") + f"?employer={salon.pk}"
    response = client.post(url, form_data(enschede, esco_id="not-an-esco-id"))
    assert response.status_code == 200 and "esco_id" in response.context["form"].errors
    assert not Vacancy.objects.exists()


def test_title_with_esco_id_creates_vacancy_with_occupation_and_isco(
    client, adviser, salon, enschede
):
    client.force_login(adviser)
    esco_id = esco("kapper")
    url = reverse("vacancies:new") + f"?employer={salon.pk}"
    response = client.post(url, form_data(enschede, esco_id=esco_id, postcode="7511 ab"))
    vacancy = Vacancy.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("vacancies:detail", args=[vacancy.pk])
    occupation = registry.occupation(esco_id)
    assert (vacancy.esco_id, vacancy.occupation_label, vacancy.isco_group) == (
        esco_id,
        occupation.label,
        occupation.isco_group,
    )
    assert vacancy.occupation_label == "kapper" and vacancy.isco_group == "5141"
    assert (
        vacancy.title == "Kapster" and vacancy.employer == salon and vacancy.region == salon.region
    )
    assert vacancy.status == VacancyStatus.OPEN and vacancy.created_by == adviser
    assert vacancy.required_skills == ["knippen", "föhnen", "kleuren"]
    assert vacancy.postcode == "7511AB" and vacancy.hours == 24 and vacancy.municipality == enschede


def test_occupation_suggestions_endpoint(client):
    response = client.get(reverse("vacancies:occupations"), {"title": "kapster"})
    assert response.status_code == 200
    assert response.context["matches"][0].label == "kapper"
    assert "kapper" in response.content.decode()
    empty = client.get(reverse("vacancies:occupations"), {"title": "   "})
    assert empty.status_code == 200 and list(empty.context["matches"]) == []


def test_status_transitions(adviser, salon, enschede):
    vacancy = services.create_vacancy(
        adviser,
        employer=salon,
        esco_id=esco("kapper"),
        title="Kapper",
        hours=32,
        municipality=enschede,
    )
    services.change_status(vacancy, adviser, VacancyStatus.FILLED)
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.FILLED
    with pytest.raises(Conflict):
        services.change_status(vacancy, adviser, VacancyStatus.EXPIRED)
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.FILLED
    services.change_status(vacancy, adviser, VacancyStatus.OPEN)  # reopened
    services.change_status(vacancy, adviser, VacancyStatus.WITHDRAWN)
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.WITHDRAWN


def test_status_view_changes_or_refuses(client, adviser, salon, enschede):
    vacancy = services.create_vacancy(
        adviser, employer=salon, esco_id=esco("kapper"), title="", hours=32, municipality=enschede
    )
    assert vacancy.title == "kapper"  # the occupation label when no title is given
    client.force_login(adviser)
    url = reverse("vacancies:status", args=[vacancy.pk])
    done = client.post(url, {"status": "filled"}, follow=True)
    assert [m.level_tag for m in done.context["messages"]] == ["success"]
    vacancy.refresh_from_db()
    assert vacancy.status == "filled"
    response = client.post(url, {"status": "expired"}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    vacancy.refresh_from_db()
    assert vacancy.status == "filled"
    client.post(url, {"status": "nonsense"})
    vacancy.refresh_from_db()
    assert vacancy.status == "filled"


def test_hours_out_of_range_and_other_region_are_refused(
    twente, achterhoek, adviser, salon, enschede
):
    with pytest.raises(ServiceError) as error:
        services.create_vacancy(
            adviser,
            employer=salon,
            esco_id=esco("kapper"),
            title="K",
            hours=61,
            municipality=enschede,
        )
    assert error.value.field == "hours"
    stranger = make_user("adviser_ah", Role.EMPLOYER_ADVISER, achterhoek)
    with pytest.raises(NotAllowed):
        services.create_vacancy(
            stranger,
            employer=salon,
            esco_id=esco("kapper"),
            title="K",
            hours=8,
            municipality=enschede,
        )
    assert not Vacancy.objects.exists()


def test_employer_posts_only_for_its_own_company(portal_user, salon, other_employer, enschede):
    own = services.create_vacancy(
        portal_user,
        employer=salon,
        esco_id=esco("kapper"),
        title="Kapster",
        hours=20,
        municipality=enschede,
    )
    assert own.employer == salon and own.created_by == portal_user
    with pytest.raises(ServiceError):
        services.create_vacancy(
            portal_user,
            employer=other_employer,
            esco_id=esco("kapper"),
            title="Kapster",
            hours=20,
            municipality=enschede,
        )
    assert not Vacancy.objects.filter(employer=other_employer).exists()
    theirs = Vacancy.objects.create(
        region=salon.region,
        employer=other_employer,
        title="Timmerman",
        esco_id=own.esco_id,
        occupation_label=own.occupation_label,
        isco_group=own.isco_group,
        hours=8,
        municipality=enschede,
    )
    with pytest.raises(ServiceError):
        services.update_vacancy(theirs, portal_user, hours=10)
    with pytest.raises(ServiceError):
        services.change_status(theirs, portal_user, VacancyStatus.FILLED)
    theirs.refresh_from_db()
    assert theirs.hours == 8 and theirs.status == VacancyStatus.OPEN
    assert services.change_status(own, portal_user, VacancyStatus.FILLED).status == "filled"


def test_employer_view_ignores_another_employer_in_the_url(
    client, portal_user, salon, other_employer, enschede
):
    client.force_login(portal_user)
    response = client.get(reverse("vacancies:new") + f"?employer={other_employer.pk}")
    assert response.status_code == 200 and response.context["employer"] == salon
    response = client.post(
        reverse("vacancies:new") + f"?employer={other_employer.pk}",
        form_data(enschede, esco_id=esco("kapper"), employer=str(other_employer.pk)),
    )
    assert response.status_code == 302 and response.url == reverse("portal:home")
    assert list(Vacancy.objects.values_list("employer", flat=True)) == [salon.pk]
    # The adviser screens stay closed to employers.
    vacancy = Vacancy.objects.get()
    assert client.get(reverse("vacancies:detail", args=[vacancy.pk])).status_code == 403
    assert client.get(reverse("vacancies:list")).status_code == 403


def test_employer_can_submit_the_form_as_rendered_without_source(
    client, portal_user, salon, enschede
):
    client.force_login(portal_user)
    page = client.get(reverse("vacancies:new"))
    assert 'name="source"' not in page.content.decode()
    data = form_data(enschede, esco_id=esco("kapper"))
    del data["source"]
    response = client.post(reverse("vacancies:new"), data)
    assert response.status_code == 302
    assert Vacancy.objects.get().source == "regular"


def test_other_roles_cannot_register_vacancies(client, guide, manager, salon):
    url = reverse("vacancies:new") + f"?employer={salon.pk}"
    for user in (guide, manager):
        client.force_login(user)
        assert client.get(url).status_code == 403
