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


# --------------------------------------------------------------------------- distance from postcode
# Enschede's centre is ≈ 8 km from Losser and Hengelo and ≈ 22 km from Almelo.


def search(client, **params):
    return client.get(reverse("vacancies:public_search"), params)


def test_postcode_and_distance_find_nearby_vacancies_only(client, vacancies):
    response = search(client, postcode="7511 AB", distance="10")  # Enschede
    assert response.status_code == 200
    assert titles(response) == ["Kok", "Verpleegkundige"]  # Enschede and Losser, not Almelo
    assert response.context["postcode_place"].name == "Enschede"
    assert not response.context["postcode_unknown"]
    assert titles(search(client, postcode="7511", distance="30")) == [
        "Kok",
        "Verpleegkundige",
        "Vrachtwagenchauffeur",
    ]
    assert titles(search(client, postcode="7607", distance="5")) == ["Vrachtwagenchauffeur"]


def test_postcode_without_distance_searches_within_ten_km(client, vacancies):
    response = search(client, postcode=" 7511-ab ")
    assert titles(response) == ["Kok", "Verpleegkundige"]
    assert response.context["distance"] == 10
    assert '<option value="10" selected>' in response.content.decode()


def test_postcode_wins_over_place(client, vacancies):
    # place Almelo, postcode in Losser: searched around Losser
    response = search(client, place="GM0141", postcode="7581", distance="10")
    assert titles(response) == ["Kok", "Verpleegkundige"]
    assert response.context["origin"].name == "Losser"


@pytest.mark.parametrize(
    "postcode",
    [
        "1012 AB",  # Amsterdam: not in the table
        "7001 AA",  # Doetinchem: the Achterhoek, not this region (Twente)
        "7549",  # a gap in the table
        "0000",
        "abcdefg",
        "<b>7511",
        "７５１１",
        "7511 ABCDEFGHIJ",  # longer than the field allows
        "7" * 5000,
        "\x00",
    ],
)
def test_unknown_foreign_or_garbage_postcode_shows_a_message_and_is_ignored(
    client, vacancies, postcode
):
    response = search(client, postcode=postcode, distance="5")
    assert response.status_code == 200
    assert response.context["postcode_unknown"]
    assert response.context["postcode_place"] is None
    assert titles(response) == ["Kok", "Verpleegkundige", "Vrachtwagenchauffeur"]
    html = response.content.decode()
    assert 'id="postcode_error"' in html
    assert 'aria-invalid="true"' in html
    assert "<b>" not in html


def test_unknown_postcode_message_names_the_region(client, vacancies, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = search(client, postcode="7001").content.decode()
    assert "We do not know this postcode in Twente; choose your place instead." in html


def test_unknown_postcode_keeps_the_place_filter(client, vacancies):
    response = search(client, place="GM0168", postcode="9999 ZZ")
    assert response.context["postcode_unknown"]
    assert titles(response) == ["Kok"]  # Losser only, as without a postcode


def test_postcode_form_field_and_approximation_hint(client, vacancies, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = search(client).content.decode()
    assert 'name="postcode"' in html
    assert 'autocomplete="postal-code"' in html
    assert 'maxlength="7"' in html
    assert "inputmode=" in html
    assert 'aria-describedby="postcode_hint"' in html
    assert "measured from the centre of your municipality" in html
    assert 'id="postcode_error"' not in html


def test_postcode_search_is_shareable(client, vacancies):
    for i in range(25):
        vacancy(vacancies["nurse"].region, "Verpleegkundige", "Hengelo", hours=20 + i % 10)
    response = search(client, postcode="7511 AB", distance="10")
    assert response.context["filtered"]
    assert response.context["page"].paginator.count == 27
    html = response.content.decode()
    assert 'value="7511 AB"' in html
    assert "?postcode=7511+AB&amp;distance=10&amp;page=2" in html
    # opening the shared link gives the same search
    page2 = client.get(reverse("vacancies:public_search") + "?postcode=7511+AB&distance=10&page=2")
    assert page2.context["page"].number == 2
    assert page2.context["postcode_place"].name == "Enschede"
    assert search(client, postcode="nonsense").context["filtered"]  # "Clear filters" is offered


def test_postcode_search_uses_a_fixed_number_of_queries(
    client, vacancies, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        search(client, postcode="7511 AB", distance="20")


def test_postcode_in_another_region(client, vacancies, achterhoek, settings):
    settings.WERKCENTRUM_DEFAULT_REGION = "achterhoek"
    employer = Employer.objects.create(region=achterhoek, kvk_number="87654321", name="Zorg BV")
    for title, place in [("Kok", "Doetinchem"), ("Verpleegkundige", "Winterswijk")]:
        Vacancy.objects.create(
            region=achterhoek,
            employer=employer,
            title=title,
            hours=32,
            municipality=Municipality.objects.get(name=place),
        )
    response = search(client, postcode="7001 AA")  # Doetinchem; Winterswijk is ≈ 30 km
    assert titles(response) == ["Kok"]
    assert search(client, postcode="7001 AA", distance="50").context["page"].paginator.count == 2
    assert search(client, postcode="7511 AB").context["postcode_unknown"]  # Twente
