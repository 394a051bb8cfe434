"""Complaints + the seller's listings -> training labels in the fixed labels format.

A listing is matched to a complaint by ASIN; failing that by SKU (when the notice names one, as Account
Health pages do); failing that by exactly the same title (case and spacing aside) as a last resort.
A complained-about listing is labelled ``2`` (high). Listings without a complaint are not labelled
unless ``negatives=True``: a listing nobody complained about is not proof that it is safe (the rights
owner may not have found it yet, or may not enforce on this marketplace), so calling it ``0`` is a choice
the seller makes, not a fact from the notices.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import ConfigError
from ..listings import read_listings
from ..progress import Progress
from .csvio import read_notices
from .types import DEFAULT_TYPES, TYPE_CHOICES

#: labels.csv columns: the fixed ``sku,label`` first, then what the complaint said.
LABEL_COLUMNS: tuple[str, ...] = ("sku", "label", "asin", "usage", "marks", "owners", "note", "complaint_id")
_UNMATCHED_COLUMNS = ("asin", "sku", "title", "complaint_id", "trademark", "notice_date", "source_file", "reason")


@dataclass
class LabelResult:
    """Labels (:data:`LABEL_COLUMNS`), the complaints that matched no listing, and counts."""

    labels: pd.DataFrame
    unmatched: pd.DataFrame  # complaints that matched no listing, with the reason
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def parse_types(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"trademark,counterfeit"`` / ``"all"`` -> the complaint types to label (one-line error if unknown)."""
    if value is None:
        return DEFAULT_TYPES
    items = [v.strip().lower() for v in (value.split(",") if isinstance(value, str) else value) if v.strip()]
    if "all" in items:
        return TYPE_CHOICES
    unknown = [v for v in items if v not in TYPE_CHOICES]
    if unknown or not items:
        raise ConfigError(f"--types: unknown type(s) {', '.join(unknown) or '(none)'}; use any of "
                          f"{', '.join(TYPE_CHOICES)} or all")
    return tuple(items)


def _title_key(title: str) -> str:
    return " ".join(str(title).casefold().split())


def _lower(text: str) -> str:
    return " ".join(str(text).split()).lower()


def build_labels(
    notices: pd.DataFrame,
    listings: pd.DataFrame,
    *,
    negatives: bool = False,
    types: Iterable[str] = DEFAULT_TYPES,
) -> LabelResult:
    """Label the listings the ``notices`` (:data:`~scanner.notices.schema.NOTICE_COLUMNS`) complained about.

    ``listings`` is the canonical listing table (``sku``, ``asin``, ``title`` used). Complaints whose type
    is not in ``types`` ("unstated" = no type in the notice) are counted, not labelled. Listings matched
    by a complaint but without a SKU cannot be written in the labels format and are counted.
    """
    types = tuple(types)
    listings = listings.reset_index(drop=True)
    by_asin: dict[str, list[int]] = {}
    by_sku: dict[str, list[int]] = {}
    by_title: dict[str, list[int]] = {}
    for idx, (sku, asin, title) in enumerate(zip(listings["sku"], listings["asin"], listings["title"], strict=True)):
        if str(asin).strip():
            by_asin.setdefault(str(asin).strip().upper(), []).append(idx)
        if str(sku).strip():
            by_sku.setdefault(str(sku).strip(), []).append(idx)
        if _title_key(title):
            by_title.setdefault(_title_key(title), []).append(idx)

    complaints: dict[int, list[tuple[dict, str]]] = {}
    excluded_listings: set[int] = set()
    unmatched, matched_by = [], {"asin": 0, "sku": 0, "title": 0}
    excluded = 0
    for rec in notices.to_dict(orient="records"):
        kind = rec.get("infringement_type", "") or "unstated"
        hits, how = _match(rec, by_asin, by_sku, by_title)
        if kind not in types:
            excluded += 1
            excluded_listings.update(hits)
            continue
        if not hits:
            unmatched.append({c: rec.get(c, "") for c in _UNMATCHED_COLUMNS[:-1]}
                             | {"reason": "no listing with this ASIN" + (", SKU" if rec.get("sku") else "")
                                + (" or title" if rec.get("title") else "")})
            continue
        matched_by[how] += 1
        for idx in hits:
            complaints.setdefault(idx, []).append((rec, how))

    rows: dict[str, dict[str, object]] = {}
    no_sku = 0
    for idx in sorted(complaints):
        sku = str(listings.at[idx, "sku"]).strip()
        if not sku:
            no_sku += 1
            continue
        row = rows.setdefault(sku, {"sku": sku, "label": 2, "asin": str(listings.at[idx, "asin"]).strip(),
                                    "usage": "", "_complaints": []})
        for item in complaints[idx]:
            if item not in row["_complaints"]:
                row["_complaints"].append(item)
    labels = [_positive_row(row) for row in rows.values()]
    negative_count = 0
    if negatives:
        seen = set(rows)
        for idx in range(len(listings)):
            sku = str(listings.at[idx, "sku"]).strip()
            if not sku or sku in seen or idx in excluded_listings or idx in complaints:
                continue
            seen.add(sku)
            negative_count += 1
            labels.append({"sku": sku, "label": 0, "asin": str(listings.at[idx, "asin"]).strip(), "usage": "",
                           "marks": "", "owners": "", "complaint_id": "",
                           "note": "no complaint among the imported notices (not proof of no risk)"})
    table = pd.DataFrame(labels, columns=list(LABEL_COLUMNS))
    table["label"] = table["label"].astype("int64")
    counts = {
        "complaints": len(notices),
        "matched": sum(matched_by.values()),
        "matched_by_asin": matched_by["asin"],
        "matched_by_sku": matched_by["sku"],
        "matched_by_title": matched_by["title"],
        "unmatched": len(unmatched),
        "excluded_type": excluded,
        "high": len(rows),
        "low": negative_count,
        "matched_without_sku": no_sku,
    }
    return LabelResult(labels=table, unmatched=pd.DataFrame(unmatched, columns=list(_UNMATCHED_COLUMNS)),
                       counts=counts)


