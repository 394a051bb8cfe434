"""Benchmark: a whole weekly scan (read -> match -> features -> model -> results) of an All Listings Report
against the shipped starter corpus, stage by stage, and the keyword-list check sellers use today.

The listings file is the one ``bench_read_listings.py`` generates (real titles from ../shared/data/titles
when present, synthetic otherwise). The naive baseline, run in the same process, is the keyword list: for
every listing, every mark of the corpus is looked for as a lower-case substring of the title (timed on the
first ``--baseline-listings`` listings and extrapolated). It is also a quality baseline: it has no notion of
word boundaries, cues or ordinary words, so it flags far more listings.

    python benchmarks/bench_scan.py                      # 100,000 listings
    python benchmarks/bench_scan.py --listings 2000      # quick

Writing the Excel report is measured by ``bench_report.py``.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_read_listings import generate  # noqa: E402

from scanner.config import SellerProfile  # noqa: E402
from scanner.corpus import load_corpus  # noqa: E402
from scanner.features import build_features, match_table  # noqa: E402
from scanner.listings import read_listings  # noqa: E402
from scanner.match import find_matches, prepare_index  # noqa: E402
from scanner.model import load_model  # noqa: E402
from scanner.model.reasons import explain  # noqa: E402
from scanner.results import assemble_results  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def keyword_list(titles: list[str], marks: list[str]) -> int:
    """The naive check: any mark as a lower-case substring of the title. Returns listings flagged."""
    lowered = [m.lower() for m in marks if m]
    flagged = 0
    for title in titles:
        t = title.lower()
        if any(m in t for m in lowered):
            flagged += 1
    return flagged


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=100_000, help="listings to scan (default 100,000)")
    parser.add_argument("--baseline-listings", type=int, default=5_000,
                        help="listings the keyword-list baseline is timed on (extrapolated)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "All+Listings+Report.txt"
        source = generate(path, args.listings)
        stages: dict[str, float] = {}
        t0 = time.perf_counter()
        read = read_listings([path])
        stages["read"] = time.perf_counter() - t0

        t = time.perf_counter()
        corpus = load_corpus()
        model = load_model()
        prepare_index(corpus)
        stages["load corpus, index and model"] = time.perf_counter() - t

        listings = read.listings
        profile = SellerProfile(name="bench")
        t = time.perf_counter()
        matches = find_matches(listings, corpus, profile)
        stages["match"] = time.perf_counter() - t
        t = time.perf_counter()
        table = match_table(listings, matches, corpus, profile)
        features = build_features(listings, matches, corpus, profile, table=table)
        stages["features"] = time.perf_counter() - t
        t = time.perf_counter()
        scores = model.predict(features)
        stages["model"] = time.perf_counter() - t
        t = time.perf_counter()
        reasons = explain(listings, table, scores, matches, profile)
        results = assemble_results(listings, matches, scores, reasons=reasons)
        stages["reasons and results"] = time.perf_counter() - t
        total = time.perf_counter() - t0
        peak = peak_rss_mb()

        n_base = min(args.baseline_listings, len(listings))
        titles = listings["title"].tolist()
        t = time.perf_counter()
        flagged_base = keyword_list(titles[:n_base], corpus.marks["mark"].tolist())
        base_s = time.perf_counter() - t
        base_total = base_s * len(listings) / max(n_base, 1)

    levels = results["risk_level"].value_counts()
    figures = {
        "listings": len(listings), "titles": source, "marks": len(corpus), "matches": len(matches),
        "stages_s": {k: round(v, 2) for k, v in stages.items()}, "total_s": round(total, 2),
        "peak_rss_mb": round(peak, 1),
        "levels": {lvl: int(levels.get(lvl, 0)) for lvl in ("high", "medium", "low")},
        "keyword_list_s": round(base_total, 2), "keyword_list_timed_on": n_base,
        "keyword_list_flag_share": round(flagged_base / max(n_base, 1), 3),
        "scanner_flag_share": round(float((results["risk_level"] != "low").mean()), 3),
    }
    print(f"scan of {figures['listings']:,} listings ({source}) against {figures['marks']:,} marks: "
          f"{total:.1f} s in all, peak RSS {peak:,.0f} MB, {len(matches):,} matches")
    for name, secs in stages.items():
        print(f"  {name:<30} {secs:7.2f} s")
    print(f"levels: {figures['levels']}")
    print(f"naive keyword list (substring of every mark in every title): {base_s:.2f} s for {n_base:,} listings, "
          f"extrapolated {base_total:.1f} s for {len(listings):,}; flags {figures['keyword_list_flag_share']:.0%} "
          f"of listings vs the scanner's {figures['scanner_flag_share']:.0%} medium/high")
    print(f"ratio (keyword list / scanner, whole scan incl. reading): {base_total / total:.2f}x time")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
