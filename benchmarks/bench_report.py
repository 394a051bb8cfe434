"""Benchmark: writing the Excel report for a large catalogue.

    python benchmarks/bench_report.py --listings 100000

Times the streaming (write-only) workbook writer of ``scanner.report.write_excel`` on a synthetic scan
result, and, in the same run, a naive baseline: openpyxl's normal (in-memory) mode writing the same
rows cell by cell with per-cell styles, on a subset (``--baseline-listings``) extrapolated linearly.
Also checks that the workbook opens again (read-only) and has one row per listing on All listings.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook, load_workbook  # noqa: E402
from openpyxl.styles import Alignment, Font  # noqa: E402

from scanner.report import write_excel  # noqa: E402
from scanner.report.synthetic import synthetic_scan_result  # noqa: E402


def naive_write(result, path: Path) -> None:
    """The obvious way: a normal workbook, every cell set and styled one by one."""
    wb = Workbook()
    ws = wb.active
    ws.title = "All listings"
    cols = list(result.results.columns)
    ws.append(cols)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for r, values in enumerate(result.results.itertuples(index=False, name=None), start=2):
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=str(v) if isinstance(v, str) else v)
            cell.alignment = wrap
            if c == 1:
                cell.font = bold
    risky = result.results[result.results["risk_level"] != "low"]
    ws2 = wb.create_sheet("High risk")
    ws2.append(cols)
    for values in risky.itertuples(index=False, name=None):
        ws2.append(list(values))
    wb.save(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--listings", type=int, default=100_000, help="catalogue size (default 100000)")
    ap.add_argument("--baseline-listings", type=int, default=None,
                    help="listings for the naive baseline (default: min(listings, 10000)), extrapolated")
    ap.add_argument("--out", type=Path, default=None, help="keep the workbook here (default: a temp dir)")
    args = ap.parse_args(argv)
    n = args.listings
    nb = args.baseline_listings or min(n, 10_000)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "report.xlsx"
        t0 = time.perf_counter()
        result = synthetic_scan_result(n)
        t_gen = time.perf_counter() - t0
        t0 = time.perf_counter()
        write_excel(result, out)
        t_write = time.perf_counter() - t0
        size = out.stat().st_size
        t0 = time.perf_counter()
        wb = load_workbook(out, read_only=True)
        rows = sum(1 for _ in wb["All listings"].iter_rows(values_only=True)) - 1
        wb.close()
        t_read = time.perf_counter() - t0
        assert rows == n, f"All listings has {rows} rows, expected {n}"
        base = synthetic_scan_result(nb)
        t0 = time.perf_counter()
        naive_write(base, Path(tmp) / "naive.xlsx")
        t_naive = (time.perf_counter() - t0) * n / nb
    counts = result.counts
    print(f"listings: {n:,} (high {counts['high']:,}, medium {counts['medium']:,}); synthetic data {t_gen:.2f} s")
    print(f"scanner report (write-only, all sheets): {t_write:.2f} s, {size / 1e6:.1f} MB, {n / t_write:,.0f} listings/s")
    print(f"re-open check (read-only, All listings rows = {rows:,}): {t_read:.2f} s")
    print(f"naive baseline (openpyxl normal mode, 2 plain sheets, {nb:,} listings extrapolated): {t_naive:.2f} s")
    print(f"ratio naive / scanner: {t_naive / t_write:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
