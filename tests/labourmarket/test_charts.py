"""The SVG charts: valid XML, a title and description, no inline styles, honest geometry."""

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from werkcentrum.labourmarket import charts

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    assert "style=" not in svg  # the CSP forbids inline styles
    assert "<script" not in svg.lower()
    return ET.fromstring(svg)


def assert_accessible(root: ET.Element, title: str, desc: str):
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    assert root.get("viewBox") and root.get("width")
    t, d = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert t is not None and t.text == title and d is not None and d.text == desc
    assert root.get("aria-labelledby") == f"{t.get('id')} {d.get('id')}"


def columns(values, chosen_from=0):
    return [
        charts.Column(f"m{i}", v, f"month {i}: {v}", i >= chosen_from) for i, v in enumerate(values)
    ]


def test_column_chart_is_valid_accessible_svg():
    svg = charts.column_chart(
        columns([3, 0, 12, 7] * 6, chosen_from=12),
        chart_id="series",
        title="New vacancies per month",
        desc="From March 2024 to February 2026",
        legend=("Chosen period", "Earlier months"),
    )
    root = parse(svg)
    assert_accessible(root, "New vacancies per month", "From March 2024 to February 2026")
    rects = [r for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert len(rects) == 18  # one column per non-zero month
    fills = {r.get("fill") for r in rects}
    assert fills == {charts.PRIMARY, charts.CONTEXT}
    tallest = max(rects, key=lambda r: float(r.get("height")))
    assert tallest.find(f"{NS}title").text.endswith(": 12")
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "m23" in texts  # the last month is always labelled
    assert "Chosen period" in texts and "Earlier months" in texts


def test_column_heights_are_proportional():
    root = parse(charts.column_chart(columns([10, 20, 40]), chart_id="c", title="t", desc="d"))
    heights = [float(r.get("height")) for r in root.iter(f"{NS}rect")]
    assert heights[1] == pytest.approx(2 * heights[0], rel=0.02)
    assert heights[2] == pytest.approx(4 * heights[0], rel=0.02)


def test_empty_charts_say_so():
    root = parse(charts.column_chart([], chart_id="c", title="t", desc="d", empty_text="No data"))
    assert "No data" in [t.text for t in root.iter(f"{NS}text")]
    root = parse(charts.bar_chart([], chart_id="b", title="t", desc="d", empty_text="No data"))
    assert "No data" in [t.text for t in root.iter(f"{NS}text")]


def test_bar_chart_is_valid_accessible_svg_and_escapes_text():
    bars = [
        charts.Bar("Zorg & Welzijn", 30, "30"),
        charts.Bar('<script>alert("x")</script>', 10, "10"),
        charts.Bar(
            "Leidinggevenden productie en gespecialiseerde diensten en nog veel meer", 5, "5"
        ),
    ]
    svg = charts.bar_chart(bars, chart_id="sectors", title="Per sector", desc="Zorg: 30")
    root = parse(svg)
    assert_accessible(root, "Per sector", "Zorg: 30")
    labels = [t.text for t in root.iter(f"{NS}text")]
    assert "Zorg & Welzijn" in labels and '<script>alert("x")</script>' in labels
    assert any(label.endswith("…") for label in labels)  # long labels are shortened...
    titles = [t.text for t in root.iter(f"{NS}title")]
    assert any("nog veel meer" in t for t in titles)  # ...but complete in the tooltip
    widths = [float(r.get("width")) for r in root.iter(f"{NS}rect")]
    assert widths[0] == pytest.approx(3 * widths[1], rel=0.02)


def test_chart_ids_are_escaped():
    root = parse(charts.bar_chart([], chart_id='x" onload="y', title="t", desc="d"))
    assert root.get("onload") is None


@given(
    st.lists(
        st.tuples(st.text(max_size=60), st.floats(min_value=0, max_value=1e7, allow_nan=False)),
        max_size=12,
    )
)
def test_any_data_gives_well_formed_svg(items):
    bars = [charts.Bar(label, value, str(value)) for label, value in items]
    parse(charts.bar_chart(bars, chart_id="b", title="t", desc="d"))
    parse(
        charts.column_chart(
            [charts.Column("m", v, "", True) for _, v in items], chart_id="c", title="t", desc="d"
        )
    )


def test_nice_ticks():
    assert charts.nice_ticks(0) == [0, 1]
    assert charts.nice_ticks(10) == [0, 2.5, 5.0, 7.5, 10.0] or charts.nice_ticks(10)[-1] >= 10
    for maximum in (1, 3, 7, 12, 99, 101, 1234, 0.4):
        ticks = charts.nice_ticks(maximum)
        assert ticks[0] == 0 and ticks[-1] >= maximum and len(ticks) <= 7
