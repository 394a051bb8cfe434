"""``scanner decisions import``: record the decisions of one or more reports in the scan history."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..text import brand_key
from .decisions import read_decisions
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
    summary = ImportSummary()
    read = [read_decisions(p, default_marketplace=default_marketplace) for p in reports]
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
    if use_history:
        with HistoryStore(history) as store, store.transaction():
            for rep in read:
                summary.recorded += store.add_decisions(
                    rep.seller, ((mkt, sku, d) for (mkt, sku), d in rep.decisions.items()))
                summary.notes_recorded += store.add_notes(
                    rep.seller, ((mkt, sku, n) for (mkt, sku), n in rep.notes.items()))
            summary.history_path = str(store.path)
    if update_profile is not None and summary.authorized_marks:
        summary.profile_added = update_authorized_brands(update_profile, summary.authorized_marks)
    return summary


__all__ = ["ImportSummary", "import_decisions", "norm_marketplace"]
