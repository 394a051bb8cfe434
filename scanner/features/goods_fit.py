"""Does the mark's registration cover the product? The product's Nice classes (from its title and category,
:mod:`scanner.goods`), their relatedness to the mark's classes, and -- where several owners hold the matched
word -- the owner whose goods fit the product best. Computed once per (listing, class list)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..goods import category_classes, infer_classes, parse_classes, relatedness
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
    Adds ``owner_chosen`` (bool) and ``owners_considered`` (int)."""
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
    ids = [[int(m)] + [int(x) for x in a.split(";") if x] for m, a in
           zip(tp["mark_id"].to_numpy()[rows], alts[rows], strict=True)]
    counts = np.array([len(i) for i in ids], dtype=np.int64)
    tp.iloc[rows, tp.columns.get_loc("owners_considered")] = counts
    listing = tp["listing"].to_numpy()[rows]
    goods = [product.get(lab, {}) for lab in listing]
    has_goods = np.array([bool(g) for g in goods], dtype=bool)
    cand = pd.DataFrame({"row": np.repeat(np.arange(len(rows)), counts),
                         "k": np.concatenate([np.arange(n) for n in counts]),
                         "id": np.fromiter((m for i in ids for m in i), dtype=np.int64, count=int(counts.sum()))})
    cand = cand[has_goods[cand["row"].to_numpy()]]
    if cand.empty:
        return tp
    texts = marks["nice_classes"].reindex(cand["id"].to_numpy()).fillna("").astype(str).to_numpy()
    fits = _Fits()
    pair = pd.DataFrame({"row": cand["row"].to_numpy(), "text": texts}).groupby(["row", "text"], sort=False)
    first = pair.head(1)  # one fit per (match, class list); the product is the match's listing's
    fit_of = [fits.fit(goods[r], t) for r, t in zip(first["row"].to_numpy(), first["text"].to_numpy(), strict=True)]
    fit = [fit_of[c] for c in pair.ngroup().to_numpy()]
    cand = cand.assign(same=[f[1] for f in fit], rel=[f[0] for f in fit])
    best = cand.sort_values(["row", "same", "rel", "k"], ascending=[True, False, False, True], kind="stable")
    best = best.drop_duplicates("row")
    best = best[best["k"].to_numpy() > 0]
    where = rows[best["row"].to_numpy()]
    chosen = best["id"].to_numpy()
    for column in ("mark_id", "owner", "mark"):
        values = chosen if column == "mark_id" else marks[column].reindex(chosen).to_numpy(dtype=object)
        tp.iloc[where, tp.columns.get_loc(column)] = values
    tp.iloc[where, tp.columns.get_loc("owner_chosen")] = True
    return tp


def goods_features(listing: np.ndarray, classes: np.ndarray, categories: pd.Series | None,
                   product: dict[object, dict[int, float]]) -> dict[str, np.ndarray]:
    """Per match: ``m_class_overlap`` (the mark's classes meet the category's), ``m_goods_rel``,
    ``m_goods_same``, ``m_goods_unknown``, ``m_goods_known`` (see FEATURE_DOCS); once per (listing, class
    list)."""
    keys = pd.DataFrame({"listing": listing, "classes": classes})
    codes = keys.groupby(["listing", "classes"], sort=False).ngroup().to_numpy()
    pairs = keys.drop_duplicates()
    labels = pd.unique(listing)
    category = (dict(zip(labels, categories.reindex(labels).fillna("").tolist(), strict=True))
                if categories is not None else {})
    fits = _Fits()
    rows = []
    for lab, text in zip(pairs["listing"].tolist(), pairs["classes"].tolist(), strict=True):
        mark_classes = fits.classes(text)
        cat = category_classes(category[lab]) if categories is not None else frozenset()
        goods = product.get(lab, {})
        rel, same = fits.fit(goods, text)
        rows.append((float(bool(cat & mark_classes)), rel, float(same), float(rel < 0), float(bool(goods))))
    table = np.array(rows, dtype=float).reshape(len(rows), 5)[codes]
    return {"m_class_overlap": table[:, 0], "m_goods_rel": table[:, 1], "m_goods_same": table[:, 2],
            "m_goods_unknown": table[:, 3], "m_goods_known": table[:, 4]}
