"""The ``Summary`` sheet: what was scanned, against what, and what was found (with a chart)."""

from __future__ import annotations

import json
import math
import textwrap
from collections import Counter
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList

from ..levels import BY_URGENCY, RISKY
from ..scan_result import HistoryRecord
from . import styles
from .cells import plain_value, text_cell

if TYPE_CHECKING:
    from ..scan_result import ScanResult

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
            if isinstance(v, Cell):
                cells.append(v)
            elif isinstance(v, str):
                cells.append(text_cell(self.ws, v, style if (style and i == 0) else (styles.LABEL if i == 0 else styles.TOP)))
            elif isinstance(v, int | float) and not isinstance(v, bool):
                cell = WriteOnlyCell(self.ws, value=v)
                cell.style = styles.TOP
                cells.append(cell)
            else:
                cells.append(plain_value(self.ws, v))
        self.ws.append(cells)
        self.row += 1
        return self.row

    def header(self, *titles: str) -> int:
        longest = max((len(t) for t in titles[1:]), default=0)
        if longest > 13:
            self.ws.row_dimensions[self.row + 1].height = 30
        self.ws.append([text_cell(self.ws, t, styles.HEADER) for t in titles])
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
               "watchlist", "watchlist_entries", "watchlist_marks_added", "known_kinds")
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
    risky = results[results["risk_level"].isin(RISKY)]
    marks: Counter[tuple[str, str]] = Counter()
    high: Counter[tuple[str, str]] = Counter()
    owners: Counter[str] = Counter()
    # each distinct (level, marks, owners) once, weighted by its count, in the order of first occurrence (so
    # that ties keep the order in which listings first named them)
    rows = Counter(zip(risky["risk_level"].tolist(), risky["marks"].tolist(), risky["owners"].tolist(), strict=True))
    for (level, mk, ow), count in rows.items():
        ms = [m for m in str(mk).split(";")]
        os_ = str(ow).split(";")
        seen_owners = set()
        for i, m in enumerate(ms):
            if not m:
                continue
            owner = os_[i] if i < len(os_) else ""
            marks[(m, owner)] += count
            if level == "high":
                high[(m, owner)] += count
            if owner and owner not in seen_owners:
                seen_owners.add(owner)
                owners[owner] += count
    return ([(m, o, c, high[(m, o)]) for (m, o), c in marks.most_common(n)], owners.most_common(n))


#: How the Summary names each action in its opening sentence, and what it means.
ACTION_PHRASES = {"pull now": "listings to pull now", "fix title": "titles to fix",
                  "check authorization": "to check authorization", "review": "to review"}
ACTION_HELP = {
    "pull now": "a counterfeit cue (replica, dupe, inspired by, style ...) next to another owner's mark: take it down",
    "check authorization": "sold under another owner's brand: keep an invoice or authorization, or pull it",
    "fix title": "another owner's mark used as a brand: edit the text as the suggested fix says",
    "review": "a compatibility reference: check the wording ('compatible with ...')",
}


