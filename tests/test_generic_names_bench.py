"""Smoke run of benchmarks/bench_generic_names.py (tiny sizes; no timing assertions): the batch filter and
the one-match-at-a-time baseline agree on the generated register's matches."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_generic_names.py"


def test_bench_generic_names_runs_small(capsys) -> None:
    spec = importlib.util.spec_from_file_location("bench_generic_names", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    figures = mod.main(["--listings", "300", "--marks", "3000", "--rounds", "1"])
    assert figures["listings"] == 300 and figures["marks"] == 3000
    assert figures["matches"] > 0 and figures["same_mask"] is True
    assert figures["batch_s"] > 0 and figures["one_at_a_time_s"] > 0
    assert "same mask: True" in capsys.readouterr().out
