"""The guide's intake screen, the live triage preview and the public question form."""

import pytest
from django.core import signing
from django.urls import reverse

from werkcentrum.frontdoor.models import Contact, ContactEvent, Person
from werkcentrum.frontdoor.states import ContactStatus
from werkcentrum.frontdoor.views import RECEIPT_SALT
from werkcentrum.regions.models import Municipality, Partner

pytestmark = pytest.mark.django_db


def municipality(name):
    return Municipality.objects.get(name=name).pk


def intake_data(guide, **extra):
    data = {
        "channel": "walk_in",
        "walk_in_point": guide.walk_in_point_id,
        "asker_type": "resident",
        "question": "Ik heb net een WW-uitkering aangevraagd en zoek werk als kok.",
        "municipality": municipality("Rijssen-Holten"),
    }
    data.update(extra)
    return data


def counts():
    return Contact.objects.count(), Person.objects.count()


def test_valid_walk_in_creates_a_contact_owned_by_the_guide_with_triage(client, twente, guide, uwv):
    client.force_login(guide)
    response = client.post(reverse("frontdoor:intake"), intake_data(guide))
    assert response.status_code == 302
    c = Contact.objects.get()
    assert response["Location"] == reverse("frontdoor:contact_detail", args=[c.pk])
    assert (c.channel, c.walk_in_point, c.created_by) == ("walk_in", guide.walk_in_point, guide)
    assert (c.status, c.owner_user, c.owner_partner) == (ContactStatus.OPEN, guide, None)
    assert c.person is None
    assert c.responsible_partner == uwv and c.service_level == "specialist"
    assert c.triage["partner_name"] == uwv.name and c.triage["rule_id"] and c.triage["reasons"]
    assert c.triage["rules_version"] >= 1
    assert list(c.events.values_list("kind", flat=True)) == [
        ContactEvent.Kind.CREATED,
        ContactEvent.Kind.TRIAGED,
    ]


def test_phone_intake_with_a_new_person_and_bsn(client, twente, guide):
    client.force_login(guide)
    response = client.post(
        reverse("frontdoor:intake"),
        intake_data(
            guide,
            channel="phone",
            walk_in_point="",
            first_name="Frits",
            last_name="Kok",
            email="frits@example.org",
            postcode="7461ab",
            bsn="111222333",
        ),
    )
    assert response.status_code == 302
    c = Contact.objects.get()
    assert c.channel == "phone" and c.person.full_name == "Frits Kok"
    assert c.person.postcode == "7461AB" and c.person.has_bsn


INVALID = {
    "empty question": ({"question": "   "}, "question"),
    "walk-in without place": ({"walk_in_point": ""}, "walk_in_point"),
    "bad postcode": ({"last_name": "Kok", "postcode": "ABCD 12"}, "postcode"),
    "bad bsn": ({"last_name": "Kok", "bsn": "123456789"}, "bsn"),
    "bsn without a name": ({"bsn": "111222333"}, "bsn"),
    "first name only": ({"first_name": "Frits"}, "last_name"),
    "unknown channel": ({"channel": "pigeon"}, "channel"),
}


@pytest.mark.parametrize("case", INVALID, ids=list(INVALID))
def test_invalid_intake_shows_errors_and_creates_nothing(client, twente, guide, case):
    changes, field = INVALID[case]
    client.force_login(guide)
    before = counts()
    response = client.post(reverse("frontdoor:intake"), intake_data(guide, **changes))
    assert response.status_code in (200, 400)
    assert field in response.context["form"].errors
    assert counts() == before


