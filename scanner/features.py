"""Matches -> one feature row per listing: the same code for training and scanning.

:func:`build_features` is the only way features are made, whether ``scanner train`` builds a training table
or ``scanner scan`` scores a catalogue, so the model always sees the same definitions. It works in two
steps, both public so that notebooks and the reason texts can use them:

1. :func:`match_table` -- one row per *third-party* match (not own, not authorized; a match of the brand
   field is dropped when the brand field is a placeholder such as "Generic"), with per-match features
   (``m_*`` columns) and the context words the reason texts quote;
2. :func:`build_features` -- aggregates them per listing: counts, "any"/"min"/"max" over the listing's
   third-party matches, and the features of its *strongest* match (``s_*``), plus listing-level facts
   (declared brand, casing of the title, category).

Every column is numeric (float, no missing values); :data:`FEATURE_NAMES` lists them in order and
:data:`FEATURE_DOCS` says what each means. Nothing here is fitted to data: the only external knowledge is
the word frequency list of ``wordfreq`` (how common a mark is as an ordinary English word), the small cue
lists below and the category -> Nice class map in :mod:`scanner.model.categories`. Which context words make
a use "ordinary" ("apple slicer") is left to the model, from the frequency and shape of the neighbouring
words, rather than a hand list of product nouns.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from .config import SellerProfile
from .corpus import Corpus
from .model.categories import category_classes, parse_classes
from .text import brand_key

#: Brand-field values that mean "no brand" on marketplaces (Amazon's official one is "Generic").
PLACEHOLDER_BRANDS: frozenset[str] = frozenset(
    brand_key(b) for b in ("generic", "unbranded", "no brand", "nobrand", "n/a", "none", "unknown", "not applicable")
)
#: Mark kinds of the trademark CSV that name a specific source (everything but "word").
_LINE_KINDS = ("product_line",)
_MERCH_KINDS = ("franchise", "character", "team")
_FUZZY_METHODS = ("typo", "phonetic")
_JOIN_METHODS = ("joined", "split")

_TOKEN = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
#: A compatibility cue up to three words before the mark ("for", "compatible with", "fits", "teaches" ...).
_CUE_WORDS = (
    r"for|compatible(?:\s+with)?|fits?|replacement(?:\s+for)?|replaces|works\s+w(?:ith|/)?|use\s+w(?:ith|/)?|"
    r"designed\s+for|suitable\s+for|compatibility|teach(?:es|ing)?|for\s+use\s+(?:with|in)|"
    r"not\s+(?:made|manufactured|produced|endorsed|sponsored)\s+by|not\s+affiliated\s+with|no\s+affiliation\s+with"
)
_CUE_BEFORE = re.compile(r"\b(?:" + _CUE_WORDS + r")\W+(?:[\w.+/-]+\W+){0,3}$")
#: A cue anywhere earlier in the same clause (clauses end at " - ", ",", ";", "|", brackets), <= 8 words back.
_CUE_CLAUSE = re.compile(r"\b(?:" + _CUE_WORDS + r")\W+(?:[\w.+/&']+[ \t]+){0,8}$")
_CLAUSE_BREAK = re.compile(r"\s[-–|/]\s|[,;|()\[\]]")
#: "hp compatible toner", "brother tn-430 remanufactured compatible", "canon replacement battery".
_CUE_AFTER = re.compile(r"^\W*(?:[\w.+/-]+\W+){0,2}?(?:compatible|replacement|equivalent|alternative)\b")
#: The match is glued to a model number ("ipad-209", "ipad2-sum-grn", "unix-hp").
_MODEL_GLUE_AFTER = re.compile(r"^(?:\d|[-/]\w*\d|[-/][a-z]{1,4}\b)")
_MODEL_GLUE_BEFORE = re.compile(r"(?:\d|\w[-/])$")
#: Counterfeit cues right before or after the mark ("replica Rolex", "Chanel inspired", "dupe").
_FAKE_BEFORE = re.compile(
    r"\b(?:replica|fake|dupe|knock-?off|imitation|counterfeit|faux|cheap|inspired\s+by|1:1|aaa)\W+"
    r"(?:[\w.+/-]+\W+)?$"
)
_FAKE_AFTER = re.compile(
    r"^\W*(?:(?:replica|dupe|style|knock-?off|fake|1:1|inspired|lookalike|look-alike)\b|"
    r"[\w.+/-]+\s+(?:replica|dupe|knock-?off|fake)\b)"
)

#: Feature name -> meaning. Listing-level first, then aggregates, then the strongest match (``s_``).
FEATURE_DOCS: dict[str, str] = {
    # counts (the first four are the walking-skeleton features the "rules" baseline model reads)
    "n_third_party": "distinct third-party marks found (any field)",
    "n_identity": "distinct third-party marks with no compatibility cue from the matcher",
    "n_nominative": "distinct third-party marks with a compatibility cue from the matcher ('for', ...)",
    "n_counterfeit": "distinct third-party marks next to a counterfeit cue (matcher's or ours)",
    "n_tp_matches": "third-party match rows (a mark can match several times)",
    "n_tp_owners": "distinct owners of the third-party marks",
    "n_own_matches": "matches of the seller's own marks",
    "n_authorized_matches": "matches of marks the seller is authorized for",
    "n_word_kind": "third-party matches of marks whose kind is 'word' (ordinary words registered as marks)",
    "n_specific_kind": "third-party matches of kind brand, product_line, franchise, character or team",
    "all_word_kind": "every third-party match is of kind 'word' (only ordinary words registered as marks)",
    # listing level
    "brand_is_own": "the declared brand (brand field) is one of the seller's own brands",
    "brand_is_authorized": "the declared brand is one the seller is authorized for",
    "brand_is_placeholder": "the declared brand is a placeholder ('Generic', 'Unbranded', ...)",
    "brand_empty": "the brand field is empty",
    "title_mixed_case": "the title has both upper- and lower-case letters (so casing carries information)",
    "title_lower_ratio": "share of the title's words written all in lower case",
    "title_n_tokens": "number of words in the title (capped at 60)",
    "category_known": "the listing's category maps to Nice classes",
    # aggregates over the third-party matches
    "any_declared_brand": "a third-party mark is the declared brand (brand field or equal to it)",
    "any_title_first3_nocue": "a third-party mark among the first 3 words of the title, with no cue",
    "any_title_nocue": "a third-party mark in the title with no compatibility cue (ours or the matcher's)",
    "any_counterfeit": "a counterfeit cue next to a third-party mark",
    "all_nominative": "every third-party match has a compatibility cue",
    "any_brandlike_case": "a third-party match written Capitalised/ALLCAPS/CamelCase in a mostly lower-case title",
    "any_camel_case": "a third-party match written in CamelCase ('iPad', 'GoPro')",
    "any_strong_kind": "a third-party mark of kind brand, product_line, franchise, character or team",
    "any_class_overlap": "a third-party mark registered for a Nice class of the listing's category",
    "any_fuzzy": "a third-party match found by typo or phonetic similarity",
    "any_symbol": "a ®/™/© symbol next to a third-party match",
    "any_in_bullets": "a third-party match in the bullet points",
    "any_in_description": "a third-party match in the description",
    "any_in_keywords": "a third-party match in the search keywords",
    "min_mark_zipf": "lowest word frequency (zipf, 0..8) of the third-party marks; 8 when there is none",
    "min_mark_en_excess": "lowest English excess of the third-party marks (most name-like); 3 when there is none",
    "max_mark_tokens": "most words in a third-party mark",
    "max_similarity": "highest similarity (0..1) of a third-party match",
    # the strongest third-party match (see strength_order): all 0 when there is none
    "s_present": "the listing has a third-party match",
    "s_field_title": "strongest match is in the title",
    "s_field_brand": "strongest match is in the brand field",
    "s_field_other": "strongest match is in bullets, description or keywords",
    "s_position": "its word position in its field (0 = first word; capped at 30)",
    "s_first3": "it is among the first 3 words of the title",
    "s_pos_rel": "its relative position in its field (0 = start, 1 = end)",
    "s_is_last": "it is the last word(s) of its field",
    "s_nominative_cue": "the matcher found a compatibility cue before it",
    "s_cue_before": "a compatibility cue ('for', 'compatible with', 'fits', ...) up to 3 words before it",
    "s_cue_after": "'compatible'/'replacement' right after it ('hp compatible toner')",
    "s_in_parens": "it is inside brackets ('(mac)')",
    "s_cue_in_clause": "a compatibility cue earlier in the same clause ('case for asus eee pad ... android')",
    "s_owner_cued": "another match of the same mark or owner in the same field has a compatibility cue",
    "s_in_model_number": "it is glued to a model number ('ipad-209', 'unix-hp'), not a word of its own",
    "s_counterfeit": "a counterfeit cue right before or after it",
    "s_symbol": "a ®/™/© symbol next to it",
    "s_method_exact": "found exactly or case/accent-folded",
    "s_method_joinsplit": "found joined or split ('i pad', 'go-pro')",
    "s_method_fuzzy": "found by typo or phonetic similarity",
    "s_similarity": "match similarity 0..1",
    "s_mark_zipf": "how common the mark is as an ordinary word (wordfreq zipf, 0..8)",
    "s_mark_max_token_zipf": "zipf of the most common word of the mark",
    "s_mark_en_excess": "how much more common the mark is in English than in other languages (ordinary word)",
    "s_mark_tokens": "number of words in the mark",
    "s_mark_len": "length of the mark's key in characters (capped at 30)",
    "s_kind_brand": "mark kind is brand",
    "s_kind_line": "mark kind is product_line",
    "s_kind_merch": "mark kind is franchise, character or team",
    "s_kind_word": "mark kind is word (an ordinary word registered as a mark)",
    "s_kind_unknown": "mark kind is empty or unknown",
    "s_status_live": "mark status is live",
    "s_status_dead": "mark status is dead",
    "s_status_pending": "mark status is pending",
    "s_n_records_log": "log(1 + corpus records with the same key), when the matcher reports n_records",
    "s_n_owners_log": "log(1 + distinct owners of those records): many owners = an ordinary word (n_owners)",
    "s_is_declared_brand": "it is the declared brand (brand field, or equal to the brand field)",
    "s_owner_is_declared": "its owner is the declared brand (a product line of the declared brand)",
    "s_owner_matched_too": "another mark of the same owner is also found ('Apple' + 'iPad')",
    "s_own_before": "one of the seller's own marks comes earlier in the same field",
    "s_class_overlap": "its Nice classes include one of the listing category's classes",
    "s_case_upper": "written in ALLCAPS",
    "s_case_title": "written Capitalised",
    "s_case_camel": "written in CamelCase",
    "s_case_lower": "written in lower case",
    "s_next_zipf": "word frequency of the next word (0 if none or not alphabetic)",
    "s_next_en_excess": "English excess of the next word (a generic English noun: 'slicer', 'remote')",
    "s_next_digit": "the next word contains a digit (a model number: 'canon pg-30', 'ipad 2')",
    "s_next_is_mark": "the next word starts another match (own or third-party)",
    "s_prev_zipf": "word frequency of the previous word (0 if none or not alphabetic)",
    "s_prev_digit": "the previous word contains a digit",
    "s_first_word": "it is the first word of its field",
}
FEATURE_NAMES: tuple[str, ...] = tuple(FEATURE_DOCS)

#: Columns of :func:`match_table` besides the ``m_*`` features (used by the reason texts).
MATCH_TABLE_INFO: tuple[str, ...] = (
    "listing", "field", "start", "end", "matched_text", "mark", "mark_key", "owner", "kind", "cue", "fake_cue",
    "next_word", "prev_word",
)

_PER_MATCH = [name[2:] for name in FEATURE_NAMES if name.startswith("s_") and name != "s_present"]


@lru_cache(maxsize=200_000)
def word_zipf(text: str) -> float:
    """How common ``text`` is in English (``wordfreq.zipf_frequency``, 0..8), cached per distinct string."""
    from wordfreq import zipf_frequency

    text = str(text).strip().lower()
    return float(zipf_frequency(text, "en")) if text else 0.0


#: Languages compared with English by :func:`english_excess`.
OTHER_LANGUAGES: tuple[str, ...] = ("de", "fr", "es", "it", "nl", "pl", "pt", "sv")


@lru_cache(maxsize=200_000)
def english_excess(text: str) -> float:
    """How much more common ``text`` is in English than in other languages (zipf difference to the median
    of :data:`OTHER_LANGUAGES`). Names of brands travel: "sony", "ipad", "nike" are about as common in every
    language (excess ~0.2), while ordinary English words are not ("universal" 0.8, "alkaline" 1.5,
    "external" 2.3). 0 for an empty or unknown word."""
    from wordfreq import zipf_frequency

    text = str(text).strip().lower()
    if not text:
        return 0.0
    en = word_zipf(text)
    if en == 0.0:
        return 0.0
    others = sorted(zipf_frequency(text, lang) for lang in OTHER_LANGUAGES)
    return round(en - others[len(others) // 2], 4)


def _casing(text: str) -> tuple[int, int, int, int]:
    """(upper, title, camel, lower) flags of the letters of ``text``."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0, 0, 0, 0
    has_upper = any(c.isupper() for c in letters)
    has_lower = any(c.islower() for c in letters)
    if has_upper and not has_lower:
        return (1, 0, 0, 0) if len(letters) >= 2 else (0, 1, 0, 0)
    if not has_upper:
        return 0, 0, 0, 1
    if letters[0].isupper() and not any(c.isupper() for c in letters[1:]):
        return 0, 1, 0, 0
    # upper case after the first letter, but not at every word start only ("Hello Kitty" is title case)
    words = [w for w in re.split(r"[\s\-/]+", text) if w]
    if all(w[:1].isupper() and not any(c.isupper() for c in w[1:]) for w in words):
        return 0, 1, 0, 0
    return 0, 0, 1, 0


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _word_features(word: str) -> tuple[float, int]:
    if not word:
        return 0.0, 0
    digit = int(any(c.isdigit() for c in word))
    return (0.0 if digit or not word.isalpha() else word_zipf(word)), digit


