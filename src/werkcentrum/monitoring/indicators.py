"""Indicators computed from live data, one function per group.

Each returns plain aggregates (counts per group) from ``values()``/``annotate()`` queries, so
the number of queries does not grow with the data; suppression and presentation happen in the
views. Filters: a ``Filters`` with the region, the period and optionally a subregion, a
municipality and a partner. A filter that does not apply to an indicator is ignored (and the
page says so): placements have no partner, NPS and appointments have no municipality.

``records(indicator, filters)`` gives the queryset behind a figure, for the drill-down.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from werkcentrum.core.workdays import working_days_between

from .figures import Period


@dataclass(frozen=True)
class Filters:
    region: object  # regions.Region
    period: Period
    subregion: object | None = None  # regions.Subregion
    municipality: object | None = None  # regions.Municipality
    partner: object | None = None  # regions.Partner

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.period.start, time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.period.end, time.min))

    def place_q(self, path: str) -> Q:
        """Filter on a municipality field (``path`` is the FK to regions.Municipality)."""
        q = Q()
        if self.municipality is not None:
            q &= Q(**{f"{path}_id": self.municipality.pk})
        if self.subregion is not None:
            q &= Q(**{f"{path}__subregion_id": self.subregion.pk})
        return q


def _counts(queryset, field: str) -> dict:
    return {
        row[field]: row["n"]
        for row in queryset.values(field).annotate(n=Count("id")).order_by(field)
    }


# -- contacts (reach) -------------------------------------------------------------------------


def contacts_queryset(f: Filters):
    from werkcentrum.frontdoor.models import Contact

    qs = Contact.objects.filter(
        region=f.region, created_at__gte=f.start, created_at__lt=f.end
    ).filter(f.place_q("municipality"))
    if f.partner is not None:
        qs = qs.filter(responsible_partner=f.partner)
    return qs


def reach(f: Filters) -> dict:
    """Contacts in the period by channel, walk-in point, municipality, asker type, target group
    (benefit) and new vs known person (known: the person had an earlier contact)."""
    from werkcentrum.frontdoor.models import Contact

    qs = contacts_queryset(f)
    earlier = Contact.objects.filter(
        person_id=OuterRef("person_id"), created_at__lt=OuterRef("created_at")
    )
    novelty = qs.annotate(has_earlier=Exists(earlier)).aggregate(
        total=Count("id"),
        anonymous=Count("id", filter=Q(person__isnull=True)),
        known=Count("id", filter=Q(person__isnull=False, has_earlier=True)),
        new=Count("id", filter=Q(person__isnull=False, has_earlier=False)),
    )
    return {
        "total": novelty["total"],
        "channel": _counts(qs, "channel"),
        "walk_in_point": _counts(qs, "walk_in_point__name"),
        "municipality": _counts(qs, "municipality__name"),
        "asker_type": _counts(qs, "asker_type"),
        "target_group": _counts(qs, "benefit"),
        "novelty": {
            "new": novelty["new"],
            "known": novelty["known"],
            "anonymous": novelty["anonymous"],
        },
    }


# -- handovers --------------------------------------------------------------------------------


def handovers_queryset(f: Filters):
    from werkcentrum.frontdoor.models import Handover

    qs = Handover.objects.filter(
        contact__region=f.region, created_at__gte=f.start, created_at__lt=f.end
    ).filter(f.place_q("contact__municipality"))
    if f.partner is not None:
        qs = qs.filter(partner=f.partner)
    return qs


def overdue_queryset(f: Filters, now=None):
    from werkcentrum.frontdoor.models import Handover

    qs = Handover.objects.overdue(now).filter(contact__region=f.region)
    qs = qs.filter(f.place_q("contact__municipality"))
    if f.partner is not None:
        qs = qs.filter(partner=f.partner)
    return qs


def handovers(f: Filters, now=None) -> list[dict]:
    """Per partner: received, accepted, returned, withdrawn and decided late in the period,
    the median pick-up time in working days, and overdue now (whenever handed over)."""
    from werkcentrum.frontdoor.states import HandoverStatus

    now = now or timezone.now()
    qs = handovers_queryset(f)
    rows = {
        r["partner_id"]: dict(r)
        for r in qs.values("partner_id", "partner__name", "partner__code")
        .annotate(
            received=Count("id"),
            accepted=Count("id", filter=Q(status=HandoverStatus.ACCEPTED)),
            returned=Count("id", filter=Q(status=HandoverStatus.RETURNED)),
            withdrawn=Count("id", filter=Q(status=HandoverStatus.WITHDRAWN)),
            pending=Count("id", filter=Q(status=HandoverStatus.PENDING)),
        )
        .order_by("partner__name")
    }
    overdue = (
        overdue_queryset(f, now)
        .values("partner_id", "partner__name", "partner__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in overdue:
        row = rows.setdefault(
            r["partner_id"],
            {
                "partner_id": r["partner_id"],
                "partner__name": r["partner__name"],
                "partner__code": r["partner__code"],
                "received": 0,
                "accepted": 0,
                "returned": 0,
                "withdrawn": 0,
                "pending": 0,
            },
        )
        row["overdue"] = r["n"]
    durations: dict[int, list[float]] = {}
    in_time: dict[int, int] = {}
    decided = qs.filter(
        decided_at__isnull=False,
        status__in=[HandoverStatus.ACCEPTED, HandoverStatus.RETURNED],
    ).values_list("partner_id", "created_at", "decided_at", "due_at")
    for partner_id, created, decided_at, due in decided:
        durations.setdefault(partner_id, []).append(working_days_between(created, decided_at))
        if decided_at <= due:
            in_time[partner_id] = in_time.get(partner_id, 0) + 1
    result = []
    for partner_id, row in rows.items():
        row.setdefault("overdue", 0)
        times = durations.get(partner_id, [])
        row["decided"] = len(times)
        row["in_time"] = in_time.get(partner_id, 0)
        row["median_days"] = round(statistics.median(times), 1) if times else None
        result.append(row)
    return sorted(result, key=lambda r: r["partner__name"])


# -- trajectories -----------------------------------------------------------------------------


def trajectories_queryset(f: Filters):
    from werkcentrum.trajectories.models import Trajectory

    qs = Trajectory.objects.filter(
        contact__region=f.region, closed_at__gte=f.start, closed_at__lt=f.end
    ).filter(f.place_q("contact__municipality"))
    if f.partner is not None:
        qs = qs.filter(contact__responsible_partner=f.partner)
    return qs


def trajectory_outcomes(f: Filters) -> dict:
    """Trajectories closed in the period, by outcome."""
    return _counts(trajectories_queryset(f), "outcome")


# -- placements -------------------------------------------------------------------------------


def placements_queryset(f: Filters):
    from werkcentrum.candidates.models import Placement

    return Placement.objects.filter(
        region=f.region, start_date__gte=f.period.start, start_date__lt=f.period.end
    ).filter(f.place_q("benefit_municipality"))


def placements(f: Filters) -> dict:
    """Placements that started in the period: by regime, by source, and social-assistance
    placements by benefit municipality (municipality code -> count)."""
    qs = placements_queryset(f)
    municipal = {
        row["benefit_municipality__code"]: row["n"]
        for row in qs.filter(benefit_regime="bijstand", benefit_municipality__isnull=False)
        .values("benefit_municipality__code")
        .annotate(n=Count("id"))
        .order_by()
    }
    return {
        "regime": _counts(qs, "benefit_regime"),
        "source": _counts(qs, "source"),
        "municipality": municipal,
    }


def placements_by_quarter(f: Filters) -> dict[int, int]:
    """Placements per quarter of the period's (first) year: quarter -> count."""
    from django.db.models.functions import ExtractQuarter

    from werkcentrum.candidates.models import Placement

    qs = Placement.objects.filter(region=f.region, start_date__year=f.period.year).filter(
        f.place_q("benefit_municipality")
    )
    return {
        row["quarter"]: row["n"]
        for row in qs.annotate(quarter=ExtractQuarter("start_date"))
        .values("quarter")
        .annotate(n=Count("id"))
        .order_by("quarter")
    }


