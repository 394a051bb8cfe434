"""Evaluation metrics for risk levels, and their plain-text table.

* average precision for **any risk** (label >= 1 vs 0, ranked by ``p_any``) and for **high** (label 2 vs
  the rest, ranked by ``p_high``) -- threshold-free ranking quality;
* precision / recall / F1 per level and for "any risk" (predicted medium or high vs labelled medium or
  high) at the model's thresholds;
* the confusion matrix (rows = label, columns = predicted level) and the counts;
* for high: the best recall reachable at precision >= 0.85 and the best precision at recall >= 0.85
  (the targets), read off the ``p_high`` ranking.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import (
    average_precision_score,
    confusion_matrix,
    precision_recall_curve,
    precision_recall_fscore_support,
)

from ..levels import LEVELS

TARGET = 0.85


def _ap(y_bin: np.ndarray, score: np.ndarray) -> float | None:
    if y_bin.all() or not y_bin.any():
        return None
    return float(average_precision_score(y_bin, score))


def _prf(y_bin: np.ndarray, pred_bin: np.ndarray) -> dict[str, float]:
    tp = float(np.sum(y_bin & pred_bin))
    precision = tp / pred_bin.sum() if pred_bin.sum() else 0.0
    recall = tp / y_bin.sum() if y_bin.sum() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def operating_points(y_bin: np.ndarray, score: np.ndarray, target: float = TARGET) -> dict[str, float | None]:
    """Best recall at precision >= target, and best precision at recall >= target, over all thresholds."""
    if y_bin.all() or not y_bin.any():
        return {"recall_at_precision": None, "precision_at_recall": None}
    precision, recall, _ = precision_recall_curve(y_bin, score)
    ok_p = precision >= target
    ok_r = recall >= target
    return {
        "recall_at_precision": float(recall[ok_p].max()) if ok_p.any() else 0.0,
        "precision_at_recall": float(precision[ok_r].max()) if ok_r.any() else 0.0,
    }


def risk_metrics(y, predicted, p_any, p_high) -> dict[str, Any]:
    """All metrics for labels ``y`` (0/1/2), predicted levels (0/1/2 or names) and the two probabilities."""
    y = np.asarray(y).astype(int)
    predicted = np.asarray(predicted)
    if predicted.dtype.kind in "OUS":
        predicted = np.array([LEVELS.index(str(p)) for p in predicted], dtype=int)
    predicted = predicted.astype(int)
    p_any = np.asarray(p_any, dtype=float)
    p_high = np.asarray(p_high, dtype=float)
    precision, recall, f1, support = precision_recall_fscore_support(
        y, predicted, labels=[0, 1, 2], zero_division=0
    )
    per_level = {
        LEVELS[i]: {"precision": float(precision[i]), "recall": float(recall[i]), "f1": float(f1[i]),
                    "support": int(support[i])}
        for i in range(3)
    }
    cm = confusion_matrix(y, predicted, labels=[0, 1, 2])
    ops = operating_points(y == 2, p_high)
    return {
        "n": int(len(y)),
        "labels": {LEVELS[i]: int((y == i).sum()) for i in range(3)},
        "predicted": {LEVELS[i]: int((predicted == i).sum()) for i in range(3)},
        "average_precision": {"any": _ap(y >= 1, p_any), "high": _ap(y == 2, p_high)},
        "any_risk": _prf(y >= 1, predicted >= 1),
        "per_level": per_level,
        "accuracy": float((y == predicted).mean()) if len(y) else 0.0,
        "confusion_matrix": {"labels": list(LEVELS), "rows": "label", "columns": "predicted",
                             "matrix": cm.astype(int).tolist()},
        "high_targets": {
            f"best_recall_at_precision_{TARGET:g}": ops["recall_at_precision"],
            f"best_precision_at_recall_{TARGET:g}": ops["precision_at_recall"],
        },
        "calibration": {"any": calibration(y >= 1, p_any), "high": calibration(y == 2, p_high)},
    }


#: Score bands of the reliability table (``calibration``).
CALIBRATION_BANDS: tuple[float, ...] = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)


def calibration(y_bin: np.ndarray, p: np.ndarray, bands: tuple[float, ...] = CALIBRATION_BANDS) -> dict[str, Any]:
    """How well probabilities ``p`` match how often ``y_bin`` is true: the Brier score (mean squared error,
    0 is perfect) and per score band the number of listings, the mean predicted probability and the share
    observed -- a calibrated model has the two close in every band."""
    y_bin = np.asarray(y_bin, dtype=bool)
    p = np.clip(np.asarray(p, dtype=float), 0.0, 1.0)
    rows = []
    edges = np.asarray(bands, dtype=float)
    which = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, len(edges) - 2)
    for i in range(len(edges) - 1):
        sel = which == i
        n = int(sel.sum())
        rows.append({"band": f"{edges[i]:.1f}-{edges[i + 1]:.1f}", "n": n,
                     "predicted": float(p[sel].mean()) if n else None,
                     "observed": float(y_bin[sel].mean()) if n else None})
    return {"brier": float(np.mean((p - y_bin) ** 2)) if len(p) else None, "bands": rows}


def _f(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def format_metrics(m: dict[str, Any], title: str = "") -> str:
    """The metrics as a plain-text block for people."""
    lines = []
    if title:
        lines.append(title)
    lab = m["labels"]
    lines.append(f"  {m['n']} labelled listings: low {lab['low']}, medium {lab['medium']}, high {lab['high']}")
    ap = m["average_precision"]
    lines.append(f"  average precision   any risk (medium+high vs low) {_f(ap['any'])}   high vs rest {_f(ap['high'])}")
    ht = m["high_targets"]
    rp = ht[f"best_recall_at_precision_{TARGET:g}"]
    pr = ht[f"best_precision_at_recall_{TARGET:g}"]
    lines.append(f"  high, best reachable: recall {_f(rp)} at precision >= {TARGET:g}; "
                 f"precision {_f(pr)} at recall >= {TARGET:g}")
    lines.append("")
    lines.append("  level       precision  recall     f1  labelled  predicted")
    for level in LEVELS:
        row = m["per_level"][level]
        lines.append(f"  {level:<10}  {row['precision']:>9.3f}  {row['recall']:>6.3f}  {row['f1']:>5.3f}  "
                     f"{row['support']:>8}  {m['predicted'][level]:>9}")
    anyr = m["any_risk"]
    n_any = lab["medium"] + lab["high"]
    p_any = m["predicted"]["medium"] + m["predicted"]["high"]
    lines.append(f"  {'any risk':<10}  {anyr['precision']:>9.3f}  {anyr['recall']:>6.3f}  {anyr['f1']:>5.3f}  "
                 f"{n_any:>8}  {p_any:>9}")
    lines.append(f"  accuracy {m['accuracy']:.3f}")
    lines.append("")
    lines.append("  confusion matrix (rows = label, columns = predicted)")
    lines.append("  " + " " * 10 + "".join(f"{c:>8}" for c in LEVELS))
    for level, row in zip(LEVELS, m["confusion_matrix"]["matrix"], strict=True):
        lines.append(f"  {level:<10}" + "".join(f"{v:>8}" for v in row))
    cal = m.get("calibration")
    if cal:
        lines.append("")
        lines.append(f"  calibration (Brier: any risk {_f(cal['any']['brier'])}, high {_f(cal['high']['brier'])}); "
                     "per band of the probability: listings, mean predicted, observed share")
        lines.append("  band        any: n  pred   obs    high: n  pred   obs")
        for a, h in zip(cal["any"]["bands"], cal["high"]["bands"], strict=True):
            lines.append(f"  {a['band']:<10}  {a['n']:>6} {_f(a['predicted'])} {_f(a['observed'])}  "
                         f"{h['n']:>8} {_f(h['predicted'])} {_f(h['observed'])}")
    return "\n".join(lines)
