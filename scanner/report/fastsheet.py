"""A fast path for the big plain sheet (All listings): rows serialised straight to SpreadsheetML.

openpyxl spends about 15 µs on every cell; a 100,000-listing catalogue has 1.7 million cells on All
listings alone. So the workbook is saved by openpyxl with that sheet's header only (and its column widths,
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
from openpyxl.utils import get_column_letter

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
