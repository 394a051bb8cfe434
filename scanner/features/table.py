"""The match table: one row per third-party match with its ``m_*`` features, built column by column over all
matches at once (no Python loop per match): field texts are tokenised once per (listing, field), word facts
are looked up once per distinct word or mark, goods once per (listing, class list)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import SellerProfile
from ..corpus import Corpus
from ..corpus.schema import KNOWN_KIND, mark_kinds
from ..frames import Distinct, isin_text, new_frame, rows_in
from ..frequency import english_excess, word_zipf
from ..jurisdictions import sold_in
from ..placeholders import PLACEHOLDER_KEYS
from ..wordlists import COLOUR_WORDS, COMPANY_WORDS, MATERIAL_WORDS
from . import declared as dec
from .cue_context import cued_elsewhere, glued_in
from .docs import MATCH_TABLE_INFO, PER_MATCH
from .fitment import product_named_before
from .goods_fit import choose_owners, goods_features, product_classes
from .listing import brand_keys_of, keys_of
from .marks import (
    alias_zipf,
    kind_features,
    log_counts,
    mark_column,
    mark_word_features,
    mark_words,
    method_features,
    optional_counts,
    registered_elsewhere,
)
from .position import in_brackets, neighbours, relative_position, word_positions
from .strength import strength_order
from .text_context import field_contexts


def _empty_match_table() -> pd.DataFrame:
    cols = {c: pd.Series([], dtype=object) for c in MATCH_TABLE_INFO}
    for col in ("listing", "start", "end"):
        cols[col] = pd.Series([], dtype="int64")
    for name in PER_MATCH:
        cols["m_" + name] = pd.Series([], dtype="float64")
    cols["strength"] = pd.Series([], dtype="float64")
    return pd.DataFrame(cols)


def _str_column(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A text column the matcher may add (``comparison_cue``, ``cue_side``); "" where absent or missing."""
    if column not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    return frame[column].astype(object).fillna("").astype(str).to_numpy(dtype=object)


def _text(values: pd.Series) -> np.ndarray:
    """``str(value or "")`` of each value (a missing cue is NaN, and NaN is truthy: as the features always read it)."""
    return np.array([str(v or "") for v in values.tolist()], dtype=object).reshape(len(values))


def _third_party(matches: pd.DataFrame, brand_keys: pd.Series) -> pd.DataFrame:
    """The matches that can be a risk: not own, not authorized, not the brand field when it is a placeholder."""
    own = matches["own"].astype(bool) | matches["authorized"].astype(bool)
    tp = matches[~own]
    placeholder = brand_keys.isin(PLACEHOLDER_KEYS)
    drop = (tp["field"] == "brand") & tp["listing"].map(placeholder).fillna(False).astype(bool)
    return tp[~drop]


def _word_zipf(word: str) -> float:
    """Frequency of a neighbouring word: 0 when none, not alphabetic or with a digit."""
    if not word or any(c.isdigit() for c in word) or not word.isalpha():
        return 0.0
    return word_zipf(word)


def _has_digit(word: str) -> float:
    return float(any(c.isdigit() for c in word))


def _colour_or_material(word: str) -> float:
    return float(word.lower() in COLOUR_WORDS or word.lower() in MATERIAL_WORDS)


def _next_is_mark(matches: pd.DataFrame, listing: np.ndarray, field: np.ndarray, next_start: np.ndarray) -> np.ndarray:
    """The next word starts another match (own or third-party) in the same field."""
    return rows_in([listing, field, next_start], [matches["listing"], matches["field"], matches["start"].astype(int)])


def _next_same_owner(matches: pd.DataFrame, tp: pd.DataFrame, next_start: np.ndarray) -> np.ndarray:
    """The next word starts another match of the same owner ("Jeep Wrangler", "Apple iPhone"): the mark is
    in its brand sense, whatever the goods."""
    return rows_in([tp["listing"].to_numpy(), tp["field"].astype(str), next_start, tp["owner"].astype(str)],
                   [matches["listing"], matches["field"], matches["start"].astype(int), matches["owner"].astype(str)])


