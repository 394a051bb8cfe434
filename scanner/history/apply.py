"""The history stage of ``run_scan``: what changed since last time, and what the seller already decided.

For every listing of a scan (see :mod:`scanner.history.keys` for how listings are recognised):

- ``is_new`` is true when the listing is risky (``high`` or ``medium``) and was **not** at that level or
  higher in the previous scan of the same seller profile (seller name + marketplace) in the history:
  a listing absent from that scan, ``low`` -> ``medium``/``high`` and ``medium`` -> ``high`` are new;
  ``high`` -> ``medium`` and unchanged levels are not. With no previous scan (first scan, or
  ``--no-history`` without ``--previous``) every risky listing is new. When the history holds no earlier
  scan of this seller (``--no-history``, or a new or empty history) and ``--previous`` is given, the
  previous report's All listings sheet stands in for the previous scan.
- the notes typed in a report's Notes column (imported like the decisions) are shown again in the Notes
  column of the next reports (``notes`` of the follow-up table), whatever the text.
- the decision in force is the newest imported one (``scanner decisions import`` or ``--previous``):
  ``keep`` / ``authorized`` on the same text (same text hash) moves the listing to the ``Kept`` sheet;
  on changed text the listing comes back on High risk / Review with a note, and no decision;
  ``pull`` / ``edit`` are carried to the ``decision`` column (with a note when the text changed). A decision
  stored without a text hash (its report had lost the Text hash column) is not known to be on this text: a
  ``keep`` / ``authorized`` is not applied and the note asks to decide again; ``pull`` / ``edit`` are carried
  with a note saying so.
- a ``--previous`` report made for another seller name or marketplace (or one that does not say, its
  hidden ``_scanner`` sheet deleted) is applied by its keys as they are, with a warning that says how many
  of its decisions match a listing of this scan (a marketplace's decisions are never moved to another's).

``apply_history`` leaves the ``ScanResult`` it is given as it is and yields a new one
(:func:`dataclasses.replace`) whose ``results`` carry ``is_new`` and ``decision``, with the ``followup``
table and a :class:`~scanner.scan_result.HistoryRecord`; it is a context manager so that the scan is
recorded in the same transaction as the outputs (written from the new result) are written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..levels import LEVEL_RANK, RISKY
from ..progress import Progress
from ..progress import get as _progress
from ..scan_result import HistoryRecord, PreviousScan
from ..text import brand_key
from .decisions import ReportDecisions, read_decisions
from .keys import norm_marketplace, sku_key, text_hashes
from .store import Decision, HistoryStore, Note, same_decision

if TYPE_CHECKING:
    from ..config import ScanConfig
    from ..scan_result import ScanResult


def _date(stamp: str) -> str:
    return str(stamp or "")[:10] or "an earlier date"


def base_followup(result: ScanResult) -> pd.DataFrame:
    """Keys and text hashes of every result row, with no decision applied."""
    res = result.results
    listings = result.listings.reindex(res.index)
    default = result.profile.marketplace
    return pd.DataFrame({
        "marketplace": [norm_marketplace(m, default) for m in res["marketplace"].tolist()],
        "key": [sku_key(s, a) for s, a in zip(res["sku"].tolist(), res["asin"].tolist(), strict=True)],
        "text_hash": text_hashes(listings),
        "decided": "", "decided_at": "", "kept": False, "note": "", "prev_level": "", "notes": "",
    }, index=res.index)


def compute_followup(
    result: ScanResult,
    previous_levels: dict[tuple[str, str], str] | None,
    decisions: dict[tuple[str, str], Decision],
    notes: dict[tuple[str, str], Note] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(results, followup)``: a copy of ``result.results`` with ``is_new`` / ``decision`` filled, and the
    follow-up table (``result`` is not changed).

    ``previous_levels`` is ``{(marketplace, sku): level}`` of the previous scan, or ``None`` when there is
    none (then every risky listing is new). ``notes`` are the notes in force, shown again (``notes``).
    """
    res = result.results
    fu = base_followup(result)
    # keys several listings of this scan share (a SKU listed twice): a decision is for one of their texts
    counts = Counter(zip(fu["marketplace"].tolist(), fu["key"].tolist(), strict=True))
    is_new, decision, decided, decided_at, kept, note, prev = [], [], [], [], [], [], []
    for mkt, key, h, level in zip(fu["marketplace"].tolist(), fu["key"].tolist(), fu["text_hash"].tolist(),
                                  res["risk_level"].tolist(), strict=True):
        pl = previous_levels.get((mkt, key), "") if (previous_levels is not None and key) else ""
        risky = level in RISKY
        new = risky and (previous_levels is None or not key or LEVEL_RANK.get(pl, -1) < LEVEL_RANK[level])
        parts = []
        if risky and previous_levels is not None and key:
            if not pl:
                parts.append("not in the previous scan")
            elif pl != level:
                parts.append(f"was {pl} in the previous scan")
        d = decisions.get((mkt, key)) if key else None
        dec, keep = "", False
        if d is not None:
            dec, keep = _apply_decision(d, h, parts, shared=counts[(mkt, key)] > 1)
        is_new.append(bool(new))
        decision.append(dec)
        decided.append(d.decision if d is not None else "")
        decided_at.append(d.decided_at if d is not None else "")
        kept.append(keep)
        note.append("; ".join(parts))
        prev.append(pl)
    res = res.assign(is_new=is_new, decision=decision)
    fu["note"] = note
    fu["decided"] = [d if k else (d if d in ("pull", "edit") else "") for d, k in zip(decided, kept, strict=True)]
    fu["decided_at"] = decided_at
    fu["kept"] = kept
    fu["prev_level"] = prev
    if notes:
        fu["notes"] = [notes[(m, k)].note if k and (m, k) in notes else ""
                       for m, k in zip(fu["marketplace"].tolist(), fu["key"].tolist(), strict=True)]
    return res, fu


