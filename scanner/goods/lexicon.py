"""The shipped product-noun lexicons, loaded once: the hand-written marketplace nouns and the Nice-derived heads.

``data/marketplace.tsv`` (hand-written, reviewed against the Nice list) and ``data/nice_goods.tsv`` (built by
``training/goods/build_lexicon.py`` from the Nice Classification's list of goods, CC0) map a head noun phrase
(singular, lower case, see :func:`scanner.goods.text.norm_phrase`) to Nice classes. Both are turned into one
table of :class:`Entry` with per-class confidences:

- a hand entry ``9 12:0.6`` gives ``{9: 0.9, 12: 0.54}`` (``HAND_CONFIDENCE`` times the written weight);
- a Nice entry gives each class ``NICE_CONFIDENCE`` times its share of the terms with that head
  (``figurine`` heads six terms in six classes: about 0.12 each), classes under 5 % of the terms are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .text import norm_phrase

HAND_CONFIDENCE = 0.9
NICE_CONFIDENCE = 0.7
#: a head found only after "for"/"with"/... (what the product fits) counts at this share of its confidence.
SECONDARY_FACTOR = 0.6
#: classes under this confidence are dropped.
MIN_CONFIDENCE = 0.05
#: longest key (in words) looked up in a title.
MAX_WORDS = 3


@dataclass(frozen=True)
class Entry:
    """One lexicon key: its classes with confidences, whether it is hand-written, and whether it is head-initial."""

    classes: Mapping[int, float]
    hand: bool
    head_initial: bool = False
    #: ``classes`` scaled by ``SECONDARY_FACTOR`` (highest first, under ``MIN_CONFIDENCE`` dropped)
    secondary_classes: Mapping[int, float] = field(default_factory=dict)


def make_entry(classes: Mapping[int, float], hand: bool, head_initial: bool = False) -> Entry:
    """An entry with its classes sorted (highest confidence first) and the secondary scaling precomputed."""

    def scaled(factor: float) -> dict[int, float]:
        items = sorted(((c, round(w * factor, 4)) for c, w in classes.items()), key=lambda kv: (-kv[1], kv[0]))
        return {c: w for c, w in items if w >= MIN_CONFIDENCE}

    return Entry(scaled(1.0), hand, head_initial, scaled(SECONDARY_FACTOR))


def _read(name: str) -> Iterable[list[str]]:
    text = resources.files("scanner.goods").joinpath("data", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def parse_hand_classes(spec: str) -> dict[int, float]:
    """``"9 12:0.6"`` -> ``{9: 1.0, 12: 0.6}``."""
    out: dict[int, float] = {}
    for part in spec.split():
        cls, _, weight = part.partition(":")
        out[int(cls)] = float(weight) if weight else 1.0
    return out


def hand_entries(rows: Iterable[list[str]]) -> dict[str, Entry]:
    table: dict[str, Entry] = {}
    for row in rows:
        key = norm_phrase(row[0])
        weights = parse_hand_classes(row[1])
        flags = row[2].split() if len(row) > 2 else []
        table[key] = make_entry({c: HAND_CONFIDENCE * w for c, w in weights.items()}, True, "hi" in flags)
    return table


def nice_entries(counts: Mapping[str, Mapping[int, int]]) -> dict[str, Entry]:
    table: dict[str, Entry] = {}
    for key, per_class in counts.items():
        total = sum(per_class.values())
        classes = {c: NICE_CONFIDENCE * n / total for c, n in per_class.items() if n / total >= 0.05}
        if classes:
            table[key] = make_entry(classes, False)
    return table


def parse_nice_rows(rows: Iterable[list[str]]) -> dict[str, dict[int, int]]:
    counts: dict[str, dict[int, int]] = {}
    for key, spec in rows:
        counts[key] = {int(c): int(n) for c, n in (p.split(":") for p in spec.split(","))}
    return counts


def build_table(nice: Mapping[str, Entry], hand: Mapping[str, Entry]) -> dict[str, Entry]:
    """Nice entries overlaid by the hand-written ones (the hand list wins for a key in both)."""
    table = dict(nice)
    table.update(hand)
    return table


@lru_cache(maxsize=1)
def default_table() -> dict[str, Entry]:
    """The shipped lexicon (read once per process)."""
    nice = nice_entries(parse_nice_rows(_read("nice_goods.tsv")))
    return build_table(nice, hand_entries(_read("marketplace.tsv")))


@lru_cache(maxsize=1)
def hand_table() -> dict[str, Entry]:
    """Only the hand-written marketplace nouns (used for category text)."""
    return hand_entries(_read("marketplace.tsv"))


def is_goods_term(words: Iterable[str]) -> bool:
    """The words name a kind of goods in the lexicon ("floor liners", "ring"): a generic product name, plural
    or singular, any case."""
    low = [w.lower() for w in words if w]
    if not low:
        return False
    table = default_table()
    return any(" ".join([*low[:-1], f]) in table for f in _forms(low[-1]))


def _forms(last: str) -> set[str]:
    """The forms of a lower-case last word that :func:`is_goods_term` looks up (as written, singular)."""
    return {last, last[:-1] if last.endswith("s") else last, last[:-2] if last.endswith("es") else last,
            last[:-3] + "y" if last.endswith("ies") else last}


@lru_cache(maxsize=1)
def _last_words() -> frozenset[str]:
    """The last word of every key of the shipped lexicon."""
    return frozenset(key.rsplit(" ", 1)[-1] for key in default_table())


@lru_cache(maxsize=65536)
def may_end_goods_term(word: str) -> bool:
    """False when no phrase ending in ``word`` can be a goods term (:func:`is_goods_term`): a quick test
    before reading the words around it."""
    last = word.lower()
    return bool(last) and not _forms(last).isdisjoint(_last_words())
