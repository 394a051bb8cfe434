"""The risk model: estimator contract, training, bundles (save/load/compatibility), metrics, evaluation."""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.base import clone
from sklearn.metrics import average_precision_score, precision_recall_fscore_support
from sklearn.utils.validation import check_is_fitted

from scanner.config import load_profile
from scanner.corpus import load_corpus
from scanner.errors import ModelError, OverwriteError
from scanner.features import FEATURE_NAMES
from scanner.model.base import RulesModel, TrainedModel, rules_model
from scanner.model.bundle import TRUSTED_TYPES, _sha256, check_model, load_model, read_metadata, save_bundle
from scanner.model.estimator import (
    RiskClassifier,
    choose_thresholds,
    distinct_rows,
    levels_from_scores,
    risk_scores,
)
from scanner.model.evaluation import evaluate
from scanner.model.metrics import format_metrics, risk_metrics
from scanner.model.training import fit, prepare, stack

CASES = Path(__file__).resolve().parents[1] / "training" / "cases"
FAST = {"max_iter": 15, "cv": 3, "max_leaf_nodes": 7, "min_samples_leaf": 5}


def _set(seller: str):
    return prepare(CASES / f"labels_{seller}.csv", [CASES / f"listings_{seller}.tsv"],
                   corpus=load_corpus(CASES / "corpus.csv"), profile=load_profile(CASES / f"seller_{seller}.toml"),
                   name=f"written_{seller}")


@pytest.fixture(scope="module")
def catalog():
    return _set("catalog")


@pytest.fixture(scope="module")
def shop():
    return _set("shop")


@pytest.fixture(scope="module")
def model(catalog):
    return fit([catalog], params=FAST, name="test-model")


@pytest.fixture
def bundle(model, tmp_path):
    return save_bundle(model, tmp_path / "bundle")


def _edit_meta(path: Path, **changes):
    meta = json.loads((path / "metadata.json").read_text())
    meta.update(changes)
    (path / "metadata.json").write_text(json.dumps(meta))


# -- estimator contract ---------------------------------------------------------------------------------

def test_estimator_contract(catalog):
    est = RiskClassifier(**FAST)
    params = est.get_params()
    assert params["max_iter"] == 15 and set(params) >= {"classifier", "calibration", "cv", "random_state"}
    assert not [a for a in vars(est) if a.endswith("_")]  # nothing learned before fit
    clone(est).set_params(max_iter=3)
    assert est.max_iter == 15
    X, y = catalog.features, catalog.y.to_numpy()
    assert est.fit(X, y) is est
    check_is_fitted(est, ["model_", "thresholds_", "classes_"])
    assert list(est.classes_) == [0, 1, 2] and list(est.feature_names_in_) == list(FEATURE_NAMES)
    proba = est.predict_proba(X)
    assert proba.shape == (len(X), 3) and np.allclose(proba.sum(axis=1), 1.0)
    assert set(np.unique(est.predict(X))) <= {0, 1, 2}
    assert est.oof_proba_.shape == (len(X), 3)


def test_fit_is_reproducible_with_a_seed(catalog):
    a = RiskClassifier(**FAST, random_state=3).fit(catalog.features, catalog.y).predict_proba(catalog.features)
    b = RiskClassifier(**FAST, random_state=3).fit(catalog.features, catalog.y).predict_proba(catalog.features)
    np.testing.assert_array_equal(a, b)


def test_fit_errors_are_model_errors(catalog):
    X = catalog.features.iloc[:20]
    with pytest.raises(ModelError, match="two different labels"):
        RiskClassifier(**FAST).fit(X, np.zeros(20, dtype=int))
    with pytest.raises(ModelError, match="at least 2"):
        RiskClassifier(**FAST).fit(X, np.array([0] * 19 + [2]))
    with pytest.raises(ModelError, match="unknown classifier"):
        RiskClassifier(classifier="svm").fit(X, np.array([0, 2] * 10))
    with pytest.raises(ModelError, match="0, 1 or 2"):
        RiskClassifier(**FAST).fit(X, np.array([0, 3] * 10))


