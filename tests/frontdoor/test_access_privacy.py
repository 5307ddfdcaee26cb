"""Who sees what: the one scoping rule per model (visible_to), the screens' 403/404/login
answers, exactly the consented data for partners, consent withdrawal, and the processing log."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from tests.factories import contact, handover, person
from werkcentrum.frontdoor import selectors, services
from werkcentrum.frontdoor.models import Consent, Contact, Handover, Person
from werkcentrum.frontdoor.states import ContactStatus, HandoverStatus
from werkcentrum.privacy.models import ProcessingLogEntry
from werkcentrum.regions.models import Municipality, Partner

pytestmark = pytest.mark.django_db

MODELS = [Contact, Person, Handover, Consent]
BSN = "111222333"


def visible(model, user):
    return set(model.objects.visible_to(user).values_list("pk", flat=True))


@pytest.fixture
def world(twente, achterhoek, guide, achterhoek_guide, uwv):
    """A Twente question handed over to UWV and an Achterhoek question handed over there."""
    tw = contact(twente, guide)
    tw_handover = handover(tw, guide, uwv)
    ah_person = person(achterhoek, first="Jan", last="Bos", municipality="Doetinchem")
    ah = services.register_contact(
        region=achterhoek,
        channel="phone",
        asker_type="resident",
        question="Ik zoek werk in de Achterhoek.",
        created_by=achterhoek_guide,
        person=ah_person,
        municipality=Municipality.objects.get(name="Doetinchem"),
    )
    ah_partner = Partner.objects.get(region=achterhoek, kind="uwv")
    ah_handover = handover(ah, achterhoek_guide, ah_partner)
    return {
        "tw": {
            Contact: tw.pk,
            Person: tw.person_id,
            Handover: tw_handover.pk,
            Consent: tw_handover.consent_id,
        },
        "ah": {
            Contact: ah.pk,
            Person: ah_person.pk,
            Handover: ah_handover.pk,
            Consent: ah_handover.consent_id,
        },
        "tw_handover": tw_handover,
    }


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_front_office_sees_its_own_region_only(world, guide, coordinator, achterhoek_guide, model):
    for user in (guide, coordinator):
        assert world["tw"][model] in visible(model, user)
        assert world["ah"][model] not in visible(model, user)
    assert world["tw"][model] not in visible(model, achterhoek_guide)
    assert world["ah"][model] in visible(model, achterhoek_guide)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_partner_sees_only_what_is_handed_over_to_its_own_organisation(
    world, uwv_employee, municipality_employee, model
):
    assert visible(model, uwv_employee) == {world["tw"][model]}
    assert visible(model, municipality_employee) == set()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_manager_sees_nothing_individual_administrator_everything(
    world, manager, administrator, model
):
    assert visible(model, manager) == set()
    assert visible(model, AnonymousUser()) == set()
    assert {world["tw"][model], world["ah"][model]} <= visible(model, administrator)


def test_partner_loses_sight_after_returning(world, uwv_employee):
    h = world["tw_handover"]
    services.return_handover(h, uwv_employee, reason="Niet voor ons")
    assert visible(Contact, uwv_employee) == set()
    assert visible(Person, uwv_employee) == set()
    h.refresh_from_db()
    assert selectors.shared_data(h) is None


def test_partner_keeps_sight_after_accepting(world, uwv_employee):
    h = world["tw_handover"]
    services.accept_handover(h, uwv_employee)
    assert visible(Contact, uwv_employee) == {world["tw"][Contact]}
    assert visible(Person, uwv_employee) == {world["tw"][Person]}


# -- screens ------------------------------------------------------------------------------------


def test_partner_of_another_organisation_gets_404(client, world, municipality_employee):
    h = world["tw_handover"]
    client.force_login(municipality_employee)
    assert client.get(reverse("frontdoor:partner_handover", args=[h.pk])).status_code == 404
    assert client.post(reverse("frontdoor:partner_accept", args=[h.pk])).status_code == 404
    assert (
        client.post(reverse("frontdoor:partner_return", args=[h.pk]), {"reason": "x"}).status_code
        == 404
    )
    h.refresh_from_db()
    assert h.status == HandoverStatus.PENDING


def test_guide_of_another_region_gets_404(client, world, achterhoek_guide):
    client.force_login(achterhoek_guide)
    url = reverse("frontdoor:contact_detail", args=[world["tw"][Contact]])
    assert client.get(url).status_code == 404
    answer = reverse("frontdoor:contact_answer", args=[world["tw"][Contact]])
    assert client.post(answer, {"outcome": "x"}).status_code == 404


GUIDE_SCREENS = [
    ("frontdoor:guide_queue", False),
    ("frontdoor:intake", False),
    ("frontdoor:contact_detail", True),
]


@pytest.mark.parametrize("role", ["manager", "uwv_employee"])
def test_non_guides_get_403_on_guide_screens(client, world, request, role):
    client.force_login(request.getfixturevalue(role))
    for name, with_pk in GUIDE_SCREENS:
        url = reverse(name, args=[world["tw"][Contact]] if with_pk else [])
        assert client.get(url).status_code == 403, name


def test_staff_screens_are_closed_to_the_wrong_roles(client, world, guide, manager):
    client.force_login(guide)
    assert client.get(reverse("frontdoor:partner_inbox")).status_code == 403
    assert client.get(reverse("frontdoor:escalations")).status_code == 403
    assert client.get(reverse("frontdoor:manager_overview")).status_code == 403
    client.force_login(manager)
    assert client.get(reverse("frontdoor:escalations")).status_code == 403
    page = client.get(reverse("frontdoor:manager_overview"))
    assert page.status_code == 200
    tw = Contact.objects.get(pk=world["tw"][Contact])
    assert tw.person.last_name not in page.content.decode()
    assert tw.question not in page.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "frontdoor:guide_queue",
        "frontdoor:intake",
        "frontdoor:partner_inbox",
        "frontdoor:escalations",
        "frontdoor:rules",
        "frontdoor:manager_overview",
    ],
)
def test_anonymous_is_sent_to_login(client, twente, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_is_sent_to_login_for_a_contact(client, world):
    response = client.get(reverse("frontdoor:contact_detail", args=[world["tw"][Contact]]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


# -- exactly the consented data -----------------------------------------------------------------


def shared_section(page):
    """The "shared with your organisation" card of the partner's handover page."""
    start = page.index('<section class="card stack">')
    return page[start : page.index("</section>", start)]


