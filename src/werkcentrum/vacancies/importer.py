"""Reading and validating vacancy exports of the old systems (CSV or Excel), row by row.

Pure: no database. ``read_rows`` yields (line number, {header: text}); ``validate_row`` turns
one row into clean values or a list of (field, message). The service decides what to write.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

MAX_ROWS = 100_000
MAX_BYTES = 20 * 1024 * 1024

# Column names as the old systems export them (lower case, accents off) -> our field.
HEADER_ALIASES = {
    "kenmerk": "external_ref",
    "vacaturenummer": "external_ref",
    "ref": "external_ref",
    "id": "external_ref",
    "kvk": "kvk_number",
    "kvk-nummer": "kvk_number",
    "kvk nummer": "kvk_number",
    "kvknummer": "kvk_number",
    "titel": "title",
    "functietitel": "title",
    "functie": "title",
    "title": "title",
    "esco": "esco_id",
    "esco_id": "esco_id",
    "beroep (esco)": "esco_id",
    "uren": "hours",
    "uren per week": "hours",
    "hours": "hours",
    "gemeente": "municipality",
    "plaats": "municipality",
    "werkplaats": "municipality",
    "postcode": "postcode",
    "opleidingsniveau": "education_level",
    "niveau": "education_level",
    "vaardigheden": "required_skills",
    "vereiste vaardigheden": "required_skills",
    "gewenste vaardigheden": "desired_skills",
    "leren en werken": "work_and_learn",
    "leerwerkplek": "work_and_learn",
    "banenafspraak": "job_agreement",
    "startdatum": "start_date",
    "status": "status",
    "bron": "source",
    "omschrijving": "description",
}
REQUIRED = ("external_ref", "kvk_number", "title", "hours", "municipality")

EDUCATION_WORDS = {
    "geen": 0,
    "basisonderwijs": 0,
    "vmbo": 1,
    "mbo 1": 2,
    "mbo-1": 2,
    "mbo1": 2,
    "mbo 2": 3,
    "mbo-2": 3,
    "mbo2": 3,
    "mbo 3": 4,
    "mbo-3": 4,
    "mbo3": 4,
    "mbo 4": 5,
    "mbo-4": 5,
    "mbo4": 5,
    "mbo": 4,
    "hbo": 6,
    "wo": 7,
}
YES = {"ja", "j", "yes", "y", "1", "true", "waar", "x"}
NO = {"nee", "n", "no", "0", "false", "onwaar", ""}
STATUS_WORDS = {
    "open": "open",
    "vervuld": "filled",
    "ingetrokken": "withdrawn",
    "verlopen": "expired",
    "filled": "filled",
    "withdrawn": "withdrawn",
    "expired": "expired",
}
SOURCE_WORDS = {
    "regulier": "regular",
    "": "regular",
    "directe match": "direct_match",
    "direct match": "direct_match",
    "jobhunting": "job_hunting",
    "job hunting": "job_hunting",
    "regular": "regular",
    "direct_match": "direct_match",
    "job_hunting": "job_hunting",
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (wrong type, encoding, size, missing columns)."""


@dataclass
class RowResult:
    line: int
    values: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)


