"""The public page /arbeidsmarkt/ and its CSV export."""

import csv
import io
import re
import xml.etree.ElementTree as ET
from html import escape

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import CARE, ICT, LOGISTICS, add_job_seekers, add_vacancies, at, month_ago

URL = "/arbeidsmarkt/"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def market(twente, employer):
    add_vacancies(twente, employer, 12, CARE, created=at(month_ago(1)))
    add_vacancies(twente, employer, 10, CARE, created=at(month_ago(13)))
    add_vacancies(twente, employer, 6, ICT, created=at(month_ago(2)), place="Almelo")
    add_vacancies(twente, employer, 5, LOGISTICS, created=at(month_ago(5)), place="Hengelo")
    add_job_seekers(twente, 8, [CARE])
    add_job_seekers(twente, 3, [ICT])  # fewer than 5
    add_job_seekers(twente, 20, [LOGISTICS])


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def test_url():
    assert reverse("labourmarket:overview") == URL
    assert reverse("labourmarket:export_csv") == URL + "export.csv"


def test_page_shows_summary_charts_and_tables(client, market):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    summary = response.context["summary"]
    assert summary.startswith("In de afgelopen 12 maanden kwamen er 23 vacatures bij in Twente")
    assert "De meeste in" in summary and "per werkzoekende" in summary
    assert escape(summary) in html
    charts = svgs(html)
    assert len(charts) == 6
    for chart in charts:
        assert chart.find("{http://www.w3.org/2000/svg}title").text
        assert chart.find("{http://www.w3.org/2000/svg}desc").text
    assert "style=" not in html  # the CSP forbids inline styles
    assert html.count("Show as table") >= 4 or html.count("<table") >= 6
    assert html.count('role="region" tabindex') + html.count('tabindex="0" role="region"') >= 6
    assert 'id="sources"' in html


def test_small_cells_are_suppressed_in_the_page(english, market):
    response = english.get(URL)
    html = response.content.decode()
    rows = {r["key"]: r for r in response.context["breakdown_rows"]}
    assert rows["ict"]["job_seekers"] == "fewer than 5" and rows["ict"]["job_seekers_hidden"]
    assert rows["ict"]["tension"] == "not shown"
    assert rows["care"]["job_seekers"] == "not shown"  # the next smallest goes with it
    assert rows["logistics"]["job_seekers"] == "20"
    assert "fewer than 5" in html
    ict_row = re.search(r"<th scope=\"row\">ICT</th>(.*?)</tr>", html, flags=re.S).group(1)
    assert ">3<" not in ict_row


def test_english_summary(english, market):
    response = english.get(URL, {"sector": "care"})
    summary = response.context["summary"]
    assert summary.startswith(
        "In the past 12 months, 12 new vacancies were registered in Care & Welfare in Twente, "
        "20% more than in the 12 months before."
    )


def test_filters_live_in_the_url(client, market):
    response = client.get(URL, {"sector": "ict", "place": "GM0141", "period": "12m"})  # Almelo
    assert response.status_code == 200
    assert response.context["data"].new == 6
    assert response.context["place"].name == "Almelo"
    assert "sector=ict" in response.context["query"] and "place=GM0141" in response.context["query"]
    assert 'value="ict" selected' in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"period": "garbage"},
        {"period": "2099-01"},
        {"period": "1999-Q5"},
        {"period": "9" * 200},
        {"sector": "<script>alert(1)</script>"},
        {"place": "GM9999"},
        {"place": "'; DROP TABLE x; --"},
        {"region": "atlantis"},
        {"region": "", "period": "", "sector": "", "place": ""},
        {"period": "2025-Q1", "sector": "care", "place": "GM0153"},
    ],
)
def test_bad_filter_values_never_fail(client, market, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert client.get(URL + "export.csv", params).status_code == 200


def test_unknown_filters_are_explained(english, market):
    response = english.get(URL, {"period": "2099-01", "sector": "nope"})
    notices = response.context["filters"].notices
    assert len(notices) == 2 and "last 12 months" in notices[0]


def test_other_region_by_code(client, twente, achterhoek, market):
    response = client.get(URL, {"region": "achterhoek"})
    assert response.context["region"] == achterhoek and response.context["data"].new == 0


def test_empty_state(client, twente):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "empty-state" in html and len(svgs(html)) == 6
    assert response.context["summary"] == (
        "In de afgelopen 12 maanden kwamen er geen vacatures bij in Twente. "
        "Er staan nu geen vacatures open."
    )


def test_page_queries_do_not_grow_with_data(client, twente, employer):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    add_vacancies(twente, employer, 10, CARE, created=at(month_ago(1)))
    add_job_seekers(twente, 10, [CARE])
    few = count()
    add_vacancies(twente, employer, 50, ICT, created=at(month_ago(3)), place="Almelo")
    add_vacancies(twente, employer, 40, LOGISTICS, created=at(month_ago(15)), place="Losser")
    add_job_seekers(twente, 60, [ICT, LOGISTICS])
    assert count() == few <= 10


def test_csv_export(client, market):
    response = client.get(URL + "export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="arbeidsmarkt-twente-12m.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    total = rows[0]
    assert (total["section"], total["new_vacancies"], total["job_seekers"]) == ("total", "23", "31")
    sectors = {r["key"]: r for r in rows if r["section"] == "sector"}
    assert (
        sectors["ict"]["job_seekers"] == "<5" and sectors["ict"]["vacancies_per_job_seeker"] == ""
    )
    assert sectors["care"]["job_seekers"] == "hidden"
    assert sectors["logistics"]["vacancies_per_job_seeker"] == "0.25"
    assert len([r for r in rows if r["section"] == "month"]) == 24
    municipalities = {r["name"]: r for r in rows if r["section"] == "municipality"}
    assert municipalities["Almelo"]["key"] == "GM0141"
    for row in rows:
        if row["job_seekers"] not in ("", "<5", "hidden"):
            assert int(row["job_seekers"]) >= 5
