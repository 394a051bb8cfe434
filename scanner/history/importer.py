"""``scanner decisions import``: record the decisions of one or more reports in the scan history.

Everything is checked before anything is written: the reports (each must name its seller, on its hidden
``_scanner`` sheet, so that its decisions are filed under that seller) and, with ``update_profile``, the
seller profile. The profile is then edited inside the history's transaction, so that the decisions and the
profile change together or not at all.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..config import load_profile
from ..errors import InputError
from ..text import brand_key
from .decisions import ReportDecisions, read_decisions
from .keys import norm_marketplace
from .profile_edit import update_authorized_brands
from .store import HistoryStore


@dataclass
class ImportSummary:
    """What an import did."""

    counts: Counter[str] = field(default_factory=Counter)  # decisions read, by value
    recorded: int = 0  # new decisions stored (a decision equal to the one in force is not stored again)
    problems: list[str] = field(default_factory=list)
    authorized_marks: list[str] = field(default_factory=list)  # marks of 'authorized' decisions
    profile_added: list[str] = field(default_factory=list)  # names added to authorized_brands
    history_path: str = ""
    notes: int = 0  # notes read (non-empty Notes cells)
    notes_recorded: int = 0  # new or changed notes stored


def _summarise(read: list[ReportDecisions]) -> ImportSummary:
    summary = ImportSummary()
    marks: dict[str, str] = {}
    for rep in read:
        summary.problems.extend(rep.problems)
        summary.counts.update(d.decision for d in rep.decisions.values())
        summary.notes += len(rep.notes)
        for d in rep.decisions.values():
            if d.decision == "authorized":
                for m in d.marks.split(";"):
                    if m.strip():
                        marks.setdefault(brand_key(m), m.strip())
    summary.authorized_marks = list(marks.values())
    return summary


def _check_seller(rep: ReportDecisions) -> None:
    if not rep.has_seller:
        raise InputError("the report does not say which seller it was made for (its hidden _scanner sheet is "
                         "missing), so its decisions cannot be filed; give it to the next scan with --previous "
                         "instead, which applies it to that scan's seller profile", path=rep.path)


def import_decisions(
    reports: list[str | Path],
    *,
    history: str | Path | None = None,
    use_history: bool = True,
    update_profile: str | Path | None = None,
    default_marketplace: str = "US",
) -> ImportSummary:
    """Read the Decision and Notes columns of ``reports`` (a later report wins), store them in the history and, with
    ``update_profile``, add the marks of 'authorized' decisions to that seller profile."""
    if update_profile is not None:
        load_profile(update_profile)  # a profile that cannot be used stops the import before anything is written
    store = HistoryStore(history) if use_history else None
    try:
        read = [read_decisions(p, default_marketplace=default_marketplace, store=store) for p in reports]
        summary = _summarise(read)
        if store is None:
            if update_profile is not None and summary.authorized_marks:
                summary.profile_added = update_authorized_brands(update_profile, summary.authorized_marks)
            return summary
        for rep in read:
            _check_seller(rep)
        with store.transaction():
            for rep in read:
                summary.recorded += store.add_decisions(
                    rep.seller, ((mkt, sku, d) for (mkt, sku), d in rep.decisions.items()))
                summary.notes_recorded += store.add_notes(
                    rep.seller, ((mkt, sku, n) for (mkt, sku), n in rep.notes.items()))
            if update_profile is not None and summary.authorized_marks:  # a failure here records nothing
                summary.profile_added = update_authorized_brands(update_profile, summary.authorized_marks)
        summary.history_path = str(store.path)
        return summary
    finally:
        if store is not None:
            store.close()


__all__ = ["ImportSummary", "import_decisions", "norm_marketplace"]
