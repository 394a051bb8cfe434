"""Named cell styles of the workbook (registered once per workbook; cells refer to them by name)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

from ..levels import BY_URGENCY

HEADER = "scanner-header"
WRAP = "scanner-wrap"
TOP = "scanner-top"
SCORE = "scanner-score"
PERCENT = "scanner-percent"
NEW = "scanner-new"
LINK = "scanner-link"
LEVEL = {level: f"scanner-{level}" for level in BY_URGENCY}
DECISION = "scanner-decision"
TITLE = "scanner-title"
SECTION = "scanner-section"
LABEL = "scanner-label"
ACTION = "scanner-action"
NOTE = "scanner-note"

#: The font of the matched words inside a title (rich text): bold dark red.
HIGHLIGHT_FONT = InlineFont(rFont="Calibri", sz=11, b=True, color="C00000")
HIGHLIGHT_COLOR = "C00000"

_TOP_WRAP = Alignment(vertical="top", wrap_text=True)
_TOP = Alignment(vertical="top")
_THIN = Side(style="thin", color="BFBFBF")
_FONT_NAME = "Calibri"


def _font(size: float = 11, **kwargs: object) -> Font:
    return Font(name=_FONT_NAME, size=size, **kwargs)


def register_styles(wb: Workbook) -> None:
    """Add the named styles this report uses to ``wb``."""
    styles = [
        NamedStyle(HEADER, font=_font(bold=True, color="FFFFFF"), fill=PatternFill("solid", fgColor="1F4E78"),
                   alignment=Alignment(vertical="center", wrap_text=True)),
        NamedStyle(WRAP, font=_font(), alignment=_TOP_WRAP),
        NamedStyle(TOP, font=_font(), alignment=_TOP),
        NamedStyle(SCORE, font=_font(), alignment=_TOP, number_format="0.000"),
        NamedStyle(PERCENT, font=_font(), alignment=_TOP, number_format="0%"),
        NamedStyle(NEW, font=_font(bold=True, color="C00000"), alignment=_TOP),
        NamedStyle(LINK, font=_font(color="0563C1", underline="single"), alignment=_TOP),
        NamedStyle(LEVEL["high"], font=_font(bold=True, color="9C0006"), fill=PatternFill("solid", fgColor="FFC7CE"),
                   alignment=_TOP),
        NamedStyle(LEVEL["medium"], font=_font(color="9C5700"), fill=PatternFill("solid", fgColor="FFEB9C"),
                   alignment=_TOP),
        NamedStyle(LEVEL["low"], font=_font(), alignment=_TOP),
        NamedStyle(DECISION, font=_font(), fill=PatternFill("solid", fgColor="FFF2CC"),
                   border=Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN), alignment=_TOP),
        NamedStyle(TITLE, font=_font(16, bold=True, color="1F4E78")),
        NamedStyle(SECTION, font=_font(12, bold=True, color="1F4E78")),
        NamedStyle(LABEL, font=_font(bold=True), alignment=_TOP),
        NamedStyle(ACTION, font=_font(bold=True), alignment=_TOP_WRAP),
        NamedStyle(NOTE, font=_font(9, italic=True, color="595959")),
    ]
    for style in styles:
        wb.add_named_style(style)
