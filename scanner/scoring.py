"""``score_listings``: the scoring chain of one batch of listings (matches -> features -> model -> reasons
-> results), shared by the single-process scan (:mod:`scanner.pipeline`) and each Dask partition
(:mod:`scanner.distributed`), so both give the same rows.

``score_in_batches`` is the scan on one machine (``scanner scan --jobs N``): the listings cut into batches of
``rows`` listings, each scored by ``score_listings`` (in this process, or in forked worker processes) and
merged as the Dask partitions are (:func:`merge_results`). Every listing is scored on its own, so neither
the batches nor the jobs change a row; the batches bound the memory of the per-match tables (at a million
marks a listing has about 20 candidate matches).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from . import frequency
from .config import SellerProfile
from .corpus import Corpus
from .features import (
    build_features,
    fitment_mask,
    match_table,
    side_mask,
    with_chosen_owners,
    with_side_matches,
)
from .forked import fork_imap, jobs_for
from .gcpause import paused_gc
from .levels import URGENCY_RANK
from .match import empty_matches, find_matches
from .match.words import common_words
from .model import RiskModel
from .model.reasons import explain
from .progress import Progress
from .progress import get as _progress
from .results import assemble_results, third_party
from .watchlist import watchlist_notes

__all__ = ["BATCH_ROWS", "LARGE_CORPUS_BATCH_ROWS", "LARGE_CORPUS_MARKS", "batch_rows", "keep_columns", "merge_results",
           "partitions", "score_in_batches", "score_listings"]

#: Listings scored at a time by one process (``scanner scan --partition-rows``), against a corpus of fewer
#: than :data:`LARGE_CORPUS_MARKS` marks.
BATCH_ROWS = 10_000
#: ... and against a larger corpus, where a listing has several times the candidate matches: at 1,000,000 marks
#: a batch of 10,000 listings holds about 220,000 matches. Two scoring processes with batches of 2,500 keep
#: the whole scan's peak about 0.9 GB lower than with 10,000 (2,841-2,885 against 3,794 MB of PSS for 100,000
#: listings), for about 10 % more CPU time (docs/scale.md).
LARGE_CORPUS_BATCH_ROWS = 2_500
LARGE_CORPUS_MARKS = 250_000


def batch_rows(marks: int) -> int:
    """The default listings per batch (or Dask partition) against a corpus of ``marks`` marks."""
    return LARGE_CORPUS_BATCH_ROWS if marks >= LARGE_CORPUS_MARKS else BATCH_ROWS


def score_listings(
    listings: pd.DataFrame,
    corpus: Corpus,
    model: RiskModel,
    profile: SellerProfile,
    watch: pd.DataFrame | None = None,
    *,
    progress: Progress | None = None,
    match_columns: Sequence[str] | None = None,
    evidence_only: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score ``listings`` (any rows of them): find_matches -> match_table -> build_features -> model.predict
    -> explain (+ the watch-list note) -> assemble_results; returns ``(matches, results)``.
    ``match_columns``: keep only these columns of the matches (:func:`keep_columns`; None: all of them).
    ``evidence_only``: keep only the matches the report shows (:func:`evidence_rows`; False: all of them).

    Every row is scored on its own (no figure depends on the other listings), so a partition of the
    listings gives the same rows as the whole; the single-process scan and each Dask partition
    (:mod:`scanner.distributed`) both run this function. ``corpus`` already holds the watch-list marks.
    """
    with paused_gc():  # millions of small objects: see scanner.gcpause
        matches, results = _score(listings, corpus, model, profile, watch, _progress(progress))
    if evidence_only:
        matches = evidence_rows(matches, results)
    return keep_columns(matches, match_columns), results


