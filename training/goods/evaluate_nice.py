"""Held-out check of the Nice-derived lexicon: build it on 80 % of the goods terms, classify the other 20 %.

    python training/goods/evaluate_nice.py [--nice PATH] [--seed 15] [--holdout 0.2]

The split is by basic number (all wordings of one Nice entry fall on the same side), so a held-out term is
never a spelling variant of a training term. Each held-out term is classified as a title by
``infer_classes`` with a lexicon built from the training terms only; printed are top-1 and top-3 accuracy
(the term's class is the most confident / among the three most confident) and coverage: for the head
lexicon alone, with the word model, with the marketplace class prior, and as shipped with the hand-written
marketplace lexicon added (that list was reviewed against the whole Nice list, so that last figure is
optimistic).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_lexicon import DEFAULT_NICE, count_keys, count_words, load_goods  # noqa: E402

from scanner.goods import infer_classes  # noqa: E402
from scanner.goods.lexicon import build_table, hand_table, nice_entries  # noqa: E402
from scanner.goods.term_model import MARKET_PRIOR, WordModel  # noqa: E402


def split(goods, holdout: float, seed: int):
    numbers = sorted({g[0] for g in goods})
    rng = random.Random(seed)
    held = set(rng.sample(numbers, round(len(numbers) * holdout)))
    return [g for g in goods if g[0] not in held], [g for g in goods if g[0] in held]


def accuracy(table, test, model, prior=MARKET_PRIOR) -> dict[str, float]:
    inferred = infer_classes([g[2] for g in test], table=table, words=model, prior=prior)
    top1 = top3 = covered = 0
    for (_number, cls, _text), pred in zip(test, inferred, strict=True):
        ranked = sorted(pred, key=lambda c: -pred[c])
        covered += bool(ranked)
        top1 += bool(ranked) and ranked[0] == cls
        top3 += cls in ranked[:3]
    n = len(test)
    return {"n": n, "top1": top1 / n, "top3": top3 / n, "coverage": covered / n}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nice", type=Path, default=DEFAULT_NICE)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--holdout", type=float, default=0.2)
    args = ap.parse_args(argv)
    goods = load_goods(args.nice)
    train, test = split(goods, args.holdout, args.seed)
    nice = nice_entries(count_keys(train))
    per_class, word_counts = count_words(train)
    model = WordModel(per_class, word_counts)
    no_words = WordModel(per_class, {})  # (None would mean the shipped model, built on all terms)
    majority = max(range(1, 35), key=lambda c: sum(g[1] == c for g in train))
    base = sum(g[1] == majority for g in test) / len(test)
    print(f"{len(train)} training terms, {len(test)} held-out terms; majority class {majority}: {base:.3f}")
    both = build_table(nice, hand_table())
    runs = (
        ("Nice heads only (no word model)", nice, no_words, None),
        ("Nice heads + word model", nice, model, None),
        ("  + marketplace prior", nice, model, MARKET_PRIOR),
        ("  + hand lexicon (as shipped)", both, model, MARKET_PRIOR),
    )
    for label, table, words, prior in runs:
        s = accuracy(table, test, words, prior)
        print(f"{label:34s} top-1 {s['top1']:.3f}  top-3 {s['top3']:.3f}  coverage {s['coverage']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