def _context_columns(listings: pd.DataFrame, tp: pd.DataFrame, matches: pd.DataFrame,
                     texts: dict | None = None) -> dict[str, np.ndarray]:
    """The columns read from the match's field text: position, neighbours, brackets, model numbers."""
    listing, field = tp["listing"].to_numpy(), tp["field"].astype(str).to_numpy(dtype=object)
    starts, ends = tp["start"].astype(int).to_numpy(), tp["end"].astype(int).to_numpy()
    ctx = field_contexts(listings, tp["listing"], tp["field"], ends, texts)
    near = neighbours(ctx, starts, ends)
    position = word_positions(ctx, tp["position"], near.first_tok)
    next_word, prev_word = near.next_word, near.prev_word
    nxt, prv = Distinct(next_word), Distinct(prev_word)  # each neighbouring word read once
    next_zipf = nxt.floats(_word_zipf)
    return {
        "ctx": ctx, "position": position, "model_after": near.model_after, "next_word": next_word,
        "prev_word": prev_word, "m_position": np.minimum(position, 30).astype(float),
        "m_first3": ((field == "title") & (position < 3)).astype(float),
        "m_pos_rel": relative_position(ctx, position), "m_is_last": (next_word == "").astype(float),
        "m_in_parens": in_brackets(ctx, starts).astype(float),
        "m_in_model_number": np.array([glued_in(ctx.fields[g].text, s, e) for g, s, e in
                                       zip(ctx.group.tolist(), starts.tolist(), ends.tolist(), strict=True)],
                                      dtype=float).reshape(len(tp)),
        "m_next_colour_material": nxt.floats(_colour_or_material),
        "m_prev_colour_material": prv.floats(_colour_or_material),
        "m_next_zipf": next_zipf,
        "m_next_en_excess": np.where(next_zipf > 0, nxt.floats(english_excess), 0.0),
        "m_next_digit": nxt.floats(_has_digit),
        "m_next_is_mark": _next_is_mark(matches, listing, field, near.next_start).astype(float),
        "next_same_owner": _next_same_owner(matches, tp, near.next_start),
        "m_prev_zipf": prv.floats(_word_zipf),
        "m_prev_digit": prv.floats(_has_digit),
        "m_first_word": (position == 0).astype(float),
    }


def _mark_columns(tp: pd.DataFrame, marks: pd.DataFrame, profile: SellerProfile) -> dict[str, np.ndarray]:
    """The columns read from the matched mark and its corpus record."""
    mark_ids = tp["mark_id"].to_numpy()
    known = mark_column(marks, KNOWN_KIND, mark_ids, normalise=True) if KNOWN_KIND in marks.columns else None
    kinds = mark_kinds(mark_column(marks, "kind", mark_ids, normalise=True), known)
    statuses = mark_column(marks, "status", mark_ids, normalise=True)
    mark_keys = tp["mark_key"].astype(str).to_numpy(dtype=object)
    similarity = pd.to_numeric(tp["similarity"]).to_numpy(dtype=float)
    return {
        **kind_features(kinds, statuses),
        "kind": kinds,
        "m_not_where_sold": registered_elsewhere(marks, mark_ids, sold_in(profile)).astype(float),
        "m_n_records_log": log_counts(optional_counts(tp, "n_records")),
        "m_n_owners_log": log_counts(optional_counts(tp, "n_owners")),
        **method_features(tp["method"].astype(str).to_numpy(dtype=object)),
        "m_similarity": np.where(np.isnan(similarity), 1.0, similarity / 100.0),
        **_word_columns(tp, mark_keys),
    }


def _word_columns(tp: pd.DataFrame, mark_keys: np.ndarray) -> dict[str, np.ndarray]:
    """:func:`mark_word_features` of the matched marks; a match of an alias written in another script counts
    as common as the alias is in its language, when that is more (:func:`alias_zipf`)."""
    cols = mark_word_features(tp["mark"].fillna("").astype(str), mark_keys)
    if "alias" in tp.columns:
        local = alias_zipf(tp["alias"].to_numpy(dtype=object))
        cols["m_mark_zipf"] = np.maximum(cols["m_mark_zipf"], local)
        cols["m_mark_max_token_zipf"] = np.maximum(cols["m_mark_max_token_zipf"], local)
    return cols


