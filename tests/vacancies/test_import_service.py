"""Importing vacancies from old-system exports through the service and the upload page
(the pure reading/validation is in test_importer.py)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.conftest import make_user
from werkcentrum.accounts.models import Role
from werkcentrum.employers.models import Employer
from werkcentrum.frontdoor.errors import NotAllowed
from werkcentrum.matching.services import reset_indexes
from werkcentrum.occupations import registry
from werkcentrum.occupations.normalise import default_normaliser
from werkcentrum.vacancies import importer
from werkcentrum.vacancies.models import Vacancy
from werkcentrum.vacancies.services import import_vacancies

HEADER = ["kenmerk", "kvk", "functietitel", "esco", "uren", "gemeente", "postcode",
          "opleidingsniveau", "vaardigheden", "leren en werken", "startdatum"]  # fmt: skip


ESCO_URI = "http://data.europa.eu/esco/occupation/"


@pytest.fixture(autouse=True)
def _fresh_indexes():
    reset_indexes()
    yield
    reset_indexes()


def esco(title: str) -> str:
    return default_normaliser().normalise(title, top=1)[0].esco_id


@pytest.fixture
def adviser(twente):
    return make_user("adviser", Role.EMPLOYER_ADVISER, twente)


@pytest.fixture
def employers(twente):
    return [
        Employer.objects.create(region=twente, name="Twentse Logistiek", kvk_number="60000001"),
        Employer.objects.create(region=twente, name="Zorggroep Regge", kvk_number="60000002"),
    ]


def csv_bytes(rows, header=HEADER) -> bytes:
    lines = [";".join(header)] + [";".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def good_rows():
    return [
        # title only: mapped to ESCO by the normaliser
        ["V1", "60000001", "Magazijnmedewerker", "", "32", "Almelo", "7607 AB", "mbo 2",
         "heftruck, orderpicken", "ja", "01-02-2027"],
        # an explicit ESCO id (also as a full ESCO URI)
        ["V2", "6000.0002", "Verzorgende", ESCO_URI + esco("thuiszorgmedewerker"), "24", "enschede",
         "", "mbo 3", "", "nee", ""],
        ["V3", "60000002", "Kok", "", "38", "Glanerbrug", "", "", "koken", "", "2027-03-01"],
    ]  # fmt: skip


def bad_rows():
    return [
        ["V4", "99999999", "Kok", "", "zestig", "Atlantis", "", "", "", "", ""],  # line 5
        ["V5", "60000001", "xqzzy blorp", "", "20", "Almelo", "", "", "", "", ""],  # line 6
        ["V6", "60000001", "Kok", "onbekend-esco", "20", "Almelo", "12", "", "", "misschien", ""],
    ]  # fmt: skip


def test_valid_rows_imported_invalid_rows_reported_by_line_and_field(twente, adviser, employers):
    report = import_vacancies(
        csv_bytes(good_rows() + bad_rows()), "export.csv", user=adviser, region=twente
    )
    assert (report.total, report.created, report.updated, report.unchanged) == (6, 3, 0, 0)
    assert report.file_error == "" and report.invalid_rows == 3
    assert {(line, field) for line, field, _m in report.errors} == {
        (5, "kvk_number"), (5, "hours"), (5, "municipality"),
        (6, "esco_id"),
        (7, "esco_id"), (7, "postcode"), (7, "work_and_learn"),
    }  # fmt: skip
    assert all(message for _l, _f, message in report.errors)
    assert report.to_dict()["errors"][0] == {
        "line": report.errors[0][0],
        "field": report.errors[0][1],
        "message": report.errors[0][2],
    }
    assert set(Vacancy.objects.values_list("external_ref", flat=True)) == {"V1", "V2", "V3"}
    v1, v2, v3 = (Vacancy.objects.get(external_ref=ref) for ref in ("V1", "V2", "V3"))
    assert v1.esco_id == esco("magazijnmedewerker") and v1.occupation_label == "magazijnmedewerker"
    assert v1.isco_group == registry.occupation(v1.esco_id).isco_group
    assert v1.employer == employers[0] and v1.municipality.name == "Almelo" and v1.hours == 32
    assert v1.postcode == "7607AB" and v1.education_level == 3 and v1.work_and_learn is True
    assert (
        v1.required_skills == ["heftruck", "orderpicken"]
        and v1.start_date.isoformat() == "2027-02-01"
    )
    assert v2.esco_id == esco("thuiszorgmedewerker") and v2.employer == employers[1]
    assert v2.municipality.name == "Enschede" and v2.title == "Verzorgende"
    assert v3.municipality.name == "Enschede"  # an alias
    assert v3.created_by == adviser and v3.region == twente


def test_reimport_is_idempotent_and_changes_are_updates(twente, adviser, employers):
    data = csv_bytes(good_rows() + bad_rows())
    import_vacancies(data, "export.csv", user=adviser, region=twente)
    before = {v.external_ref: v.updated_at for v in Vacancy.objects.all()}
    again = import_vacancies(data, "export.csv", user=adviser, region=twente)
    assert (again.total, again.created, again.updated, again.unchanged) == (6, 0, 0, 3)
    assert again.invalid_rows == 3
    assert {v.external_ref: v.updated_at for v in Vacancy.objects.all()} == before

    changed = good_rows()
    changed[0][4] = "36"
    report = import_vacancies(csv_bytes(changed), "export.csv", user=adviser, region=twente)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert Vacancy.objects.get(external_ref="V1").hours == 36
    assert Vacancy.objects.count() == 3


def test_an_invalid_row_leaves_the_existing_vacancy_untouched(twente, adviser, employers):
    import_vacancies(csv_bytes(good_rows()), "export.csv", user=adviser, region=twente)
    v1 = Vacancy.objects.get(external_ref="V1")
    snapshot = {f.name: getattr(v1, f.name) for f in Vacancy._meta.concrete_fields}
    broken = good_rows()
    broken[0][2] = "Heftruckchauffeur"  # a change ...
    broken[0][4] = "99"  # ... in a row that is invalid
    report = import_vacancies(csv_bytes(broken), "export.csv", user=adviser, region=twente)
    assert [(line, field) for line, field, _m in report.errors] == [(2, "hours")]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    v1.refresh_from_db()
    assert {f.name: getattr(v1, f.name) for f in Vacancy._meta.concrete_fields} == snapshot


def test_excel_export_is_imported(twente, adviser, employers):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Kenmerk", "KvK", "Functietitel", "Uren", "Gemeente", "Startdatum"])
    sheet.append(["X1", "60000001", "Heftruckchauffeur", 40, "Hengelo", "15-01-2027"])
    sheet.append(["X2", "60000002", "Kok", "veel", "Hengelo", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_vacancies(buffer.getvalue(), "Export.XLSX", user=adviser, region=twente)
    assert report.file_error == ""
    assert (report.total, report.created) == (2, 1)
    assert [(line, field) for line, field, _m in report.errors] == [(3, "hours")]
    x1 = Vacancy.objects.get(external_ref="X1")
    assert x1.occupation_label == "heftruckchauffeur" and x1.hours == 40
    assert x1.start_date.isoformat() == "2027-01-15"


@pytest.mark.parametrize(
    ("data", "name", "problem"),
    [
        (b"%PDF-1.4 ...", "export.pdf", ".csv"),
        (
            b"kenmerk;kvk;functietitel;gemeente\nV1;60000001;Kok;Almelo\n",
            "export.csv",
            "missing columns",
        ),
        (b"", "export.csv", "empty"),
        (b"not a workbook", "export.xlsx", "Excel"),
    ],
)
def test_file_errors_change_nothing(twente, adviser, employers, data, name, problem):
    import_vacancies(csv_bytes(good_rows()), "export.csv", user=adviser, region=twente)
    before = list(Vacancy.objects.order_by("pk").values())
    report = import_vacancies(data, name, user=adviser, region=twente)
    assert problem in report.file_error
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert list(Vacancy.objects.order_by("pk").values()) == before


def test_too_many_rows_is_a_file_error_that_changes_nothing(
    twente, adviser, employers, monkeypatch
):
    monkeypatch.setattr(importer, "MAX_ROWS", 2)
    report = import_vacancies(csv_bytes(good_rows()), "export.csv", user=adviser, region=twente)
    assert "more than 2 rows" in report.file_error
    assert not Vacancy.objects.exists()


def test_dry_run_checks_without_writing(twente, adviser, employers):
    report = import_vacancies(
        csv_bytes(good_rows() + bad_rows()), "export.csv", user=adviser, region=twente, dry_run=True
    )
    assert report.total == 6 and report.invalid_rows == 3
    assert not Vacancy.objects.exists()


def test_progress_is_reported_and_only_employer_services_import(twente, adviser, guide, employers):
    seen = []
    import_vacancies(
        csv_bytes(good_rows()), "e.csv", user=adviser, region=twente, progress=seen.append
    )
    assert seen == [3]
    with pytest.raises(NotAllowed):
        import_vacancies(csv_bytes(good_rows()), "e.csv", user=guide, region=twente)


def test_upload_page_shows_the_report(client, twente, adviser, employers):
    client.force_login(adviser)
    url = reverse("vacancies:import")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("export.csv", csv_bytes(good_rows() + bad_rows()), "text/csv")
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.created, report.invalid_rows) == (3, 3)
    html = response.content.decode()
    assert "<td>5</td><td>kvk_number</td>" in html and "<td>7</td><td>postcode</td>" in html
    assert Vacancy.objects.count() == 3

    wrong = client.post(url, {"file": SimpleUploadedFile("export.pdf", b"x", "application/pdf")})
    assert wrong.status_code == 200 and wrong.context["report"].file_error
    assert "alert--error" in wrong.content.decode()
    assert Vacancy.objects.count() == 3


def test_upload_page_is_for_employer_services(client, guide):
    client.force_login(guide)
    assert client.get(reverse("vacancies:import")).status_code == 403
