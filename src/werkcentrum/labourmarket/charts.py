"""Accessible, server-rendered SVG charts: a column chart for a monthly series and horizontal
bars for rankings.

Pure: no Django, no JavaScript, no inline ``style`` (the CSP forbids it); colours are SVG
presentation attributes taken from the stylesheet's palette (app.css, section 1). Every chart
has a <title> and <desc> and is always shown next to a data table in the page; the chart is an
image (role="img"), the table carries the figures for screen readers and copying.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

# The palette of app.css (contrast against white in brackets).
PRIMARY = "#154273"  # --wc-color-primary (10.2:1): the chosen period, the bars
CONTEXT = "#6b7177"  # --wc-color-border-strong (4.9:1): months around the chosen period
TEXT = "#1a1a1a"  # --wc-color-text
MUTED = "#575f66"  # --wc-color-muted (6.5:1): axis labels
GRID = "#d0d5da"  # --wc-color-border: decorative grid lines only
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value) -> str:
    """Escaped text without the characters XML does not allow."""
    return escape(_NOT_XML.sub("", str(value)), quote=False)


def _attr(value) -> str:
    return escape(_NOT_XML.sub("", str(value)), quote=True)


def _num(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """0 and round steps (1, 2, 2.5 or 5 times a power of ten) up to at least ``maximum``."""
    if not math.isfinite(maximum) or maximum < 1e-9:  # nothing to show (or float dust)
        return [0, 1]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if step < 1 and maximum >= 1:
        step = 1
    ticks = [0.0]
    while ticks[-1] < maximum - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    cid = _attr(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" focusable="false" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="{_attr(FONT)}">',
        f'<title id="{cid}-title">{_text(title)}</title>',
        f'<desc id="{cid}-desc">{_text(desc)}</desc>',
    ]


@dataclass(frozen=True)
class Column:
    label: str  # short axis label, e.g. "mrt '25"
    value: float
    title: str = ""  # full text for the tooltip, e.g. "maart 2025: 123"
    highlight: bool = True


def column_chart(
    columns: Sequence[Column],
    *,
    chart_id: str,
    title: str,
    desc: str,
    legend: tuple[str, str] | None = None,
    empty_text: str = "",
    fmt: Callable[[float], str] = _num,
    width: int = 560,
    height: int = 320,
) -> str:
    """Vertical columns (a monthly series), highlighted ones in the primary colour.

    Text is large for the drawing (20 units) because phones show it at about 0.65 times."""
    font = 22
    left, right, top, bottom = 60, 30, (42 if legend else 14), 36
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = _open(chart_id, width, height, title, desc)
    if legend:
        chosen, context = legend
        parts += [
            f'<rect x="0" y="6" width="18" height="18" fill="{PRIMARY}"/>',
            f'<text x="26" y="22" font-size="{font - 2}" fill="{TEXT}">{_text(chosen)}</text>',
            f'<rect x="{width // 2}" y="6" width="18" height="18" fill="{CONTEXT}"/>',
            f'<text x="{width // 2 + 26}" y="22" font-size="{font - 2}" fill="{TEXT}">{_text(context)}</text>',
        ]
    maximum = max((c.value for c in columns), default=0)
    ticks = nice_ticks(maximum)
    top_value = ticks[-1] or 1
    for tick in ticks:
        y = top + plot_h - plot_h * tick / top_value
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_num(y)}" y2="{_num(y)}" '
            f'stroke="{GRID if tick else MUTED}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 8}" y="{_num(y + 6)}" font-size="{font - 2}" fill="{MUTED}" '
            f'text-anchor="end">{_text(fmt(tick))}</text>'
        )
    if not columns or maximum <= 0:
        if empty_text:
            parts.append(
                f'<text x="{left + plot_w / 2:.0f}" y="{top + plot_h / 2:.0f}" font-size="{font}" '
                f'fill="{MUTED}" text-anchor="middle">{_text(empty_text)}</text>'
            )
    n = len(columns)
    if n:
        slot = plot_w / n
        bar = max(slot * 0.72, 1)
        every = max(1, math.ceil(n / 5))
        for i, column in enumerate(columns):
            x = left + i * slot + (slot - bar) / 2
            h = plot_h * max(column.value, 0) / top_value
            colour = PRIMARY if column.highlight else CONTEXT
            if h > 0:
                tip = f"<title>{_text(column.title)}</title>" if column.title else ""
                parts.append(
                    f'<rect x="{_num(x)}" y="{_num(top + plot_h - h)}" width="{_num(bar)}" '
                    f'height="{_num(h)}" fill="{colour}">{tip}</rect>'
                )
            if (n - 1 - i) % every == 0:  # label the last month and every few before it
                parts.append(
                    f'<text x="{_num(left + i * slot + slot / 2)}" y="{height - 10}" '
                    f'font-size="{font - 2}" fill="{MUTED}" text-anchor="middle">'
                    f"{_text(column.label)}</text>"
                )
    parts.append("</svg>")
    return "\n".join(parts)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    value_text: str


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    desc: str,
    empty_text: str = "",
    width: int = 480,
    label_chars: int = 50,
) -> str:
    """Horizontal bars, each with its label above it and its value after it (mobile-first:
    nothing has to fit beside a long occupation name)."""
    font, label_h, bar_h, gap, value_w = 17, 20, 22, 14, 130
    row = label_h + 4 + bar_h + gap
    height = max(row * len(bars) + 4, 48)
    parts = _open(chart_id, width, height, title, desc)
    maximum = max((b.value for b in bars), default=0)
    if not bars and empty_text:
        parts.append(
            f'<text x="4" y="28" font-size="{font}" fill="{MUTED}">{_text(empty_text)}</text>'
        )
    usable = width - value_w - 2
    for i, b in enumerate(bars):
        y = i * row + label_h
        parts.append(
            f'<text x="0" y="{y}" font-size="{font}" fill="{TEXT}">'
            f"{_text(truncate(b.label, label_chars))}</text>"
        )
        w = usable * max(b.value, 0) / maximum if maximum > 0 else 0
        bar_y = y + 6
        parts.append(
            f'<line x1="0.5" x2="0.5" y1="{bar_y}" y2="{bar_y + bar_h}" stroke="{MUTED}"/>'
        )
        if w > 0:
            parts.append(
                f'<rect x="1" y="{bar_y}" width="{_num(max(w, 2))}" height="{bar_h}" '
                f'fill="{PRIMARY}"><title>{_text(b.label)}: {_text(b.value_text)}</title></rect>'
            )
        parts.append(
            f'<text x="{_num(max(w, 2) + 8)}" y="{bar_y + bar_h - 5}" font-size="{font}" '
            f'fill="{TEXT}">{_text(b.value_text)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
