"""Evaluation: score labelled listings with a model (and the keyword baseline) and compute the metrics.

What ``scanner evaluate`` runs. The listings go through exactly the scan path (read -> match ->
:func:`scanner.features.build_features` -> model), so the figures are what a scan would give.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import SellerProfile
from ..corpus import Corpus
from ..labels import LEVEL_NAMES, LabelJoin
from ..progress import Progress
from .base import RiskModel, rules_model
from .metrics import format_metrics, risk_metrics
from .reasons import explain
from .training import LabelledSet, prepare


@dataclass
class Evaluation:
    """Metrics of one model (and optionally the keyword baseline) on one labelled set."""

    metrics: dict[str, Any]
    model_info: dict[str, Any]
    join: LabelJoin | None
    predictions: pd.DataFrame  # sku, label, risk_level, risk_score, p_any, p_high, reasons
    baseline: dict[str, Any] | None = None
    data_info: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready data (``scanner evaluate --json``)."""
        out = {
            "model": {k: self.model_info.get(k) for k in ("name", "kind", "scanner_version", "created", "path")
                      if self.model_info.get(k) is not None},
            "data": self.data_info,
            "metrics": self.metrics,
        }
        if self.join is not None:
            out["data"] = {
                **self.data_info,
                "labels": self.join.n_labels,
                "listings": self.join.n_listings,
                "joined": self.join.n_joined,
                "labels_without_listing": len(self.join.labels_without_listing),
                "listings_without_label": len(self.join.listings_without_label),
            }
        if self.baseline is not None:
            out["baseline"] = {"model": "keyword baseline (rules)", "metrics": self.baseline}
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        """The report for people: data summary, model metrics, baseline metrics and the gain."""
        name = self.model_info.get("name", "?")
        kind = self.model_info.get("kind", "?")
        lines = []
        if self.join is not None:
            lines.append(self.join.summary())
        lines.append("")
        lines.append(format_metrics(self.metrics, f"model {name} ({kind})"))
        if self.baseline is not None:
            lines.append("")
            lines.append(format_metrics(self.baseline, "keyword baseline (any third-party mark = risk)"))
            lines.append("")
            lines.append("  gain over the baseline:")
            for key, label in (("any", "average precision, any risk"), ("high", "average precision, high")):
                a = self.metrics["average_precision"][key]
                b = self.baseline["average_precision"][key]
                if a is not None and b is not None:
                    lines.append(f"    {label:<30} {b:.3f} -> {a:.3f} ({a - b:+.3f})")
            a, b = self.metrics["any_risk"]["f1"], self.baseline["any_risk"]["f1"]
            lines.append(f"    {'F1, any risk':<30} {b:.3f} -> {a:.3f} ({a - b:+.3f})")
            a, b = self.metrics["per_level"]["high"]["f1"], self.baseline["per_level"]["high"]["f1"]
            lines.append(f"    {'F1, high':<30} {b:.3f} -> {a:.3f} ({a - b:+.3f})")
        return "\n".join(lines)


def score_set(data: LabelledSet, model: RiskModel) -> pd.DataFrame:
    """Predictions for a labelled set: sku, label, risk_level, risk_score, p_any, p_high, reasons."""
    scores = model.predict(data.features)
    reasons = explain(data.listings, data.table, scores, data.matches, data.profile, features=data.features)
    return pd.DataFrame({
        "sku": data.listings["sku"],
        "title": data.listings["title"],
        "label": data.y.map(lambda v: LEVEL_NAMES[int(v)]),
        "risk_level": scores["risk_level"],
        "risk_score": scores["risk_score"],
        "p_any": scores["p_any"],
        "p_high": scores["p_high"],
        "reasons": reasons,
    })


def metrics_for(data: LabelledSet, model: RiskModel) -> tuple[dict[str, Any], pd.DataFrame]:
    """(metrics, predictions) of ``model`` on ``data``."""
    pred = score_set(data, model)
    return risk_metrics(data.y.to_numpy(), pred["risk_level"].to_numpy(), pred["p_any"], pred["p_high"]), pred


def evaluate(
    labels: str | Path,
    listings: Sequence[str | Path],
    *,
    corpus: Corpus | str | Path | None = None,
    profile: SellerProfile | str | Path | None = None,
    model: RiskModel | str | Path | None = None,
    baseline: bool = False,
    encoding: str | None = None,
    column_map: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> Evaluation:
    """Score the labelled listings with ``model`` (a bundle path, a loaded model, or ``None`` = the shipped
    default) and compute :func:`scanner.model.metrics.risk_metrics`; ``baseline`` adds the keyword baseline.
    """
    from .bundle import load_model

    if not isinstance(model, RiskModel):
        model = load_model(model)
    data = prepare(labels, listings, corpus=corpus, profile=profile, encoding=encoding, column_map=column_map,
                   progress=progress)
    metrics, pred = metrics_for(data, model)
    base = metrics_for(data, rules_model())[0] if baseline else None
    info = {**model.info, "path": str(model.path) if model.path else None}
    info.setdefault("kind", model.kind)
    data_info = {"labels_file": str(labels), "listings_files": [str(p) for p in listings],
                 "corpus_hash": data.corpus.content_hash, "seller": data.profile.name}
    return Evaluation(metrics=metrics, model_info=info, join=data.join, predictions=pred, baseline=base,
                      data_info=data_info)
