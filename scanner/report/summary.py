"""The ``Summary`` sheet: what was scanned, against what, and what was found (with a chart)."""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList

from . import styles as S
from .cells import plain_value, text_cell

if TYPE_CHECKING:
    from ..pipeline import ScanResult

LEVELS = ("high", "medium", "low")
_PREFERRED = ("name", "version", "content_hash", "build_date", "created", "trained", "trained_at", "date",
              "format_version", "kind", "description", "sources", "counts", "marks")


class _Writer:
    """Appends rows to a write-only sheet and remembers the row number."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.row = 0

    def add(self, *values: Any, style: str | None = None) -> int:
        cells = []
        for i, v in enumerate(values):
            if isinstance(v, str):
                cells.append(text_cell(self.ws, v, style if (style and i == 0) else (S.LABEL if i == 0 else S.TOP)))
            else:
                cells.append(plain_value(self.ws, v))
        self.ws.append(cells)
        self.row += 1
        return self.row

    def header(self, *titles: str) -> int:
        longest = max((len(t) for t in titles[1:]), default=0)
        if longest > 13:
            self.ws.row_dimensions[self.row + 1].height = 30
        self.ws.append([text_cell(self.ws, t, S.HEADER) for t in titles])
        self.row += 1
        return self.row

    def blank(self) -> None:
        self.ws.append([])
        self.row += 1


def _fmt(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


#: What the Summary shows of the corpus and model metadata (the rest -- feature lists, training-data hashes,
#: per-set metrics -- is in the corpus / model folder, not for the seller's eyes).
CORPUS_KEYS = ("name", "version", "content_hash", "build_date", "format_version", "sources", "counts", "marks",
               "watchlist", "watchlist_entries", "watchlist_marks_added")
MODEL_KEYS = ("name", "kind", "description", "created", "scanner_version", "sklearn_version", "training_rows",
              "warning")
_MAX_TEXT = 160


def _held_out(info: dict[str, Any]) -> list[tuple[str, str]]:
    """The model's held-out average precision, if recorded."""
    ap = ((info.get("metrics_held_out") or {}).get("all") or {}).get("average_precision") or {}
    if not isinstance(ap, dict) or not ap:
        return []
    parts = [f"{k} {v:.3f}" for k, v in ap.items() if isinstance(v, int | float)]
    return [("held-out average precision", ", ".join(parts))] if parts else []


