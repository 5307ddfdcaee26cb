"""Reading and validating old-system exports (pure part of the import)."""

import io

import pytest
from openpyxl import Workbook

from werkcentrum.vacancies.importer import ImportFileError, read_rows, validate_row

HEADER = "kenmerk;kvk;functietitel;uren;gemeente;postcode;opleidingsniveau;vaardigheden;leren en werken;startdatum\n"
CTX = {
    "municipality_codes": {"almelo": 1, "enschede": 2},
    "known_kvk": {"59876543"},
    "esco_ids": {"abc"},
}


def rows(text: str, name="export.csv"):
    return list(read_rows(text.encode("utf-8"), name))


def test_semicolon_csv_with_dutch_headers_is_read_with_line_numbers():
    data = rows(
        HEADER
        + "V1;59876543;Magazijnmedewerker;32;Almelo;7607 AB;mbo 2;heftruck, orderpicken;ja;01-02-2027\n"
    )
    assert data[0][0] == 2
    line, raw = data[0]
    result = validate_row(line, raw, **CTX)
    assert result.errors == []
    assert result.values["hours"] == 32 and result.values["municipality"] == 1
    assert result.values["education_level"] == 3
    assert result.values["required_skills"] == ["heftruck", "orderpicken"]
    assert result.values["work_and_learn"] is True
    assert result.values["start_date"].isoformat() == "2027-02-01"


def test_every_bad_field_is_reported_by_name():
    ((line, raw),) = rows(HEADER + "V2;11111111;;zestig;Atlantis;12;master;;misschien;31-31-2027\n")
    fields = {f for f, _m in validate_row(line, raw, **CTX).errors}
    assert fields == {
        "kvk_number",
        "title",
        "hours",
        "municipality",
        "postcode",
        "education_level",
        "work_and_learn",
        "start_date",
    }


def test_missing_columns_is_one_clear_file_error():
    with pytest.raises(ImportFileError, match="missing columns: .*hours"):
        rows("kenmerk;kvk;functietitel;gemeente\nV1;1;x;Almelo\n")


def test_wrong_type_empty_and_windows_encoding():
    with pytest.raises(ImportFileError, match=r"\.csv and \.xlsx"):
        rows("x", name="export.pdf")
    with pytest.raises(ImportFileError, match="empty"):
        rows("")
    latin = (HEADER + "V3;59876543;Café-medewerker;20;Enschede;;;;nee;\n").encode("cp1252")
    ((_line, raw),) = list(read_rows(latin, "export.csv"))
    assert raw["title"] == "Café-medewerker"


def test_excel_export_is_read():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Kenmerk", "KvK", "Functietitel", "Uren", "Gemeente"])
    sheet.append(["V9", "59876543", "Kok", 38, "Almelo"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    ((line, raw),) = list(read_rows(buffer.getvalue(), "export.xlsx"))
    assert line == 2 and raw["title"] == "Kok" and raw["hours"] == "38"


def test_broken_excel_file_is_a_clear_error():
    with pytest.raises(ImportFileError, match="cannot be opened"):
        rows("not really excel", name="export.xlsx")


def test_hostile_text_is_kept_as_text_not_interpreted():
    ((line, raw),) = rows(HEADER + "V4;59876543;<script>alert(1)</script>;20;Almelo;;;;nee;\n")
    result = validate_row(line, raw, **CTX)
    assert result.values["title"] == "<script>alert(1)</script>"  # escaped on output by templates
