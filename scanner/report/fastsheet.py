"""A fast path for the big sheets (All listings, High risk, Review): rows serialised straight to SpreadsheetML.

openpyxl spends about 15 µs on every cell; a 100,000-listing catalogue has 1.7 million cells on All
listings alone (and the risk sheets of a catalogue where most listings are risky, 23 cells a row). So the
workbook is saved by openpyxl with those sheets' headers only (and their column widths,
frozen pane, filter and dropdown, whose ranges already cover every row), and the data rows are then
spliced into the sheet's XML while the file is copied into place. Cell values get the same treatment as
everywhere else (:func:`scanner.report.cells.clean_text`; text is always an inline string, never a
formula; formula-like text carries the quote-prefix style).

The rows are made column by column, a few thousand at a time, while the saved file is copied (each
distinct value of a column is serialised once), and compressed in a second thread (zlib lets go of the
GIL) at a fast deflate level. Their cell styles are registered before the workbook is saved
(:meth:`CellWriter.freeze`), and their hyperlinks are written after them, as openpyxl writes hyperlinks:
a ``<hyperlinks>`` element in the sheet and one external relationship each (:class:`SheetRows`).

The rows of a sheet without hyperlinks (All listings) can be made in a forked process meanwhile
(:func:`rendered_aside`): this process writes the risk sheets while that one writes All listings to a
deflated temporary file, which is then copied in; the same bytes either way.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.compat import safe_string
from openpyxl.packaging.relationship import Relationship
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import tostring

from ..errors import ScannerError
from ..forked import in_background, jobs_for
from ..replace_file import move_over
from .cells import FORMULA_PREFIXES, MAX_CELL_CHARS, clean_text

#: Rows made (and handed to the zip writer) at a time.
CHUNK_ROWS = 4096
#: Deflate level of the spliced sheets: zlib's fast levels (1-3) take well under half the time of its
#: default (6) on sheet XML; 3 gives the smallest file of them (about 18 % larger than level 6).
SHEET_COMPRESSLEVEL = 3


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


def _number_body(v: Any, s: int) -> str | None:
    """What follows ``<c r="A2"`` for a number cell of :func:`rows_xml` (``None``: no cell)."""
    try:
        num = float(v)
    except (TypeError, ValueError):
        return None
    if num != num or num in (float("inf"), float("-inf")):
        return None
    text = repr(int(num)) if num.is_integer() and abs(num) < 1e15 else repr(num)
    return (f' s="{s}"' if s else "") + f"><v>{text}</v></c>"


#: Characters :func:`clean_text` removes or :func:`_escape` replaces: text without any (and not long enough
#: to be cut) is written as it is.
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHORT = MAX_CELL_CHARS // 2


def _clean_escaped(value: Any) -> tuple[str, str]:
    """``(clean_text(value), _escape(clean_text(value)))``."""
    if type(value) is str and len(value) <= _SHORT and not _SPECIAL.search(value):
        return value, value
    text = clean_text(value)
    return text, _escape(text)


def _plain_body(v: Any, col: FastColumn) -> str | None:
    """What follows ``<c r="A2"`` for a text cell of :func:`rows_xml` (``None``: no cell)."""
    text, escaped = _clean_escaped(v)
    if not text:
        return None
    s = col.style_ids.get(text, col.style) if col.style_ids else col.style
    if text.startswith(FORMULA_PREFIXES):
        s = col.quote_style or s
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() or "\n" in text or "\r" in text else ""
    return (f' s="{s}"' if s else "") + f' t="inlineStr"><is><t{space}>{escaped}</t></is></c>'


def _column_cells(col: FastColumn, letter: str, refs: Sequence[str], at: int, memo: dict[Any, str]) -> list[str]:
    """The cells of rows ``at .. at + len(refs)`` of one :func:`rows_xml` column (``""`` for no cell); each
    distinct value is serialised once (``memo``: value -> cell body, ``""`` for no cell)."""
    body_of = _number_body if col.kind == "number" else _plain_body
    arg: Any = col.style if col.kind == "number" else col
    values = col.values[at : at + len(refs)]
    if set(map(type, values)) == {str}:  # text: one body per distinct string
        for v in set(values).difference(memo):
            memo[v] = (body_of(v, arg) or "") if v else ""
        get = memo.get
        return [f'<c r="{letter}{r}"{b}' if (b := get(v)) else "" for r, v in zip(refs, values, strict=True)]
    out = []
    for r, v in zip(refs, values, strict=True):
        if v is None or v == "":
            out.append("")
            continue
        # a number's cell depends on float(v) only; a text's on its text (1 and 1.0 are equal keys)
        hashable = type(v) is str or (col.kind == "number" and type(v) in (int, float))
        body = memo.get(v) if hashable else None
        if body is None:
            body = body_of(v, arg) or ""
            if hashable:
                memo[v] = body
        out.append(f'<c r="{letter}{r}"{body}' if body else "")
    return out


def rows_xml(columns: Sequence[FastColumn], first_row: int = 2) -> Iterator[str]:
    """The ``<row>`` elements for the columns (all of the same length), from row ``first_row``, as XML text
    of up to :data:`CHUNK_ROWS` rows at a time; made column by column (a repeated value is serialised
    once)."""
    letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
    n = len(columns[0].values) if columns else 0
    memos: list[dict[Any, str]] = [{} for _ in columns]
    for at in range(0, n, CHUNK_ROWS):
        refs = [str(r) for r in range(first_row + at, first_row + min(n, at + CHUNK_ROWS))]
        cells = [_column_cells(col, letter, refs, at, memo) for col, letter, memo in zip(columns, letters, memos, strict=True)]
        yield "".join([f'<row r="{r}">' + "".join(row) + "</row>" for r, row in zip(refs, zip(*cells, strict=True), strict=True)])


class CellWriter:
    """Cells of one write-only sheet as SpreadsheetML, the way openpyxl's write-only writer writes the
    cells :func:`scanner.report.cells.text_cell` and friends make (same types, style ids, whitespace and
    empty styled cells), for sheets whose rows are built here and spliced in (:func:`splice_rows`) instead
    of going through openpyxl cell by cell. Hyperlinks are collected in :attr:`links` (cell ref, url) and
    written with the rows (:class:`SheetRows`), as openpyxl writes them."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.links: list[tuple[str, str]] = []
        self._ids: dict[tuple[str | None, bool], int] = {}
        self._rpr: dict[int, str] = {}
        self._bodies: dict[str | None, dict[str, str]] = {}
        self._frozen = False

    def style(self, style: str | None, quote: bool = False) -> int:
        key = (style, quote)
        if key not in self._ids:
            if self._frozen:
                raise RuntimeError(f"cell style {key} was not registered before the workbook was saved")
            self._ids[key] = style_id(self.ws, style, quote_prefix=quote)
        return self._ids[key]

    def freeze(self) -> None:
        """No new cell style from now on (the workbook's styles are saved): :meth:`style` of a style not
        used before raises."""
        self._frozen = True

    def _body(self, value: Any, style: str | None) -> str:
        """What follows ``<c r="A2"`` in :meth:`text` (cached per style and string)."""
        memo = self._bodies.setdefault(style, {})
        if type(value) is str:
            body = memo.get(value)
            if body is not None:
                return body
        text, escaped = _clean_escaped(value)
        s = self.style(style, text.startswith(FORMULA_PREFIXES))
        if not text:
            body = f' s="{s}" t="inlineStr"></c>'
        else:
            space = ' xml:space="preserve"' if text != text.strip() else ""
            body = f' s="{s}" t="inlineStr"><is><t{space}>{escaped}</t></is></c>'
        if type(value) is str:
            memo[value] = body
        return body

    def text(self, ref: str, value: Any, style: str | None) -> str:
        """:func:`scanner.report.cells.text_cell`: cleaned text, quote-prefixed when formula-like."""
        return f'<c r="{ref}"' + self._body(value, style)

    def texts(self, letter: str, refs: Sequence[str], values: Iterable[Any], style: str | None,
              present: Iterable[Any] | None = None) -> list[str]:
        """:meth:`text` for the cells ``letter + ref`` of a column; ``""`` (no cell) where ``present`` is false."""
        body = self._body
        get = self._bodies.setdefault(style, {}).get  # bodies made before (never empty)
        if present is None:
            return [f'<c r="{letter}{r}"' + (type(v) is str and get(v) or body(v, style))
                    for r, v in zip(refs, values, strict=True)]
        return [f'<c r="{letter}{r}"' + (type(v) is str and get(v) or body(v, style)) if p else ""
                for r, v, p in zip(refs, values, present, strict=True)]

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
        self.links.append((ref, url))