def _cue_columns(tp: pd.DataFrame) -> dict[str, np.ndarray]:
    """The columns of the matcher's cue detector: compatibility, counterfeit and comparison cues."""
    cue, fake, comparison = _text(tp["nominative_cue"]), _text(tp["counterfeit_cue"]), _str_column(tp, "comparison_cue")
    side = _str_column(tp, "cue_side")
    in_clause = (tp["cue_in_clause"].astype(object).fillna(False).astype(bool).to_numpy()
                 if "cue_in_clause" in tp.columns else np.zeros(len(tp), dtype=bool))
    return {"cue": cue, "fake_cue": fake, "comparison_cue": comparison,
            "m_nominative_cue": (cue != "").astype(float), "m_cue_before": (side == "before").astype(float),
            "m_cue_after": (side == "after").astype(float), "m_cue_in_clause": in_clause.astype(float),
            "m_comparison": (comparison != "").astype(float), "m_counterfeit": (fake != "").astype(float),
            "m_symbol": np.array([bool(s.strip()) for s in _text(tp["symbol"])], dtype=float).reshape(len(tp))}


def _brand_columns(listings: pd.DataFrame, tp: pd.DataFrame, matches: pd.DataFrame, profile: SellerProfile,
                   brand_keys: pd.Series, cols: dict) -> dict[str, np.ndarray]:
    """The columns that compare the match with the declared brand, the seller's brands and the owner."""
    listing, field = tp["listing"].to_numpy(), tp["field"].astype(str).to_numpy(dtype=object)
    brands = listings["brand"].astype(str) if "brand" in listings.columns else pd.Series("", index=listings.index)
    bkeys = brand_keys.reindex(listing).fillna("").to_numpy(dtype=object)
    mark_keys = tp["mark_key"].astype(str).to_numpy(dtype=object)
    owner_keys = cols["owner_keys"]
    words = mark_words(tp["mark"].astype(str).to_numpy(dtype=object))
    declared, owner_declared = dec.declared_brand(field, bkeys, dec.brand_words_of(brands, listing), mark_keys,
                                                  words, owner_keys)
    own_first = dec.first_own_start(cols["ctx"], listing, field, matches, profile)
    starts = tp["start"].astype(int).to_numpy()
    other_first = dec.other_brand_first(cols["ctx"], cols["position"], dec.declared_other(bkeys, declared, owner_declared),
                                        bkeys, own_first)
    nominative = cols["m_nominative_cue"] > 0
    fitment = other_first & cols["model_after"] & ~nominative
    # the product's noun comes first ("Floor Liners Toyota Camry"), or the mark is part of the seller's own
    # product code ("incipio ipad-208 feather"); "ipad 2 case", "radeon hd6750 video card" name the product
    fitment &= (cols["m_in_model_number"] > 0) | product_named_before(cols["ctx"], starts, fitment)
    return {
        "m_keywords_only": dec.keywords_only(listing, field, owner_keys, mark_keys).astype(float),
        "m_fitment": fitment.astype(float),
        "m_other_brand_first": other_first.astype(float), "m_model_after": cols["model_after"].astype(float),
        "m_is_declared_brand": declared.astype(float), "m_owner_is_declared": owner_declared.astype(float),
        "m_owner_matched_too": dec.owner_matched_too(listing, owner_keys, mark_keys).astype(float),
        "m_own_before": (own_first < starts).astype(float),
    }


#: The order of the match table's columns (the info columns and the per-match features interleaved, as the
#: table has always been laid out).
_ORDER = (
    "listing", "field", "start", "end", "matched_text", "mark", "mark_key", "owner", "kind", "cue", "fake_cue",
    "next_word", "prev_word", "comparison_cue", "owners_considered", "match_row", "mark_id", "jurisdiction",
    "m_field_title", "m_field_brand", "m_field_other", "m_position", "m_first3", "m_pos_rel", "m_is_last",
    "m_nominative_cue", "m_cue_before", "m_cue_after", "m_in_parens", "m_cue_in_clause", "m_comparison",
    "m_keywords_only", "m_fitment", "m_other_brand_first", "m_model_after", "m_owner_cued", "m_in_model_number",
    "m_counterfeit", "m_symbol", "m_method_exact", "m_method_joinsplit", "m_method_fuzzy", "m_similarity",
    "m_mark_zipf", "m_mark_max_token_zipf", "m_mark_en_excess", "m_mark_tokens", "m_mark_len", "m_kind_brand",
    "m_kind_line", "m_kind_merch", "m_kind_word", "m_kind_unknown", "m_status_live", "m_status_dead",
    "m_status_pending", "m_not_where_sold", "m_n_records_log", "m_n_owners_log", "m_is_declared_brand",
    "m_owner_is_declared", "m_owner_matched_too", "m_own_before", "m_class_overlap", "m_goods_rel",
    "m_goods_same", "m_goods_unknown", "m_owner_chosen", "m_goods_known", "m_mark_dictionary",
    "m_word_off_goods", "m_next_colour_material", "m_prev_colour_material", "m_next_zipf", "m_next_en_excess",
    "m_next_digit", "m_next_is_mark", "m_prev_zipf", "m_prev_digit", "m_first_word",
)


