"""Postcodes to municipalities: the pure normaliser, the PC4 range table and the bundled CSV."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from werkcentrum.regions.postcodes import (
    DEFAULT_PATH,
    PostcodeTable,
    PostcodeTableError,
    default_table,
    normalise_pc4,
)
from werkcentrum.regions.regionfile import bundled_region_files, parse_region_file

# --------------------------------------------------------------------------- normalise_pc4


@pytest.mark.parametrize(
    "text",
    [
        "7511",
        "7511AB",
        "7511 AB",
        "7511 ab",
        "7511ab",
        " 7511-AB ",
        "7511-ab",
        "7511 - AB",
        "7511  AB",
        "\t7511\n",
    ],
)
def test_normalise_accepts_typed_postcodes(text):
    assert normalise_pc4(text) == "7511"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "0511",  # Dutch postcodes start at 1000
        "0511 AB",
        "751",
        "75111",
        "7511 A",
        "7511 ABC",
        "75 11 AB",
        "7511 A1",
        "AB 7511",
        "7511 ÄB",  # only ASCII letters
        "٧٥١١",  # only ASCII digits
        "７５１１",
        "Enschede",
        "-7511",
        "7511--AB",
        None,
        7511,
    ],
)
def test_normalise_rejects_everything_else(text):
    assert normalise_pc4(text) is None


@given(st.text())
def test_normalise_never_raises_and_returns_four_ascii_digits(text):
    result = normalise_pc4(text)
    assert result is None or (
        len(result) == 4 and result.isascii() and result.isdigit() and result[0] != "0"
    )


@given(
    st.integers(1000, 9999),
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", min_size=2, max_size=2),
    st.sampled_from(["", " ", "-", " - "]),
)
def test_normalise_keeps_the_digits_of_any_valid_postcode(number, letters, separator):
    assert normalise_pc4(f" {number}{separator}{letters} ") == str(number)


# --------------------------------------------------------------------------- the table


@pytest.fixture
def small_table(tmp_path):
    path = tmp_path / "pc4.csv"
    path.write_text(
        "pc4_from,pc4_to,municipality\n7550,7559,GM0164\n7500,7548,GM0153\n7570,7570,GM0173\n"
    )
    return PostcodeTable.load(path)


@pytest.mark.parametrize(
    ("pc4", "expected"),
    [
        ("7499", None),
        ("7500", "GM0153"),  # first of a range
        ("7548", "GM0153"),  # last of a range
        ("7549", None),  # the gap between two ranges
        ("7550", "GM0164"),
        ("7559", "GM0164"),
        ("7560", None),
        ("7570", "GM0173"),  # a single area
        ("7571", None),
        ("1000", None),
        ("9999", None),
        (7511, "GM0153"),
    ],
)
def test_lookup_at_range_edges(small_table, pc4, expected):
    assert small_table.municipality_for(pc4) == expected


@pytest.mark.parametrize("pc4", [None, "", "751", "75111", "abcd", "٧٥١١", True, 7.5])
def test_lookup_of_garbage_is_none(small_table, pc4):
    assert small_table.municipality_for(pc4) is None


def test_load_accepts_extra_columns_semicolons_and_a_bom(tmp_path):
    path = tmp_path / "official.csv"
    path.write_text(
        "\ufeffgemeentenaam;pc4_from;pc4_to;municipality\nEnschede;7500;7548;gm0153\n\n",
        encoding="utf-8",
    )
    table = PostcodeTable.load(path)
    assert table.ranges() == [(7500, 7548, "GM0153")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("from,to,municipality\n7500,7548,GM0153\n", "missing column"),
        ("pc4_from,pc4_to,municipality\n7500,75x8,GM0153\n", "line 2"),
        ("pc4_from,pc4_to,municipality\n7548,7500,GM0153\n", "pc4_from <= pc4_to"),
        ("pc4_from,pc4_to,municipality\n0500,0548,GM0153\n", "1000 <="),
        ("pc4_from,pc4_to,municipality\n7500,7548,Enschede\n", "CBS code"),
        (
            "pc4_from,pc4_to,municipality\n7500,7550,GM0153\n7550,7559,GM0164\n",
            "overlaps",
        ),
    ],
)
def test_load_rejects_bad_tables(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(PostcodeTableError, match=message):
        PostcodeTable.load(path)


def test_load_of_a_missing_file_is_a_table_error(tmp_path):
    with pytest.raises(PostcodeTableError, match="cannot read"):
        PostcodeTable.load(tmp_path / "nope.csv")


def test_lookup_agrees_with_a_linear_scan(small_table):
    for number in range(1000, 10000):
        expected = next(
            (code for start, end, code in small_table.ranges() if start <= number <= end), None
        )
        assert small_table.municipality_for(str(number)) == expected


# --------------------------------------------------------------------------- the bundled CSV


def bundled_regions():
    return {code: parse_region_file(path) for code, path in bundled_region_files().items()}


def test_bundled_table_loads_sorted_without_overlaps():
    table = PostcodeTable.load(DEFAULT_PATH)
    ranges = table.ranges()
    assert ranges == sorted(ranges)
    for (_, end, _), (start, _, _) in zip(ranges, ranges[1:], strict=False):
        assert end < start
    assert default_table() == table
    assert default_table() is default_table()  # cached


def test_bundled_table_names_only_municipalities_of_the_bundled_regions():
    known = {m.code for region in bundled_regions().values() for m in region.municipalities}
    assert default_table().municipalities() <= known


@pytest.mark.parametrize("region", ["twente", "achterhoek"])
def test_every_municipality_of_the_bundled_regions_has_a_range(region):
    data = bundled_regions()[region]
    codes = {m.code for m in data.municipalities}
    assert len(codes) == {"twente": 14, "achterhoek": 8}[region]
    assert codes <= default_table().municipalities()


def test_walk_in_point_postcodes_lie_in_their_own_municipality():
    """A consistency check between the two data sets (walk-in addresses are demo values)."""
    for region in bundled_regions().values():
        for point in region.walk_in_points:
            found = default_table().municipality_for(normalise_pc4(point.postcode))
            assert found in (None, point.municipality), point.code


@pytest.mark.parametrize(
    ("postcode", "municipality"),
    [
        ("7511 AB", "GM0153"),  # Enschede
        ("7551 AC", "GM0164"),  # Hengelo
        ("7607", "GM0141"),  # Almelo
        ("7571", "GM0173"),  # Oldenzaal
        ("7622", "GM0147"),  # Borne
        ("7581", "GM0168"),  # Losser
        ("7001", "GM0222"),  # Doetinchem
        ("7101", "GM0294"),  # Winterswijk
        ("7121", "GM0197"),  # Aalten
        ("1012", None),  # Amsterdam: outside both regions
    ],
)
def test_bundled_table_knows_the_main_towns(postcode, municipality):
    assert default_table().municipality_for(normalise_pc4(postcode)) == municipality
