"""Dutch postcodes to municipalities: normalise a typed postcode and look up its PC4 area.

Pure Python (standard library only, no Django), like ``regionfile.py``. The bundled table
``data/pc4.csv`` has the columns ``pc4_from,pc4_to,municipality`` (inclusive ranges of 4-digit
postcode areas; the municipality as its CBS code, e.g. ``GM0153``). It is an *approximation*
written from general knowledge of the postcodes of the bundled regions and covers only the
ranges we are confident of; a region can replace it with (a conversion of) the official CBS
"postcode–gemeente" table: :meth:`PostcodeTable.load` accepts any CSV with these three columns
(extra columns are ignored; comma or semicolon separated; a single area is ``from == to``).

Only the four digits (PC4) are used. Neighbouring municipalities' PC4 areas interleave and a
few PC4 areas straddle a municipal border, so a lookup names the municipality the area (mostly)
lies in; callers measure distances from that municipality's centre, not from the address.
"""

from __future__ import annotations

import bisect
import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DEFAULT_PATH",
    "PostcodeTable",
    "PostcodeTableError",
    "default_table",
    "normalise_pc4",
]

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "pc4.csv"
COLUMNS = ("pc4_from", "pc4_to", "municipality")

# "7511", "7511AB", "7511 ab", "7511-AB" (after stripping); no leading 0 (Dutch postcodes
# start at 1000). ASCII only: no other scripts' digits or letters.
_POSTCODE = re.compile(r"([1-9][0-9]{3})(?:[ ]?-?[ ]?[A-Za-z]{2})?", re.ASCII)
_MUNICIPALITY = re.compile(r"GM[0-9]{4}", re.ASCII)


def normalise_pc4(text: object) -> str | None:
    """The 4-digit part of a Dutch postcode typed by a person, or ``None`` if it is not one."""
    if not isinstance(text, str):
        return None
    match = _POSTCODE.fullmatch(text.strip())
    return match.group(1) if match else None


class PostcodeTableError(ValueError):
    """A postcode table that cannot be used; the message names the file and the line."""


@dataclass(frozen=True)
class PostcodeTable:
    """Sorted, non-overlapping inclusive PC4 ranges, each mapped to a CBS municipality code."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    codes: tuple[str, ...]

    @classmethod
    def from_ranges(
        cls, ranges: Iterable[tuple[int, int, str]], source: str = "<ranges>"
    ) -> PostcodeTable:
        """Build a table; ranges may come in any order but must not overlap."""
        rows = sorted(ranges)
        for (start, end, code), (next_start, next_end, next_code) in zip(
            rows, rows[1:], strict=False
        ):
            if next_start <= end:
                raise PostcodeTableError(
                    f"{source}: {start}-{end} ({code}) overlaps "
                    f"{next_start}-{next_end} ({next_code})"
                )
        return cls(
            starts=tuple(r[0] for r in rows),
            ends=tuple(r[1] for r in rows),
            codes=tuple(r[2] for r in rows),
        )

    @classmethod
    def load(cls, path: str | Path = DEFAULT_PATH) -> PostcodeTable:
        """Read a CSV with the columns ``pc4_from,pc4_to,municipality`` (header required)."""
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise PostcodeTableError(f"{source}: cannot read: {exc}") from exc
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.DictReader(text.splitlines(), delimiter=delimiter)
        header = [(name or "").strip() for name in (reader.fieldnames or [])]
        missing = [column for column in COLUMNS if column not in header]
        if missing:
            raise PostcodeTableError(f"{source}: missing column(s) {', '.join(missing)}")
        reader.fieldnames = header
        ranges = []
        for row in reader:
            line = reader.line_num
            values = {column: (row.get(column) or "").strip() for column in COLUMNS}
            if not any(values.values()):
                continue  # blank line
            try:
                start, end = int(values["pc4_from"]), int(values["pc4_to"])
            except ValueError:
                raise PostcodeTableError(
                    f"{source}, line {line}: pc4_from and pc4_to must be 4-digit numbers"
                ) from None
            if not (1000 <= start <= end <= 9999):
                raise PostcodeTableError(
                    f"{source}, line {line}: need 1000 <= pc4_from <= pc4_to <= 9999"
                )
            code = values["municipality"].upper()
            if not _MUNICIPALITY.fullmatch(code):
                raise PostcodeTableError(
                    f"{source}, line {line}: municipality must be a CBS code like GM0153"
                )
            ranges.append((start, end, code))
        return cls.from_ranges(ranges, source=source)

    def municipality_for(self, pc4: str | int | None) -> str | None:
        """CBS code of the municipality of a PC4 area ("7511" or 7511), ``None`` if unknown."""
        if isinstance(pc4, str):
            if not (len(pc4) == 4 and pc4.isascii() and pc4.isdigit()):
                return None
            pc4 = int(pc4)
        if not isinstance(pc4, int) or isinstance(pc4, bool):
            return None
        i = bisect.bisect_right(self.starts, pc4) - 1
        if i >= 0 and pc4 <= self.ends[i]:
            return self.codes[i]
        return None

    def ranges(self) -> list[tuple[int, int, str]]:
        return list(zip(self.starts, self.ends, self.codes, strict=True))

    def municipalities(self) -> set[str]:
        return set(self.codes)


@functools.cache
def default_table() -> PostcodeTable:
    """The bundled table, read once per process."""
    return PostcodeTable.load(DEFAULT_PATH)
