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
the word frequency list of ``wordfreq`` (how common a mark is as an ordinary English word), the word lists
of :mod:`scanner.wordlists` and the category -> Nice class map in :mod:`scanner.goods.categories`. Which
context words make a use "ordinary" ("apple slicer") is left to the model, from the frequency and shape of
the neighbouring words, rather than a hand list of product nouns.

One module per feature group (CONTRIBUTING.md, "Add a feature"): :mod:`.docs` (what each feature means),
:mod:`.text_context` and :mod:`.position` (where a match stands in its field), :mod:`.cue_context`,
:mod:`.marks`, :mod:`.goods_fit`, :mod:`.declared` (the match against the declared and own brands),
:mod:`.table` (:func:`match_table`), :mod:`.strength`, :mod:`.listing` and :mod:`.aggregate`
(:func:`build_features`). Every column is computed for all matches at once, not in a loop per match.
"""


from __future__ import annotations

from ..frequency import english_excess, word_zipf
from ..placeholders import PLACEHOLDER_KEYS
from .aggregate import build_features
from .cue_context import _MODEL_GLUE_AFTER, _MODEL_GLUE_BEFORE
from .docs import FEATURE_DOCS, FEATURE_NAMES, MATCH_TABLE_INFO
from .goods_fit import GOODS_MIN_CONFIDENCE, _goods_fit, choose_owners, product_classes
from .listing import unknown_brands
from .strength import (
    fitment_mask,
    side_mask,
    side_matches,
    strength_order,
    strongest_matches,
    strongest_positions,
    with_chosen_owners,
    with_side_matches,
)
from .table import match_table

#: Brand-field values that mean "no brand", as brand keys (one list: :mod:`scanner.placeholders`).
PLACEHOLDER_BRANDS: frozenset[str] = PLACEHOLDER_KEYS
#: Public names of what the weak labeller (``training/weak.py``) shares with the features: a match glued to
#: a model number, and how a product's classes fit a mark's.
MODEL_GLUE_AFTER, MODEL_GLUE_BEFORE, goods_fit = _MODEL_GLUE_AFTER, _MODEL_GLUE_BEFORE, _goods_fit

__all__ = [
    "FEATURE_DOCS", "FEATURE_NAMES", "GOODS_MIN_CONFIDENCE", "MATCH_TABLE_INFO", "MODEL_GLUE_AFTER",
    "MODEL_GLUE_BEFORE", "PLACEHOLDER_BRANDS", "goods_fit",
    "_MODEL_GLUE_AFTER", "_MODEL_GLUE_BEFORE", "_goods_fit", "build_features", "choose_owners", "english_excess",
    "fitment_mask",
    "match_table", "product_classes", "side_mask", "side_matches", "with_side_matches", "strength_order", "strongest_matches",
    "strongest_positions", "unknown_brands",
    "with_chosen_owners", "word_zipf",
]