def _norm_header(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").strip().lower().replace("_", " ").replace("ë", "e"))


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("the file is not text in UTF-8 or Windows-1252")


def read_rows(data: bytes, filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        text = _decode(data)
        if "\x00" in text:  # e.g. UTF-16; no database stores NUL in text
            raise ImportFileError("the file contains NUL characters: save it as UTF-8 text")
        sample = text[:4096]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        rows = _csv_rows(text, delimiter)
    else:
        raise ImportFileError("only .csv and .xlsx files can be imported")
    header = None
    mapping: dict[int, str] = {}
    count = 0
    for line, row in rows:
        if header is None:
            header = [_norm_header(str(cell)) for cell in row]
            mapping = {i: HEADER_ALIASES[h] for i, h in enumerate(header) if h in HEADER_ALIASES}
            missing = [f for f in REQUIRED if f not in mapping.values()]
            if missing:
                raise ImportFileError("missing columns: " + ", ".join(missing))
            continue
        if not any(str(cell).strip() for cell in row):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ImportFileError(f"more than {MAX_ROWS} rows")
        yield (
            line,
            {
                name: str(row[i]).strip() if i < len(row) and row[i] is not None else ""
                for i, name in mapping.items()
            },
        )
    if header is None:
        raise ImportFileError("the file is empty")


def _csv_rows(text: str, delimiter: str):
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:  # e.g. a field longer than the csv module's limit
        raise ImportFileError(f"line {reader.line_num}: {exc}") from exc


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any broken workbook is one clear error
        raise ImportFileError("the Excel file cannot be opened") from exc
    sheet = workbook.worksheets[0]
    for i, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield (
            i,
            [
                ""
                if cell is None
                else (cell.date().isoformat() if isinstance(cell, datetime) else str(cell))
                for cell in row
            ],
        )


def _yes_no(value: str, name: str, errors) -> bool:
    text = value.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    errors.append((name, f"'{value}' is not ja/nee"))
    return False


def _skills(value: str) -> list[str]:
    return [s.strip().lower() for s in re.split(r"[;|,]", value) if s.strip()][:50]


def validate_row(
    line: int,
    raw: dict[str, str],
    *,
    municipality_codes: dict[str, str],
    known_kvk: set[str],
    esco_ids: set[str],
) -> RowResult:
    """Clean one row; every problem is reported with its field, nothing raises."""
    result = RowResult(line)
    errors = result.errors
    v = result.values
    for name in REQUIRED:
        if not raw.get(name, "").strip():
            errors.append((name, "is empty"))
    ref = raw.get("external_ref", "").strip()
    if len(ref) > 60:
        errors.append(("external_ref", "is longer than 60 characters"))
    v["external_ref"] = ref
    kvk = re.sub(r"[\s.\-]", "", raw.get("kvk_number", ""))
    if kvk and kvk not in known_kvk:
        errors.append(("kvk_number", f"no registered employer with KvK {kvk}"))
    v["kvk_number"] = kvk
    title = raw.get("title", "").strip()
    if len(title) > 200:
        errors.append(("title", "is longer than 200 characters"))
    v["title"] = title
    esco = raw.get("esco_id", "").strip().rsplit("/", 1)[-1]
    if esco and esco not in esco_ids:
        errors.append(("esco_id", f"unknown ESCO occupation {esco}"))
    v["esco_id"] = esco
    hours = raw.get("hours", "").strip().replace(",", ".")
    if hours:
        try:
            number = float(hours)
            if not 1 <= number <= 60:
                raise ValueError
            v["hours"] = round(number)
        except ValueError:
            errors.append(("hours", f"'{hours}' is not a number of hours from 1 to 60"))
    place = raw.get("municipality", "").strip().casefold()
    if place:
        code = municipality_codes.get(place)
        if code is None:
            errors.append(("municipality", f"unknown municipality '{raw['municipality']}'"))
        v["municipality"] = code
    postcode = raw.get("postcode", "").replace(" ", "").upper()
    if postcode and not re.fullmatch(r"\d{4}[A-Z]{2}", postcode):
        errors.append(("postcode", f"'{raw['postcode']}' is not a Dutch postcode"))
    v["postcode"] = postcode
    level = raw.get("education_level", "").strip().lower()
    if level.isdecimal() and 0 <= int(level) <= 7:
        v["education_level"] = int(level)
    elif level in EDUCATION_WORDS:
        v["education_level"] = EDUCATION_WORDS[level]
    elif level:
        errors.append(("education_level", f"unknown level '{raw['education_level']}'"))
    else:
        v["education_level"] = 0
    v["required_skills"] = _skills(raw.get("required_skills", ""))
    v["desired_skills"] = _skills(raw.get("desired_skills", ""))
    v["work_and_learn"] = _yes_no(raw.get("work_and_learn", ""), "work_and_learn", errors)
    v["job_agreement"] = _yes_no(raw.get("job_agreement", ""), "job_agreement", errors)
    start = raw.get("start_date", "").strip()
    v["start_date"] = None
    if start:
        for fmt in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
            try:
                v["start_date"] = datetime.strptime(start[:10], fmt).date()
                break
            except ValueError:
                continue
        else:
            errors.append(("start_date", f"'{start}' is not a date like 31-12-2026"))
    status = raw.get("status", "open").strip().lower() or "open"
    if status not in STATUS_WORDS:
        errors.append(("status", f"unknown status '{raw.get('status')}'"))
    v["status"] = STATUS_WORDS.get(status, "open")
    source = raw.get("source", "").strip().lower()
    if source not in SOURCE_WORDS:
        errors.append(("source", f"unknown source '{raw.get('source')}'"))
    v["source"] = SOURCE_WORDS.get(source, "regular")
    v["description"] = raw.get("description", "")[:5000]
    return result


__all__ = ["ImportFileError", "RowResult", "read_rows", "validate_row"]
