"""Kinds for marks their register gives none: the starter corpus's kind of the same mark on the same goods.

A register says nothing of a mark's kind (a USPTO import, an office's records and most users' CSVs leave
``kind`` empty), while the risk model reads it: whether CANON is a house brand, FORERUNNER a product line,
CAMERA an ordinary word registered as a mark. Without kinds it scores famous brands far lower: on the
development set scored against its own corpus with every kind blanked, "HP 146-GB 10K SAS" fell from 0.99
to 0.53 and "Canon BG-E14" from 0.93 to 0.52 (``benchmarks/bench_register_readings.py``).

The shipped starter corpus (``data/trademarks/``) names the kind of the marks that draw most complaints.
A scan gives a mark without a kind the starter's kind of the same mark (the same compact key, or one of
the starter mark's aliases) when their goods meet: a Nice class in common, or no classes on either side.
CHAMPION for clothing takes the starter's ``brand``; CHAMPION for spark plugs (class 7; the starter's
CHAMPION is class 25) stays without one. The starter has no ``word`` marks, so no mark is made an
ordinary word this way. A kind the corpus gives is never changed.

The kind found is kept in the scan's own column :data:`~scanner.corpus.schema.KNOWN_KIND` (never written to
a corpus; the ``kind`` column, the content hash and the match index are the corpus's own), which the match
frame and the features read where ``kind`` is empty (:func:`~scanner.corpus.schema.mark_kinds`).
``scanner scan`` (one process or Dask workers), ``scanner evaluate`` and ``scanner train`` prepare their corpus
this way (:func:`with_known_kinds`); the shipped model's generated training corpus is used as generated (it
leaves half its marks without a kind, so that the model learns to read them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..progress import Progress
from ..progress import get as _progress
from ..resources import starter_corpus_path
from ..text import compact_key
from .schema import KINDS, KNOWN_KIND, Corpus, parse_classes
from .trademark_csv import iter_trademark_csv

#: The kind and Nice classes of one reference mark.
Pair = tuple[str, frozenset[int]]


@dataclass(frozen=True)
class Reference:
    """Marks whose kinds are known: ``kinds`` maps a compact key to the (kind, classes) of each reference mark
    with that key (of the mark or one of its aliases); ``near`` holds the forms a mark with one of those keys
    may take under :func:`_letters_and_digits` (the keys and the written forms: ``Pokémon`` keeps its accent
    there, ``POKEMON`` is the key), to find a register's candidates without keying every mark."""

    kinds: dict[str, tuple[Pair, ...]]
    near: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.kinds)


#: Kinds a reference may give (a reference ``word`` row would make a mark an ordinary word; none is used).
_GIVEN = tuple(k for k in KINDS if k != "word")


def read_reference(path: str | Path) -> Reference:
    """The kinds of a trademark CSV's marks by compact key (of the mark and of each of its aliases)."""
    kinds: dict[str, list[Pair]] = {}
    written: set[str] = set()
    for row in iter_trademark_csv(path):  # the corpus's own reader: checked, kinds lower-cased, aliases tidied
        kind = row["kind"]
        if kind not in _GIVEN:
            continue
        classes = parse_classes(row["nice_classes"])
        forms = [f for f in [row["mark"], *row["aliases"].split(";")] if f.strip()]
        written.update(forms)
        for key in {compact_key(form) for form in forms}:
            if key and (kind, classes) not in kinds.setdefault(key, []):
                kinds[key].append((kind, classes))
    near = set(kinds) | set(_letters_and_digits(pa.array(sorted(written), type=pa.string())).to_pylist())
    return Reference({key: tuple(pairs) for key, pairs in kinds.items()}, frozenset(f for f in near if f))


@lru_cache(maxsize=1)
def starter_reference() -> Reference:
    """:func:`read_reference` of the shipped starter corpus (read once per process, 0.7-1 s)."""
    return read_reference(starter_corpus_path())


def known_kind(classes: frozenset[int], pairs: tuple[Pair, ...]) -> str:
    """The kind a mark of ``classes`` takes from the reference marks ``pairs`` of its key: the first, in
    :data:`~scanner.corpus.schema.KINDS` order, whose classes meet it (or either side has none); "" if none."""
    fitting = [kind for kind, theirs in pairs if not classes or not theirs or classes & theirs]
    return min(fitting, key=KINDS.index) if fitting else ""


def with_known_kinds(corpus: Corpus, *, reference: Reference | None = None,
                     progress: Progress | None = None) -> Corpus:
    """``corpus`` with :data:`~scanner.corpus.schema.KNOWN_KIND` filled for its marks without a kind that the
    reference (default: the starter corpus) knows on the same goods (see the module).

    Returns ``corpus`` itself when every mark has a kind or none is known. The marks whose letters and digits,
    lower-cased, are those of a reference form (Arrow's string kernels, ~0.6 s a million marks) are the only
    ones keyed with :func:`~scanner.text.compact_key`: a register's million marks are not normalised in
    Python, and no match index is loaded for it (a scan's forked processes load their own)."""
    marks = corpus.marks
    if marks.empty or "mark" not in marks.columns:
        return corpus
    kinds = marks["kind"] if "kind" in marks.columns else pd.Series("", index=marks.index)
    blank = np.flatnonzero((kinds.fillna("") == "").to_numpy(dtype=bool))
    if not len(blank):
        return corpus
    reference = starter_reference() if reference is None else reference
    if not reference:
        return corpus
    written = pa.array(marks["mark"].iloc[blank].fillna(""), type=pa.string())
    value_set = pa.array(sorted(reference.near), type=pa.string())
    near = pc.is_in(_letters_and_digits(written), value_set=value_set).to_numpy(zero_copy_only=False)
    rows = blank[near]
    if not len(rows):
        return corpus
    classes = marks["nice_classes"] if "nice_classes" in marks.columns else pd.Series("", index=marks.index)
    keyed: dict[str, str] = {}
    filled: dict[int, str] = {}
    for row, mark, value in zip(rows.tolist(), marks["mark"].iloc[rows].tolist(), classes.iloc[rows].tolist(),
                                strict=True):
        key = keyed.get(mark)
        if key is None:
            key = keyed[mark] = compact_key(str(mark))
        pairs = reference.kinds.get(key)
        kind = known_kind(parse_classes(value or ""), pairs) if pairs else ""
        if kind:
            filled[row] = kind
    if not filled:
        return corpus
    column = np.full(len(marks), "", dtype=object)
    column[list(filled)] = list(filled.values())
    _progress(progress).info(f"{len(filled):,} mark(s) without a kind take the starter corpus's kind of the same "
                             "mark on the same goods")
    out = marks.assign(**{KNOWN_KIND: pd.Series(column, index=marks.index, dtype=str)})
    return Corpus(marks=out, info={**corpus.info, "known_kinds": len(filled)}, path=corpus.path)


def _letters_and_digits(values: pa.Array) -> pa.Array:
    """Each text lower-cased, with everything but letters and digits taken out (a quick, looser form of
    :func:`~scanner.text.compact_key`, which also folds accents and other writings)."""
    return pc.replace_substring_regex(pc.utf8_lower(values), r"[^\p{L}\p{N}]+", "")