def action_counts(results: pd.DataFrame, followup: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """``{action: (listings to act on, of them new)}`` over the listings not kept by an earlier decision."""
    kept = followup["kept"].astype(bool).to_numpy() if "kept" in followup.columns else False
    act = results["action"].astype(str) if "action" in results.columns else pd.Series("", index=results.index)
    new = results["is_new"].astype(bool)
    out = {}
    for a in ACTION_PHRASES:
        mask = (act == a).to_numpy() & ~kept
        out[a] = (int(mask.sum()), int((mask & new.to_numpy()).sum()))
    return out


def what_to_do(counts: dict[str, tuple[int, int]]) -> str:
    """"3 listings to pull now, 5 titles to fix, 2 to check authorization, 7 to review"."""
    order = ("pull now", "fix title", "check authorization", "review")
    parts = []
    for a in order:
        n, phrase = counts.get(a, (0, 0))[0], ACTION_PHRASES[a]
        if n == 1:  # one listing, one title (11 and 21 stay plural)
            phrase = phrase.replace("listings ", "listing ", 1).replace("titles ", "title ", 1)
        parts.append(f"{n} {phrase}")
    return ", ".join(parts)


def _up3(value: object) -> str:
    """A threshold to three decimals (as the report shows scores), rounded up: ``0.55449`` -> ``"0.555"``."""
    return f"{math.ceil(round(float(value) * 1000, 6)) / 1000:.3f}"


def _footnote(result: ScanResult) -> list[str]:
    """One or two compact lines on the corpus and model (the details are on the hidden _scanner sheet)."""
    ci, mi = result.corpus_info, result.model_info
    corpus = str(ci.get("name", "") or "trademark corpus")
    if ci.get("version"):
        corpus += f" {ci['version']}"
    extra = [f"{int(ci['marks']):,} marks" if isinstance(ci.get("marks"), int) else "",
             f"built {str(ci['build_date'])[:10]}" if ci.get("build_date") else "",
             f"watch list {ci['watchlist_entries']} entries" if ci.get("watchlist_entries") else ""]
    extra = [e for e in extra if e]
    model = str(mi.get("name", "") or "risk model")
    if mi.get("created"):
        model += f", trained {str(mi['created'])[:10]}"
    th = result.thresholds
    levels = ""
    if th.get("medium") is not None and th.get("high") is not None:
        # to the scores' three decimals, rounded up: a score shown below a threshold is below it
        levels = f"; medium from score {_up3(th['medium'])}, high from {_up3(th['high'])}"
    lines = [f"Checked against {corpus}" + (f" ({', '.join(extra)})" if extra else "") + f"; {model}{levels}; "
             f"scanner {result.extra.get('scanner_version', '')}."]
    if mi.get("warning"):
        lines.append(f"Model note: {mi['warning']}")
    return [line if len(line) <= 2 * _MAX_TEXT else line[: 2 * _MAX_TEXT - 2] + " …" for line in lines]


def write_summary(wb: Workbook, result: ScanResult, followup: pd.DataFrame, kept_count: int) -> None:
    """Append the Summary sheet to the write-only workbook ``wb``: what to do first, then the owners and
    marks involved, the counts, the input files, how to use the report and a compact footnote on the corpus
    and model (their details are on the hidden ``_scanner`` sheet)."""
    ws = wb.create_sheet("Summary")
    for letter, width in zip("ABCDEFG", (30, 40, 12, 12, 12, 12, 12), strict=True):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    w = _Writer(ws)
    _write_heading(w, result)
    _write_actions(w, result, followup, kept_count)
    _write_duplicates(w, result.extra.get("duplicate_skus") or [])
    w.blank()
    _write_top_marks(w, result.results)
    w.blank()
    table = _write_levels(w, result, followup, kept_count)
    _write_history(w, result, followup)
    w.blank()
    _add_level_chart(w, *table)
    w.blank()
    _write_files(w, result)
    w.blank()
    _write_how_to(w)
    w.blank()
    for line in _footnote(result):
        for part in textwrap.wrap(line, 110):
            w.add(part, style=styles.NOTE)


def _write_heading(w: _Writer, result: ScanResult) -> None:
    """Title, seller and scan date."""
    profile = result.profile
    w.add("Trademark risk report", style=styles.TITLE)
    store = f"Amazon {profile.marketplace} ({profile.domain})" if profile.domain else f"marketplace {profile.marketplace}"
    others = ", ".join(getattr(profile, "marketplaces", ()) or ())
    w.add("Seller", f"{profile.name or '(no seller profile)'} — {store}" + (f"; also {others}" if others else ""))
    w.add("Scan date", result.started)
    w.blank()


def _write_actions(w: _Writer, result: ScanResult, followup: pd.DataFrame, kept_count: int) -> None:
    """What to do: one row per action with its meaning and counts."""
    ws = w.ws
    counts = action_counts(result.results, followup)
    w.add("What to do", style=styles.SECTION)
    w.add(what_to_do(counts) + ".", style=styles.LABEL)
    w.header("Action", "What it means", "Listings", "New since last scan")
    for a in ("pull now", "check authorization", "fix title", "review"):
        n, n_new = counts[a]
        ws.row_dimensions[w.row + 1].height = 15.0 * max(1, -(-len(ACTION_HELP[a]) // 38)) + 2
        w.add(a, text_cell(ws, ACTION_HELP[a], styles.WRAP), n, n_new)
    if kept_count:
        w.add("already decided", f"{kept_count} risky listing(s) you decided to keep (sheet 'Kept')")


def _write_duplicates(w: _Writer, dups: list[Any]) -> None:
    """The SKUs that appear more than once (nothing when there are none)."""
    if not dups:
        return
    w.blank()
    w.add("Duplicate SKUs", style=styles.SECTION)
    w.add(f"{len(dups)} SKU(s) appear more than once: each row is scanned and listed; check your export.")
    w.header("SKU", "Rows", "Times")
    for d in dups[:50]:
        rows = d.get("rows", []) if isinstance(d, dict) else []
        w.add(str(d.get("sku", "")) if isinstance(d, dict) else str(d), _where(d, rows),
              int(d.get("count", len(rows))) if isinstance(d, dict) else None)
    if len(dups) > 50:
        w.add(f"… and {len(dups) - 50} more")


def _where(dup: Any, rows: list[Any], shown: int = 20) -> str:
    """The rows of a duplicate SKU: ``2, 7`` in one file, ``a.txt 2; b.txt 2`` across files."""
    files = dup.get("row_files", []) if isinstance(dup, dict) else []
    more = " …" if len(rows) > shown else ""
    if len(set(files)) < 2 or len(files) != len(rows):
        return ", ".join(str(r) for r in rows[:shown]) + more
    by_file: dict[str, list[str]] = {}
    for f, r in zip(files[:shown], rows[:shown], strict=True):
        by_file.setdefault(f, []).append(str(r))
    return "; ".join(f"{f} {', '.join(rs)}" for f, rs in by_file.items()) + more


def _write_top_marks(w: _Writer, res: pd.DataFrame) -> None:
    """The owners and the marks behind the risky listings."""
    marks, owners = top_marks(res)
    w.add("Top owners involved", style=styles.SECTION)
    if owners:
        w.header("Owner", "Risky listings")
        for o, n in owners:
            w.add(o, n)
    else:
        w.add("(none)")
    w.blank()
    w.add("Top marks involved", style=styles.SECTION)
    if marks:
        w.header("Mark", "Owner", "Risky listings", "High risk")
        for m, o, n, h in marks:
            w.add(m, o, n, h)
    else:
        w.add("(none)")


def _write_levels(w: _Writer, result: ScanResult, followup: pd.DataFrame, kept_count: int) -> tuple[int, int]:
    """Listings by risk level and the row counts; returns the first and last row of the level table (the
    chart's data)."""
    ws, res = w.ws, result.results
    w.add("Listings by risk level", style=styles.SECTION)
    table_top = w.header("Risk level", "Listings", "New since last scan", "Kept (decided)", "To act on")
    new = res["is_new"].astype(bool)
    kept_by_level = Counter(res.loc[followup["kept"].astype(bool).to_numpy(), "risk_level"])
    for level in BY_URGENCY:
        n = int((res["risk_level"] == level).sum())
        n_new = int((new & (res["risk_level"] == level)).sum())
        k = kept_by_level.get(level, 0) if level != "low" else 0
        w.add(level, n, n_new if level != "low" else None, k if level != "low" else None,
              n - k if level != "low" else None, style=styles.LEVEL[level])
    table_bottom = w.row
    c = result.counts
    w.add("total scanned", c["rows_scanned"], int(new.sum()), kept_count)
    w.add("rows rejected", c["rows_rejected"])
    w.add("rows read", c["rows_read"])
    if c.get("rows_folded"):
        w.add("rows folded", c["rows_folded"], text_cell(ws, "variant/image rows folded into their product", styles.TOP))
    w.add("Read", text_cell(ws, result.read_line(), styles.WRAP))
    return table_top, table_bottom


def _write_history(w: _Writer, result: ScanResult, followup: pd.DataFrame) -> None:
    """The scan id, the scan compared with, and the decisions carried over from it."""
    res = result.results
    hist = result.history or HistoryRecord()
    if hist.scan_id:
        w.add("Scan id", f"#{hist.scan_id} (scanner history {hist.path})")
    prev = hist.previous_scan
    w.add("Compared with", f"scan #{prev.id} of {prev.started}" if prev else
          (hist.previous_note or "nothing: first scan, so every risky listing counts as new"))
    decided = Counter(d for d in res["decision"] if d)
    if decided:
        w.add("Decisions carried over", ", ".join(f"{k} {v}" for k, v in sorted(decided.items())))
    changed = int(followup["note"].astype(str).str.startswith("text changed").sum())
    if changed:
        w.add("Flagged again", f"{changed} listing(s) whose text changed since you decided to keep them")


def _add_level_chart(w: _Writer, table_top: int, table_bottom: int) -> None:
    """A column chart of the level table, on rows of its own inside the printed width."""
    chart = BarChart()
    chart.type = "col"
    chart.title = "Listings by risk level"
    chart.y_axis.title = "listings"
    chart.legend = None
    chart.add_data(Reference(w.ws, min_col=2, min_row=table_top, max_row=table_bottom), titles_from_data=True)
    chart.set_categories(Reference(w.ws, min_col=1, min_row=table_top + 1, max_row=table_bottom))
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.showSerName = False
    chart.dataLabels.showCatName = False
    chart.dataLabels.showLegendKey = False
    chart.height, chart.width = 6, 11
    w.ws.add_chart(chart, f"A{w.row + 1}")  # on rows of its own, inside the printed width
    for _ in range(12):
        w.blank()


def _write_files(w: _Writer, result: ScanResult) -> None:
    """One row per input file, with its notes."""
    ws = w.ws
    w.add("Input files", style=styles.SECTION)
    w.header("File", "Format", "Encoding", "Rows read", "Scanned", "Rejected", "Folded")
    for f in result.files:
        w.add(f.path, f.format, f.encoding, f.rows_read, f.rows_ok, f.rows_rejected, getattr(f, "rows_folded", 0))
        for note in getattr(f, "notes", []) or []:
            note = str(note)
            note = note if len(note) <= _MAX_TEXT else note[: _MAX_TEXT - 2] + " …"
            ws.row_dimensions[w.row + 1].height = 15.0 * max(1, -(-len(note) // 38)) + 2
            w.add("", text_cell(ws, note, styles.WRAP))


_HOW_TO = (
    "1. Work through 'High risk', then 'Review', top to bottom: they are sorted by Action (pull now, check "
    "authorization, fix title, review), then by score. Filter the Action column to work on one kind at a time.",
    "2. Choose a Decision for each row: pull, edit, keep or authorized. Add Notes if you like (they come back "
    "next week). Save the file.",
    "3. Next week: scanner scan LISTINGS --out next.xlsx --previous THIS-FILE.xlsx (or run scanner decisions "
    "import THIS-FILE.xlsx). 'keep' and 'authorized' listings move to 'Kept' while their text stays the same.",
)


def _write_how_to(w: _Writer) -> None:
    w.add("How to use this report", style=styles.SECTION)
    for line in _HOW_TO:
        for part in textwrap.wrap(line, 95, subsequent_indent="   "):
            w.add(part)


def meta_rows(result: ScanResult) -> list[tuple[str, str]]:
    """The corpus and model facts for the hidden ``_scanner`` sheet (``corpus.*``, ``model.*``, thresholds)."""
    rows = [(f"corpus.{k}", v) for k, v in _info_rows(result.corpus_info, CORPUS_KEYS)]
    rows += [(f"model.{k}", v) for k, v in _info_rows(result.model_info, MODEL_KEYS) + _held_out(result.model_info)]
    rows += [(f"threshold.{k}", f"{float(v):g}") for k, v in sorted(result.thresholds.items())]
    return rows
