"""Training: labelled listings -> feature table -> fitted :class:`RiskClassifier` -> model bundle.

:func:`prepare` reads a labels file with its listings, corpus and seller profile and builds the features
with :func:`scanner.features.build_features` -- the same function ``scanner scan`` uses.
:func:`labelled_from_frame` does the same for listings already in memory (e.g. weak labels).
:func:`fit` trains on one or more :class:`LabelledSet` (each with its own seller and corpus);
:func:`train` is what ``scanner train`` runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..config import SellerProfile, load_profile
from ..corpus import GOODS_TEXT_COLUMNS, Corpus, load_corpus
from ..corpus.known_kinds import with_known_kinds
from ..errors import ModelError
from ..features import FEATURE_NAMES, build_features, match_table
from ..labels import LabelJoin, join_labels, read_labels
from ..levels import LEVELS
from ..listings import read_listings
from ..match import find_matches
from ..progress import Progress
from ..progress import get as _progress
from .base import TrainedModel
from .estimator import RiskClassifier, choose_thresholds
from .metrics import risk_metrics


@dataclass
class LabelledSet:
    """Labelled listings with everything derived from them. ``features``/``y``/``groups`` share an index."""

    name: str
    listings: pd.DataFrame  # the labelled listings only
    matches: pd.DataFrame
    table: pd.DataFrame  # scanner.features.match_table
    features: pd.DataFrame
    y: pd.Series
    profile: SellerProfile
    corpus: Corpus
    groups: pd.Series | None = None
    info: dict[str, Any] = field(default_factory=dict)
    join: LabelJoin | None = None
    weight: float = 1.0  # training weight of each of its rows

    def __len__(self) -> int:
        return len(self.y)


def _file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_corpus(corpus: Corpus | str | Path | None, progress: Progress | None = None) -> Corpus:
    # the features read no goods text: loaded as a scan loads it
    return corpus if isinstance(corpus, Corpus) else load_corpus(corpus, progress=progress, skip=GOODS_TEXT_COLUMNS)


def resolve_profile(profile: SellerProfile | str | Path | None) -> SellerProfile:
    return profile if isinstance(profile, SellerProfile) else load_profile(profile)


def labelled_from_frame(
    listings: pd.DataFrame,
    y: pd.Series,
    *,
    corpus: Corpus,
    profile: SellerProfile,
    name: str,
    groups: pd.Series | None = None,
    info: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> LabelledSet:
    """Match and featurise in-memory ``listings`` (canonical columns) labelled by ``y`` (same index)."""
    listings = listings.loc[y.index]
    matches = find_matches(listings, corpus, profile, progress=progress)
    table = match_table(listings, matches, corpus, profile)
    features = build_features(listings, matches, corpus, profile, table=table)
    counts = y.value_counts()
    base = {
        "name": name,
        "rows": int(len(y)),
        "label_counts": {lvl: int(counts.get(i, 0)) for i, lvl in enumerate(LEVELS)},
        "corpus_hash": corpus.content_hash,
        "corpus_marks": len(corpus),
        "seller": profile.name,
    }
    return LabelledSet(name=name, listings=listings, matches=matches, table=table, features=features,
                       y=y.astype("int64"), profile=profile, corpus=corpus, groups=groups,
                       info={**base, **(info or {})})


def prepare(
    labels: str | Path,
    listings: Sequence[str | Path],
    *,
    corpus: Corpus | str | Path | None = None,
    profile: SellerProfile | str | Path | None = None,
    name: str | None = None,
    encoding: str | None = None,
    column_map: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> LabelledSet:
    """Read a labels file and its listings, match them and build the features of the labelled listings."""
    progress = _progress(progress)
    label_set = read_labels(labels)
    read = read_listings(listings, encoding=encoding, column_map=column_map, progress=progress)
    join = join_labels(read.listings, label_set)
    # the kinds a scan takes from the starter corpus for marks without one: evaluated and trained as scanned
    corpus = with_known_kinds(resolve_corpus(corpus, progress), progress=progress)
    profile = resolve_profile(profile)
    if read.listings.loc[join.y.index, "marketplace"].eq("").any():
        read.listings.loc[read.listings["marketplace"] == "", "marketplace"] = profile.marketplace
    info = {
        "labels_file": Path(labels).name,
        "labels_sha256": label_set.sha256,
        "listings_files": [{"file": Path(p).name, "sha256": _file_sha256(p)} for p in listings],
        "listings_rows": int(len(read.listings)),
        "rejected_rows": int(len(read.rejected)),
        "labels_rows": len(label_set),
        "labels_without_listing": len(join.labels_without_listing),
        "listings_without_label": len(join.listings_without_label),
    }
    ls = labelled_from_frame(read.listings, join.y, corpus=corpus, profile=profile,
                             name=name or Path(labels).stem, info=info, progress=progress)
    ls.join = join
    return ls


def stack(sets: Iterable[LabelledSet]) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Concatenate sets -> (features, y, groups); groups default to one per listing, prefixed by set."""
    feats, ys, groups = [], [], []
    for i, s in enumerate(sets):
        feats.append(s.features[list(FEATURE_NAMES)].reset_index(drop=True))
        ys.append(s.y.to_numpy())
        g = s.groups if s.groups is not None else pd.Series(s.y.index.astype(str), index=s.y.index)
        groups.append((f"{i}:" + g.astype(str)).to_numpy())
    if not feats:
        raise ModelError("nothing to train on")
    return pd.concat(feats, ignore_index=True), np.concatenate(ys), np.concatenate(groups)


