"""Triage overrides, the coordinator's rules editor, the escalation list and its actions."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.conftest import make_user
from tests.factories import contact, handover
from werkcentrum.accounts.models import Role
from werkcentrum.frontdoor import selectors, services
from werkcentrum.frontdoor.models import (
    Channel,
    Contact,
    ContactEvent,
    Handover,
    RoutingRuleSet,
    TriageOverride,
)
from werkcentrum.frontdoor.routing import DEFAULT_RULES_FILE
from werkcentrum.frontdoor.states import ContactStatus, HandoverStatus
from werkcentrum.privacy.models import AuditEvent
from werkcentrum.regions.models import Municipality, Partner

pytestmark = pytest.mark.django_db


# -- override -------------------------------------------------------------------------------------


def test_guide_overrides_triage_with_a_reason(client, twente, guide, uwv):
    c = contact(twente, guide)
    assert (c.service_level, c.responsible_partner) == ("specialist", uwv)
    fund = Partner.objects.get(code="twents-fonds-voor-vakmanschap")
    client.force_login(guide)
    response = client.post(
        reverse("frontdoor:contact_override", args=[c.pk]),
        {"level": "basic", "partner": fund.pk, "reason": "WW loopt af; wil scholing."},
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.service_level, c.responsible_partner, c.triage_overridden) == ("basic", fund, True)
    override = TriageOverride.objects.get(contact=c)
    assert (
        override.proposed_level,
        override.proposed_partner,
        override.chosen_level,
        override.chosen_partner,
    ) == ("specialist", uwv, "basic", fund)
    assert override.rule_id == c.triage["rule_id"] and override.user == guide
    event = c.events.get(kind=ContactEvent.Kind.OVERRIDDEN)
    assert event.note == "WW loopt af; wil scholing." and event.data["partner"] == fund.name
    page = client.get(reverse("frontdoor:contact_detail", args=[c.pk])).content.decode()
    assert "WW loopt af; wil scholing." in page


def test_override_without_reason_changes_nothing(client, twente, guide, uwv):
    c = contact(twente, guide)
    fund = Partner.objects.get(code="twents-fonds-voor-vakmanschap")
    client.force_login(guide)
    response = client.post(
        reverse("frontdoor:contact_override", args=[c.pk]),
        {"level": "basic", "partner": fund.pk, "reason": ""},
    )
    assert response.status_code == 400
    assert "reason" in response.context["override_form"].errors
    with pytest.raises(services.ServiceError):
        services.override_triage(c, guide, level="basic", partner=fund, reason="   ")
    c.refresh_from_db()
    assert (c.service_level, c.responsible_partner, c.triage_overridden) == (
        "specialist",
        uwv,
        False,
    )
    assert not TriageOverride.objects.exists()
    assert not c.events.filter(kind=ContactEvent.Kind.OVERRIDDEN).exists()


# -- rules editor ---------------------------------------------------------------------------------

NEW_RULE = """
[[rules]]
id = "debts-first-to-werkcentrum"
any_topics = ["debts"]
level = "basic"
partner_kind = "werkcentrum"
reason = "Proef: schuldvragen eerst naar het Werkcentrum."
reason_en = "Trial: debt questions go to the Werkcentrum first."
"""


def rules_with_new_rule():
    text = DEFAULT_RULES_FILE.read_text(encoding="utf-8")
    return text.replace("version = 1\n", "version = 1\n" + NEW_RULE, 1)


def debt_question(twente, guide):
    return contact(twente, guide, question="Ik heb schulden en kan de huur niet betalen.")


def test_coordinator_publishes_new_rules_used_for_new_contacts(client, twente, guide, coordinator):
    before = debt_question(twente, guide)
    assert before.responsible_partner.kind == "debt_support"
    client.force_login(coordinator)
    page = client.get(reverse("frontdoor:rules"))
    assert page.status_code == 200 and "catch-all" in page.context["form"].initial["source_text"]
    response = client.post(
        reverse("frontdoor:rules"),
        {"source_text": rules_with_new_rule(), "change_note": "Proef schuldvragen"},
    )
    assert response.status_code == 302
    rule_set = RoutingRuleSet.objects.get(region=twente)
    assert rule_set.version == 2 and rule_set.created_by == coordinator
    assert rule_set.change_note == "Proef schuldvragen"
    audit = AuditEvent.objects.get(action="rules_changed")
    assert audit.user == coordinator and audit.detail["version"] == 2

    after = debt_question(twente, guide)
    assert after.triage["rule_id"] == "debts-first-to-werkcentrum"
    assert after.triage["rules_version"] == 2
    assert after.responsible_partner == Partner.objects.get(code="werkcentrum-twente")
    before.refresh_from_db()
    assert (
        before.responsible_partner.kind == "debt_support"
    )  # existing contacts keep their proposal
    # The page shows the version in force and the history; a second change is version 3.
    page = client.get(reverse("frontdoor:rules"))
    assert page.context["version"] == 2 and "Proef schuldvragen" in page.content.decode()
    client.post(
        reverse("frontdoor:rules"),
        {"source_text": rules_with_new_rule(), "change_note": "Nogmaals"},
    )
    assert list(RoutingRuleSet.objects.filter(region=twente).values_list("version", flat=True)) == [
        3,
        2,
    ]


INVALID_RULES = {
    "not toml": "this is [not toml",
    "unknown partner kind": rules_with_new_rule().replace(
        'partner_kind = "werkcentrum"\nreason = "Proef', 'partner_kind = "bakery"\nreason = "Proef'
    ),
    "no rules": "version = 1\n",
}


@pytest.mark.parametrize("case", INVALID_RULES, ids=list(INVALID_RULES))
def test_invalid_rules_show_an_error_and_publish_nothing(client, twente, coordinator, case):
    client.force_login(coordinator)
    response = client.post(
        reverse("frontdoor:rules"), {"source_text": INVALID_RULES[case], "change_note": "x"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors.get("source_text"), errors
    assert escape(errors["source_text"][0]) in response.content.decode()
    assert not RoutingRuleSet.objects.exists()
    assert not AuditEvent.objects.filter(action="rules_changed").exists()


def test_guide_cannot_change_the_rules(client, twente, guide):
    client.force_login(guide)
    response = client.post(
        reverse("frontdoor:rules"), {"source_text": rules_with_new_rule(), "change_note": "x"}
    )
    assert response.status_code == 403
    assert not RoutingRuleSet.objects.exists()
    with pytest.raises(services.NotAllowed):
        services.save_rules(twente, guide, source_text=rules_with_new_rule(), change_note="x")


def test_coordinator_of_another_region_cannot_change_the_rules(achterhoek, twente):
    ah_coordinator = make_user("ah_coord", Role.COORDINATOR, achterhoek)
    with pytest.raises(services.NotAllowed):
        services.save_rules(
            twente, ah_coordinator, source_text=rules_with_new_rule(), change_note="x"
        )


# -- escalation list ------------------------------------------------------------------------------


def web_question(twente, text="Waar vind ik vacatures?"):
    return services.register_contact(
        region=twente,
        channel=Channel.DIGITAL,
        asker_type="resident",
        question=text,
        municipality=Municipality.objects.get(name="Enschede"),
    )


@pytest.fixture
def escalations(twente, guide, uwv, uwv_employee, coordinator):
    overdue_c = contact(twente, guide)
    overdue = handover(overdue_c, guide, uwv)
    Handover.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timedelta(hours=3))
    on_time = handover(contact(twente, guide), guide, uwv)
    returned_c = contact(twente, guide)
    services.return_handover(
        handover(returned_c, guide, uwv), uwv_employee, reason="Hoort bij de gemeente"
    )
    unassigned = web_question(twente)
    stale = contact(twente, guide, question="Ik zoek een stageplek.")
    # Open for three days after a withdrawn handover (its guide still owns it).
    stale_withdrawn = contact(twente, guide, question="Ik wil een vakopleiding.")
    services.withdraw_handover(handover(stale_withdrawn, guide, uwv), guide, "Persoon twijfelt")
    Contact.objects.filter(pk__in=[stale.pk, stale_withdrawn.pk]).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    # A guide who left: the withdrawn handover lands in the Werkcentrum queue without a guide.
    leaver = make_user("leaver", Role.GUIDE, twente, walk_in_point=guide.walk_in_point)
    orphan = contact(twente, leaver, question="Ik wil werken in Duitsland.")
    orphan_handover = handover(orphan, leaver, uwv)
    leaver.is_active = False
    leaver.save()
    services.withdraw_handover(orphan_handover, coordinator, "Gids is vertrokken")
    fresh = contact(twente, guide, question="Ik zoek een opleiding.")
    answered_old = contact(twente, guide, question="Waar is het inlooppunt?")
    services.answer_contact(answered_old, guide, "Adres gegeven.")
    Contact.objects.filter(pk=answered_old.pk).update(created_at=timezone.now() - timedelta(days=5))
    return {
        "overdue": overdue,
        "on_time": on_time,
        "returned": returned_c,
        "unassigned": unassigned,
        "stale": stale,
        "stale_withdrawn": stale_withdrawn,
        "orphan": orphan,
        "fresh": fresh,
        "answered_old": answered_old,
    }


def test_escalation_list(escalations, coordinator, achterhoek_guide):
    result = selectors.escalation_list(coordinator)
    assert [h.pk for h in result.overdue] == [escalations["overdue"].pk]
    assert [c.pk for c in result.returned] == [escalations["returned"].pk]
    assert result.returned[0].last_return_reason == "Hoort bij de gemeente"
    assert escalations["orphan"].pk in [c.pk for c in result.unassigned]
    assert escalations["stale_withdrawn"].pk in [c.pk for c in result.stale]
    listed = {c.pk for c in result.returned + result.unassigned + result.stale}
    for key in ("fresh", "answered_old"):
        assert escalations[key].pk not in listed, key
    assert escalations["on_time"].pk not in [h.pk for h in result.overdue]
    assert selectors.escalation_list(achterhoek_guide).total == 0


def test_escalation_list_has_questions_that_never_had_a_handover(escalations, coordinator):
    result = selectors.escalation_list(coordinator)
    assert escalations["unassigned"].pk in [c.pk for c in result.unassigned]
    assert escalations["stale"].pk in [c.pk for c in result.stale]
    assert result.total == 6


def test_escalation_page_lists_them(client, escalations, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("frontdoor:escalations")).content.decode()
    for key in ("returned", "orphan", "stale_withdrawn"):
        assert escalations[key].reference in page, key
    assert escalations["overdue"].contact.reference in page
    assert "Hoort bij de gemeente" in page
    assert escalations["fresh"].reference not in page
    assert escalations["on_time"].contact.reference not in page


def test_escalation_page_counts_questions_without_an_outcome(client, escalations, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("frontdoor:escalations")).content.decode()
    values = re.findall(r'<span class="stat__value">\s*([^<]*?)\s*</span>', page)
    result = selectors.escalation_list(coordinator)
    assert values == ["1", "1", str(len(result.unassigned) + len(result.stale))]


def test_remind_partner(
    client, escalations, coordinator, uwv, uwv_employee, django_capture_on_commit_callbacks
):
    h = escalations["overdue"]
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("frontdoor:escalation_remind", args=[h.pk]))
    assert response.status_code == 302
    h.refresh_from_db()
    assert h.reminded_at is not None and h.status == HandoverStatus.PENDING
    assert len(mail.outbox) == 1
    assert uwv.email in mail.outbox[0].to and uwv_employee.email in mail.outbox[0].to
    assert h.contact.reference in mail.outbox[0].subject
    assert h.contact.person.last_name not in mail.outbox[0].body
    assert h.contact.events.filter(kind=ContactEvent.Kind.REMINDED, actor=coordinator).exists()
    # A decided handover cannot be reminded.
    with pytest.raises(services.Conflict):
        services.remind_partner(escalations["returned"].handovers.get(), coordinator)


def test_reassign_to_another_guide(client, escalations, coordinator, other_guide, guide):
    stale = escalations["stale"]
    client.force_login(coordinator)
    response = client.post(
        reverse("frontdoor:escalation_reassign", args=[stale.pk]), {"to_user": other_guide.pk}
    )
    assert response.status_code == 302
    stale.refresh_from_db()
    assert (stale.owner_user, stale.owner_partner, stale.status) == (
        other_guide,
        None,
        ContactStatus.OPEN,
    )
    assert stale.events.filter(kind=ContactEvent.Kind.REASSIGNED, actor=coordinator).exists()
    assert AuditEvent.objects.filter(
        action="reassign", user=coordinator, object_id=str(stale.pk)
    ).exists()
    # Web questions nobody picked up can be given to a guide as well.
    unassigned = escalations["unassigned"]
    client.post(
        reverse("frontdoor:escalation_reassign", args=[unassigned.pk]), {"to_user": guide.pk}
    )
    unassigned.refresh_from_db()
    assert (unassigned.owner_user, unassigned.owner_partner) == (guide, None)
    orphan = escalations["orphan"]
    client.post(reverse("frontdoor:escalation_reassign", args=[orphan.pk]), {"to_user": guide.pk})
    assert orphan.pk not in [c.pk for c in selectors.escalation_list(coordinator).unassigned]


def test_reroute_with_consent_for_the_new_partner_hands_over_at_once(
    client, escalations, coordinator, guide
):
    h = escalations["overdue"]
    c = h.contact
    better = Partner.objects.get(code="gm0173-social_assistance")
    services.record_consent(c, guide, partner=better, categories=["contact_details", "question"])
    client.force_login(coordinator)
    response = client.post(
        reverse("frontdoor:escalation_reroute", args=[h.pk]),
        {"partner": better.pk, "reason": "UWV reageert niet; gemeente is beter"},
    )
    assert response.status_code == 302
    h.refresh_from_db()
    c.refresh_from_db()
    assert h.status == HandoverStatus.WITHDRAWN
    new = c.handovers.get(status=HandoverStatus.PENDING)
    assert new.partner == better and new.due_at > timezone.now()
    assert (c.status, c.owner_partner, c.owner_user) == (
        ContactStatus.HANDOVER_PENDING,
        better,
        None,
    )


def test_reroute_without_consent_goes_back_to_the_guide(client, escalations, coordinator, guide):
    h = escalations["overdue"]
    c = h.contact
    better = Partner.objects.get(code="gm0173-social_assistance")
    client.force_login(coordinator)
    client.post(
        reverse("frontdoor:escalation_reroute", args=[h.pk]),
        {"partner": better.pk, "reason": "Te laat"},
    )
    h.refresh_from_db()
    c.refresh_from_db()
    assert h.status == HandoverStatus.WITHDRAWN
    assert not c.handovers.filter(status=HandoverStatus.PENDING).exists()
    assert (c.status, c.owner_user, c.owner_partner) == (ContactStatus.OPEN, guide, None)
    assert c.events.filter(kind=ContactEvent.Kind.WITHDRAWN, actor=coordinator).exists()


def test_escalation_actions_are_for_coordinators(client, escalations, guide):
    client.force_login(guide)
    h = escalations["overdue"]
    assert client.post(reverse("frontdoor:escalation_remind", args=[h.pk])).status_code == 403
    assert (
        client.post(
            reverse("frontdoor:escalation_reroute", args=[h.pk]),
            {"partner": h.partner_id, "reason": "x"},
        ).status_code
        == 403
    )
    h.refresh_from_db()
    assert h.reminded_at is None and h.status == HandoverStatus.PENDING