def row_xml(r: int, cells: Iterable[str | None], height: float | None = None) -> str:
    """A ``<row>`` of cell XML (``None`` cells are left out), with openpyxl's attributes for a set height."""
    ht = "" if height is None else f' ht="{safe_string(height)}" customHeight="1"'
    return f'<row r="{r}"{ht}>' + "".join(c for c in cells if c is not None) + "</row>"


@dataclass
class SheetRows:
    """The data rows of a spliced sheet (XML text, in pieces) and its hyperlinks ``(cell ref, url)``, which
    may be filled while the rows are made: they are written after the rows, as openpyxl writes hyperlinks
    (a ``<hyperlinks>`` element and one external relationship per link, ids ``rId1``...)."""

    rows: Iterable[str]
    links: list[tuple[str, str]] = field(default_factory=list)


_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_PLAIN_URL = re.compile(r"[!#-%'-;=?-~]*")  # printable ASCII but for space, '"', '&', '<', '>'
_TARGET = re.compile(r' Target="([^"]*)"')
#: Where the hyperlinks go in a worksheet's tail (the first of the elements after them that is present).
_AFTER_HYPERLINKS = ("<printOptions", "<pageMargins", "<pageSetup", "<headerFooter", "<rowBreaks", "<colBreaks",
                     "<customProperties", "<cellWatches", "<ignoredErrors", "<smartTags", "<drawing",
                     "<legacyDrawing", "<legacyDrawingHF", "<picture", "<oleObjects", "<controls",
                     "<webPublishItems", "<tableParts", "<extLst", "</worksheet>")


