"""`werkcentrum generate --contacts N --handovers M --placements K`: two years of front-door
activity and placements, valid as if made through the services, deterministic per seed."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from werkcentrum.candidates.models import CandidateProfile, Placement
from werkcentrum.core.synthetic import (
    HISTORY_DAYS,
    History,
    Municipality,
    Network,
    PartnerRef,
    Place,
    add_working_time,
)
from werkcentrum.core.workdays import add_working_days, working_days_between
from werkcentrum.employers.models import Employer
from werkcentrum.frontdoor.models import Consent, Contact, Handover, Person
from werkcentrum.frontdoor.states import OWNED_STATUSES
from werkcentrum.regions.selectors import werkcentrum_partner

pytestmark = pytest.mark.django_db

SMALL = ["--contacts", "300", "--handovers", "60", "--placements", "40", "--employers", "6"]


def generate(*args, seed=4):
    call_command("generate", "--region", "twente", *args, "--seed", str(seed))


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Person, Contact, Consent, Handover, Placement, Employer, CandidateProfile)
    }


def snapshot():
    """What was generated, in natural values (no primary keys)."""
    contacts = list(
        Contact.objects.order_by("created_at", "id").values_list(
            "created_at",
            "channel",
            "asker_type",
            "walk_in_point__code",
            "municipality__code",
            "benefit",
            "question",
            "service_level",
            "responsible_partner__code",
            "status",
            "owner_partner__code",
            "owner_user__username",
            "person__last_name",
            "answered_at",
        )
    )
    handovers = list(
        Handover.objects.order_by("created_at", "id").values_list(
            "contact__created_at",
            "partner__code",
            "status",
            "created_at",
            "due_at",
            "decided_at",
            "consent__categories",
            "consent__valid_until",
        )
    )
    placements = list(
        Placement.objects.order_by("start_date", "created_at", "id").values_list(
            "start_date",
            "employer__kvk_number",
            "benefit_regime",
            "benefit_municipality__code",
            "source",
            "hours",
        )
    )
    return contacts, handovers, placements


def test_counts_and_the_summary_line(twente, capsys):
    before = counts()
    generate(*SMALL)
    after = counts()
    assert after["Contact"] - before["Contact"] == 300
    assert after["Handover"] - before["Handover"] == 60
    assert after["Consent"] - before["Consent"] == 60  # one consent behind every handover
    assert after["Placement"] - before["Placement"] == 40
    assert after["Employer"] - before["Employer"] == 6
    with_person = Contact.objects.filter(person__isnull=False).count()
    assert 60 <= with_person <= 150  # about a third, and every handed-over contact
    assert Person.objects.count() - before["Person"] <= with_person  # some persons come back
    out = capsys.readouterr().out
    assert (
        "6 employers, 0 vacancies, 0 candidates, 300 contacts, 60 handovers, 40 placements" in out
    )


def test_deterministic_per_seed(twente):
    generate(*SMALL)
    first = snapshot()
    assert first[0] and first[1] and first[2]  # not vacuous
    Handover.objects.all().delete()
    Consent.objects.all().delete()
    Contact.objects.all().delete()
    Person.objects.all().delete()
    Placement.objects.all().delete()
    generate(*SMALL)  # the same employers (known KvK numbers) are reused
    assert snapshot() == first
    Handover.objects.all().delete()
    Consent.objects.all().delete()
    Contact.objects.all().delete()
    Placement.objects.all().delete()
    generate(*SMALL, seed=5)
    assert snapshot()[0] != first[0]


def test_existing_options_are_unchanged_by_the_new_ones(twente):
    """Employers, vacancies and candidates come from their own stream: asking for contacts and
    placements as well changes nothing about them."""
    generate("--employers", "4", "--vacancies", "6", "--candidates", "10", seed=9)
    alone = list(CandidateProfile.objects.order_by("id").values_list("person__last_name", "skills"))
    CandidateProfile.objects.all().delete()
    Person.objects.all().delete()
    generate("--employers", "4", "--vacancies", "6", "--candidates", "10", *SMALL[:6], seed=9)
    together = list(
        CandidateProfile.objects.order_by("id").values_list("person__last_name", "skills")
    )
    assert together == alone


def test_every_constraint_and_service_invariant_holds(twente):
    generate(*SMALL, "--candidates", "40")
    connection.check_constraints()  # foreign keys (SQLite) / deferred constraints (PostgreSQL)
    werkcentrum = werkcentrum_partner(twente)
    now = timezone.now()
    for contact in Contact.objects.select_related("owner_user", "created_by"):
        contact.validate_constraints()
        if contact.status == "answered":
            assert contact.answered_at is not None and contact.outcome
            assert contact.owner_user_id is None and contact.owner_partner_id is None
        else:
            assert contact.status in OWNED_STATUSES
            assert (contact.owner_user_id is None) != (contact.owner_partner_id is None)
            if contact.owner_user_id:
                assert contact.owner_user.is_front_office
        if contact.created_by_id:
            assert contact.created_by.is_front_office
            assert contact.created_by.region_id == twente.pk
        if contact.channel == "walk_in":
            assert contact.walk_in_point.region_id == twente.pk
        assert contact.responsible_partner.region_id == twente.pk
        assert contact.triage["service_level"] == contact.service_level
        assert contact.triage["partner_id"] == contact.responsible_partner.code
        assert contact.created_at <= contact.updated_at <= now
    handovers = Handover.objects.select_related(
        "contact", "consent", "partner", "created_by", "decided_by"
    )
    for h in handovers:
        h.validate_constraints()
        consent, contact = h.consent, h.contact
        assert contact.person_id is not None
        assert (consent.contact_id, consent.partner_id, consent.person_id) == (
            contact.pk,
            h.partner_id,
            contact.person_id,
        )
        assert {"contact_details", "question"} <= set(consent.categories)
        assert h.partner_id != werkcentrum.pk and h.partner.active
        assert h.created_by.is_front_office
        assert contact.created_at <= consent.given_at <= h.created_at < h.due_at
        assert h.due_at == add_working_days(
            timezone.localtime(h.created_at), h.partner.pickup_working_days
        )
        if h.status == "pending":
            assert h.decided_at is None
            assert (contact.status, contact.owner_partner_id) == ("handover_pending", h.partner_id)
        else:
            assert h.created_at < h.decided_at <= now
            assert h.decided_at.date() <= consent.valid_until
        if h.status == "accepted":
            assert contact.status in ("handed_over", "answered")
            assert h.decided_by.partner_id == h.partner_id
        if h.status == "returned":
            assert h.return_reason and h.decided_by.partner_id == h.partner_id
        if h.status in ("returned", "withdrawn"):
            assert contact.status in ("open", "answered")
            if contact.status == "open":
                assert contact.owner_user_id == h.created_by_id
        if consent.withdrawn_at is not None:
            assert h.status == "withdrawn" and consent.withdrawn_at == h.decided_at
    assert Handover.objects.values("contact").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    statuses = set(Handover.objects.values_list("status", flat=True))
    assert {"accepted", "returned"} <= statuses
    for p in Placement.objects.select_related("employer", "candidate"):
        assert p.employer.region_id == twente.pk
        assert (p.benefit_regime == "bijstand") == (p.benefit_municipality_id is not None)
        if p.candidate_id:
            assert p.candidate.benefit_regime == p.benefit_regime
    placed = Placement.objects.filter(candidate__isnull=False)
    assert placed.count() == placed.values("candidate").distinct().count()
    assert not Person.objects.filter(created_at__gt=F("updated_at")).exists()


def test_dates_lie_in_the_last_two_years(twente):
    generate(*SMALL)
    today = timezone.localdate()
    first_day = today - timedelta(days=HISTORY_DAYS)
    midnight = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    start = timezone.make_aware(datetime.combine(first_day, datetime.min.time()))
    created = list(Contact.objects.values_list("created_at", flat=True))
    assert min(created) >= start and max(created) < midnight
    assert (max(created) - min(created)).days > 600  # spread over the two years
    decided = Handover.objects.exclude(decided_at=None).values_list("decided_at", flat=True)
    assert max(decided) < midnight
    starts = list(Placement.objects.values_list("start_date", flat=True))
    assert min(starts) >= first_day and max(starts) < today
    assert len({d.year for d in starts}) >= 2
    # Persons are registered at their first contact.
    for person in Person.objects.annotate(first=F("contacts__created_at")).order_by("pk")[:50]:
        assert person.created_at <= person.first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--contacts", "-1"], "--contacts must be between 0 and 2,000,000"),
        (["--contacts", "2000001"], "--contacts must be between 0 and 2,000,000"),
        (["--placements", "2000001"], "--placements must be between 0 and 2,000,000"),
        (["--handovers", "-5"], "--handovers must be between 0 and 2,000,000"),
        (["--contacts", "10", "--handovers", "11"], "--handovers must not exceed --contacts"),
        (["--placements", "5"], "placements need employers"),
    ],
)
def test_bad_arguments_exit_2_and_change_nothing(twente, capsys, args, message):
    before = counts()
    with pytest.raises(SystemExit) as exit_info:
        call_command("generate", "--region", "achterhoek", *args)  # no employers there
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert counts() == before


def test_generated_data_renders_the_monitoring_pages_with_constant_queries(
    client, twente, coordinator
):
    from werkcentrum.monitoring.loader import load_targets

    load_targets("twente")
    client.force_login(coordinator)
    year = timezone.localdate().year
    urls = [
        reverse("monitoring:dashboard") + f"?period={year}",
        reverse("monitoring:dashboard") + f"?period={year}&partner=uwv-twente",
        reverse("monitoring:drill", args=["contacts"]) + f"?period={year}",
        reverse("monitoring:drill", args=["handovers"]) + f"?period={year}",
    ]

    def queries():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    generate("--contacts", "40", "--handovers", "10", "--placements", "10", "--employers", "2")
    few = queries()
    generate("--contacts", "400", "--handovers", "120", "--placements", "80", seed=5)
    assert queries() == few


# -- the pure generator ------------------------------------------------------------------------

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def network():
    partners = {
        ("werkcentrum", ""): PartnerRef(1, 2, False),
        ("uwv", ""): PartnerRef(2, 2),
        ("municipality", "social_assistance"): PartnerRef(3, 2),
    }
    return Network(
        municipalities=[Municipality("GM0153", "Enschede", 160), Municipality("GM0173", "O", 30)],
        places=[Place("enschede", "GM0153")],
        guides={"enschede": [10, 11], None: [10, 11, 12]},
        employees={2: 20, 3: 21},
        route=lambda kind, desk, code: partners.get((kind, desk), PartnerRef(4, 5)),
        werkcentrum=partners[("werkcentrum", "")],
    )


def test_history_is_pure_and_deterministic():
    today = date(2026, 3, 2)
    rows = list(History(3, network(), today, AMSTERDAM).contacts(500, 120))
    again = list(History(3, network(), today, AMSTERDAM).contacts(500, 120))
    other = list(History(4, network(), today, AMSTERDAM).contacts(500, 120))
    assert rows == again and rows != other
    assert len(rows) == 500 and sum(r["handover"] is not None for r in rows) == 120
    times = [r["created_at"] for r in rows]
    assert times == sorted(times)
    for r in rows:
        if r["handover"]:
            assert r["person"] is not None and r["handover"]["partner"] != 1
    placements = list(History(3, network(), today, AMSTERDAM).placements(200, [7, 8], [1, 3]))
    assert len(placements) == 200 and {p["employer"] for p in placements} == {7, 8}


@pytest.mark.parametrize("days", [0.0, 0.25, 1.0, 1.7, 4.9, 12.3])
def test_add_working_time_inverts_working_days_between(days):
    for start in (
        datetime(2026, 1, 2, 16, 30, tzinfo=UTC),  # Friday afternoon
        datetime(2026, 1, 3, 11, 0, tzinfo=UTC),  # Saturday
        datetime(2026, 1, 5, 0, 0, tzinfo=UTC),  # Monday midnight
    ):
        end = add_working_time(start, days)
        assert working_days_between(start, end) == pytest.approx(days, abs=1e-9)