# -- training fund ----------------------------------------------------------------------------


def llo_queryset(f: Filters):
    from werkcentrum.vouchers.models import LLOConversation

    qs = LLOConversation.objects.filter(
        region=f.region, held_on__gte=f.period.start, held_on__lt=f.period.end
    )
    if f.municipality is not None or f.subregion is not None:
        qs = qs.filter(f.place_q("person__municipality"))
    return qs


def applications_queryset(f: Filters):
    from werkcentrum.vouchers.models import Application

    qs = Application.objects.filter(
        region=f.region, submitted_at__gte=f.start, submitted_at__lt=f.end
    )
    if f.municipality is not None or f.subregion is not None:
        qs = qs.filter(f.place_q("person__municipality"))
    return qs


def vouchers(f: Filters) -> dict:
    """LLO conversations held (by outcome; and how many led to an application) and voucher
    applications submitted, granted and the amount granted."""
    from werkcentrum.vouchers.models import Application, Decision

    llo = llo_queryset(f)
    with_application = Application.objects.filter(llo_conversation_id=OuterRef("pk"))
    conv = llo.annotate(has_application=Exists(with_application)).aggregate(
        total=Count("id"), applied=Count("id", filter=Q(has_application=True))
    )
    apps = applications_queryset(f).aggregate(
        submitted=Count("id"),
        granted=Count("id", filter=Q(decision=Decision.APPROVED)),
        rejected=Count("id", filter=Q(decision=Decision.REJECTED)),
        amount=Coalesce(Sum("amount_granted", filter=Q(decision=Decision.APPROVED)), Value(0)),
    )
    return {
        "llo_total": conv["total"],
        "llo_applied": conv["applied"],
        "llo_outcome": _counts(llo, "outcome"),
        "submitted": apps["submitted"],
        "granted": apps["granted"],
        "rejected": apps["rejected"],
        "amount_granted": apps["amount"],
    }


