"""The Excel report: the workbook the seller opens every week and acts on.

Sheets: ``Summary``, ``High risk``, ``Review`` (medium), ``Kept`` (risky listings the seller decided to keep,
text unchanged), ``All listings``, ``Rejected rows`` and a hidden ``_scanner`` sheet that identifies the
report (scan id, seller, marketplace) for ``scanner decisions import``. Written in openpyxl's write-only
(streaming) mode, so 100,000 listings stay fast and small in memory.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import frequency
from ..actions import ACTION_RANK
from ..errors import ScannerError
from ..forked import fork_imap, jobs_for
from ..frames import column_values, records
from ..history.apply import base_followup
from ..levels import LEVEL_MEANING, RISKY
from ..links import listing_url
from . import styles
from .cells import (
    FORMULA_PREFIXES,
    MAX_CELL_CHARS,
    clean_text,
    is_clean,
    looks_like_formula,
    plain_value,
    text_cell,
)
from .evidence import Evidence, collect_evidence
from .fastsheet import (
    CHUNK_ROWS,
    CellWriter,
    FastColumn,
    SheetRows,
    rendered_aside,
    rows_xml,
    splice_rows,
    style_id,
)
from .fixes import fix_key, suggest_fix
from .summary import meta_rows, write_summary

if TYPE_CHECKING:
    from ..scan_result import ScanResult

#: The values of the Decision dropdown.
DECISIONS: tuple[str, ...] = ("pull", "edit", "keep", "authorized")
#: Sheet names (``scanner decisions import`` reads the Decision column of all but Rejected rows).
SHEETS = {"summary": "Summary", "high": "High risk", "medium": "Review", "kept": "Kept",
          "all": "All listings", "rejected": "Rejected rows", "meta": "_scanner"}
#: All listings rows from which a second process makes them while this one writes the risk sheets
#: (:func:`scanner.report.fastsheet.rendered_aside`; below it, starting one would cost about what it saves).
ASIDE_ROWS = 20_000
#: Report format version, written to the hidden ``_scanner`` sheet.
REPORT_FORMAT = 1

_DECISION_HELP = ("pull = take the listing down; edit = change its text; keep = leave it as it is (you accept "
                  "the risk); authorized = you are licensed for the mark")


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    style: str = styles.TOP
    hidden: bool = False


RISK_COLUMNS: tuple[Column, ...] = (
    Column("#", 4),
    Column("Action", 14, styles.ACTION),
    Column("New", 5, styles.NEW),
    Column("SKU", 13, styles.WRAP),
    Column("Title", 42, styles.WRAP),
    Column("Score", 7, styles.SCORE),
    Column("Meaning", 15, styles.WRAP),
    Column("Marks", 13, styles.WRAP),
    Column("Suggested fix", 42, styles.WRAP),
    Column("Since last scan", 16, styles.WRAP),
    Column("Decision", 10, styles.DECISION),
    Column("Notes", 16, styles.WRAP),
    Column("ASIN", 12),
    Column("Owners", 20, styles.WRAP),
    Column("Found in", 11, styles.WRAP),
    Column("Other fields", 28, styles.WRAP),
    Column("Reasons", 44, styles.WRAP),
    Column("Status", 8, styles.WRAP),
    Column("Classes", 8, styles.WRAP),
    Column("Product page", 24, styles.LINK),
    Column("Register record", 15, styles.LINK),
    Column("Marketplace", 8),
    Column("Text hash", 18, hidden=True),
)
#: The risk sheets print these first columns, # to Notes (the rest is for the screen).
RISK_PRINT_COLUMNS = 12

KEPT_COLUMNS: tuple[Column, ...] = (
    Column("SKU", 16, styles.WRAP),
    Column("ASIN", 12),
    Column("Title", 58, styles.WRAP),
    Column("Level", 8),
    Column("Score", 7, styles.SCORE),
    Column("Marks", 14, styles.WRAP),
    Column("Owners", 20, styles.WRAP),
    Column("Decision", 11, styles.DECISION),
    Column("Decided on", 11),
    Column("Reasons", 44, styles.WRAP),
    Column("Product page", 24, styles.LINK),
    Column("Notes", 24, styles.WRAP),
    Column("Marketplace", 8),
    Column("Text hash", 18, hidden=True),
)

#: Headers of the All listings sheet for the RESULT_COLUMNS (other columns show their own name).
ALL_HEADERS = {"sku": "SKU", "asin": "ASIN", "title": "Title", "brand": "Brand", "risk_level": "Risk level",
               "risk_score": "Score", "marks": "Marks", "owners": "Owners", "fields": "Fields",
               "reasons": "Reasons", "marketplace": "Marketplace", "source_file": "Source file",
               "source_row": "Source row", "is_new": "New", "decision": "Decision",
               "watchlist": "Watch list", "action": "Action", "listing_id": "Listing id",
               "product_url": "Product page", "register_url": "Register records"}
ALL_WIDTHS = {"sku": 16, "asin": 12, "title": 60, "brand": 14, "risk_level": 9, "risk_score": 7, "marks": 16,
              "owners": 20, "fields": 12, "reasons": 50, "marketplace": 8, "source_file": 24, "source_row": 8,
              "is_new": 6, "decision": 11, "watchlist": 30, "action": 12, "listing_id": 14, "product_url": 30,
              "register_url": 30}

REJECTED_COLUMNS: tuple[Column, ...] = (
    Column("File", 30, styles.WRAP),
    Column("Line", 7),
    Column("Column", 16, styles.WRAP),
    Column("Reason", 40, styles.WRAP),
    Column("Raw text", 90, styles.WRAP),
)


def _setup_sheet(ws: Any, columns: Sequence[Column], *, freeze: str, landscape: bool = True) -> None:
    for i, col in enumerate(columns, start=1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = col.width
        if col.hidden:
            dim.hidden = True
    ws.freeze_panes = freeze
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


#: Points per line of 11-point text, and Excel's largest row height.
LINE_HEIGHT = 15.0
MAX_ROW_HEIGHT = 409.0


def estimate_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes when wrapped in a column ``width`` characters wide (an upper estimate:
    spreadsheet programs do not size rows of wrapped text on their own when a file is opened)."""
    per_line = max(1.0, width * 1.05 - 1)
    lines = 0
    for para in str(text).split("\n"):
        lines += max(1, -(-len(para) // int(per_line)))
    return lines


def row_height(cells: Sequence[tuple[str, float]]) -> float | None:
    """The height for a row of ``(text, column width)`` cells, or ``None`` for a single line."""
    lines = max((estimate_lines(t, w) for t, w in cells if t), default=1)
    return None if lines <= 1 else min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines + 2)


def _set_height(ws: Any, row_idx: int, cells: Sequence[tuple[str, float]]) -> None:
    height = row_height(cells)
    if height is not None:
        ws.row_dimensions[row_idx].height = height


def _header(ws: Any, headers: Sequence[str], widths: Sequence[float] | None = None) -> None:
    if widths is not None:
        _set_height(ws, 1, [(h, w - 1) for h, w in zip(headers, widths, strict=True)])
    ws.append([text_cell(ws, h, styles.HEADER) for h in headers])


def _finish_table(ws: Any, columns: Sequence[Column] | int, n_rows: int, decision_col: int | None) -> None:
    """Auto filter over the table, and the Decision dropdown on its data rows."""
    n_cols = columns if isinstance(columns, int) else len(columns)
    last = get_column_letter(n_cols)
    ws.auto_filter.ref = f"A1:{last}{max(n_rows, 1) + 1}"
    if decision_col is not None:
        letter = get_column_letter(decision_col)
        dv = DataValidation(type="list", formula1='"' + ",".join(DECISIONS) + '"', allow_blank=True,
                            showErrorMessage=True, showInputMessage=True, errorStyle="stop",
                            errorTitle="Decision", error="Choose pull, edit, keep or authorized (or leave empty).",
                            promptTitle="Decision", prompt=_DECISION_HELP[:255])
        dv.add(f"{letter}2:{letter}{max(n_rows, 1) + 1}")
        ws.data_validations.append(dv)


def title_runs(title: str, spans: Sequence[tuple[int, int]]) -> list[tuple[Any, str]] | None:
    """The title as ``(font or None, text)`` runs with the ``spans`` in the highlight font, or ``None`` when it
    is written as plain text (nothing to mark, or too long)."""
    spans = [(s, e) for s, e in spans if 0 <= s < e <= len(title)]
    if not spans or len(title) > MAX_CELL_CHARS // 2:
        return None
    clean = str if is_clean(title) else clean_text  # the pieces of a clean title are clean
    parts: list[tuple[Any, str]] = []
    last = 0
    for s, e in spans:
        if s > last:
            parts.append((None, clean(title[last:s])))
        parts.append((styles.HIGHLIGHT_FONT, clean(title[s:e])))
        last = e
    if last < len(title):
        parts.append((None, clean(title[last:])))
    return [p for p in parts if p[1]]


def rich_title(ws: Any, title: str, spans: Sequence[tuple[int, int]]) -> WriteOnlyCell:
    """A title cell with the ``spans`` in bold dark red (rich text); plain text when there is nothing to mark."""
    runs = title_runs(title, spans)
    if runs is None:
        return text_cell(ws, title, styles.WRAP)
    parts: list[str | TextBlock] = [text if font is None else TextBlock(font, text) for font, text in runs]
    cell = WriteOnlyCell(ws, value=CellRichText(parts))
    cell.style = styles.WRAP
    cell.data_type = "s"
    if looks_like_formula(title):
        cell.quotePrefix = True
    return cell


def _title_xml(cw: CellWriter, ref: str, title: str, spans: Sequence[tuple[int, int]]) -> str:
    """:func:`rich_title` as cell XML."""
    runs = title_runs(title, spans)
    if runs is None:
        return cw.text(ref, title, styles.WRAP)
    return cw.rich(ref, runs, styles.WRAP, looks_like_formula(title))


def _link(ws: Any, text: str, url: str) -> Any:
    if not url:
        return text_cell(ws, text, styles.TOP) if text else None
    cell = text_cell(ws, text, styles.LINK)
    cell.hyperlink = url
    return cell


def _int_cell(ws: Any, value: int) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.style = styles.TOP
    return cell


def _score(ws: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=float(value) if pd.notna(value) else None)
    cell.style = styles.SCORE
    return cell


def product_link(row: dict[str, Any], profile: Any) -> str:
    """The listing's product page: the results' ``product_url`` when present, else built from the row
    (:func:`scanner.links.listing_url`: Amazon's page for Amazon listings, the platform's for others)."""
    url = str(row.get("product_url", "") or "")
    if url or "product_url" in row:
        return url
    return listing_url(str(row.get("asin", "")), str(row.get("marketplace", "")), str(row.get("listing_id", "")),
                       profile=profile)


def _link_text(url: str) -> str:
    return url.removeprefix("https://").removeprefix("http://").removeprefix("www.")


def _followup(result: ScanResult) -> pd.DataFrame:
    """Per listing: marketplace key, text hash, decision state (from the history stage, or neutral)."""
    fu = result.followup
    if fu is not None and set(result.results.index) <= set(fu.index):
        return fu.reindex(result.results.index)
    return base_followup(result)


def _link_xml(cw: CellWriter, ref: str, text: str, url: str) -> str | None:
    """:func:`_link` as cell XML (the hyperlink goes to the sheet)."""
    if not url:
        return cw.text(ref, text, styles.TOP) if text else None
    cw.link(ref, url)
    return cw.text(ref, text, styles.LINK)


def _product_links(rows: pd.DataFrame, profile: Any) -> list[str]:
    """:func:`product_link` of every row, from whole columns."""
    if "product_url" in rows.columns:
        return [str(u or "") for u in column_values(rows, "product_url")]
    cols = [column_values(rows, c) if c in rows.columns else [""] * len(rows) for c in ("asin", "marketplace", "listing_id")]
    return [listing_url(str(a), str(m), str(i), profile=profile) for a, m, i in zip(*cols, strict=True)]


#: The evidence of some listings (their ids -> Evidence): :func:`collect_evidence` over the scan's matches.
EvidenceOf = Callable[[list[Any]], dict[Any, Evidence]]

#: Risk rows whose evidence (one record per match) is held at a time: at a million marks a risky listing has
#: about 20 matches, and the records of every risky listing at once took gigabytes.
EVIDENCE_CHUNK = 5_000


def _evidence_columns(rows: pd.DataFrame, titles: list[str], actions: list[str], evidence: EvidenceOf,
                      jobs: int | None = None) -> dict[str, list[Any]]:
    """What each row of a risk sheet shows from its evidence: marks, owners, register record, suggested fix
    ... (:func:`_evidence_chunk`), :data:`EVIDENCE_CHUNK` rows at a time, the chunks shared among ``jobs``
    forked processes (:func:`scanner.forked.fork_imap`; every row's values depend on that row alone)."""
    ids = rows.index.tolist()
    marks_col, owners_col = column_values(rows, "marks"), column_values(rows, "owners")

    def chunk(at: int) -> dict[str, list[Any]]:
        end = at + EVIDENCE_CHUNK
        return _evidence_chunk(ids[at:end], titles[at:end], actions[at:end], marks_col[at:end], owners_col[at:end],
                               evidence)

    starts = range(0, len(ids), EVIDENCE_CHUNK)
    if jobs_for(len(starts), jobs) > 1:
        frequency.preload()  # the suggested fixes read them: loaded once here, not once per worker
    out: dict[str, list[Any]] = {k: [] for k in _EVIDENCE_KEYS}
    for part in fork_imap(chunk, starts, jobs=jobs, what="a report process"):
        for k, values in part.items():
            out[k].extend(values)
    return out


_EVIDENCE_KEYS = ("evs", "marks", "owners", "status", "classes", "fix", "reg_label", "reg_url")


class _Fixes:
    """:func:`~scanner.report.fixes.suggest_fix` once per distinct :func:`~scanner.report.fixes.fix_key`. The
    key (every match's fields) is made only for a title and action met more than once among ``titles`` /
    ``actions``: keys of two titles or actions never compare equal, and at register scale most titles come
    once, with twenty matches each."""

    def __init__(self, titles: list[str], actions: list[str]) -> None:
        self._repeated = {k for k, n in Counter(zip(titles, actions, strict=True)).items() if n > 1}
        self._fixes: dict[Any, str] = {}

    def get(self, title: str, matches: list[dict[str, Any]], action: str) -> str:
        if (title, action) not in self._repeated:
            return suggest_fix(title, matches, action=action)
        key = fix_key(title, matches, action)
        try:
            fix = self._fixes.get(key)
        except TypeError:  # an unhashable value in a match
            return suggest_fix(title, matches, action=action)
        if fix is None:
            fix = self._fixes[key] = suggest_fix(title, matches, action=action)
        return fix


def _evidence_chunk(ids: list[Any], titles: list[str], actions: list[str], marks_col: list[Any],
                    owners_col: list[Any], evidence: EvidenceOf) -> dict[str, list[Any]]:
    """The evidence values of some risk rows (the suggested fix computed once per distinct title, action and
    matches: :func:`scanner.report.fixes.fix_key`). Of each row's evidence only what the cells still read
    (title spans, other fields' hits) is kept."""
    out: dict[str, list[Any]] = {k: [] for k in _EVIDENCE_KEYS}
    fixes = _Fixes(titles, actions)
    found = evidence(ids)
    for lid, title, action, marks_text, owners_text in zip(ids, titles, actions, marks_col, owners_col, strict=True):
        ev = found.get(lid) or Evidence()
        marks = ev.marks
        fix = fixes.get(title, ev.matches, action)
        registered = next((m for m in marks if m.register_url), None)
        # the cells show only the title spans and the other fields' hits (the marks are joined here)
        out["evs"].append(Evidence(title_spans=ev.title_spans, other_hits=ev.other_hits))
        out["marks"].append("; ".join(m.mark for m in marks) or marks_text)
        out["owners"].append("; ".join(dict.fromkeys(m.owner for m in marks if m.owner)) or owners_text)
        out["status"].append("; ".join(m.status for m in marks if m.status))
        out["classes"].append("; ".join(m.classes for m in marks if m.classes))
        out["fix"].append(fix)
        label = registered.register_label if registered else ""
        if registered is not None and registered is not marks[0]:  # the first mark has no page: say whose this is
            label = f"{registered.mark}: {label}"
        out["reg_label"].append(label)
        out["reg_url"].append(registered.register_url if registered else "")
    return out


def _risk_columns(rows: pd.DataFrame, fu: pd.DataFrame, evidence: EvidenceOf, profile: Any,
                  jobs: int | None = None) -> dict[str, list[Any]]:
    """The values a risk sheet shows, column by column."""
    n = len(rows)
    titles = [str(t) for t in column_values(rows, "title")]
    actions = [str(a or "") for a in column_values(rows, "action")] if "action" in rows.columns else [""] * n
    f = fu.loc[rows.index]
    cols = _evidence_columns(rows, titles, actions, evidence, jobs)
    cols.update(
        title=titles, action=actions, is_new=[bool(v) for v in column_values(rows, "is_new")],
        sku=column_values(rows, "sku"), asin=column_values(rows, "asin"), decision=column_values(rows, "decision"),
        reasons=column_values(rows, "reasons"), score=column_values(rows, "risk_score"),
        meaning=[LEVEL_MEANING.get(str(v), "") for v in column_values(rows, "risk_level")],
        fields=[", ".join(x for x in str(v).split(";") if x) for v in column_values(rows, "fields")],
        note=column_values(f, "note"), marketplace=column_values(f, "marketplace"), text_hash=column_values(f, "text_hash"),
        notes=[str(v or "") for v in column_values(f, "notes")] if "notes" in f.columns else [""] * n,
        url=_product_links(rows, profile), new=["new"] * n,
    )
    cols["other_hits"] = [ev.other_hits for ev in cols["evs"]]
    cols["url_text"] = [_link_text(u) for u in cols["url"]]
    return cols


def _row_heights(cols: dict[str, list[Any]]) -> list[str]:
    """The ``<row>`` height attributes of a risk sheet's rows: from the printed columns only (a screen-only
    column must not stretch the printed page), as :func:`row_height` gives them."""
    shown = {"Action": "action", "SKU": "sku", "Title": "title", "Meaning": "meaning", "Marks": "marks",
             "Suggested fix": "fix", "Since last scan": "note", "Decision": "decision", "Notes": "notes"}
    n = len(cols["title"])
    lines = [1] * n
    for c in RISK_COLUMNS[:RISK_PRINT_COLUMNS]:
        if c.header not in shown:  # "#", "New", "Score": shown empty
            continue
        per_line = int(max(1.0, c.width * 1.05 - 1))
        for i, t in enumerate(cols[shown[c.header]]):
            if not t:
                continue
            text = str(t)
            k = estimate_lines(text, c.width) if "\n" in text else max(1, -(-len(text) // per_line))
            if k > lines[i]:
                lines[i] = k
    attrs: dict[int, str] = {}
    for k in set(lines):
        height = None if k <= 1 else min(MAX_ROW_HEIGHT, LINE_HEIGHT * k + 2)
        attrs[k] = "" if height is None else f' ht="{safe_string(height)}" customHeight="1"'
    return [attrs[k] for k in lines]


#: The cells of a risk sheet's data row, A to W: (column, kind, named style, value column, presence column);
#: kind "rank" and "score" are numbers, "title" is plain or rich text, "text" a text cell, written only
#: where the presence column is true (when there is one).
_RISK_CELLS: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("A", "rank", styles.TOP, "", None), ("B", "text", styles.ACTION, "action", "action"),
    ("C", "text", styles.NEW, "new", "is_new"), ("D", "text", styles.WRAP, "sku", None),
    ("E", "title", styles.WRAP, "title", None), ("F", "score", styles.SCORE, "score", None),
    ("G", "text", styles.WRAP, "meaning", None), ("H", "text", styles.WRAP, "marks", None),
    ("I", "text", styles.WRAP, "fix", None), ("J", "text", styles.WRAP, "note", None),
    ("K", "text", styles.DECISION, "decision", None), ("L", "text", styles.WRAP, "notes", "notes"),
    ("M", "text", styles.TOP, "asin", None), ("N", "text", styles.WRAP, "owners", None),
    ("O", "text", styles.WRAP, "fields", None), ("P", "text", styles.WRAP, "other_hits", None),
    ("Q", "text", styles.WRAP, "reasons", None), ("R", "text", styles.WRAP, "status", None),
    ("S", "text", styles.WRAP, "classes", None), ("T", "text", styles.LINK, "url_text", "url"),
    ("U", "text", styles.LINK, "reg_label", "reg_url"), ("V", "text", styles.TOP, "marketplace", None),
    ("W", "text", styles.TOP, "text_hash", None),
)
#: First characters after which a text cell may be quote-prefixed (formula-like, or an illegal character
#: that cleaning removes): any other first character means it is not.
_QUOTE_SUSPECT = frozenset(FORMULA_PREFIXES)


def _maybe_quoted(value: Any) -> bool:
    if type(value) is not str:
        return True
    c = value[:1]
    return c in _QUOTE_SUSPECT or (c != "" and (c < " " or c >= "\ud800"))


def _register_risk_styles(cw: CellWriter, cols: dict[str, list[Any]]) -> None:
    """Give the workbook every cell style the rows will use, in the order writing the cells row by row, A to
    W, first uses them (the order sets the styles' ids, as when the rows were written one by one), so that
    the rows can be made after the workbook is saved (:meth:`CellWriter.freeze`)."""
    first: dict[tuple[str, bool], tuple[int, int]] = {}
    n = len(cols["title"])
    for j, (_letter, kind, style, key, present) in enumerate(_RISK_CELLS):
        mask = cols[present] if present else None
        rows = range(n) if mask is None else [i for i in range(n) if mask[i]]
        if kind in ("rank", "score"):
            if rows:
                first[(style, False)] = min(first.get((style, False), (n, j)), (rows[0], j))
            continue
        values = cols[key]
        seen: set[bool] = set()
        for i in rows:
            v = values[i]
            q = False
            if _maybe_quoted(v):
                runs = title_runs(v, cols["evs"][i].title_spans) if kind == "title" else None
                q = looks_like_formula(v) if runs is not None else looks_like_formula(clean_text(v))
            if q not in seen:
                seen.add(q)
                first[(style, q)] = min(first.get((style, q), (n, j)), (i, j))
                if len(seen) == 2:
                    break
    for style, quote in sorted(first, key=first.__getitem__):
        cw.style(style, quote)
    cw.freeze()


def _risk_cells(cw: CellWriter, refs: list[str], c: dict[str, list[Any]], at: int) -> list[list[str]]:
    """The cells of rows ``at ..`` (refs ``refs``) of a risk sheet, column by column (A to W)."""
    part = {k: v[at : at + len(refs)] for k, v in c.items()}
    for r, url, reg in zip(refs, part["url"], part["reg_url"], strict=True):  # hyperlinks in row order, T then U
        if url:
            cw.link(f"T{r}", url)
        if reg:
            cw.link(f"U{r}", reg)
    out = []
    for letter, kind, style, key, present in _RISK_CELLS:
        if kind == "rank":
            s = cw.style(style)
            out.append([f'<c r="A{r}" s="{s}" t="n"><v>{int(r) - 1}</v></c>' for r in refs])
        elif kind == "score":
            s = cw.style(style)
            out.append([f'<c r="{letter}{r}" s="{s}" t="n">' + (f"<v>{safe_string(float(v))}</v></c>" if pd.notna(v) else "</c>")
                        for r, v in zip(refs, part[key], strict=True)])
        elif kind == "title":
            out.append([_title_xml(cw, f"{letter}{r}", t, ev.title_spans)
                        for r, t, ev in zip(refs, part[key], part["evs"], strict=True)])
        else:
            out.append(cw.texts(letter, refs, part[key], style, part[present] if present else None))
    return out


def _risk_rows(cw: CellWriter, cols: dict[str, list[Any]]) -> Iterator[str]:
    """The data rows of a risk sheet as XML, :data:`CHUNK_ROWS` at a time (the hyperlinks go to ``cw.links``
    as they are made)."""
    heights = _row_heights(cols)
    n = len(heights)
    for at in range(0, n, CHUNK_ROWS):
        refs = [str(r) for r in range(at + 2, min(n, at + CHUNK_ROWS) + 2)]
        cells = _risk_cells(cw, refs, cols, at)
        yield "".join([f'<row r="{r}"{ht}>' + "".join(row) + "</row>"
                       for r, ht, row in zip(refs, heights[at : at + len(refs)], zip(*cells, strict=True), strict=True)])


def _risk_sheet(wb: Workbook, name: str, rows: pd.DataFrame, fu: pd.DataFrame, evidence: EvidenceOf,
                result: ScanResult, jobs: int | None = None) -> tuple[Any, SheetRows]:
    """A risk sheet: header and layout through openpyxl; its data rows as XML, made while the saved file is
    copied into place (:mod:`scanner.report.fastsheet`; openpyxl's cell-by-cell writing took about a minute
    for 70,000 rows). The values and cell styles are settled here, before the workbook is saved."""
    ws = wb.create_sheet(name)
    _setup_sheet(ws, RISK_COLUMNS, freeze="E2")
    ws.print_area = f"A1:{get_column_letter(RISK_PRINT_COLUMNS)}{len(rows) + 1}"
    _header(ws, [c.header for c in RISK_COLUMNS], [c.width for c in RISK_COLUMNS])
    cw = CellWriter(ws)
    cols = _risk_columns(rows, fu, evidence, result.profile, jobs)
    _register_risk_styles(cw, cols)
    _finish_table(ws, RISK_COLUMNS, len(rows), decision_col=[c.header for c in RISK_COLUMNS].index("Decision") + 1)
    return ws, SheetRows(_risk_rows(cw, cols), cw.links)


def sort_by_action(rows: pd.DataFrame) -> pd.DataFrame:
    """Risk-sheet order: by action (pull now, check authorization, fix title, review), then highest score."""
    if rows.empty:
        return rows
    action = rows["action"] if "action" in rows.columns else pd.Series("", index=rows.index)
    rank = action.map(lambda a: ACTION_RANK.get(str(a), len(ACTION_RANK)))
    order = rows.assign(_a=rank.to_numpy(), _s=-rows["risk_score"].astype(float).to_numpy())
    return rows.loc[order.sort_values(["_a", "_s"], kind="stable").index]


def _kept_sheet(wb: Workbook, rows: pd.DataFrame, fu: pd.DataFrame, result: ScanResult) -> None:
    ws = wb.create_sheet(SHEETS["kept"])
    _setup_sheet(ws, KEPT_COLUMNS, freeze="B2")
    _header(ws, [c.header for c in KEPT_COLUMNS], [c.width for c in KEPT_COLUMNS])
    profile = result.profile
    widths = {c.header: c.width for c in KEPT_COLUMNS}
    fu_rows = records(fu.loc[rows.index])
    for i, (row, f) in enumerate(zip(records(rows), fu_rows, strict=True), start=2):
        _set_height(ws, i, [(row["title"], widths["Title"]), (row["reasons"], widths["Reasons"]), (f.get("notes", ""), widths["Notes"]),
                            (row["owners"], widths["Owners"]), (row["sku"], widths["SKU"])])
        url = product_link(row, profile)
        ws.append([
            text_cell(ws, row["sku"], styles.WRAP), text_cell(ws, row["asin"], styles.TOP), text_cell(ws, row["title"], styles.WRAP),
            text_cell(ws, row["risk_level"], styles.LEVEL.get(row["risk_level"], styles.TOP)), _score(ws, row["risk_score"]),
            text_cell(ws, row["marks"].replace(";", "; "), styles.WRAP), text_cell(ws, row["owners"].replace(";", "; "), styles.WRAP),
            text_cell(ws, f["decided"], styles.DECISION), text_cell(ws, str(f["decided_at"])[:10], styles.TOP),
            text_cell(ws, row["reasons"], styles.WRAP),
            _link(ws, _link_text(url), url),
            text_cell(ws, f.get("notes", ""), styles.WRAP) if f.get("notes", "") else None,
            text_cell(ws, f["marketplace"], styles.TOP), text_cell(ws, f["text_hash"], styles.TOP),
        ])
    _finish_table(ws, KEPT_COLUMNS, len(rows), decision_col=[c.header for c in KEPT_COLUMNS].index("Decision") + 1)


def _all_sheet(wb: Workbook, res: pd.DataFrame, fu: pd.DataFrame) -> tuple[Any, list[FastColumn]]:
    """The All listings sheet: header and layout through openpyxl, rows through the fast path."""
    ws = wb.create_sheet(SHEETS["all"])
    cols = list(res.columns)
    columns = [Column(ALL_HEADERS.get(c, c), ALL_WIDTHS.get(c, 14)) for c in cols] + [Column("Text hash", 18, hidden=True)]
    _setup_sheet(ws, columns, freeze="B2")
    _header(ws, [c.header for c in columns], [c.width for c in columns])
    _finish_table(ws, columns, len(res), decision_col=cols.index("decision") + 1)
    top, quoted = style_id(ws, styles.TOP), style_id(ws, styles.TOP, quote_prefix=True)
    fast: list[FastColumn] = []
    for c in cols:
        values = res[c].tolist()
        if c == "risk_score":
            fast.append(FastColumn(values, "number", style_id(ws, styles.SCORE)))
        elif c == "source_row" or (c not in ALL_HEADERS and pd.api.types.is_numeric_dtype(res[c])
                                   and not pd.api.types.is_bool_dtype(res[c])):
            fast.append(FastColumn(values, "number", top))
        elif c == "risk_level":
            fast.append(FastColumn(values, style=top, quote_style=quoted,
                                   style_ids={lvl: style_id(ws, styles.LEVEL[lvl]) for lvl in styles.LEVEL}))
        elif c == "decision":
            fast.append(FastColumn(values, style=style_id(ws, styles.DECISION),
                                   quote_style=style_id(ws, styles.DECISION, quote_prefix=True)))
        elif c == "is_new":
            fast.append(FastColumn(["new" if bool(v) else "" for v in values], style=style_id(ws, styles.NEW)))
        else:
            if c in ("marks", "owners"):
                values = [str(v).replace(";", "; ") for v in values]
            elif c == "fields":
                values = [str(v).replace(";", ", ") for v in values]
            fast.append(FastColumn(values, style=top, quote_style=quoted))
    fast.append(FastColumn(fu["text_hash"].tolist(), style=top))
    return ws, fast


def _rejected_sheet(wb: Workbook, rejected: pd.DataFrame) -> None:
    ws = wb.create_sheet(SHEETS["rejected"])
    _setup_sheet(ws, REJECTED_COLUMNS, freeze="A2")
    _header(ws, [c.header for c in REJECTED_COLUMNS])
    cols = ("source_file", "source_row", "column", "reason", "raw")
    frame = rejected.reindex(columns=list(cols)).fillna("")
    for i, (f, line, column, reason, raw) in enumerate(frame.itertuples(index=False, name=None), start=2):
        _set_height(ws, i, [(str(raw)[:2000], 90), (str(reason), 40), (str(f), 30)])
        line = _int_cell(ws, int(line)) if str(line).strip() not in ("", "nan") else None
        ws.append([text_cell(ws, f, styles.WRAP), line, text_cell(ws, column, styles.WRAP), text_cell(ws, reason, styles.WRAP),
                   text_cell(ws, str(raw).replace("\t", " \u21e5 "), styles.WRAP)])
    _finish_table(ws, REJECTED_COLUMNS, len(frame), decision_col=None)


def _meta_sheet(wb: Workbook, result: ScanResult) -> None:
    ws = wb.create_sheet(SHEETS["meta"])
    ws.sheet_state = "hidden"
    for key, value in (
        ("report_format", REPORT_FORMAT),
        ("scanner_version", result.extra.get("scanner_version", "")),
        ("scan_id", (result.history.scan_id if result.history else None) or ""),
        ("seller", result.profile.name),
        ("marketplace", result.profile.marketplace),
        ("scan_started", result.started),
        ("scan_finished", result.finished),
        *meta_rows(result),
    ):
        ws.append([key, plain_value(ws, value)])


def build_workbook(result: ScanResult, *, jobs: int | None = None) -> tuple[Workbook, dict[Any, Iterable[str] | SheetRows]]:
    """The report as an unsaved write-only workbook, and the data rows (``<row>`` XML) of the sheets that take
    the fast path (:mod:`scanner.report.fastsheet`), which :func:`write_excel` splices in after saving.
    ``jobs``: processes sharing the risk sheets' evidence (:func:`scanner.forked.default_jobs` when None)."""
    res = result.results
    fu = _followup(result)
    kept_mask = fu["kept"].astype(bool).to_numpy() & res["risk_level"].isin(RISKY).to_numpy()
    high = sort_by_action(res[(res["risk_level"] == "high").to_numpy() & ~kept_mask])
    medium = sort_by_action(res[(res["risk_level"] == "medium").to_numpy() & ~kept_mask])
    kept = res[kept_mask]
    def evidence(listing_ids: list[Any]) -> dict[Any, Evidence]:
        return collect_evidence(listing_ids, result.listings, result.matches, result.corpus)

    wb = Workbook(write_only=True)
    styles.register_styles(wb)
    write_summary(wb, result, fu, kept_count=len(kept))
    high_ws, high_rows = _risk_sheet(wb, SHEETS["high"], high, fu, evidence, result, jobs)
    medium_ws, medium_rows = _risk_sheet(wb, SHEETS["medium"], medium, fu, evidence, result, jobs)
    _kept_sheet(wb, kept, fu, result)
    all_ws, all_rows = _all_sheet(wb, res, fu)
    _rejected_sheet(wb, result.rejected)
    _meta_sheet(wb, result)
    return wb, {high_ws: high_rows, medium_ws: medium_rows, all_ws: rows_xml(all_rows)}


def write_excel(result: ScanResult, path: str | Path, *, jobs: int | None = None) -> None:
    """Write the report workbook to ``path`` (see the module docstring for the sheets); ``jobs`` as for
    :func:`build_workbook`."""
    path = Path(path)
    wb, fast = build_workbook(result, jobs=jobs)
    try:
        with tempfile.TemporaryDirectory(prefix="scanner-report-") as tmp:
            saved = Path(tmp) / "report.xlsx"
            wb.save(saved)  # (which gives each sheet its part name)
            parts = {ws.path.lstrip("/"): rows for ws, rows in fast.items()}
            # All listings' rows are made by a second process meanwhile, into a file in the temporary folder
            with rendered_aside(parts, Path(tmp), jobs=jobs if len(result.results) >= ASIDE_ROWS else 1,
                                what="the process writing the All listings rows") as parts:
                splice_rows(saved, path, parts)
    except OSError as exc:
        hint = " (is it open in Excel?)" if isinstance(exc, PermissionError) else ""
        raise ScannerError(f"cannot write the report: {exc.strerror or exc}{hint}", path=path) from None
