"""Reads of regional configuration."""

from __future__ import annotations

from .models import Municipality, Partner, PartnerKind, Region


class UnknownMunicipality(LookupError):
    pass


def find_municipality(value: str) -> Municipality:
    """A municipality by CBS code (GM0153), name or alias, case-insensitive, in any loaded region."""
    text = (value or "").strip()
    if not text or "\x00" in text:  # no name has NUL in it (and PostgreSQL refuses to compare)
        raise UnknownMunicipality(value)
    by_code = (
        Municipality.objects.select_related("region", "subregion").filter(code__iexact=text).first()
    )
    if by_code:
        return by_code
    lowered = text.casefold()
    for municipality in Municipality.objects.select_related("region", "subregion"):
        names = [municipality.name, *municipality.aliases]
        if any(name.casefold() == lowered for name in names):
            return municipality
    raise UnknownMunicipality(value)


def resolve_partner(
    region: Region, kind: str, desk: str = "", municipality: Municipality | None = None
) -> Partner:
    """The partner that takes a question of ``kind`` (and desk) for a resident of ``municipality``.

    Municipality-bound partners (municipal desks, debt support) are the asker's own
    municipality's; otherwise the region's default partner of that kind. Falls back to the
    region's Werkcentrum so that a question never ends without an owner.
    """
    partners = Partner.objects.filter(region=region, kind=kind, active=True).select_related(
        "municipality"
    )
    candidates = list(partners)
    if municipality is not None:
        own = [p for p in candidates if p.municipality_id == municipality.id]
        if own:
            candidates = own
    if desk:
        with_desk = [p for p in candidates if p.desk == desk]
        candidates = with_desk or [p for p in candidates if not p.desk] or candidates
    else:
        without_desk = [p for p in candidates if not p.desk]
        candidates = without_desk or candidates
    if not candidates:
        return region.werkcentrum
    defaults = [p for p in candidates if p.default_for_kind]
    return (defaults or candidates)[0]


def werkcentrum_partner(region: Region) -> Partner:
    return Partner.objects.get(region=region, kind=PartnerKind.WERKCENTRUM, default_for_kind=True)
