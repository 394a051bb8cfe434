"""Smoke run of the import benchmark (tiny; figures are not asserted: speed is measured, not tested)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_bench_import_uspto_smoke(tmp_path):
    out = tmp_path / "bench"
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_import_uspto.py"), "--records", "60", "--repeat", "1", "--casefiles", "50",
         "--out", str(out)],
        capture_output=True, text=True, timeout=300, cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    for needle in ("records/s", "ratio:", "peak RSS", "--jobs 2", "estimate: full annual backfile"):
        assert needle in result.stdout
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["records"] == 60 and summary["ours_rps"] > 0 and summary["baseline_rps"] > 0
    assert (out / "corpus-jobs2" / "corpus.json").is_file()
    assert set(summary["casefiles"]) == {"sorted (merge-join)", "unsorted (SQLite join)"}
