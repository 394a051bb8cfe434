"""Smoke run of benchmarks/ab_batch.py (a tiny batch, this checkout against itself; no timing assertions)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "benchmarks" / "ab_batch.py"
LISTINGS = REPO / "tests" / "fixtures" / "listings" / "all_listings_us_cp1252.txt"


def test_both_checkouts_time_the_same_batch() -> None:
    run = subprocess.run([sys.executable, str(BENCH), str(LISTINGS), "--other", str(REPO), "--rows", "3",
                          "--rounds", "1"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    for name in ("other", "this"):
        line = re.search(rf"round 1 +{name}: +([\d.]+) s +match ([\d.]+) +match_table", run.stdout)
        assert line and float(line.group(1)) > 0, run.stdout
    assert re.search(r"this / other, 1 rounds: \d+\.\d{3}$", run.stdout.strip())
    assert "note:" not in run.stdout  # the same code finds the same matches


def test_a_batch_larger_than_the_file_and_a_wrong_checkout_are_refused(tmp_path) -> None:
    run = subprocess.run([sys.executable, str(BENCH), str(LISTINGS), "--other", str(tmp_path)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "--other must be a checkout of scanner" in run.stderr
    run = subprocess.run([sys.executable, str(BENCH), str(LISTINGS), "--other", str(REPO), "--rows", "50",
                          "--rounds", "1"], capture_output=True, text=True, timeout=600)
    assert run.returncode != 0 and "--rows 50 needs 100" in run.stdout + run.stderr


def test_the_other_checkout_is_the_one_imported(tmp_path) -> None:
    # a checkout whose package says so when imported: the other side's batch must run it, not this checkout
    (tmp_path / "scanner").mkdir()
    (tmp_path / "scanner" / "__init__.py").write_text('raise SystemExit("the fake checkout was imported")\n')
    run = subprocess.run([sys.executable, str(BENCH), str(LISTINGS), "--other", str(tmp_path), "--rows", "3",
                          "--rounds", "1"], capture_output=True, text=True, timeout=600)
    assert run.returncode != 0
    assert "the other checkout's batch failed" in run.stdout + run.stderr
    assert "the fake checkout was imported" in run.stdout + run.stderr