def _optional_counts(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A count column the matcher may add (``n_records``, ``n_owners``); 0 where absent or missing."""
    if column not in frame.columns:
        return np.zeros(len(frame))
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    return np.where(np.isfinite(values) & (values > 0), values, 0.0)


def _empty_match_table() -> pd.DataFrame:
    cols = {c: pd.Series([], dtype=object) for c in MATCH_TABLE_INFO}
    for col in ("listing", "start", "end"):
        cols[col] = pd.Series([], dtype="int64")
    for name in _PER_MATCH:
        cols["m_" + name] = pd.Series([], dtype="float64")
    cols["strength"] = pd.Series([], dtype="float64")
    return pd.DataFrame(cols)


def match_table(
    listings: pd.DataFrame,
    matches: pd.DataFrame,
    corpus: Corpus,
    profile: SellerProfile | None = None,
) -> pd.DataFrame:
    """One row per third-party match: ``m_*`` features plus :data:`MATCH_TABLE_INFO` and ``strength``.

    ``strength`` orders the matches of a listing by how strongly they suggest trademark use, before any
    model is applied (see :func:`strength_order`); the first is the listing's "strongest" match.
    """
    profile = profile or SellerProfile()
    if matches is None or matches.empty:
        return _empty_match_table()
    own = matches["own"].astype(bool) | matches["authorized"].astype(bool)
    tp = matches[~own]
    if tp.empty:
        return _empty_match_table()
    brands = listings["brand"].astype(str) if "brand" in listings.columns else pd.Series("", index=listings.index)
    brand_keys = brands.map(brand_key)
    placeholder = brand_keys.isin(PLACEHOLDER_BRANDS)
    drop = (tp["field"] == "brand") & tp["listing"].map(placeholder).fillna(False).astype(bool)
    tp = tp[~drop]
    if tp.empty:
        return _empty_match_table()

    marks = corpus.marks
    mark_ids = tp["mark_id"].to_numpy()
    kinds = marks["kind"].reindex(mark_ids).fillna("").astype(str).str.strip().str.lower().to_numpy()
    statuses = marks["status"].reindex(mark_ids).fillna("").astype(str).str.strip().str.lower().to_numpy()
    classes = marks["nice_classes"].reindex(mark_ids).fillna("").astype(str).to_numpy()
    categories = listings["category"].astype(str) if "category" in listings.columns else None
    n_records = _optional_counts(tp, "n_records")
    n_owners = _optional_counts(tp, "n_owners")

    # own matches per (listing, field): their end offsets, for "own mark earlier in the field"
    own_ends: dict[tuple[int, str], list[int]] = {}
    for rec in matches[own].itertuples(index=False):
        own_ends.setdefault((rec.listing, rec.field), []).append(int(rec.start))
    # every match start per (listing, field), for "the next word starts another match"
    starts: dict[tuple[int, str], set[int]] = {}
    for listing, fld, start in zip(matches["listing"], matches["field"], matches["start"], strict=True):
        starts.setdefault((listing, fld), set()).add(int(start))
    owner_keys = tp["owner"].astype(str).map(brand_key).to_numpy()
    mark_keys = tp["mark_key"].astype(str).to_numpy()
    owners_per_listing: dict[int, dict[str, set[str]]] = {}
    for listing, okey, mkey in zip(tp["listing"], owner_keys, mark_keys, strict=True):
        if okey:
            owners_per_listing.setdefault(listing, {}).setdefault(okey, set()).add(mkey)

    tokens_cache: dict[tuple[int, str], list[tuple[int, int, str]]] = {}
    rows = []
    for i, rec in enumerate(tp.itertuples(index=False)):
        listing, fld = rec.listing, rec.field
        text = str(listings.at[listing, fld]) if fld in listings.columns else ""
        key = (listing, fld)
        toks = tokens_cache.get(key)
        if toks is None:
            toks = tokens_cache[key] = _tokens(text)
        start, end = int(rec.start), int(rec.end)
        before, after = text[:start], text[end:]
        low_before, low_after = before.lower()[-60:], after.lower()[:40]
        prev_tok = next((t for t in reversed(toks) if t[1] <= start), None)
        next_tok = next((t for t in toks if t[0] >= end), None)
        prev_word = prev_tok[2] if prev_tok else ""
        next_word = next_tok[2] if next_tok else ""
        prev_zipf, prev_digit = _word_features(prev_word)
        next_zipf, next_digit = _word_features(next_word)
        n_tok = max(len(toks), 1)
        position = int(rec.position) if pd.notna(rec.position) else 0
        mark = str(rec.mark)
        mkey = mark_keys[i]
        mark_words = _TOKEN.findall(mark.lower())
        kind = kinds[i]
        status = statuses[i]
        cue_match = _CUE_BEFORE.search(low_before)
        clause = _CLAUSE_BREAK.split(low_before)[-1] if low_before else ""
        clause_cue = _CUE_CLAUSE.search(clause) is not None
        matcher_cue = str(rec.nominative_cue or "")
        fake_match = _FAKE_BEFORE.search(low_before) or _FAKE_AFTER.search(low_after)
        matcher_fake = str(rec.counterfeit_cue or "")
        bkey = brand_keys.get(listing, "")
        okey = owner_keys[i]
        declared = fld == "brand" or (bool(bkey) and bkey == mkey)
        if not declared and bkey and mark_words:
            bwords = _TOKEN.findall(str(brands.get(listing, "")).lower())
            declared = bwords[: len(mark_words)] == mark_words
        owner_declared = not declared and bool(bkey) and bool(okey) and (
            okey == bkey or (len(bkey) >= 4 and okey.startswith(bkey)))
        upper, title, camel, lower = _casing(str(rec.matched_text))
        method = str(rec.method)
        cat_classes = category_classes(categories.get(listing, "")) if categories is not None else frozenset()
        mark_classes = parse_classes(classes[i])
        same_owner = owners_per_listing.get(listing, {}).get(okey, set()) if okey else set()
        symbol = str(rec.symbol or "")
        row = {
            "listing": listing,
            "field": fld,
            "start": start,
            "end": end,
            "matched_text": str(rec.matched_text),
            "mark": mark,
            "mark_key": mkey,
            "owner": str(rec.owner),
            "kind": kind,
            "cue": matcher_cue or (cue_match.group(0).strip().split()[0] if cue_match else ""),
            "fake_cue": matcher_fake or (fake_match.group(0).strip(" -,") if fake_match else ""),
            "next_word": next_word,
            "prev_word": prev_word,
            "m_field_title": float(fld == "title"),
            "m_field_brand": float(fld == "brand"),
            "m_field_other": float(fld not in ("title", "brand")),
            "m_position": float(min(position, 30)),
            "m_first3": float(fld == "title" and position < 3),
            "m_pos_rel": position / max(n_tok - 1, 1),
            "m_is_last": float(next_tok is None),
            "m_nominative_cue": float(bool(matcher_cue)),
            "m_cue_before": float(cue_match is not None),
            "m_cue_after": float(_CUE_AFTER.search(low_after) is not None),
            "m_in_parens": float(before.count("(") + before.count("[") > before.count(")") + before.count("]")),
            "m_cue_in_clause": float(clause_cue),
            "m_owner_cued": 0.0,  # filled below, once every match's cues are known
            "m_in_model_number": float(bool(_MODEL_GLUE_AFTER.match(after.lower()))
                                       or bool(_MODEL_GLUE_BEFORE.search(before.lower()))),
            "m_counterfeit": float(bool(matcher_fake) or fake_match is not None),
            "m_symbol": float(bool(symbol.strip())),
            "m_method_exact": float(method not in _FUZZY_METHODS + _JOIN_METHODS),
            "m_method_joinsplit": float(method in _JOIN_METHODS),
            "m_method_fuzzy": float(method in _FUZZY_METHODS),
            "m_similarity": float(rec.similarity) / 100.0 if pd.notna(rec.similarity) else 1.0,
            "m_mark_zipf": word_zipf(" ".join(mark_words)),
            "m_mark_max_token_zipf": max((word_zipf(w) for w in mark_words), default=0.0),
            "m_mark_en_excess": english_excess(" ".join(mark_words)),
            "m_mark_tokens": float(len(mark_words)),
            "m_mark_len": float(min(len(mkey), 30)),
            "m_kind_brand": float(kind == "brand"),
            "m_kind_line": float(kind in _LINE_KINDS),
            "m_kind_merch": float(kind in _MERCH_KINDS),
            "m_kind_word": float(kind == "word"),
            "m_kind_unknown": float(kind not in ("brand", "word", *_LINE_KINDS, *_MERCH_KINDS)),
            "m_status_live": float(status == "live"),
            "m_status_dead": float(status == "dead"),
            "m_status_pending": float(status == "pending"),
            "m_n_records_log": math.log1p(n_records[i]),
            "m_n_owners_log": math.log1p(n_owners[i]),
            "m_is_declared_brand": float(declared),
            "m_owner_is_declared": float(owner_declared),
            "m_owner_matched_too": float(len(same_owner - {mkey}) > 0),
            "m_own_before": float(any(s < start for s in own_ends.get(key, ()))),
            "m_class_overlap": float(bool(cat_classes & mark_classes)),
            "m_case_upper": float(upper),
            "m_case_title": float(title),
            "m_case_camel": float(camel),
            "m_case_lower": float(lower),
            "m_next_zipf": next_zipf,
            "m_next_en_excess": english_excess(next_word) if next_zipf > 0 else 0.0,
            "m_next_digit": float(next_digit),
            "m_next_is_mark": float(next_tok is not None and next_tok[0] in starts.get(key, ())),
            "m_prev_zipf": prev_zipf,
            "m_prev_digit": float(prev_digit),
            "m_first_word": float(position == 0),
        }
        rows.append(row)
    table = pd.DataFrame(rows)
    cued = (table["m_nominative_cue"] + table["m_cue_before"] + table["m_cue_after"] + table["m_in_parens"]
            + table["m_cue_in_clause"]) > 0
    owner_key = pd.Series(owner_keys, index=table.index).where(lambda k: k != "", table["mark_key"])
    for keys in (table["mark_key"], owner_key):
        # per field: "for PIXMA printers" in the description does not make "Canon PG-245 ..." in the title
        # a reference
        n_cued = cued.groupby([table["listing"], table["field"], keys]).transform("sum")
        table["m_owner_cued"] = np.maximum(table["m_owner_cued"], ((n_cued - cued.astype(int)) > 0).astype(float))
    table["strength"] = strength_order(table)
    return table


def strength_order(table: pd.DataFrame) -> np.ndarray:
    """A fixed (not learned) prior of how strongly each match suggests trademark use; higher = stronger.

    Lexicographic: counterfeit cue, declared brand, looks like a specific mark (a kind other than "word",
    CamelCase, several words, or -- kind unknown -- a word rarer than zipf 4.5), no compatibility cue (nor a
    cued mention of the same owner, nor glued to a model number), among the first 3 words of the title, then
    rarer words and earlier positions. It only picks which match the ``s_*`` features describe.
    """
    if table.empty:
        return np.array([], dtype=float)
    specific = (
        (table["m_kind_brand"] + table["m_kind_line"] + table["m_kind_merch"] + table["m_case_camel"] > 0)
        | (table["m_mark_tokens"] > 1)
        | ((table["m_kind_unknown"] > 0) & (table["m_mark_zipf"] < 4.5))
    ).astype(float)
    cue = (table["m_nominative_cue"] + table["m_cue_before"] + table["m_cue_after"] + table["m_in_parens"]
           + table["m_cue_in_clause"] + table["m_owner_cued"] + table["m_in_model_number"]) > 0
    return (
        table["m_counterfeit"].to_numpy() * 1e6
        + table["m_is_declared_brand"].to_numpy() * 1e5
        + specific.to_numpy() * 1e4
        + (~cue).to_numpy().astype(float) * 1e3
        + table["m_first3"].to_numpy() * 1e2
        + (8.0 - table["m_mark_zipf"].clip(0, 8)).to_numpy() * 10
        + (30.0 - table["m_position"]).to_numpy() * 0.01
    )


def build_features(
    listings: pd.DataFrame,
    matches: pd.DataFrame,
    corpus: Corpus,
    profile: SellerProfile | None = None,
    *,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per listing (same index as ``listings``), float columns :data:`FEATURE_NAMES`.

    ``table`` may pass an already computed :func:`match_table` of the same inputs (saves recomputing it).
    """
    profile = profile or SellerProfile()
    idx = listings.index
    feats = pd.DataFrame(0.0, index=idx, columns=list(FEATURE_NAMES))
    if table is None:
        table = match_table(listings, matches, corpus, profile)

    brands = listings["brand"].astype(str) if "brand" in listings.columns else pd.Series("", index=idx)
    bkeys = brands.map(brand_key)
    own_keys, auth_keys = profile.own_keys, profile.authorized_keys
    feats["brand_is_own"] = bkeys.map(lambda k: float(bool(k) and k in own_keys))
    feats["brand_is_authorized"] = bkeys.map(lambda k: float(bool(k) and k in auth_keys))
    feats["brand_is_placeholder"] = bkeys.isin(PLACEHOLDER_BRANDS).astype(float)
    feats["brand_empty"] = (bkeys == "").astype(float)
    titles = listings["title"].astype(str)
    title_words = titles.map(lambda t: [w for w in _TOKEN.findall(t) if any(c.isalpha() for c in w)])
    feats["title_mixed_case"] = titles.map(lambda t: float(t.lower() != t and t.upper() != t))
    feats["title_lower_ratio"] = title_words.map(lambda ws: sum(w.islower() for w in ws) / len(ws) if ws else 1.0)
    feats["title_n_tokens"] = titles.map(lambda t: float(min(len(_TOKEN.findall(t)), 60)))
    if "category" in listings.columns:
        feats["category_known"] = listings["category"].astype(str).map(lambda c: float(bool(category_classes(c))))

    if matches is not None and not matches.empty:
        own = matches[matches["own"].astype(bool)]
        auth = matches[matches["authorized"].astype(bool) & ~matches["own"].astype(bool)]
        for name, part in (("n_own_matches", own), ("n_authorized_matches", auth)):
            counts = part.groupby("listing").size()
            feats.loc[counts.index, name] = counts.to_numpy(dtype=float)

    feats["min_mark_zipf"] = 8.0
    feats["min_mark_en_excess"] = 3.0
    if table.empty:
        return feats.astype("float64")

    g = table.groupby("listing", sort=False)
    nominative = table["m_nominative_cue"] > 0
    fake = table["m_counterfeit"] > 0
    any_cue = (table["m_nominative_cue"] + table["m_cue_before"] + table["m_cue_after"] + table["m_in_parens"]
               + table["m_cue_in_clause"] + table["m_owner_cued"]) > 0

    def put(name: str, series: pd.Series) -> None:
        feats.loc[series.index, name] = series.to_numpy(dtype=float)

    put("n_third_party", g["mark_key"].nunique())
    put("n_identity", table[~nominative].groupby("listing")["mark_key"].nunique())
    put("n_nominative", table[nominative].groupby("listing")["mark_key"].nunique())
    put("n_counterfeit", table[fake].groupby("listing")["mark_key"].nunique())
    put("n_tp_matches", g.size())
    put("n_tp_owners", table.assign(o=table["owner"].map(brand_key)).groupby("listing")["o"].nunique())
    put("n_word_kind", g["m_kind_word"].sum())
    strong = table["m_kind_brand"] + table["m_kind_line"] + table["m_kind_merch"]
    put("n_specific_kind", (strong > 0).astype(float).groupby(table["listing"]).sum())
    put("all_word_kind", g["m_kind_word"].min())
    put("any_declared_brand", g["m_is_declared_brand"].max())
    put("any_title_first3_nocue", (table["m_first3"] * (~any_cue)).groupby(table["listing"]).max())
    put("any_title_nocue", (table["m_field_title"] * (~any_cue)).groupby(table["listing"]).max())
    put("any_counterfeit", g["m_counterfeit"].max())
    put("all_nominative", any_cue.astype(float).groupby(table["listing"]).min())
    mixed = table["listing"].map(feats["title_lower_ratio"]) >= 0.3
    brandlike = (table["m_case_upper"] + table["m_case_title"] + table["m_case_camel"] > 0) & mixed
    put("any_brandlike_case", (brandlike | (table["m_case_camel"] > 0)).astype(float).groupby(table["listing"]).max())
    put("any_camel_case", g["m_case_camel"].max())
    put("any_strong_kind", (strong > 0).astype(float).groupby(table["listing"]).max())
    put("any_class_overlap", g["m_class_overlap"].max())
    put("any_fuzzy", g["m_method_fuzzy"].max())
    put("any_symbol", g["m_symbol"].max())
    for name, fld in (("any_in_bullets", "bullets"), ("any_in_description", "description"),
                      ("any_in_keywords", "keywords")):
        put(name, (table["field"] == fld).astype(float).groupby(table["listing"]).max())
    put("min_mark_zipf", g["m_mark_zipf"].min())
    put("min_mark_en_excess", g["m_mark_en_excess"].min())
    put("max_mark_tokens", g["m_mark_tokens"].max())
    put("max_similarity", g["m_similarity"].max())

    strongest = table.sort_values(["listing", "strength"], ascending=[True, False], kind="stable")
    strongest = strongest.drop_duplicates("listing").set_index("listing")
    feats.loc[strongest.index, "s_present"] = 1.0
    for name in _PER_MATCH:
        feats.loc[strongest.index, "s_" + name] = strongest["m_" + name].to_numpy(dtype=float)
    return feats.astype("float64")


def strongest_matches(table: pd.DataFrame) -> pd.DataFrame:
    """The third-party matches of each listing, strongest first (one group per listing)."""
    return table.sort_values(["listing", "strength"], ascending=[True, False], kind="stable")
