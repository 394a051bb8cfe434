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

A **brand no corpus holds** -- the listing declares a brand (brand field) or leads its title with a coined
word that is not the seller's, not authorized, not a placeholder and in no corpus (features
``brand_unknown``, ``lead_unknown``) -- is **medium** from the lowest medium threshold a model may have
(:data:`~scanner.model.estimator.MEDIUM_FLOOR`, 0.2: p_any 0.4 with p_high near 0), not from the model's own
``medium`` threshold: its reason says "check who owns it", a reseller of genuine goods draws complaints too,
and the model has never seen the brand, so a listing it gives even odds of needing a look belongs in the
review (:func:`flag_unknown_brands`). Where the model is sure it needs none ("Herrenuhr", a German word for
a men's watch, scores under 0.1), it stays low. The raised score is set to the ``medium`` threshold, so that the
level is still a threshold on the score shown; the probabilities keep the model's values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .estimator import GATE_EXTRA, MEDIUM_FLOOR

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


def flag_unknown_brands(predicted: pd.DataFrame, features: pd.DataFrame, medium_threshold: float) -> pd.DataFrame:
    """``predicted`` with the low listings that name a brand no corpus holds (the features of
    :data:`~scanner.model.estimator.GATE_EXTRA`) and score at least
    :data:`~scanner.model.estimator.MEDIUM_FLOOR` raised to medium (see the module)."""
    unknown = np.zeros(len(features), dtype=bool)
    for name in GATE_EXTRA:
        if name in features.columns:
            unknown |= features[name].to_numpy(dtype=float) > 0
    raised = (unknown & (predicted["risk_level"].to_numpy() == "low")
              & (predicted["risk_score"].to_numpy(dtype=float) >= min(float(medium_threshold), MEDIUM_FLOOR)))
    if not raised.any():
        return predicted
    out = predicted.copy()
    out.loc[raised, "risk_level"] = "medium"
    out.loc[raised, "risk_score"] = np.maximum(out.loc[raised, "risk_score"].to_numpy(dtype=float),
                                               float(medium_threshold))
    return out
