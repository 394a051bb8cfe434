"""Rubric rules the levels always follow, whatever a trained model scores.

A **fitment reference** -- the listing presents another brand first (its declared brand, or one of the
seller's own brands), names its product, and then names a mark followed by a model number, size or year
range, with no compatibility word ("Roadmark Floor Liners Toyota Camry 2018-2024", "PowerCell Laptop Battery
Dell Latitude E6420") -- names what the product fits. Where no product noun comes before the mark, the mark
modifies the noun after it and names the product ("marware eco-flip ipad 2 case", "xfx ati radeon hd6750
video card"): the development set's rubric calls that brand use, and it is not capped
(:mod:`scanner.features.fitment`). The rubric makes that a compatibility reference: **medium** (review,
add "for"), not brand use. The trained model sees these features (``s_fitment``) but the weak labels rarely
show the pattern with a strong brand, so it still scores many of them high; :func:`cap_references` applies
the rubric: such a listing is at most medium, unless something else in it is brand use of its own --
a counterfeit or comparison cue, or a third-party mark declared as the brand.

The capped score is set just below the ``high`` threshold, so that the level is still a threshold on the
score shown beside it; ``p_any`` and ``p_high`` keep the model's values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Listing features that make a fitment reference something more (any of them > 0: no cap).
_NOT_A_REFERENCE = ("any_counterfeit", "any_comparison", "any_declared_brand")


def fitment_references(features: pd.DataFrame) -> np.ndarray:
    """Boolean per row: the strongest third-party match is a fitment reference and nothing else in the
    listing is brand use of its own (see the module)."""
    if "s_fitment" not in features.columns:
        return np.zeros(len(features), dtype=bool)
    out = features["s_fitment"].to_numpy(dtype=float) > 0
    for name in _NOT_A_REFERENCE:
        if name in features.columns:
            out &= features[name].to_numpy(dtype=float) <= 0
    return out


def cap_references(predicted: pd.DataFrame, features: pd.DataFrame, high_threshold: float) -> pd.DataFrame:
    """``predicted`` (``risk_score``, ``risk_level``, ...) with fitment references capped at medium."""
    capped = fitment_references(features) & (predicted["risk_level"].to_numpy() == "high")
    if not capped.any():
        return predicted
    out = predicted.copy()
    out.loc[capped, "risk_level"] = "medium"
    below = np.nextafter(float(high_threshold), 0.0)
    out.loc[capped, "risk_score"] = np.minimum(out.loc[capped, "risk_score"].to_numpy(dtype=float), below)
    return out
