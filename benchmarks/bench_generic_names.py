"""Benchmark: the generic-name filter (:func:`scanner.match.goods_names.generic_names`) of a register-scale
batch, against reading the words around each match one at a time (the naive baseline, run in the same
process on the same matches; the way the filter read them before).

The listings are those ``bench_read_listings.py`` generates (real titles from ../shared/data/titles when
present); the corpus is a generated one of ``--marks`` marks (``bench_scan.generated_corpus``, built by the
real ``scanner corpus build``) or, with ``--corpus``, a compiled corpus folder. The matches are those
:func:`scanner.match.find_matches` finds with ``drop_doubtful=False`` (every match the filters read). Both
ways must give the same mask; printed: matches, time of each (best of ``--rounds``, the phrase caches
emptied before each run) and the ratio.

    python benchmarks/bench_generic_names.py                      # 10,000 listings x 200,000 marks
    python benchmarks/bench_generic_names.py --marks 1000000
    python benchmarks/bench_generic_names.py --corpus DIR --listings 10000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_read_listings import generate  # noqa: E402
from bench_scan import generated_corpus  # noqa: E402

from scanner.config import SellerProfile  # noqa: E402
from scanner.corpus import load_corpus  # noqa: E402
from scanner.listings import read_listings  # noqa: E402
from scanner.match import find_matches, prepare_index  # noqa: E402
from scanner.match import goods_names as gn  # noqa: E402


def one_at_a_time(matches, listings) -> np.ndarray:
    """The baseline: for each match, the words written, before and after it read from its text with the
    pattern, then :func:`~scanner.match.goods_names.goods_name` once per distinct (words, mark)."""
    out = np.zeros(len(matches), dtype=bool)
    aliases = matches["alias"].fillna("").astype(str).tolist() if "alias" in matches.columns else [""] * len(matches)
    texts: dict[str, dict] = {}
    decided: dict[tuple, bool] = {}
    rows = zip(matches["listing"].tolist(), matches["field"].astype(str).tolist(), matches["start"].tolist(),
               matches["end"].tolist(), matches["mark"].astype(str).tolist(), aliases, strict=True)
    for i, (listing, field, start, end, mark, alias) in enumerate(rows):
        if field == "brand" or field not in listings.columns:
            continue
        if field not in texts:
            texts[field] = dict(zip(listings.index.tolist(), listings[field].astype(str).tolist(), strict=True))
        text = texts[field][listing]
        key = (tuple(gn.WORDS.findall(text, start, end)), gn.words_before(text, start), gn.words_after(text, end),
               alias or mark)
        found = decided.get(key)
        if found is None:
            found = decided[key] = gn.goods_name(*key)
        out[i] = found
    return out


def timed(fn, rounds: int) -> tuple[float, np.ndarray]:
    best, result = float("inf"), None
    for _ in range(rounds):
        gn.goods_term.cache_clear()
        gn.coined.cache_clear()
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--listings", type=int, default=10_000)
    ap.add_argument("--marks", type=int, default=200_000)
    ap.add_argument("--corpus", type=Path, help="a compiled corpus folder (instead of --marks)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        listing_file = folder / "listings.txt"
        generate(listing_file, args.listings)
        corpus_path = args.corpus or generated_corpus(args.marks, folder)[1]
        listings = read_listings([listing_file]).listings
        corpus = load_corpus(corpus_path)
        prepare_index(corpus)
        matches = find_matches(listings, corpus, SellerProfile(), drop_doubtful=False)
    fast_s, fast = timed(lambda: gn.generic_names(matches, listings), args.rounds)
    slow_s, slow = timed(lambda: one_at_a_time(matches, listings), args.rounds)
    same = bool((fast == slow).all())
    figures = {"listings": len(listings), "marks": len(corpus), "matches": len(matches),
               "generic": int(fast.sum()), "batch_s": round(fast_s, 3), "one_at_a_time_s": round(slow_s, 3),
               "ratio": round(slow_s / fast_s, 2) if fast_s else None, "same_mask": same}
    print(f"{figures['listings']:,} listings x {figures['marks']:,} marks: {figures['matches']:,} matches, "
          f"{figures['generic']:,} in a generic product name")
    print(f"  generic_names (batch):     {fast_s:7.3f} s")
    print(f"  one match at a time:       {slow_s:7.3f} s   ({figures['ratio']}x the batch)")
    print(f"  same mask: {same}")
    if not same:
        raise SystemExit("the two ways disagree")
    return figures


if __name__ == "__main__":
    main()