def detailed_contact(twente, guide):
    p = person(
        twente,
        first="Marjolein",
        last="Visser",
        municipality="Hof van Twente",
        date_of_birth=date(1990, 5, 17),
        phone="06 12345678",
        bsn=BSN,
    )
    return services.register_contact(
        region=twente,
        channel="walk_in",
        asker_type="resident",
        created_by=guide,
        person=p,
        walk_in_point=guide.walk_in_point,
        municipality=Municipality.objects.get(name="Hof van Twente"),
        question="Ik zit in de bijstand en wil een opleiding in de kinderopvang.",
        age=35,
        work_status="unemployed",
        benefit="bijstand",
    )


def test_shared_data_covers_exactly_the_minimum_consent(client, twente, guide, uwv, uwv_employee):
    c = detailed_contact(twente, guide)
    h = handover(c, guide, uwv)
    shared = selectors.shared_data(h)
    assert set(shared) == {"contact_details", "question"}
    assert dict(shared["contact_details"])["name"] == "Marjolein Visser"
    client.force_login(uwv_employee)
    page = client.get(reverse("frontdoor:partner_handover", args=[h.pk])).content.decode()
    shared_html = shared_section(page)
    assert "Marjolein Visser" in shared_html and "kinderopvang" in shared_html
    for secret in ("17-05-1990", "1990", BSN, "2333", "Hof van Twente", "35"):
        assert secret not in shared_html, secret
    assert BSN not in page and "17-05-1990" not in page


def test_shared_data_with_every_category(client, twente, guide, uwv, uwv_employee):
    c = detailed_contact(twente, guide)
    h = handover(
        c,
        guide,
        uwv,
        categories=("contact_details", "question", "situation", "date_of_birth", "bsn"),
    )
    shared = selectors.shared_data(h)
    assert set(shared) == {"contact_details", "question", "situation", "date_of_birth", "bsn"}
    assert shared["bsn"] == [("bsn", BSN)]
    assert shared["date_of_birth"] == [("date_of_birth", "17-05-1990")]
    assert dict(shared["situation"])["municipality"] == "Hof van Twente"
    client.force_login(uwv_employee)
    page = client.get(reverse("frontdoor:partner_handover", args=[h.pk])).content.decode()
    assert "17-05-1990" in page and BSN in page


def test_bsn_consent_without_a_bsn_is_dropped(twente, guide, uwv):
    c = contact(twente, guide)
    consent = services.record_consent(
        c, guide, partner=uwv, categories=["contact_details", "question", "bsn"]
    )
    assert consent.categories == ["contact_details", "question"]


# -- consent withdrawal -------------------------------------------------------------------------


def test_withdrawing_consent_withdraws_the_handover_and_the_partner_sees_nothing(
    client, twente, guide, uwv, uwv_employee
):
    c = detailed_contact(twente, guide)
    h = handover(c, guide, uwv)
    client.force_login(guide)
    detail = client.get(reverse("frontdoor:contact_detail", args=[c.pk])).content.decode()
    withdraw_url = reverse("frontdoor:consent_withdraw", args=[h.consent_id])
    assert withdraw_url in detail
    response = client.post(withdraw_url, {"note": "Persoon wil het zelf regelen"})
    assert response.status_code == 302
    h.refresh_from_db()
    assert h.consent.withdrawn_at is not None
    c.refresh_from_db()
    assert h.status == HandoverStatus.WITHDRAWN
    assert (c.status, c.owner_user, c.owner_partner) == (ContactStatus.OPEN, guide, None)
    assert selectors.shared_data(h) is None
    assert visible(Contact, uwv_employee) == set()
    assert visible(Person, uwv_employee) == set()
    client.force_login(uwv_employee)
    inbox = client.get(reverse("frontdoor:partner_inbox")).content.decode()
    assert "Visser" not in inbox and c.reference not in inbox
    response = client.get(reverse("frontdoor:partner_handover", args=[h.pk]))
    if response.status_code == 200:
        page = response.content.decode()
        assert "Marjolein" not in page and "Visser" not in page and "kinderopvang" not in page
        assert reverse("frontdoor:partner_accept", args=[h.pk]) not in page


