"""Model bundles: a folder with ``metadata.json`` and (kind ``sklearn``) ``model.skops``.

``metadata.json`` records the bundle format, the versions of scanner / scikit-learn / skops / Python that
made it, the feature names, the thresholds, the label meaning, what it was trained on (file hashes, row
counts, corpus content hashes), held-out metrics and the creation date. The estimator is stored with
``skops.io`` -- never pickle -- and loaded with an explicit list of trusted types (:data:`TRUSTED_TYPES`):
a file that needs any other type is refused.

Compatibility rules (each failure is one :class:`~scanner.errors.ModelError` line):

* bundle format newer than this scanner reads -> refused (upgrade scanner);
* feature names different from this scanner's :data:`scanner.features.FEATURE_NAMES` -> refused (retrain);
* scikit-learn of a different major.minor -> loaded if it can be, otherwise refused (retrain);
* an older scanner version with the same format and features loads fine.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import platform
import tempfile
import zipfile
from pathlib import Path
from typing import Any, NamedTuple

from .. import __version__
from ..errors import ModelError, OverwriteError
from ..resources import default_model_dir
from .base import DEFAULT_THRESHOLDS, RiskModel, RulesModel, TrainedModel
from .estimator import RiskClassifier

#: Current bundle format. 1 = walking-skeleton "rules" bundles (still read), 2 = adds kind "sklearn".
FORMAT_VERSION = 2
ESTIMATOR_FILE = "model.skops"
METADATA_FILE = "metadata.json"

#: Types skops does not trust by default that a scanner bundle may contain. Nothing else is loaded.
TRUSTED_TYPES: tuple[str, ...] = (
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.model_selection._split.StratifiedKFold",
)


def _major_minor(version: str) -> str:
    return ".".join(str(version).split(".")[:2])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def versions() -> dict[str, str]:
    """The library versions recorded in a bundle."""
    import sklearn
    import skops

    return {
        "scanner_version": __version__,
        "sklearn_version": sklearn.__version__,
        "skops_version": skops.__version__,
        "python_version": platform.python_version(),
    }


def save_bundle(model: TrainedModel, out: str | Path, *, force: bool = False, extra: dict[str, Any] | None = None) -> Path:
    """Write ``model`` to the folder ``out`` (created if needed); returns the folder.

    Refuses (:class:`OverwriteError`) when ``out`` already holds a bundle, unless ``force``.
    """
    import skops.io as sio

    from ..features import FEATURE_NAMES

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OverwriteError("exists and is not a folder", path=out)
    if not force and ((out / METADATA_FILE).exists() or (out / ESTIMATOR_FILE).exists()):
        raise OverwriteError("a model bundle is already there; use --force to replace it", path=out)
    if model.estimator is None:
        raise ModelError("nothing to save: the model has no trained estimator")
    est = model.estimator
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"cannot create the bundle folder: {exc.strerror}", path=out) from None
    thresholds = {"medium": float(est.thresholds_["medium"]), "high": float(est.thresholds_["high"])}
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=out, prefix=".model-", suffix=".skops")
        os.close(fd)
        sio.dump(est.model_, tmp, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
        os.chmod(tmp, 0o644)
        digest = _sha256(Path(tmp))
        fresh = {
            "kind": "sklearn",
            "format_version": FORMAT_VERSION,
            "name": model.info.get("name", out.name),
            "description": model.info.get("description", "calibrated risk classifier"),
            **versions(),
            "created": _dt.datetime.now(_dt.UTC).astimezone().isoformat(timespec="seconds"),
            "estimator_file": ESTIMATOR_FILE,
            "estimator_sha256": digest,
            "estimator_params": est.get_params(),
            "feature_names": list(FEATURE_NAMES),
            "classes": [0, 1, 2],
            "thresholds": thresholds,
            "no_match_proba": (None if getattr(est, "no_match_proba_", None) is None
                               else [round(float(v), 6) for v in est.no_match_proba_]),
            "threshold_selection": {k: v for k, v in est.thresholds_.items() if k not in ("medium", "high")},
            "score": "risk_score = (P(label>=1) + P(label=2)) / 2 = expected label / 2; levels are thresholds on it",
        }
        # what training recorded (data, held-out metrics, recipe) first; fresh facts always win
        meta = {**{k: v for k, v in model.info.items() if k not in fresh or k in ("name", "description")},
                **fresh, **(extra or {})}
        from ..labels import LABEL_MEANING

        meta.setdefault("label_meaning", LABEL_MEANING)
        meta_tmp = out / ".metadata.json.tmp"
        meta_tmp.write_text(json.dumps(meta, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        os.replace(tmp, out / ESTIMATOR_FILE)
        os.replace(meta_tmp, out / METADATA_FILE)
    except OSError as exc:
        raise ModelError(f"cannot write the model bundle: {exc.strerror}", path=out) from None
    finally:
        if tmp is not None and Path(tmp).exists():
            Path(tmp).unlink()
    model.info = meta
    model.thresholds = thresholds
    model.path = out
    return out


def read_metadata(path: str | Path) -> dict[str, Any]:
    """The ``metadata.json`` of a bundle folder (one-line :class:`ModelError` when missing or broken)."""
    path = Path(path)
    meta_path = path / METADATA_FILE
    if not path.is_dir():
        raise ModelError("model bundle folder not found", path=path)
    if not meta_path.exists():
        raise ModelError("not a model bundle (no metadata.json)", path=path)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read model metadata: {exc}", path=meta_path) from None
    if not isinstance(meta, dict):
        raise ModelError("model metadata is not a JSON object", path=meta_path)
    return meta


def load_model(path: str | Path | None = None) -> RiskModel:
    """Load a model bundle; ``None`` = the shipped default model."""
    bundle = check_model(path)
    if bundle.kind == "rules":
        return RulesModel(info=bundle.meta, thresholds=bundle.thresholds, path=bundle.path)
    return _load_sklearn(bundle)


class CheckedBundle(NamedTuple):
    """A model bundle whose metadata :func:`check_model` has checked."""

    path: Path
    meta: dict[str, Any]
    thresholds: dict[str, float]
    kind: str  # "sklearn" | "rules"
    estimator: Path | None  # the estimator file (its checksum checked); None for a rules model


def check_model(path: str | Path | None = None) -> CheckedBundle:
    """Every check of :func:`load_model` that reads no estimator (a few milliseconds): the metadata, its
    format, thresholds and feature names, the estimator file and its checksum. A scan runs it before reading
    any listing while the estimator loads in another process."""
    path = default_model_dir() if path is None else Path(path)
    meta = read_metadata(path)
    meta_path = path / METADATA_FILE
    fmt = meta.get("format_version", 1)
    if not isinstance(fmt, int) or fmt < 1:
        raise ModelError(f"bad format_version {fmt!r}", path=meta_path)
    if fmt > FORMAT_VERSION:
        raise ModelError(
            f"bundle format {fmt} was made by a newer scanner ({meta.get('scanner_version', '?')}); this scanner "
            f"({__version__}) reads formats up to {FORMAT_VERSION}: upgrade scanner",
            path=path,
        )
    kind = meta.get("kind")
    thresholds = meta.get("thresholds") or dict(DEFAULT_THRESHOLDS)
    try:
        thresholds = {"medium": float(thresholds["medium"]), "high": float(thresholds["high"])}
    except (KeyError, TypeError, ValueError):
        raise ModelError("thresholds must have numeric 'medium' and 'high'", path=meta_path) from None
    if not 0.0 <= thresholds["medium"] <= thresholds["high"] <= 1.0:
        # risk scores lie in 0..1: a threshold outside, or medium above high, makes a level unreachable
        raise ModelError(f"thresholds must satisfy 0 <= medium <= high <= 1 (risk scores lie in 0..1); found medium "
                         f"{thresholds['medium']}, high {thresholds['high']}", path=meta_path)
    if kind == "rules":
        return CheckedBundle(path, meta, thresholds, kind, None)
    if kind != "sklearn":
        raise ModelError(f"unsupported model kind {kind!r} (expected 'sklearn' or 'rules')", path=meta_path)
    _no_match(meta, path)  # read again when the estimator is loaded
    return CheckedBundle(path, meta, thresholds, kind, _checked_estimator(path, meta))


def _no_match(meta: dict[str, Any], path: Path) -> list[float] | None:
    """The stored score distribution of listings without a third-party match (older bundles: none)."""
    value = meta.get("no_match_proba")
    if value is None:
        return None
    try:
        probs = [float(v) for v in value]
    except (TypeError, ValueError):
        probs = []
    if len(probs) != 3 or min(probs) < 0 or abs(sum(probs) - 1.0) > 1e-3:
        raise ModelError("no_match_proba must be three probabilities (low, medium, high) summing to 1",
                         path=path / METADATA_FILE)
    return probs


def _checked_estimator(path: Path, meta: dict[str, Any]) -> Path:
    """The estimator file of a scikit-learn bundle made with this scanner's features (checksum checked)."""
    from ..features import FEATURE_NAMES

    names = meta.get("feature_names")
    if list(names or []) != list(FEATURE_NAMES):
        names = list(names or [])
        missing = [n for n in FEATURE_NAMES if n not in names]
        extra = [n for n in names if n not in FEATURE_NAMES]
        detail = ", ".join(
            part for part in (
                f"missing {', '.join(missing[:3])}{'...' if len(missing) > 3 else ''}" if missing else "",
                f"unknown {', '.join(extra[:3])}{'...' if len(extra) > 3 else ''}" if extra else "",
                "different order" if not missing and not extra else "",
            ) if part
        )
        raise ModelError(
            f"made by scanner {meta.get('scanner_version', '?')} with other features than this scanner "
            f"({__version__}) computes ({detail}): retrain it with `scanner train`",
            path=path,
        )
    est_path = path / meta.get("estimator_file", ESTIMATOR_FILE)
    if not est_path.exists():
        raise ModelError(f"bundle lacks its estimator file {est_path.name}", path=path)
    expected = meta.get("estimator_sha256")
    if expected and _sha256(est_path) != expected:
        raise ModelError(f"{est_path.name} does not match the checksum in metadata.json (changed or corrupted)",
                         path=path)
    return est_path


