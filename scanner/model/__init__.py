"""Risk model: feature rows -> ``risk_score`` (0..1) and ``risk_level`` (high|medium|low).

Public entry points: :func:`load_model` and :class:`RiskModel`. (Walking skeleton: a transparent rule
model stands in until the trained classifier lands.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ModelError
from ..resources import default_model_dir

LEVELS = ("low", "medium", "high")


@dataclass
class RiskModel:
    """Scores feature rows. ``thresholds`` are the lowest scores for ``medium`` and ``high``."""

    info: dict[str, Any] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=lambda: {"medium": 0.3, "high": 0.7})
    path: Path | None = None

    def predict(self, features: pd.DataFrame) -> pd.DataFrame:
        score = np.full(len(features), 0.05)
        score[features["n_nominative"].to_numpy() > 0] = 0.5
        score[features["n_identity"].to_numpy() > 0] = 0.9
        score[features["n_counterfeit"].to_numpy() > 0] = 0.97
        return pd.DataFrame(
            {"risk_score": score, "risk_level": self.levels(score)}, index=features.index
        )

    def levels(self, scores: np.ndarray) -> np.ndarray:
        out = np.full(len(scores), "low", dtype=object)
        out[scores >= self.thresholds["medium"]] = "medium"
        out[scores >= self.thresholds["high"]] = "high"
        return out


def load_model(path: str | Path | None = None) -> RiskModel:
    """Load a model bundle; ``None`` = the shipped default model."""
    path = default_model_dir() if path is None else Path(path)
    meta_path = path / "metadata.json"
    if not meta_path.exists():
        raise ModelError("not a model bundle (no metadata.json)", path=path)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read model metadata: {exc}", path=meta_path) from None
    if meta.get("kind") != "rules":
        raise ModelError(f"unsupported model kind {meta.get('kind')!r}", path=meta_path)
    return RiskModel(info=meta, thresholds=meta.get("thresholds", {"medium": 0.3, "high": 0.7}), path=path)