def test_partner_cannot_withdraw_consent_for_the_person(twente, guide, uwv, uwv_employee):
    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    with pytest.raises(services.NotAllowed):
        services.withdraw_consent(h.consent, uwv_employee)
    h.consent.refresh_from_db()
    assert h.consent.withdrawn_at is None


def test_handover_with_withdrawn_consent_is_not_visible_to_the_partner(
    twente, guide, uwv, uwv_employee
):
    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    services.withdraw_consent(h.consent, guide)
    assert h.pk not in visible(Handover, uwv_employee)


def test_guide_message_is_not_shown_after_consent_withdrawal(
    client, twente, guide, uwv, uwv_employee
):
    c = contact(twente, guide)
    consent = services.record_consent(
        c, guide, partner=uwv, categories=["contact_details", "question"]
    )
    h = services.create_handover(
        c,
        guide,
        partner=uwv,
        consent=consent,
        message="Mevrouw Jansen heeft forse schulden en een WW-uitkering.",
    )
    services.withdraw_consent(consent, guide)
    client.force_login(uwv_employee)
    response = client.get(reverse("frontdoor:partner_handover", args=[h.pk]))
    assert "forse schulden" not in response.content.decode()


# -- processing log -----------------------------------------------------------------------------


def log_entries(**filters):
    return ProcessingLogEntry.objects.filter(**filters)


def test_register_contact_writes_a_create_entry(twente, guide):
    c = contact(twente, guide)
    entry = log_entries(object_type="contact", object_id=str(c.pk)).get()
    assert (entry.operation, entry.activity_id, entry.actor, entry.subject_person) == (
        "create",
        "intake",
        guide,
        c.person,
    )
    assert entry.actor_role == "guide"


def test_guide_viewing_a_contact_writes_one_read_entry(client, twente, guide):
    c = contact(twente, guide)
    client.force_login(guide)
    before = log_entries(operation="read").count()
    assert client.get(reverse("frontdoor:contact_detail", args=[c.pk])).status_code == 200
    reads = log_entries(operation="read")
    assert reads.count() == before + 1
    entry = reads.get(object_type="contact", object_id=str(c.pk))
    assert (entry.actor, entry.subject_person, entry.activity_id) == (guide, c.person, "intake")


def test_partner_opening_a_handover_writes_a_read_entry_with_its_organisation(
    client, twente, guide, uwv, uwv_employee
):
    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    assert log_entries(object_type="handover", operation="create", subject_person=c.person).exists()
    client.force_login(uwv_employee)
    client.get(reverse("frontdoor:partner_handover", args=[h.pk]))
    entry = log_entries(operation="read", object_type="handover", object_id=str(h.pk)).get()
    assert entry.actor == uwv_employee
    assert entry.actor_organisation == uwv.name
    assert entry.subject_person == c.person
    assert entry.activity_id == "partner_pickup"


def test_changes_are_logged(twente, guide, uwv, uwv_employee):
    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    services.accept_handover(h, uwv_employee)
    assert log_entries(operation="create", object_type="consent", subject_person=c.person).exists()
    assert log_entries(
        operation="update", object_type="handover", actor=uwv_employee, subject_person=c.person
    ).exists()
    services.withdraw_consent(h.consent, guide)
    assert log_entries(operation="update", object_type="consent", actor=guide).exists()


def test_partner_inbox_listing_names_is_logged(client, twente, guide, uwv, uwv_employee):
    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    client.force_login(uwv_employee)
    page = client.get(reverse("frontdoor:partner_inbox")).content.decode()
    assert c.person.full_name in page
    entry = log_entries(operation="read", actor=uwv_employee, subject_person=c.person).get()
    assert (entry.object_type, entry.object_id) == ("handover", str(h.pk))
    assert entry.actor_organisation == uwv.name and entry.activity_id == "partner_pickup"


def test_guide_queue_listing_names_is_logged(client, twente, guide):
    c = contact(twente, guide)
    anonymous = contact(twente, guide, with_person=False, question="Waar is het inlooppunt?")
    client.force_login(guide)
    page = client.get(reverse("frontdoor:guide_queue")).content.decode()
    assert c.person.full_name in page and anonymous.reference in page
    reads = log_entries(operation="read", actor=guide)
    assert list(reads.values_list("object_id", "subject_person")) == [(str(c.pk), c.person.pk)]


def test_escalation_list_reads_are_logged(client, twente, guide, uwv, coordinator):
    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    Handover.objects.filter(pk=h.pk).update(due_at=timezone.now() - timedelta(hours=1))
    client.force_login(coordinator)
    assert c.reference in client.get(reverse("frontdoor:escalations")).content.decode()
    assert log_entries(operation="read", actor=coordinator, subject_person=c.person).exists()
