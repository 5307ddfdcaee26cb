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

from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
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


# The reach breakdowns, grouped by these columns of the contacts (read from the covering index
# ``contact_reach_idx`` alone); walk-in points and municipalities are named afterwards.
REACH_FIELDS = ("channel", "walk_in_point_id", "municipality_id", "asker_type", "benefit")


def _db_order(counts: dict, db: str) -> dict:
    """``counts`` in the order ``ORDER BY key`` gives (NULL where database ``db`` puts it)."""
    from django.db import connections

    null_rank = 1 if connections[db].features.nulls_order_largest else -1
    return dict(
        sorted(counts.items(), key=lambda kv: (null_rank, "") if kv[0] is None else (0, kv[0]))
    )


def reach(f: Filters) -> dict:
    """Contacts in the period by channel, walk-in point, municipality, asker type, target group
    (benefit) and new vs known person (known: the person had an earlier contact).

    Four queries whatever the data: one count per combination of the breakdowns (a few
    thousand groups, from the covering index ``contact_reach_idx`` alone), added up per
    breakdown here; the names of the walk-in points and municipalities; and the number of
    contacts whose person had an earlier contact (a semi-join on
    ``contact_person_history_idx``)."""
    from werkcentrum.frontdoor.models import Contact
    from werkcentrum.regions.models import Municipality, WalkInPoint

    qs = contacts_queryset(f)
    breakdowns: dict[str, dict] = {field: {} for field in REACH_FIELDS}
    total = anonymous = 0
    for row in (
        qs.values(
            *REACH_FIELDS,
            anonymous=ExpressionWrapper(Q(person__isnull=True), output_field=BooleanField()),
        )
        .annotate(n=Count("*"))
        .order_by()
    ):
        n = row["n"]
        total += n
        if row["anonymous"]:
            anonymous += n
        for field in REACH_FIELDS:
            counts = breakdowns[field]
            counts[row[field]] = counts.get(row[field], 0) + n
    earlier = Contact.objects.filter(
        person_id=OuterRef("person_id"), created_at__lt=OuterRef("created_at")
    )
    known = qs.filter(Exists(earlier), person__isnull=False).count()
    names = {
        "walk_in_point_id": dict(WalkInPoint.objects.values_list("pk", "name")),
        "municipality_id": dict(Municipality.objects.values_list("pk", "name")),
    }
    for field, named in names.items():
        by_name: dict = {}
        for pk, n in breakdowns[field].items():
            name = named.get(pk) if pk is not None else None
            by_name[name] = by_name.get(name, 0) + n
        breakdowns[field] = by_name
    return {
        "total": total,
        "channel": _db_order(breakdowns["channel"], qs.db),
        "walk_in_point": _db_order(breakdowns["walk_in_point_id"], qs.db),
        "municipality": _db_order(breakdowns["municipality_id"], qs.db),
        "asker_type": _db_order(breakdowns["asker_type"], qs.db),
        "target_group": _db_order(breakdowns["benefit"], qs.db),
        "novelty": {
            "new": total - anonymous - known,
            "known": known,
            "anonymous": anonymous,
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


class WorkingDays(Func):
    """Working days (fractional, Saturdays and Sundays skipped, days counted in UTC) between
    two timestamps, in PostgreSQL: exactly ``core.workdays.working_days_between`` without
    holidays, which walks the days of the aware UTC datetimes the database returns. With the
    working time from Monday 1970-01-05 00:00 UTC up to a moment ``t``,
    ``w(t) = 5 * weeks + min(rest of the week, 5 days)``, the elapsed working time is
    ``w(end) - w(start)`` (never negative)."""

    output_field = FloatField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        start, start_params = compiler.compile(self.source_expressions[0])
        end, end_params = compiler.compile(self.source_expressions[1])

        def w(column):
            x = f"(DATE_PART('epoch', {column}) - 345600)"
            weeks = f"FLOOR({x} / 604800)"
            return f"(5 * {weeks} + LEAST({x} - 604800 * {weeks}, 432000) / 86400)"

        return (
            f"GREATEST({w(end)} - {w(start)}, 0)",
            (*end_params, *end_params, *end_params, *start_params, *start_params, *start_params),
        )


class Median(Aggregate):
    """The median (``percentile_cont(0.5)``, PostgreSQL): the mean of the two middle values
    for an even count, as ``statistics.median``."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def handovers(f: Filters, now=None) -> list[dict]:
    """Per partner: received, accepted, returned, withdrawn and decided late in the period,
    the median pick-up time in working days, and overdue now (whenever handed over).

    One grouped query with every count; on PostgreSQL the median pick-up time is computed in
    the same query (``WorkingDays`` and ``Median``), elsewhere (the embedded SQLite) from the
    decided handovers' two timestamps in Python. Both give ``working_days_between``'s median."""
    from django.db import connections

    from werkcentrum.frontdoor.states import HandoverStatus

    now = now or timezone.now()
    qs = handovers_queryset(f)
    decided_q = Q(
        decided_at__isnull=False,
        status__in=[HandoverStatus.ACCEPTED, HandoverStatus.RETURNED],
    )
    in_database = connections[qs.db].vendor == "postgresql"
    medians = (
        {"median": Median(WorkingDays("created_at", "decided_at"), filter=decided_q)}
        if in_database
        else {}
    )
    rows = {
        r["partner_id"]: dict(r)
        for r in qs.values("partner_id", "partner__name", "partner__code")
        .annotate(
            received=Count("id"),
            accepted=Count("id", filter=Q(status=HandoverStatus.ACCEPTED)),
            returned=Count("id", filter=Q(status=HandoverStatus.RETURNED)),
            withdrawn=Count("id", filter=Q(status=HandoverStatus.WITHDRAWN)),
            pending=Count("id", filter=Q(status=HandoverStatus.PENDING)),
            decided=Count("id", filter=decided_q),
            in_time=Count("id", filter=decided_q & Q(decided_at__lte=F("due_at"))),
            **medians,
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
                "decided": 0,
                "in_time": 0,
            },
        )
        row["overdue"] = r["n"]
    if not in_database:
        durations: dict[int, list[float]] = {}
        for partner_id, created, decided_at in qs.filter(decided_q).values_list(
            "partner_id", "created_at", "decided_at"
        ):
            durations.setdefault(partner_id, []).append(working_days_between(created, decided_at))
        for partner_id, row in rows.items():
            times = durations.get(partner_id)
            row["median"] = statistics.median(times) if times else None
    result = []
    for row in rows.values():
        row.setdefault("overdue", 0)
        median = row.pop("median", None)
        row["median_days"] = round(median, 1) if median is not None else None
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
    # One row per combination (at most eight), so that the latest handover's status is looked
    # up once per open question rather than once per count.
    counts = {"returned": 0, "unassigned": 0, "stale": 0}
    for row in (
        open_contacts.values(
            returned=ExpressionWrapper(
                Q(last_status=HandoverStatus.RETURNED), output_field=BooleanField()
            ),
            assigned=ExpressionWrapper(Q(owner_user__isnull=False), output_field=BooleanField()),
            old=ExpressionWrapper(
                Q(created_at__lt=now - STALE_OPEN_AFTER), output_field=BooleanField()
            ),
        )
        .annotate(n=Count("*"))
        .order_by()
    ):
        if row["returned"]:
            counts["returned"] += row["n"]
        elif not row["assigned"]:
            counts["unassigned"] += row["n"]
        elif row["old"]:
            counts["stale"] += row["n"]
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
