"""Risk model: feature rows -> ``risk_score`` (0..1), ``risk_level`` (high|medium|low) and reasons.

Public entry points:

* :func:`load_model` -- a model bundle folder (``None`` = the shipped default);
* :func:`train` -- labels + listings (+ corpus, seller profile) -> a trained bundle;
* :func:`evaluate` -- labels + listings -> metrics (and the keyword baseline's);
* :func:`explain` -- plain-word reasons per listing;
* :class:`RiskModel` (:class:`TrainedModel`, :class:`RulesModel`), :class:`RiskClassifier`.

Submodules: ``estimator`` (the scikit-learn estimator), ``bundle`` (save/load, trusted types), ``training``,
``evaluation``, ``metrics``, ``reasons``, ``categories`` and ``cases`` (the written example cases, for
``scanner train --with-cases``). Building the shipped model (weak labels from product titles, the
default-model build) is not runtime code: it lives in the ``training`` package of a source checkout
(``python -m training.build_default``). Heavy modules load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ..levels import LEVELS

_EXPORTS = {
    "RiskModel": "scanner.model.base",
    "RulesModel": "scanner.model.base",
    "TrainedModel": "scanner.model.base",
    "rules_model": "scanner.model.base",
    "RiskClassifier": "scanner.model.estimator",
    "load_model": "scanner.model.bundle",
    "check_model": "scanner.model.bundle",
    "save_bundle": "scanner.model.bundle",
    "read_metadata": "scanner.model.bundle",
    "train": "scanner.model.training",
    "fit": "scanner.model.training",
    "prepare": "scanner.model.training",
    "LabelledSet": "scanner.model.training",
    "evaluate": "scanner.model.evaluation",
    "Evaluation": "scanner.model.evaluation",
    "explain": "scanner.model.reasons",
}

__all__ = ["LEVELS", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'scanner.model' has no attribute {name!r}")
    return getattr(import_module(module), name)
