"""The trained risk classifier: a calibrated scikit-learn Pipeline plus the level thresholds.

:class:`RiskClassifier` follows the scikit-learn estimator contract (parameters in ``__init__``, ``fit``
returns ``self``, learned attributes end in ``_``), so it can be cloned, cross-validated and inspected like
any estimator. Internally it is ``CalibratedClassifierCV(Pipeline([... classifier]))`` over the three
levels 0 (low), 1 (medium), 2 (high).

Scores (see ``docs/model.md``):

* ``p_any``  = P(label >= 1): a reviewer would find the listing needs review or action;
* ``p_high`` = P(label = 2): outright trademark use or a counterfeit cue;
* ``risk_score`` = (p_any + p_high) / 2 = E[label] / 2, the expected severity on 0..1. One number that
  ranks high above medium above low, so that the levels are plain thresholds on it and never contradict
  the score shown beside them.

Listings with no third-party match (feature ``s_present`` = 0) are not scored by the classifier: nothing in
them can be explained as trademark use, and letting the classifier score them teaches it to read risk into
the shape of a title alone. They get the smoothed label distribution of the training listings without a
match (``no_match_proba_``, stored with the model), which is a calibrated probability too.

Thresholds are chosen on out-of-fold predictions (each row scored by a model that did not see it):
``high`` is the lowest score whose held-out precision for label 2 reaches ``high_precision`` (highest
recall at that precision); ``medium`` maximises held-out F1 of "any risk" below it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from ..errors import ModelError

LEVEL_CLASSES = np.array([0, 1, 2])
#: The feature that says whether a listing has any third-party match (the gate, see the module docs).
GATE_FEATURE = "s_present"
#: Listing-level findings that send a listing to the classifier even without a corpus match: a declared
#: or leading brand that is not the seller's and that no corpus knows.
GATE_EXTRA = ("brand_unknown", "lead_unknown")
CLASSIFIERS = ("hgb", "logreg")
CALIBRATIONS = ("sigmoid", "isotonic")


def risk_scores(proba: np.ndarray, classes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Class probabilities (columns = ``classes``) -> ``(risk_score, p_any, p_high)``."""
    proba = np.asarray(proba, dtype=float)
    classes = np.asarray(classes)
    p_any = proba[:, classes >= 1].sum(axis=1)
    p_high = proba[:, classes == 2].sum(axis=1)
    p_any = np.clip(p_any, 0.0, 1.0)
    p_high = np.clip(np.minimum(p_high, p_any), 0.0, 1.0)
    return (p_any + p_high) / 2.0, p_any, p_high


def balanced_weights(y: np.ndarray) -> np.ndarray:
    """Weights that give every label present the same total weight (so that precision does not depend on
    how many listings of each level the training data happens to hold)."""
    y = np.asarray(y)
    classes, counts = np.unique(y, return_counts=True)
    per_class = dict(zip(classes.tolist(), (len(y) / (len(classes) * counts)).tolist(), strict=True))
    return np.array([per_class[v] for v in y.tolist()], dtype=float)


#: The ``high`` threshold is never below this score. A listing the model is sure needs review but not
#: sure is outright use (p_any = 1, p_high = 0) scores exactly 0.5, so mediums pile up at 0.5; a threshold
#: chosen just above that pile (0.505 on easy held-out cases) turns a p_high of 0.02 into "high". From 0.55
#: on, "high" needs p_high >= 0.1 even for a sure risk.
HIGH_FLOOR = 0.55

#: The ``medium`` threshold is never below this score: with p_high near 0 a listing is flagged for review
#: only from p_any = 0.4 on, close to even odds. The best held-out F1 of the written cases (mostly risky
#: listings) sat at 0.15-0.24 over four retrains; at 0.15 a p_any of 0.3 is "review", a band in which about
#: one listing in six is a risk (the calibration table of ``scanner evaluate``): a false alarm in five of
#: six, on the seller's own listings too.
MEDIUM_FLOOR = 0.2


