"""Checks a scan makes on what it read, reported as one warning line each (never silently):

- :func:`duplicate_skus`: the same SKU on several scanned rows of one marketplace (rows are kept);
- :func:`brand_hint`: the profile declares no brands of the seller's own while most listings declare one,
  so every listing's own brand may be reported as a third-party mark.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .config import SellerProfile
from .placeholders import PLACEHOLDER_KEYS
from .text import brand_key

#: Brand-field values that mean "no brand", as brand keys (one list: :mod:`scanner.placeholders`).
PLACEHOLDER_BRANDS: frozenset[str] = PLACEHOLDER_KEYS
#: The share of scanned rows that must declare a brand before :func:`brand_hint` speaks.
BRAND_HINT_SHARE = 0.5
_LISTED = 10  # SKUs named in the warning line before "..."


def duplicate_skus(listings: pd.DataFrame) -> list[dict[str, Any]]:
    """SKUs that appear on more than one scanned row of the same marketplace, most rows first.

    Each: ``{"sku", "marketplace", "count", "rows", "files", "row_files"}`` where ``rows`` are the source
    rows (line or sheet row) in reading order, ``row_files`` the file name of each of them and ``files`` the
    distinct file names. Empty SKUs are ignored.
    """
    if listings.empty or "sku" not in listings.columns:
        return []
    sku = listings["sku"].astype(str).str.strip()
    mkt = listings["marketplace"].astype(str) if "marketplace" in listings.columns else pd.Series("", index=listings.index)
    frame = pd.DataFrame({"sku": sku, "marketplace": mkt,
                          "row": listings.get("source_row", pd.Series(0, index=listings.index)),
                          "file": listings.get("source_file", pd.Series("", index=listings.index)).astype(str)})
    frame = frame[frame["sku"] != ""]
    dup = frame[frame.duplicated(["sku", "marketplace"], keep=False)]
    out = []
    for (s, m), group in dup.groupby(["sku", "marketplace"], sort=False):
        names = [f.replace("\\", "/").rsplit("/", 1)[-1] for f in group["file"]]
        out.append({
            "sku": s, "marketplace": m, "count": len(group),
            "rows": [int(r) for r in group["row"]],
            "files": list(dict.fromkeys(names)),
            "row_files": names,
        })
    out.sort(key=lambda d: -d["count"])  # stable: first seen first among equal counts
    return out


def duplicate_warning(dups: list[dict[str, Any]]) -> str:
    """``"2 SKUs appear more than once: A (2 rows), B (3 rows); each row is scanned and reported"``."""
    if not dups:
        return ""
    named = ", ".join(f"{d['sku']} ({d['count']} rows)" for d in dups[:_LISTED])
    more = f", ... and {len(dups) - _LISTED} more" if len(dups) > _LISTED else ""
    noun = "SKU appears" if len(dups) == 1 else "SKUs appear"
    return f"{len(dups)} {noun} more than once: {named}{more}; each row is scanned and reported"


def brand_hint(listings: pd.DataFrame, profile: SellerProfile) -> str:
    """The warning for a profile with no own (and no authorized) brands while most scanned rows declare a
    real brand (not a placeholder such as Generic, nor the seller's store name); "" otherwise."""
    if profile.own_brands or profile.authorized_brands or listings.empty or "brand" not in listings.columns:
        return ""
    keys = listings["brand"].astype(str).map(brand_key)
    ignore = PLACEHOLDER_BRANDS | ({brand_key(profile.name)} if profile.name else set())
    named = keys[(keys != "") & ~keys.isin(ignore)]
    if len(named) <= BRAND_HINT_SHARE * len(listings):
        return ""
    where = f" ({profile.source})" if profile.source else " (no --config given)"
    return (f"{len(named)} of {len(listings)} listings name a brand, but your seller profile{where} lists no "
            "own or authorized brands, so your own brand may be reported as a third-party mark: run "
            "`scanner profile init LISTINGS --out seller.toml` and keep your brands")
