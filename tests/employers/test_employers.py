"""Employers: KvK validation, the contact log, the satisfaction survey (NPS) and its public page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from werkcentrum.accounts.models import Role
from werkcentrum.employers import services
from werkcentrum.employers.kvk import is_valid_kvk
from werkcentrum.employers.models import (
    Employer,
    EmployerContact,
    EmployerContactPerson,
    NpsSurvey,
)
from werkcentrum.frontdoor.errors import NotAllowed, ServiceError
from werkcentrum.matching.services import reset_indexes


@pytest.fixture(autouse=True)
def _fresh_indexes():
    reset_indexes()
    yield
    reset_indexes()


@pytest.fixture
def adviser(twente):
    return make_user("adviser", Role.EMPLOYER_ADVISER, twente)


@pytest.fixture
def employer(twente, adviser):
    employer = services.create_employer(
        adviser, region=twente, name="Tukker Transport", kvk_number="12345678"
    )
    EmployerContactPerson.objects.create(
        employer=employer, name="Hennie Wolters", email="hennie@tukker.example"
    )
    return employer


def test_kvk_has_eight_digits_and_is_not_all_zeros():
    assert is_valid_kvk("12345678") and is_valid_kvk("1234 5678") and is_valid_kvk("12.34.56.78")
    for bad in ("1234567", "123456789", "1234567a", "00000000", "", None):
        assert not is_valid_kvk(bad)


def test_create_employer_validates_kvk_and_refuses_duplicates(twente, adviser, employer):
    assert employer.kvk_number == "12345678" and employer.account_holder == adviser
    with pytest.raises(ServiceError) as bad:
        services.create_employer(adviser, region=twente, name="X", kvk_number="1234")
    assert bad.value.field == "kvk_number"
    with pytest.raises(ServiceError) as duplicate:
        services.create_employer(adviser, region=twente, name="Y", kvk_number="1234 5678")
    assert duplicate.value.field == "kvk_number"
    assert Employer.objects.filter(kvk_number="12345678").count() == 1


def test_only_employer_services_of_the_region_register_employers(twente, achterhoek, guide):
    with pytest.raises(NotAllowed):
        services.create_employer(guide, region=twente, name="X", kvk_number="87654321")
    other = make_user("adviser_ah", Role.EMPLOYER_ADVISER, achterhoek)
    with pytest.raises(NotAllowed):
        services.create_employer(other, region=twente, name="X", kvk_number="87654321")
    assert not Employer.objects.filter(kvk_number="87654321").exists()


def test_new_employer_form_shows_field_errors_for_bad_and_duplicate_kvk(
    client, twente, adviser, employer
):
    client.force_login(adviser)
    url = reverse("employers:new")
    bad = client.post(url, {"name": "Nieuw BV", "kvk_number": "12 34"})
    assert bad.status_code == 200 and "kvk_number" in bad.context["form"].errors
    duplicate = client.post(url, {"name": "Nieuw BV", "kvk_number": "12345678"})
    assert duplicate.status_code == 200
    errors = duplicate.context["form"].errors
    assert list(errors) == ["kvk_number"]
    assert Employer.objects.count() == 1

    created = client.post(
        url,
        {
            "name": "Dinkel Zorg",
            "kvk_number": "2345.6789",
            "contact_name": "Anna Bos",
            "contact_email": "anna@dinkel.example",
        },
    )
    new = Employer.objects.get(kvk_number="23456789")
    assert created.status_code == 302 and created.url == reverse("employers:detail", args=[new.pk])
    assert new.region == twente and new.contact_persons.get().email == "anna@dinkel.example"


def test_every_contact_is_logged_and_closing_a_question_sends_one_survey(
    adviser, employer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.log_contact(employer, adviser, channel="phone", subject="Kennismaking")
    assert mailoutbox == [] and not NpsSurvey.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        closing = services.log_contact(
            employer, adviser, channel="visit", subject="Vraag afgerond", closes_question=True
        )
    assert len(callbacks) == 1
    assert list(employer.contacts.order_by("pk")) == [first, closing]
    assert closing.user == adviser and closing.at is not None
    survey = NpsSurvey.objects.get()
    assert survey.trigger == NpsSurvey.Trigger.QUESTION_CLOSED
    assert (
        survey.trigger_ref == f"contact-{closing.pk}" and survey.sent_to == "hennie@tukker.example"
    )
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["hennie@tukker.example"]
    assert reverse("employers:nps_answer", args=[survey.token]) in mailoutbox[0].body
    # Idempotent per trigger: sending again for the same contact sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        services.send_nps_survey(employer, NpsSurvey.Trigger.QUESTION_CLOSED, survey.trigger_ref)
    assert len(mailoutbox) == 1 and NpsSurvey.objects.count() == 1


def test_contact_needs_a_subject_and_employer_services(employer, adviser, guide):
    with pytest.raises(ServiceError):
        services.log_contact(employer, adviser, channel="phone", subject="  ")
    with pytest.raises(NotAllowed):
        services.log_contact(employer, guide, channel="phone", subject="Hallo")
    assert not EmployerContact.objects.exists()


def test_contact_log_view_registers_and_sends_survey(
    client, adviser, employer, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(adviser)
    url = reverse("employers:log_contact", args=[employer.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "channel": "email",
                "subject": "Offerte loonkostensubsidie",
                "note": "Afgerond",
                "closes_question": "on",
            },
        )
    assert response.status_code == 302
    entry = EmployerContact.objects.get()
    assert entry.subject == "Offerte loonkostensubsidie" and entry.user == adviser
    assert len(mailoutbox) == 1
    page = client.get(reverse("employers:detail", args=[employer.pk]))
    assert "Offerte loonkostensubsidie" in page.content.decode()


def test_survey_mail_contains_an_absolute_link(
    adviser, employer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.log_contact(
            employer, adviser, channel="phone", subject="Klaar", closes_question=True
        )
    assert re.search(r"https?://\S+/tevredenheid/\S+/", mailoutbox[0].body)


def test_public_survey_page_accepts_one_score_from_0_to_10(client, employer):
    survey = services.send_nps_survey(employer, NpsSurvey.Trigger.QUESTION_CLOSED, "contact-x")
    url = reverse("employers:nps_answer", args=[survey.token])
    assert url == f"/tevredenheid/{survey.token}/"
    assert client.get(url).status_code == 200  # no login needed
    for invalid in ("11", "-1", "tien", ""):
        response = client.post(url, {"score": invalid})
        assert response.status_code == 200 and "score" in response.context["form"].errors
    survey.refresh_from_db()
    assert survey.answered_at is None
    response = client.post(url, {"score": "9", "comment": "Prima geholpen"})
    assert response.status_code == 200 and not response.context.get("already")
    survey.refresh_from_db()
    assert survey.score == 9 and survey.comment == "Prima geholpen" and survey.answered_at
    again = client.post(url, {"score": "0"})
    assert again.status_code == 200 and again.context["already"] is True
    survey.refresh_from_db()
    assert survey.score == 9
    assert client.get(reverse("employers:nps_answer", args=["unknown-token"])).status_code == 404


def test_answer_service_refuses_second_answer_invalid_score_and_unknown_token(employer):
    survey = services.send_nps_survey(employer, NpsSurvey.Trigger.PLACEMENT, "placement-1")
    for invalid in (11, -1, "7", 7.0, None):
        with pytest.raises(ServiceError):
            services.answer_nps(survey.token, invalid)
    services.answer_nps(survey.token, 0)
    with pytest.raises(ServiceError):
        services.answer_nps(survey.token, 10)
    with pytest.raises(ServiceError):
        services.answer_nps("nope", 5)
    survey.refresh_from_db()
    assert survey.score == 0


def test_no_survey_without_a_contact_persons_email(twente, adviser):
    employer = services.create_employer(
        adviser, region=twente, name="Zonder", kvk_number="34567890"
    )
    assert services.send_nps_survey(employer, NpsSurvey.Trigger.PLACEMENT, "placement-9") is None
    assert not NpsSurvey.objects.exists()


def test_nps_is_percent_promoters_minus_percent_detractors(twente, achterhoek, employer):
    for i, score in enumerate([10, 9, 8, 6]):
        survey = services.send_nps_survey(employer, NpsSurvey.Trigger.PLACEMENT, f"placement-{i}")
        services.answer_nps(survey.token, score)
    services.send_nps_survey(employer, NpsSurvey.Trigger.PLACEMENT, "unanswered")
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    result = services.nps(twente, today, tomorrow)
    assert result == {"responses": 4, "promoters": 2, "detractors": 1, "nps": 25}
    # Only answers in [start, end) of the region count.
    assert services.nps(twente, tomorrow, tomorrow + timedelta(days=7))["nps"] is None
    assert services.nps(twente, today - timedelta(days=7), today)["responses"] == 0
    assert services.nps(achterhoek, today, tomorrow)["responses"] == 0


def test_nps_can_be_negative(twente, employer):
    for i, score in enumerate([0, 3, 6, 9, 7]):
        survey = services.send_nps_survey(employer, NpsSurvey.Trigger.PLACEMENT, f"p-{i}")
        services.answer_nps(survey.token, score)
    today = timezone.localdate()
    assert services.nps(twente, today, today + timedelta(days=1))["nps"] == round(100 * (1 - 3) / 5)


def test_employer_pages_are_for_employer_services_of_the_region(
    client, twente, achterhoek, employer, guide, manager, coordinator
):
    detail = reverse("employers:detail", args=[employer.pk])
    for user in (guide, manager):
        client.force_login(user)
        assert client.get(reverse("employers:list")).status_code == 403
        assert client.get(detail).status_code == 403
    client.force_login(coordinator)
    assert client.get(detail).status_code == 200
    client.force_login(make_user("adviser_ah", Role.EMPLOYER_ADVISER, achterhoek))
    assert client.get(detail).status_code == 404
    assert "Tukker Transport" not in client.get(reverse("employers:list")).content.decode()


def employer_list_queries(client, region, adviser, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from werkcentrum.regions.models import Municipality
    from werkcentrum.vacancies.models import Vacancy

    start = Employer.objects.count()
    employers = Employer.objects.bulk_create(
        [
            Employer(
                region=region,
                name=f"Bedrijf {start + i}",
                kvk_number=f"{70000000 + start + i:08d}",
                account_holder=adviser,
                chain="care",
                municipality=Municipality.objects.first(),
            )
            for i in range(n)
        ]
    )
    place = Municipality.objects.get(name="Almelo")
    Vacancy.objects.bulk_create(
        [
            Vacancy(
                region=region,
                employer=e,
                title="Kok",
                esco_id="x",
                occupation_label="kok",
                isco_group="5120",
                hours=20,
                municipality=place,
                external_ref=f"Q{e.pk}",
            )
            for e in employers
        ]
    )
    client.force_login(adviser)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("employers:list"))
    assert response.status_code == 200
    return len(response.context["employers"]), len(queries)


def test_employer_list_uses_a_fixed_number_of_queries(
    client, twente, adviser, django_assert_max_num_queries
):
    small_rows, small = employer_list_queries(client, twente, adviser, 3)
    large_rows, large = employer_list_queries(client, twente, adviser, 60)
    assert (small_rows, large_rows) == (3, 63)
    assert small == large
    with django_assert_max_num_queries(6):
        client.get(reverse("employers:list"))
    page = client.get(reverse("employers:list"))
    assert all(e.open_vacancies == 1 and e.placement_count == 0 for e in page.context["employers"])


def test_adviser_adds_a_location_and_bad_postcode_changes_nothing(client, employer, adviser):
    client.force_login(adviser)
    url = reverse("employers:add_location", args=[employer.pk])
    client.post(
        url,
        {
            "name": "Vestiging Hengelo",
            "street": "Hoofdstraat 1",
            "postcode": "7551 ab",
            "city": "Hengelo",
        },
    )
    location = employer.locations.get()
    assert location.postcode == "7551AB"
    client.post(url, {"name": "Kapot", "postcode": "12"})
    assert employer.locations.count() == 1


def test_employer_list_shows_the_nps_of_this_quarter(client, employer, adviser):
    for score in (10, 9, 3):
        survey = NpsSurvey.objects.create(
            employer=employer, trigger="placement", trigger_ref=f"p{score}", sent_to="x@example.org"
        )
        services.answer_nps(survey.token, score)
    client.force_login(adviser)
    response = client.get(reverse("employers:list"))
    assert response.context["nps"]["quarter"]["nps"] == 33  # (2 - 1) / 3
    assert "33" in response.content.decode()
