"""Benchmark: read an Amazon All Listings Report (29 columns, cp1252, CRLF) with ``read_listings``.

Generates the report (titles from ../shared/data/titles when present, synthetic otherwise; rows of about
300-400 bytes with cp1252 bytes such as 0x85), then reads it in a child process and reports wall time and
the child's own peak RSS; runs a naive baseline in the same run (``csv.DictReader`` over the decoded file,
a list of dicts, then a DataFrame), in its own child process, on the first ``--baseline-rows`` rows,
extrapolated linearly to the full file, and prints the ratio.

    python benchmarks/bench_read_listings.py                 # 1,000,000 rows
    python benchmarks/bench_read_listings.py --rows 20000    # quick

Targets (issue): 1M rows in under 20 s and under 2 GB peak memory on a 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_TITLES = Path(os.environ.get("SCANNER_SHARED_DATA", REPO.parent / "shared" / "data")) / "titles"

sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
from fresh import launched  # noqa: E402

from scanner.listings.amazon_report import ALL_LISTINGS  # noqa: E402

HEADER = list(ALL_LISTINGS)  # the 29 All Listings Report columns

TARGET_SECONDS = 20.0
TARGET_RSS_MB = 2048.0
_WORD_TEXT = (
    "stainless steel water bottle insulated leak proof wide mouth kids adult outdoor camping travel portable "
    "rechargeable wireless bluetooth speaker cotton shirt crew neck slim fit pack set black white red blue large "
    "small premium durable lightweight compatible replacement cable charger case cover screen protector tempered "
    "glass kitchen garden tool storage organizer"
)
_WORDS = tuple(_WORD_TEXT.split())


def load_titles(rng: random.Random) -> tuple[list[str], str]:
    """Real titles from ../shared/data/titles when present, else synthetic ones; and where they came from."""
    titles: list[str] = []
    columns = {"Walmart-Amazon_records.csv": "title", "Amazon-Google_records.csv": "title",
               "Abt-Buy_records.csv": "name", "wdc_titles.csv": "raw_title"}
    if SHARED_TITLES.is_dir():
        for name, column in columns.items():
            path = SHARED_TITLES / name
            if path.exists():
                with open(path, encoding="utf-8", newline="") as f:
                    titles += [r[column].strip() for r in csv.DictReader(f) if r.get(column, "").strip()]
    if titles:
        return [t.replace("\t", " ").replace("\r", " ").replace("\n", " ") for t in titles], str(SHARED_TITLES)
    synthetic = [" ".join(rng.choice(_WORDS) for _ in range(rng.randint(6, 16))).title() for _ in range(5000)]
    return synthetic, "synthetic"


def generate(path: Path, rows: int, seed: int = 1) -> str:
    """Write a ``rows``-row All Listings Report to ``path`` (cp1252, CRLF); returns the title source."""
    rng = random.Random(seed)
    titles, source = load_titles(rng)
    extras = [" \u2026 2 Pack", "\u2122", " \u2013 New", ", Black", ' 12"', " Gr\u00f6\u00dfe M", ""]
    with open(path, "wb") as f:
        f.write(("\t".join(HEADER) + "\r\n").encode("cp1252"))
        buf = []
        for i in range(rows):
            title = titles[i % len(titles)] + rng.choice(extras)
            desc = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(8, 24)))
            asin = f"B0{i:08d}"
            row = [title, desc, f"0{i:09d}ABC", f"SKU-{i:07d}", f"{rng.randint(1, 999)}.99", str(rng.randint(0, 50)),
                   "2021-07-02 10:11:12 PDT", f"http://ecx.images-amazon.com/images/I/{i:010d}L.jpg", "y", "1", "",
                   "", "11", "", "", "", asin, "", "", "1", "N", "", asin, "", "", "0", "DEFAULT",
                   "Migrated Template", "Active"]
            buf.append("\t".join(row) + "\r\n")
            if len(buf) >= 20000:
                f.write("".join(buf).encode("cp1252", errors="replace"))
                buf = []
        f.write("".join(buf).encode("cp1252", errors="replace"))
    return source


def child_read(path: str) -> dict:
    """In the child: read with read_listings; wall time and this process's peak RSS."""
    sys.path.insert(0, str(REPO))
    from scanner.listings import read_listings

    start, cpu = time.perf_counter(), time.process_time()
    result = read_listings([path])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu, "rows": len(result.listings), "rejected": len(result.rejected),
            "encoding": result.files[0].encoding, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def child_baseline(path: str, limit: int) -> dict:
    """In the child: the naive way on the first ``limit`` rows (csv.DictReader -> dicts -> DataFrame)."""
    import pandas as pd

    start, cpu = time.perf_counter(), time.process_time()
    with open(path, encoding="cp1252", newline="") as f:
        head = f.readline()
        body = io.StringIO(head + "".join(line for _, line in zip(range(limit), f, strict=False)))
    reader = csv.DictReader(body, delimiter="\t", quoting=csv.QUOTE_NONE)
    records = [dict(r) for r in reader]
    frame = pd.DataFrame(records)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu, "rows": len(frame),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_child(*args: str) -> dict:
    # through the launcher: this process's own peak (the generated file's rows) is not charged to the child
    out = subprocess.run(launched([sys.executable, __file__, *args]), check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows in the generated report (default 1,000,000)")
    ap.add_argument("--baseline-rows", type=int, default=200_000,
                    help="rows the naive baseline reads (extrapolated to --rows; default 200,000)")
    ap.add_argument("--file", type=Path, help="write/keep the generated report here (default: a temp file)")
    ap.add_argument("--child-read", help=argparse.SUPPRESS)
    ap.add_argument("--child-baseline", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child_read:
        print(json.dumps(child_read(args.child_read)))
        return 0
    if args.child_baseline:
        print(json.dumps(child_baseline(args.child_baseline, args.baseline_rows)))
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        path = args.file or Path(tmp) / "All+Listings+Report.txt"
        start = time.perf_counter()
        source = generate(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        print(f"generated {args.rows:,} rows, {size_mb:.1f} MB ({path.stat().st_size / max(args.rows, 1):.0f} bytes/row), "
              f"titles: {source}, in {time.perf_counter() - start:.1f} s")
        ours = run_child("--child-read", str(path))
        base_rows = min(args.baseline_rows, args.rows)
        base = run_child("--child-baseline", str(path), "--baseline-rows", str(base_rows))

    scale = args.rows / max(base["rows"], 1)
    base_seconds = base["seconds"] * scale
    print(f"read_listings : {ours['seconds']:.2f} s (CPU {ours['cpu_seconds']:.2f} s) for {ours['rows']:,} rows "
          f"({ours['rows'] / max(ours['seconds'], 1e-9):,.0f} rows/s, {size_mb / max(ours['seconds'], 1e-9):.0f} MB/s), "
          f"peak RSS {ours['peak_rss_mb']:.0f} MB, encoding {ours['encoding']}, rejected {ours['rejected']}")
    print(f"naive baseline: {base['seconds']:.2f} s (CPU {base['cpu_seconds']:.2f} s) for {base['rows']:,} rows "
          "(csv.DictReader -> list of dicts -> "
          f"DataFrame), peak RSS {base['peak_rss_mb']:.0f} MB; extrapolated to {args.rows:,} rows: "
          f"{base_seconds:.2f} s" + ("" if scale == 1 else f" (x{scale:.1f})"))
    print(f"ratio (naive / read_listings): {base_seconds / max(ours['seconds'], 1e-9):.2f}x time")
    if args.rows >= 1_000_000:
        ok_time = ours["seconds"] < TARGET_SECONDS * args.rows / 1_000_000
        ok_mem = ours["peak_rss_mb"] < TARGET_RSS_MB
        print(f"target: < {TARGET_SECONDS:.0f} s per 1M rows: {'met' if ok_time else 'MISSED'}; "
              f"< {TARGET_RSS_MB:.0f} MB peak RSS: {'met' if ok_mem else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