def _load_sklearn(bundle: CheckedBundle) -> TrainedModel:
    import sklearn
    import skops.io as sio

    from ..features import FEATURE_NAMES

    path, meta, thresholds, est_path = bundle.path, bundle.meta, bundle.thresholds, bundle.estimator
    made_with = str(meta.get("sklearn_version", "?"))
    mismatch = _major_minor(made_with) != _major_minor(sklearn.__version__)
    try:
        untrusted = sio.get_untrusted_types(file=est_path)
    except Exception as exc:  # noqa: BLE001 - any failure to parse the file is a bad bundle
        raise ModelError(f"cannot read {est_path.name}: {type(exc).__name__}: {exc}", path=path) from None
    unexpected = sorted(set(untrusted) - set(TRUSTED_TYPES))
    if unexpected:
        raise ModelError(
            f"{est_path.name} contains types scanner does not trust ({', '.join(unexpected[:3])}); refusing to load it",
            path=path,
        )
    try:
        model = sio.load(est_path, trusted=list(untrusted))
    except Exception as exc:  # noqa: BLE001
        msg = " ".join(str(exc).split())[:200]
        if mismatch:
            raise ModelError(
                f"made with scikit-learn {made_with}, which this scikit-learn ({sklearn.__version__}) cannot load "
                f"({type(exc).__name__}: {msg}): retrain it with `scanner train`",
                path=path,
            ) from None
        raise ModelError(f"cannot load {est_path.name}: {type(exc).__name__}: {msg}", path=path) from None
    if not hasattr(model, "predict_proba") or getattr(model, "n_features_in_", len(FEATURE_NAMES)) != len(FEATURE_NAMES):
        raise ModelError(f"{est_path.name} is not a classifier over this scanner's {len(FEATURE_NAMES)} features",
                         path=path)
    est = RiskClassifier.from_fitted(
        model, thresholds=thresholds, feature_names=list(FEATURE_NAMES), params=meta.get("estimator_params"),
        no_match_proba=_no_match(meta, path),
    )
    info = dict(meta)
    if mismatch:
        info["warning"] = f"made with scikit-learn {made_with}, running {sklearn.__version__}; retrain when you can"
    return TrainedModel(info=info, thresholds=thresholds, path=path, estimator=est)
