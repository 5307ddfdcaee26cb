"""The fast indicators (grouped queries, the median pick-up time in PostgreSQL) against their
definitions computed row by row in Python, on generated data with weekends, late decisions,
returned and withdrawn handovers, known and anonymous persons."""

import statistics
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from werkcentrum.core.workdays import working_days_between
from werkcentrum.frontdoor.models import Contact, Handover
from werkcentrum.monitoring import indicators
from werkcentrum.monitoring.figures import custom_period
from werkcentrum.monitoring.indicators import Filters
from werkcentrum.regions.models import Municipality, Partner, Subregion

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(twente):
    call_command(
        "generate",
        "--region",
        "twente",
        "--contacts",
        "600",
        "--handovers",
        "250",
        "--seed",
        "11",
    )
    return twente


def filters(region, **extra):
    today = timezone.localdate()
    period = custom_period(today - timedelta(days=731), today)
    return Filters(region=region, period=period, **extra)


def in_filters(contact, f):
    if not (f.start <= contact.created_at < f.end):
        return False
    if f.municipality is not None and contact.municipality_id != f.municipality.pk:
        return False
    if f.subregion is not None and (
        contact.municipality is None or contact.municipality.subregion_id != f.subregion.pk
    ):
        return False
    return True


def reference_reach(f):
    contacts = [
        c
        for c in Contact.objects.filter(region=f.region).select_related(
            "municipality", "walk_in_point"
        )
        if in_filters(c, f) and (f.partner is None or c.responsible_partner_id == f.partner.pk)
    ]
    history = {}
    for person_id, created in Contact.objects.exclude(person=None).values_list(
        "person_id", "created_at"
    ):
        history.setdefault(person_id, []).append(created)
    known = sum(
        1 for c in contacts if c.person_id and any(t < c.created_at for t in history[c.person_id])
    )
    anonymous = sum(1 for c in contacts if c.person_id is None)
    return {
        "total": len(contacts),
        "channel": Counter(c.channel for c in contacts),
        "walk_in_point": Counter(
            c.walk_in_point.name if c.walk_in_point else None for c in contacts
        ),
        "municipality": Counter(c.municipality.name if c.municipality else None for c in contacts),
        "asker_type": Counter(c.asker_type for c in contacts),
        "target_group": Counter(c.benefit for c in contacts),
        "novelty": {
            "new": len(contacts) - anonymous - known,
            "known": known,
            "anonymous": anonymous,
        },
    }


def reference_handovers(f):
    rows = {}
    for h in Handover.objects.filter(contact__region=f.region).select_related(
        "contact__municipality", "partner"
    ):
        if not (f.start <= h.created_at < f.end) or not in_filters_at(h.contact, f):
            continue
        if f.partner is not None and h.partner_id != f.partner.pk:
            continue
        row = rows.setdefault(h.partner_id, {"received": 0, "times": [], "in_time": 0})
        row["received"] += 1
        row[h.status] = row.get(h.status, 0) + 1
        if h.decided_at is not None and h.status in ("accepted", "returned"):
            row["times"].append(working_days_between(h.created_at, h.decided_at))
            row["in_time"] += h.decided_at <= h.due_at
    return {
        partner_id: {
            "received": r["received"],
            "accepted": r.get("accepted", 0),
            "returned": r.get("returned", 0),
            "withdrawn": r.get("withdrawn", 0),
            "pending": r.get("pending", 0),
            "decided": len(r["times"]),
            "in_time": r["in_time"],
            "median_days": round(statistics.median(r["times"]), 1) if r["times"] else None,
        }
        for partner_id, r in rows.items()
    }


def in_filters_at(contact, f):
    """The place filters only (a handover's period is its own creation time)."""
    if f.municipality is not None and contact.municipality_id != f.municipality.pk:
        return False
    return not (
        f.subregion is not None
        and (contact.municipality is None or contact.municipality.subregion_id != f.subregion.pk)
    )


def variants(region):
    return [
        filters(region),
        filters(region, municipality=Municipality.objects.get(code="GM0153")),
        filters(region, subregion=Subregion.objects.get(region=region, code="almelo")),
        filters(region, partner=Partner.objects.get(code="uwv-twente")),
    ]


def test_reach_equals_its_definition(generated):
    for f in variants(generated):
        got, want = indicators.reach(f), reference_reach(f)
        assert got["total"] == want["total"] > 0
        assert got["novelty"] == want["novelty"]
        for key in ("channel", "walk_in_point", "municipality", "asker_type", "target_group"):
            assert got[key] == dict(want[key]), key
            keys = [k for k in got[key] if k is not None]
            assert keys == sorted(keys)  # as ORDER BY gives them
    assert indicators.reach(variants(generated)[0])["novelty"]["known"] > 0  # not vacuous


def test_handovers_and_the_median_pick_up_time_equal_their_definition(generated):
    now = timezone.now()
    for f in variants(generated):
        got = indicators.handovers(f, now)
        want = reference_handovers(f)
        received = {r["partner_id"]: r for r in got if r["received"]}
        assert set(received) == set(want)
        for partner_id, expected in want.items():
            row = received[partner_id]
            assert {k: row[k] for k in expected} == expected, partner_id
        assert got == sorted(got, key=lambda r: r["partner__name"])
    medians = [r["median_days"] for r in indicators.handovers(variants(generated)[0], now)]
    assert any(m and m > 0 for m in medians)  # not vacuous


def test_escalation_backlog_equals_its_definition(generated):
    from werkcentrum.frontdoor.selectors import STALE_OPEN_AFTER

    now = timezone.now()
    latest = {}
    for h in Handover.objects.order_by("created_at", "id"):
        latest[h.contact_id] = h.status  # the last one wins
    for f in variants(generated):
        want = {"returned": 0, "unassigned": 0, "stale": 0}
        for c in Contact.objects.filter(region=f.region, status="open").select_related(
            "municipality"
        ):
            if not in_filters_at(c, f):
                continue
            if f.partner is not None and c.responsible_partner_id != f.partner.pk:
                continue
            if latest.get(c.pk) == "returned":
                want["returned"] += 1
            elif c.owner_user_id is None:
                want["unassigned"] += 1
            elif c.created_at < now - STALE_OPEN_AFTER:
                want["stale"] += 1
        want["overdue"] = sum(
            1
            for h in Handover.objects.filter(
                contact__region=f.region, status="pending", due_at__lt=now
            ).select_related("contact__municipality")
            if in_filters_at(h.contact, f) and (f.partner is None or h.partner_id == f.partner.pk)
        )
        want["total"] = sum(want.values())
        assert indicators.escalation_backlog(f, now) == want
    assert indicators.escalation_backlog(variants(generated)[0], now)["total"] > 0  # not vacuous
