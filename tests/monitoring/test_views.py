"""The dashboard, the drill-down and the indicators with known data: permissions, logging,
suppression on the page, constant queries and bad filters."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from tests.monitoring.data import _contacts, _placements
from werkcentrum.accounts.models import Role
from werkcentrum.monitoring import indicators
from werkcentrum.monitoring.figures import year_period
from werkcentrum.monitoring.indicators import Filters
from werkcentrum.privacy.models import ProcessingLogEntry
from werkcentrum.regions.models import Municipality

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("monitoring:dashboard")


def _filters(region):
    return Filters(region=region, period=year_period(timezone.localdate().year))


def test_indicators_with_known_data(twente, guide, uwv):
    _contacts(twente, guide, uwv, 6)
    _placements(twente, 7)
    _placements(twente, 3, regime="ww", municipality="Almelo", source="direct_match")
    f = _filters(twente)
    reach = indicators.reach(f)
    assert reach["total"] == 6
    assert reach["channel"] == {"walk_in": 6}
    assert reach["municipality"] == {"Enschede": 3, "Oldenzaal": 3}
    assert reach["novelty"] == {"new": 6, "known": 0, "anonymous": 0}
    rows = indicators.handovers(f)
    assert [(r["partner__code"], r["received"], r["pending"]) for r in rows] == [(uwv.code, 3, 3)]
    placed = indicators.placements(f)
    assert placed["regime"] == {"bijstand": 7, "ww": 3}
    assert placed["municipality"] == {"GM0153": 7}
    assert placed["source"] == {"regular": 7, "direct_match": 3}
    municipal = Filters(
        region=twente, period=f.period, municipality=Municipality.objects.get(name="Almelo")
    )
    assert indicators.placements(municipal)["regime"] == {"ww": 3}
    later = timezone.now() + timedelta(days=30)
    backlog = indicators.escalation_backlog(f, now=later)
    assert backlog["overdue"] == 3


def test_manager_sees_the_dashboard_with_suppression(client, twente, manager, guide, uwv):
    from werkcentrum.monitoring.loader import load_targets

    load_targets("twente")
    _placements(twente, 12)  # Enschede
    _placements(twente, 2, municipality="Losser")  # small: hidden
    client.force_login(manager)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "fewer than 5" in html
    assert "Records behind these figures" not in html  # managers: aggregates only
    municipal = response.context["municipal"]
    losser = next(r for r in municipal.rows if r.label == "Losser")
    assert losser.cell.value is None
    # the Enschede subregion total would reveal Losser next to Enschede: something else hides
    enschede = next(r for r in municipal.rows if r.label == "Enschede")
    oldenzaal = next(r for r in municipal.rows if r.label == "Oldenzaal")
    subregion = next(
        r for r in response.context["subregional"].rows if r.label == "Subregio Enschede"
    )
    assert not (enschede.cell.shown and oldenzaal.cell.shown and subregion.cell.shown)


def test_2021_page_shows_the_computed_total(client, twente, manager):
    from werkcentrum.monitoring.loader import load_targets

    load_targets("twente")
    client.force_login(manager)
    response = client.get(DASHBOARD + "?period=2021")
    assert response.status_code == 200
    assert response.context["regime"].target_total == 1392
    html = response.content.decode()
    assert "The source prints a total of 1393" in html.replace(",", "").replace(".", "")


def test_manager_cannot_drill_down(client, manager):
    client.force_login(manager)
    assert client.get(reverse("monitoring:drill", args=["contacts"])).status_code == 403


def test_coordinator_drill_down_is_logged(client, twente, coordinator, guide, uwv):
    contacts = _contacts(twente, guide, uwv, 3)
    client.force_login(coordinator)
    before = ProcessingLogEntry.objects.count()
    response = client.get(reverse("monitoring:drill", args=["contacts"]))
    assert response.status_code == 200
    assert contacts[0].reference in response.content.decode()
    assert ProcessingLogEntry.objects.count() == before + 3
    entry = ProcessingLogEntry.objects.latest("pk")
    assert entry.activity_id == "coordination" and entry.actor == coordinator
    for indicator in ("handovers", "overdue", "trajectories", "placements"):
        assert client.get(reverse("monitoring:drill", args=[indicator])).status_code == 200
    assert client.get(reverse("monitoring:drill", args=["nothing"])).status_code == 404


@pytest.mark.parametrize("who", ["guide", "uwv_employee"])
def test_guides_and_partners_get_403(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(reverse("monitoring:drill", args=["contacts"])).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(DASHBOARD).status_code == 302


def test_other_regions_coordinator_sees_nothing_of_twente(client, twente, achterhoek, guide, uwv):
    _contacts(twente, guide, uwv, 6)
    other = make_user("coordinator_ah", Role.COORDINATOR, achterhoek)
    client.force_login(other)
    response = client.get(DASHBOARD + "?region=twente")
    assert response.status_code == 200
    assert response.context["region"] == achterhoek
    assert response.context["reach_total"].value == 0
    drill = client.get(reverse("monitoring:drill", args=["contacts"]) + "?region=twente")
    assert drill.status_code == 200 and not drill.context["objects"]


def test_administrator_can_choose_the_region(client, administrator, twente):
    client.force_login(administrator)
    response = client.get(DASHBOARD + "?region=twente")
    assert response.status_code == 200 and response.context["region"] == twente
    assert client.get(DASHBOARD + "?region=nowhere").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "period=abc",
        "period=2026-q9",
        "period=99999",
        "start=2026-13-01&end=2026-01-01",
        "start=2026-02-01&end=2025-01-01",
        "subregion=nowhere",
        "municipality=GM9999",
        "partner=%00",
        "municipality=GM0153&subregion=almelo",
        "period=" + "x" * 5000,
        "period=2026-01-01..2026-03-31&municipality=GM0153&partner=uwv-twente&subregion=enschede",
    ],
)
def test_bad_or_odd_filters_never_500(client, coordinator, query):
    client.force_login(coordinator)
    assert client.get(f"{DASHBOARD}?{query}").status_code == 200
    assert (
        client.get(f"{reverse('monitoring:drill', args=['handovers'])}?{query}").status_code == 200
    )


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_data(client, twente, manager, guide, uwv):
    from werkcentrum.monitoring.loader import load_targets

    load_targets("twente")
    client.force_login(manager)
    _contacts(twente, guide, uwv, 5)
    _placements(twente, 5)
    few = _count_queries(client, DASHBOARD)
    _contacts(twente, guide, uwv, 45)
    _placements(twente, 45, municipality="Almelo")
    _placements(twente, 10, regime="wia", source="job_hunting")
    assert _count_queries(client, DASHBOARD) == few


def test_drill_down_queries_do_not_grow(client, twente, coordinator, guide, uwv):
    client.force_login(coordinator)
    _contacts(twente, guide, uwv, 3)
    url = reverse("monitoring:drill", args=["handovers"])
    few = _count_queries(client, url)
    _contacts(twente, guide, uwv, 12)
    assert _count_queries(client, url) == few


def test_drill_down_narrows_to_one_figure(client, twente, coordinator):
    _placements(twente, 6)
    _placements(twente, 2, regime="ww", source="direct_match")
    client.force_login(coordinator)
    url = reverse("monitoring:drill", args=["placements"])
    response = client.get(url + "?by=source&value=direct_match")
    assert response.status_code == 200 and len(response.context["objects"]) == 2
    response = client.get(url + "?by=benefit_regime&value=bijstand")
    assert len(response.context["objects"]) == 6
    response = client.get(url + "?by=employer__name&value=x")  # not allowed: ignored
    assert response.status_code == 200 and len(response.context["objects"]) == 8
    assert response.context["notices"]
    dashboard = client.get(DASHBOARD).content.decode()
    assert "by=source&amp;value=direct_match" in dashboard


def test_placements_per_quarter_against_the_target(client, twente, manager, targets):
    _placements(twente, 9)
    client.force_login(manager)
    response = client.get(DASHBOARD)
    quarters = response.context["quarters"]
    assert len(quarters) == 4
    current = (timezone.localdate().month - 1) // 3
    assert quarters[current].cell.value == 9
    assert quarters[current].realisation.target == round(1392 * quarters_days(current) / 365)
    assert all(q.chosen for q in quarters)  # the whole year is chosen
    assert 'id="mon-quarters-title"' in response.content.decode()


def quarters_days(index):
    from werkcentrum.monitoring.figures import quarter_period

    return quarter_period(timezone.localdate().year, index + 1).days
