"""The seller's watch list in a scan: marks and owners that complained before (``scanner notices
watchlist``, or any trademark CSV).

Two plain functions, both used by :func:`scanner.pipeline.scan`:

* :func:`with_watchlist` adds the watch-list marks the corpus lacks, so they are always matched;
* :func:`watchlist_notes` says, per listing, which of its third-party marks belong to an owner on the
  watch list ("Tailspin Toys Holdings LLC: 4 complaints, last 2024-05-08"). The report and the reasons
  show it: an owner who complained once enforces.
"""

from __future__ import annotations

import pandas as pd

from .corpus import Corpus
from .corpus.schema import MARK_COLUMNS, content_hash
from .progress import Progress
from .progress import get as _progress
from .text import brand_key


def with_watchlist(corpus: Corpus, watch: pd.DataFrame, *, progress: Progress | None = None) -> Corpus:
    """``corpus`` plus the watch-list marks it does not have (compared by :func:`brand_key` of the mark).

    Returns ``corpus`` itself when nothing is missing (a compiled corpus keeps its cached match index).
    """
    if watch is None or watch.empty:
        return corpus
    known = set(corpus.marks["mark"].map(brand_key))
    keys = watch["mark"].map(brand_key)
    missing = watch[~keys.isin(known) & (keys != "")].drop_duplicates("mark")
    if missing.empty:
        return corpus
    extra = pd.DataFrame({c: (missing[c].astype(str) if c in missing.columns else "") for c in MARK_COLUMNS})
    extra["source"] = "watch list"
    marks = pd.concat([corpus.marks, extra[list(MARK_COLUMNS)]], ignore_index=True)
    if corpus.path is not None:
        _progress(progress).info(
            f"watch list adds {len(extra)} mark(s) the corpus lacks: the match index is built in memory "
            "for this scan (add them to the corpus to keep using its cache)"
        )
    info = {**corpus.info, "content_hash": content_hash(marks), "watchlist_marks_added": len(extra)}
    info["counts"] = {**corpus.info.get("counts", {}), "marks": len(marks)}
    return Corpus(marks=marks, info=info, path=None)


def _describe(rec: pd.Series) -> str:
    who = rec["owner"] or rec["mark"]
    n = int(rec["complaints"])
    text = f"{who}: {n} complaint{'s' if n != 1 else ''}" if n else f"{who}: on your watch list"
    if rec["last_notice"]:
        text += f", last {rec['last_notice']}"
    return text


def watchlist_notes(listings: pd.DataFrame, matches: pd.DataFrame, watch: pd.DataFrame | None) -> pd.Series:
    """Per listing (index of ``listings``): the watch-list owners among its third-party marks, or ""."""
    out = pd.Series("", index=listings.index, dtype=object)
    if watch is None or watch.empty or matches is None or matches.empty:
        return out
    by_mark: dict[str, pd.Series] = {}
    by_owner: dict[str, pd.Series] = {}
    for _, rec in watch.iterrows():
        by_mark.setdefault(brand_key(rec["mark"]), rec)
        if brand_key(rec["owner"]):
            by_owner.setdefault(brand_key(rec["owner"]), rec)
    tp = matches[~(matches["own"].astype(bool) | matches["authorized"].astype(bool))]
    for label, group in tp.groupby("listing", sort=False):
        notes: dict[str, str] = {}
        for mark, owner in zip(group["mark"], group["owner"], strict=True):
            rec = by_mark.get(brand_key(mark))
            if rec is None and brand_key(owner):
                rec = by_owner.get(brand_key(owner))
            if rec is not None:
                text = _describe(rec)
                notes.setdefault(text, text)
        out[label] = "; ".join(notes)
    return out