def _target_attr(url: str) -> str:
    """``url`` as openpyxl writes it in a relationship's ``Target`` attribute."""
    if _PLAIN_URL.fullmatch(url):
        return url
    if _PLAIN_URL.fullmatch(url.replace("&", "")):
        return url.replace("&", "&amp;")
    xml = tostring(Relationship(type="hyperlink", TargetMode="External", Target=url).to_tree()).decode("utf-8")
    found = _TARGET.search(xml)
    assert found is not None
    return found.group(1)


def hyperlinks_xml(links: Sequence[tuple[str, str]]) -> str:
    """The ``<hyperlinks>`` element openpyxl writes for these links ("" for none)."""
    if not links:
        return ""
    return ("<hyperlinks>" + "".join(f'<hyperlink xmlns:r="{_REL_NS}" ref="{ref}" r:id="rId{i}"/>'
                                      for i, (ref, _) in enumerate(links, start=1)) + "</hyperlinks>")


def hyperlink_rels(links: Sequence[tuple[str, str]]) -> bytes:
    """The sheet's relationships part openpyxl writes for these links (one external hyperlink each)."""
    kind = f"{_REL_NS}/hyperlink"
    return (f'<Relationships xmlns="{_PKG_REL_NS}">'
            + "".join(f'<Relationship Type="{kind}" Target="{_target_attr(url)}" TargetMode="External" Id="rId{i}"/>'
                      for i, (_, url) in enumerate(links, start=1))
            + "</Relationships>").encode("utf-8")


