"""Plain, accessible PDF documents (data exports, reports) with fpdf2 and the bundled
DejaVu Sans font (all Dutch and most European characters; licence in fonts/LICENSE.txt)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"


class Document(FPDF):
    """An A4 document with a title, a running footer with page numbers, headings, paragraphs,
    key–value lists and tables."""

    def __init__(self, *, title: str, subject: str = "", footer: str = "", lang: str = "nl"):
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
        self.set_font(FONT, "B", 18)
        self.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        if subject:
            self.set_font(FONT, "", 11)
            self.multi_cell(0, 6, subject, new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

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
    ) -> None:
        self.set_font(FONT, "", 9)
        rows = [[("" if cell is None else str(cell)) for cell in row] for row in rows]
        if not rows and header is None:
            return
        with self.table(
            col_widths=widths,
            first_row_as_headings=header is not None,
            headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 242)),
            line_height=5,
            text_align="LEFT",
        ) as table:
            if header is not None:
                table.row([str(h) for h in header])
            for row in rows:
                table.row(row)
        self.ln(2)

    def render(self) -> bytes:
        self.alias_nb_pages()
        return bytes(self.output())
