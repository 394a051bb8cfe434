"""Does the mark's registration cover the product? The product's Nice classes (from its title and category,
:mod:`scanner.goods`), their relatedness to the mark's classes, and -- where several owners hold the matched
word -- the owner whose goods fit the product best. Computed once per (listing, class list)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..goods import category_classes, infer_classes, parse_classes, relatedness
from .text_context import content_text

#: A product class counts for "registered for the product's goods" from this confidence on.
GOODS_MIN_CONFIDENCE = 0.3


def product_classes(listings: pd.DataFrame, labels) -> dict[object, dict[int, float]]:
    """``{listing: {Nice class: confidence}}`` for the listings ``labels``, from title and category
    (:func:`scanner.goods.infer_classes`)."""
    labels = list(dict.fromkeys(labels))
    if not labels:
        return {}
    titles = [content_text(t) for t in listings["title"].reindex(labels).fillna("").astype(str)]
    cats = (listings["category"].reindex(labels).fillna("").astype(str).tolist()
            if "category" in listings.columns else None)
    return dict(zip(labels, infer_classes(titles, cats), strict=True))


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
    rows = np.flatnonzero((alts != "").to_numpy())
    if not len(rows):
        return tp
    classes_of = marks["nice_classes"].fillna("").astype(str)
    parsed: dict[str, frozenset[int]] = {}
    fit_cache: dict[tuple[object, str], tuple[float, bool]] = {}
    for i in rows:
        label = tp.index[i]
        listing = tp.at[label, "listing"]
        goods = product.get(listing, {})
        ids = [int(tp.at[label, "mark_id"])] + [int(x) for x in alts.iat[i].split(";") if x]
        tp.at[label, "owners_considered"] = len(ids)
        if not goods:
            continue
        fits = []
        for m in ids:
            text = classes_of.get(m, "")
            fit = fit_cache.get((listing, text))
            if fit is None:
                mark_classes = parsed.get(text)
                if mark_classes is None:
                    mark_classes = parsed[text] = parse_classes(text)
                fit = fit_cache[(listing, text)] = _goods_fit(goods, mark_classes)
            fits.append(fit)
        best = max(range(len(ids)), key=lambda k: (fits[k][1], fits[k][0], -k))
        if best:
            rec = marks.loc[ids[best]]
            tp.at[label, "mark_id"] = ids[best]
            tp.at[label, "owner"] = rec["owner"]
            tp.at[label, "mark"] = rec["mark"]
            tp.at[label, "owner_chosen"] = True
    return tp


def goods_features(listing: np.ndarray, classes: np.ndarray, categories: pd.Series | None,
                   product: dict[object, dict[int, float]]) -> dict[str, np.ndarray]:
    """Per match: ``m_class_overlap`` (the mark's classes meet the category's), ``m_goods_rel``,
    ``m_goods_same``, ``m_goods_unknown``, ``m_goods_known`` (see FEATURE_DOCS); once per (listing, class
    list)."""
    keys = pd.DataFrame({"listing": listing, "classes": classes})
    codes = keys.groupby(["listing", "classes"], sort=False).ngroup().to_numpy()
    pairs = keys.drop_duplicates()
    parsed: dict[str, frozenset[int]] = {}
    rows = []
    for lab, text in zip(pairs["listing"], pairs["classes"], strict=True):
        mark_classes = parsed.get(text)
        if mark_classes is None:
            mark_classes = parsed[text] = parse_classes(text)
        cat = category_classes(categories.get(lab, "")) if categories is not None else frozenset()
        goods = product.get(lab, {})
        rel, same = _goods_fit(goods, mark_classes)
        rows.append((float(bool(cat & mark_classes)), rel, float(same), float(rel < 0), float(bool(goods))))
    table = np.array(rows, dtype=float).reshape(len(rows), 5)[codes]
    return {"m_class_overlap": table[:, 0], "m_goods_rel": table[:, 1], "m_goods_same": table[:, 2],
            "m_goods_unknown": table[:, 3], "m_goods_known": table[:, 4]}
