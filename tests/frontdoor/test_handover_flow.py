"""The warm-handover closed loop: consent, hand over, the partner accepts or returns, and the
question never ends without an owner. Driven through the screens where the people use them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import contact, handover
from werkcentrum.core.workdays import add_working_days
from werkcentrum.frontdoor import selectors, services
from werkcentrum.frontdoor.errors import Conflict, NotAllowed, ServiceError
from werkcentrum.frontdoor.models import Consent, ContactEvent, Handover
from werkcentrum.frontdoor.states import ContactStatus, HandoverStatus
from werkcentrum.regions.models import Partner

pytestmark = pytest.mark.django_db


def kinds(c):
    return list(c.events.order_by("at", "id").values_list("kind", flat=True))


def handover_form(partner, **extra):
    data = {
        "partner": partner.pk,
        "categories": ["contact_details", "question"],
        "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "message": "Graag bellen voor een afspraak.",
        "contact_details_checked": "on",
        "consent_given": "on",
    }
    data.update(extra)
    return data


def test_guide_hands_over_with_consent_through_the_screen(
    client, twente, guide, uwv, uwv_employee, django_capture_on_commit_callbacks
):
    c = contact(twente, guide)
    client.force_login(guide)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("frontdoor:contact_handover", args=[c.pk]), handover_form(uwv)
        )
    assert response.status_code == 302
    c.refresh_from_db()
    h = c.handovers.get()
    assert (c.status, c.owner_user, c.owner_partner) == (ContactStatus.HANDOVER_PENDING, None, uwv)
    assert h.status == HandoverStatus.PENDING and h.consent.partner == uwv
    assert h.consent.categories == ["contact_details", "question"]
    # The partner is told (without personal data) that there is something in the inbox.
    assert len(mail.outbox) == 1
    assert uwv_employee.email in mail.outbox[0].to
    assert c.person.last_name not in mail.outbox[0].body
    assert c.person.email not in mail.outbox[0].to


def test_handover_without_consent_ticks_is_refused(client, twente, guide, uwv):
    c = contact(twente, guide)
    client.force_login(guide)
    data = handover_form(uwv)
    del data["consent_given"]
    response = client.post(reverse("frontdoor:contact_handover", args=[c.pk]), data)
    assert response.status_code == 400
    assert not Handover.objects.filter(contact=c).exists()
    assert not Consent.objects.filter(contact=c).exists()
    c.refresh_from_db()
    assert c.status == ContactStatus.OPEN and c.owner_user == guide


def test_partner_sees_it_in_inbox_and_accepts_resident_is_emailed(
    client,
    twente,
    guide,
    uwv,
    uwv_employee,
    municipality_employee,
    django_capture_on_commit_callbacks,
):
    c = contact(twente, guide)
    h = handover(c, guide, uwv)

    client.force_login(municipality_employee)
    response = client.get(reverse("frontdoor:partner_inbox"))
    assert c.reference not in response.content.decode()

    client.force_login(uwv_employee)
    response = client.get(reverse("frontdoor:partner_inbox"))
    assert response.status_code == 200
    page = response.content.decode()
    assert c.reference in page and c.person.full_name in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("frontdoor:partner_accept", args=[h.pk]))
    assert response.status_code == 302
    h.refresh_from_db()
    c.refresh_from_db()
    assert h.status == HandoverStatus.ACCEPTED and h.decided_by == uwv_employee and h.decided_at
    assert (c.status, c.owner_user, c.owner_partner) == (ContactStatus.HANDED_OVER, None, uwv)
    resident_mails = [m for m in mail.outbox if c.person.email in m.to]
    assert len(resident_mails) == 1
    assert uwv.name in resident_mails[0].subject
    assert ContactEvent.Kind.NOTIFIED in kinds(c)
    # Accepted handovers move from the "new" tab to the "accepted" tab.
    assert c.reference not in client.get(reverse("frontdoor:partner_inbox")).content.decode()
    assert (
        c.reference
        in client.get(reverse("frontdoor:partner_inbox") + "?tab=accepted").content.decode()
    )


def test_no_email_to_resident_without_address(
    twente, guide, uwv, uwv_employee, django_capture_on_commit_callbacks
):
    c = contact(twente, guide)
    c.person.email = ""
    c.person.save()
    h = handover(c, guide, uwv)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_handover(h, uwv_employee)
    assert all(c.person.last_name not in m.subject for m in mail.outbox)
    assert ContactEvent.Kind.NOTIFIED not in kinds(c)


def test_partner_returns_with_reason_and_better_partner_back_in_guide_queue(
    client, twente, guide, uwv, uwv_employee
):
    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    better = Partner.objects.get(code="gm0173-social_assistance")
    client.force_login(uwv_employee)
    response = client.post(
        reverse("frontdoor:partner_return", args=[h.pk]),
        {"reason": "Geen WW, wel bijstand: hoort bij de gemeente.", "suggested_partner": better.pk},
    )
    assert response.status_code == 302
    h.refresh_from_db()
    c.refresh_from_db()
    assert h.status == HandoverStatus.RETURNED
    assert h.return_reason.startswith("Geen WW") and h.suggested_partner == better
    assert (c.status, c.owner_user, c.owner_partner) == (ContactStatus.OPEN, guide, None)
    assert [x.pk for x in selectors.my_queue(guide)] == [c.pk]
    assert selectors.my_queue(guide)[0].last_handover_status == HandoverStatus.RETURNED
    returned_event = c.events.get(kind=ContactEvent.Kind.RETURNED)
    assert returned_event.actor == uwv_employee and returned_event.data["suggested"] == better.name

    client.force_login(guide)
    page = client.get(reverse("frontdoor:guide_queue")).content.decode()
    assert c.reference in page and "badge--returned" in page
    # The guide can hand it over again, now to the suggested partner.
    h2 = handover(c, guide, better)
    assert h2.status == HandoverStatus.PENDING
    c.refresh_from_db()
    assert c.owner_partner == better


def test_return_without_reason_or_to_yourself_changes_nothing(
    client, twente, guide, uwv, uwv_employee
):
    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    client.force_login(uwv_employee)
    response = client.post(reverse("frontdoor:partner_return", args=[h.pk]), {"reason": "  "})
    assert response.status_code == 400
    with pytest.raises(ServiceError) as excinfo:
        services.return_handover(h, uwv_employee, reason="Niet voor ons", suggested_partner=uwv)
    assert excinfo.value.field == "suggested_partner"
    h.refresh_from_db()
    c.refresh_from_db()
    assert h.status == HandoverStatus.PENDING and c.status == ContactStatus.HANDOVER_PENDING


def test_only_the_receiving_organisation_decides(
    twente, guide, uwv, municipality_employee, other_guide
):
    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    with pytest.raises(NotAllowed):
        services.accept_handover(h, municipality_employee)
    with pytest.raises(NotAllowed):
        services.accept_handover(h, other_guide)
    with pytest.raises(NotAllowed):
        services.return_handover(h, municipality_employee, reason="x")
    h.refresh_from_db()
    assert h.status == HandoverStatus.PENDING


def test_second_decision_is_a_conflict_naming_the_status(twente, guide, uwv, uwv_employee):
    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    services.return_handover(h, uwv_employee, reason="Niet voor ons")
    stale = Handover.objects.get(pk=h.pk)
    stale.status = HandoverStatus.PENDING  # what a second browser tab still shows
    with translation.override("en"), pytest.raises(Conflict) as excinfo:
        services.accept_handover(stale, uwv_employee)
    assert "already returned by Uwv_Employee" in excinfo.value.message
    with translation.override("nl"), pytest.raises(Conflict) as excinfo:
        services.accept_handover(stale, uwv_employee)
    assert "teruggestuurd" in excinfo.value.message
    c.refresh_from_db()
    assert (c.status, c.owner_user) == (ContactStatus.OPEN, guide)


def test_handover_rules(twente, guide, uwv, other_guide):
    anonymous = contact(twente, guide, with_person=False)
    with pytest.raises(ServiceError):
        services.record_consent(
            anonymous, guide, partner=uwv, categories=["contact_details", "question"]
        )
    c = contact(twente, guide)
    with pytest.raises(ServiceError):  # name, contact details and question are always shared
        services.record_consent(c, guide, partner=uwv, categories=["question"])
    with pytest.raises(ServiceError):
        services.record_consent(
            c, guide, partner=uwv, categories=["contact_details", "question", "shoe_size"]
        )
    consent = services.record_consent(
        c, guide, partner=uwv, categories=["contact_details", "question"]
    )
    other = Partner.objects.get(code="sbb-twente")
    with pytest.raises(ServiceError):  # consent for UWV does not cover SBB
        services.create_handover(c, guide, partner=other, consent=consent)
    werkcentrum = Partner.objects.get(code="werkcentrum-twente")
    wc_consent = services.record_consent(
        c, guide, partner=werkcentrum, categories=["contact_details", "question"]
    )
    with pytest.raises(ServiceError):
        services.create_handover(c, guide, partner=werkcentrum, consent=wc_consent)
    services.withdraw_consent(consent, guide)
    consent.refresh_from_db()
    with pytest.raises(ServiceError):
        services.create_handover(c, guide, partner=uwv, consent=consent)
    c.refresh_from_db()
    assert (c.status, c.owner_user) == (ContactStatus.OPEN, guide)
    assert not c.handovers.exists()


def test_second_handover_while_one_is_pending_is_refused(twente, guide, uwv):
    c = contact(twente, guide)
    handover(c, guide, uwv)
    sbb = Partner.objects.get(code="sbb-twente")
    with pytest.raises(Conflict):
        handover(c, guide, sbb)
    assert c.handovers.filter(status=HandoverStatus.PENDING).count() == 1


def test_pickup_time_default_two_working_days_and_per_partner(twente, guide, uwv):
    assert uwv.pickup_working_days == 2
    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    assert h.due_at == add_working_days(timezone.localtime(h.created_at), 2)
    debt = Partner.objects.get(code="gm0173-debt_support")
    assert debt.pickup_working_days == 3
    c2 = contact(twente, guide, question="Ik heb schulden")
    h2 = handover(c2, guide, debt)
    assert h2.due_at == add_working_days(timezone.localtime(h2.created_at), 3)


def test_overdue_handover_on_coordinator_escalation_list(client, twente, guide, uwv, coordinator):
    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    assert h not in selectors.escalation_list(coordinator).overdue
    Handover.objects.filter(pk=h.pk).update(due_at=timezone.now() - timedelta(hours=1))
    h.refresh_from_db()
    assert h.is_overdue
    assert [x.pk for x in selectors.escalation_list(coordinator).overdue] == [h.pk]
    client.force_login(coordinator)
    page = client.get(reverse("frontdoor:escalations")).content.decode()
    assert c.reference in page and uwv.name in page


def test_guide_withdraws_pending_handover(client, twente, guide, uwv):
    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    client.force_login(guide)
    response = client.post(
        reverse("frontdoor:handover_withdraw", args=[h.pk]), {"reason": "Persoon belt zelf"}
    )
    assert response.status_code == 302
    h.refresh_from_db()
    c.refresh_from_db()
    assert h.status == HandoverStatus.WITHDRAWN
    assert (c.status, c.owner_user, c.owner_partner) == (ContactStatus.OPEN, guide, None)


def test_returned_handover_of_a_guide_who_left_goes_to_the_werkcentrum_queue(
    twente, guide, other_guide, uwv, uwv_employee
):
    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    guide.is_active = False
    guide.save()
    services.return_handover(h, uwv_employee, reason="Niet voor ons")
    c.refresh_from_db()
    werkcentrum = Partner.objects.get(code="werkcentrum-twente")
    assert (c.status, c.owner_user, c.owner_partner) == (ContactStatus.OPEN, None, werkcentrum)
    assert c.pk in [x.pk for x in selectors.unassigned_queue(other_guide)]
    services.claim_contact(c, other_guide)
    c.refresh_from_db()
    assert c.owner_user == other_guide


def test_full_timeline_on_the_contact_screen(
    client, twente, guide, uwv, uwv_employee, django_capture_on_commit_callbacks
):
    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    services.return_handover(h, uwv_employee, reason="Eerst bijstand aanvragen")
    h2 = handover(c, guide, uwv)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_handover(h2, uwv_employee)
    services.answer_contact(c, guide, "Opgepakt door UWV, afgerond.")
    assert kinds(c) == [
        "created",
        "triaged",
        "consent_given",
        "handed_over",
        "returned",
        "consent_given",
        "handed_over",
        "accepted",
        "notified",
        "answered",
    ]
    c.refresh_from_db()
    assert (c.status, c.owner_user, c.owner_partner) == (ContactStatus.ANSWERED, None, None)
    client.force_login(guide)
    page = client.get(reverse("frontdoor:contact_detail", args=[c.pk])).content.decode()
    for event in c.events.all():
        assert str(event.get_kind_display()) in page
    assert "Eerst bijstand aanvragen" in page


def test_handover_with_a_consent_withdrawn_meanwhile_is_refused(twente, guide, uwv):
    c = contact(twente, guide)
    consent = services.record_consent(
        c, guide, partner=uwv, categories=["contact_details", "question"]
    )
    services.withdraw_consent(Consent.objects.get(pk=consent.pk), guide)  # e.g. another request
    with pytest.raises(ServiceError):
        services.create_handover(c, guide, partner=uwv, consent=consent)
    assert not c.handovers.filter(status=HandoverStatus.PENDING).exists()
