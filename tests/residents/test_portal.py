"""My Werkcentrum: a resident logs in, sees only their own questions with their status,
manages consents, sees who processed their data, downloads it and asks for deletion."""

import json
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests import factories
from werkcentrum.accounts.models import Role, User
from werkcentrum.frontdoor import selectors as frontdoor_selectors
from werkcentrum.frontdoor import services as frontdoor
from werkcentrum.frontdoor.models import Channel, Consent, Contact, HandoverStatus
from werkcentrum.privacy.models import ProcessingLogEntry
from werkcentrum.residents import accounts
from werkcentrum.residents.models import DeletionRequest

pytestmark = pytest.mark.django_db


def link_from_mail() -> str:
    assert mail.outbox, "no e-mail sent"
    match = re.search(r"https?://\S+/mijn/inloggen/link/\S+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def log_in(client, user):
    user.backend = "django.contrib.auth.backends.ModelBackend"
    client.force_login(user, backend=user.backend)


# -- registering and logging in --------------------------------------------------------------


def test_register_then_log_in_by_link_shows_the_questions_a_guide_registered(
    client, twente, guide, django_capture_on_commit_callbacks
):
    earlier = factories.contact(twente, guide)  # person yvonne.jansen@example.org
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("residents:register"),
            {
                "first_name": "Yvonne",
                "last_name": "Jansen",
                "email": "Yvonne.Jansen@example.org",
                "municipality": earlier.municipality_id,
                "privacy_ok": "on",
            },
        )
    assert response.status_code == 200
    assert (
        "Check your e-mail" in response.content.decode()
        or "Kijk in uw" in response.content.decode()
    )
    # Not logged in yet: proving control of the address comes first.
    assert client.get(reverse("residents:home")).status_code == 302
    link = link_from_mail()
    confirm = client.get(link)
    assert confirm.status_code == 200
    response = client.post(link)
    assert response.status_code == 302 and response.url == reverse("residents:home")
    home = client.get(reverse("residents:home")).content.decode()
    assert earlier.reference in home
    user = User.objects.get(email="yvonne.jansen@example.org")
    assert user.is_resident and user.person == earlier.person
    # The link was single-use.
    client.logout()
    assert client.post(link).status_code == 400


def test_unknown_address_gets_the_same_answer_and_no_mail(
    client, twente, resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("residents:login"), {"send_link": "1", "email": "nobody@example.org"}
        )
    assert response.status_code == 200
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("residents:login"), {"send_link": "1", "email": resident.email})
    assert known.status_code == 200 and len(mail.outbox) == 1

    def message(page, email):
        html = page.content.decode()
        return html[html.index("<main") : html.index("</main>")].replace(email, "X")

    assert message(known, resident.email) == message(response, "nobody@example.org")


def test_tampered_or_foreign_tokens_do_not_log_in(client, twente, resident, guide):
    token = accounts.make_login_token(resident)
    assert client.get(reverse("residents:login_link", args=[token + "x"])).status_code == 400
    # A token for a staff account is never accepted.
    staff_token = accounts.make_login_token(guide)
    assert accounts.user_for_login_token(staff_token) is None


def test_registering_twice_does_not_make_a_second_account(twente):
    first, created = accounts.register_by_email(
        twente, first_name="A", last_name="B", email="a@example.org"
    )
    again, created_again = accounts.register_by_email(
        twente, first_name="Someone", last_name="Else", email="A@example.org"
    )
    assert created and not created_again and first == again


def test_password_login_and_two_factor(client, twente, resident):
    log_in(client, resident)
    response = client.post(
        reverse("residents:account"),
        {"password1": "Zomer-in-Twente-2026", "password2": "Zomer-in-Twente-2026"},
    )
    assert response.status_code == 302
    client.logout()
    wrong = client.post(reverse("residents:login"), {"password": "x", "email": resident.email})
    assert wrong.status_code == 200 and not wrong.wsgi_request.user.is_authenticated
    ok = client.post(
        reverse("residents:login"),
        {"password": "Zomer-in-Twente-2026", "email": resident.email},
    )
    assert ok.status_code == 302 and ok.url == reverse("residents:home")

    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=resident, name="app", confirmed=True)
    client.logout()
    second = client.post(
        reverse("residents:login"),
        {"password": "Zomer-in-Twente-2026", "email": resident.email},
    )
    assert second.url == reverse("accounts:login_otp")
    assert client.get(reverse("residents:home")).status_code == 302  # not in yet


