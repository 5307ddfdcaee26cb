"""Helpers that build realistic situations through the real services."""

from werkcentrum.frontdoor import services
from werkcentrum.frontdoor.models import Channel
from werkcentrum.frontdoor.persons import create_person
from werkcentrum.regions.models import Municipality


def person(region, first="Yvonne", last="Jansen", municipality="Oldenzaal", **extra):
    extra.setdefault("email", f"{first.lower()}.{last.lower()}@example.org")
    return create_person(
        region,
        first_name=first,
        last_name=last,
        municipality=Municipality.objects.get(name=municipality),
        **extra,
    )


def contact(
    region,
    guide,
    *,
    question="Ik heb een WW-uitkering en zoek werk.",
    municipality="Oldenzaal",
    with_person=True,
    **extra,
):
    p = person(region, municipality=municipality) if with_person else None
    extra.setdefault("channel", Channel.WALK_IN)
    if extra["channel"] == Channel.WALK_IN:
        extra.setdefault("walk_in_point", guide.walk_in_point or region.walk_in_points.first())
    return services.register_contact(
        region=region,
        asker_type=extra.pop("asker_type", "resident"),
        question=question,
        created_by=guide,
        person=p,
        municipality=Municipality.objects.get(name=municipality),
        **extra,
    )


def handover(contact, guide, partner, categories=("contact_details", "question")):
    consent = services.record_consent(contact, guide, partner=partner, categories=list(categories))
    return services.create_handover(contact, guide, partner=partner, consent=consent)