def _info_rows(info: dict[str, Any], keys: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    if keys is None:
        keys = tuple([k for k in _PREFERRED if k in info] + sorted(k for k in info if k not in _PREFERRED))
    keys = tuple(k for k in keys if k in info)
    rows = []
    for key in keys:
        value = info[key]
        if value in (None, "", [], {}):
            continue
        text = _fmt(value) if not isinstance(value, dict | list) or len(json.dumps(value, default=str)) < 400 else \
            json.dumps(value, default=str)[:400] + " …"
        if len(text) > _MAX_TEXT:
            text = text[: _MAX_TEXT - 2] + " …"
        rows.append((key.replace("_", " "), text))
    return rows


def top_marks(results: pd.DataFrame, n: int = 10) -> tuple[list[tuple[str, str, int, int]], list[tuple[str, int]]]:
    """The marks and owners in the most risky listings: ``[(mark, owner, listings, high)]``, ``[(owner, listings)]``."""
    risky = results[results["risk_level"].isin(["high", "medium"])]
    marks: Counter[tuple[str, str]] = Counter()
    high: Counter[tuple[str, str]] = Counter()
    owners: Counter[str] = Counter()
    for level, mk, ow in zip(risky["risk_level"], risky["marks"], risky["owners"], strict=True):
        ms = [m for m in str(mk).split(";")]
        os_ = str(ow).split(";")
        seen_owners = set()
        for i, m in enumerate(ms):
            if not m:
                continue
            owner = os_[i] if i < len(os_) else ""
            marks[(m, owner)] += 1
            if level == "high":
                high[(m, owner)] += 1
            if owner and owner not in seen_owners:
                seen_owners.add(owner)
                owners[owner] += 1
    return ([(m, o, c, high[(m, o)]) for (m, o), c in marks.most_common(n)], owners.most_common(n))


def write_summary(wb: Workbook, result: ScanResult, followup: pd.DataFrame, kept_count: int) -> None:
    """Append the Summary sheet to the write-only workbook ``wb``."""
    ws = wb.create_sheet("Summary")
    for letter, width in zip("ABCDEFG", (36, 30, 14, 14, 14, 14, 14), strict=True):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    w = _Writer(ws)
    res = result.results
    hist = result.history or {}
    profile = result.profile
    w.add("Trademark risk report", style=S.TITLE)
    w.add("Seller", f"{profile.name or '(no seller profile)'} — Amazon {profile.marketplace} ({profile.domain})")
    w.add("Scan date", result.started)
    if hist.get("scan_id"):
        w.add("Scan id", f"#{hist['scan_id']} (scanner history {hist.get('path', '')})")
    prev = hist.get("previous_scan")
    w.add("Compared with", f"scan #{prev['id']} of {prev['started']}" if prev else
          (hist.get("previous_note") or "nothing: first scan, so every risky listing counts as new"))
    w.blank()
    w.add("Listings by risk level", style=S.SECTION)
    table_top = w.header("Risk level", "Listings", "New since last scan", "Kept (decided)", "To act on")
    new = res["is_new"].astype(bool)
    kept_by_level = Counter(res.loc[followup["kept"].astype(bool).to_numpy(), "risk_level"])
    for level in LEVELS:
        n = int((res["risk_level"] == level).sum())
        n_new = int((new & (res["risk_level"] == level)).sum())
        k = kept_by_level.get(level, 0) if level != "low" else 0
        w.add(level, n, n_new if level != "low" else None, k if level != "low" else None,
              n - k if level != "low" else None, style=S.LEVEL[level])
    table_bottom = w.row
    c = result.counts
    w.add("total scanned", c["rows_scanned"], int(new.sum()), kept_count)
    w.add("rows rejected", c["rows_rejected"])
    w.add("rows read", c["rows_read"])
    decided = Counter(d for d in res["decision"] if d)
    if decided:
        w.add("Decisions carried over", ", ".join(f"{k} {v}" for k, v in sorted(decided.items())))
    changed = int(followup["note"].astype(str).str.startswith("text changed").sum())
    if changed:
        w.add("Flagged again", f"{changed} listing(s) whose text changed since you decided to keep them")
    chart = BarChart()
    chart.type = "col"
    chart.title = "Listings by risk level"
    chart.y_axis.title = "listings"
    chart.legend = None
    chart.add_data(Reference(ws, min_col=2, min_row=table_top, max_row=table_bottom), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=table_top + 1, max_row=table_bottom))
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.showSerName = False
    chart.dataLabels.showCatName = False
    chart.dataLabels.showLegendKey = False
    chart.height, chart.width = 6.5, 12
    ws.add_chart(chart, "G3")
    w.blank()
    marks, owners = top_marks(res)
    w.add("Top marks involved", style=S.SECTION)
    if marks:
        w.header("Mark", "Owner", "Risky listings", "High risk")
        for m, o, n, h in marks:
            w.add(m, o, n, h)
    else:
        w.add("(none)")
    w.blank()
    w.add("Top owners involved", style=S.SECTION)
    if owners:
        w.header("Owner", "Risky listings")
        for o, n in owners:
            w.add(o, n)
    else:
        w.add("(none)")
    w.blank()
    w.add("Input files", style=S.SECTION)
    w.header("File", "Format", "Encoding", "Rows read", "Scanned", "Rejected")
    for f in result.files:
        w.add(f.path, f.format, f.encoding, f.rows_read, f.rows_ok, f.rows_rejected)
        for note in getattr(f, "notes", []) or []:
            note = str(note)
            w.add("", note if len(note) <= _MAX_TEXT else note[: _MAX_TEXT - 2] + " …")
    w.blank()
    w.add("Trademark corpus", style=S.SECTION)
    for key, value in _info_rows(result.corpus_info, CORPUS_KEYS):
        w.add(key, value)
    w.blank()
    w.add("Risk model", style=S.SECTION)
    for key, value in _info_rows(result.model_info, MODEL_KEYS) + _held_out(result.model_info):
        w.add(key, value)
    w.add("threshold: medium", float(result.thresholds.get("medium", float("nan"))))
    w.add("threshold: high", float(result.thresholds.get("high", float("nan"))))
    w.add("scanner version", str(result.extra.get("scanner_version", "")))
    w.blank()
    w.add("How to use this report", style=S.SECTION)
    for line in (
        "1. Work through 'High risk', then 'Review': read the title (the marks are in red), the suggested fix and "
        "the links.",
        "2. Choose a Decision for each row: pull, edit, keep or authorized. Add Notes if you like. Save the file.",
        "3. Next week: scanner scan LISTINGS --out next.xlsx --previous THIS-FILE.xlsx (or run scanner decisions "
        "import THIS-FILE.xlsx). 'keep' and 'authorized' listings move to 'Kept' while their text stays the same.",
    ):
        for part in textwrap.wrap(line, 95, subsequent_indent="   "):
            w.add(part)
