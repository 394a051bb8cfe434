"""Does the mark's registration cover the product? The product's Nice classes (from its title and category,
:mod:`scanner.goods`), their relatedness to the mark's classes, and -- where several owners hold the matched
word -- the owner whose goods fit the product best. Computed once per (listing, class list)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..frames import Distinct
from ..goods import category_classes, infer_classes, parse_classes, relatedness
from .marks import mark_column
from .text_context import FieldText, content_text

#: A product class counts for "registered for the product's goods" from this confidence on.
GOODS_MIN_CONFIDENCE = 0.3


def product_classes(listings: pd.DataFrame, labels, *, texts: dict[str, FieldText] | None = None
                    ) -> dict[object, dict[int, float]]:
    """``{listing: {Nice class: confidence}}`` for the listings ``labels``, from title and category
    (:func:`scanner.goods.infer_classes`). ``texts``: a cache of the titles read (see
    :func:`.text_context.field_text`)."""
    labels = list(dict.fromkeys(labels))
    if not labels:
        return {}
    titles = listings["title"].reindex(labels).fillna("").astype(str).tolist()
    cats = (listings["category"].reindex(labels).fillna("").astype(str).tolist()
            if "category" in listings.columns else None)
    # once per distinct (title, category): a catalogue repeats its titles (variants of one product)
    keys = list(zip(titles, cats, strict=True)) if cats is not None else [(t, "") for t in titles]
    distinct = list(dict.fromkeys(keys))
    inferred = infer_classes([content_text(t, texts) for t, _ in distinct],
                             [c for _, c in distinct] if cats is not None else None)
    found = dict(zip(distinct, inferred, strict=True))
    return {lab: dict(found[k]) for lab, k in zip(labels, keys, strict=True)}


def _goods_fit(product: dict[int, float], classes: frozenset[int]) -> tuple[float, bool]:
    """(relatedness, or -1 when unknown; the product falls in one of the mark's classes)."""
    rel = relatedness(product, classes) if product and classes else math.nan
    same = any(c in classes for c, w in product.items() if w >= GOODS_MIN_CONFIDENCE)
    return (-1.0 if math.isnan(rel) else rel), same


class _Fits:
    """:func:`_goods_fit` once per distinct (product classes, mark class list): many listings share their
    product classes, many marks their class list."""

    def __init__(self) -> None:
        self._parsed: dict[str, frozenset[int]] = {}
        self._fits: dict[tuple, tuple[float, bool]] = {}
        # id of a listing's product classes -> (the dict, held so that its id stays its own; its items):
        # the matches of a listing share one dict, made into a key once
        self._goods: dict[int, tuple[dict[int, float], tuple]] = {}

    def classes(self, text: str) -> frozenset[int]:
        found = self._parsed.get(text)
        if found is None:
            found = self._parsed[text] = parse_classes(text)
        return found

    def fit(self, goods: dict[int, float], text: str) -> tuple[float, bool]:
        held = self._goods.get(id(goods))
        if held is None:
            held = self._goods[id(goods)] = (goods, tuple(goods.items()))
        key = (held[1], text)
        found = self._fits.get(key)
        if found is None:
            found = self._fits[key] = _goods_fit(goods, self.classes(text))
        return found


def choose_owners(tp: pd.DataFrame, marks: pd.DataFrame, product: dict[object, dict[int, float]]) -> pd.DataFrame:
    """Where several owners hold the matched word (``alt_mark_ids``), report the record whose goods fit the
    product best (a suspension part is not a synthesizer); ties keep the matcher's representative record.
    Adds ``owner_chosen`` (bool) and ``owners_considered`` (int).

    At a million marks a batch has ~10 candidate records for each of its ~50,000 matches: the candidates are
    arrays (their ids split by Arrow, their class lists numbered), and the fit is computed once per
    (listing, class list)."""
    tp = tp.copy()
    tp["owner_chosen"] = False
    tp["owners_considered"] = 1
    if "alt_mark_ids" not in tp.columns:
        return tp
    alts = tp["alt_mark_ids"].astype(object).fillna("").astype(str).to_numpy()
    rows = np.flatnonzero(alts != "")
    if not len(rows):
        return tp
    # one row per (match, candidate record): the matcher's record first (k = 0), then the alternatives
    row, k, ids = _candidates(tp["mark_id"].to_numpy()[rows], alts[rows])
    counts = np.bincount(row, minlength=len(rows))
    tp.iloc[rows, tp.columns.get_loc("owners_considered")] = counts
    listing_code, listings = pd.factorize(tp["listing"].to_numpy()[rows])
    goods = [product.get(lab, {}) for lab in listings]
    has_goods = np.array([bool(g) for g in goods], dtype=bool)
    keep = has_goods[listing_code[row]]
    row, k, ids = row[keep], k[keep], ids[keep]
    if not len(row):
        return tp
    text_code, texts = _column_codes(marks, "nice_classes", ids)
    # the fit depends on the listing's product classes and the record's class list only
    pair, inverse = np.unique(listing_code[row] * np.int64(len(texts)) + text_code, return_inverse=True)
    fits = _Fits()
    fit_of = [fits.fit(goods[p // len(texts)], texts[p % len(texts)]) for p in pair.tolist()]
    rel = np.array([f[0] for f in fit_of], dtype=float)[inverse.reshape(-1)]
    same = np.array([f[1] for f in fit_of], dtype=bool)[inverse.reshape(-1)]
    # per match: the candidate whose goods are the same, then the most related, then the first
    order = np.lexsort((k, -rel, ~same, row))
    first = order[np.flatnonzero(np.diff(row[order], prepend=-1))]
    first = first[k[first] > 0]
    where = rows[row[first]]
    chosen = ids[first]
    for column in ("mark_id", "owner", "mark"):
        values = chosen if column == "mark_id" else marks[column].reindex(chosen).to_numpy(dtype=object)
        tp.iloc[where, tp.columns.get_loc(column)] = values
    tp.iloc[where, tp.columns.get_loc("owner_chosen")] = True
    return tp


def _candidates(mark_ids: np.ndarray, alts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(row, k, id)``, one entry per candidate record of each match: its number among ``mark_ids`` (the
    matches' records), 0 for the match's own record then 1, 2, ... for the ids of its ``alts``
    (``;``-separated), in order."""
    lists = pc.split_pattern(pa.array(alts, type=pa.large_string()), ";")
    flat = pc.list_flatten(lists)
    owner = pc.list_parent_indices(lists).to_numpy()
    named = (pc.not_equal(flat, "")).to_numpy(zero_copy_only=False)
    alt_ids = pc.cast(pc.filter(flat, named), pa.int64()).to_numpy()
    owner = owner[named]
    n = len(mark_ids)
    row = np.concatenate([np.arange(n, dtype=np.int64), owner.astype(np.int64)])
    ids = np.concatenate([np.asarray(mark_ids, dtype=np.int64), alt_ids])
    order = np.argsort(row, kind="stable")  # each match's own record, then its alternatives as written
    row, ids = row[order], ids[order]
    starts = np.flatnonzero(np.diff(row, prepend=-1))
    k = np.arange(len(row), dtype=np.int64) - np.repeat(starts, np.diff(np.append(starts, len(row))))
    return row, k, ids


def _column_codes(marks: pd.DataFrame, name: str, mark_ids: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """The corpus column ``name`` of each of ``mark_ids`` (:func:`.marks.mark_column`), numbered:
    ``(codes, distinct values)``; each distinct id read once."""
    uniq, inverse = np.unique(mark_ids, return_inverse=True)
    distinct = Distinct(mark_column(marks, name, uniq))
    return np.asarray(distinct.codes, dtype=np.int64)[inverse.reshape(-1)], [str(v) for v in distinct.uniques]


def goods_features(listing: np.ndarray, classes: np.ndarray, categories: pd.Series | None,
                   product: dict[object, dict[int, float]]) -> dict[str, np.ndarray]:
    """Per match: ``m_class_overlap`` (the mark's classes meet the category's), ``m_goods_rel``,
    ``m_goods_same``, ``m_goods_unknown``, ``m_goods_known`` (see FEATURE_DOCS); computed once per distinct
    (product classes, category, class list): at a million marks a batch's ~40,000 (listing, class list)
    pairs hold about 10,000 of them."""
    lcode, labels = pd.factorize(np.asarray(listing))
    goods = [product.get(lab, {}) for lab in labels]
    gcode, _ = pd.factorize(pd.Series([tuple(g.items()) for g in goods], dtype=object))
    first_of = np.unique(gcode, return_index=True)[1]  # a listing holding each distinct product classes
    if categories is not None:
        ccode, cats = pd.factorize(pd.Series(categories.reindex(labels).fillna("").tolist(), dtype=object))
    else:
        ccode, cats = np.zeros(len(labels), dtype=np.int64), [""]
    class_lists = Distinct(classes)
    tcode, texts = class_lists.codes, class_lists.uniques
    nc, nt = max(len(cats), 1), max(len(texts), 1)
    key = (gcode[lcode].astype(np.int64) * nc + ccode[lcode]) * nt + tcode
    distinct, inverse = np.unique(key, return_inverse=True)
    fits = _Fits()
    rows = []
    for k in distinct.tolist():
        g, rest = divmod(k, nc * nt)
        c, t = divmod(rest, nt)
        mark_classes = fits.classes(texts[t])
        cat = category_classes(cats[c]) if categories is not None else frozenset()
        own = goods[first_of[g]]
        rel, same = fits.fit(own, texts[t])
        rows.append((float(bool(cat & mark_classes)), rel, float(same), float(rel < 0), float(bool(own))))
    table = np.array(rows, dtype=float).reshape(len(rows), 5)[inverse.reshape(-1)]
    return {"m_class_overlap": table[:, 0], "m_goods_rel": table[:, 1], "m_goods_same": table[:, 2],
            "m_goods_unknown": table[:, 3], "m_goods_known": table[:, 4]}
