"""Load a region from its versioned data file into the database, atomically.

The file is parsed and validated completely (regionfile.py, pure) before anything is
written; the write happens in one transaction, so a failed load changes nothing.
Reloading is idempotent: records are matched on their codes; partners that disappeared
from the file are deactivated (their handovers keep pointing at them).
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from .models import Municipality, Partner, Region, Subregion, WalkInPoint
from .regionfile import RegionData, RegionFileError, bundled_region_files, parse_region_file

__all__ = ["RegionFileError", "load_region", "load_all_bundled_regions", "region_file_for"]


def region_file_for(code_or_path: str) -> Path:
    candidate = Path(code_or_path)
    if candidate.suffix == ".toml":
        return candidate
    files = bundled_region_files()
    if code_or_path not in files:
        known = ", ".join(sorted(files)) or "none"
        raise RegionFileError(
            code_or_path, "region", "code", f"no bundled region file (known: {known})"
        )
    return files[code_or_path]


def load_region(code_or_path: str) -> Region:
    data = parse_region_file(region_file_for(code_or_path))
    return _write(data)


def load_all_bundled_regions() -> list[Region]:
    return [load_region(code) for code in sorted(bundled_region_files())]


@transaction.atomic
def _write(data: RegionData) -> Region:
    region, _ = Region.objects.update_or_create(
        code=data.code,
        defaults={
            "name": data.name,
            "data_version": data.version,
            "source_file": Path(data.source_file).name,
        },
    )
    subregions = {}
    for sub in data.subregions:
        subregions[sub.code], _ = Subregion.objects.update_or_create(
            region=region, code=sub.code, defaults={"name": sub.name}
        )
    municipalities = {}
    for mun in data.municipalities:
        taken = Municipality.objects.filter(code=mun.code).exclude(region=region).first()
        if taken is not None:
            raise RegionFileError(
                data.source_file,
                f"municipalities ({mun.name})",
                "code",
                f"{mun.code} already belongs to region {taken.region.code}",
            )
        municipalities[mun.code], _ = Municipality.objects.update_or_create(
            code=mun.code,
            defaults={
                "region": region,
                "subregion": subregions[mun.subregion],
                "name": mun.name,
                "aliases": list(mun.aliases),
                "population": mun.population,
                "lat": mun.centre[0] if mun.centre else None,
                "lon": mun.centre[1] if mun.centre else None,
            },
        )
    region.centre_municipality = municipalities[data.centre_municipality]
    region.save(update_fields=["centre_municipality"])

    for point in data.walk_in_points:
        WalkInPoint.objects.update_or_create(
            code=point.code,
            defaults={
                "region": region,
                "municipality": municipalities[point.municipality],
                "name": point.name,
                "street": point.street,
                "postcode": point.postcode,
                "city": point.city,
                "is_regional_centre": point.is_regional_centre,
                "hosted_by": point.hosted_by,
                "services": list(point.services),
                "opening_hours": [
                    {"day": p.day, "opens": p.opens, "closes": p.closes}
                    for p in point.opening_hours
                ],
                "phone": point.phone,
                "email": point.email,
            },
        )
    codes = [p.code for p in data.walk_in_points]
    stale_points = WalkInPoint.objects.filter(region=region).exclude(code__in=codes)
    stale_points.filter(contacts__isnull=True).delete()

    for partner in data.partners:
        Partner.objects.update_or_create(
            code=partner.code,
            defaults={
                "region": region,
                "name": partner.name,
                "kind": partner.kind,
                "desk": partner.desk,
                "municipality": municipalities[partner.municipality]
                if partner.municipality
                else None,
                "default_for_kind": partner.default_for_kind,
                "pickup_working_days": partner.pickup_working_days,
                "email": partner.email,
                "phone": partner.phone,
                "website": partner.website,
                "active": True,
            },
        )
    Partner.objects.filter(region=region).exclude(code__in=[p.code for p in data.partners]).update(
        active=False
    )
    return region
