"""Smoke runs of benchmarks/bench_match.py (tiny sizes; no timing assertions)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_match.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_match", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def check(figures: dict, listings: int, marks: int) -> None:
    assert figures["listings"] == listings and figures["marks"] == marks
    assert figures["matches"] > 0
    assert figures["scan_s"] > 0 and figures["build_s"] > 0 and figures["naive_s_per_title"] > 0
    assert figures["speedup"] > 0 and figures["naive_total_s"] > 0
    assert figures["peak_rss_mb"] > 0


def test_bench_runs_small_without_shared_data(tmp_path, capsys) -> None:
    out = tmp_path / "figures.json"
    figures = load_bench().main([
        "--listings", "300", "--marks", "3000", "--naive-titles", "1", "--titles", str(tmp_path / "absent"),
        "--json", str(out),
    ])
    check(figures, 300, 3000)
    assert "synthetic" in figures["source"]
    assert out.is_file()
    printed = capsys.readouterr().out
    assert "speed-up over naive" in printed and "index build" in printed


def test_bench_runs_small_on_real_titles(shared_data, tmp_path) -> None:
    figures = load_bench().main([
        "--listings", "400", "--marks", "4000", "--naive-titles", "1", "--titles", str(shared_data / "titles"),
    ])
    check(figures, 400, 4000)
    assert "real titles" in figures["source"]
