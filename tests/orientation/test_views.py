"""Talent wall screens: the form, the result with vacancies, the signed link and sharing."""

import re
import sys
from urllib.parse import unquote

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from werkcentrum.accounts.models import User
from werkcentrum.employers.models import Employer
from werkcentrum.frontdoor import selectors as frontdoor_selectors
from werkcentrum.frontdoor.models import AskerType, Channel, Contact
from werkcentrum.frontdoor.persons import create_person
from werkcentrum.orientation import tokens
from werkcentrum.orientation.models import TalentWallResult
from werkcentrum.orientation.talentwall import TYPES, Profile, default_wall, form_groups
from werkcentrum.orientation.views import SESSION_KEY
from werkcentrum.privacy.models import ProcessingLogEntry
from werkcentrum.regions.models import Municipality
from werkcentrum.vacancies.models import Vacancy, VacancyStatus

WALL = default_wall()
START = "/talentenmuur/"
RESULT = "/talentenmuur/resultaat/"
SHARE = "/talentenmuur/delen/"


def answers_for(high="S", value_high=5, value_low=1):
    return {f"a_{s.id}": str(value_high if s.type == high else value_low) for s in WALL.statements}


def social_profile():
    return Profile.from_scores({t: (100 if t == "S" else 0) for t in TYPES})


def care_profile():
    """Social first, investigative second: care and nursing fits best."""
    return Profile.from_scores({"R": 0, "I": 60, "A": 0, "S": 100, "E": 0, "C": 0})


@pytest.fixture
def enschede(twente):
    return Municipality.objects.get(region=twente, name="Enschede")


@pytest.fixture
def employer(twente):
    return Employer.objects.create(region=twente, name="Zorggroep Regge", kvk_number="60000002")


def make_vacancy(region, employer, municipality, title, isco_group, **extra):
    return Vacancy.objects.create(
        region=region,
        employer=employer,
        title=title,
        esco_id="d38c2107-98f2-47b7-8bb4-f69750d51082",
        occupation_label="zorghulp",
        isco_group=isco_group,
        hours=24,
        municipality=municipality,
        **extra,
    )


def make_resident(region, username, municipality=None):
    person = create_person(
        region, first_name=username.title(), last_name="Jansen", municipality=municipality
    )
    return User.objects.create_user(
        username=username, role="resident", person=person, region=region
    )


@pytest.fixture
def resident(twente, enschede):
    return make_resident(twente, "sam", enschede)


# -- the form ---------------------------------------------------------------------------------


