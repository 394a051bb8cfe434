"""A fast path for the big sheets (All listings, High risk, Review): rows serialised straight to SpreadsheetML.

openpyxl spends about 15 µs on every cell; a 100,000-listing catalogue has 1.7 million cells on All
listings alone (and the risk sheets of a catalogue where most listings are risky, 23 cells a row). So the
workbook is saved by openpyxl with those sheets' headers only (and their column widths,
frozen pane, filter and dropdown, whose ranges already cover every row), and the data rows are then
spliced into the sheet's XML while the file is copied into place. Cell values get the same treatment as
everywhere else (:func:`scanner.report.cells.clean_text`; text is always an inline string, never a
formula; formula-like text carries the quote-prefix style).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.xml.functions import tostring

from .cells import clean_text, looks_like_formula


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:  # XML parsers turn a literal CR into LF
        text = text.replace("\r", "&#13;")
    return text


def style_id(ws: Any, style: str | None, *, quote_prefix: bool = False) -> int:
    """The cell-format index openpyxl gives a cell of named style ``style`` in this workbook."""
    cell = WriteOnlyCell(ws, value="")
    if style is not None:
        cell.style = style
    if quote_prefix:
        cell.quotePrefix = True
    return cell.style_id


@dataclass
class FastColumn:
    """One column of a fast sheet: ``kind`` is ``"text"`` or ``"number"``; ``style_ids`` maps a value to its
    style (for coloured levels), else ``style``; ``quote_style`` is used for formula-like text."""

    values: Sequence[Any]
    kind: str = "text"
    style: int = 0
    quote_style: int = 0
    style_ids: dict[str, int] = field(default_factory=dict)


def rows_xml(columns: Sequence[FastColumn], first_row: int = 2) -> Iterator[str]:
    """``<row>`` elements for the columns (all of the same length), from row ``first_row``."""
    letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
    n = len(columns[0].values) if columns else 0
    for i in range(n):
        r = first_row + i
        parts = [f'<row r="{r}">']
        for letter, col in zip(letters, columns, strict=True):
            v = col.values[i]
            if v is None or v == "":
                continue
            if col.kind == "number":
                try:
                    num = float(v)
                except (TypeError, ValueError):
                    continue
                if num != num or num in (float("inf"), float("-inf")):
                    continue
                s = col.style
                text = repr(int(num)) if num.is_integer() and abs(num) < 1e15 else repr(num)
                parts.append(f'<c r="{letter}{r}"' + (f' s="{s}"' if s else "") + f"><v>{text}</v></c>")
                continue
            text = clean_text(v)
            if not text:
                continue
            s = col.style_ids.get(text, col.style) if col.style_ids else col.style
            if looks_like_formula(text):
                s = col.quote_style or s
            space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() or "\n" in text or "\r" in text else ""
            parts.append(f'<c r="{letter}{r}"' + (f' s="{s}"' if s else "")
                         + f' t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>')
        parts.append("</row>")
        yield "".join(parts)


class CellWriter:
    """Cells of one write-only sheet as SpreadsheetML, the way openpyxl's write-only writer writes the
    cells :func:`scanner.report.cells.text_cell` and friends make (same types, style ids, whitespace and
    empty styled cells), for sheets whose rows are built here and spliced in (:func:`splice_rows`) instead
    of going through openpyxl cell by cell. Hyperlinks are handed to the sheet, which writes them (and
    their relationships) when the workbook is saved."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self._ids: dict[tuple[str | None, bool], int] = {}
        self._rpr: dict[int, str] = {}

    def style(self, style: str | None, quote: bool = False) -> int:
        key = (style, quote)
        if key not in self._ids:
            self._ids[key] = style_id(self.ws, style, quote_prefix=quote)
        return self._ids[key]

    def text(self, ref: str, value: Any, style: str | None) -> str:
        """:func:`scanner.report.cells.text_cell`: cleaned text, quote-prefixed when formula-like."""
        text = clean_text(value)
        s = self.style(style, looks_like_formula(text))
        if not text:
            return f'<c r="{ref}" s="{s}" t="inlineStr"></c>'
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c r="{ref}" s="{s}" t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'

    def number(self, ref: str, value: float | int | None, style: str | None) -> str:
        """A numeric cell (``None``: an empty styled cell)."""
        s = self.style(style)
        if value is None:
            return f'<c r="{ref}" s="{s}" t="n"></c>'
        return f'<c r="{ref}" s="{s}" t="n"><v>{safe_string(value)}</v></c>'

    def rich(self, ref: str, parts: Sequence[tuple[Any, str]], style: str | None, quote: bool) -> str:
        """A rich-text cell of ``(font or None, text)`` runs (``CellRichText`` of str and ``TextBlock``)."""
        runs = []
        for font, text in parts:
            stripped = text.strip()
            space = ' xml:space="preserve"' if stripped and text != stripped else ""
            rpr = "" if font is None else self._font(font)
            runs.append(f"<r>{rpr}<t{space}>{_escape(text)}</t></r>")
        body = f"<is>{''.join(runs)}</is>" if runs else "<is/>"
        return f'<c r="{ref}" s="{self.style(style, quote)}" t="inlineStr">{body}</c>'

    def _font(self, font: Any) -> str:
        if id(font) not in self._rpr:
            self._rpr[id(font)] = tostring(font.to_tree(tagname="rPr")).decode("utf-8")
        return self._rpr[id(font)]

    def link(self, ref: str, url: str) -> None:
        """A hyperlink on the cell ``ref`` (what setting ``cell.hyperlink`` does)."""
        self.ws._hyperlinks.append(Hyperlink(ref=ref, target=url))