def _plateau_middle(f1: np.ndarray, thr: np.ndarray, best: int) -> float:
    """The middle of the score interval in which every threshold gives the best F1: from just above the
    score below ``thr[best]`` (the highest held-out score that is left out) to the last threshold of the
    run of best F1. Held-out scores leave wide gaps between the levels; the lowest threshold of the gap
    (argmax's pick) sits on the edge and moves with every retrain, the middle keeps the margin both ways."""
    last = best
    while last + 1 < len(f1) and f1[last + 1] >= f1[best] - 1e-12:
        last += 1
    low = float(thr[best - 1]) if best > 0 else 0.0
    return (low + float(thr[last])) / 2


def choose_thresholds(
    y: np.ndarray, score: np.ndarray, *, high_precision: float = 0.85, balanced: bool = True,
    high_floor: float = HIGH_FLOOR, medium_floor: float = MEDIUM_FLOOR,
) -> dict[str, Any]:
    """Pick the ``medium`` and ``high`` thresholds on held-out scores; returns them with how they were met.

    With ``balanced`` the precision and recall are computed as if low, medium and high were equally
    common (class-balanced weights), so the thresholds do not drift with the mix of the training data.
    ``high`` is at least ``high_floor`` (see :data:`HIGH_FLOOR`), ``medium`` at least ``medium_floor`` (see
    :data:`MEDIUM_FLOOR`) and at most ``high``.
    """
    y = np.asarray(y)
    score = np.asarray(score, dtype=float)
    weights = balanced_weights(y) if balanced else None
    out: dict[str, Any] = {"balanced": bool(balanced)}
    is_high = y == 2
    if is_high.any() and not is_high.all():
        precision, recall, thr = precision_recall_curve(is_high, score, sample_weight=weights)
        precision, recall = precision[:-1], recall[:-1]
        ok = precision >= high_precision
        if ok.any():
            best = np.flatnonzero(ok)[np.argmax(recall[ok])]
            out["high_rule"] = f"highest recall at held-out precision >= {high_precision:g}"
        else:
            f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
            best = int(np.argmax(f1))
            out["high_rule"] = f"precision {high_precision:g} not reachable; best held-out F1"
        t_high = float(thr[best])
        if t_high < high_floor:
            # the first threshold at or above the floor, with its held-out precision and recall
            best = int(np.searchsorted(thr, high_floor)) if (thr >= high_floor).any() else len(thr) - 1
            t_high = max(float(thr[best]), high_floor)
            out["high_rule"] += f"; raised to the floor {high_floor:g} (mediums score 0.5)"
        out["high_precision"] = float(precision[best])
        out["high_recall"] = float(recall[best])
    else:
        t_high = 0.75
        out["high_rule"] = "no high/non-high mix in the labels; default"
    is_any = y >= 1
    if is_any.any() and not is_any.all():
        precision, recall, thr = precision_recall_curve(is_any, score, sample_weight=weights)
        precision, recall = precision[:-1], recall[:-1]
        f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
        f1[thr > t_high] = -1.0
        best = int(np.argmax(f1))
        t_medium = _plateau_middle(f1, thr, best)
        out["medium_rule"] = "best held-out F1 for any risk (label >= 1), middle of the scores giving it"
        if t_medium < medium_floor:
            t_medium = medium_floor
            out["medium_rule"] += f"; raised to the floor {medium_floor:g}"
            best = min(int(np.searchsorted(thr, medium_floor)), len(thr) - 1)
        t_medium = float(min(t_medium, t_high))
        out["medium_precision"] = float(precision[best])
        out["medium_recall"] = float(recall[best])
    else:
        t_medium = min(0.25, t_high)
        out["medium_rule"] = "no risk/no-risk mix in the labels; default"
    out["medium"] = round(t_medium, 6)
    out["high"] = round(t_high, 6)
    return out


