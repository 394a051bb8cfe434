"""Infer the Nice classes of products from their titles (and categories), vectorised over many listings.

The title's head noun phrase (:mod:`scanner.goods.head`) is looked up in the lexicon
(:mod:`scanner.goods.lexicon`); a head found only after ``for``/``with``/... (what the product fits) counts
at ``SECONDARY_FACTOR`` of its confidence. The category (Amazon product type or browse path), when given,
adds its classes at ``CATEGORY_CONFIDENCE`` (the keyword map of :mod:`scanner.goods.categories`, and the
hand-written head nouns in the category text), combined with the title's by noisy-or:
``1 - (1 - title) * (1 - category)``. Classes under ``MIN_CONFIDENCE`` are dropped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

from .categories import category_classes
from .head import find_head
from .lexicon import Entry, default_table, hand_table

SECONDARY_FACTOR = 0.6
CATEGORY_CONFIDENCE = 0.5
MIN_CONFIDENCE = 0.05


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def title_classes(title: str, table: Mapping[str, Entry]) -> dict[int, float]:
    """``{class: confidence}`` from the head noun of one title under ``table``; ``{}`` when none is found."""
    head = find_head(title, table)
    if head is None:
        return {}
    factor = SECONDARY_FACTOR if head.secondary else 1.0
    return {c: round(w * factor, 4) for c, w in head.entry.classes.items() if w * factor >= MIN_CONFIDENCE}


@lru_cache(maxsize=200_000)
def _default_title_classes(title: str) -> tuple[tuple[int, float], ...]:
    return tuple(title_classes(title, default_table()).items())


@lru_cache(maxsize=20_000)
def category_evidence(category: str) -> tuple[tuple[int, float], ...]:
    """``(class, confidence)`` pairs from a category text (keyword map and hand-written head nouns)."""
    out = {c: CATEGORY_CONFIDENCE for c in category_classes(category)}
    head = find_head(category.replace("_", " "), hand_table())
    if head is not None:
        for c, w in head.entry.classes.items():
            out[c] = max(out.get(c, 0.0), round(CATEGORY_CONFIDENCE * w / 0.9, 4))
    return tuple(out.items())


def combine(title: Mapping[int, float], category: Mapping[int, float]) -> dict[int, float]:
    """Noisy-or of title and category confidences per class, rounded, classes under the floor dropped."""
    out = dict(title)
    for c, w in category.items():
        out[c] = 1.0 - (1.0 - out.get(c, 0.0)) * (1.0 - w)
    return {c: round(w, 3) for c, w in sorted(out.items(), key=lambda kv: -kv[1]) if w >= MIN_CONFIDENCE}


def infer_classes(
    titles: Sequence[str],
    categories: Sequence[str] | None = None,
    *,
    table: Mapping[str, Entry] | None = None,
) -> list[dict[int, float]]:
    """Per listing ``{Nice class: confidence 0..1}``, highest first; ``{}`` when the product is unknown.

    ``categories`` (same length as ``titles``, or None) are Amazon product types or browse paths.
    ``table`` replaces the shipped lexicon (used by the held-out measurement).
    """
    titles = list(titles)
    if categories is not None:
        categories = list(categories)
        if len(categories) != len(titles):
            raise ValueError(f"{len(titles)} titles but {len(categories)} categories")
    out: list[dict[int, float]] = []
    for i, raw in enumerate(titles):
        title = _text(raw)
        if table is None:
            t = dict(_default_title_classes(title))
        else:
            t = title_classes(title, table)
        cat = _text(categories[i]) if categories is not None else ""
        k = dict(category_evidence(cat)) if cat.strip() else {}
        out.append(combine(t, k) if k else {c: round(w, 3) for c, w in sorted(t.items(), key=lambda kv: -kv[1])})
    return out


def head_noun(title: str) -> str:
    """The head noun phrase found in ``title`` (lexicon key: singular, lower case), ``""`` when none."""
    head = find_head(_text(title), default_table())
    return head.key if head is not None else ""
