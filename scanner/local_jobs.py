"""Score one scan's batches on several cores of this machine (``scanner scan --jobs N``).

The single-process scan scores the listings in batches (:func:`scanner.scoring.score_in_batches`); every
batch is scored on its own, so batches can be scored at the same time. :func:`score_in_jobs` hands them
to worker processes forked after the corpus, its index and the model are loaded
(:func:`scanner.forked.fork_imap`): the workers inherit them instead of loading them again, and only a
batch of listings goes to a worker and its ``(matches, results)`` come back. The batches are merged in listing order by
:func:`~scanner.scoring.merge_results`, exactly as the one-process scan merges them, so the results are
the same row for row whatever the number of jobs (tested).

Without fork (macOS, Windows), with one job or for a single batch, the scan runs in this process. Every
worker holds one batch's match tables (at a million marks about 1 GB), so the memory of the scan grows
with the jobs: see :func:`scanner.forked.default_jobs`. Beyond one machine, use Dask (``--workers`` /
``--scheduler``, :mod:`scanner.distributed`).
"""

from __future__ import annotations

import pandas as pd

from . import frequency
from .config import SellerProfile
from .corpus import Corpus
from .forked import fork_imap, jobs_for
from .match.words import common_words
from .model import RiskModel
from .progress import Progress
from .progress import get as _progress
from .scoring import BATCH_ROWS, merge_results, partitions, score_in_batches
from .scoring import score_listings as _score_listings

__all__ = ["score_in_jobs"]


def score_in_jobs(
    listings: pd.DataFrame,
    corpus: Corpus,
    model: RiskModel,
    profile: SellerProfile,
    watch: pd.DataFrame | None = None,
    *,
    rows: int = BATCH_ROWS,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`~scanner.scoring.score_in_batches` with the batches scored by ``jobs`` forked processes
    (``None``: :func:`~scanner.forked.default_jobs`); the same ``(matches, results)`` row for row. With one job, one
    batch, or no ``fork`` on this system, the batches are scored in this process."""
    progress = _progress(progress)
    parts = partitions(listings, rows)
    jobs = jobs_for(len(parts), jobs)
    if jobs <= 1:
        return score_in_batches(listings, corpus, model, profile, watch, rows=rows, progress=progress)
    progress.stage(f"scoring {len(listings):,} listings against {len(corpus):,} marks: {len(parts)} batches of "
                   f"up to {rows:,} listings in {jobs} processes")
    # the word lists every batch reads, loaded once here for all the workers to inherit
    frequency.preload()
    common_words()

    def score(part: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        # the very function the one-process scan runs, silent (this process reports)
        return _score_listings(part, corpus, model, profile, watch)

    done: list[tuple[pd.DataFrame, pd.DataFrame]] = []
    with progress.task("scoring batches", total=len(listings), unit=" listings", unit_scale=True) as bar:
        for part, scored in zip(parts, fork_imap(score, parts, jobs=jobs, what="a scoring process"), strict=True):
            done.append(scored)
            bar.set_postfix_str(f"{len(done)} of {len(parts)} batches")
            bar.update(len(part))
    return merge_results(done)
