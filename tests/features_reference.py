"""The feature code as it was before the vectorised ``scanner.features`` package (b9d0d55): one Python
loop per match, kept unchanged as the slow, obviously-correct reference that
``tests/test_features_equivalence.py`` compares the package against, column by column.

Only the feature *names* (``FEATURE_NAMES``, ``MATCH_TABLE_INFO``) come from the package: they are the
contract; every value is computed here by the old code. Do not "improve" this module: it is the yardstick.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from scanner.config import SellerProfile
from scanner.corpus import Corpus
from scanner.dictionary import is_dictionary_phrase
from scanner.features import FEATURE_NAMES, MATCH_TABLE_INFO
from scanner.frequency import EXCESS_LANGUAGES as OTHER_LANGUAGES
from scanner.frequency import english_excess, word_zipf
from scanner.goods import category_classes, infer_classes, parse_classes, relatedness
from scanner.jurisdictions import covers_where_sold, sold_in
from scanner.placeholders import PLACEHOLDER_KEYS
from scanner.text import brand_key
from scanner.wordlists import COLOUR_WORDS, MATERIAL_WORDS, content_bounds, is_trivia

PLACEHOLDER_BRANDS: frozenset[str] = PLACEHOLDER_KEYS
#: Mark kinds of the trademark CSV that name a specific source (everything but "word").
_LINE_KINDS = ("product_line",)
_MERCH_KINDS = ("franchise", "character", "team")
_FUZZY_METHODS = ("typo", "phonetic")  # a misspelling; "translit" (the mark read from another script,
# "Пума" as PUMA) is the mark written otherwise, not a misspelling: it counts as exact
_JOIN_METHODS = ("joined", "split")

_TOKEN = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
#: The match is glued to a model number ("ipad-209", "ipad2", "209-ipad"): a digit right next to it, or a
#: word with a digit joined to it by "-", "/" or "_". A plain word joined by a hyphen ("new-LEGO") is not.
_MODEL_GLUE_AFTER = re.compile(r"^(?:\d|[-/_]\w*\d)")
_MODEL_GLUE_BEFORE = re.compile(r"(?:\d|\d\w*[-/_])$")
#: A model number or year range after a mark ("Camry 2018-2023", "Latitude E6420", "911").
_MODEL_REF = re.compile(r"\d")

_PER_MATCH = [name[2:] for name in FEATURE_NAMES if name.startswith("s_") and name != "s_present"]


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _own_name_counts(listings: pd.DataFrame, profile: SellerProfile) -> np.ndarray | None:
    """Per listing, how often the seller's own brand names are written in its text fields (None: no names)."""
    names = {brand_key(b) for b in profile.own_brands} - {""}
    if not names:
        return None
    total = np.zeros(len(listings), dtype=float)
    for fld in ("title", "brand", "bullets", "description", "keywords"):
        if fld in listings.columns:
            total += np.fromiter((len(_own_name_starts(_FieldText(str(t)), names)) if t else 0
                                  for t in listings[fld].fillna("").astype(str)), dtype=float, count=len(listings))
    return total


