"""The public vacancy search: shareable filters in the URL, good empty state, no personal data."""

import pytest
from django.urls import reverse

from werkcentrum.employers.models import Employer
from werkcentrum.occupations.normalise import default_normaliser
from werkcentrum.regions.models import Municipality
from werkcentrum.vacancies.models import Vacancy


def vacancy(region, title, place, **extra):
    employer, _ = Employer.objects.get_or_create(
        region=region, kvk_number="12345678", defaults={"name": "Zorg BV"}
    )
    match = default_normaliser().normalise(title, top=1)[0]
    return Vacancy.objects.create(
        region=region,
        employer=employer,
        title=title,
        esco_id=match.esco_id,
        occupation_label=match.label,
        isco_group=match.isco_group,
        hours=extra.pop("hours", 32),
        municipality=Municipality.objects.get(name=place),
        **extra,
    )


@pytest.fixture
def vacancies(twente):
    return {
        "driver": vacancy(twente, "Vrachtwagenchauffeur", "Almelo", hours=40),
        "nurse": vacancy(twente, "Verpleegkundige", "Enschede", work_and_learn=True, hours=24),
        "cook": vacancy(twente, "Kok", "Losser", hours=36),
        "closed": vacancy(twente, "Kok", "Almelo", status="filled"),
    }


def titles(response):
    return sorted(v.title for v in response.context["page"].object_list)


def test_all_open_vacancies_without_filters(client, vacancies):
    response = client.get(reverse("vacancies:public_search"))
    assert response.status_code == 200
    assert titles(response) == ["Kok", "Verpleegkundige", "Vrachtwagenchauffeur"]


def test_filters_combine_and_live_in_the_url(client, vacancies):
    url = reverse("vacancies:public_search")
    assert titles(client.get(url, {"q": "chauffeur"})) == ["Vrachtwagenchauffeur"]
    assert titles(client.get(url, {"work_and_learn": "1"})) == ["Verpleegkundige"]
    assert titles(client.get(url, {"hours_min": "30"})) == ["Kok", "Vrachtwagenchauffeur"]
    assert titles(client.get(url, {"place": "GM0168"})) == ["Kok"]  # Losser only
    near = client.get(url, {"place": "GM0168", "distance": "20"})  # Losser–Enschede ≈ 8 km
    assert titles(near) == ["Kok", "Verpleegkundige"]
    assert titles(client.get(url, {"chain": "care"})) == ["Verpleegkundige"]


def test_bad_parameters_are_ignored_not_errors(client, vacancies):
    response = client.get(
        reverse("vacancies:public_search"),
        {"hours_min": "abc", "distance": "-3", "chain": "<script>", "page": "999"},
    )
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_empty_state_points_to_the_question_form(client, vacancies):
    response = client.get(reverse("vacancies:public_search"), {"q": "astronaut op de maan"})
    assert titles(response) == []
    assert reverse("frontdoor:ask") in response.content.decode()


def test_public_detail_of_open_vacancy_only(client, vacancies):
    assert (
        client.get(reverse("vacancies:public_detail", args=[vacancies["nurse"].pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("vacancies:public_detail", args=[vacancies["closed"].pk])).status_code
        == 404
    )


def test_search_uses_a_fixed_number_of_queries(client, vacancies, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(reverse("vacancies:public_search"), {"place": "GM0168", "distance": "20"})