def row_xml(r: int, cells: Iterable[str | None], height: float | None = None) -> str:
    """A ``<row>`` of cell XML (``None`` cells are left out), with openpyxl's attributes for a set height."""
    ht = "" if height is None else f' ht="{safe_string(height)}" customHeight="1"'
    return f'<row r="{r}"{ht}>' + "".join(c for c in cells if c is not None) + "</row>"


def output_mode(target: Path) -> int:
    """The permission bits a file written at ``target`` with ``open(target, "w")`` would get: those of the
    file it replaces, else ``0o666`` less the umask (temporary files are created ``0o600``)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


def splice_rows(saved: Path, target: Path, sheet_parts: dict[str, Iterable[str]]) -> None:
    """Copy the workbook ``saved`` to ``target``, appending the given rows to the ``sheetData`` of each
    worksheet part (``{"xl/worksheets/sheet5.xml": rows}``). ``target`` is replaced atomically."""
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".xlsx", dir=target.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(saved) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=4) as dst:
            for info in src.infolist():
                if info.filename not in sheet_parts:
                    with src.open(info) as fin, dst.open(info.filename, "w") as fout:
                        shutil.copyfileobj(fin, fout)
                    continue
                xml = src.read(info).decode("utf-8")
                if "</sheetData>" in xml:
                    head, tail = xml.split("</sheetData>", 1)
                    tail = "</sheetData>" + tail
                else:
                    head, tail = xml.split("<sheetData/>", 1)
                    head += "<sheetData>"
                    tail = "</sheetData>" + tail
                zinfo = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                zinfo.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(zinfo, "w", force_zip64=True) as fout:
                    fout.write(head.encode("utf-8"))
                    buf: list[str] = []
                    size = 0
                    for row in sheet_parts[info.filename]:
                        buf.append(row)
                        size += len(row)
                        if size > 1 << 20:
                            fout.write("".join(buf).encode("utf-8"))
                            buf, size = [], 0
                    fout.write("".join(buf).encode("utf-8"))
                    fout.write(tail.encode("utf-8"))
        os.chmod(tmp, output_mode(target))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
