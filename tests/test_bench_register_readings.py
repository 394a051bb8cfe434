"""benchmarks/bench_register_readings.py: the four corpora it makes, and a whole run on the development set."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from scanner.corpus import Corpus
from scanner.corpus.schema import MARK_COLUMNS

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_register_readings.py"


def _bench() -> SimpleNamespace:
    """The benchmark's functions and constants (run as a module, not as ``__main__``)."""
    return SimpleNamespace(**runpy.run_path(str(BENCH), run_name="bench_register_readings"))


def _corpus() -> Corpus:
    marks = pd.DataFrame({c: "" for c in MARK_COLUMNS}, index=range(2))
    marks["mark"], marks["owner"], marks["kind"] = ["CANON", "THE"], ["canon", "x"], ["brand", "word"]
    return Corpus(marks=marks, info={"name": "tiny"})


def test_register_like_adds_common_words_as_kindless_marks_of_their_own_owners():
    bench = _bench()
    small = _corpus()
    reg = bench.register_like(small, 50, seed=7)
    added = reg.marks.iloc[len(small.marks):]
    assert len(added) == 50 and reg.marks.iloc[:2].equals(small.marks)
    assert "THE" not in set(added["mark"])  # already a mark: not added twice
    assert (added["kind"] == "").all() and (added["status"] == "live").all()
    assert added["nice_classes"].astype(int).between(1, 45).all()
    assert (added["owner"] == added["mark"].str.title() + " Holdings LLC").all()
    assert bench.register_like(small, 50, seed=7).marks.equals(reg.marks)  # the seed fixes the classes
    bare = bench.without_kinds(reg)
    assert (bare.marks["kind"] == "").all() and (small.marks["kind"] != "").all()  # the input is not changed


def test_readings_count_distance_misses_and_false_alarms():
    got = _bench().readings(pd.Series(["low", "high", "medium", "low"]), pd.Series([2, 2, 0, 0]))
    assert got == {"accuracy": 0.5, "distance": 3, "high scored low": 1, "low flagged": 1}


def test_whole_run_on_the_development_set(capsys):
    bench = _bench()
    if not (bench.DEVSET / "corpus.csv").is_file():
        pytest.skip(f"needs the shared development set at {bench.DEVSET} (absent in a fresh clone)")
    assert bench.main(["--words", "300"]) == 0
    out = capsys.readouterr().out
    assert out.count("accuracy") == 8 and out.count("level changes") == 4
    assert "300 common words added" in out and "summed over the eight runs: distance" in out
