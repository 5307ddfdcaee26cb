"""Load a region's target file: per year a new ``TargetSet`` version when the file's targets
differ from the newest version in the database (so loading twice adds nothing, and an edit made
on screen is superseded only when the file itself changes). All or nothing."""

from __future__ import annotations

from pathlib import Path

from .targetfile import (
    TargetFileError,
    bundled_target_files,
    check_against_region,
    parse_target_file,
)

__all__ = ["TargetFileError", "load_all_bundled_targets", "load_targets", "target_file_for"]


def target_file_for(region_code: str) -> Path:
    files = bundled_target_files()
    if region_code not in files:
        known = ", ".join(sorted(files)) or "none"
        raise TargetFileError(
            region_code, "region", "code", f"no bundled target file (known: {known})"
        )
    return files[region_code]


def load_targets(region_code: str, path: str | Path | None = None) -> dict[int, int]:
    """Load the file (default: the bundled one); returns year -> the version in force."""
    from django.db import transaction

    from werkcentrum.regions.models import Municipality, Region, Subregion

    from . import selectors, services

    source = Path(path) if path is not None else target_file_for(region_code)
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise TargetFileError(
            str(source), "region", "region", f"region {region_code!r} is not loaded"
        )
    data = parse_target_file(source, region=region_code)
    municipalities = dict(
        Municipality.objects.filter(region=region).values_list("code", "subregion__code")
    )
    subregions = set(Subregion.objects.filter(region=region).values_list("code", flat=True))
    for item in data.years:
        check_against_region(item.rows, municipalities, subregions, str(source), str(item.year))
    result = {}
    with transaction.atomic():
        for item in data.years:
            current = selectors.current_set(region, item.year)
            if (
                current is not None
                and services.rows_of(current) == set(item.rows)
                and current.printed_total == item.printed_total
            ):
                result[item.year] = current.version
                continue
            saved = services.save_version(
                region=region,
                year=item.year,
                rows=item.rows,
                note=item.note,
                source=f"{data.source} ({source.name})"[:300],
                printed_total=item.printed_total,
            )
            result[item.year] = saved.version
    return result


def load_all_bundled_targets() -> dict[str, dict[int, int]]:
    """Load every bundled target file whose region is loaded; region -> {year: version}."""
    from werkcentrum.regions.models import Region

    loaded = set(Region.objects.values_list("code", flat=True))
    return {code: load_targets(code) for code in bundled_target_files() if code in loaded}
