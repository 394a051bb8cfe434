"""Plain-word reasons per listing, consistent with the level the model gave it.

For each listing the (up to three) strongest third-party marks are described by the role the evidence
gives them, quoting the words around the match (in a medium or high listing, marks of kind "word" other
than the strongest are left out: they are noise beside the evidence):

* counterfeit cue    -- "'Nike' next to the counterfeit cue 'replica' ('replica nike shoes'): looks like a knock-off"
* declared brand     -- "'Canon' is declared as the brand; canon is not one of your brands"
* compatibility cue  -- "'iPad' referenced as compatible ('for iPad 2'): nominative use, review"
* scored low         -- "'Apple' looks like an ordinary word here ('Apple Slicer')"
* otherwise          -- "'Canon' used as the brand in the title ('canon pg-30 black'); canon is not one of
  your brands" (or the product-line / team / character variants).

Listings without a third-party mark say so, naming the seller's own or authorized brands found.
"""

from __future__ import annotations

import re

import pandas as pd

from ..config import SellerProfile
from ..features import strongest_matches
from ..text import brand_key

_TOKEN = re.compile(r"[\w.+/&'’-]+", re.UNICODE)
_KIND_WORDS = {"franchise": "franchise", "character": "character", "team": "team name"}


def snippet(text: str, start: int, end: int, before: int = 1, after: int = 2) -> str:
    """The match with up to ``before`` words before it and ``after`` words after it."""
    head = [m for m in _TOKEN.finditer(text[:start])][-before:] if before else []
    tail = list(_TOKEN.finditer(text, end))[:after] if after else []
    s = head[0].start() if head else start
    e = tail[-1].end() if tail else end
    return " ".join(text[s:e].split())


def _owner(row) -> str:
    owner = str(row.owner).strip()
    return owner or str(row.mark)


def describe(row, level: str, text: str) -> str:
    """One phrase for one third-party match (a :func:`scanner.features.match_table` row)."""
    mt = row.matched_text
    start, end = int(row.start), int(row.end)
    cue = row.m_nominative_cue + row.m_cue_before + row.m_cue_after + row.m_in_parens + row.m_cue_in_clause > 0
    if row.m_counterfeit > 0 and level != "low":
        return (f"'{mt}' next to the counterfeit cue '{row.fake_cue}' ('{snippet(text, start, end, 2, 2)}'): "
                "looks like a knock-off")
    if level == "low" and row.m_in_model_number <= 0:
        return f"'{mt}' looks like an ordinary word here ('{snippet(text, start, end, 1, 1)}')"
    if row.m_field_brand > 0:
        return f"'{mt}' is declared as the brand; {_owner(row)} is not one of your brands"
    if cue:
        before = 4 if row.m_cue_before > 0 or row.m_nominative_cue > 0 else (8 if row.m_cue_in_clause > 0 else 1)
        return (f"'{mt}' referenced as compatible ('{snippet(text, start, end, before, 1)}'): nominative use, "
                "review")
    if row.m_in_model_number > 0 and level != "high":
        return f"'{mt}' is part of a model number ('{snippet(text, start, end, 0, 1)}')"
    if row.m_owner_cued > 0:
        return f"'{mt}' also referenced with a compatibility cue elsewhere in the listing: nominative use, review"
    where = "the title" if row.m_field_title > 0 else f"the {row.field}"
    quote = snippet(text, start, end, 0 if row.m_first_word > 0 else 1, 2)
    if level == "medium":
        return (f"'{mt}' appears in {where} without a compatibility cue ('{quote}'): maybe a reference, maybe "
                "the product's brand; review")
    if row.m_owner_is_declared > 0:
        return (f"'{mt}' ({_owner(row)}'s product line) with {_owner(row)} declared as the brand; "
                f"{_owner(row)} is not one of your brands")
    if row.m_is_declared_brand > 0:
        return (f"'{mt}' used as the brand in {where} and the brand field; {_owner(row)} is not one of your "
                "brands")
    if row.kind in _KIND_WORDS:
        return f"'{mt}' ({_KIND_WORDS[row.kind]} of {_owner(row)}) on the product ('{quote}')"
    if row.kind == "product_line" or (row.m_owner_matched_too > 0 and brand_key(row.owner) != row.mark_key):
        return (f"'{mt}' ({_owner(row)}'s product line) named without a compatibility cue ('{quote}'); "
                f"{_owner(row)} is not one of your brands")
    return f"'{mt}' used as the brand in {where} ('{quote}'); {_owner(row)} is not one of your brands"


def explain(
    listings: pd.DataFrame,
    table: pd.DataFrame,
    scores: pd.DataFrame,
    matches: pd.DataFrame | None = None,
    profile: SellerProfile | None = None,
    *,
    max_marks: int = 3,
) -> pd.Series:
    """One reason text per listing (index of ``listings``), from the match table and the scored levels."""
    out = pd.Series("no third-party mark found", index=listings.index, dtype=object)
    if matches is not None and not matches.empty:
        mine = matches[matches["own"].astype(bool) | matches["authorized"].astype(bool)]
        found: dict[object, tuple[dict[str, None], dict[str, None]]] = {}
        for label, is_own, text in zip(mine["listing"], mine["own"].astype(bool), mine["matched_text"],
                                       strict=True):
            own, auth = found.setdefault(label, ({}, {}))
            (own if is_own else auth).setdefault(str(text).strip(), None)
        mine_out: dict[object, str] = {}
        for label, (own, auth) in found.items():
            parts = []
            if own:
                parts.append(f"your own brand(s) {', '.join(list(own)[:3])}")
            if auth:
                parts.append(f"brand(s) you are authorized for: {', '.join(list(auth)[:3])}")
            mine_out[label] = "only " + " and ".join(parts) + " found; no third-party mark"
        if mine_out:
            out.update(pd.Series(mine_out, dtype=object))
    if table is None or table.empty:
        return out
    levels = scores["risk_level"] if "risk_level" in scores.columns else pd.Series("high", index=listings.index)
    level_of = levels.astype(str).to_dict()
    # one pass over the (strongest-first) match table in plain Python: per-listing pandas groups cost
    # milliseconds each, which is minutes for a large catalogue
    by_listing: dict[object, list] = {}
    for row in strongest_matches(table).itertuples(index=False):
        by_listing.setdefault(row.listing, []).append(row)
    texts = {f: listings[f].astype(str).to_dict() for f in set(table["field"]) if f in listings.columns}
    texts_out: dict[object, str] = {}
    for label, rows in by_listing.items():
        level = level_of.get(label, "high")
        seen: set[str] = set()
        chosen = []
        for row in rows:
            if row.mark_key in seen:
                continue
            seen.add(row.mark_key)
            # beside the evidence, ordinary words registered as marks are noise
            if chosen and level != "low" and row.kind == "word":
                continue
            chosen.append(row)
            if len(chosen) == max_marks:
                break
        texts_out[label] = "; ".join(
            describe(row, level, texts.get(row.field, {}).get(label, "")) for row in chosen
        )
    if texts_out:
        out.update(pd.Series(texts_out, dtype=object))
    return out
