"""The resident can always see where the question stands, through the link in the receipt
e-mail (a signed token: no login, no guessable number)."""

import re

from django.core import signing
from django.urls import reverse

from tests.factories import handover
from werkcentrum.frontdoor import services
from werkcentrum.frontdoor.models import Contact
from werkcentrum.frontdoor.views import RECEIPT_SALT
from werkcentrum.regions.models import Municipality


def ask(client, **extra):
    data = {
        "asker_type": "resident",
        "question": "Ik heb een WW-uitkering en zoek werk.",
        "municipality": Municipality.objects.get(name="Losser").pk,
        "reply_by": "email",
        "first_name": "Caroline",
        "last_name": "de Vries",
        "email": "caroline@example.org",
        "privacy_ok": "on",
    }
    data.update(extra)
    return client.post(reverse("frontdoor:ask"), data)


def test_receipt_mail_links_to_a_status_page_that_follows_the_question(
    client, twente, guide, uwv, uwv_employee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client)
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["caroline@example.org"]
    link = re.search(r"https?://\S+/vraag/ontvangen/\S+/", mail.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    status = lambda: client.get("/" + path).content.decode()  # noqa: E731
    assert "Ontvangen" in status()

    contact = Contact.objects.get()
    services.claim_contact(contact, guide)
    assert "werkt aan uw vraag" in status()
    contact.refresh_from_db()
    h = handover(contact, guide, uwv)
    assert "doorgegeven aan UWV Twente" in status()
    services.accept_handover(h, uwv_employee)
    assert "UWV Twente heeft uw vraag opgepakt" in status()


def test_no_mail_without_an_address_and_a_tampered_link_is_not_found(
    client, twente, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, reply_by="none", first_name="", last_name="", email="")
    assert mailoutbox == []
    token = signing.dumps(Contact.objects.get().pk, salt=RECEIPT_SALT)
    assert client.get(reverse("frontdoor:question_received", args=[token])).status_code == 200
    assert (
        client.get(reverse("frontdoor:question_received", args=[token[:-2] + "xx"])).status_code
        == 404
    )