def test_live_triage_preview_shows_the_partner(client, twente, guide):
    client.force_login(guide)
    url = reverse("frontdoor:triage_preview")
    response = client.post(
        url,
        {
            "question": "Ik heb schulden en kan mijn huur niet betalen",
            "municipality": municipality("Losser"),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="proposal"' in page and "Gemeente Losser – Schuldhulpverlening" in page
    assert Contact.objects.count() == 0
    empty = client.post(url, {"question": ""})
    assert empty.status_code == 200 and "Losser" not in empty.content.decode()
    assert client.get(url).status_code == 405


def test_live_triage_preview_is_for_guides_only(client, twente, manager):
    assert client.post(reverse("frontdoor:triage_preview"), {"question": "x"}).status_code == 302
    client.force_login(manager)
    assert client.post(reverse("frontdoor:triage_preview"), {"question": "x"}).status_code == 403


# -- the public question form -------------------------------------------------------------------


def ask_data(**extra):
    data = {
        "asker_type": "resident",
        "question": "Ik ben verpleegkundige geweest en wil weer aan het werk.",
        "municipality": municipality("Losser"),
        "reply_by": "none",
        "privacy_ok": "on",
    }
    data.update(extra)
    return data


def test_anonymous_question_is_owned_by_the_werkcentrum_and_has_a_receipt(client, twente):
    response = client.post(reverse("frontdoor:ask"), ask_data())
    assert response.status_code == 302
    c = Contact.objects.get()
    assert (c.channel, c.person, c.created_by, c.owner_user) == ("digital", None, None, None)
    assert c.owner_partner == Partner.objects.get(code="werkcentrum-twente")
    assert c.status == ContactStatus.OPEN
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert c.reference in receipt.content.decode()


def test_tampered_or_foreign_receipt_token_gives_404(client, twente):
    response = client.post(reverse("frontdoor:ask"), ask_data())
    token = response["Location"].rstrip("/").split("/")[-1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(reverse("frontdoor:question_received", args=[tampered])).status_code == 404
    other_salt = signing.dumps(Contact.objects.get().pk, salt="something-else")
    assert client.get(reverse("frontdoor:question_received", args=[other_salt])).status_code == 404
    valid = signing.dumps(Contact.objects.get().pk, salt=RECEIPT_SALT)
    assert client.get(reverse("frontdoor:question_received", args=[valid])).status_code == 200


def test_reply_by_email_creates_the_person(client, twente):
    response = client.post(
        reverse("frontdoor:ask"),
        ask_data(
            reply_by="email", first_name="Caroline", last_name="Smit", email="caroline@example.org"
        ),
    )
    assert response.status_code == 302
    c = Contact.objects.get()
    assert c.person.email == "caroline@example.org" and c.person.municipality.name == "Losser"


PUBLIC_INVALID = {
    "email reply without name and address": ({"reply_by": "email"}, {"last_name", "email"}),
    "phone reply without phone": ({"reply_by": "phone", "last_name": "Smit"}, {"phone"}),
    "employer without company": (
        {"asker_type": "employer", "question": "Wij zoeken personeel."},
        {"organisation_name"},
    ),
    "no municipality": ({"municipality": ""}, {"municipality"}),
    "no privacy consent": ({"privacy_ok": ""}, {"privacy_ok"}),
    "empty question": ({"question": ""}, {"question"}),
}


@pytest.mark.parametrize("case", PUBLIC_INVALID, ids=list(PUBLIC_INVALID))
def test_public_form_requires_what_is_needed(client, twente, case):
    changes, fields = PUBLIC_INVALID[case]
    response = client.post(reverse("frontdoor:ask"), ask_data(**changes))
    assert response.status_code == 200
    assert fields <= set(response.context["form"].errors)
    assert counts() == (0, 0)


def test_employer_with_company_name(client, twente):
    response = client.post(
        reverse("frontdoor:ask"),
        ask_data(
            asker_type="employer",
            question="Wij zoeken personeel voor ons ICT-bedrijf.",
            organisation_name="Cevdet ICT",
            municipality=municipality("Almelo"),
        ),
    )
    assert response.status_code == 302
    c = Contact.objects.get()
    assert c.asker_type == "employer" and c.organisation_name == "Cevdet ICT"
    assert c.responsible_partner.code == "werkcentrum-twente-wsp"


def test_honeypot_creates_nothing(client, twente):
    response = client.post(reverse("frontdoor:ask"), ask_data(website="http://spam.example"))
    assert response.status_code == 200
    assert counts() == (0, 0)