def _match(rec: dict, by_asin, by_sku, by_title) -> tuple[list[int], str]:
    asin = str(rec.get("asin", "")).strip().upper()
    if asin and asin in by_asin:
        return by_asin[asin], "asin"
    sku = str(rec.get("sku", "")).strip()
    if sku and sku in by_sku:
        return by_sku[sku], "sku"
    title = _title_key(rec.get("title", ""))
    if title and title in by_title:
        return by_title[title], "title"
    return [], ""


def _positive_row(row: dict) -> dict[str, object]:
    pairs: list[tuple[str, str]] = []
    ids: list[str] = []
    notes: list[str] = []
    seen: set = set()
    for rec, how in row.pop("_complaints"):
        # one complaint listing several ASINs can reach a listing twice (by ASIN, and by title for another)
        key = rec.get("complaint_id") or (rec.get("notice_date"), rec.get("trademark"), rec.get("rights_owner"),
                                          rec.get("asin"))
        if key in seen:
            continue
        seen.add(key)
        mark, owner = _lower(rec.get("trademark", "")), _lower(rec.get("rights_owner", ""))
        if mark and (mark, owner) not in pairs:
            pairs.append((mark, owner))
        cid = rec.get("complaint_id", "")
        if cid and cid not in ids:
            ids.append(cid)
        what = rec.get("infringement_type", "") or "complaint"
        detail = ", ".join(x for x in (rec.get("rights_owner", ""), rec.get("notice_date", "")) if x)
        mark_text = f" '{rec['trademark']}'" if rec.get("trademark") else ""
        notes.append(f"{what}{mark_text}" + (f" ({detail})" if detail else "") + f", matched by {how}")
    row["marks"] = ";".join(m for m, _ in pairs)
    row["owners"] = ";".join(o for _, o in pairs)
    row["complaint_id"] = ";".join(ids)
    row["note"] = re.sub(r"\s+", " ", "; ".join(dict.fromkeys(notes)))
    return row


def make_labels(
    notices_path: str | Path,
    listing_paths: Iterable[str | Path],
    *,
    encoding: str | None = None,
    column_map: dict[str, str] | None = None,
    negatives: bool = False,
    types: Iterable[str] = DEFAULT_TYPES,
    progress: Progress | None = None,
) -> LabelResult:
    """Read a notices CSV and the listing exports (:func:`scanner.listings.read_listings`), then
    :func:`build_labels`. ``counts`` also gives the listing rows read and rejected."""
    notices = read_notices(notices_path)
    read = read_listings(list(listing_paths), encoding=encoding, column_map=column_map, progress=progress)
    result = build_labels(notices.drop(columns=["_row"]), read.listings, negatives=negatives, types=types)
    result.counts["listings"] = len(read.listings)
    result.counts["listing_rows_rejected"] = len(read.rejected)
    return result
