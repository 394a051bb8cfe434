"""``scanner diff``: what changed between two recorded scans.

- **newly risky**: high/medium in scan B, and low or absent in scan A;
- **resolved**: high/medium in scan A, and low or absent in scan B;
- **changed**: high/medium in both, with another level or another text (text hash).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..levels import LEVEL_RANK, RISKY
from .store import HistoryStore

_COLS = ["marketplace", "sku", "asin", "title", "level_a", "level_b", "score_a", "score_b", "marks", "what"]


def _summary(scan: dict[str, Any]) -> dict[str, Any]:
    return {k: scan[k] for k in ("id", "seller", "marketplace", "started", "corpus_name", "corpus_hash",
                                 "model_name", "counts")}


def diff_scans(store: HistoryStore, scan_a: int, scan_b: int) -> dict[str, Any]:
    """Compare scan ``scan_a`` (before) with ``scan_b`` (after); lists of records, most urgent first."""
    a, b = store.scan_listings(scan_a), store.scan_listings(scan_b)
    m = a.merge(b, on=["marketplace", "sku"], how="outer", suffixes=("_a", "_b"))
    for side in ("a", "b"):
        m[f"risk_level_{side}"] = m[f"risk_level_{side}"].fillna("")
        m[f"title_{side}"] = m[f"title_{side}"].fillna("")
        m[f"asin_{side}"] = m[f"asin_{side}"].fillna("")
        m[f"marks_{side}"] = m[f"marks_{side}"].fillna("")
    la, lb = m["risk_level_a"], m["risk_level_b"]
    risky_a, risky_b = la.isin(RISKY), lb.isin(RISKY)
    out = pd.DataFrame({
        "marketplace": m["marketplace"], "sku": m["sku"],
        "asin": m["asin_b"].where(m["asin_b"] != "", m["asin_a"]),
        "title": m["title_b"].where(m["title_b"] != "", m["title_a"]),
        "level_a": la, "level_b": lb,
        "score_a": m["risk_score_a"], "score_b": m["risk_score_b"],
        "marks": m["marks_b"].where(m["marks_b"] != "", m["marks_a"]),
    })

    def what(row: pd.Series, kind: str, text_changed: bool) -> str:
        if kind == "new":
            return f"{row.level_b} (was {row.level_a})" if row.level_a else f"{row.level_b} (not in scan A)"
        if kind == "resolved":
            return "now low" if row.level_b else "not in scan B"
        parts = []
        if row.level_a != row.level_b:
            parts.append(f"{row.level_a} -> {row.level_b}")
        if text_changed:
            parts.append("text changed")
        return "; ".join(parts)

    text_changed = (m["text_hash_a"].fillna("") != m["text_hash_b"].fillna("")) & m["text_hash_a"].notna() & m["text_hash_b"].notna()
    masks = {
        "newly_risky": risky_b & ~risky_a,
        "resolved": risky_a & ~risky_b,
        "changed": risky_a & risky_b & ((la != lb) | text_changed),
    }
    result: dict[str, Any] = {"scan_a": _summary(store.scan(scan_a)), "scan_b": _summary(store.scan(scan_b))}
    for name, mask in masks.items():
        part = out[mask.to_numpy()].copy()
        tc = text_changed[mask.to_numpy()]
        kind = {"newly_risky": "new", "resolved": "resolved", "changed": "changed"}[name]
        part["what"] = [what(r, kind, bool(t)) for r, t in zip(part.itertuples(index=False), tc, strict=True)]
        level = (part["level_a"] if name == "resolved" else part["level_b"]).map(LEVEL_RANK).fillna(0)
        part = part.assign(_l=level, _s=part["score_b"].fillna(part["score_a"]))
        part = part.sort_values(["_l", "_s", "sku"], ascending=[False, False, True]).drop(columns=["_l", "_s"])
        part = part.astype({"score_a": object, "score_b": object})
        part = part.where(part.notna(), None)
        result[name] = part[_COLS].to_dict(orient="records")
    return result
