"""Plain, accessible PDF documents (data exports, reports) with fpdf2 and the bundled
DejaVu Sans font (all Dutch and most European characters; licence in fonts/LICENSE.txt)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
PRIMARY = (21, 66, 115)  # #154273, the house colour of app.css
REFERENCE = (107, 113, 119)  # #6b7177


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` shortened with an ellipsis until it fits ``width`` mm in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


class Document(FPDF):
    """An A4 document with a title, a running footer with page numbers, headings, paragraphs,
    key–value lists and tables."""

    def __init__(
        self,
        *,
        title: str,
        subject: str = "",
        footer: str = "",
        lang: str = "nl",
        cover: Sequence[tuple[str, str]] | None = None,
    ):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_subject(subject or title)
        self.set_author("Werkcentrum")
        self.set_creator("Werkcentrum")
        self.set_lang(lang)
        self.footer_text = footer
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
        self.add_page()
        if cover is not None:
            self._cover(title, subject, cover)
            return
        self.set_font(FONT, "B", 18)
        self.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        if subject:
            self.set_font(FONT, "", 11)
            self.multi_cell(0, 6, subject, new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def _cover(self, title: str, subject: str, facts: Sequence[tuple[str, str]]) -> None:
        """A cover page: a band in the house colour, the title, the subject and key facts;
        the content starts on the next page."""
        self.set_fill_color(*PRIMARY)
        self.rect(0, 0, self.w, 14, style="F")
        self.set_fill_color(255, 255, 255)
        self.set_y(70)
        self.set_font(FONT, "B", 26)
        self.set_text_color(*PRIMARY)
        self.multi_cell(0, 12, title, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        if subject:
            self.ln(2)
            self.set_font(FONT, "", 13)
            self.multi_cell(0, 7, subject, new_x="LMARGIN", new_y="NEXT")
        self.ln(14)
        for label, value in facts:
            self.set_font(FONT, "B", 10)
            self.cell(38, 6, str(label))
            self.set_font(FONT, "", 10)
            self.multi_cell(0, 6, str(value), new_x="LMARGIN", new_y="NEXT")
            self.ln(1)
        self.add_page()

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self.footer_text}   {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, level: int = 1) -> None:
        self.ln(3)
        self.set_font(FONT, "B", 14 if level == 1 else 11.5)
        self.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def paragraph(self, text: str, size: float = 10) -> None:
        self.set_font(FONT, "", size)
        self.multi_cell(0, 5.2, text or "–", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def key_values(self, pairs: Iterable[tuple[str, object]]) -> None:
        rows = [(str(k), "" if v is None else str(v)) for k, v in pairs]
        if rows:
            self.table_rows(None, rows, widths=(1, 2))

    def table_rows(
        self,
        header: Sequence[str] | None,
        rows: Iterable[Sequence[object]],
        widths: Sequence[float] | None = None,
        numeric: Sequence[bool] | None = None,
        bold_last: bool = False,
        size: float = 9,
    ) -> None:
        """A table; ``numeric`` columns are right-aligned, ``bold_last`` sets a total row."""
        self.set_font(FONT, "", size)
        rows = [[("" if cell is None else str(cell)) for cell in row] for row in rows]
        if not rows and header is None:
            return
        columns = len(header) if header is not None else len(rows[0])
        align = tuple(
            "RIGHT" if numeric and i < len(numeric) and numeric[i] else "LEFT"
            for i in range(columns)
        )
        with self.table(
            col_widths=widths,
            first_row_as_headings=header is not None,
            headings_style=FontFace(
                emphasis="BOLD", fill_color=(230, 236, 242), size_pt=min(size, 8.5)
            ),
            line_height=4.6,
            text_align=align,
        ) as table:
            if header is not None:
                table.row([str(h) for h in header])
            for index, row in enumerate(rows):
                style = FontFace(emphasis="BOLD") if bold_last and index == len(rows) - 1 else None
                table.row(row, style=style)
        self.ln(2)

    def bar_chart(
        self,
        title: str,
        bars: Sequence[tuple[str, float, str]],
        *,
        reference: float | None = None,
        empty_text: str = "–",
    ) -> None:
        """Horizontal bars (label, value, text); ``reference`` draws a dashed line (e.g. 100 for
        a target). The figures are always in a table next to the chart."""
        self.set_font(FONT, "B", 10)
        self.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
        if not bars:
            self.paragraph(empty_text, size=9)
            return
        row, label_w, text_w = 6.0, 52.0, 18.0
        height = row * len(bars) + 4
        if self.will_page_break(height):
            self.add_page()
        left = self.l_margin + label_w
        width = self.w - self.r_margin - left - text_w
        top = self.get_y() + 1
        top_value = max([float(v) for _l, v, _t in bars] + [float(reference or 0), 1e-9])
        self.set_font(FONT, "", 8.5)
        for i, (label, value, text) in enumerate(bars):
            y = top + i * row
            self.set_xy(self.l_margin, y)
            self.cell(label_w - 2, row - 1, _fit(self, str(label), label_w - 3), align="R")
            length = width * max(float(value), 0) / top_value
            self.set_fill_color(*PRIMARY)
            if length > 0:
                self.rect(left, y + 0.8, length, row - 2.6, style="F")
            self.set_xy(left + length + 1, y)
            self.cell(text_w, row - 1, str(text))
        self.set_fill_color(255, 255, 255)
        if reference is not None:
            x = left + width * float(reference) / top_value
            self.set_draw_color(*REFERENCE)
            self.set_dash_pattern(dash=1, gap=1)
            self.line(x, top - 0.5, x, top + row * len(bars))
            self.set_dash_pattern()
            self.set_draw_color(0, 0, 0)
        self.set_y(top + row * len(bars) + 3)

    def render(self) -> bytes:
        self.alias_nb_pages()
        return bytes(self.output())