def fit(
    sets: Sequence[LabelledSet],
    *,
    params: dict[str, Any] | None = None,
    name: str = "model",
    description: str = "",
    threshold_sets: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> TrainedModel:
    """Train a :class:`TrainedModel` on the labelled sets; held-out (out-of-fold) metrics go in ``info``.

    ``threshold_sets`` names the sets whose held-out scores choose the level thresholds (default: all).
    Weak labels are easier than real ones, so the shipped model chooses them on hand-labelled rows only.
    """
    progress = _progress(progress)
    X, y, groups = stack(sets)
    progress.info(f"training on {len(y)} labelled listings ({', '.join(f'{s.name} {len(s)}' for s in sets)})")
    weights = np.concatenate([np.full(len(s), float(s.weight)) for s in sets])
    uniform = bool(np.all(weights == 1.0))
    est = RiskClassifier(**(params or {})).fit(X, y, groups=groups, sample_weight=None if uniform else weights)
    if threshold_sets:
        mask = np.zeros(len(y), dtype=bool)
        start = 0
        for s in sets:
            if s.name in threshold_sets:
                mask[start:start + len(s)] = True
            start += len(s)
        if not mask.any():
            raise ModelError(f"no training set named {', '.join(threshold_sets)} to choose thresholds on")
        chosen = choose_thresholds(y[mask], est.oof_score_[mask], high_precision=est.high_precision)
        chosen["chosen_on"] = sorted(threshold_sets)
        chosen["chosen_on_rows"] = int(mask.sum())
        est.thresholds_ = chosen
    oof_levels = np.zeros(len(y), dtype=int)
    oof_levels[est.oof_score_ >= est.thresholds_["medium"]] = 1
    oof_levels[est.oof_score_ >= est.thresholds_["high"]] = 2
    p_any = est.oof_proba_[:, 1:].sum(axis=1)
    p_high = est.oof_proba_[:, 2]
    held_out = {"all": risk_metrics(y, oof_levels, p_any, p_high)}
    start = 0
    for s in sets:
        part = slice(start, start + len(s))
        held_out[s.name] = risk_metrics(y[part], oof_levels[part], p_any[part], p_high[part])
        start += len(s)
    info = {
        "name": name,
        "description": description or f"calibrated {est.classifier} risk classifier",
        "training_data": [s.info for s in sets],
        "training_rows": int(len(y)),
        "training_weights": {s.name: float(s.weight) for s in sets},
        "corpus_hashes": sorted({s.corpus.content_hash for s in sets}),
        "metrics_held_out": held_out,
        "metrics_note": "out-of-fold: every row scored by a model trained without it (grouped folds)",
    }
    thresholds = {"medium": float(est.thresholds_["medium"]), "high": float(est.thresholds_["high"])}
    return TrainedModel(info=info, thresholds=thresholds, estimator=est)


@dataclass
class TrainResult:
    """What :func:`train` made: the model, the labelled data, and the bundle folder if saved."""

    model: TrainedModel
    data: LabelledSet
    path: Path | None = None


def train(
    labels: str | Path,
    listings: Sequence[str | Path],
    *,
    corpus: Corpus | str | Path | None = None,
    profile: SellerProfile | str | Path | None = None,
    out: str | Path | None = None,
    force: bool = False,
    params: dict[str, Any] | None = None,
    extra_sets: Sequence[LabelledSet] = (),
    name: str | None = None,
    encoding: str | None = None,
    column_map: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> TrainResult:
    """Train a model on a labels file (+ its listings, corpus and seller profile) and save it to ``out``.

    ``extra_sets`` adds more labelled data (e.g. the written cases). Refuses to overwrite an existing
    bundle unless ``force`` -- checked before any work is done.
    """
    from .bundle import METADATA_FILE, save_bundle

    if out is not None and not force and (Path(out) / METADATA_FILE).exists():
        from ..errors import OverwriteError

        raise OverwriteError("a model bundle is already there; use --force to replace it", path=out)
    data = prepare(labels, listings, corpus=corpus, profile=profile, encoding=encoding, column_map=column_map,
                   progress=progress)
    bundle_name = name or (Path(out).name if out is not None else "model")
    try:
        model = fit([data, *extra_sets], params=params, name=bundle_name, progress=progress)
    except ModelError as exc:  # too few labels, one label only ...: say which labels file
        if exc.path is not None:
            raise
        raise ModelError(exc.message, path=labels) from None
    path = save_bundle(model, out, force=force) if out is not None else None
    return TrainResult(model=model, data=data, path=path)
