"""Trademark corpus: the marks the scanner knows, from the starter CSV, a trademark CSV or a compiled
corpus folder. Public entry point: :func:`load_corpus`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import CorpusError
from ..progress import Progress
from ..resources import starter_corpus_path
from .model import MARK_COLUMNS, TRADEMARK_CSV_COLUMNS, Corpus, content_hash

__all__ = ["Corpus", "load_corpus", "MARK_COLUMNS", "TRADEMARK_CSV_COLUMNS"]


def load_corpus(path: str | Path | None = None, *, progress: Progress | None = None) -> Corpus:
    """Load a corpus: ``None`` = the shipped starter corpus; a ``.csv`` = a trademark CSV."""
    path = starter_corpus_path() if path is None else Path(path)
    if not path.exists():
        raise CorpusError("corpus not found", path=path)
    try:
        marks = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except Exception as exc:  # walking skeleton; the trademark CSV importer replaces this
        raise CorpusError(f"cannot read trademark CSV: {exc}", path=path) from None
    if "mark" not in marks.columns:
        raise CorpusError(f"no 'mark' column (found {', '.join(marks.columns[:10])})", path=path)
    for col in MARK_COLUMNS:
        if col not in marks.columns:
            marks[col] = ""
    marks = marks[list(MARK_COLUMNS)].reset_index(drop=True)
    return Corpus(
        marks=marks,
        info={"name": path.name, "sources": [str(path)], "counts": {"marks": len(marks)},
              "content_hash": content_hash(marks)},
        path=None,
    )