def test_weak_password_is_refused(client, resident):
    log_in(client, resident)
    response = client.post(
        reverse("residents:account"), {"password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 200
    resident.refresh_from_db()
    assert not resident.has_usable_password()


# -- who sees what --------------------------------------------------------------------------


def test_anonymous_goes_to_the_resident_login_and_staff_are_refused(client, guide):
    response = client.get(reverse("residents:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("residents:login"))
    client.force_login(guide)
    assert client.get(reverse("residents:home")).status_code == 403


def test_a_resident_never_sees_another_residents_question(
    client, twente, guide, resident, other_resident
):
    mine = frontdoor.register_contact(
        region=twente,
        channel=Channel.DIGITAL,
        asker_type="resident",
        question="Mijn vraag over omscholing",
        person=resident.person,
    )
    theirs = frontdoor.register_contact(
        region=twente,
        channel=Channel.DIGITAL,
        asker_type="resident",
        question="Geheime vraag van Karel",
        person=other_resident.person,
    )
    log_in(client, resident)
    home = client.get(reverse("residents:home")).content.decode()
    assert "Mijn vraag over omscholing" in home and "Geheime vraag" not in home
    assert client.get(reverse("residents:question", args=[mine.pk])).status_code == 200
    assert client.get(reverse("residents:question", args=[theirs.pk])).status_code == 404


def test_residents_are_not_staff_anywhere(client, twente, guide, resident):
    contact = factories.contact(twente, guide)
    log_in(client, resident)
    for url in (
        reverse("frontdoor:guide_queue"),
        reverse("frontdoor:contact_detail", args=[contact.pk]),
        reverse("frontdoor:partner_inbox"),
        reverse("appointments:overview"),
    ):
        assert client.get(url).status_code in (302, 403), url
    assert Contact.objects.visible_to(resident).count() == 0


# -- the closed loop, seen by the person -------------------------------------------------------


def test_the_resident_follows_a_handover_to_acceptance(
    client, twente, guide, uwv, uwv_employee, resident
):
    contact = factories.contact(twente, guide)
    contact = frontdoor.attach_person(contact, resident.person, guide)
    handover = factories.handover(contact, guide, uwv)
    log_in(client, resident)
    page = client.get(reverse("residents:question", args=[contact.pk])).content.decode()
    assert uwv.name in page
    frontdoor.accept_handover(handover, uwv_employee)
    page = client.get(reverse("residents:question", args=[contact.pk])).content.decode()
    assert "picked up your question" in page or "opgepakt" in page
    # Internal matters (triage reasons, notes) are not shown.
    assert "Triage" not in page


def test_asking_in_the_portal_reaches_the_guides_queue(client, twente, guide, resident):
    log_in(client, resident)
    response = client.post(
        reverse("residents:ask"),
        {
            "question": "Ik wil graag een opleiding in de zorg volgen.",
            "municipality": resident.person.municipality_id,
        },
    )
    contact = Contact.objects.get(person=resident.person)
    assert response.url == reverse("residents:question", args=[contact.pk])
    assert contact.channel == Channel.DIGITAL
    assert contact in list(frontdoor_selectors.unassigned_queue(guide))


def test_an_empty_question_changes_nothing(client, resident):
    log_in(client, resident)
    response = client.post(reverse("residents:ask"), {"question": "  ", "municipality": ""})
    assert response.status_code == 200
    assert not Contact.objects.exists()


# -- consents and the processing log --------------------------------------------------------------


def test_withdrawing_consent_stops_a_waiting_handover(client, twente, guide, uwv, resident):
    contact = factories.contact(twente, guide)
    contact = frontdoor.attach_person(contact, resident.person, guide)
    handover = factories.handover(contact, guide, uwv)
    log_in(client, resident)
    page = client.get(reverse("residents:consents")).content.decode()
    assert uwv.name in page
    client.post(reverse("residents:consent_withdraw", args=[handover.consent_id]))
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.WITHDRAWN
    assert Consent.objects.get(pk=handover.consent_id).withdrawn_at is not None
    contact.refresh_from_db()
    assert contact.owner_user == guide  # back with the guide: nobody lost


def test_another_residents_consent_cannot_be_withdrawn(
    client, twente, guide, uwv, resident, other_resident
):
    contact = factories.contact(twente, guide)
    contact = frontdoor.attach_person(contact, other_resident.person, guide)
    handover = factories.handover(contact, guide, uwv)
    log_in(client, resident)
    client.post(reverse("residents:consent_withdraw", args=[handover.consent_id]))
    assert Consent.objects.get(pk=handover.consent_id).withdrawn_at is None


def test_the_log_shows_which_organisation_looked_and_why(
    client, twente, guide, uwv, uwv_employee, resident
):
    contact = factories.contact(twente, guide)
    contact = frontdoor.attach_person(contact, resident.person, guide)
    handover = factories.handover(contact, guide, uwv)
    client.force_login(uwv_employee)
    client.get(reverse("frontdoor:partner_handover", args=[handover.pk]))
    client.logout()
    log_in(client, resident)
    page = client.get(reverse("residents:log")).content.decode()
    assert uwv.name in page
    assert "De partner beoordeelt" in page  # the purpose from the processing register
    assert uwv_employee.get_full_name() not in page or not uwv_employee.get_full_name()


# -- export and deletion ---------------------------------------------------------------------------


def test_export_json_holds_own_data_only_and_is_logged(
    client, twente, guide, uwv, resident, other_resident
):
    contact = factories.contact(twente, guide)
    contact = frontdoor.attach_person(contact, resident.person, guide)
    factories.handover(contact, guide, uwv)
    frontdoor.register_contact(
        region=twente,
        channel=Channel.DIGITAL,
        asker_type="resident",
        question="Geheime vraag van Karel",
        person=other_resident.person,
    )
    log_in(client, resident)
    response = client.get(reverse("residents:export_json"))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["person"]["last_name"] == "Jansen"
    assert [q["reference"] for q in data["questions"]] == [contact.reference]
    assert data["consents"][0]["partner"] == uwv.name
    assert "Geheime vraag" not in response.content.decode()
    assert ProcessingLogEntry.objects.filter(
        subject_person=resident.person, activity_id="self_service", operation="read"
    ).exists()


def test_export_pdf_is_a_pdf(client, twente, guide, resident):
    contact = factories.contact(twente, guide)
    contact = frontdoor.attach_person(contact, resident.person, guide)
    log_in(client, resident)
    response = client.get(reverse("residents:export_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_deletion_request_once(client, resident):
    log_in(client, resident)
    url = reverse("residents:deletion")
    assert client.post(url, {"reason": ""}).status_code == 200  # confirmation box required
    assert not DeletionRequest.objects.exists()
    client.post(url, {"reason": "Ik ben verhuisd", "confirm": "on"})
    client.post(url, {"reason": "nog eens", "confirm": "on"})
    assert DeletionRequest.objects.filter(person=resident.person).count() == 1
    page = client.get(reverse("residents:data")).content.decode()
    assert DeletionRequest.objects.get().reference in page


def test_every_portal_page_renders(client, twente, guide, resident):
    contact = factories.contact(twente, guide)
    contact = frontdoor.attach_person(contact, resident.person, guide)
    log_in(client, resident)
    for name in ("home", "ask", "consents", "log", "data", "deletion", "account", "appointments"):
        assert client.get(reverse(f"residents:{name}")).status_code == 200, name
    assert resident.role == Role.RESIDENT


def test_the_resident_turns_matching_off_and_on(client, twente, resident):
    from werkcentrum.candidates.models import CandidateProfile
    from werkcentrum.regions.models import Municipality

    profile = CandidateProfile.objects.create(
        person=resident.person,
        region=twente,
        municipality=Municipality.objects.get(name="Oldenzaal"),
        benefit_regime="ww",
        consent_given_at=timezone.now(),
    )
    log_in(client, resident)
    page = client.get(reverse("residents:consents")).content.decode()
    assert reverse("residents:matching_consent") in page
    client.post(reverse("residents:matching_consent"), {"give": "0"})
    profile.refresh_from_db()
    assert not profile.has_consent and not profile.matchable
    client.post(reverse("residents:matching_consent"), {"give": "1"})
    profile.refresh_from_db()
    assert profile.has_consent and profile.consent_recorded_by == resident


def test_matching_consent_without_a_profile_changes_nothing(client, resident):
    log_in(client, resident)
    response = client.post(reverse("residents:matching_consent"), {"give": "1"}, follow=True)
    assert response.status_code == 200


def _ask(region, person, n):
    for i in range(n):
        frontdoor.register_contact(
            region=region,
            channel=Channel.DIGITAL,
            asker_type="resident",
            question=f"Vraag {i}",
            person=person,
        )


def test_my_werkcentrum_uses_a_constant_number_of_queries(client, twente, resident):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    log_in(client, resident)
    counts = []
    for n in (2, 12):
        _ask(twente, resident.person, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("residents:home")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
