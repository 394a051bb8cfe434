"""Which Nice classes a product falls in, from its own text, and how related that is to a mark's classes.

>>> infer_classes(["Shark Tooth Pendant Necklace for Men"])
[{14: 0.9}]
>>> head_noun("Phone Mount for Car Dashboard")
'phone mount'

See ``docs/goods.md`` for how it works and how good it is.
"""

from __future__ import annotations

from ..corpus.schema import parse_classes  # the nice_classes field, as the corpus defines it
from .categories import category_classes
from .infer import head_noun, infer_classes
from .lexicon import is_goods_term
from .related import RELATED_CLASSES, relatedness

__all__ = [
    "is_goods_term",
    "RELATED_CLASSES",
    "category_classes",
    "head_noun",
    "infer_classes",
    "parse_classes",
    "relatedness",
]