# -- employers, appointments, escalations -----------------------------------------------------


def employer_nps(f: Filters) -> dict:
    from werkcentrum.employers.services import nps

    return nps(f.region, f.period.start, f.period.end)


def bookings_queryset(f: Filters, now=None):
    from werkcentrum.appointments.models import Booking

    now = now or timezone.now()
    qs = Booking.objects.filter(
        slot__walk_in_point__region=f.region,
        slot__starts_at__gte=f.start,
        slot__starts_at__lt=min(f.end, now),
    )
    if f.municipality is not None:
        qs = qs.filter(slot__walk_in_point__municipality=f.municipality)
    if f.subregion is not None:
        qs = qs.filter(slot__walk_in_point__municipality__subregion=f.subregion)
    return qs


def appointments(f: Filters, now=None) -> dict:
    """Appointments whose time has passed in the period: kept (still booked) or cancelled.
    The platform records no attendance, so "kept" means "not cancelled"."""
    from werkcentrum.appointments.models import BookingStatus

    return bookings_queryset(f, now).aggregate(
        total=Count("id"),
        kept=Count("id", filter=Q(status=BookingStatus.BOOKED)),
        cancelled=Count("id", filter=Q(status=BookingStatus.CANCELLED)),
    )


def escalation_backlog(f: Filters, now=None) -> dict:
    """What waits for a coordinator now (whatever the period): overdue handovers, returned
    handovers waiting for a guide, questions nobody picked up and stale open questions."""
    from werkcentrum.frontdoor.models import Contact, Handover
    from werkcentrum.frontdoor.selectors import STALE_OPEN_AFTER
    from werkcentrum.frontdoor.states import ContactStatus, HandoverStatus

    now = now or timezone.now()
    latest = Handover.objects.filter(contact=OuterRef("pk")).order_by("-created_at", "-id")
    open_contacts = (
        Contact.objects.filter(region=f.region, status=ContactStatus.OPEN)
        .filter(f.place_q("municipality"))
        .annotate(last_status=Coalesce(Subquery(latest.values("status")[:1]), Value("")))
    )
    if f.partner is not None:
        open_contacts = open_contacts.filter(responsible_partner=f.partner)
    returned = Q(last_status=HandoverStatus.RETURNED)
    counts = open_contacts.aggregate(
        returned=Count("id", filter=returned),
        unassigned=Count("id", filter=Q(owner_user__isnull=True) & ~returned),
        stale=Count(
            "id",
            filter=Q(owner_user__isnull=False, created_at__lt=now - STALE_OPEN_AFTER) & ~returned,
        ),
    )
    counts["overdue"] = overdue_queryset(f, now).count()
    counts["total"] = sum(counts.values())
    return counts


# -- drill-down -------------------------------------------------------------------------------

DRILL_INDICATORS = ("contacts", "handovers", "overdue", "trajectories", "placements")
# The fields a drill-down may narrow on (``?by=<field>&value=<value>``): one figure's records.
DRILL_FIELDS = {
    "contacts": ("channel", "asker_type", "benefit"),
    "handovers": ("status",),
    "overdue": (),
    "trajectories": ("outcome",),
    "placements": ("benefit_regime", "source", "benefit_municipality__code"),
}


def records(indicator: str, f: Filters, now=None):
    """The records behind a figure (a queryset with what the list shows selected)."""
    if indicator == "contacts":
        return contacts_queryset(f).select_related(
            "person", "municipality", "walk_in_point", "responsible_partner"
        )
    if indicator == "handovers":
        return (
            handovers_queryset(f)
            .select_related("contact", "contact__person", "partner")
            .order_by("-created_at", "-id")
        )
    if indicator == "overdue":
        return (
            overdue_queryset(f, now)
            .select_related("contact", "contact__person", "partner")
            .order_by("due_at", "id")
        )
    if indicator == "trajectories":
        return (
            trajectories_queryset(f)
            .select_related("contact", "contact__person")
            .order_by("-closed_at", "-id")
        )
    if indicator == "placements":
        return placements_queryset(f).select_related(
            "employer", "benefit_municipality", "candidate", "candidate__person"
        )
    raise KeyError(indicator)


def today() -> date:
    return timezone.localdate()
