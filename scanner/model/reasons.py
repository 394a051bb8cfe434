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
from itertools import groupby, islice
from operator import attrgetter
from typing import Any

import numpy as np
import pandas as pd

from ..config import SellerProfile
from ..features import side_mask, strongest_positions
from ..frames import mapping, tuples
from ..text import brand_key

_TOKEN = re.compile(r"[\w.+/&'’-]+", re.UNICODE)
#: The match-table columns the phrases read (``row.<name>``; tests/test_model_reasons.py checks the list).
ROW_FIELDS: tuple[str, ...] = (
    "end", "fake_cue", "field", "jurisdiction", "kind", "m_comparison", "m_counterfeit", "m_cue_after", "m_cue_before",
    "m_cue_in_clause", "m_field_brand", "m_field_title", "m_first_word", "m_fitment", "m_in_model_number",
    "m_in_parens", "m_is_declared_brand", "m_keywords_only", "m_method_fuzzy", "m_nominative_cue",
    "m_not_where_sold", "m_owner_chosen", "m_owner_cued", "m_owner_is_declared", "m_owner_matched_too", "mark",
    "mark_key", "matched_text", "owner", "owners_considered", "start",
)
_KIND_WORDS = {"franchise": "franchise", "character": "character", "team": "team name"}


def _tokens_before(text: str, start: int, count: int) -> list[re.Match]:
    """The last ``count`` tokens of ``text[:start]`` (what ``list(_TOKEN.finditer(text[:start]))[-count:]``
    gives), read from a window before ``start`` that is widened until it holds them whole."""
    if not 0 <= start <= len(text):
        return list(_TOKEN.finditer(text[:start]))[-count:]
    width = 64 * count
    while True:
        lo = max(0, start - width)
        found = list(_TOKEN.finditer(text, lo, start))
        # whole unless the first token used starts at the window's edge in the middle of a word
        if lo == 0 or (len(found) >= count and (found[-count].start() > lo or not _TOKEN.match(text[lo - 1]))):
            return found[-count:]
        width *= 4


def snippet(text: str, start: int, end: int, before: int = 1, after: int = 2) -> str:
    """The match with up to ``before`` words before it and ``after`` words after it."""
    head = _tokens_before(text, start, before) if before else []
    tail = list(islice(_TOKEN.finditer(text, end), after)) if after else []
    s = head[0].start() if head else start
    e = tail[-1].end() if tail else end
    return " ".join(text[s:e].split())


def _owner(row) -> str:
    owner = str(row.owner).strip()
    return owner or str(row.mark)


def _cued(row) -> bool:
    return row.m_nominative_cue + row.m_cue_before + row.m_cue_after + row.m_in_parens + row.m_cue_in_clause > 0


def describe(row, level: str, text: str) -> str:
    """:func:`_describe`, saying how a mark written in another script was read (``'Пума' read as PUMA``)."""
    phrase = _describe(row, level, text)
    # --- multilang: a match written without Latin letters names the mark it was read as
    mt, mark = str(row.matched_text), str(row.mark)
    if mt and mark and not any(c.isascii() and c.isalpha() for c in mt) and mark.isascii():
        phrase = phrase.replace(f"'{mt}'", f"'{mt}' read as {mark}", 1)
    return phrase


