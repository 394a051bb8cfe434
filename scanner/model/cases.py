"""The written example cases (``training/cases/`` of a source checkout) as labelled sets.

``scanner train --with-cases`` adds them to the seller's own labels, and the default-model build
(``python -m training.build_default``) trains on them; this small reader is the runtime part of both. An
installed wheel has no ``training/cases`` (check :data:`CASES` ``.is_dir()`` first).
"""

from __future__ import annotations

from pathlib import Path

from ..config import load_profile
from ..corpus import load_corpus
from ..progress import Progress
from .training import LabelledSet, prepare

#: The written cases of a source checkout: ``corpus.csv`` and, per seller, ``labels_<seller>.csv``,
#: ``listings_<seller>.tsv`` and ``seller_<seller>.toml``.
CASES = Path(__file__).resolve().parents[2] / "training" / "cases"


def written_sets(cases: Path = CASES, *, progress: Progress | None = None) -> list[LabelledSet]:
    """The written cases: one labelled set per seller (``labels_<seller>.csv`` + ``listings_<seller>.tsv``)."""
    corpus = load_corpus(cases / "corpus.csv")
    sets = []
    for labels in sorted(cases.glob("labels_*.csv")):
        seller = labels.stem.removeprefix("labels_")
        sets.append(prepare(labels, [cases / f"listings_{seller}.tsv"], corpus=corpus,
                            profile=load_profile(cases / f"seller_{seller}.toml"), name=f"written_{seller}",
                            progress=progress))
    return sets
