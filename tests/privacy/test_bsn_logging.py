"""BSN: the eleven-test, encryption at rest, never in lists or URLs; log redaction."""

import io
import logging
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import contact, handover, person
from werkcentrum.frontdoor import services
from werkcentrum.frontdoor.errors import ServiceError
from werkcentrum.frontdoor.models import Contact, Person
from werkcentrum.privacy.bsn import (
    bsn_lookup_hash,
    decrypt_bsn,
    is_valid_bsn,
    mask_bsn,
    normalise_bsn,
)
from werkcentrum.privacy.logging import RedactSensitiveFilter, redact
from werkcentrum.regions.models import Municipality

VALID = "111222333"
INVALID = "123456789"


# -- the eleven-test ------------------------------------------------------------------------------


def test_eleven_test_examples():
    assert is_valid_bsn(VALID)
    assert not is_valid_bsn(INVALID)
    assert not is_valid_bsn("000000000")
    assert not is_valid_bsn("11122233")  # 8 digits means a leading zero: 011122233 fails
    assert is_valid_bsn("12345672") and normalise_bsn("1234.56.72") == "012345672"
    assert not is_valid_bsn("11122233a") and not is_valid_bsn("1112223334")
    assert normalise_bsn(" 111 222 333 ") == VALID


def eleven_sum(digits: str) -> int:
    return sum(int(d) * w for d, w in zip(digits, [9, 8, 7, 6, 5, 4, 3, 2, -1], strict=True))


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_eleven_test_property(digits):
    assert is_valid_bsn(digits) == (eleven_sum(digits) % 11 == 0 and digits != "000000000")


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_every_eight_digit_prefix_has_at_most_one_check_digit(prefix):
    valid = [d for d in "0123456789" if is_valid_bsn(prefix + d)]
    assert len(valid) <= 1


def test_mask():
    assert mask_bsn(VALID) == "*****2333"
    assert mask_bsn(None) == ""


# -- stored encrypted -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_bsn_is_stored_encrypted_and_hashed(twente):
    p = person(twente, bsn="111 222 333")
    raw = Person.objects.filter(pk=p.pk).values("bsn_encrypted", "bsn_hash").get()
    assert raw["bsn_encrypted"] and raw["bsn_encrypted"] != VALID
    assert VALID not in raw["bsn_encrypted"] and "2333" not in raw["bsn_encrypted"]
    assert VALID not in raw["bsn_hash"]
    assert decrypt_bsn(raw["bsn_encrypted"]) == VALID
    assert raw["bsn_hash"] == bsn_lookup_hash(VALID)
    # Fernet: encrypting the same BSN twice gives different ciphertexts, the lookup hash is stable.
    other = person(twente, first="Jan", last="Bakker", bsn=VALID)
    assert other.bsn_encrypted != p.bsn_encrypted and other.bsn_hash == p.bsn_hash
    assert decrypt_bsn("not-a-token") is None


@pytest.mark.django_db
def test_invalid_bsn_is_refused(twente):
    with pytest.raises(ServiceError) as excinfo:
        person(twente, bsn=INVALID)
    assert excinfo.value.field == "bsn"
    assert not Person.objects.exists()


# -- never in a list or a URL ----------------------------------------------------------------------


@pytest.mark.django_db
def test_bsn_never_shown_in_full_to_the_guide(client, twente, guide):
    client.force_login(guide)
    response = client.post(
        reverse("frontdoor:intake"),
        {
            "channel": "walk_in",
            "walk_in_point": guide.walk_in_point_id,
            "asker_type": "resident",
            "question": "Ik heb een WIA-uitkering en kan deels werken.",
            "municipality": Municipality.objects.get(name="Enschede").pk,
            "first_name": "Julia",
            "last_name": "de Boer",
            "date_of_birth": "1985-02-03",
            "bsn": "111 222 333",
        },
    )
    assert response.status_code == 302
    assert VALID not in response["Location"] and "2333" not in response["Location"]
    c = Contact.objects.get()
    assert c.person.has_bsn
    detail = client.get(response["Location"]).content.decode()
    assert VALID not in detail and "111 222 333" not in detail
    assert "*****2333" in detail
    queue = client.get(reverse("frontdoor:guide_queue")).content.decode()
    assert "de Boer" in queue
    assert VALID not in queue and "2333" not in queue
    escalations_like = client.get(
        reverse("frontdoor:contact_detail", args=[c.pk]) + "?x=1"
    ).content.decode()
    assert VALID not in escalations_like


@pytest.mark.django_db
def test_partner_inbox_list_never_shows_the_bsn(client, twente, guide, uwv, uwv_employee):
    p = person(twente, first="Julia", last="de Boer", bsn=VALID, date_of_birth=date(1985, 2, 3))
    c = services.register_contact(
        region=twente,
        channel="phone",
        asker_type="resident",
        created_by=guide,
        person=p,
        question="Ik heb WIA.",
        municipality=p.municipality,
    )
    handover(c, guide, uwv, categories=("contact_details", "question", "bsn"))
    client.force_login(uwv_employee)
    inbox = client.get(reverse("frontdoor:partner_inbox")).content.decode()
    assert "de Boer" in inbox and VALID not in inbox


@pytest.mark.django_db
def test_masked_bsn_only_when_there_is_one(client, twente, guide):
    c = contact(twente, guide)
    client.force_login(guide)
    page = client.get(reverse("frontdoor:contact_detail", args=[c.pk])).content.decode()
    assert "*****" not in page


# -- redaction of log records ----------------------------------------------------------------------


def test_redact_removes_nine_digit_numbers_and_secrets():
    assert redact(f"BSN {VALID} opgeslagen") == "BSN [redacted] opgeslagen"
    assert VALID not in redact(f"bsn={VALID};")
    assert redact("password=hunter2 token: abc123") == "password=[redacted] token: [redacted]"
    # Not every number: 8 and 10 digits, and phone numbers with spaces, stay.
    assert redact("order 12345678 and 1234567890") == "order 12345678 and 1234567890"


def test_filter_redacts_formatted_records():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSensitiveFilter())
    logger = logging.getLogger("werkcentrum.tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("lookup for %s failed (password=%s)", VALID, "s3cret")
        logger.warning({"bsn": VALID})
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert VALID not in output and "s3cret" not in output
    assert output.count("[redacted]") == 3


def test_console_logging_is_configured_with_the_filter():
    handlers = settings.LOGGING["handlers"]
    assert all("redact" in handler.get("filters", []) for handler in handlers.values())
    assert settings.LOGGING["filters"]["redact"]["()"].endswith("RedactSensitiveFilter")


def test_tracebacks_are_redacted_too():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSensitiveFilter())
    logger = logging.getLogger("werkcentrum.tests.redaction.exc")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise ValueError(f"no person with bsn {VALID} (token=abc123)")
        except ValueError:
            logger.exception("lookup failed")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "Traceback" in output and "ValueError" in output
    assert VALID not in output and "abc123" not in output


def test_the_worker_keeps_the_redacting_handlers():
    assert settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False