def _describe(row, level: str, text: str) -> str:
    """One phrase for one third-party match (a :func:`scanner.features.match_table` row). The phrase never
    contradicts the level: a high listing is not told "nominative use, review", a low one not "brand use"."""
    mt = row.matched_text
    start, end = int(row.start), int(row.end)
    cue = _cued(row)
    comparison = getattr(row, "m_comparison", 0) > 0
    where = "the title" if row.m_field_title > 0 else f"the {row.field}"
    if row.m_counterfeit > 0 and level != "low":
        return (f"'{mt}' next to the counterfeit cue '{row.fake_cue}' ('{snippet(text, start, end, 2, 2)}'): "
                "looks like a knock-off")
    if comparison and level != "low":
        return (f"'{mt}' used as a comparison in {where} ('{snippet(text, start, end, 2, 2)}'): setting a listing "
                f"against another brand draws complaints from {_owner(row)}; remove it")
    if level == "low":
        if cue:
            return (f"'{mt}' only referenced as compatible ('{snippet(text, start, end, 4, 1)}'): low risk")
        if row.m_in_model_number > 0:
            return f"'{mt}' is part of a model number ('{snippet(text, start, end, 0, 1)}'): low risk"
        return f"'{mt}' looks like an ordinary word here ('{snippet(text, start, end, 1, 1)}')"
    if getattr(row, "m_keywords_only", 0) > 0 and row.field == "keywords":
        return (f"'{mt}' in your search terms ('{snippet(text, start, end, 1, 2)}'): another brand in the search "
                f"terms draws complaints from {_owner(row)}; remove it")
    if row.m_field_brand > 0:
        return f"'{mt}' is declared as the brand; {_owner(row)} is not one of your brands"
    if getattr(row, "m_fitment", 0) > 0 and level == "medium":
        return (f"'{mt}' names what the product fits ('{snippet(text, start, end, 1, 3)}') without 'for' or "
                "'compatible with': a compatibility reference, review and add the cue")
    if cue and level == "medium":
        before = 4 if row.m_cue_before > 0 or row.m_nominative_cue > 0 else (8 if row.m_cue_in_clause > 0 else 1)
        return (f"'{mt}' referenced as compatible ('{snippet(text, start, end, before, 1)}'): nominative use, "
                "review")
    if cue:  # high although cued: the wording makes the mark read as the product's own
        return (f"'{mt}' named with a compatibility cue ('{snippet(text, start, end, 4, 1)}') but so that it reads "
                f"as the product's brand; {_owner(row)} is not one of your brands: reword or remove it")
    if row.m_in_model_number > 0 and level != "high":
        return f"'{mt}' is part of a model number ('{snippet(text, start, end, 0, 1)}')"
    if row.m_owner_cued > 0 and level == "medium":
        return f"'{mt}' also referenced with a compatibility cue earlier in the listing: nominative use, review"
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


def _owner_note(row, level: str) -> str:
    """Say why this owner was named when several own the word (see :func:`scanner.features.choose_owners`)."""
    if level == "low" or getattr(row, "m_owner_chosen", 0) <= 0:
        return ""
    n = int(getattr(row, "owners_considered", 0) or 0)
    return f" ({_owner(row)} named as its goods fit this product, among {n} owners of the word)"


def _evidence_note(row, level: str) -> str:
    """How strong the evidence is: a misspelling read by similarity; a mark registered only where the seller
    does not sell ("registered in EU, not where you sell this")."""
    if level == "low":
        return ""
    notes = []
    mt = str(row.matched_text)
    if (getattr(row, "m_method_fuzzy", 0) > 0 and mt.casefold() != str(row.mark).casefold()
            and any(c.isascii() and c.isalpha() for c in mt)):  # other scripts say "read as" (describe)
        notes.append(f"possibly a misspelling of {row.mark}")
    if getattr(row, "m_not_where_sold", 0) > 0:
        where = str(getattr(row, "jurisdiction", "") or "").strip() or "another jurisdiction"
        notes.append(f"{row.mark} is registered in {where}, not where you sell this: a weaker claim")
    return f" ({'; '.join(notes)})" if notes else ""


def unknown_brand_reasons(listings: pd.DataFrame, features: pd.DataFrame) -> pd.Series:
    """The finding for a brand no corpus holds (features ``brand_unknown`` / ``lead_unknown``), or ""."""
    out = pd.Series("", index=listings.index, dtype=object)
    if features is None or "brand_unknown" not in features.columns:
        return out
    brands = listings["brand"].astype(str) if "brand" in listings.columns else pd.Series("", index=listings.index)
    found: dict[object, str] = {}
    brand_of = mapping(brands)
    for label in features.index[features["brand_unknown"].to_numpy() > 0].tolist():
        found[label] = (f"'{brand_of[label].strip()}' is this listing's brand and not one of your brands; it is "
                        "not in your trademark corpus: check who owns it")
    if "lead_unknown" in features.columns:
        title_of = mapping(listings["title"].astype(str))
        for label in features.index[features["lead_unknown"].to_numpy() > 0].tolist():
            word = _TOKEN.findall(title_of[label])
            lead = next((w for w in word if w[:1].isalpha() and len(w) >= 4), "")
            found[label] = (f"the title starts with '{lead}', which reads like a brand that is not one of yours "
                            "and is not in your trademark corpus: check who owns it (or add it to your own "
                            "brands)")
    if found:
        out = pd.Series([found.get(label, "") for label in listings.index.tolist()], index=listings.index, dtype=object)
    return out


