"""Matching through Django: the per-process indexes equal the pure engine's brute force over the
database, stay current incrementally, and drive the vacancy page (weights, explanations)."""

import io
from dataclasses import fields
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from tests.factories import person
from werkcentrum.accounts.models import Role
from werkcentrum.candidates import services as candidate_services
from werkcentrum.candidates.models import CandidateProfile
from werkcentrum.employers.models import Employer
from werkcentrum.frontdoor.models import Person
from werkcentrum.matching import PROTECTED_ATTRIBUTES, engine
from werkcentrum.matching import services as matching
from werkcentrum.occupations.normalise import default_normaliser
from werkcentrum.regions.models import Municipality
from werkcentrum.vacancies import services as vacancy_services
from werkcentrum.vacancies.models import Vacancy


@pytest.fixture(autouse=True)
def _fresh_indexes():
    matching.reset_indexes()
    yield
    matching.reset_indexes()


def occupation(title: str):
    return default_normaliser().normalise(title, top=1)[0]


def municipality(name: str) -> Municipality:
    return Municipality.objects.get(name=name)


@pytest.fixture
def adviser(twente):
    return make_user("adviser", Role.EMPLOYER_ADVISER, twente)


@pytest.fixture
def generated(twente):
    call_command(
        "generate",
        region="twente",
        candidates=300,
        vacancies=40,
        employers=15,
        seed=7,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    return twente


def brute_force_candidates(vacancy, k, weights=None, filters=None):
    rows = CandidateProfile.objects.filter(region_id=vacancy.region_id).select_related(
        "municipality"
    )
    index = engine.CandidateIndex([matching.candidate_profile(c) for c in rows if c.has_consent])
    return index.brute_force_top(
        matching.vacancy_profile(vacancy), k=k, weights=weights, filters=filters
    )


def brute_force_vacancies(candidate, k):
    rows = Vacancy.objects.filter(region_id=candidate.region_id, status="open").select_related(
        "municipality"
    )
    index = engine.VacancyIndex([matching.vacancy_profile(v) for v in rows])
    return index.brute_force_top(matching.candidate_profile(candidate), k=k)


def ranking(results):
    return [(r.id, round(r.score, 9)) for r in results]


def test_candidates_for_equals_the_engines_brute_force_over_the_database(generated):
    vacancies = list(Vacancy.objects.select_related("municipality").order_by("pk")[:12])
    assert len(vacancies) == 12
    nonempty = 0
    for vacancy in vacancies:
        got = matching.candidates_for(vacancy, top=25)
        assert ranking(got) == ranking(brute_force_candidates(vacancy, 25)), vacancy.pk
        nonempty += bool(got)
        for result in got:
            assert sum(result.factors.values()) == pytest.approx(result.score, abs=1e-9)
    assert nonempty >= 6  # the comparison is not vacuous
    custom = engine.Weights(occupation=0.1, skills=0.1, distance=0.6, hours=0.1, education=0.1)
    wide = engine.Filters(within_travel_radius=False, min_education=True)
    for vacancy in vacancies[:4]:
        assert ranking(
            matching.candidates_for(vacancy, top=50, weights=custom, filters=wide)
        ) == ranking(brute_force_candidates(vacancy, 50, custom, wide))


def test_vacancies_for_equals_the_engines_brute_force(generated):
    candidates = (
        CandidateProfile.objects.with_consent().select_related("municipality").order_by("pk")[:10]
    )
    assert any(matching.vacancies_for(c, top=10) for c in candidates)
    for candidate in candidates:
        assert ranking(matching.vacancies_for(candidate, top=10)) == ranking(
            brute_force_vacancies(candidate, 10)
        )


def test_the_index_catches_up_with_saved_profiles_without_a_reset(twente, adviser):
    kapper, kok = occupation("kapper"), occupation("kok")
    salon = Employer.objects.create(region=twente, name="Salon", kvk_number="11223344")
    vacancy = vacancy_services.create_vacancy(
        adviser,
        employer=salon,
        esco_id=kapper.esco_id,
        title="Kapster",
        hours=32,
        municipality=municipality("Oldenzaal"),
    )

    def save(p, esco_id, consent=True):
        return candidate_services.save_profile(
            adviser,
            person=p,
            occupations=[esco_id],
            consent=consent,
            municipality=municipality("Oldenzaal"),
            benefit_regime="ww",
        )

    a = save(person(twente, last="Aaa"), kapper.esco_id)
    b = save(person(twente, last="Bbb"), kapper.esco_id)
    c = save(person(twente, last="Ccc"), kok.esco_id)
    index = matching.candidate_index(twente.pk)
    first = [r.id for r in matching.candidates_for(vacancy)]
    assert set(first[:2]) == {a.pk, b.pk}

    save(a.person, kapper.esco_id, consent=False)  # withdraws consent
    save(c.person, kapper.esco_id)  # now wants the vacancy's occupation
    after = matching.candidates_for(vacancy)
    assert a.pk not in [r.id for r in after]
    assert {r.id for r in after if r.factors["occupation"] > 0} == {b.pk, c.pk}
    assert matching.candidate_index(twente.pk) is index  # updated in place, not rebuilt
    assert ranking(after) == ranking(brute_force_candidates(vacancy, 50))

    save(a.person, kapper.esco_id, consent=True)  # consent given again
    assert a.pk in [r.id for r in matching.candidates_for(vacancy)]

    assert vacancy.pk in [r.id for r in matching.vacancies_for(b)]
    vacancy_services.change_status(vacancy, adviser, "filled")  # leaves the vacancy index too
    assert vacancy.pk not in [r.id for r in matching.vacancies_for(b)]


def test_a_profile_committed_late_is_not_missed(twente, adviser):
    """A save stamped before the newest synced row but committed after that sync still counts."""
    kapper = occupation("kapper")
    salon = Employer.objects.create(region=twente, name="Salon", kvk_number="11223344")
    vacancy = vacancy_services.create_vacancy(
        adviser,
        employer=salon,
        esco_id=kapper.esco_id,
        title="Kapster",
        hours=32,
        municipality=municipality("Oldenzaal"),
    )

    def save(last):
        return candidate_services.save_profile(
            adviser,
            person=person(twente, last=last),
            occupations=[kapper.esco_id],
            consent=True,
            municipality=municipality("Oldenzaal"),
            benefit_regime="ww",
        )

    early = save("Vroeg")
    matching.candidates_for(vacancy)
    later = save("Later")  # saved at t2 and committed ...
    assert later.pk in {r.id for r in matching.candidates_for(vacancy)}  # ... and synced to t2
    # A request that stamped its profile at t1 < t2 commits only now.
    late = save("Laat")
    CandidateProfile.objects.filter(pk=late.pk).update(
        updated_at=later.updated_at - timedelta(milliseconds=5)
    )
    ids = {r.id for r in matching.candidates_for(vacancy)}
    assert {early.pk, later.pk, late.pk} <= ids


def test_protected_attributes_are_never_inputs(twente, adviser):
    engine_fields = {f.name for f in fields(engine.CandidateProfile)} | {
        f.name for f in fields(engine.VacancyProfile)
    }
    assert engine_fields.isdisjoint(PROTECTED_ATTRIBUTES)
    person_fields = {f.name for f in Person._meta.concrete_fields} - {
        "id",
        "region",
        "municipality",
    }
    assert {f.name for f in fields(engine.CandidateProfile)}.isdisjoint(person_fields)

    p = person(twente, first="Fatima", last="El Amrani", date_of_birth=date(1961, 4, 2))
    profile = candidate_services.save_profile(
        adviser,
        person=p,
        occupations=[occupation("kok").esco_id],
        consent=True,
        municipality=municipality("Almelo"),
        benefit_regime="ww",
        summary="Tien jaar ervaring in de keuken.",
    )
    before = matching.candidate_profile(
        CandidateProfile.objects.select_related("municipality").get(pk=profile.pk)
    )
    rendered = repr(before)
    assert "1961" not in rendered and "El Amrani" not in rendered and "Fatima" not in rendered
    Person.objects.filter(pk=p.pk).update(
        date_of_birth=date(2001, 1, 1), first_name="Jan", last_name="Smit"
    )
    after = matching.candidate_profile(
        CandidateProfile.objects.select_related("municipality").get(pk=profile.pk)
    )
    assert after == before


@pytest.fixture
def distance_case(twente, adviser):
    """Near: a different occupation in the vacancy's town; far: the right occupation 35 km away."""
    kapper, kok = occupation("kapper"), occupation("kok")
    salon = Employer.objects.create(region=twente, name="Salon", kvk_number="11223344")
    vacancy = vacancy_services.create_vacancy(
        adviser,
        employer=salon,
        esco_id=kapper.esco_id,
        title="Kapster",
        hours=32,
        municipality=municipality("Enschede"),
    )
    far = candidate_services.save_profile(
        adviser,
        person=person(twente, last="Verweg", municipality="Rijssen-Holten"),
        occupations=[kapper.esco_id],
        consent=True,
        municipality=municipality("Rijssen-Holten"),
        benefit_regime="ww",
        travel_radius_km=100,
    )
    near = candidate_services.save_profile(
        adviser,
        person=person(twente, last="Dichtbij", municipality="Enschede"),
        occupations=[kok.esco_id],
        consent=True,
        municipality=municipality("Enschede"),
        benefit_regime="ww",
        travel_radius_km=5,
    )
    return vacancy, near, far


def test_vacancy_page_shows_ranked_candidates_with_factor_contributions(
    client, adviser, distance_case
):
    vacancy, near, far = distance_case
    client.force_login(adviser)
    response = client.get(reverse("vacancies:detail", args=[vacancy.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["candidate"].pk for row in rows] == [far.pk, near.pk]
    for row in rows:
        labels = [label for label, _value in row["factors"]]
        assert len(labels) == len(row["result"].factors) >= 6
        assert sum(value for _label, value in row["factors"]) == pytest.approx(row["result"].score)
    html = response.content.decode()
    assert html.index(reverse("candidates:detail", args=[far.pk])) < html.index(
        reverse("candidates:detail", args=[near.pk])
    )
    score = f"{rows[0]['result'].score:.2f}"
    assert score in html or score.replace(".", ",") in html
    # Names are not shown in the ranking (only after opening the profile, which is logged).
    assert "Verweg" not in html and "Dichtbij" not in html


def test_weights_in_the_query_string_change_the_ranking(client, adviser, distance_case):
    vacancy, near, far = distance_case
    client.force_login(adviser)
    url = reverse("vacancies:detail", args=[vacancy.pk])
    query = {
        "occupation": "0",
        "skills": "0",
        "distance": "1",
        "hours": "0",
        "education": "0",
        "work_and_learn": "0",
        "within_travel_radius_shown": "1",
    }
    response = client.get(url, query)
    assert response.context["customised"] is True
    assert response.context["filters"].within_travel_radius is False  # box unticked
    rows = response.context["rows"]
    assert [row["candidate"].pk for row in rows] == [near.pk, far.pk]
    assert rows[0]["result"].score == pytest.approx(1.0)
    assert rows[0]["result"].factors["occupation"] == 0
    # With the radius filter on, the near candidate stays, the far one (35 km, radius 100) too.
    on = client.get(url, {**query, "within_travel_radius": "on"})
    assert [row["candidate"].pk for row in on.context["rows"]] == [near.pk, far.pk]
    # Invalid weights fall back to the defaults.
    bad = client.get(url, {"occupation": "-3"})
    assert [row["candidate"].pk for row in bad.context["rows"]] == [far.pk, near.pk]
    assert bad.context["customised"] is False


def bulk_candidates(region, n, esco, place):
    now = timezone.now()
    persons = Person.objects.bulk_create(
        [
            Person(region=region, first_name="Anna", last_name=f"Bulk{i}", municipality=place)
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
                consent_given_at=now,
                occupations=[
                    {"esco_id": esco.esco_id, "isco_group": esco.isco_group, "label": esco.label}
                ],
            )
            for p in persons
        ]
    )


def vacancy_page_queries(client, twente, adviser, n):
    kapper = occupation("kapper")
    place = municipality("Oldenzaal")
    employer = Employer.objects.create(
        region=twente, name=f"Salon {n}", kvk_number=f"{11220000 + n:08d}"
    )
    vacancy = vacancy_services.create_vacancy(
        adviser,
        employer=employer,
        esco_id=kapper.esco_id,
        title="Kapster",
        hours=32,
        municipality=place,
    )
    bulk_candidates(twente, n, kapper, place)
    matching.reset_indexes()
    client.force_login(adviser)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("vacancies:detail", args=[vacancy.pk]))
    return response, len(queries)


def test_vacancy_page_queries_do_not_grow_with_the_number_of_candidates(client, twente, adviser):
    small, small_count = vacancy_page_queries(client, twente, adviser, 30)
    large, large_count = vacancy_page_queries(client, twente, adviser, 90)
    assert len(small.context["rows"]) == len(large.context["rows"]) == 25
    assert small_count == large_count


def test_vacancy_page_with_25_ranked_candidates_uses_few_queries(
    client, twente, adviser, django_assert_max_num_queries
):
    kapper = occupation("kapper")
    place = municipality("Oldenzaal")
    employer = Employer.objects.create(region=twente, name="Salon", kvk_number="11223344")
    vacancy = vacancy_services.create_vacancy(
        adviser,
        employer=employer,
        esco_id=kapper.esco_id,
        title="Kapster",
        hours=32,
        municipality=place,
    )
    bulk_candidates(twente, 40, kapper, place)
    client.force_login(adviser)
    with django_assert_max_num_queries(20):  # no query per ranked candidate
        response = client.get(reverse("vacancies:detail", args=[vacancy.pk]))
    assert len(response.context["rows"]) == 25


def test_factor_labels_follow_the_users_language(client, adviser, distance_case):
    from django.conf import settings

    vacancy, _near, _far = distance_case
    client.force_login(adviser)
    url = reverse("vacancies:detail", args=[vacancy.pk])
    dutch = [label for label, _v in client.get(url).context["rows"][0]["factors"]]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert 'lang="en"' in response.content.decode()  # the rest of the page is English
    english = [label for label, _v in response.context["rows"][0]["factors"]]
    assert str(dutch[0]) == "beroep" and str(english[0]) == "occupation"