def test_two_label_training_like_complaint_history(catalog):
    """Labels made from complaint notices are only high (2) and low (0); medium never appears."""
    keep = catalog.y != 1
    est = RiskClassifier(**FAST).fit(catalog.features[keep], catalog.y[keep])
    scores = est.score_risk(catalog.features)
    assert np.allclose(scores["p_any"], scores["p_high"])
    assert scores["risk_score"].between(0, 1).all()


def test_logreg_variant_trains(catalog):
    est = RiskClassifier(classifier="logreg", calibration="isotonic", cv=3).fit(catalog.features, catalog.y)
    assert est.score_risk(catalog.features)["risk_score"].between(0, 1).all()


def test_distinct_rows_rebuild_the_table_in_first_seen_order():
    values = np.array([[1.0, 0.0], [2.0, np.nan], [1.0, 0.0], [2.0, np.nan], [0.0, 1.0], [1.0, 0.0]])
    codes, first = distinct_rows(values)
    assert first.tolist() == [0, 1, 4]
    np.testing.assert_array_equal(values[first][codes], values)
    codes, first = distinct_rows(np.empty((0, 3)))
    assert len(codes) == len(first) == 0


def test_scores_of_repeated_rows_equal_scoring_every_row(model, shop):
    """Scoring each distinct row once (column-major) gives the numbers scoring every row gives."""
    features = shop.features
    repeated = pd.concat([features, features.iloc[::-1], features.iloc[:7]], ignore_index=True)
    est = model.estimator
    got = est.predict_proba(repeated)
    values = est._as_frame(repeated).to_numpy(dtype=float)
    gate = est._gate(est._as_frame(repeated))
    assert gate.any() and not gate.all()
    expected = np.tile(est.no_match_proba_, (len(values), 1))
    expected[gate] = est._full_proba(est.model_.predict_proba(values[gate]), est.model_.classes_)
    np.testing.assert_array_equal(got, expected)


def test_risk_score_orders_high_over_medium_over_low():
    proba = np.array([[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.05, 0.05, 0.9]])
    score, p_any, p_high = risk_scores(proba, np.array([0, 1, 2]))
    assert score[0] < score[1] < score[2]
    np.testing.assert_allclose(p_any, [0.1, 0.95, 0.95])
    np.testing.assert_allclose(score, (p_any + p_high) / 2)


def test_thresholds_reach_the_target_precision_on_held_out_scores():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], 200)
    score = np.concatenate([rng.uniform(0, 0.4, 200), rng.uniform(0.3, 0.8, 200), rng.uniform(0.6, 1.0, 200)])
    t = choose_thresholds(y, score, high_precision=0.9)
    assert 0 < t["medium"] <= t["high"] < 1
    pred = levels_from_scores(score, t)
    precision_high = np.mean(y[pred == 2] == 2)
    assert precision_high >= 0.9 - 1e-9
    assert t["high_precision"] >= 0.9


# -- bundles ---------------------------------------------------------------------------------------------

def test_train_save_load_gives_identical_scores(model, bundle, shop):
    loaded = load_model(bundle)
    assert isinstance(loaded, TrainedModel)
    pd.testing.assert_frame_equal(loaded.predict(shop.features), model.predict(shop.features))
    assert loaded.thresholds == model.thresholds


def test_metadata_records_versions_features_thresholds_and_data(bundle):
    meta = read_metadata(bundle)
    import sklearn
    import skops

    from scanner import __version__

    assert meta["kind"] == "sklearn" and meta["format_version"] == 2
    assert meta["scanner_version"] == __version__ and meta["sklearn_version"] == sklearn.__version__
    assert meta["skops_version"] == skops.__version__
    assert meta["feature_names"] == list(FEATURE_NAMES)
    assert set(meta["thresholds"]) == {"medium", "high"}
    assert meta["label_meaning"]["2"].startswith("high")
    data = meta["training_data"][0]
    assert data["rows"] > 100 and len(data["labels_sha256"]) == 64 and data["corpus_hash"]
    assert meta["metrics_held_out"]["all"]["n"] == data["rows"]
    assert meta["created"][:2] == "20" and meta["estimator_sha256"] == _sha256(bundle / "model.skops")


