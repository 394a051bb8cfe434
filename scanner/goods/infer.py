"""Infer the Nice classes of products from their titles (and categories), vectorised over many listings.

The title's head noun phrase (:mod:`scanner.goods.head`) is looked up in the lexicon
(:mod:`scanner.goods.lexicon`); a head found only after ``for``/``with``/... (what the product fits) counts
at ``SECONDARY_FACTOR`` (0.6) of its confidence. The category (Amazon product type or browse path), when given,
adds its classes at ``CATEGORY_CONFIDENCE`` (the keyword map of :mod:`scanner.goods.categories`, and the
hand-written head nouns in the category text), combined with the title's by noisy-or:
``1 - (1 - title) * (1 - category)``. Classes under ``MIN_CONFIDENCE`` are dropped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

from .categories import category_classes
from .head import Index, find_head
from .lexicon import MIN_CONFIDENCE, Entry, default_table, hand_table
from .term_model import MARKET_PRIOR, WordModel, default_model, guess, rerank

CATEGORY_CONFIDENCE = 0.5


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


@lru_cache(maxsize=1)
def _default_index() -> Index:
    return Index(default_table())


@lru_cache(maxsize=1)
def _hand_index() -> Index:
    return Index(hand_table())


def title_classes(
    title: str,
    table: Mapping[str, Entry] | Index,
    model: WordModel | None = None,
    prior: Mapping[int, float] | None = MARKET_PRIOR,
) -> dict[int, float]:
    """``{class: confidence}`` (highest first) from the head noun of one title under ``table``; ``{}`` when
    nothing is found. A hand-written head gives its classes as written (the returned dict is the lexicon's
    own: copy it before changing it); a Nice-derived head with several classes is re-ranked by the words
    around it (its segment and the ``of``/``for`` segment right after), and a title without a head gets a
    low-confidence guess from all its words (``model``)."""
    segs: list[tuple[bool, list[str]]] = []
    head = find_head(title, table, segs)
    if head is not None and head.entry.hand:
        return head.entry.secondary_classes if head.secondary else head.entry.classes
    if model is None:
        if head is None:
            return {}
        return head.entry.secondary_classes if head.secondary else head.entry.classes
    # no hand-written head: find_head has read every segment
    if head is None:
        return guess([w for _secondary, ws in segs for w in ws], model)
    classes = head.entry.secondary_classes if head.secondary else head.entry.classes
    if len(classes) < 2:
        return classes
    # the head's modifiers and the segment right after it ("figurines | of wood")
    context = list(segs[head.segment][1])
    if head.segment + 1 < len(segs) and segs[head.segment + 1][0]:
        context += segs[head.segment + 1][1]
    head_words = set(head.key.split(" "))
    return rerank(classes, [w for w in context if w not in head_words], model, prior)


@lru_cache(maxsize=20_000)
def category_evidence(category: str) -> tuple[tuple[int, float], ...]:
    """``(class, confidence)`` pairs from a category text (keyword map and hand-written head nouns)."""
    out = {c: CATEGORY_CONFIDENCE for c in category_classes(category)}
    head = find_head(category.replace("_", " "), _hand_index())
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
    words: WordModel | None = None,
    prior: Mapping[int, float] | None = MARKET_PRIOR,
) -> list[dict[int, float]]:
    """Per listing ``{Nice class: confidence 0..1}``, highest first; ``{}`` when the product is unknown.

    ``categories`` (same length as ``titles``, or None) are Amazon product types or browse paths.
    ``table``, ``words`` and ``prior`` replace the shipped lexicon, word model and marketplace class prior
    (used by the held-out measurement).
    """
    titles = list(titles)
    if categories is not None:
        categories = list(categories)
        if len(categories) != len(titles):
            raise ValueError(f"{len(titles)} titles but {len(categories)} categories")
    index = Index(table) if table is not None else _default_index()
    model = words if words is not None else default_model()
    out: list[dict[int, float]] = []
    for i, raw in enumerate(titles):
        t = title_classes(_text(raw), index, model, prior)
        cat = _text(categories[i]) if categories is not None else ""
        k = dict(category_evidence(cat)) if cat.strip() else None
        out.append(combine(t, k) if k else dict(t))
    return out


def head_noun(title: str) -> str:
    """The head noun phrase found in ``title`` (lexicon key: singular, lower case), ``""`` when none."""
    head = find_head(_text(title), _default_index())
    return head.key if head is not None else ""
