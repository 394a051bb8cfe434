"""The hand labels of typo / phonetic matches on real titles, and the join logic of
benchmarks/bench_typo_precision.py (issue #15)."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pandas as pd
import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_typo_precision.py"
PATTERNS = {"own-brand", "other-brand", "other-product", "glued", "word", "foreign-word", "misspelt-word",
            "abbrev", "code", "name"}


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_typo_precision", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def labels(bench) -> pd.DataFrame:
    return bench.read_labels(bench.LABELS)


def test_labels_file_starts_with_the_labelling_guide(bench) -> None:
    head = bench.LABELS.read_text(encoding="utf-8").splitlines()[:40]
    guide = [line for line in head if line.startswith("#")]
    assert any("label 1" in line for line in guide) and any("label 0" in line for line in guide)
    for pattern in PATTERNS:
        assert any(line.lstrip("# ").startswith(pattern + " ") for line in guide), pattern


def test_labels_file_is_well_formed(bench, labels) -> None:
    assert tuple(labels.columns) == bench.LABEL_COLUMNS
    assert len(labels) >= 300
    assert set(labels["label"]) == {"0", "1"}
    assert not labels.duplicated(list(bench.KEY_COLUMNS)).any()
    assert set(labels["method"]) <= set(bench.FUZZY_METHODS)
    assert set(labels["file"]) <= set(bench.SPECS)
    assert set(labels["field"]) <= {"title", "brand"}
    for col in ("source", "record_id", "matched_text", "mark"):
        assert (labels[col].str.strip() != "").all(), col
    assert labels["record_id"].str.fullmatch(r"\d+").all()
    assert labels["mark_id"].str.fullmatch(r"\d+").all()
    sim = pd.to_numeric(labels["similarity"])
    assert sim.between(0, 100).all()
    # every wrong match says which kind of word it is; a true one has no pattern
    wrong = labels["label"] == "0"
    assert set(labels.loc[wrong, "pattern"]) <= PATTERNS
    assert (labels.loc[~wrong, "pattern"] == "").all()


def test_labels_copy_no_titles(labels) -> None:
    """Only the matched words are kept (a fuzzy match covers at most 3 tokens), never a whole title."""
    assert (labels["matched_text"].str.split().str.len() <= 3).all()
    assert (labels["matched_text"].str.len() <= 40).all()
    assert (labels["note"].str.len() <= 90).all()


def test_labels_cover_the_four_sources_and_both_fuzzy_methods(labels) -> None:
    per = labels.groupby(["file", "method"]).size()
    for name in ("Walmart-Amazon_records.csv", "Amazon-Google_records.csv", "Abt-Buy_records.csv",
                 "wdc_titles.csv"):
        assert per.get((name, "typo"), 0) >= 10 and per.get((name, "phonetic"), 0) >= 5, name


def test_one_pair_one_label(bench, labels) -> None:
    """The same written token -> mark pair is labelled the same way wherever it was sampled."""
    per_pair = labels.assign(pair=bench.pair_of(labels)).groupby("pair")["label"].nunique()
    assert (per_pair == 1).all(), list(per_pair[per_pair > 1].index)


def _matches(rows: list[tuple]) -> pd.DataFrame:
    cols = ["file", "source", "record_id", "field", "matched_text", "mark", "mark_id", "method", "similarity",
            "listing"]
    return pd.DataFrame(rows, columns=cols)


def _labels(rows: list[tuple]) -> pd.DataFrame:
    cols = ["file", "source", "record_id", "field", "matched_text", "mark", "mark_id", "method", "similarity",
            "label", "pattern", "note"]
    return pd.DataFrame(rows, columns=cols).astype(str)


F = "Abt-Buy_records.csv"
LABELS = _labels([
    (F, "abt", "1", "title", "Samsnug", "Samsung", 7, "typo", 85.7, 1, "", ""),
    (F, "abt", "2", "title", "tuner", "Ténéré", 9, "phonetic", 72.7, 0, "word", ""),
    (F, "abt", "3", "title", "seethru", "Seether", 8, "phonetic", 85.7, 0, "glued", "see+thru"),
    (F, "buy", "3", "title", "Nikey", "Nike", 5, "typo", 80.0, 1, "", ""),
])


def test_join_labels_by_full_key(bench) -> None:
    before = _matches([
        (F, "abt", 1, "title", "Samsnug", "Samsung", 7, "typo", 85.7, 0),
        (F, "abt", 2, "title", "tuner", "Ténéré", 9, "phonetic", 72.7, 1),
        (F, "abt", 3, "title", "seethru", "Seether", 8, "phonetic", 85.7, 2),
        (F, "abt", 3, "brand", "seethru", "Seether", 8, "phonetic", 85.7, 2),  # other field: no label
        (F, "abt", 4, "title", "Nikey", "Nike", 5, "typo", 80.0, 3),  # same pair, other record: no label
    ])
    out = bench.join_labels(before, LABELS)
    assert list(out["label"]) == [1, 0, 0, -1, -1]
    assert list(out["pattern"]) == ["", "word", "glued", "", ""]
    assert out.loc[2, "note"] == "see+thru"
    assert len(out) == len(before)


def test_join_pair_labels_passes_labels_on_and_drops_conflicts(bench) -> None:
    labels = pd.concat([LABELS, _labels([(F, "abt", "9", "title", "SEETHRU", "Seether", 8, "phonetic", 85.7,
                                          1, "", "")])], ignore_index=True)
    matches = _matches([
        (F, "abt", 7, "title", "TUNER", "Ténéré", 9, "phonetic", 72.7, 0),  # case-folded pair: labelled 0
        (F, "abt", 8, "title", "Seethru", "Seether", 8, "phonetic", 85.7, 1),  # labelled 0 and 1: conflict
        (F, "abt", 8, "title", "Nikey", "Nike", 5, "typo", 80.0, 1),
        (F, "abt", 8, "title", "Nikey", "Nikon", 6, "typo", 80.0, 1),  # pair never labelled
    ])
    out = bench.join_pair_labels(matches, labels)
    assert list(out["label"]) == [0, -1, 1, -1]


def test_compare_counts_precision_and_recall(bench) -> None:
    before = bench.join_labels(_matches([
        (F, "abt", 1, "title", "Samsnug", "Samsung", 7, "typo", 85.7, 0),
        (F, "abt", 2, "title", "tuner", "Ténéré", 9, "phonetic", 72.7, 1),
        (F, "abt", 3, "title", "seethru", "Seether", 8, "phonetic", 85.7, 2),
        (F, "buy", 3, "title", "Nikey", "Nike", 5, "typo", 80.0, 3),
        (F, "abt", 4, "title", "Nikey", "Nike", 5, "typo", 80.0, 4),  # unlabelled: left out
    ]), LABELS)
    # the filter drops the dictionary word and one true typo
    after = before[before["record_id"].isin(["1", "3", "4"]) & (before["source"] == "abt")]
    table = bench.compare(before, after).set_index("method")
    assert table.loc["all", "kept_before"] == 4 and table.loc["all", "kept_after"] == 2
    assert table.loc["all", "true_before"] == 2 and table.loc["all", "true_after"] == 1
    assert table.loc["all", "precision_before"] == pytest.approx(0.5)
    assert table.loc["all", "precision_after"] == pytest.approx(0.5)
    assert table.loc["all", "recall_after"] == pytest.approx(0.5)
    assert table.loc["phonetic", "kept_before"] == 2 and table.loc["phonetic", "kept_after"] == 1
    assert table.loc["phonetic", "precision_after"] == 0.0
    assert math.isnan(table.loc["phonetic", "recall_after"])  # no true phonetic match
    assert table.loc["typo", "precision_after"] == 1.0
    lost = bench.dropped_true(before, after)
    assert list(lost["matched_text"]) == ["Nikey"] and list(lost["source"]) == ["buy"]
    patterns = bench.by_pattern(before, after)
    assert patterns.loc["word", "before"] == 1 and patterns.loc["word", "after"] == 0
    assert patterns.loc["glued", "after"] == 1 and patterns.loc["glued", "dropped"] == 0.0


def test_sample_is_stratified_and_one_occurrence_per_pair(bench) -> None:
    rows = []
    for i in range(30):  # one product line repeated: one pair
        rows.append((F, "abt", i, "title", "seethru", "Seether", 8, "phonetic", 85.7, i))
    for i in range(10):  # ten distinct typo pairs in another file
        rows.append(("wdc_titles.csv", "wdc", i, "title", f"tok{i}", f"Mark{i}", i, "typo", 80.0, 100 + i))
    before = _matches(rows)
    sample = bench.sample_for_labelling(before, 6, seed=1)
    assert len(sample) == 6
    assert (sample["file"] == F).sum() == 1  # the repeated pair once
    assert (sample["file"] == "wdc_titles.csv").sum() == 5
    assert sample.equals(bench.sample_for_labelling(before, 6, seed=1))


def test_bench_skips_without_shared_data(bench, tmp_path, capsys) -> None:
    assert bench.main(["--titles", str(tmp_path / "absent")]) == 0
    assert "skipped" in capsys.readouterr().out


def test_labelled_matches_are_still_found_and_the_filter_keeps_true_typos(bench, labels, shared_data) -> None:
    from scanner.corpus import load_corpus
    from scanner.match import prepare_index

    corpus = load_corpus(None)
    records = bench.load_titles(shared_data / "titles")
    before, after, gone = bench.measure_labelled(records, labels, corpus, prepare_index(corpus))
    assert gone <= len(labels) // 20, "the engine changed: re-sample and re-label"
    true_before = int((before["label"] == 1).sum())
    assert true_before >= 10
    # the doubtful filter keeps at least 3 in 4 real misspellings (measured: 14 of 16) and at least triples
    # precision (measured: 0.045 -> 0.175); the rules were chosen on these labels, so this is a regression
    # guard, not an independent measure (see docs/matching.md)
    assert len(bench.dropped_true(before, after)) <= true_before // 4
    table = bench.compare(before, after).set_index("method")
    assert table.loc["all", "precision_after"] >= 3 * table.loc["all", "precision_before"]
    assert table.loc["all", "kept_after"] < table.loc["all", "kept_before"]


def test_drop_doubtful_switch_keeps_what_the_filter_drops() -> None:
    """``find_matches(drop_doubtful=False)`` is the "before" of the benchmark: the declared brand read as a
    typo of another mark is kept; a real misspelling is found either way."""
    from scanner.corpus import Corpus
    from scanner.corpus.schema import MARK_COLUMNS
    from scanner.match import find_matches

    rows = [{"mark": "Delica", "owner": "Delica Co"}, {"mark": "Sennheiser", "owner": "Sennheiser"}]
    marks = pd.DataFrame([{c: r.get(c, "") for c in MARK_COLUMNS} for r in rows], columns=list(MARK_COLUMNS))
    corpus = Corpus(marks=marks.astype(str), info={"name": "test"})
    listings = pd.DataFrame({"title": ["Dolica lightweight tripod", "Sennheisser wireless headphone"],
                             "brand": ["Dolica", ""]})
    on = find_matches(listings, corpus, fields=("title",))
    off = find_matches(listings, corpus, fields=("title",), drop_doubtful=False)
    assert set(zip(on["matched_text"], on["method"], strict=True)) == {("Sennheisser", "typo")}
    assert set(zip(off["matched_text"], off["method"], strict=True)) == {("Sennheisser", "typo"), ("Dolica", "typo")}
    assert list(off.columns) == list(on.columns)
