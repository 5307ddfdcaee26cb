"""Known data for the monitoring tests: placements and contacts with handovers."""

from django.utils import timezone

from tests import factories
from werkcentrum.candidates.models import Placement
from werkcentrum.employers.models import Employer
from werkcentrum.regions.models import Municipality


def _placements(
    region, n, regime="bijstand", municipality="Enschede", source="regular", start_date=None
):
    employer = Employer.objects.get_or_create(
        region=region, name="Bakkerij", defaults={"kvk_number": "11223344"}
    )[0]
    start_date = start_date or timezone.localdate()
    Placement.objects.bulk_create(
        Placement(
            region=region,
            employer=employer,
            start_date=start_date,
            hours=32,
            benefit_regime=regime,
            benefit_municipality=Municipality.objects.get(name=municipality),
            source=source,
        )
        for _ in range(n)
    )


def _contacts(region, guide, uwv, n, handover_every=2):
    made = []
    for i in range(n):
        contact = factories.contact(
            region, guide, municipality="Enschede" if i % 2 else "Oldenzaal"
        )
        if i % handover_every == 0:
            factories.handover(contact, guide, uwv)
        made.append(contact)
    return made