def test_start_shows_48_statements_in_6_mixed_groups(client, twente):
    response = client.get(reverse("orientation:start"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="radiogroup"') == 48
    assert html.count('type="radio"') == 48 * 5
    assert html.count("<fieldset") == 6
    assert html.count("Not at all") == 48 or html.count("Helemaal niet") == 48
    # shown in the fixed mixed order, Dutch by default
    first = form_groups(WALL.statements)[0][0]
    assert f"1. {first.nl}" in html
    # every statement is labelled by its text, every radio by its visible label
    assert 'aria-labelledby="st-st01-text"' in html
    assert 'id="st-st01-text"' in html


def test_start_in_english(client, twente):
    client.cookies["django_language"] = "en"
    html = client.get(START).content.decode()
    first = form_groups(WALL.statements)[0][0]
    assert f"1. {first.en}" in html


def test_incomplete_answers_keep_what_was_given_and_link_to_the_first_gap(client, twente):
    data = answers_for("S")
    order = [s for g in form_groups(WALL.statements) for s in g]
    for statement in order[20:]:
        del data[f"a_{statement.id}"]
    response = client.post(START, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "20" in html and "48" in html
    assert f'href="#st-{order[20].id}-1"' in html
    assert f'id="st-{order[20].id}-1"' in html
    assert html.count(" checked") == 20
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("bad", ["9", "0", "x", "", "3.5"])
def test_invalid_answer_values_give_a_form_error(client, twente, bad):
    data = answers_for("S")
    data["a_st01"] = bad
    response = client.post(START, data)
    if bad == "":  # an empty value is just "not answered": 47 of 48 is enough
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()


def test_unknown_fields_are_ignored(client, twente):
    response = client.post(START, {**answers_for("S"), "a_nope": "5", "junk": "x"})
    assert response.status_code == 302


# -- the result -------------------------------------------------------------------------------


def test_complete_answers_redirect_to_the_result_with_areas_and_vacancies(
    client, twente, achterhoek, employer, enschede
):
    shown = make_vacancy(twente, employer, enschede, "Zorghulp thuiszorg", "5321")
    closed = make_vacancy(
        twente, employer, enschede, "Gesloten zorgvacature", "5321", status=VacancyStatus.FILLED
    )
    other_group = make_vacancy(twente, employer, enschede, "Lasser nachtdienst", "7212")
    other_region = make_vacancy(
        achterhoek,
        Employer.objects.create(region=achterhoek, name="Zorg Oost", kvk_number="60000009"),
        Municipality.objects.filter(region=achterhoek).first(),
        "Verpleeghulp Achterhoek",
        "5321",
    )
    response = client.post(START, answers_for("S"))
    assert response.status_code == 302
    assert response["Location"] == RESULT
    assert client.session[SESSION_KEY]["st25"] == 5

    response = client.get(RESULT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "SRI" in html  # S first; the ties after it follow the fixed order R, I, A
    assert "Zorg en verpleging" in html
    assert "Welzijn en sociaal werk" in html
    assert 'id="area-zorg"' in html
    assert shown.title in html
    assert reverse("vacancies:public_detail", args=[shown.pk]) in html
    for hidden in (closed, other_group, other_region):
        assert hidden.title not in html
    assert "/vacatures/?chain=care" in html
    assert "<meter" in html and "100 / 100" in html
    assert "Instappen als zorghulp" in html  # development path
    assert "/mijn/inloggen/?next=" in html  # anonymous: log in to share
    assert reverse("frontdoor:ask") in html


def test_at_most_five_vacancies_per_area(client, twente, employer, enschede):
    for i in range(7):
        make_vacancy(twente, employer, enschede, f"Zorgvacature {i}", "5321")
    client.post(START, answers_for("S"))
    html = client.get(RESULT).content.decode()
    section = html.split('id="area-zorg"')[1].split("</li>\n  </ol>")[0].split('id="area-')[0]
    assert len(re.findall(r"Zorgvacature \d", section)) == 5


def test_result_without_answers_sends_to_the_start(client, twente):
    response = client.get(RESULT)
    assert response.status_code == 302
    assert response["Location"] == reverse("orientation:start")


def test_stale_session_answers_send_to_the_start(client, twente):
    session = client.session
    session[SESSION_KEY] = {"gone": 3}
    session.save()
    response = client.get(RESULT)
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_the_start_is_prefilled_and_answers_can_be_deleted(client, twente):
    client.post(START, answers_for("S"))
    html = client.get(START).content.decode()
    assert html.count(" checked") == 48
    response = client.post(reverse("orientation:clear"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


# -- the signed link --------------------------------------------------------------------------


def test_signed_link_shows_the_result_without_any_session(client, twente):
    client.post(START, answers_for("I"))
    html = client.get(RESULT).content.decode()
    link = re.search(r'id="share-link" type="url" readonly value="([^"]+)"', html).group(1)
    assert link.startswith("http://testserver/talentenmuur/resultaat/?r=")
    token = unquote(link.split("?r=", 1)[1])
    assert tokens.loads(token) == Profile.from_scores({t: (100 if t == "I" else 0) for t in TYPES})

    fresh = Client()
    response = fresh.get(RESULT, {"r": token})
    assert response.status_code == 200
    shared = response.content.decode()
    assert "IRA" in shared
    assert "ICT en digitaal" in shared
    assert SESSION_KEY not in fresh.session  # nothing stored for the visitor of a link


def test_token_holds_scores_not_answers(twente):
    token = tokens.dumps(social_profile())
    data = signing.loads(token, salt=tokens.SALT)
    assert data == {"v": 1, "s": [0, 0, 0, 100, 0, 0]}
    assert tokens.loads(token) == social_profile()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-3] + "abc",
        lambda t: t.replace(":", "", 1),
        lambda t: "x" * 2000,
        lambda t: "",
        lambda t: "%00%ff",
        lambda t: signing.dumps({"v": 1, "s": [1, 2]}, salt=tokens.SALT),
        lambda t: signing.dumps({"v": 1, "s": [1, 2, 3, 4, 5, 999]}, salt=tokens.SALT),
        lambda t: signing.dumps([1], salt=tokens.SALT),
        lambda t: signing.dumps({"v": 1, "s": [0] * 6}, salt="other"),
    ],
)
def test_tampered_tokens_redirect_to_the_start_friendly(client, twente, mangle):
    token = mangle(tokens.dumps(social_profile()))
    response = client.get(RESULT, {"r": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("orientation:start")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'class="alert alert--warning"' in page.content.decode()


# -- trainings --------------------------------------------------------------------------------


class FakeTraining:
    def __init__(self, pk, title):
        self.pk, self.title, self.provider = pk, title, "ROC van Twente"


def test_trainings_shown_when_the_catalogue_offers_them(client, twente, monkeypatch):
    import werkcentrum.training.selectors as training_selectors

    calls = []

    def fake(region, *, isco_groups=(), sectors=(), limit=5):
        calls.append((region, tuple(isco_groups), tuple(sectors), limit))
        return [FakeTraining(1, "Verzorgende IG (BBL)")] if "care" in sectors else []

    monkeypatch.setattr(training_selectors, "trainings_for", fake, raising=False)
    client.post(START, answers_for("S"))
    html = client.get(RESULT).content.decode()
    assert "Verzorgende IG (BBL)" in html
    assert "ROC van Twente" in html
    assert all(c[0] == twente and c[3] == 3 for c in calls)
    assert ("2221", "3256", "5321", "5322") in [c[1] for c in calls]


def test_no_trainings_without_the_catalogue_module(client, twente, monkeypatch):
    monkeypatch.setitem(sys.modules, "werkcentrum.training.selectors", None)  # ImportError
    client.post(START, answers_for("S"))
    response = client.get(RESULT)
    assert response.status_code == 200
    assert "Zorg en verpleging" in response.content.decode()


def test_a_broken_catalogue_does_not_break_the_page(client, twente, monkeypatch):
    import werkcentrum.training.selectors as training_selectors

    def broken(region, **kwargs):
        raise TypeError("changed signature")

    monkeypatch.setattr(training_selectors, "trainings_for", broken, raising=False)
    client.post(START, answers_for("S"))
    assert client.get(RESULT).status_code == 200


# -- sharing with a career adviser ------------------------------------------------------------


def test_resident_shares_result_and_a_guide_gets_the_question(client, resident, guide):
    client.force_login(resident)
    client.post(START, answers_for("S"))
    html = client.get(RESULT).content.decode()
    assert 'action="/talentenmuur/delen/"' in html
    token = tokens.dumps(care_profile())
    response = client.post(SHARE, {"r": token, "message": "Liefst overdag bellen."})
    assert response.status_code == 302
    assert response["Location"].startswith(RESULT + "?r=")

    result = TalentWallResult.objects.get()
    assert result.person == resident.person
    assert result.code == "SIR"
    assert result.scores == {"R": 0, "I": 60, "A": 0, "S": 100, "E": 0, "C": 0}
    assert result.areas[0] == {"code": "zorg", "fit": 70}
    assert len(result.areas) == 5
    assert result.shared_at is not None

    contact = Contact.objects.get(person=resident.person)
    assert result.contact == contact
    assert contact.channel == Channel.DIGITAL
    assert contact.asker_type == AskerType.RESIDENT
    assert contact.municipality == resident.person.municipality
    assert contact.question.startswith("Ik wil graag loopbaanadvies.")
    assert "SIR (Sociaal, Onderzoekend, Praktisch)" in contact.question
    assert "Zorg en verpleging (70)" in contact.question
    assert "Liefst overdag bellen." in contact.question
    assert contact in frontdoor_selectors.unassigned_queue(guide)

    assert ProcessingLogEntry.objects.filter(
        activity_id="self_service",
        operation="create",
        object_type="talentwallresult",
        object_id=str(result.pk),
        subject_person=resident.person,
        actor=resident,
    ).exists()

    # pressing the button again does not register a second question
    client.post(SHARE, {"r": token})
    assert TalentWallResult.objects.count() == 1
    assert Contact.objects.filter(person=resident.person).count() == 1


def test_share_from_a_signed_link_without_session(client, resident):
    client.force_login(resident)
    html = client.get(RESULT, {"r": tokens.dumps(social_profile())}).content.decode()
    assert 'name="r"' in html
    client.post(SHARE, {"r": tokens.dumps(social_profile())})
    assert TalentWallResult.objects.filter(person=resident.person).count() == 1


def test_share_anonymous_is_refused(client, twente):
    response = client.post(SHARE, {"r": tokens.dumps(social_profile())})
    assert response.status_code == 302
    assert TalentWallResult.objects.count() == 0
    assert Contact.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "alert--error" in page
    assert "/mijn/inloggen/" in page


def test_share_by_staff_is_refused(client, guide):
    client.force_login(guide)
    client.post(SHARE, {"r": tokens.dumps(social_profile())})
    assert TalentWallResult.objects.count() == 0
    assert Contact.objects.count() == 0


def test_share_with_tampered_token_or_get_is_harmless(client, resident):
    client.force_login(resident)
    response = client.post(SHARE, {"r": "nonsense"})
    assert response.status_code == 302
    assert response["Location"] == reverse("orientation:start")
    assert client.get(SHARE).status_code == 405
    too_long = client.post(SHARE, {"r": tokens.dumps(social_profile()), "message": "x" * 1001})
    assert too_long.status_code == 302
    assert TalentWallResult.objects.count() == 0


def test_another_resident_sees_nothing_of_the_first(client, twente, resident, enschede):
    client.force_login(resident)
    client.post(START, answers_for("S"))
    client.post(SHARE, {"r": tokens.dumps(social_profile()), "message": "Geheim bericht"})
    first = TalentWallResult.objects.get()

    other = make_resident(twente, "kim", enschede)
    other_client = Client()
    other_client.force_login(other)
    response = other_client.get(RESULT)
    assert response.status_code == 302  # no answers of their own: to the start
    start = other_client.get(START).content.decode()
    assert " checked" not in start
    assert "Geheim bericht" not in start
    assert list(TalentWallResult.objects.visible_to(other)) == []
    assert list(TalentWallResult.objects.visible_to(resident)) == [first]
    assert TalentWallResult.objects.filter(person=other.person).count() == 0


def test_visible_to_for_staff(guide, achterhoek_guide, resident, manager):
    result = TalentWallResult.objects.create(person=resident.person, code="SIR")
    assert list(TalentWallResult.objects.visible_to(guide)) == [result]
    assert list(TalentWallResult.objects.visible_to(achterhoek_guide)) == []
    assert list(TalentWallResult.objects.visible_to(manager)) == []
