"""Risk models: feature rows -> ``risk_score`` (0..1), ``risk_level`` (high|medium|low), ``p_any``, ``p_high``.

Two kinds, both behind :class:`RiskModel`:

* :class:`TrainedModel` (bundle kind ``"sklearn"``) -- the calibrated classifier of
  :mod:`scanner.model.estimator`; the shipped default;
* :class:`RulesModel` (bundle kind ``"rules"``) -- the transparent keyword baseline of the walking skeleton:
  any third-party mark without a compatibility cue is high, with a cue medium, no mark low. ``scanner
  evaluate --baseline`` scores it beside the trained model so the gain is visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .estimator import RiskClassifier

DEFAULT_THRESHOLDS = {"medium": 0.3, "high": 0.7}


@dataclass
class RiskModel:
    """Scores feature rows. ``thresholds`` are the lowest ``risk_score`` for ``medium`` and ``high``."""

    info: dict[str, Any] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    path: Path | None = None

    kind = "base"

    def scores(self, features: pd.DataFrame) -> pd.DataFrame:
        """``risk_score``, ``p_any`` (P(label >= 1)) and ``p_high`` (P(label = 2)) per listing."""
        raise NotImplementedError

    def predict(self, features: pd.DataFrame) -> pd.DataFrame:
        """``risk_score``, ``risk_level`` (+ ``p_any``, ``p_high``), indexed like ``features``."""
        out = self.scores(features)
        out.insert(1, "risk_level", self.levels(out["risk_score"].to_numpy()))
        return out

    def levels(self, scores: np.ndarray) -> np.ndarray:
        """Scores -> ``"low"|"medium"|"high"`` by the thresholds."""
        scores = np.asarray(scores, dtype=float)
        out = np.full(len(scores), "low", dtype=object)
        out[scores >= float(self.thresholds["medium"])] = "medium"
        out[scores >= float(self.thresholds["high"])] = "high"
        return out


@dataclass
class RulesModel(RiskModel):
    """The keyword baseline: flag every listing containing a third-party mark."""

    kind = "rules"

    def scores(self, features: pd.DataFrame) -> pd.DataFrame:
        score = np.full(len(features), 0.05)
        score[features["n_nominative"].to_numpy() > 0] = 0.5
        score[features["n_identity"].to_numpy() > 0] = 0.9
        score[features["n_counterfeit"].to_numpy() > 0] = 0.97
        return pd.DataFrame({"risk_score": score, "p_any": score, "p_high": score}, index=features.index)


@dataclass
class TrainedModel(RiskModel):
    """A trained :class:`~scanner.model.estimator.RiskClassifier` with its bundle metadata."""

    estimator: RiskClassifier | None = None

    kind = "sklearn"

    def scores(self, features: pd.DataFrame) -> pd.DataFrame:
        if self.estimator is None:
            raise ValueError("TrainedModel has no estimator")
        return self.estimator.score_risk(features).round(6)

    def predict(self, features: pd.DataFrame) -> pd.DataFrame:
        """:meth:`RiskModel.predict`, then the rubric's rules (:mod:`scanner.model.policy`: a fitment
        reference is at most medium, a brand no corpus holds at least medium)."""
        from .policy import cap_references, flag_unknown_brands

        predicted = cap_references(super().predict(features), features, float(self.thresholds["high"]))
        return flag_unknown_brands(predicted, features, float(self.thresholds["medium"]))


def rules_model() -> RulesModel:
    """The keyword baseline, without a bundle."""
    return RulesModel(
        info={"kind": "rules", "name": "keyword-baseline",
              "description": "any third-party mark = high; only with a compatibility cue = medium"},
        thresholds=dict(DEFAULT_THRESHOLDS),
    )