def test_save_refuses_to_overwrite_without_force(model, bundle):
    with pytest.raises(OverwriteError) as err:
        save_bundle(model, bundle)
    assert "--force" in str(err.value) and "\n" not in str(err.value)
    before = (bundle / "metadata.json").stat().st_mtime_ns
    save_bundle(model, bundle, force=True)
    assert load_model(bundle).thresholds == model.thresholds
    assert (bundle / "metadata.json").stat().st_mtime_ns >= before


def test_bundle_from_an_older_compatible_scanner_loads(bundle, model, shop):
    _edit_meta(bundle, scanner_version="0.0.1", created="2020-01-01T00:00:00+00:00")
    loaded = load_model(bundle)
    assert loaded.info["scanner_version"] == "0.0.1"
    pd.testing.assert_frame_equal(loaded.predict(shop.features), model.predict(shop.features))


def _one_line_model_error(path) -> str:
    with pytest.raises(ModelError) as err:
        load_model(path)
    msg = str(err.value)
    assert "\n" not in msg and str(path) in msg
    return msg


def test_bundle_with_other_features_is_refused(bundle):
    _edit_meta(bundle, feature_names=list(FEATURE_NAMES[:-1]) + ["some_old_feature"], scanner_version="0.0.9")
    msg = _one_line_model_error(bundle)
    assert "retrain" in msg and "some_old_feature" in msg and "0.0.9" in msg


def test_bundle_of_a_newer_format_is_refused(bundle):
    _edit_meta(bundle, format_version=99)
    assert "upgrade scanner" in _one_line_model_error(bundle)


def test_sklearn_version_that_cannot_load_is_refused(bundle, monkeypatch):
    _edit_meta(bundle, sklearn_version="0.99.0")

    def broken(*args, **kwargs):
        raise AttributeError("Can't get attribute 'Gone' on <module 'sklearn.calibration'>")

    monkeypatch.setattr(sio, "load", broken)
    msg = _one_line_model_error(bundle)
    assert "scikit-learn 0.99.0" in msg and "retrain" in msg


def test_sklearn_version_that_loads_is_accepted_with_a_warning(bundle):
    _edit_meta(bundle, sklearn_version="0.99.0")
    assert "0.99.0" in load_model(bundle).info["warning"]


def test_untrusted_types_are_refused(bundle):
    sio.dump(Fraction(1, 3), bundle / "model.skops")
    _edit_meta(bundle, estimator_sha256=_sha256(bundle / "model.skops"))
    msg = _one_line_model_error(bundle)
    assert "trust" in msg and "fractions.Fraction" in msg


def test_changed_estimator_file_is_refused(bundle):
    with open(bundle / "model.skops", "ab") as fh:
        fh.write(b"x")
    assert "checksum" in _one_line_model_error(bundle)


def _damage(bundle: Path, damage: str) -> None:
    edits = {"unknown_kind": {"kind": "torch"}, "features": {"feature_names": ["x"]}, "newer": {"format_version": 99},
             "thresholds": {"thresholds": {"medium": 0.9, "high": 0.2}}, "no_match": {"no_match_proba": [1, 1, 1]}}
    if damage == "no_metadata":
        (bundle / "metadata.json").unlink()
    elif damage == "bad_json":
        (bundle / "metadata.json").write_text("{not json")
    elif damage == "no_estimator":
        (bundle / "model.skops").unlink()
    elif damage == "checksum":
        with open(bundle / "model.skops", "ab") as fh:
            fh.write(b"x")
    else:
        _edit_meta(bundle, **edits[damage])


@pytest.mark.parametrize("damage", ["no_metadata", "bad_json", "no_estimator", "unknown_kind"])
def test_broken_bundles_are_one_line_errors(bundle, damage):
    _damage(bundle, damage)
    _one_line_model_error(bundle)


@pytest.mark.parametrize("damage", ["no_metadata", "bad_json", "no_estimator", "unknown_kind", "features",
                                    "newer", "checksum", "thresholds", "no_match"])