def _apply_decision(d: Decision, text_hash: str, parts: list[str], *, shared: bool = False) -> tuple[str, bool]:
    """``(decision shown, kept)`` for the decision ``d`` on a listing whose text hash is ``text_hash``; the
    note goes to ``parts``. ``shared``: other listings of the scan have the same SKU, so another text than
    the one decided on is another listing, not an edit."""
    when = _date(d.decided_at)
    if not d.text_hash:
        if d.decision in ("keep", "authorized"):
            parts.insert(0, f"you decided '{d.decision}' on {when} on a report without its Text hash column, so "
                            "it is not known whether this is the text you decided on: decide again")
            return "", False
        parts.append(f"you decided '{d.decision}' on {when}; its report had no Text hash column, so edits "
                     "since cannot be told")
        return d.decision, False
    same = d.text_hash == text_hash
    if d.decision in ("keep", "authorized"):
        if same:
            parts.append(f"you decided '{d.decision}' on {when}")
            return d.decision, True
        if shared:
            parts.insert(0, f"its SKU is on several listings: your '{d.decision}' of {when} was for one with another "
                            "text, so this one is not decided: decide it (and give it its own SKU)")
        else:
            parts.insert(0, f"text changed since you decided '{d.decision}' on {when}")
        return "", False
    parts.append(f"you decided '{d.decision}' on {when}" + ("" if same else "; the text has changed since"))
    return d.decision, False


def authorized_suggestions(result: ScanResult, fu: pd.DataFrame) -> list[str]:
    """Marks of listings decided 'authorized' that the seller profile does not list yet."""
    marks: dict[str, str] = {}
    for mk, d in zip(result.results["marks"].tolist(), fu["decided"].tolist(), strict=True):
        if d != "authorized":
            continue
        for m in str(mk).split(";"):
            if m and not result.profile.is_authorized(m) and not result.profile.is_own(m):
                marks.setdefault(brand_key(m), m)
    return list(marks.values())


def _scan_record(result: ScanResult, config: ScanConfig) -> dict[str, Any]:
    ci, mi = result.corpus_info, result.model_info
    counts = dict(result.counts)
    counts["new"] = int(result.results["is_new"].astype(bool).sum())
    counts["kept"] = int(result.followup["kept"].sum()) if result.followup is not None else 0
    outputs = [str(p) for p in (config.out, config.csv, config.json) if p is not None]
    return {
        "seller": result.profile.name, "marketplace": result.profile.marketplace,
        "started": result.started, "finished": result.finished,
        "scanner_version": str(result.extra.get("scanner_version", "")),
        "corpus_name": str(ci.get("name", "")), "corpus_hash": str(ci.get("content_hash", "")), "corpus_info": ci,
        "model_name": str(mi.get("name", "")), "model_version": str(mi.get("version", mi.get("format_version", ""))),
        "model_info": mi, "thresholds": result.thresholds, "counts": counts, "outputs": outputs,
    }


def _history_listings(result: ScanResult, fu: pd.DataFrame) -> pd.DataFrame:
    res = result.results
    frame = pd.DataFrame({
        "marketplace": fu["marketplace"], "sku": fu["key"], "asin": res["asin"],
        "title": [t if lvl in RISKY else None for t, lvl in zip(res["title"].tolist(), res["risk_level"].tolist(), strict=True)],
        "text_hash": fu["text_hash"], "risk_level": res["risk_level"], "risk_score": res["risk_score"].astype(float),
        "marks": res["marks"], "owners": res["owners"], "is_new": res["is_new"].astype(bool).astype(int),
        "decision": res["decision"],
    }, index=res.index)
    frame = frame[frame["sku"] != ""]
    return frame.drop_duplicates(["marketplace", "sku"], keep="first")  # results are most urgent first


def merge_report_notes(
    notes: dict[tuple[str, str], Note], reports: list[ReportDecisions]
) -> list[tuple[str, str, Note]]:
    """Apply the notes of ``reports`` (a later report wins) over ``notes``; returns the new records to store."""
    added = []
    for rep in reports:
        for key, n in rep.notes.items():
            now = notes.get(key)
            if now is not None and now.note == n.note:
                continue
            notes[key] = n
            added.append((key[0], key[1], n))
    return added