def evidence_rows(matches: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """The matches the report's evidence shows (:func:`scanner.report.evidence.collect_evidence`): the
    third-party matches of medium and high listings, without their side matches (``side_match``). Against a
    million generated marks that is 6 % of them: the rest are mostly ordinary words beside the evidence."""
    if matches.empty:
        return matches
    tp = third_party(matches)
    keep = results["risk_level"].reindex(tp["listing"]).to_numpy() != "low"
    if "side_match" in tp.columns:
        keep &= ~tp["side_match"].to_numpy(dtype=bool)
    return tp[keep]


def keep_columns(matches: pd.DataFrame, columns: Sequence[str] | None) -> pd.DataFrame:
    """``matches`` with only the columns named in ``columns`` that it has, in its own order (None: as it is).
    A caller that reads a few of the thirty columns (``scanner scan``'s report reads about fifteen,
    :data:`scanner.report.MATCH_COLUMNS_READ`) keeps the batches' matches at about half the memory, and a
    scoring process or Dask worker sends back half as much."""
    if columns is None:
        return matches
    wanted = set(columns)
    return matches[[c for c in matches.columns if c in wanted]]


def _score(listings: pd.DataFrame, corpus: Corpus, model: RiskModel, profile: SellerProfile,
           watch: pd.DataFrame | None, progress: Progress) -> tuple[pd.DataFrame, pd.DataFrame]:
    progress.stage(f"matching {len(listings):,} listings against {len(corpus):,} marks")
    matches = find_matches(listings, corpus, profile, progress=progress)
    progress.stage(f"building features of {len(matches):,} matches")
    table = match_table(listings, matches, corpus, profile)
    matches = with_chosen_owners(matches, table)
    features = build_features(listings, matches, corpus, profile, table=table)
    side = side_mask(table)  # the noise beside each listing's evidence: left out of its reasons and marks
    # flagged in the matches: the report's evidence of a risky listing leaves them out too
    matches, side_rows = with_side_matches(matches, table, side)
    matches["fitment"] = fitment_mask(matches, table)  # (on the copy above) the report's fix keeps what it fits
    progress.stage("scoring with the model")
    scores = model.predict(features)
    progress.stage("writing the reasons")
    reasons = explain(listings, table, scores, matches, profile, features=features, side=side)
    notes = watchlist_notes(listings, matches, watch)
    if watch is not None:
        flagged = (notes != "") & (scores["risk_level"] != "low")
        reasons = reasons.where(~flagged, reasons + ". Watch list: " + notes + " (this owner has complained "
                                "about your listings before)")
    results = assemble_results(listings, matches, scores, reasons=reasons, watchlist=notes,
                               side=side_rows, profile=profile, marks=corpus.marks)
    return matches, results


def score_in_batches(
    listings: pd.DataFrame,
    corpus: Corpus,
    model: RiskModel,
    profile: SellerProfile,
    watch: pd.DataFrame | None = None,
    *,
    rows: int | None = None,
    jobs: int | None = 1,
    progress: Progress | None = None,
    match_columns: Sequence[str] | None = None,
    evidence_only: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`score_listings` over consecutive batches of ``rows`` listings (None: :func:`batch_rows` of the
    corpus's size), merged (the same rows as one call; see the module docstring). ``jobs`` > 1 (``None``: :func:`scanner.forked.default_jobs`, as
    ``scanner scan`` does) scores the batches in that many forked processes (:func:`scanner.forked.fork_imap`;
    one job, one batch or no fork on this system: in this process). The workers inherit the loaded corpus,
    index, model and word lists; only a batch goes to a worker and its ``(matches, results)`` come back
    (the matches with only ``match_columns``, when given: see :func:`keep_columns`; only the report's with
    ``evidence_only``: see :func:`evidence_rows`)."""
    progress = _progress(progress)
    frequency.open_tables(progress)
    rows = batch_rows(len(corpus)) if rows is None else max(1, int(rows))
    parts = partitions(listings, rows)
    if len(parts) == 1:
        return score_listings(listings, corpus, model, profile, watch, progress=progress, match_columns=match_columns,
                              evidence_only=evidence_only)
    jobs = jobs_for(len(parts), jobs)
    if jobs <= 1:
        done = []
        for start, part in zip(range(0, len(listings), rows), parts, strict=True):
            progress.stage(f"listings {start + 1:,} to {start + len(part):,} of {len(listings):,}")
            done.append(score_listings(part, corpus, model, profile, watch, progress=progress,
                                       match_columns=match_columns, evidence_only=evidence_only))
        return merge_results(done)
    progress.stage(f"scoring {len(listings):,} listings against {len(corpus):,} marks: {len(parts)} batches of "
                   f"up to {rows:,} listings in {jobs} processes")
    # the word lists every batch reads, loaded once here for all the workers to inherit
    frequency.preload()
    common_words()

    def score(part: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        # the very function of the one-process scan, silent (this process reports)
        return score_listings(part, corpus, model, profile, watch, match_columns=match_columns,
                              evidence_only=evidence_only)

    done = []
    with progress.task("scoring batches", total=len(listings), unit=" listings", unit_scale=True) as bar:
        for part, scored in zip(parts, fork_imap(score, parts, jobs=jobs, what="a scoring process"), strict=True):
            done.append(scored)
            bar.set_postfix_str(f"{len(done)} of {len(parts)} batches")
            bar.update(len(part))
    return merge_results(done)


def merge_results(parts: Sequence[tuple[pd.DataFrame, pd.DataFrame]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The partitions' ``(matches, results)`` (in listing order) as one scan's: matches concatenated,
    results ordered like :func:`scanner.results.assemble_results` orders one table (most urgent first,
    ties in listing order: a stable sort of the partitions concatenated in order gives exactly that)."""
    matches = [m for m, _ in parts if not m.empty]
    # no match at all: the (empty) table of the first partition, with the columns the partitions kept
    merged_matches = pd.concat(matches, ignore_index=True) if matches else (
        parts[0][0].reset_index(drop=True) if parts else empty_matches())
    results = pd.concat([r for _, r in parts])
    order = results["risk_level"].map(URGENCY_RANK).fillna(3)
    results = results.assign(_o=order).sort_values(["_o", "risk_score"], ascending=[True, False], kind="stable")
    return merged_matches, results.drop(columns="_o")


def partitions(frame: pd.DataFrame, rows: int) -> list[pd.DataFrame]:
    """``frame`` cut into consecutive pieces of at most ``rows`` rows (at least one piece)."""
    rows = max(1, int(rows))
    return [frame.iloc[i:i + rows] for i in range(0, max(len(frame), 1), rows)]