def test_check_model_raises_the_metadata_errors_of_load_model_without_reading_the_estimator(bundle, damage,
                                                                                           monkeypatch):
    """A scan checks the bundle before reading listings while its estimator loads in another process: the
    check gives the very error load_model gives, and opens no estimator."""
    assert check_model(bundle).estimator == bundle / "model.skops"  # a sound bundle passes
    _damage(bundle, damage)
    expected = _one_line_model_error(bundle)

    def opened(*args, **kwargs):
        raise AssertionError("check_model read the estimator")

    monkeypatch.setattr(sio, "load", opened)
    monkeypatch.setattr(sio, "get_untrusted_types", opened)
    with pytest.raises(ModelError) as err:
        check_model(bundle)
    assert str(err.value) == expected


def test_check_model_passes_a_bundle_only_its_estimator_makes_bad(bundle):
    """What only reading the estimator finds (an untrusted type) is load_model's to raise."""
    sio.dump(Fraction(1, 3), bundle / "model.skops")
    _edit_meta(bundle, estimator_sha256=_sha256(bundle / "model.skops"))
    assert check_model(bundle).kind == "sklearn"
    assert "trust" in _one_line_model_error(bundle)


def test_trusted_types_cover_every_supported_configuration(catalog, tmp_path):
    X, y = catalog.features, catalog.y
    for classifier in ("hgb", "logreg"):
        for calibration in ("sigmoid", "isotonic"):
            est = RiskClassifier(classifier=classifier, calibration=calibration, max_iter=5, cv=2).fit(X, y)
            sio.dump(est.model_, tmp_path / "m.skops")
            assert set(sio.get_untrusted_types(file=tmp_path / "m.skops")) <= set(TRUSTED_TYPES)


def test_rules_bundle_of_the_walking_skeleton_still_loads(tmp_path):
    path = tmp_path / "rules"
    path.mkdir()
    (path / "metadata.json").write_text(json.dumps({
        "kind": "rules", "name": "default", "format_version": 1, "thresholds": {"medium": 0.3, "high": 0.7}}))
    loaded = load_model(path)
    assert isinstance(loaded, RulesModel)
    feats = pd.DataFrame(0.0, index=range(4), columns=list(FEATURE_NAMES))
    feats.loc[1, "n_nominative"] = 1
    feats.loc[2, "n_identity"] = 1
    feats.loc[3, ["n_identity", "n_counterfeit"]] = 1
    assert loaded.predict(feats)["risk_level"].tolist() == ["low", "medium", "high", "high"]


def test_shipped_default_model_loads_and_scores():
    model = load_model(None)
    meta = model.info
    assert meta["kind"] in ("sklearn", "rules")
    feats = pd.DataFrame(0.0, index=range(2), columns=list(FEATURE_NAMES))
    out = model.predict(feats)
    assert out["risk_score"].between(0, 1).all() and set(out["risk_level"]) <= {"low", "medium", "high"}
    if meta["kind"] == "sklearn":
        assert meta["training_recipe"]["devset_used"] is False


# -- metrics and evaluation ------------------------------------------------------------------------------

def test_metrics_match_sklearn_on_a_small_case():
    y = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 0])
    pred = np.array(["low", "medium", "low", "medium", "high", "high", "high", "low", "high", "high"])
    p_any = np.array([0.1, 0.6, 0.2, 0.7, 0.9, 0.95, 0.8, 0.3, 0.99, 0.85])
    p_high = np.array([0.05, 0.2, 0.1, 0.3, 0.6, 0.9, 0.7, 0.2, 0.95, 0.75])
    m = risk_metrics(y, pred, p_any, p_high)
    pred_n = np.array([{"low": 0, "medium": 1, "high": 2}[p] for p in pred])
    assert m["average_precision"]["any"] == pytest.approx(average_precision_score(y >= 1, p_any))
    assert m["average_precision"]["high"] == pytest.approx(average_precision_score(y == 2, p_high))
    prec, rec, f1, sup = precision_recall_fscore_support(y, pred_n, labels=[0, 1, 2], zero_division=0)
    for i, level in enumerate(("low", "medium", "high")):
        assert m["per_level"][level]["precision"] == pytest.approx(prec[i])
        assert m["per_level"][level]["recall"] == pytest.approx(rec[i])
        assert m["per_level"][level]["f1"] == pytest.approx(f1[i])
        assert m["per_level"][level]["support"] == sup[i]
    # counted by hand: rows = label, columns = predicted
    assert m["confusion_matrix"]["matrix"] == [[2, 1, 1], [0, 1, 1], [1, 0, 3]]
    assert m["labels"] == {"low": 4, "medium": 2, "high": 4}
    assert m["predicted"] == {"low": 3, "medium": 2, "high": 5}
    # any risk: predicted medium/high vs labelled medium/high: 5 true positives of 7 predicted, 6 labelled
    assert m["any_risk"]["precision"] == pytest.approx(5 / 7) and m["any_risk"]["recall"] == pytest.approx(5 / 6)
    text = format_metrics(m, "t")
    assert "confusion matrix" in text and "0.833" in text


