"""Safe cell values for the workbook: no formulas from data, no illegal XML characters, Excel's size limit.

Every string that comes from a listing or a trademark record goes through :func:`clean_text` and, when it
could be read as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return), is
written as an explicit string cell with Excel's "quote prefix" flag, so that neither openpyxl, Excel nor
LibreOffice ever evaluates it, and it stays text when a user edits the cell.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell import WriteOnlyCell

#: Excel's limit on the characters in one cell (counted in UTF-16 code units).
MAX_CELL_CHARS = 32_767
#: Appended to text cut at :data:`MAX_CELL_CHARS`.
TRUNCATION_MARKER = " …[truncated]"
#: The first characters that make spreadsheet programs read text as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# XML 1.0 forbids C0 controls other than tab/LF/CR, lone surrogates and U+FFFE/U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def clean_text(value: Any, limit: int = MAX_CELL_CHARS) -> str:
    """``value`` as text an .xlsx cell can hold: illegal XML characters removed, cut to ``limit``."""
    text = "" if value is None else str(value)
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    if len(text) > limit // 2 and _utf16_len(text) > limit:
        keep = limit - _utf16_len(TRUNCATION_MARKER)
        cut = keep
        while _utf16_len(text[:cut]) > keep:  # astral characters take two units
            cut -= max(1, (_utf16_len(text[:cut]) - keep) // 2)
        text = text[:cut] + TRUNCATION_MARKER
    return text


def is_clean(text: str) -> bool:
    """True when :func:`clean_text` leaves ``text`` and every piece of it as they are (no illegal character,
    not long enough to be cut)."""
    return len(text) <= MAX_CELL_CHARS // 2 and not _ILLEGAL.search(text)


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet program could read ``text`` as a formula."""
    return text.startswith(FORMULA_PREFIXES)


def text_cell(ws: Any, value: Any, style: str | None = None) -> WriteOnlyCell:
    """A string cell for a write-only sheet: cleaned, never a formula (quote-prefixed when it looks like one)."""
    text = clean_text(value)
    cell = WriteOnlyCell(ws, value=text)
    if style is not None:
        cell.style = style
    if cell.data_type != "s" or looks_like_formula(text):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def plain_value(ws: Any, value: Any) -> Any:
    """A value for ``ws.append``: numbers stay numbers; strings are cleaned and protected from formulas."""
    if isinstance(value, str) and (
        value[:1] in FORMULA_PREFIXES or _ILLEGAL.search(value) or len(value) > MAX_CELL_CHARS // 2
    ):
        return text_cell(ws, value)
    return value