def _registered_elsewhere(marks: pd.DataFrame, mark_ids: np.ndarray, markets: tuple[str, ...]) -> np.ndarray:
    """Per matched mark: registered only where the seller does not sell (False when it counts there or
    cannot be told: no jurisdiction, unknown marketplace), by :func:`scanner.jurisdictions.covers_where_sold`."""
    if not markets or len(mark_ids) == 0:
        return np.zeros(len(mark_ids), dtype=bool)

    def col(name: str) -> pd.Series:
        values = marks[name] if name in marks.columns else pd.Series("", index=marks.index)
        return values.reindex(mark_ids).fillna("").astype(str).reset_index(drop=True)

    reg, filed = col("registration_date"), col("filing_date")
    covers = covers_where_sold(col("jurisdiction"), col("designations"), reg.where(reg != "", filed), markets)
    return (covers == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712 (nullable boolean)


def _own_name_starts(ft: _FieldText, own_names: set[str]) -> list[int]:
    """Where one of the seller's own brand names (as :func:`brand_key` keys) is written in the field: a run of
    1-3 tokens whose key is the name ("Harbor Mist", "harbormist", "HARBOR-MIST")."""
    toks = ft.toks
    starts = []
    for i in range(len(toks)):
        for n in (1, 2, 3):
            if i + n > len(toks):
                break
            if brand_key("".join(t[2] for t in toks[i:i + n])) in own_names:
                starts.append(toks[i][0])
                break
    return starts


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


def _str_column(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A text column the matcher may add (``comparison_cue``, ``cue_side``); "" where absent or missing."""
    if column not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    return frame[column].astype(object).fillna("").astype(str).to_numpy(dtype=object)


def _third_party(listings: pd.DataFrame, matches: pd.DataFrame, brand_keys: pd.Series) -> pd.DataFrame:
    """The matches that can be a risk: not own, not authorized, not the brand field when it is a placeholder."""
    own = matches["own"].astype(bool) | matches["authorized"].astype(bool)
    tp = matches[~own]
    placeholder = brand_keys.isin(PLACEHOLDER_BRANDS)
    drop = (tp["field"] == "brand") & tp["listing"].map(placeholder).fillna(False).astype(bool)
    return tp[~drop]


class _FieldText:
    """One listing field as the features read it: "_" reads as a space; tokens; where content starts/ends
    once trivia words ("NEW", "hot sale", "2024") at either end are left out."""

    __slots__ = ("text", "low", "toks", "first", "last", "n_content")

    def __init__(self, text: str) -> None:
        self.text = text.replace("_", " ")
        self.low = self.text.lower()
        self.toks = _tokens(self.text)
        self.first, self.last = content_bounds([t[2] for t in self.toks])
        # a year joined to another number is a fitment range ("2018-2023"), not a trivia suffix
        toks = self.toks
        while self.first <= self.last + 1 < len(toks) and any(
                self._joined(a, b) for a, b in ((self.last, self.last + 1), (self.last + 1, self.last + 2))):
            self.last += 1
        self.n_content = max(self.last - self.first + 1, 1)

    def _joined(self, a: int, b: int) -> bool:
        """Tokens ``a`` and ``b`` are numbers written as one range ("2018-2023", "2018/19")."""
        toks = self.toks
        if a < 0 or b >= len(toks):
            return False
        gap = self.text[toks[a][1]:toks[b][0]]
        return gap in ("-", "–", "/") and toks[a][2][:1].isdigit() and toks[b][2][:1].isdigit()

    def neighbours(self, start: int, end: int) -> tuple[int, str, str, int, list[str]]:
        """(token index of the match's first token, previous word, next word, next word's start, the 3 words
        after it); trivia words outside the content run count as no word (start -1)."""
        toks = self.toks
        first_tok = next((k for k, t in enumerate(toks) if t[1] > start), len(toks))
        prev_k = max((k for k, t in enumerate(toks) if t[1] <= start), default=-1)
        next_k = next((k for k, t in enumerate(toks) if t[0] >= end), len(toks))
        prev_word = toks[prev_k][2] if self.first <= prev_k <= self.last else ""
        has_next = next_k <= self.last
        next_word = toks[next_k][2] if has_next else ""
        after = [t[2] for t in toks[next_k: min(next_k + 3, self.last + 1)]]
        return first_tok, prev_word, next_word, (toks[next_k][0] if has_next else -1), after


#: A product class counts for "registered for the product's goods" from this confidence on.
GOODS_MIN_CONFIDENCE = 0.3


def product_classes(listings: pd.DataFrame, labels) -> dict[object, dict[int, float]]:
    """``{listing: {Nice class: confidence}}`` for the listings ``labels``, from title and category
    (:func:`scanner.goods.infer_classes`)."""
    labels = list(dict.fromkeys(labels))
    if not labels:
        return {}
    titles = [_content_text(t) for t in listings["title"].reindex(labels).fillna("").astype(str)]
    cats = (listings["category"].reindex(labels).fillna("").astype(str).tolist()
            if "category" in listings.columns else None)
    return dict(zip(labels, infer_classes(titles, cats), strict=True))


def _content_text(title: str) -> str:
    """The title without trivia words at either end ("NEW/..." "... 2024"), for the goods inference."""
    ft = _FieldText(title)
    if ft.last < ft.first:
        return ft.text
    return ft.text[ft.toks[ft.first][0]:ft.toks[ft.last][1]]


def _goods_fit(product: dict[int, float], classes: frozenset[int]) -> tuple[float, bool]:
    """(relatedness, or -1 when unknown; the product falls in one of the mark's classes)."""
    rel = relatedness(product, classes) if product and classes else math.nan
    same = any(c in classes for c, w in product.items() if w >= GOODS_MIN_CONFIDENCE)
    return (-1.0 if math.isnan(rel) else rel), same


def choose_owners(tp: pd.DataFrame, marks: pd.DataFrame, product: dict[object, dict[int, float]]) -> pd.DataFrame:
    """Where several owners hold the matched word (``alt_mark_ids``), report the record whose goods fit the
    product best (a suspension part is not a synthesizer); ties keep the matcher's representative record.
    Adds ``owner_chosen`` (bool) and ``owners_considered`` (int)."""
    tp = tp.copy()
    tp["owner_chosen"] = False
    tp["owners_considered"] = 1
    if "alt_mark_ids" not in tp.columns:
        return tp
    alts = tp["alt_mark_ids"].astype(object).fillna("").astype(str)
    classes_of = marks["nice_classes"].fillna("").astype(str)
    for i in np.flatnonzero((alts != "").to_numpy()):
        label = tp.index[i]
        goods = product.get(tp.at[label, "listing"], {})
        ids = [int(tp.at[label, "mark_id"])] + [int(x) for x in alts.iat[i].split(";") if x]
        tp.at[label, "owners_considered"] = len(ids)
        if not goods:
            continue
        fits = [_goods_fit(goods, parse_classes(classes_of.get(m, ""))) for m in ids]
        best = max(range(len(ids)), key=lambda k: (fits[k][1], fits[k][0], -k))
        if best:
            rec = marks.loc[ids[best]]
            tp.at[label, "mark_id"] = ids[best]
            tp.at[label, "owner"] = rec["owner"]
            tp.at[label, "mark"] = rec["mark"]
            tp.at[label, "owner_chosen"] = True
    return tp


def _glued(before: str, after: str) -> bool:
    """The match is glued to a model number (see ``_MODEL_GLUE_*``); a trivia word or year joined to it
    ("2025/Hot Wheels", "LEGO-2024") is not a model number."""
    low_before, low_after = before.lower(), after.lower()
    if _MODEL_GLUE_BEFORE.search(low_before):
        neighbour = re.split(r"[\s]+", low_before)[-1].rstrip("-/_")
        if not is_trivia(neighbour):
            return True
    if _MODEL_GLUE_AFTER.match(low_after):
        neighbour = re.split(r"[\s,;]+", low_after.lstrip("-/_"))[0]
        if not is_trivia(neighbour):
            return True
    return False


def _lead_key(field: _FieldText) -> str:
    """brand_key of the title's first content word, "" when there is none."""
    if field.last < field.first:
        return ""
    return brand_key(field.toks[field.first][2])


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
    brands = listings["brand"].astype(str) if "brand" in listings.columns else pd.Series("", index=listings.index)
    brand_keys = brands.map(brand_key)
    tp = _third_party(listings, matches, brand_keys)
    if tp.empty:
        return _empty_match_table()
    marks = corpus.marks
    product = product_classes(listings, tp["listing"])
    tp = choose_owners(tp, marks, product)

    mark_ids = tp["mark_id"].to_numpy()
    kinds = marks["kind"].reindex(mark_ids).fillna("").astype(str).str.strip().str.lower().to_numpy()
    statuses = marks["status"].reindex(mark_ids).fillna("").astype(str).str.strip().str.lower().to_numpy()
    elsewhere = _registered_elsewhere(marks, mark_ids, sold_in(profile))
    jurisdictions = (marks["jurisdiction"].reindex(mark_ids).fillna("").astype(str).to_numpy()
                     if "jurisdiction" in marks.columns else np.full(len(mark_ids), "", dtype=object))
    classes = marks["nice_classes"].reindex(mark_ids).fillna("").astype(str).to_numpy()
    categories = listings["category"].astype(str) if "category" in listings.columns else None
    n_records = _optional_counts(tp, "n_records")
    n_owners = _optional_counts(tp, "n_owners")
    comparison = _str_column(tp, "comparison_cue")
    side = _str_column(tp, "cue_side")
    in_clause = (tp["cue_in_clause"].astype(object).fillna(False).astype(bool).to_numpy() if "cue_in_clause" in tp.columns
                 else np.zeros(len(tp), dtype=bool))

    # own matches per (listing, field): their starts, for "own mark earlier in the field"
    own_starts: dict[tuple[int, str], list[int]] = {}
    own = matches["own"].astype(bool) | matches["authorized"].astype(bool)
    for rec in matches[own].itertuples(index=False):
        own_starts.setdefault((rec.listing, rec.field), []).append(int(rec.start))
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
    # where each mark (or its owner) is found, for "only in the search keywords"
    seen_in: dict[tuple[int, str], set[str]] = {}
    for listing, fld, okey, mkey in zip(tp["listing"], tp["field"], owner_keys, mark_keys, strict=True):
        seen_in.setdefault((listing, okey or mkey), set()).add(fld)

    # the seller's own and authorized brands as written in the text: most small brands are in no register, so
    # "own brand first" cannot rest on own *matches* alone ("Roadmark Floor Liners Toyota Camry 2018-2024")
    own_names = {brand_key(b) for b in (*profile.own_brands, *profile.authorized_brands)} - {""}

    texts: dict[tuple[int, str], _FieldText] = {}
    rows = []
    for i, (match_row, rec) in enumerate(zip(tp.index, tp.itertuples(index=False), strict=True)):
        listing, fld = rec.listing, rec.field
        key = (listing, fld)
        ft = texts.get(key)
        if ft is None:
            ft = texts[key] = _FieldText(str(listings.at[listing, fld]) if fld in listings.columns else "")
            if own_names:
                found = _own_name_starts(ft, own_names)
                if found:
                    own_starts[key] = sorted({*own_starts.get(key, ()), *found})
        start, end = int(rec.start), int(rec.end)
        before, after = ft.text[:start], ft.text[end:]
        tok_idx, prev_word, next_word, next_start, after_words = ft.neighbours(start, end)
        prev_zipf, prev_digit = _word_features(prev_word)
        next_zipf, next_digit = _word_features(next_word)
        lead_trivia = min(tok_idx, ft.first)
        position = max((int(rec.position) if pd.notna(rec.position) else 0) - lead_trivia, 0)
        mark = str(rec.mark)
        mkey = mark_keys[i]
        mark_words = _TOKEN.findall(mark.lower())
        kind = kinds[i]
        status = statuses[i]
        matcher_cue = str(rec.nominative_cue or "")
        matcher_fake = str(rec.counterfeit_cue or "")
        bkey = brand_keys.get(listing, "")
        okey = owner_keys[i]
        declared = fld == "brand" or (bool(bkey) and bkey == mkey)
        if not declared and bkey and mark_words:
            bwords = _TOKEN.findall(str(brands.get(listing, "")).lower())
            declared = bwords[: len(mark_words)] == mark_words
        owner_declared = not declared and bool(bkey) and bool(okey) and (
            okey == bkey or (len(bkey) >= 4 and okey.startswith(bkey)))
        method = str(rec.method)
        cat_classes = category_classes(categories.get(listing, "")) if categories is not None else frozenset()
        mark_classes = parse_classes(classes[i])
        goods = product.get(listing, {})
        goods_rel, goods_same = _goods_fit(goods, mark_classes)
        dictionary = is_dictionary_phrase(mark_words)
        same_owner = owners_per_listing.get(listing, {}).get(okey, set()) if okey else set()
        symbol = str(rec.symbol or "")
        own_before = any(st < start for st in own_starts.get(key, ()))
        # another brand leads the field: the declared brand (not this one), an own mark, or a coined word
        lead_start = ft.toks[ft.first][0] if ft.last >= ft.first else -1
        declared_other = bool(bkey) and bkey not in PLACEHOLDER_BRANDS and not declared and not owner_declared
        other_first = position > 0 and (
            (declared_other and _lead_key(ft) == bkey)
            or any(st <= lead_start for st in own_starts.get(key, ())))
        model_after = any(_MODEL_REF.search(w) for w in after_words)
        nominative = bool(matcher_cue)
        rows.append({
            "listing": listing,
            "field": fld,
            "start": start,
            "end": end,
            "matched_text": str(rec.matched_text),
            "mark": mark,
            "mark_key": mkey,
            "owner": str(rec.owner),
            "kind": kind,
            "cue": matcher_cue,
            "fake_cue": matcher_fake,
            "next_word": next_word,
            "prev_word": prev_word,
            "comparison_cue": comparison[i],
            "owners_considered": int(rec.owners_considered),
            "match_row": match_row,
            "mark_id": int(rec.mark_id),
            "jurisdiction": jurisdictions[i],
            "m_field_title": float(fld == "title"),
            "m_field_brand": float(fld == "brand"),
            "m_field_other": float(fld not in ("title", "brand")),
            "m_position": float(min(position, 30)),
            "m_first3": float(fld == "title" and position < 3),
            "m_pos_rel": min(position / max(ft.n_content - 1, 1), 1.0),
            "m_is_last": float(not next_word),
            "m_nominative_cue": float(nominative),
            "m_cue_before": float(side[i] == "before"),
            "m_cue_after": float(side[i] == "after"),
            "m_in_parens": float(before.count("(") + before.count("[") > before.count(")") + before.count("]")),
            "m_cue_in_clause": float(bool(in_clause[i])),
            "m_comparison": float(bool(comparison[i])),
            "m_keywords_only": float(seen_in.get((listing, okey or mkey), set()) <= {"keywords"}),
            "m_fitment": float(other_first and model_after and not nominative),
            "m_other_brand_first": float(other_first),
            "m_model_after": float(model_after),
            "m_owner_cued": 0.0,  # filled below, once every match's cues are known
            "m_in_model_number": float(_glued(before, after)),
            "m_counterfeit": float(bool(matcher_fake)),
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
            "m_not_where_sold": float(elsewhere[i]),
            "m_n_records_log": math.log1p(n_records[i]),
            "m_n_owners_log": math.log1p(n_owners[i]),
            "m_is_declared_brand": float(declared),
            "m_owner_is_declared": float(owner_declared),
            "m_owner_matched_too": float(len(same_owner - {mkey}) > 0),
            "m_own_before": float(own_before),
            "m_class_overlap": float(bool(cat_classes & mark_classes)),
            "m_goods_rel": goods_rel,
            "m_goods_same": float(goods_same),
            "m_goods_unknown": float(goods_rel < 0),
            "m_owner_chosen": float(bool(rec.owner_chosen)),
            "m_goods_known": float(bool(goods)),
            "m_mark_dictionary": float(dictionary),
            "m_word_off_goods": float(dictionary and goods_rel >= 0 and not goods_same),
            "m_next_colour_material": float(next_word.lower() in COLOUR_WORDS or next_word.lower() in MATERIAL_WORDS),
            "m_prev_colour_material": float(prev_word.lower() in COLOUR_WORDS or prev_word.lower() in MATERIAL_WORDS),
            "m_next_zipf": next_zipf,
            "m_next_en_excess": english_excess(next_word) if next_zipf > 0 else 0.0,
            "m_next_digit": float(next_digit),
            "m_next_is_mark": float(next_start in starts.get(key, ())),
            "m_prev_zipf": prev_zipf,
            "m_prev_digit": float(prev_digit),
            "m_first_word": float(position == 0),
        })
    table = pd.DataFrame(rows)
    table["m_owner_cued"] = _cued_elsewhere(table, owner_keys)
    table["strength"] = strength_order(table)
    return table


def _cued_elsewhere(table: pd.DataFrame, owner_keys: np.ndarray) -> np.ndarray:
    """1 where another mention of the same mark or owner in the same field has a compatibility cue ("incipio
    ipad-208 feather for apple ipad 2": the product code names what it fits). A mention that opens the field
    or is the declared brand stays a use even when a later mention is cued ("HP 564XL ink ... works with HP
    printers" is HP's ink); a cue in the description says nothing of the title ("for PIXMA printers" in
    the description does not make "Canon PG-245" in the title a reference)."""
    cued = ((table["m_nominative_cue"] + table["m_in_parens"] + table["m_cue_in_clause"]) > 0).astype(int)
    owner_key = pd.Series(owner_keys, index=table.index).where(lambda k: k != "", table["mark_key"])
    out = np.zeros(len(table))
    for keys in (table["mark_key"], owner_key):
        n_cued = cued.groupby([table["listing"], table["field"], keys]).transform("sum")
        out = np.maximum(out, ((n_cued - cued) > 0).to_numpy(dtype=float))
    leading = (table["m_position"].to_numpy() == 0) | (table["m_is_declared_brand"].to_numpy() > 0)
    return np.where(leading, 0.0, out)


def strength_order(table: pd.DataFrame) -> np.ndarray:
    """A fixed (not learned) prior of how strongly each match suggests trademark use; higher = stronger.

    Lexicographic: counterfeit or comparison cue, declared brand, looks like a specific mark (a kind other
    than "word", several words, or -- kind unknown -- a word rarer than zipf 4.5), no compatibility cue (nor a
    cued mention of the same owner, nor glued to a model number), among the first 3 words of the title, then
    rarer words and earlier positions. A dictionary-word mark on goods it is not registered for is not
    "specific". It only picks which match the ``s_*`` features describe.
    """
    if table.empty:
        return np.array([], dtype=float)
    specific = ((
        (table["m_kind_brand"] + table["m_kind_line"] + table["m_kind_merch"] > 0)
        | (table["m_mark_tokens"] > 1)
        | ((table["m_kind_unknown"] > 0) & (table["m_mark_zipf"] < 4.5))
    ) & (table["m_word_off_goods"] == 0)).astype(float)
    cue = (table["m_nominative_cue"] + table["m_cue_before"] + table["m_cue_after"] + table["m_in_parens"]
           + table["m_cue_in_clause"] + table["m_owner_cued"] + table["m_in_model_number"]) > 0
    return (
        np.maximum(table["m_counterfeit"].to_numpy(), table["m_comparison"].to_numpy()) * 1e6
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
    feats["title_n_tokens"] = titles.map(_content_length)
    declared, unknown, lead = unknown_brands(listings, matches, profile)
    feats["brand_declared_other"] = declared.astype(float)
    feats["brand_unknown"] = unknown.astype(float)
    feats["lead_unknown"] = lead.astype(float)
    if "category" in listings.columns:
        feats["category_known"] = listings["category"].astype(str).map(lambda c: float(bool(category_classes(c))))

    if matches is not None and not matches.empty:
        own = matches[matches["own"].astype(bool)]
        auth = matches[matches["authorized"].astype(bool) & ~matches["own"].astype(bool)]
        for name, part in (("n_own_matches", own), ("n_authorized_matches", auth)):
            counts = part.groupby("listing").size()
            feats.loc[counts.index, name] = counts.to_numpy(dtype=float)
    # the seller's own brands as written: most are in no register, so corpus matches alone would count 0
    written = _own_name_counts(listings, profile)
    if written is not None:
        feats["n_own_matches"] = np.maximum(feats["n_own_matches"].to_numpy(dtype=float), written)

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
    put("any_comparison", g["m_comparison"].max())
    put("any_keywords_only", g["m_keywords_only"].max())
    put("any_fitment", g["m_fitment"].max())
    put("any_goods_same", g["m_goods_same"].max())
    put("all_word_off_goods", g["m_word_off_goods"].min())
    put("max_goods_rel", g["m_goods_rel"].max())
    put("goods_known", g["m_goods_known"].max())
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


def _content_length(title: str) -> float:
    """Words in the title without trivia words at either end (capped at 60)."""
    first, last = content_bounds(_TOKEN.findall(title.replace("_", " ")))
    return float(min(max(last - first + 1, 0), 60))


def _not_a_word(word: str) -> bool:
    """A coined word: alphabetic, 4+ letters, not an ordinary word of English or a shop language."""
    from wordfreq import zipf_frequency

    w = word.lower()
    if len(w) < 4 or not w.isalpha():
        return False
    return word_zipf(w) < 2.0 and max(zipf_frequency(w, lang) for lang in OTHER_LANGUAGES) < 2.5


def unknown_brands(listings: pd.DataFrame, matches: pd.DataFrame | None, profile: SellerProfile
                   ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per listing: (the brand field names a brand that is not the seller's; ... and no corpus mark matches
    it; no brand field and the title starts with a coined word that no mark matches). A brand that is in no
    corpus is still someone's brand: a reseller of genuine goods is complained about too."""
    idx = listings.index
    brands = listings["brand"].astype(str) if "brand" in listings.columns else pd.Series("", index=idx)
    bkeys = brands.map(brand_key)
    mine = profile.own_keys | profile.authorized_keys | ({brand_key(profile.name)} if profile.name else set())
    has = matches is not None and not matches.empty
    in_brand = set(matches.loc[matches["field"] == "brand", "listing"]) if has else set()
    own_brand = set(matches.loc[(matches["field"] == "brand") & (matches["own"].astype(bool)
                                                                  | matches["authorized"].astype(bool)),
                                "listing"]) if has else set()
    declared = (bkeys != "") & ~bkeys.isin(PLACEHOLDER_BRANDS) & ~bkeys.isin(mine) & ~idx.isin(list(own_brand))
    unknown = declared & ~idx.isin(list(in_brand))
    title_matches: dict[object, list[tuple[int, int]]] = {}
    if has:
        tm = matches[matches["field"] == "title"]
        for listing, start, end in zip(tm["listing"], tm["start"], tm["end"], strict=True):
            title_matches.setdefault(listing, []).append((int(start), int(end)))
    lead = pd.Series(False, index=idx)
    no_brand = (bkeys == "") | bkeys.isin(PLACEHOLDER_BRANDS)
    titles = listings["title"].astype(str)
    for i in idx[no_brand.to_numpy()]:
        ft = _FieldText(titles.at[i])
        if ft.last < ft.first:
            continue
        t0, t1, word = ft.toks[ft.first]
        if brand_key(word) in mine or any(s < t1 and e > t0 for s, e in title_matches.get(i, ())):
            continue
        lead.at[i] = _not_a_word(word)
    return declared, unknown, lead