def test_metrics_without_both_classes_report_no_average_precision():
    m = risk_metrics(np.array([2, 2]), np.array([2, 1]), np.array([0.9, 0.5]), np.array([0.9, 0.2]))
    assert m["average_precision"] == {"any": None, "high": None}
    assert "n/a" in format_metrics(m)


def test_evaluate_reports_model_and_baseline(bundle):
    ev = evaluate(CASES / "labels_shop.csv", [CASES / "listings_shop.tsv"], corpus=CASES / "corpus.csv",
                  profile=CASES / "seller_shop.toml", model=bundle, baseline=True)
    assert ev.metrics["n"] == ev.join.n_joined == len(ev.predictions) > 100
    assert ev.baseline is not None and ev.baseline["n"] == ev.metrics["n"]
    data = json.loads(ev.to_json())
    assert data["metrics"]["average_precision"]["any"] is not None and "baseline" in data
    assert data["data"]["joined"] == ev.metrics["n"]
    text = ev.to_text()
    assert "keyword baseline" in text and "gain over the baseline" in text
    assert set(ev.predictions.columns) >= {"sku", "label", "risk_level", "risk_score", "reasons"}
    # a model trained on another seller's cases must beat flagging every mark
    assert ev.metrics["average_precision"]["any"] > ev.baseline["average_precision"]["any"]


def test_rules_baseline_flags_every_third_party_mark(shop):
    scores = rules_model().predict(shop.features)
    flagged = scores["risk_level"] != "low"
    assert (flagged == (shop.features["n_third_party"] > 0)).all()


def test_stack_keeps_groups_of_each_set_apart(catalog, shop):
    X, y, groups = stack([catalog, shop])
    assert len(X) == len(y) == len(groups) == len(catalog) + len(shop)
    assert len(set(groups)) == len(groups)  # default: one group per listing


def test_fit_records_held_out_metrics_per_set(catalog, shop):
    m = fit([catalog, shop], params=FAST)
    held = m.info["metrics_held_out"]
    assert set(held) == {"all", "written_catalog", "written_shop"}
    assert held["written_shop"]["n"] == len(shop)
    assert 0 <= m.thresholds["medium"] <= m.thresholds["high"] <= 1


