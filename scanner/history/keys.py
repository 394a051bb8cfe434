"""How the history recognises a listing from one week to the next.

- **listing key**: the listing's marketplace (its own ``marketplace`` column, filled from the seller
  profile when the file does not say) plus its SKU. A listing without a SKU is keyed by ``asin:<ASIN>``;
  one with neither has no key (it is never matched with an earlier scan or decision).
- **text hash**: a hash of the listing's text fields (title, brand, bullets, description, keywords), so
  that a decision taken on one wording is not silently applied to another.
"""

from __future__ import annotations

import hashlib
import unicodedata

import pandas as pd

#: The fields whose text the hash covers (the text fields the matcher searches).
HASHED_FIELDS: tuple[str, ...] = ("title", "brand", "bullets", "description", "keywords")


def text_hash(title: str = "", brand: str = "", bullets: str = "", description: str = "", keywords: str = "") -> str:
    """16 hex digits identifying the wording of a listing (Unicode NFC, surrounding whitespace ignored)."""
    parts = [unicodedata.normalize("NFC", str(v or "")).strip() for v in (title, brand, bullets, description, keywords)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def text_hashes(listings: pd.DataFrame) -> pd.Series:
    """:func:`text_hash` of every row of a listings table (same index)."""
    cols = [listings[c] if c in listings.columns else pd.Series("", index=listings.index) for c in HASHED_FIELDS]
    normal = unicodedata.normalize
    sha256 = hashlib.sha256
    out = []
    for row in zip(*(c.fillna("").astype(str).tolist() for c in cols), strict=True):
        # what text_hash does; an ASCII text is its own NFC form
        parts = [(v if v.isascii() else normal("NFC", v)).strip() if type(v) is str else normal("NFC", str(v or "")).strip()
                 for v in row]
        out.append(sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16])
    return pd.Series(out, index=listings.index, dtype=object)


def sku_key(sku: str, asin: str = "") -> str:
    """The SKU part of a listing key: the SKU (trimmed), else ``asin:<ASIN>``, else ``""`` (no key)."""
    sku = str(sku or "").strip()
    if sku:
        return sku
    asin = str(asin or "").strip().upper()
    return f"asin:{asin}" if asin else ""


def norm_marketplace(code: str, default: str = "") -> str:
    """Marketplace codes compare upper-case; ``GB`` is stored as ``UK`` (the same Amazon site)."""
    code = str(code or "").strip().upper() or default.upper()
    return "UK" if code == "GB" else code
