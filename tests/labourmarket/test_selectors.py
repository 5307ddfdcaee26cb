"""The selectors with known data: vacancies in given months, job seekers, constant queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from werkcentrum.labourmarket import figures as f
from werkcentrum.labourmarket.selectors import labour_market
from werkcentrum.regions.models import Municipality

from .conftest import CARE, ICT, LOGISTICS, add_job_seekers, add_vacancies, at, month_ago


def by_key(rows):
    return {g.key: g for g in rows}


def test_known_data(twente, achterhoek, employer):
    period = f.default_period(timezone.localdate())  # the last 12 complete months
    add_vacancies(twente, employer, 3, CARE, created=at(month_ago(1)))
    add_vacancies(twente, employer, 2, ICT, created=at(month_ago(2)), place="Almelo")
    add_vacancies(twente, employer, 1, ICT, created=at(month_ago(2)), status="filled")
    add_vacancies(twente, employer, 4, CARE, created=at(month_ago(14)), status="filled")
    add_vacancies(twente, employer, 2, LOGISTICS, created=at(month_ago(14)))  # open for long
    add_vacancies(twente, employer, 1, CARE, created=timezone.now())  # this month: not in period
    add_vacancies(twente, employer, 1, CARE, created=at(month_ago(30)))  # older than the series
    other = employer.__class__.objects.create(region=achterhoek, name="X", kvk_number="87654321")
    add_vacancies(achterhoek, other, 5, CARE, created=at(month_ago(1)), place="Winterswijk")
    add_job_seekers(twente, 8, [CARE])
    add_job_seekers(twente, 3, [ICT, CARE])
    add_job_seekers(twente, 6, [LOGISTICS], place="Almelo")
    add_job_seekers(twente, 4, [LOGISTICS], consent=False)  # never counted
    add_job_seekers(twente, 4, [LOGISTICS], available=False)  # never counted

    names = dict(Municipality.objects.values_list("pk", "name"))
    data = labour_market(twente, period, municipality_label=names.get)

    assert (data.new, data.new_previous) == (6, 6)
    assert data.open == 3 + 2 + 2 + 1 + 1  # every open vacancy, whenever registered
    assert data.open_long == 2 + 1  # registered more than 90 days ago and still open
    series = dict(data.series)
    assert len(data.series) == 24 and data.series[-1][0] == month_ago(1)
    assert series[month_ago(1)] == 3 and series[month_ago(2)] == 3 and series[month_ago(14)] == 6
    assert sum(series.values()) == 12

    sectors = by_key(data.sectors)
    assert (sectors["care"].new, sectors["care"].new_previous, sectors["care"].open) == (3, 4, 5)
    assert (sectors["ict"].new, sectors["ict"].open) == (3, 2)
    assert sectors["care"].job_seekers == f.Cell(11)
    assert sectors["ict"].job_seekers == f.Cell(None, f.SMALL)  # 3 job seekers
    # The only small cell takes the next smallest (6) with it: no total minus the rest.
    assert sectors["logistics"].job_seekers == f.Cell(None, f.SECONDARY)
    assert sectors["ict"].tension is None
    assert sectors["care"].tension == 5 / 11
    groups = by_key(data.groups)
    assert groups["53"].job_seekers == f.Cell(11) and groups["25"].job_seekers.hidden == f.SMALL
    assert groups["83"].job_seekers.hidden == f.SECONDARY
    assert data.job_seekers == f.Cell(17)  # distinct people, whatever they want

    places = {g.label: g for g in data.municipalities}
    assert (places["Enschede"].open, places["Almelo"].open) == (7, 2)

    occupations = {c.key: c for c in data.occupations}
    assert (occupations["esco-care"].current, occupations["esco-care"].previous) == (3, 4)


def test_filters_by_sector_and_municipality(twente, employer):
    period = f.default_period(timezone.localdate())
    add_vacancies(twente, employer, 3, CARE, created=at(month_ago(1)))
    add_vacancies(twente, employer, 2, ICT, created=at(month_ago(2)), place="Almelo")
    add_job_seekers(twente, 6, [CARE, ICT])
    add_job_seekers(twente, 5, [ICT], place="Almelo")

    care = labour_market(twente, period, sector="care")
    assert (care.new, care.open) == (3, 3)
    assert [g.key for g in care.sectors] == ["care"]
    assert care.job_seekers == f.Cell(6)
    assert by_key(care.groups)["53"].job_seekers == f.Cell(6)
    assert "25" not in by_key(care.groups)  # ICT wishes do not count within care

    almelo = Municipality.objects.get(name="Almelo")
    in_almelo = labour_market(twente, period, municipality_id=almelo.pk)
    assert (in_almelo.new, in_almelo.open) == (2, 2)
    assert in_almelo.job_seekers == f.Cell(5)


def test_periods_of_a_month_and_a_quarter(twente, employer):
    last = month_ago(1)
    add_vacancies(twente, employer, 2, CARE, created=at(last, day=1))
    add_vacancies(twente, employer, 1, CARE, created=at(month_ago(2), day=28))
    month = f.parse_period(last.strftime("%Y-%m"), timezone.localdate())
    data = labour_market(twente, month)
    assert (data.new, data.new_previous) == (2, 1)
    assert [m for m, _ in data.series if month.contains(m)] == [last]


def test_empty_region(twente):
    data = labour_market(twente, f.default_period(timezone.localdate()))
    assert data.empty and data.new == 0 and data.sectors == [] and data.groups == []
    assert data.job_seekers == f.Cell(None, f.SMALL)
    assert len(data.series) == 24


def queries_for(region, employer, n):
    months = [month_ago(k) for k in range(1, 25)]
    occupations = [CARE, ICT, LOGISTICS]
    for i in range(n):
        add_vacancies(
            region,
            employer,
            1,
            occupations[i % 3],
            created=at(months[i % 24]),
            place=("Enschede", "Almelo", "Losser")[i % 3],
            status="open" if i % 2 else "filled",
        )
    add_job_seekers(region, n, [occupations[n % 3]])
    with CaptureQueriesContext(connection) as queries:
        data = labour_market(region, f.default_period(timezone.localdate()))
    return data, len(queries)


def test_a_constant_number_of_queries(twente, employer):
    small, few = queries_for(twente, employer, 10)
    large, many = queries_for(twente, employer, 90)  # 100 vacancies in total
    assert small.new_previous + small.new == 10 and large.new + large.new_previous == 100
    assert few == many <= 7  # 4; on PostgreSQL also BEGIN, "SET LOCAL jit = off", COMMIT
    if connection.vendor == "sqlite":
        assert many == 4


def test_database_count_of_job_seekers_equals_the_pure_definition(twente):
    """The SQL (json_each / jsonb_array_elements) counts exactly what figures.count_job_seekers
    defines, also for odd data: several groups, a code outside every chain, bad items."""
    from werkcentrum.candidates.models import CandidateProfile
    from werkcentrum.labourmarket.selectors import job_seeker_counts

    add_job_seekers(twente, 4, [CARE, ("5321", "e1", "helpende")])  # two groups in "53"
    add_job_seekers(twente, 3, [ICT, CARE])
    add_job_seekers(twente, 2, [("3115", "e2", "werktuigbouwkundige")])  # prefix "31" fallback
    add_job_seekers(twente, 2, [("0110", "e3", "officier")])  # in no chain
    add_job_seekers(twente, 1, [])
    add_job_seekers(twente, 2, [LOGISTICS], place="Almelo")
    odd = CandidateProfile.objects.order_by("-pk")[:3]
    odd_values = [
        [{"isco_group": 5322}, "text", 7, {"label": "no group"}],  # a number, not text
        {"isco_group": "2512"},  # not a list
        [{"isco_group": ""}, {"isco_group": None}, {"isco_group": "8332"}],
    ]
    for profile, value in zip(odd, odd_values, strict=True):
        CandidateProfile.objects.filter(pk=profile.pk).update(occupations=value)
    rows = [
        (occupations, 1)
        for occupations in CandidateProfile.objects.with_consent()
        .filter(region=twente, available=True)
        .values_list("occupations", flat=True)
    ]
    for sector in (None, "care", "ict", "construction", "green"):
        expected = f.count_job_seekers(rows, sector)
        got = job_seeker_counts(twente, None, sector)
        assert (got.total, dict(got.by_group), dict(got.by_sector)) == (
            expected.total,
            dict(expected.by_group),
            dict(expected.by_sector),
        ), sector
    almelo = Municipality.objects.get(name="Almelo")
    assert job_seeker_counts(twente, almelo.pk).total == 2