def test_copying_a_bundle_keeps_it_loadable(bundle, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(bundle, copy)
    assert isinstance(load_model(copy), TrainedModel)


# -- no-match gate, threshold sets, weights ---------------------------------------------------------------

def test_listings_without_a_third_party_match_get_the_stored_no_match_distribution(model, catalog):
    est = model.estimator
    gate = catalog.features["s_present"].to_numpy() > 0
    assert (~gate).any() and gate.any()
    y = catalog.y.to_numpy()
    expected = np.bincount(y[~gate], minlength=3).astype(float)
    expected[0] += 1.0  # smoothed towards low
    assert np.allclose(est.no_match_proba_, expected / expected.sum())
    # whatever else the row says (title shape, casing...), no match means the stored distribution
    odd = catalog.features[~gate].copy()
    odd["title_lower_ratio"] = 0.0
    odd["title_n_tokens"] = 60.0
    odd["brand_is_placeholder"] = 1.0
    proba = est.predict_proba(odd)
    assert np.allclose(proba, est.no_match_proba_)
    assert (model.predict(odd)["risk_level"] == "low").all()


def test_no_match_distribution_survives_save_and_load(model, bundle):
    meta = read_metadata(bundle)
    assert meta["no_match_proba"] == pytest.approx(list(model.estimator.no_match_proba_), abs=1e-6)
    loaded = load_model(bundle)
    assert np.allclose(loaded.estimator.no_match_proba_, model.estimator.no_match_proba_, atol=1e-6)


def test_bad_no_match_distribution_is_refused(bundle):
    _edit_meta(bundle, no_match_proba=[0.5, 0.6, 0.1])
    with pytest.raises(ModelError, match="no_match_proba"):
        load_model(bundle)


def test_thresholds_can_be_chosen_on_some_sets_only(catalog, shop):
    both = fit([catalog, shop], params=FAST, name="t")
    on_shop = fit([catalog, shop], params=FAST, name="t", threshold_sets=[shop.name])
    sel = on_shop.estimator.thresholds_
    assert sel["chosen_on"] == [shop.name] and sel["chosen_on_rows"] == len(shop)
    # the same held-out scores, restricted to the shop rows, choose these thresholds
    shop_rows = slice(len(catalog), len(catalog) + len(shop))
    direct = choose_thresholds(shop.y.to_numpy(), both.estimator.oof_score_[shop_rows], high_precision=0.85)
    assert on_shop.thresholds == {"medium": direct["medium"], "high": direct["high"]}
    with pytest.raises(ModelError, match="no training set named"):
        fit([catalog], params=FAST, name="t", threshold_sets=["nope"])


def test_set_weights_change_the_model_and_are_recorded(catalog, shop):
    plain = fit([catalog, shop], params=FAST, name="t")
    shop.weight = 8.0
    try:
        heavy = fit([catalog, shop], params=FAST, name="t")
    finally:
        shop.weight = 1.0
    assert heavy.info["training_weights"] == {catalog.name: 1.0, shop.name: 8.0}
    a = plain.estimator.predict_proba(catalog.features)
    b = heavy.estimator.predict_proba(catalog.features)
    assert not np.allclose(a, b)


def test_the_medium_threshold_sits_in_the_middle_of_the_gap_that_gives_the_best_f1():
    # held-out scores: lows up to 0.10, mediums from 0.40, highs from 0.80: any threshold in (0.10, 0.40]
    # separates low from the rest perfectly; the middle of that gap keeps the margin both ways
    y = np.repeat([0, 1, 2], 50)
    score = np.concatenate([np.linspace(0.0, 0.10, 50), np.linspace(0.40, 0.52, 50), np.linspace(0.80, 1.0, 50)])
    t = choose_thresholds(y, score, high_precision=0.9)
    assert t["medium"] == pytest.approx(0.25, abs=1e-6)
    assert t["medium_precision"] == 1.0 and t["medium_recall"] == 1.0
    pred = levels_from_scores(score, t)
    assert (pred[y == 0] == 0).all() and (pred[y > 0] > 0).all()


def test_the_medium_threshold_has_a_floor():
    # held-out lows up to 0.05, risks from 0.08: the best F1 lies below the floor, which wins
    y = np.repeat([0, 1, 2], 50)
    score = np.concatenate([np.linspace(0.0, 0.05, 50), np.linspace(0.08, 0.5, 50), np.linspace(0.8, 1.0, 50)])
    t = choose_thresholds(y, score, high_precision=0.9)
    assert t["medium"] == pytest.approx(0.2) and "floor" in t["medium_rule"]
    assert choose_thresholds(y, score, high_precision=0.9, medium_floor=0.0)["medium"] < 0.1


@pytest.mark.parametrize(("medium", "high"), [(0.2, 5.0), (-0.1, 0.5), (0.7, 0.6), (float("nan"), 0.5)])
def test_thresholds_no_score_can_reach_are_refused(bundle, medium, high):
    # risk scores lie in 0..1: a high threshold of 5 would let every listing score low, a silent all-clear
    _edit_meta(bundle, thresholds={"medium": medium, "high": high})
    with pytest.raises(ModelError, match="0 <= medium <= high <= 1") as err:
        load_model(bundle)
    assert "metadata.json" in str(err.value)


def test_thresholds_at_the_ends_of_the_scale_load(bundle):
    _edit_meta(bundle, thresholds={"medium": 0.0, "high": 1.0})
    assert load_model(bundle).thresholds == {"medium": 0.0, "high": 1.0}