def _chosen_rows(listing: list[Any], mark_key: list[Any], kind: list[Any], level_of: dict[Any, str],
                 max_marks: int, noise: list[bool] | None = None) -> list[int]:
    """Positions of the rows :func:`explain` describes, in order. The rows of a listing come together,
    strongest first: its first row of each mark key, at most ``max_marks``; beside the first, ordinary words
    registered as marks (kind ``word``) and the matches ``noise`` marks (:func:`scanner.features.side_mask`)
    are left out unless the listing is low. Only these columns are read for every row (at a million marks a
    batch has twenty matches per listing)."""
    out: list[int] = []
    for label, group in groupby(range(len(listing)), key=listing.__getitem__):
        level = level_of.get(label, "high")
        seen: set[Any] = set()
        chosen = 0
        for i in group:
            if mark_key[i] in seen:
                continue
            seen.add(mark_key[i])
            if chosen and level != "low" and (kind[i] == "word" or (noise is not None and noise[i])):
                continue
            out.append(i)
            chosen += 1
            if chosen == max_marks:
                break
    return out


def explain(
    listings: pd.DataFrame,
    table: pd.DataFrame,
    scores: pd.DataFrame,
    matches: pd.DataFrame | None = None,
    profile: SellerProfile | None = None,
    *,
    max_marks: int = 3,
    features: pd.DataFrame | None = None,
    side: np.ndarray | None = None,
) -> pd.Series:
    """One reason text per listing (index of ``listings``), from the match table and the scored levels.
    With ``features``, a declared or leading brand that no corpus holds is a finding of its own. The matches
    that are noise beside a listing's evidence (``side``, a mask over ``table``; computed when not given:
    :func:`scanner.features.side_mask`) are not described in a medium or high listing: "'dvd' used as the
    brand" beside the mark that made it high would accuse an ordinary word."""
    out = pd.Series("no third-party mark found", index=listings.index, dtype=object)
    unknown = unknown_brand_reasons(listings, features)
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
    has_unknown = unknown != ""
    out = out.where(~has_unknown, unknown)
    if table is None or table.empty:
        return out
    levels = scores["risk_level"] if "risk_level" in scores.columns else pd.Series("high", index=listings.index)
    level_of = mapping(levels.astype(str))
    # one pass over the (strongest-first) match table in plain Python: per-listing pandas groups cost
    # milliseconds each, which is minutes for a large catalogue. The table is sorted by listing, so each
    # listing's rows come together and only those are held at a time.
    texts = {f: mapping(listings[f].astype(str)) for f in table["field"].drop_duplicates().tolist()
             if f in listings.columns}  # (a set of the column would box its values one at a time)
    texts_out: dict[object, str] = {}
    fields = [c for c in ("listing", *ROW_FIELDS) if c in table.columns]  # rows of what is read only
    strongest = table[fields].iloc[strongest_positions(table)]  # (those columns only: not the whole table)
    side = side_mask(table) if side is None else side
    noise = pd.Series(side, index=table.index).reindex(strongest.index).tolist()
    picked = strongest.iloc[_chosen_rows(strongest["listing"].tolist(), strongest["mark_key"].tolist(),
                                         strongest["kind"].tolist(), level_of, max_marks, noise)]
    for label, rows in groupby(tuples(picked[fields]), key=attrgetter("listing")):
        level = level_of.get(label, "high")
        texts_out[label] = "; ".join(
            describe(row, level, texts.get(row.field, {}).get(label, "")) + _owner_note(row, level)
            + _evidence_note(row, level) for row in rows
        )
    if texts_out:
        found = pd.Series(texts_out, dtype=object)
        extra = unknown.reindex(found.index).fillna("")
        out.update(found.where(extra == "", found + "; " + extra))
    return out
