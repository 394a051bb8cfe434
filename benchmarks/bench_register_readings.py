"""What a scan says at register scale: the development set scored against four forms of its corpus.

    python benchmarks/bench_register_readings.py                   # the shipped model
    python benchmarks/bench_register_readings.py --model models/mine --words 6000

In a register of a million marks every common word is somebody's mark, and no mark has a kind (a USPTO
import leaves ``kind`` empty). The development set (``../shared/data/devset``: two sellers' real listings,
labelled by hand) comes with a small corpus that names every mark's kind. This benchmark scores both sellers
against four corpora made from it, in one process:

* ``dev``: the devset corpus as it is;
* ``register-like``: plus the ``--words`` commonest English words (``wordfreq``) as live marks of their own
  owners ("<Word> Holdings LLC"), no kind, one random Nice class each (``--seed``);
* ``dev, no kinds`` and ``register-like, no kinds``: the same with every ``kind`` blanked.

Each corpus is then prepared as ``scanner scan`` prepares it: a mark without a kind takes the starter corpus's
kind of the same mark on the same goods (:mod:`scanner.corpus.known_kinds`); ``--no-known-kinds`` leaves them
without, as scans did before.

Printed per seller and corpus: accuracy, the distance of the levels from the labels (|level - label| summed),
labelled-high listings scored low, labelled-low listings flagged; and how many listings change level between
a corpus and its register-like form (a level should not move because the corpus also holds "digital").
``docs/scale.md`` ("Register-scale readings") has the figures of the shipped model and of the changes tried.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from scanner.config import load_profile  # noqa: E402
from scanner.corpus import Corpus, load_corpus  # noqa: E402
from scanner.corpus.known_kinds import with_known_kinds  # noqa: E402
from scanner.listings import read_listings  # noqa: E402
from scanner.model import load_model  # noqa: E402
from scanner.scoring import score_listings  # noqa: E402

DEVSET = Path(os.environ.get("SCANNER_SHARED_DATA", REPO.parent / "shared" / "data")) / "devset"
SELLERS = ("catalog", "shop")
LEVEL = {"low": 0, "medium": 1, "high": 2}


def register_like(corpus: Corpus, words: int, seed: int) -> Corpus:
    """``corpus`` plus the ``words`` commonest English words (alphabetic, two letters or more, not already a
    mark) as live US marks of their own owners, no kind, one random class each."""
    from wordfreq import top_n_list

    rng = random.Random(seed)
    have = set(corpus.marks["mark"].str.lower())
    common = [w for w in top_n_list("en", words * 2) if w.isalpha() and len(w) >= 2 and w not in have][:words]
    extra = pd.DataFrame({c: "" for c in corpus.marks.columns}, index=range(len(common)))
    extra["mark"] = [w.upper() for w in common]
    extra["owner"] = [f"{w.title()} Holdings LLC" for w in common]
    extra["nice_classes"] = [str(rng.randint(1, 45)) for _ in common]
    extra["status"], extra["jurisdiction"] = "live", "US"
    marks = pd.concat([corpus.marks, extra], ignore_index=True)
    return Corpus(marks=marks, info={"name": f"{corpus.info.get('name', 'devset')} + {len(common)} common words"})


def without_kinds(corpus: Corpus) -> Corpus:
    marks = corpus.marks.copy()
    marks["kind"] = ""
    return Corpus(marks=marks, info={"name": f"{corpus.info.get('name', 'corpus')}, no kinds"})


def readings(levels: pd.Series, labels: pd.Series) -> dict[str, float]:
    got = levels.map(LEVEL)
    return {"accuracy": float((got == labels).mean()), "distance": int((got - labels).abs().sum()),
            "high scored low": int(((labels == 2) & (got == 0)).sum()),
            "low flagged": int(((labels == 0) & (got > 0)).sum())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, default=None, help="model bundle (default: the shipped model)")
    ap.add_argument("--words", type=int, default=6000, help="common words added as marks (default 6000)")
    ap.add_argument("--seed", type=int, default=7, help="seed of the added marks' classes (default 7)")
    ap.add_argument("--devset", type=Path, default=DEVSET, help=f"the development set (default {DEVSET})")
    ap.add_argument("--no-known-kinds", action="store_true",
                    help="do not give marks without a kind the starter corpus's (as scans before it did)")
    args = ap.parse_args(argv)
    if not (args.devset / "corpus.csv").is_file():
        print(f"no development set at {args.devset} (../shared/data/devset beside the checkout)", file=sys.stderr)
        return 2
    model = load_model(args.model)
    dev = load_corpus(args.devset / "corpus.csv")
    reg = register_like(dev, args.words, args.seed)
    corpora = {"dev": dev, "register-like": reg, "dev, no kinds": without_kinds(dev),
               "register-like, no kinds": without_kinds(reg)}
    if not args.no_known_kinds:
        corpora = {name: with_known_kinds(corpus) for name, corpus in corpora.items()}
    print(f"model {model.info.get('name', args.model)}, thresholds {model.thresholds}; "
          f"{len(dev):,} devset marks, {len(reg) - len(dev):,} common words added; "
          + ("no known kinds" if args.no_known_kinds else "known kinds: " + ", ".join(
              f"{name} {corpus.info.get('known_kinds', 0):,}" for name, corpus in corpora.items())))
    totals = {"distance": 0, "high scored low": 0, "low flagged": 0, "changes": 0}
    for seller in SELLERS:
        listings = read_listings([args.devset / f"listings_{seller}.tsv"]).listings
        profile = load_profile(args.devset / f"seller_{seller}.toml")
        labels = pd.read_csv(args.devset / f"labels_{seller}.csv", dtype={"sku": str}).set_index("sku")["label"]
        labelled = listings[listings["sku"].isin(labels.index)]
        y = labels.reindex(labelled["sku"]).astype(int).to_numpy()
        levels: dict[str, pd.Series] = {}
        for name, corpus in corpora.items():
            _, results = score_listings(labelled, corpus, model, profile)
            levels[name] = results.set_index("sku")["risk_level"].reindex(labelled["sku"])
            r = readings(levels[name].reset_index(drop=True), pd.Series(y))
            for key in ("distance", "high scored low", "low flagged"):
                totals[key] += r[key]
            print(f"{seller:<8} {name:<24} accuracy {r['accuracy']:.3f}  distance {r['distance']:>3}  "
                  f"high scored low {r['high scored low']:>2}  low flagged {r['low flagged']:>2}  ({len(y)} listings)")
        for a, b in (("dev", "register-like"), ("dev, no kinds", "register-like, no kinds")):
            moved = int((levels[a] != levels[b]).sum())
            totals["changes"] += moved
            print(f"{seller:<8} level changes {a} -> {b}: {moved}")
    print("summed over the eight runs: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
