"""Targets as data: the bundled file, computed totals, versions, the command and the form."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from werkcentrum.monitoring import selectors, services
from werkcentrum.monitoring.figures import total
from werkcentrum.monitoring.loader import load_all_bundled_targets, load_targets
from werkcentrum.monitoring.models import TargetSet
from werkcentrum.monitoring.targetfile import (
    Row,
    TargetFileError,
    check_against_region,
    parse_target_text,
)
from werkcentrum.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def _placements(twente, year):
    rows = selectors.targets_of(selectors.current_set(twente, year))
    return {k: v for k, v in rows.items() if k[0] == "placements"}


def test_2021_rows_add_up_to_1392_not_the_printed_1393(twente, targets):
    rows = _placements(twente, 2021)
    assert total(rows.values()) == 1392
    assert selectors.current_set(twente, 2021).printed_total == 1393
    uwv = total(v for (i, d, k), v in rows.items() if d == "regime")
    assert uwv == 561
    subregion_almelo = ["GM0141", "GM1774", "GM0163", "GM1742", "GM0183", "GM1700", "GM0189"]
    assert total(rows[("placements", "municipality", c)] for c in subregion_almelo) == 305
    assert (
        total(rows[("placements", "municipality", c)] for c in ("GM0153", "GM0168", "GM0173"))
        == 346
    )
    assert rows[("placements", "subregion", "hengelo")] == 180


def test_2020_rows_add_up_to_the_printed_1411(twente, targets):
    rows = _placements(twente, 2020)
    assert total(rows.values()) == 1411
    assert rows[("placements", "regime", "eures")] == 30
    assert rows[("placements", "municipality", "GM0163")] == 20


def test_other_indicators_for_the_current_demo_year(twente, targets):
    rows = selectors.targets_of(selectors.current_set(twente, 2026))
    assert rows[("llo_conversations", "none", "")] == 1375
    assert rows[("vouchers", "none", "")] == 625


def test_loading_twice_adds_no_version(twente, targets):
    assert load_targets("twente") == targets
    assert TargetSet.objects.filter(region=twente, year=2021).count() == 1
    assert load_all_bundled_targets()["twente"] == targets


def test_the_command_loads(twente, capsys):
    call_command("targets", "load", "--region", "twente")
    assert "Loaded targets for twente" in capsys.readouterr().out
    assert TargetSet.objects.filter(region=twente).count() == 3


@pytest.mark.parametrize(
    "text",
    [
        "region = 'twente'",
        "region = 'twente'\n[[years]]\nyear = 2021\n[years.targets.unknown]\ntotal = 3",
        "region = 'twente'\n[[years]]\nyear = 2021\n[years.targets.placements.regime]\nxx = 3",
        "region = 'twente'\n[[years]]\nyear = 2021\n[years.targets.placements.regime]\nww = -3",
        "region = 'twente'\n[[years]]\nyear = 2021\n[years.targets.placements]\ntotal = 3",
        "region = 'twente'\n[[years]]\nyear = 2021\n[[years]]\nyear = 2021",
        "not toml [",
    ],
)
def test_bad_files_are_refused(text):
    with pytest.raises(TargetFileError):
        parse_target_text(text, region="twente")


def test_subregion_and_its_municipalities_cannot_both_have_targets():
    rows = [
        Row("placements", "municipality", "GM0164", 100),
        Row("placements", "subregion", "hengelo", 180),
    ]
    with pytest.raises(TargetFileError):
        check_against_region(rows, {"GM0164": "hengelo"}, {"hengelo"})


def test_an_edit_saves_a_new_audited_version(twente, targets, coordinator):
    before = selectors.current_set(twente, 2021)
    rows = [Row("placements", "regime", "ww", 450)]
    saved = services.save_version(region=twente, year=2021, rows=rows, note="PHA", user=coordinator)
    assert saved.version == before.version + 1
    assert selectors.current_set(twente, 2021) == saved
    assert selectors.targets_of(saved) == {("placements", "regime", "ww"): 450}
    assert selectors.targets_of(before)[("placements", "regime", "ww")] == 431  # kept
    assert AuditEvent.objects.filter(action="targets_version_saved", user=coordinator).exists()


def test_guides_cannot_edit(twente, guide):
    from werkcentrum.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.save_version(region=twente, year=2021, rows=[], note="x", user=guide)


def test_edit_form_makes_a_new_version(client, twente, targets, manager):
    client.force_login(manager)
    url = reverse("monitoring:targets")
    page = client.get(url + "?year=2021")
    assert page.status_code == 200
    assert "1392" in page.content.decode().replace(",", "").replace(".", "")
    data = {
        "year": "2021",
        "note": "New plan",
        "t__placements__regime__ww": "440",
        "t__vouchers__none__": "600",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    current = selectors.current_set(twente, 2021)
    assert current.version == 2 and current.created_by == manager
    assert selectors.targets_of(current) == {
        ("placements", "regime", "ww"): 440,
        ("vouchers", "none", ""): 600,
    }
    bad = client.post(url, {"year": "2021", "note": "", "t__placements__regime__ww": "-1"})
    assert bad.status_code == 400
    both = client.post(
        url,
        {
            "year": "2021",
            "note": "x",
            "t__placements__municipality__GM0164": "5",
            "t__placements__subregion__hengelo": "5",
        },
    )
    assert both.status_code == 400
    assert selectors.current_set(twente, 2021).version == 2


def test_guide_gets_403_on_targets(client, guide):
    client.force_login(guide)
    assert client.get(reverse("monitoring:targets")).status_code == 403
    assert (
        client.post(reverse("monitoring:targets"), {"year": "2021", "note": "x"}).status_code == 403
    )


def test_the_command_refuses_bad_input(twente, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("targets", "load", "--region", "nowhere")
    bad = tmp_path / "bad.toml"
    bad.write_text(
        "region = 'twente'\n[[years]]\nyear = 2021\n[years.targets.placements.municipality]\nGM9999 = 3\n"
    )
    with pytest.raises(CommandError):
        call_command("targets", "load", "--region", "twente", "--file", str(bad))
    with pytest.raises(CommandError):
        call_command("targets", "load", "--file", str(bad))
    assert not TargetSet.objects.filter(region=twente).exists()


@pytest.mark.parametrize("year", ["9" * 5000, "abc", "1999", "٢٠٢١", "-2021", " 2021 "])
def test_odd_years_never_500(client, targets, coordinator, year):
    client.force_login(coordinator)
    assert client.get(reverse("monitoring:targets"), {"year": year}).status_code == 200
    assert client.post(reverse("monitoring:targets"), {"year": year, "note": ""}).status_code == 400
