"""Known data for the labour-market tests: vacancies registered in given months, job seekers."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from werkcentrum.candidates.models import CandidateProfile
from werkcentrum.employers.models import Employer
from werkcentrum.frontdoor.models import Person
from werkcentrum.labourmarket.figures import add_months
from werkcentrum.regions.models import Municipality
from werkcentrum.vacancies.models import Vacancy

# ISCO unit groups of three chains (occupations/chains.py) and a label each.
CARE = ("5322", "esco-care", "verzorgende IG")
ICT = ("2512", "esco-ict", "softwareontwikkelaar")
LOGISTICS = ("8332", "esco-truck", "vrachtwagenchauffeur")


def month_ago(months: int) -> date:
    """The first of the month ``months`` before the current one (0 = this month)."""
    return add_months(timezone.localdate(), -months)


def at(month: date, day: int = 15) -> datetime:
    return timezone.make_aware(datetime(month.year, month.month, day, 12, 0))


@pytest.fixture
def employer(twente):
    return Employer.objects.create(region=twente, name="Twentse Zorg BV", kvk_number="12345678")


def add_vacancies(
    region, employer, n=1, occupation=CARE, *, created, place="Enschede", status="open"
):
    """``n`` vacancies registered at ``created`` (auto_now_add is overridden with update())."""
    isco, esco, label = occupation
    municipality = Municipality.objects.get(region=region, name=place)
    made = Vacancy.objects.bulk_create(
        [
            Vacancy(
                region=region,
                employer=employer,
                title=label,
                esco_id=esco,
                occupation_label=label,
                isco_group=isco,
                hours=32,
                municipality=municipality,
                status=status,
            )
            for _ in range(n)
        ]
    )
    Vacancy.objects.filter(pk__in=[v.pk for v in made]).update(created_at=created)
    return made


def add_job_seekers(region, n, groups=(CARE,), *, place="Enschede", consent=True, available=True):
    municipality = Municipality.objects.get(region=region, name=place)
    start = Person.objects.count()
    persons = Person.objects.bulk_create(
        [
            Person(
                region=region,
                first_name="Sanne",
                last_name=f"Zoekt{start + i}",
                municipality=municipality,
            )
            for i in range(n)
        ]
    )
    CandidateProfile.objects.bulk_create(
        [
            CandidateProfile(
                person=p,
                region=region,
                municipality=municipality,
                benefit_regime="ww",
                occupations=[
                    {"esco_id": e, "isco_group": i, "label": label} for i, e, label in groups
                ],
                consent_given_at=timezone.now() if consent else None,
                available=available,
            )
            for p in persons
        ]
    )
