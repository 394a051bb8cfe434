"""Benchmark: goods-class inference (``scanner.goods.infer_classes``) over many generated titles.

Generates ``--titles`` distinct marketplace-like titles (brand, modifiers, a product noun of the hand
lexicon or an unknown word, a "for ..." tail, a model number), then times ``infer_classes`` on them in one
process (CPU and wall time), with and without categories. The lexicon is loaded before the clock starts.

Usage: ``python benchmarks/bench_goods.py [--titles 100000] [--seed 1]``
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scanner.goods import infer_classes  # noqa: E402
from scanner.goods.infer import _default_index  # noqa: E402
from scanner.goods.lexicon import hand_table  # noqa: E402
from scanner.goods.term_model import default_model  # noqa: E402

BRANDS = ["Acme", "Zorvex", "Lumina", "NorthPeak", "Kalio", "Brightway", "Vantor", "Solbeck", "Quillon", "Orbix"]
MODIFIERS = ["Premium", "Stainless Steel", "Waterproof", "Black", "Large", "Wireless", "Vintage", "Kids", "Men's",
             "Heavy Duty", "Silicone", "Leather", "2 Pack", "Portable", "Rose Gold", "Cotton"]
TAILS = ["for iPhone 14", "for Home Kitchen", "with Gift Box", "Compatible with Samsung Galaxy", "for Women",
         "for Toyota Camry 2018-2023", "", "", "- Blue", "(Set of 4)"]
UNKNOWN = ["Zentrix", "Gizmo", "Thing", "Doohickey", "Widget"]
CATEGORIES = ["Home & Kitchen", "Electronics > Accessories", "CELLULAR_PHONE_CASE", "Clothing", "", "Toys & Games"]


def titles(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    nouns = [k.title() for k in hand_table()] + UNKNOWN
    out = []
    for i in range(n):
        parts = [rng.choice(BRANDS), *rng.sample(MODIFIERS, rng.randint(0, 3)), rng.choice(nouns),
                 rng.choice(TAILS), f"{rng.choice('ABCDEFGH')}{i:06d}"]
        out.append(" ".join(p for p in parts if p))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--titles", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    data = titles(args.titles, args.seed)
    cats = [CATEGORIES[i % len(CATEGORIES)] for i in range(len(data))]
    _default_index(), default_model()
    for label, categories in (("titles", None), ("titles + categories", cats)):
        cpu, wall = time.process_time(), time.perf_counter()
        result = infer_classes(data, categories)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        covered = sum(bool(r) for r in result) / len(result)
        print(f"{label:20s} {len(data):,} in {wall:.2f} s wall, {cpu:.2f} s CPU "
              f"({len(data) / cpu:,.0f} titles/s CPU); coverage {covered:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
