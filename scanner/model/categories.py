"""Listing category -> Nice classes, and a mark's ``nice_classes`` field as a set.

The map and both functions live in :mod:`scanner.goods.categories` (the one home of the product -> class
knowledge, beside :func:`scanner.goods.infer_classes`); this module re-exports them for the features.
"""

from __future__ import annotations

from ..goods.categories import CATEGORY_CLASSES, category_classes, parse_classes

__all__ = ["CATEGORY_CLASSES", "category_classes", "parse_classes"]
