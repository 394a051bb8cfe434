"""``scanner train`` and ``scanner evaluate`` through the click runner (exit codes, one-line errors)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import cli

CASES = Path(__file__).resolve().parents[1] / "training" / "cases"
FAST = ["--max-iter", "10", "--folds", "3"]


def _train_args(out: Path, seller: str = "catalog") -> list[str]:
    return ["train", str(CASES / f"labels_{seller}.csv"), str(CASES / f"listings_{seller}.tsv"),
            "--corpus", str(CASES / "corpus.csv"), "--config", str(CASES / f"seller_{seller}.toml"),
            "--out", str(out), "-q", *FAST]


def _eval_args(model: Path | None, seller: str = "shop") -> list[str]:
    args = ["evaluate", str(CASES / f"labels_{seller}.csv"), str(CASES / f"listings_{seller}.tsv"),
            "--corpus", str(CASES / "corpus.csv"), "--config", str(CASES / f"seller_{seller}.toml"), "-q"]
    return args + (["--model", str(model)] if model else [])


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "bundle"
    result = CliRunner().invoke(cli, _train_args(out))
    assert result.exit_code == 0, result.output
    return out


def test_commands_are_visible_with_help():
    result = CliRunner().invoke(cli, ["--help"])
    assert "train" in result.output and "evaluate" in result.output
    for cmd in ("train", "evaluate"):
        out = CliRunner().invoke(cli, [cmd, "--help"]).output
        assert "LABELS" in out and "--corpus" in out and "--config" in out


def test_train_writes_a_bundle(trained):
    meta = json.loads((trained / "metadata.json").read_text())
    assert meta["kind"] == "sklearn" and (trained / "model.skops").exists()
    assert meta["estimator_params"]["max_iter"] == 10 and meta["estimator_params"]["cv"] == 3


def test_train_prints_held_out_metrics(tmp_path):
    args = [a for a in _train_args(tmp_path / "b") if a != "-q"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "held-out average precision" in result.output and "labelled listings" in result.output


def test_train_refuses_to_overwrite_without_force(trained):
    result = CliRunner().invoke(cli, _train_args(trained))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "--force" in lines[0] and "Traceback" not in result.output
    assert CliRunner().invoke(cli, [*_train_args(trained), "--force"]).exit_code == 0


def test_evaluate_text_shows_model_baseline_and_gain(trained):
    result = CliRunner().invoke(cli, _eval_args(trained))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "average precision" in out and "confusion matrix" in out
    assert "keyword baseline" in out and "gain over the baseline" in out


def test_evaluate_json_for_machines(trained, tmp_path):
    details = tmp_path / "details.csv"
    result = CliRunner().invoke(cli, [*_eval_args(trained), "--json", "--no-baseline", "--details", str(details)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    m = data["metrics"]
    assert m["n"] == data["data"]["joined"] > 100 and "baseline" not in data
    assert set(m["per_level"]) == {"low", "medium", "high"} and len(m["confusion_matrix"]["matrix"]) == 3
    assert details.read_text(encoding="utf-8").startswith("sku,title,label,risk_level")


def test_evaluate_bad_labels_is_one_line_exit_1(tmp_path, trained):
    bad = tmp_path / "labels.csv"
    bad.write_text("sku,label\nGS-0001,maybe\n", encoding="utf-8")
    args = _eval_args(trained)
    args[1] = str(bad)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "labels.csv" in lines[0] and "row 2" in lines[0] and "'label'" in lines[0]


def test_train_on_one_label_only_names_the_labels_file(tmp_path):
    rows = (CASES / "labels_catalog.csv").read_text(encoding="utf-8").splitlines()
    sku = rows[0].split(",").index("sku")
    one = tmp_path / "one_label.csv"
    one.write_text("sku,label\n" + "".join(f"{r.split(',')[sku]},high\n" for r in rows[1:30]), encoding="utf-8")
    args = _train_args(tmp_path / "bundle")
    args[1] = str(one)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [f"error: {one}: training needs at least two different labels (e.g. low and high)"]


def test_evaluate_incompatible_model_is_one_line_exit_1(tmp_path, trained):
    broken = tmp_path / "broken"
    broken.mkdir()
    meta = json.loads((trained / "metadata.json").read_text())
    meta["feature_names"] = ["only_this"]
    (broken / "metadata.json").write_text(json.dumps(meta))
    result = CliRunner().invoke(cli, _eval_args(broken))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "retrain" in lines[0]


def test_missing_listing_file_is_a_usage_error(trained):
    args = _eval_args(trained)
    args[2] = "/no/such/listings.tsv"
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and "does not exist" in result.output