def _with_hyperlinks(tail: str, links: Sequence[tuple[str, str]]) -> str:
    if not links:
        return tail
    if "<hyperlinks>" in tail or "<hyperlinks/>" in tail:
        raise ValueError("a spliced sheet has hyperlinks of its own")
    at = min((i for i in (tail.find(m) for m in _AFTER_HYPERLINKS) if i >= 0), default=len(tail))
    return tail[:at] + hyperlinks_xml(links) + tail[at:]


def rels_path(sheet_path: str) -> str:
    """``xl/worksheets/sheet2.xml`` -> ``xl/worksheets/_rels/sheet2.xml.rels``."""
    folder, _, name = sheet_path.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _split_sheet(xml: str) -> tuple[str, str]:
    """A saved worksheet's XML as the text before and after its rows."""
    if "</sheetData>" in xml:
        head, tail = xml.split("</sheetData>", 1)
        return head, "</sheetData>" + tail
    head, tail = xml.split("<sheetData/>", 1)
    return head + "<sheetData>", "</sheetData>" + tail


def _set_level(zinfo: zipfile.ZipInfo, level: int) -> None:
    """The deflate level a member opened with this ``ZipInfo`` is written at (``compress_level`` from Python
    3.13, ``_compresslevel`` before)."""
    if hasattr(zinfo, "compress_level"):
        zinfo.compress_level = level
    else:
        zinfo._compresslevel = level  # type: ignore[attr-defined]


def _write_sheet(fout: Any, head: str, part: SheetRows, tail: str, pool: ThreadPoolExecutor) -> None:
    """Stream ``head``, the rows and the tail (with the hyperlinks) into ``fout``: compressing runs in
    ``pool`` (zlib lets go of the GIL) while the next rows are made."""
    pending: Future | None = None

    def put(text: str | bytes) -> None:
        nonlocal pending
        data = text.encode("utf-8") if isinstance(text, str) else text
        if pending is not None:
            pending.result()
        pending = pool.submit(fout.write, data)

    put(head)
    buf: list[str] = []
    size = 0
    for rows in part.rows:
        if isinstance(rows, bytes):  # rows made aside (rendered_aside), already encoded
            if buf:
                put("".join(buf))
                buf, size = [], 0
            put(rows)
            continue
        buf.append(rows)
        size += len(rows)
        if size > 1 << 20:
            put("".join(buf))
            buf, size = [], 0
    put("".join(buf) + _with_hyperlinks(tail, part.links))
    if pending is not None:
        pending.result()


#: The deflate level of the rows a second process writes for :func:`rendered_aside` (the fastest: the file is
#: read back once; at 100,000 listings 15 MB for 112 MB of rows, wherever the temporary folder is).
ASIDE_COMPRESSLEVEL = 1


def _render(parts: list[tuple[Iterable[str], Path]]) -> None:
    """Write each part's rows (XML text) to its file, UTF-8 deflated (what :func:`rendered_aside` forks to do)."""
    for rows, file in parts:
        deflate = zlib.compressobj(ASIDE_COMPRESSLEVEL)
        with open(file, "wb") as out:
            for chunk in rows:
                out.write(deflate.compress(chunk.encode("utf-8")))
            out.write(deflate.flush())


def _rendered(wait: Callable[[], Any], file: Path, what: str) -> Iterator[bytes]:
    """The rows written to ``file`` by the process ``wait`` waits for (``what``; its error raised here, and
    again for each file it wrote), as UTF-8 bytes, about 1 MiB of the file at a time."""
    wait()
    inflate = zlib.decompressobj()
    with open(file, "rb") as rows:
        while chunk := rows.read(1 << 20):
            if data := inflate.decompress(chunk):
                yield data
    if data := inflate.flush():
        yield data
    if not inflate.eof:
        raise ScannerError(f"{what} left its rows unfinished (is the temporary folder full?)")


