"""The public training catalogue: every filter in the URL, invalid values ignored, good empty
state, detail page with funding explained; and the selectors behind it."""

import pytest
from django.urls import reverse

from werkcentrum.regions.models import Municipality
from werkcentrum.training import selectors
from werkcentrum.training.loader import load_all_bundled_trainings
from werkcentrum.training.models import Training

from .helpers import make_training

pytestmark = pytest.mark.django_db
SEARCH = reverse("training:search")


@pytest.fixture(autouse=True)
def english(client, settings):
    """Assert on the English msgids (the Dutch catalogue is filled in by `make messages`)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def trainings(twente, achterhoek):
    return {
        "truck": make_training(
            twente,
            "rijbewijs-c",
            title="Rijbewijs C en code 95",
            provider="Transport Twente",
            level="course",
            sector="logistics",
            isco_groups=["8332"],
            learning_form="part_time",
            duration_weeks=12,
            cost_eur=4250,
            funding=["training_fund", "uwv", "own"],
            place="Almelo",
        ),
        "nurse": make_training(
            twente,
            "verpleegkunde",
            title="Verpleegkunde deeltijd",
            provider="Saxion",
            description="Een hbo-opleiding tot verpleegkundige naast je werk.",
            level="hbo_bachelor",
            sector="care",
            isco_groups=["2221"],
            learning_form="part_time",
            duration_weeks=208,
            cost_eur=10400,
            funding=["employer", "lifelong_learning_credit"],
            place="Enschede",
        ),
        "care_intro": make_training(
            twente,
            "kennismaken-zorg",
            title="Kennismaken met de zorg",
            provider="ROC van Twente",
            level="course",
            sector="care",
            isco_groups=["5321"],
            learning_form="part_time",
            duration_weeks=6,
            cost_eur=0,
            funding=["uwv", "municipality"],
            place="Enschede",
        ),
        "vca": make_training(
            twente,
            "vca-online",
            title="VCA Basis",
            provider="VCA Online",
            level="course",
            sector="construction",
            isco_groups=["9313"],
            learning_form="online",
            duration_weeks=2,
            cost_eur=195,
            funding=["employer", "own"],
            place=None,
        ),
        "carpenter": make_training(
            twente,
            "timmerman",
            title="Timmerman",
            level="mbo2",
            sector="construction",
            isco_groups=["7115"],
            learning_form="bbl",
            duration_weeks=104,
            cost_eur=600,
            funding=["employer", "training_fund"],
            place="Losser",
        ),
        "inactive": make_training(
            twente,
            "oud",
            title="Oude zorgcursus",
            sector="care",
            isco_groups=["5321"],
            active=False,
        ),
        "other_region": make_training(
            achterhoek,
            "zorg-achterhoek",
            title="Zorg in de Achterhoek",
            sector="care",
            isco_groups=["5321"],
            place="Doetinchem",
        ),
    }


def titles(response):
    return [t.title for t in response.context["page"].object_list]


def get(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response


ALL_TWENTE = [
    "Kennismaken met de zorg",
    "Rijbewijs C en code 95",
    "Timmerman",
    "VCA Basis",
    "Verpleegkunde deeltijd",
]


def test_without_filters_all_active_trainings_of_the_region_by_title(client, trainings):
    response = get(client)
    assert titles(response) == ALL_TWENTE
    assert "5 trainings found." in response.content.decode()
    assert not response.context["filtered"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "timmerman"}, ["Timmerman"]),
        ({"q": "SAXION"}, ["Verpleegkunde deeltijd"]),  # provider, case-insensitive
        ({"q": "naast je werk"}, ["Verpleegkunde deeltijd"]),  # every word, in the description
        ({"q": "zorg enschede"}, ["Kennismaken met de zorg"]),  # place name counts too
        ({"q": "vrachtwagenchauffeur"}, ["Rijbewijs C en code 95"]),  # via the ESCO occupation
        ({"level": "course"}, ["Kennismaken met de zorg", "Rijbewijs C en code 95", "VCA Basis"]),
        ({"level": "mbo2"}, ["Timmerman"]),
        ({"sector": "care"}, ["Kennismaken met de zorg", "Verpleegkunde deeltijd"]),
        ({"learning_form": "online"}, ["VCA Basis"]),
        ({"learning_form": "bbl"}, ["Timmerman"]),
        ({"funding": "training_fund"}, ["Rijbewijs C en code 95", "Timmerman"]),
        ({"funding": "lifelong_learning_credit"}, ["Verpleegkunde deeltijd"]),
        ({"funding": "own"}, ["Rijbewijs C en code 95", "VCA Basis"]),
        ({"max_cost": "0"}, ["Kennismaken met de zorg"]),
        ({"max_cost": "600"}, ["Kennismaken met de zorg", "Timmerman", "VCA Basis"]),
        ({"max_weeks": "12"}, ["Kennismaken met de zorg", "Rijbewijs C en code 95", "VCA Basis"]),
        ({"municipality": "GM0168"}, ["Timmerman", "VCA Basis"]),  # Losser plus online
        (
            {"municipality": "GM0153"},
            ["Kennismaken met de zorg", "VCA Basis", "Verpleegkunde deeltijd"],
        ),
        ({"sector": "care", "max_cost": "0"}, ["Kennismaken met de zorg"]),
        (
            {"level": "course", "funding": "uwv", "municipality": "GM0141"},
            ["Rijbewijs C en code 95"],
        ),
    ],
)
def test_each_filter(client, trainings, params, expected):
    response = get(client, **params)
    assert titles(response) == expected
    assert response.context["filtered"]


def test_sorting(client, trainings):
    assert titles(get(client, sort="cost"))[:2] == ["Kennismaken met de zorg", "VCA Basis"]
    assert titles(get(client, sort="duration"))[-1] == "Verpleegkunde deeltijd"
    assert 'option value="cost" selected' in get(client, sort="cost").content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"level": "mbo5"},
        {"sector": "mining"},
        {"learning_form": "evening"},
        {"funding": "stap"},
        {"max_cost": "-5"},
        {"max_cost": "abc"},
        {"max_cost": "99999999999999999999"},
        {"max_weeks": "0"},
        {"max_weeks": "12.5"},
        {"municipality": "GM0222"},  # Doetinchem: another region
        {"municipality": "<script>"},
        {"sort": "-id"},
        {"page": "abc"},
        {"page": "999"},
        {"q": "   "},
        {"level": ["mbo2", "x"]},
    ],
)
def test_invalid_values_are_ignored_never_an_error(client, trainings, params):
    response = get(client, **params)
    assert titles(response) == ALL_TWENTE


def test_very_long_query_is_cut_not_an_error(client, trainings):
    response = get(client, q="zorg " * 200)
    assert len(response.context["q"]) <= 100


def test_filters_are_reflected_in_the_form_and_the_page_links(client, twente):
    for n in range(45):
        make_training(
            twente, f"cursus-{n:02d}", title=f"Cursus {n:02d}", level="course", cost_eur=100
        )
    response = get(client, level="course", max_cost="750", municipality="GM0164", page="2")
    html = response.content.decode()
    assert titles(response)[0] == "Cursus 20" and len(titles(response)) == 20
    assert "45 trainings found." in html
    assert '<option value="course" selected>' in html
    assert '<option value="750" selected>' in html  # a value not in the presets still shows
    assert '<option value="GM0164" selected>' in html
    assert "Page 2 of 3" in html
    assert "level=course&amp;max_cost=750&amp;municipality=GM0164&amp;page=3" in html
    assert "level=course&amp;max_cost=750&amp;municipality=GM0164&amp;page=1" in html


def test_every_control_has_a_label(client, trainings):
    html = get(client).content.decode()
    for name in (
        "q",
        "level",
        "sector",
        "learning_form",
        "funding",
        "max_cost",
        "max_weeks",
        "municipality",
        "sort",
    ):
        assert f'for="{name}"' in html and f'id="{name}" name="{name}"' in html


def test_empty_state_offers_clearing_filters_and_asking(client, trainings):
    response = get(client, q="xyzzy", sector="green")
    html = response.content.decode()
    assert titles(response) == []
    assert "0 trainings found." in html
    assert "No training matches your search" in html
    assert f'href="{SEARCH}">Remove all filters' in html
    assert reverse("frontdoor:ask") in html


def test_empty_catalogue_says_so(client, twente):
    html = get(client).content.decode()
    assert "The training catalogue is not available yet" in html
    assert reverse("frontdoor:ask") in html


def test_real_catalogue_pages(client, twente):
    del client.cookies["django_language"]  # the default (Dutch) UI
    load_all_bundled_trainings()
    total = Training.objects.filter(region=twente, active=True).count()
    response = get(client)
    assert response.context["page"].paginator.count == total
    assert len(titles(response)) == 20
    assert titles(get(client, q="heftruck")) == ["Heftruckcertificaat"]
    for training in Training.objects.filter(region=twente)[:5]:
        assert client.get(reverse("training:detail", args=[training.pk])).status_code == 200


# --- detail ------------------------------------------------------------------------------


def test_detail_shows_all_facts_and_funding(client, trainings):
    truck = trainings["truck"]
    truck.url = "https://www.example.org/rijbewijs-c"
    truck.hours_per_week = 10
    truck.save()
    response = client.get(reverse("training:detail", args=[truck.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Rijbewijs C en code 95",
        "Transport Twente",
        "Almelo",
        "12 weeks",
        "Course or certificate (no level)",
        "Logistics &amp; Transport",
        "Part-time",
        "4,250",
        "Chauffeurs en bedieners van mobiele machines",
    ):
        assert text in html, text
    assert "Twents Fonds voor Vakmanschap" in html  # the region's training fund by name
    assert "UWV can sometimes pay" in html
    assert "pay for it yourself" in html
    assert '<a href="https://www.example.org/rijbewijs-c" rel="external noopener">' in html
    assert reverse("frontdoor:ask") in html
    assert "Ask the Werkcentrum about funding" in html


def test_detail_of_free_online_training(client, trainings):
    html = client.get(reverse("training:detail", args=[trainings["vca"].pk])).content.decode()
    assert "online or several places" in html
    assert 'rel="external noopener"' not in html  # no url, no link


def test_detail_is_404_for_inactive_other_region_and_unknown(client, trainings):
    for key in ("inactive", "other_region"):
        url = reverse("training:detail", args=[trainings[key].pk])
        assert client.get(url).status_code == 404
    assert client.get(reverse("training:detail", args=[999999])).status_code == 404


def test_user_of_another_region_sees_that_regions_catalogue(client, trainings, achterhoek_guide):
    client.force_login(achterhoek_guide)
    assert titles(get(client)) == ["Zorg in de Achterhoek"]
    url = reverse("training:detail", args=[trainings["other_region"].pk])
    assert client.get(url).status_code == 200


# --- selectors ---------------------------------------------------------------------------


def test_search_selector_accepts_municipality_object_or_code(twente, trainings):
    losser = Municipality.objects.get(name="Losser")
    by_object = list(selectors.search(twente, municipality=losser))
    assert by_object == list(selectors.search(twente, municipality="GM0168"))
    assert {t.key for t in by_object} == {"timmerman", "vca-online"}


def test_trainings_for_puts_isco_matches_first_then_sector(twente, trainings):
    result = selectors.trainings_for(twente, isco_groups=["2221", "7115"], sectors=["care"])
    keys = [t.key for t in result]
    # ISCO matches first (lower level first), then the rest of the sector; never inactive
    assert keys == ["timmerman", "verpleegkunde", "kennismaken-zorg"]


def test_trainings_for_ranks_more_groups_in_common_first(twente):
    make_training(twente, "one", title="A", isco_groups=["5321"], level="course")
    make_training(twente, "two", title="B", isco_groups=["5321", "5322"], level="mbo3")
    make_training(twente, "sector", title="C", sector="care", level="course")
    result = selectors.trainings_for(twente, isco_groups=["5321", "5322"], sectors=["care"])
    assert [t.key for t in result] == ["two", "one", "sector"]


def test_trainings_for_limit_and_nothing_to_go_on(twente, trainings):
    assert len(selectors.trainings_for(twente, sectors=["care", "construction"], limit=2)) == 2
    assert selectors.trainings_for(twente) == []
    assert selectors.trainings_for(twente, isco_groups=["2221"], limit=0) == []
    assert selectors.trainings_for(twente, isco_groups=["9999"]) == []


def test_trainings_for_stays_in_the_region(achterhoek, trainings):
    assert [t.key for t in selectors.trainings_for(achterhoek, sectors=["care"])] == [
        "zorg-achterhoek"
    ]


def test_page_links_drop_invalid_values(client, twente):
    for n in range(25):
        make_training(twente, f"cursus-{n:02d}", title=f"Cursus {n:02d}")
    html = get(client, level="bogus", q="cursus", sort="cost", junk="<x>").content.decode()
    pagination = html[html.index('<nav class="pagination') :].split("</nav>")[0]
    assert '<a href="?q=cursus&amp;sort=cost&amp;page=2">' in pagination
    assert "bogus" not in pagination and "junk" not in pagination
