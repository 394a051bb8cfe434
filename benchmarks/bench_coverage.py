"""Brand coverage of a trademark corpus: the share of real listings whose declared brand the corpus holds.

    python benchmarks/bench_coverage.py [--corpus PATH] [--baseline PATH] [--titles DIR]

Reads the title pools in ``../shared/data/titles`` that carry a brand or manufacturer column (Walmart-Amazon
``brand``, Amazon-Google ``manufacturer``), and counts, per pool, the records whose brand is a mark or an
alias of the corpus: the brand's compact key, its key without legal forms ("Sony Corporation" -> sony), or
its first word (4+ letters: "Canon U.S.A." -> canon). ``--baseline`` prints the same for another corpus
(e.g. the starter corpus of an earlier commit: ``git show 6fc82b9:data/trademarks/marks.csv > /tmp/old.csv``)
in the same run. Nothing is written; the titles are never copied.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scanner.corpus import load_corpus  # noqa: E402
from scanner.progress import Progress  # noqa: E402
from scanner.text import brand_key, compact_key  # noqa: E402

POOLS = {"Walmart-Amazon_records.csv": "brand", "Amazon-Google_records.csv": "manufacturer"}


def corpus_keys(path: str | None) -> set[str]:
    marks = load_corpus(path, progress=Progress(quiet=True)).marks
    keys = {compact_key(m) for m in marks["mark"]}
    if "aliases" in marks.columns:
        for value in marks["aliases"].fillna(""):
            keys.update(compact_key(a) for a in str(value).split(";") if a.strip())
    return {k for k in keys if k}


def held(brand: str, keys: set[str]) -> bool:
    words = brand.split()
    first = compact_key(words[0]) if words else ""
    return compact_key(brand) in keys or brand_key(brand) in keys or (len(first) >= 4 and first in keys)


def coverage(titles: Path, keys: set[str]) -> dict[str, tuple[int, int]]:
    out = {}
    for name, column in POOLS.items():
        path = titles / name
        if not path.exists():
            continue
        brands = pd.read_csv(path, usecols=[column], dtype=str)[column].fillna("").str.strip()
        brands = brands[brands != ""]
        out[name] = (int(sum(held(b, keys) for b in brands)), int(len(brands)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=None, help="corpus to measure (default: the shipped starter corpus)")
    parser.add_argument("--baseline", default=None, help="another corpus measured in the same run")
    parser.add_argument("--titles", type=Path, default=REPO.parent / "shared" / "data" / "titles")
    args = parser.parse_args(argv)
    if not args.titles.is_dir():
        print(f"no title pools at {args.titles} (the shared development data); nothing to measure")
        return 0
    runs = [("corpus", args.corpus)] + ([("baseline", args.baseline)] if args.baseline else [])
    for label, path in runs:
        t0 = time.perf_counter()
        keys = corpus_keys(path)
        for name, (n_held, n) in coverage(args.titles, keys).items():
            print(f"{label:9} {path or 'starter corpus':40} {name:28} {n_held:6,} / {n:6,} = {n_held / n:6.1%}")
        print(f"{label:9} {len(keys):,} keys, {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