@contextmanager
def rendered_aside(sheet_parts: dict[str, Iterable[str] | SheetRows], folder: Path, *, jobs: int | None = None,
                   what: str = "the process writing a sheet's rows"
                   ) -> Iterator[dict[str, Iterable[str] | Iterable[bytes] | SheetRows]]:
    """``sheet_parts`` (as for :func:`splice_rows`) with the rows of the sheets without hyperlinks (plain
    iterables of XML text) made by one forked process (``what``, in its error messages) from now on, into
    files in ``folder``: what :func:`splice_rows` reads from those files once that process is done, while this
    process makes the other sheets' rows. The files are removed when the block ends; leaving it early stops
    the process. Unchanged when :func:`scanner.forked.jobs_for` allows no second process or there is no such
    sheet (or only that one: nothing would be made meanwhile)."""
    plain = [name for name, rows in sheet_parts.items() if not isinstance(rows, SheetRows)]
    if not plain or len(plain) == len(sheet_parts) or jobs_for(2, jobs) < 2:
        yield dict(sheet_parts)
        return
    files: list[Path] = []
    try:
        for _ in plain:
            fd, name = tempfile.mkstemp(prefix=".report-rows-", suffix=".xml", dir=folder)
            os.close(fd)
            files.append(Path(name))
        todo = [(sheet_parts[n], f) for n, f in zip(plain, files, strict=True)]
        with in_background(lambda: _render(todo), jobs=jobs, what=what) as task:
            yield {**sheet_parts, **{n: _rendered(task.result, f, what) for n, f in zip(plain, files, strict=True)}}
    finally:
        for f in files:
            f.unlink(missing_ok=True)


_WORKBOOK_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MACRO_WORKBOOK_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def macro_enabled(content_types: bytes) -> bytes:
    """``[Content_Types].xml`` with the workbook typed as macro-enabled: Excel refuses an ``.xlsm`` file whose
    workbook part is typed as a plain ``.xlsx`` one ("file format or file extension is not valid"). A
    macro-enabled workbook need not hold macros."""
    return content_types.replace(_WORKBOOK_TYPE, _MACRO_WORKBOOK_TYPE)


def splice_rows(saved: Path, target: Path,
                sheet_parts: dict[str, Iterable[str] | Iterable[bytes] | SheetRows]) -> None:
    """Copy the workbook ``saved`` to ``target``, appending the given rows to the ``sheetData`` of each
    worksheet part (``{"xl/worksheets/sheet5.xml": rows}``: XML text, or UTF-8 bytes; a :class:`SheetRows`
    also adds its hyperlinks). ``target`` is replaced atomically; an ``.xlsm`` target is typed macro-enabled
    (:func:`macro_enabled`)."""
    parts = {k: v if isinstance(v, SheetRows) else SheetRows(v) for k, v in sheet_parts.items()}
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".xlsx", dir=target.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(saved) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=4) as dst, \
                ThreadPoolExecutor(1) as pool:
            names = set(src.namelist())
            for info in src.infolist():
                if info.filename == "[Content_Types].xml" and target.suffix.lower() == ".xlsm":
                    dst.writestr(info, macro_enabled(src.read(info)))
                    continue
                if info.filename not in parts:
                    with src.open(info) as fin, dst.open(info.filename, "w") as fout:
                        shutil.copyfileobj(fin, fout)
                    continue
                part = parts[info.filename]
                head, tail = _split_sheet(src.read(info).decode("utf-8"))
                zinfo = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                zinfo.compress_type = zipfile.ZIP_DEFLATED
                _set_level(zinfo, SHEET_COMPRESSLEVEL)
                with dst.open(zinfo, "w", force_zip64=True) as fout:
                    _write_sheet(fout, head, part, tail, pool)
                if part.links:
                    rels = rels_path(info.filename)
                    if rels in names:
                        raise ValueError(f"a spliced sheet has relationships of its own: {rels}")
                    dst.writestr(zipfile.ZipInfo(rels, date_time=(1980, 1, 1, 0, 0, 0)), hyperlink_rels(part.links),
                                 compress_type=zipfile.ZIP_DEFLATED, compresslevel=SHEET_COMPRESSLEVEL)
        move_over(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