def match_table(
    listings: pd.DataFrame,
    matches: pd.DataFrame,
    corpus: Corpus,
    profile: SellerProfile | None = None,
) -> pd.DataFrame:
    """One row per third-party match: ``m_*`` features plus :data:`MATCH_TABLE_INFO` and ``strength``.

    ``strength`` orders the matches of a listing by how strongly they suggest trademark use, before any
    model is applied (see :func:`strength_order`); the first is the listing's "strongest" match. Cues come
    from the matcher's cue detector (:mod:`scanner.match.cues`), the only one in the project.
    """
    profile = profile or SellerProfile()
    if matches is None or matches.empty:
        return _empty_match_table()
    brand_keys = brand_keys_of(listings)
    tp = _third_party(matches, brand_keys)
    if tp.empty:
        return _empty_match_table()
    marks = corpus.marks
    texts: dict = {}  # the field texts read, once per distinct text (titles: goods and context columns)
    product = product_classes(listings, tp["listing"], texts=texts)
    tp = choose_owners(tp, marks, product)
    field = tp["field"].astype(str).to_numpy(dtype=object)
    cols: dict = {"owner_keys": keys_of(tp["owner"]).to_numpy(dtype=object)}
    cols.update(_context_columns(listings, tp, matches, texts))
    cols.update(_cue_columns(tp))
    cols.update(_mark_columns(tp, marks, profile))
    cols.update(_brand_columns(listings, tp, matches, profile, brand_keys, cols))
    categories = listings["category"].astype(str) if "category" in listings.columns else None
    cols.update(goods_features(tp["listing"].to_numpy(), mark_column(marks, "nice_classes", tp["mark_id"].to_numpy()),
                               categories, product))
    dictionary = cols.pop("dictionary")
    # a dictionary word followed by another mark of its owner ("Jeep Wrangler") or by a company word ("Buddy
    # Products") is the brand, not the ordinary word
    brand_sense = cols.pop("next_same_owner") | pd.Series(cols["next_word"], dtype=object).str.lower().isin(COMPANY_WORDS).to_numpy()
    off_goods = dictionary & ~brand_sense & (cols["m_goods_rel"] >= 0) & (cols["m_goods_same"] == 0)
    # the matches' text columns are handed over as string arrays: as lists, every text was turned back into
    # a string column one value at a time (at a million marks about a twentieth of the table's time)
    cols.update({
        "listing": tp["listing"].tolist(), "field": tp["field"].astype(str).array,
        "start": tp["start"].astype(int).tolist(), "end": tp["end"].astype(int).tolist(),
        "matched_text": tp["matched_text"].astype(str).array, "mark": tp["mark"].astype(str).array,
        "mark_key": tp["mark_key"].astype(str).array, "owner": tp["owner"].astype(str).array,
        "owners_considered": tp["owners_considered"].astype(int).tolist(),
        "match_row": tp.index.tolist(), "mark_id": tp["mark_id"].astype(int).tolist(),
        "jurisdiction": mark_column(marks, "jurisdiction", tp["mark_id"].to_numpy()),
        "m_field_title": (field == "title").astype(float), "m_field_brand": (field == "brand").astype(float),
        "m_field_other": (~isin_text(field, ("title", "brand"))).astype(float), "m_owner_cued": np.zeros(len(tp)),
        "m_owner_chosen": tp["owner_chosen"].astype(bool).to_numpy().astype(float),
        "m_mark_dictionary": dictionary.astype(float),
        "m_word_off_goods": off_goods.astype(float),
    })
    # the columns are new arrays made for this table: taken as they are, not copied into consolidated blocks
    # (at a million marks, ~80 columns of 200,000 matches: 0.3 s instead of 0.6-1.2 s a batch)
    table = new_frame({name: cols[name] for name in _ORDER})
    table["m_owner_cued"] = cued_elsewhere(table, cols["owner_keys"])
    table["strength"] = strength_order(table)
    return table