class RiskClassifier(ClassifierMixin, BaseEstimator):
    """Calibrated classifier of listing risk levels (0 low, 1 medium, 2 high) with level thresholds.

    Parameters
    ----------
    classifier : "hgb" (HistGradientBoostingClassifier) or "logreg" (scaled LogisticRegression).
    max_iter, learning_rate, max_leaf_nodes, min_samples_leaf, l2_regularization : boosting parameters
        (``max_iter`` and ``l2_regularization`` as ``C = 1 / l2_regularization`` also for logreg).
    calibration : "sigmoid" or "isotonic" (``CalibratedClassifierCV`` method).
    cv : folds for calibration and for the held-out predictions the thresholds are chosen on.
    high_precision : target held-out precision of the ``high`` level.
    random_state : seed for the folds and the boosting.
    n_threads : OpenMP threads for fitting and scoring (``None`` = all cores). One thread is the default:
        the tables are small, and busy cores make multi-threaded boosting many times slower.
    """

    def __init__(
        self,
        *,
        classifier: str = "hgb",
        max_iter: int = 250,
        learning_rate: float = 0.05,
        max_leaf_nodes: int = 15,
        min_samples_leaf: int = 20,
        l2_regularization: float = 1.0,
        calibration: str = "sigmoid",
        cv: int = 5,
        high_precision: float = 0.85,
        random_state: int = 0,
        n_threads: int | None = 1,
    ) -> None:
        self.classifier = classifier
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.calibration = calibration
        self.cv = cv
        self.high_precision = high_precision
        self.random_state = random_state
        self.n_threads = n_threads

    # -- construction -------------------------------------------------------------------------------------
    def _pipeline(self) -> Any:
        if self.classifier == "hgb":
            # the bare classifier (it needs no preprocessing): CalibratedClassifierCV passes sample
            # weights only to an estimator whose own fit() takes them, which a Pipeline's does not
            return HistGradientBoostingClassifier(
                max_iter=self.max_iter,
                learning_rate=self.learning_rate,
                max_leaf_nodes=self.max_leaf_nodes,
                min_samples_leaf=self.min_samples_leaf,
                l2_regularization=self.l2_regularization,
                early_stopping=False,
                random_state=self.random_state,
            )
        if self.classifier == "logreg":
            return Pipeline([
                ("scale", StandardScaler()),
                ("clf", LogisticRegression(C=1.0 / max(self.l2_regularization, 1e-6), max_iter=max(self.max_iter, 1000))),
            ])
        raise ModelError(f"unknown classifier {self.classifier!r}; use one of {', '.join(CLASSIFIERS)}")

    def _calibrated(self, n_splits: int) -> CalibratedClassifierCV:
        if self.calibration not in CALIBRATIONS:
            raise ModelError(f"unknown calibration {self.calibration!r}; use one of {', '.join(CALIBRATIONS)}")
        folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=self.random_state)
        # ensemble=False: one classifier fitted on all rows, calibrated on its cross-validated predictions
        # (a fifth of the size and scoring time of an ensemble of per-fold classifiers)
        return CalibratedClassifierCV(self._pipeline(), method=self.calibration, cv=folds, ensemble=False)

    # -- fitting ------------------------------------------------------------------------------------------
    def _threads(self):
        return threadpool_limits(limits=getattr(self, "n_threads", 1), user_api="openmp")

    def fit(self, X, y, *, groups=None, sample_weight=None) -> RiskClassifier:
        """Fit on feature rows ``X`` and labels ``y`` (0/1/2).

        ``groups`` (optional) keeps rows of one group in the same held-out fold (e.g. several listings made
        from one product record). ``sample_weight`` (optional) weighs rows in fitting and calibration.
        Sets ``model_`` (the calibrated pipeline), ``classes_``,
        ``feature_names_in_``, ``n_features_in_``, ``oof_proba_`` (held-out class probabilities),
        ``oof_score_`` and ``thresholds_``.
        """
        X = self._as_frame(X)
        y = np.asarray(y).astype(int)
        if len(X) != len(y):
            raise ModelError(f"{len(X)} feature rows but {len(y)} labels")
        weights = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        if weights is not None and len(weights) != len(y):
            raise ModelError(f"{len(weights)} sample weights for {len(y)} labels")
        if not np.isin(y, LEVEL_CLASSES).all():
            raise ModelError("labels must be 0, 1 or 2")
        classes, counts = np.unique(y, return_counts=True)
        if len(classes) < 2:
            raise ModelError("training needs at least two different labels (e.g. low and high)")
        n_splits = int(min(self.cv, counts.min()))
        if n_splits < 2:
            rare = classes[np.argmin(counts)]
            raise ModelError(f"training needs at least 2 listings of every label used (label {rare} has 1)")
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.n_features_in_ = X.shape[1]
        gate = self._gate(X)
        self.no_match_proba_ = no_match_distribution(y[~gate]) if gate is not None else None
        if gate is not None and not gate.all():
            all_y = y
            X, y = X[gate], y[gate]
            groups = None if groups is None else np.asarray(groups)[gate]
            weights = None if weights is None else weights[gate]
            classes, counts = np.unique(y, return_counts=True)
            if len(classes) < 2 or counts.min() < 2:
                raise ModelError("training needs at least 2 listings with a third-party match of each of two "
                                 "labels (e.g. low and high)")
            n_splits = int(min(self.cv, counts.min()))
        else:
            all_y = None
        values = X.to_numpy(dtype=float)
        if groups is not None:
            outer = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=self.random_state)
            splits = list(outer.split(values, y, groups=np.asarray(groups)))
        else:
            outer = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=self.random_state)
            splits = list(outer.split(values, y))
        inner = max(2, min(3, int(counts.min() * (n_splits - 1) / n_splits)))
        with self._threads():
            oof = cross_val_predict(self._calibrated(inner), values, y, cv=splits, method="predict_proba",
                                    params=None if weights is None else {"sample_weight": weights})
        oof = self._full_proba(oof, classes)
        y_all = y
        if all_y is not None:  # put the gated rows back, with the no-match distribution
            full = np.tile(self.no_match_proba_, (len(all_y), 1))
            full[gate] = oof
            oof, y_all = full, all_y
        self.oof_proba_ = oof
        self.oof_score_ = risk_scores(self.oof_proba_, LEVEL_CLASSES)[0]
        self.thresholds_ = choose_thresholds(y_all, self.oof_score_, high_precision=self.high_precision)
        with self._threads():
            self.model_ = self._calibrated(n_splits).fit(values, y, sample_weight=weights)
        self.classes_ = LEVEL_CLASSES.copy()
        return self

    @classmethod
    def from_fitted(
        cls,
        model: Any,
        *,
        thresholds: dict[str, Any],
        feature_names: list[str],
        params: dict[str, Any] | None = None,
        no_match_proba: list[float] | None = None,
    ) -> RiskClassifier:
        """Rebuild a fitted classifier from its saved parts (the calibrated pipeline and the metadata)."""
        known = cls().get_params()
        est = cls(**{k: v for k, v in (params or {}).items() if k in known})
        est.model_ = model
        est.thresholds_ = dict(thresholds)
        est.feature_names_in_ = np.asarray(feature_names, dtype=object)
        est.n_features_in_ = len(feature_names)
        est.classes_ = LEVEL_CLASSES.copy()
        est.no_match_proba_ = None if no_match_proba is None else np.asarray(no_match_proba, dtype=float)
        return est

    # -- prediction ---------------------------------------------------------------------------------------
    @staticmethod
    def _full_proba(proba: np.ndarray, classes: np.ndarray) -> np.ndarray:
        """Probabilities over the model's classes -> three columns for levels 0, 1, 2 (absent = 0)."""
        full = np.zeros((proba.shape[0], 3))
        for j, c in enumerate(np.asarray(classes).astype(int)):
            full[:, c] = proba[:, j]
        return full

    def _as_frame(self, X) -> pd.DataFrame:
        if isinstance(X, pd.DataFrame):
            names = getattr(self, "feature_names_in_", None)
            if names is not None:
                missing = [n for n in names if n not in X.columns]
                if missing:
                    raise ModelError(f"feature table lacks {len(missing)} column(s) the model needs, e.g. {missing[:3]}")
                return X[list(names)]
            return X
        return pd.DataFrame(np.asarray(X, dtype=float))

    def _gate(self, X: pd.DataFrame) -> np.ndarray | None:
        """Rows with a third-party match (``None`` when the table has no gate feature)."""
        if isinstance(X, pd.DataFrame) and GATE_FEATURE in X.columns:
            gate = X[GATE_FEATURE].to_numpy(dtype=float) > 0
            for name in GATE_EXTRA:
                if name in X.columns:
                    gate |= X[name].to_numpy(dtype=float) > 0
            return gate
        return None

    def _model_proba(self, values: np.ndarray) -> np.ndarray:
        """The calibrated model's probabilities (all levels), each distinct feature row scored once.

        A catalogue repeats feature rows (variants of one product, listings with the same match), and the
        boosted trees read one feature of every row per split: scoring distinct rows laid out column by
        column is several times faster than the row-major table, with the same numbers.
        """
        codes, first = distinct_rows(values)
        with self._threads():
            proba = self.model_.predict_proba(np.asfortranarray(values[first]))
        return self._full_proba(proba, self.model_.classes_)[codes]

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities of levels 0, 1, 2 (three columns, rows sum to 1)."""
        frame = self._as_frame(X)
        values = frame.to_numpy(dtype=float)
        no_match = getattr(self, "no_match_proba_", None)
        gate = self._gate(frame) if no_match is not None else None
        if gate is None:
            return self._model_proba(values)
        out = np.tile(np.asarray(no_match, dtype=float), (len(values), 1))
        if gate.any():
            out[gate] = self._model_proba(values[gate])
        return out

    def score_risk(self, X) -> pd.DataFrame:
        """``risk_score``, ``p_any``, ``p_high`` per row (index kept when ``X`` is a DataFrame)."""
        score, p_any, p_high = risk_scores(self.predict_proba(X), LEVEL_CLASSES)
        index = X.index if isinstance(X, pd.DataFrame) else None
        return pd.DataFrame({"risk_score": score, "p_any": p_any, "p_high": p_high}, index=index)

    def predict(self, X) -> np.ndarray:
        """Levels 0/1/2 from the thresholds on ``risk_score``."""
        return levels_from_scores(self.score_risk(X)["risk_score"].to_numpy(), self.thresholds_)


def distinct_rows(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, first)`` for a 2-D float array: ``values[first]`` are its distinct rows (equal bytes) in
    order of first appearance, and ``values[first][codes]`` is ``values`` again."""
    values = np.ascontiguousarray(values)
    if values.ndim != 2 or len(values) == 0 or values.shape[1] == 0:
        return np.arange(len(values)), np.arange(len(values))
    rows = values.view(np.dtype((np.void, values.dtype.itemsize * values.shape[1]))).ravel()
    codes, uniques = pd.factorize(rows)
    first = np.empty(len(uniques), dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    return codes, first


def no_match_distribution(y: np.ndarray, prior: float = 1.0) -> np.ndarray:
    """Smoothed label distribution (levels 0, 1, 2) of the training listings without a third-party match.

    Add-``prior`` smoothing towards "low" only: with no such listings the distribution is "low" for sure,
    and a handful of risky ones (marks the matcher missed) cannot make every unmatched listing risky.
    """
    counts = np.bincount(np.asarray(y, dtype=int), minlength=3)[:3].astype(float)
    counts[0] += prior
    return counts / counts.sum()


def levels_from_scores(scores: np.ndarray, thresholds: dict[str, Any]) -> np.ndarray:
    """Scores -> level numbers: ``>= high`` -> 2, ``>= medium`` -> 1, else 0."""
    scores = np.asarray(scores, dtype=float)
    out = np.zeros(len(scores), dtype=int)
    out[scores >= float(thresholds["medium"])] = 1
    out[scores >= float(thresholds["high"])] = 2
    return out


def clone_unfitted(est: RiskClassifier) -> RiskClassifier:
    """A fresh copy with the same parameters (for notebooks comparing settings)."""
    return clone(est)
