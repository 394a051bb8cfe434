"""What a report holds (:class:`ReportDecisions`), and from the values typed in it to one decision per
listing (:func:`resolve`).

- **Text hash**: a decision whose row has no text hash (the hidden Text hash column deleted or emptied)
  takes the hash of its listing from another sheet of the same report (All listings has every listing),
  else from the history's record of the report's scan; a decision still without one is warned about, per
  sheet (it cannot be checked against text changes).
- **Conflicts**: when a listing has different values on two sheets and one of them is the decision the
  report pre-filled (the decision recorded with the report's scan in the history), the other one is the
  seller's new decision and wins without a warning. Otherwise the first of High risk, Review, Kept, All
  listings wins, and every other value is warned about with its sheet and row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..numbers import ascii_digits
from .keys import norm_marketplace
from .store import Decision, Note

if TYPE_CHECKING:
    from .store import HistoryStore

Key = tuple[str, str]


@dataclass
class ReportDecisions:
    """What one report holds: the decisions by ``(marketplace, sku)``, the problems found, and the
    risk level of every listing on its All listings sheet (used for ``is_new`` without a history)."""

    path: Path
    decisions: dict[tuple[str, str], Decision] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    levels: dict[tuple[str, str], str] = field(default_factory=dict)
    decided_at: str = ""
    notes: dict[tuple[str, str], Note] = field(default_factory=dict)  # the non-empty Notes cells
    #: every valid value typed per listing, as (sheet, row, decision), in sheet order
    candidates: dict[tuple[str, str], list[tuple[str, int, Decision]]] = field(default_factory=dict)
    sources: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)  # sheet and row of each decision

    @property
    def seller(self) -> str:
        return self.meta.get("seller", "")

    @property
    def has_seller(self) -> bool:
        """The report names the seller it was made for (its hidden ``_scanner`` sheet is there)."""
        return "seller" in self.meta

    @property
    def marketplace(self) -> str:
        return self.meta.get("marketplace", "")


def recorded_scan(store: HistoryStore | None, rep: ReportDecisions) -> dict[Key, tuple[str, str]]:
    """``{(marketplace, sku): (pre-filled decision, text hash)}`` of the scan the report was made by, when
    ``store`` recorded that scan (same id, start time, seller and marketplace as the report's ``_scanner``
    sheet says); ``{}`` otherwise."""
    scan_id = rep.meta.get("scan_id", "")
    if store is None or not ascii_digits(scan_id):
        return {}
    scan = store.scan(int(scan_id))
    if scan is None or (str(scan["seller"]).strip(), scan["marketplace"], scan["started"]) != (
            rep.seller, norm_marketplace(rep.marketplace), rep.meta.get("scan_started", "")):
        return {}
    return store.scan_decisions(int(scan_id))


def _fill_hashes(rep: ReportDecisions, hashes: dict[Key, str], recorded: dict[Key, tuple[str, str]]) -> None:
    for key, candidates in rep.candidates.items():
        for _sheet, _row, d in candidates:
            if not d.text_hash:
                d.text_hash = hashes.get(key) or recorded.get(key, ("", ""))[1]


def _choose(rep: ReportDecisions, key: Key, prefilled: str) -> None:
    candidates = rep.candidates[key]
    values = {d.decision for _s, _r, d in candidates}
    if prefilled in values and len(values) > 1:  # the pre-filled value is stale: the seller changed it elsewhere
        candidates = [c for c in candidates if c[2].decision != prefilled]
    first_sheet, first_row, first = candidates[0]
    for sheet, row, d in candidates[1:]:
        if d.decision != first.decision:
            rep.problems.append(f"{rep.path.name}, sheet {sheet!r} row {row}: SKU {key[1]!r} is {d.decision!r} here "
                                f"but {first.decision!r} on sheet {first_sheet!r} row {first_row}; kept "
                                f"{first.decision!r}")
    rep.decisions[key] = first
    rep.sources[key] = (first_sheet, first_row)


def _warn_hashless(rep: ReportDecisions) -> None:
    missing = Counter(rep.sources[k][0] for k, d in rep.decisions.items() if not d.text_hash)
    for sheet, n in missing.items():
        rep.problems.append(
            f"{rep.path.name}, sheet {sheet!r}: {n} decision(s) without a text hash (the hidden Text hash column "
            "is missing or empty) cannot be checked against text changes; a 'keep' or 'authorized' among them is "
            "not applied until you decide again on a report with its Text hash column")


def resolve(rep: ReportDecisions, hashes: dict[Key, str], store: HistoryStore | None = None) -> None:
    """Fill ``rep.decisions`` from ``rep.candidates`` (see the module docstring); ``hashes`` are the text
    hashes the report shows per listing, ``store`` the history that may have recorded the report's scan."""
    needed = any(not d.text_hash or d.decision != candidates[0][2].decision
                 for candidates in rep.candidates.values() for _s, _r, d in candidates)
    recorded = recorded_scan(store, rep) if needed else {}
    _fill_hashes(rep, hashes, recorded)
    for key in rep.candidates:
        _choose(rep, key, recorded.get(key, ("", ""))[0])
    _warn_hashless(rep)
