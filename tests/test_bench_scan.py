"""Smoke run of benchmarks/bench_scan.py (tiny size; no timing assertions)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_scan.py"


def test_bench_scan_runs_small(capsys, tmp_path):
    spec = importlib.util.spec_from_file_location("bench_scan", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    figures = mod.main(["--listings", "300", "--baseline-listings", "100", "--json", str(tmp_path / "f.json")])
    assert figures["listings"] == 300 and figures["marks"] > 2000
    assert sum(figures["levels"].values()) == 300
    assert set(figures["stages_s"]) >= {"read", "match", "features", "model"}
    assert 0 <= figures["scanner_flag_share"] <= 1 and 0 <= figures["keyword_list_flag_share"] <= 1
    assert (tmp_path / "f.json").is_file()
    assert "naive keyword list" in capsys.readouterr().out


def test_bench_scan_end_to_end_runs_the_command_with_and_without_jobs(tmp_path):
    from scanner.forked import jobs_for

    spec = importlib.util.spec_from_file_location("bench_scan", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    figures = mod.main(["--listings", "300", "--baseline-listings", "50", "--batch-rows", "100", "--end-to-end"])
    jobs = jobs_for(3, None)
    runs = figures["end_to_end"]
    assert list(runs) == [f"default: --jobs {jobs}"] + (["--jobs 1"] if jobs > 1 else [])
    for run in runs.values():
        assert run["wall_s"] > 0 and run["peak_rss_mb"] > 50 and run["tree_peak_mb"] >= run["peak_rss_mb"] * 0.5
        pss = run["tree_pss_peak_mb"]
        if Path("/proc/self/smaps_rollup").exists():  # Linux: PSS counts shared pages once, so never above the RSS sum
            assert pss is not None and 20 < pss <= run["tree_peak_mb"] * 1.05


def test_generated_marks_carry_goods_statements_of_a_register_length():
    """`--marks N` corpora hold goods and services statements as long as a real register's, worded from the
    mark's own Nice class, so the corpus build and the scan carry a real register's bytes."""
    from scanner.goods.lexicon import default_table

    spec = importlib.util.spec_from_file_location("bench_scan", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    classes = [str(i % 45 + 1) for i in range(4000)]
    statements = mod.goods_statements(classes, seed=3)
    lengths = sorted(len(s) for s in statements)
    assert len(statements) == 4000 and lengths[0] >= 20
    assert 200 <= lengths[len(lengths) // 2] <= 450 < sum(lengths) / len(lengths) < 600
    table = default_table()
    for cls, statement in zip(classes[:200], statements[:200], strict=True):
        parts = [p.strip().lower() for p in statement.split(";")]
        if int(cls) >= 35:  # services: each part names the service, then goods of any class
            assert all(p.startswith(mod.SERVICE_LEADS) for p in parts), (cls, statement)
            continue
        terms = [t.strip() for part in parts for t in part.replace(" and ", ",").split(",")]
        assert all(int(cls) in table[t].classes for t in terms if t), (cls, statement)
    assert statements == mod.goods_statements(classes, seed=3)  # the same corpus every run
