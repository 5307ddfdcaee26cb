"""Find-or-create of a known person: a similar name AND one agreeing identifier, never a name
alone, never a shared phone with a clearly different name; the intake lets the guide choose."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import person
from werkcentrum.frontdoor.models import Contact, Person
from werkcentrum.frontdoor.persons import (
    find_matches,
    find_or_create_person,
    name_similarity,
    normalise_phone,
)
from werkcentrum.regions.models import Municipality

pytestmark = pytest.mark.django_db

DOB = date(1999, 3, 14)


@pytest.fixture
def yvonne(twente):
    return person(
        twente,
        first="Yvonne",
        last="Jansen",
        date_of_birth=DOB,
        phone="06 11122233",
        email="yvonne.jansen@example.org",
    )


def matched(region, **criteria):
    return [m.person for m in find_matches(region, **criteria)]


def test_typo_in_name_with_same_date_of_birth_matches(twente, yvonne):
    matches = find_matches(twente, first_name="Yvone", last_name="Janssen", date_of_birth=DOB)
    assert [m.person for m in matches] == [yvonne]
    assert matches[0].matched_on == ("date_of_birth",)
    assert matches[0].score >= 90


def test_word_order_and_accents_do_not_matter(twente, yvonne):
    assert matched(
        twente, first_name="Jansen", last_name="Yvonne", email="YVONNE.JANSEN@example.org"
    ) == [yvonne]
    assert name_similarity("Yvönne Jansen", "Yvonne Jansen") == 100


def test_same_name_other_date_of_birth_and_nothing_else_is_no_match(twente, yvonne):
    assert (
        matched(twente, first_name="Yvonne", last_name="Jansen", date_of_birth=date(1970, 1, 1))
        == []
    )


def test_a_name_alone_is_never_enough(twente, yvonne):
    assert matched(twente, first_name="Yvonne", last_name="Jansen") == []


def test_shared_phone_with_a_very_different_name_is_no_match(twente, yvonne):
    assert matched(twente, first_name="Piet", last_name="de Vries", phone="0611122233") == []
    # ... while the same phone with her name is a match, whatever the notation.
    assert matched(twente, first_name="Yvonne", last_name="Jansen", phone="+31 6 1112 2233") == [
        yvonne
    ]
    assert normalise_phone("+31 6 1112 2233") == normalise_phone("0031611122233") == "0611122233"


def test_bsn_matches_even_with_another_name(twente):
    known = person(twente, first="Frits", last="Kok", bsn="111222333")
    matches = find_matches(twente, first_name="F.", last_name="Kok-Bakker", bsn="111 222 333")
    assert [m.person for m in matches] == [known] and matches[0].matched_on == ("bsn",)
    assert (
        matched(twente, first_name="Frits", last_name="Kok", bsn="123456789") == []
    )  # invalid BSN ignored


def test_persons_of_another_region_are_not_found(twente, achterhoek, yvonne):
    assert matched(achterhoek, first_name="Yvonne", last_name="Jansen", date_of_birth=DOB) == []


def test_find_or_create_does_not_duplicate(twente, yvonne):
    found, created = find_or_create_person(
        twente, first_name="Yvone", last_name="Janssen", date_of_birth=DOB
    )
    assert (found, created) == (yvonne, False)
    again, created = find_or_create_person(
        twente, first_name="Yvonne", last_name="Jansen", email="yvonne.jansen@example.org"
    )
    assert (again, created) == (yvonne, False)
    assert Person.objects.filter(last_name__in=["Jansen", "Janssen"]).count() == 1

    other, created = find_or_create_person(
        twente, first_name="Yvonne", last_name="Jansen", date_of_birth=date(1970, 1, 1)
    )
    assert created and other != yvonne
    same, created = find_or_create_person(
        twente, first_name="Yvonne", last_name="Jansen", date_of_birth=date(1970, 1, 1)
    )
    assert (same, created) == (other, False)
    assert Person.objects.filter(last_name="Jansen").count() == 2


# -- the intake screen --------------------------------------------------------------------------


def intake_data(guide, **extra):
    data = {
        "channel": "walk_in",
        "walk_in_point": guide.walk_in_point_id,
        "asker_type": "resident",
        "question": "Ik wil omscholen naar de ouderenzorg.",
        "municipality": Municipality.objects.get(name="Oldenzaal").pk,
        "first_name": "Yvone",
        "last_name": "Janssen",
        "date_of_birth": DOB.isoformat(),
    }
    data.update(extra)
    return data


def test_intake_with_a_known_person_shows_matches_and_creates_nothing(
    client, twente, guide, yvonne
):
    client.force_login(guide)
    contacts, persons = Contact.objects.count(), Person.objects.count()
    response = client.post(reverse("frontdoor:intake"), intake_data(guide))
    assert response.status_code == 200
    assert [m.person for m in response.context["matches"]] == [yvonne]
    page = response.content.decode()
    assert "Yvonne Jansen" in page and f'name="person_choice" value="{yvonne.pk}"' in page
    assert 'name="person_choice" value="new"' in page
    assert (Contact.objects.count(), Person.objects.count()) == (contacts, persons)


def test_intake_choosing_the_known_person_links_it(client, twente, guide, yvonne):
    client.force_login(guide)
    persons = Person.objects.count()
    response = client.post(
        reverse("frontdoor:intake"), intake_data(guide, person_choice=str(yvonne.pk))
    )
    assert response.status_code == 302
    c = Contact.objects.get(question__startswith="Ik wil omscholen")
    assert c.person == yvonne
    assert Person.objects.count() == persons


def test_intake_choosing_a_person_that_does_not_match_asks_again(client, twente, guide, yvonne):
    stranger = person(twente, first="Piet", last="de Vries")
    client.force_login(guide)
    contacts = Contact.objects.count()
    response = client.post(
        reverse("frontdoor:intake"), intake_data(guide, person_choice=str(stranger.pk))
    )
    assert response.status_code == 200
    assert [m.person for m in response.context["matches"]] == [yvonne]
    assert Contact.objects.count() == contacts


def test_intake_choosing_new_creates_a_new_person(client, twente, guide, yvonne):
    client.force_login(guide)
    response = client.post(reverse("frontdoor:intake"), intake_data(guide, person_choice="new"))
    assert response.status_code == 302
    c = Contact.objects.get(question__startswith="Ik wil omscholen")
    assert c.person != yvonne and c.person.last_name == "Janssen"


def test_person_search_endpoint(client, twente, guide, yvonne):
    client.force_login(guide)
    response = client.get(
        reverse("frontdoor:person_search"),
        {"first_name": "Yvone", "last_name": "Janssen", "date_of_birth": DOB.isoformat()},
    )
    assert response.status_code == 200
    assert "Yvonne Jansen" in response.content.decode()