def merge_report_decisions(
    decisions: dict[tuple[str, str], Decision], reports: list[ReportDecisions]
) -> list[tuple[str, str, Decision]]:
    """Apply the decisions of ``reports`` (in order; a later report wins) over ``decisions``; returns the new
    records to store. A decision equal to the one in force keeps its earlier date."""
    added = []
    for rep in reports:
        for key, d in rep.decisions.items():
            if same_decision(decisions.get(key), d):
                continue
            decisions[key] = d
            added.append((key[0], key[1], d))
    return added


def other_seller_warnings(reports: list[ReportDecisions], result: ScanResult, fu: pd.DataFrame) -> list[str]:
    """A warning per ``--previous`` report made for another seller name or marketplace than this scan's (or
    that does not say), with how many of its decisions match a listing of this scan, and so are applied."""
    name, market = result.profile.name, result.profile.marketplace
    keys = set(zip(fu["marketplace"].tolist(), fu["key"].tolist(), strict=True))
    out = []
    for rep in reports:
        if rep.has_seller and (rep.seller, norm_marketplace(rep.marketplace)) == (name, market):
            continue
        made = (f"was made for seller {rep.seller!r} ({rep.marketplace})" if rep.has_seller else
                "does not say which seller it was made for (its hidden _scanner sheet is missing)")
        total, hits = len(rep.decisions), sum(k in keys for k in rep.decisions)
        this = f"{name!r} ({market})"
        if hits == total:
            applied = f"its {total} decision(s) are applied to {this}"
        elif hits == 0:
            markets = ", ".join(sorted({m for m, _k in rep.decisions}))
            applied = (f"none of its {total} decision(s) is applied to {this}: they are for {markets} listings "
                       "that are not in this scan")
        else:
            applied = (f"{hits} of its {total} decision(s) match listings of this scan and are applied to {this}; "
                       f"the other {total - hits} are not (listings of other marketplaces or not in this scan)")
        out.append(f"{rep.path.name} {made}; {applied}")
    return out


@contextmanager
def apply_history(result: ScanResult, config: ScanConfig, *, progress: Progress | None = None) -> Iterator[ScanResult]:
    """A new result: ``result`` with the history and earlier decisions applied (``result`` itself is not
    changed). The body of the ``with`` writes the outputs from it, and the scan is recorded (with
    ``--previous`` decisions) in the same transaction; the result yielded then carries the scan id::

        with apply_history(result, config) as result:
            write_outputs(result, config)
    """
    progress = _progress(progress)
    store = HistoryStore(config.history) if config.use_history else None
    try:
        reports = [read_decisions(p, default_marketplace=result.profile.marketplace, store=store)
                   for p in config.previous]
        previous = store.previous_scan(result.profile.name, result.profile.marketplace) if store else None
        if previous is not None:
            levels: dict[tuple[str, str], str] | None = store.levels(previous["id"])
        elif reports and any(r.levels for r in reports):  # no history, or a new one: --previous stands in
            levels = {}
            for rep in reports:  # later reports win
                levels.update(rep.levels)
        else:
            levels = None
        decisions = store.decisions(result.profile.name) if store else {}
        new_records = merge_report_decisions(decisions, reports)
        notes = store.notes(result.profile.name) if store else {}
        new_notes = merge_report_notes(notes, reports)
        results, followup = compute_followup(result, levels, decisions, notes)
        applied = replace(result, results=results, followup=followup)
        warnings = [w for rep in reports for w in rep.problems] + other_seller_warnings(reports, result, followup)
        record = HistoryRecord(
            path=str(store.path) if store else "",
            previous_scan=PreviousScan(id=previous["id"], started=previous["started"]) if previous else None,
            previous_note=("the previous report(s) given with --previous" if previous is None and levels is not None
                           else ""),
            decisions_imported=len(new_records),
            notes_imported=len(new_notes),
            authorized_marks=tuple(authorized_suggestions(applied, followup)),
            warnings=tuple(warnings),
            previous_report=str(config.previous[-1]) if config.previous else "",
            scan_id=None,
        )
        for w in warnings:
            progress.info(f"warning: {w}")
        if store is None:
            yield replace(applied, history=record)
            return
        with store.transaction():
            store.add_decisions(result.profile.name, new_records)
            store.add_notes(result.profile.name, new_notes)
            files = [{"path": f.path, "format": f.format, "encoding": f.encoding, "rows_read": f.rows_read,
                      "rows_scanned": f.rows_ok, "rows_rejected": f.rows_rejected} for f in result.files]
            scan_id = store.record_scan(_scan_record(applied, config), files, _history_listings(applied, followup))
            yield replace(applied, history=replace(record, scan_id=scan_id))
    finally:
        if store is not None:
            store.close()
