"""``scan()``: chain the stages. Each stage is a public function of its own module:

load_corpus, load_model -> read_listings -> find_matches -> build_features -> model.predict -> explain
-> assemble_results; ``run_scan`` adds the pre-flight checks (:mod:`scanner.preflight`), the history and
the outputs. The corpus is loaded and the model's bundle checked before any listing is read, so a bad
corpus or model fails at once (the model's estimator loads meanwhile in a second process). ``ScanResult``
lives in :mod:`scanner.scan_result` (re-exported here).
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Any

from . import __version__
from .config import ScanConfig
from .corpus import GOODS_TEXT_COLUMNS, Corpus, load_corpus
from .corpus.known_kinds import with_known_kinds
from .errors import CorpusError, InputError
from .forked import Background, in_background
from .gcpause import paused_gc
from .listings import read_listings
from .model import RiskModel, check_model, load_model
from .notices.watchlist import load_watchlist
from .progress import Progress
from .progress import get as _progress
from .replace_file import move_over, replaceable
from .scan_checks import brand_hint, duplicate_skus, duplicate_warning
from .scan_result import ScanResult
from .scoring import score_in_batches, score_listings
from .watchlist import with_watchlist

#: Results from which the CSV / JSON lines are written alongside the workbook, in a second process.
BACKGROUND_ROWS = 20_000

__all__ = ["ScanResult", "scan", "score_listings", "run_scan", "write_outputs"]


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).astimezone().isoformat(timespec="seconds")


def _corpus_name(config: ScanConfig, corpus: Corpus) -> str:
    """The corpus's path, with why it is empty when its records were all skipped."""
    from .corpus.stats import format_issue

    name = str(config.corpus) if config.corpus is not None else str(
        corpus.path or corpus.info.get("name") or "the shipped starter corpus")
    counts = corpus.info.get("counts", {})
    read, skipped = counts.get("records_read", 0), sum(counts.get("skipped", {}).values())
    if read:
        issues = corpus.info.get("issues") or []
        first = f"; first: {format_issue(issues[0])}" if issues else ""
        name += f" ({read:,} record(s) read, {skipped:,} skipped{first})"
    return name


def no_listing_error(read: Any) -> InputError:
    """The error of a scan whose files hold no listing to scan (a header-only export, every row rejected):
    a report listing nothing would read as an all-clear and become the history's last scan, so nothing is
    written. It says what each file gave and why its first row was rejected."""
    parts = []
    for f in read.files:
        part = f"{f.path}: {f.rows_read:,} row(s) read, {f.rows_rejected:,} rejected"
        first = read.rejected[read.rejected["source_file"] == f.path].head(1)
        if len(first):
            row = first.iloc[0]
            column = f", column {row['column']!r}" if row["column"] else ""
            part += f" (first: row {row['source_row']}{column}: {row['reason']})"
        parts.append(part)
    return InputError(f"no listing to scan, so nothing was written: {'; '.join(parts)}")


def check_corpus(corpus: Corpus, config: ScanConfig, progress: Progress) -> str:
    """An empty corpus is an error (a scan against no marks is a silent all-clear), or with
    ``config.allow_empty_corpus`` a warning; returns the warning ("" when the corpus has marks)."""
    if len(corpus) > 0 and _has_words(corpus):
        return ""
    name = _corpus_name(config, corpus)
    if len(corpus) > 0:
        name += f": its {len(corpus):,} mark(s) hold no letter or digit to look for"
    if not config.allow_empty_corpus:
        raise CorpusError(f"the corpus has no marks: {name}; no listing could be flagged, so the report would be a "
                          "false all-clear; pass --allow-empty-corpus to scan anyway")
    warning = (f"THE CORPUS HAS NO MARKS ({name}): no listing can be flagged by a mark"
               + (" except the watch list's" if (config.watchlist or config.profile.watchlist) else "")
               + "; this scan is NOT an all-clear")
    progress.warn(warning)
    return warning


def _has_words(corpus: Corpus) -> bool:
    """Whether some mark or alias holds a letter or digit, that is a word the matcher can look for (marks of
    punctuation or invisible characters only give no key). Stops at the first such mark: the first, as a
    rule."""
    columns = [c for c in ("mark", "aliases") if c in corpus.marks.columns]
    return any(any(ch.isalnum() for ch in str(v)) for c in columns for v in corpus.marks[c])


def scan(
    config: ScanConfig,
    *,
    corpus: Corpus | None = None,
    model: RiskModel | None = None,
    progress: Progress | None = None,
) -> ScanResult:
    """Read the listings in ``config``, match them against the corpus and score them.

    ``corpus`` and ``model`` may be passed already loaded (notebooks, tests); otherwise they come from
    ``config.corpus`` / ``config.model`` or the shipped defaults, and are loaded (the model's bundle checked)
    before the listings are read; the model's estimator is read meanwhile by a second process when
    ``config.jobs`` allows two (:func:`scanner.model.check_model`). An empty corpus raises
    :class:`~scanner.errors.CorpusError` unless ``config.allow_empty_corpus``.
    Warnings (duplicate SKUs, a profile without own brands, an empty corpus) are printed through
    ``progress`` and kept in ``result.extra["warnings"]``. Writes nothing.
    """
    progress = _progress(progress)
    started = _now()
    if model is not None:
        return _scan(config, corpus, model, progress, started)
    # the model's estimator is loaded in a second process while this one loads the corpus and reads the
    # listings (skops' import and its checked load: ~1.4 s of every scan); its bundle is checked here, after
    # the corpus and before the listings, as before
    with in_background(lambda: load_model(config.model), jobs=config.jobs,
                       what="the process loading the model") as loading:
        return _scan(config, corpus, loading, progress, started)


def _scan(config: ScanConfig, corpus: Corpus | None, model: RiskModel | Background, progress: Progress,
          started: str) -> ScanResult:
    warnings: list[str] = []
    if corpus is None:
        progress.stage("loading the trademark corpus")
        # without the goods and services texts, which no stage reads (most of a real register's bytes)
        corpus = load_corpus(config.corpus, progress=progress, jobs=config.jobs, skip=GOODS_TEXT_COLUMNS)
    warnings.append(check_corpus(corpus, config, progress))
    base_corpus = corpus
    watch_path = config.watchlist or config.profile.watchlist
    watch = load_watchlist(watch_path) if watch_path else None
    if watch is not None:
        corpus = with_watchlist(corpus, watch, progress=progress)
    if isinstance(model, Background):
        progress.stage("loading the model")
        check_model(config.model)  # the errors of a bad bundle before any listing is read
    progress.stage(f"reading {len(config.listings)} listing file(s)")
    read = read_listings(
        config.listings, encoding=config.encoding, column_map=config.column_map, progress=progress
    )
    listings = read.listings
    if listings.empty:
        raise no_listing_error(read)
    if "marketplace" in listings.columns:
        listings.loc[listings["marketplace"] == "", "marketplace"] = config.profile.marketplace
    dups = duplicate_skus(listings)
    if dups:
        warnings.append(duplicate_warning(dups))
        progress.warn(warnings[-1])
    hint = brand_hint(listings, config.profile)
    if hint:
        warnings.append(hint)
        progress.warn(hint)
    if isinstance(model, Background):
        model = model.result()  # loaded meanwhile
    if config.workers or config.scheduler:
        from .distributed import score_distributed

        matches, results = score_distributed(listings, config, corpus=base_corpus, watch=watch, progress=progress)
    else:
        corpus = with_known_kinds(corpus, progress=progress)
        matches, results = score_in_batches(listings, corpus, model, config.profile, watch,
                                            rows=config.partition_rows, jobs=config.jobs, progress=progress,
                                            match_columns=config.match_columns, evidence_only=config.evidence_only)
    return ScanResult(
        results=results,
        listings=listings,
        matches=matches,
        rejected=read.rejected,
        files=read.files,
        corpus_info={**corpus.info, "marks": len(corpus),
                     **({"watchlist": str(watch_path), "watchlist_entries": len(watch)} if watch is not None else {})},
        model_info=dict(model.info),
        thresholds=dict(model.thresholds),
        profile=config.profile,
        started=started,
        corpus=corpus,
        finished=_now(),
        extra={"scanner_version": __version__, "warnings": [w for w in warnings if w],
               "duplicate_skus": dups, "brand_hint": hint},
    )


def write_outputs(result: ScanResult, config: ScanConfig, *, progress: Progress | None = None) -> list[Path]:
    """Write the Excel report and the optional CSV / JSON-lines files named in ``config``.

    ``config.csv_safe`` (None: on for the CSV, off for JSON lines) prefixes formula-like text cells with
    ``'`` (see :mod:`scanner.report.machine`).
    """
    from .errors import ScannerError
    from .report import write_csv, write_excel, write_jsonl

    progress = _progress(progress)
    for target in (config.out, config.csv, config.json):
        if target is None:
            continue
        try:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ScannerError(f"cannot create the output folder: {exc.strerror}", path=target) from None
    written = [Path(p) for p in (config.out, config.csv, config.json) if p is not None]
    machine = [(Path(p), what, write, safe) for p, what, write, safe in (
        (config.csv, "the CSV", write_csv, config.csv_safe is not False),
        (config.json, "the JSON lines", write_jsonl, bool(config.csv_safe))) if p is not None]

    def report(into: dict[Path, Path]) -> None:
        if config.out is not None:
            progress.stage(f"writing the report {config.out}")
            out = Path(config.out)
            try:
                write_excel(result, into.get(out, out), jobs=config.jobs)
            except ScannerError as exc:  # the error names the file the user asked for
                exc.path = str(out)
                exc.args = (exc.format(),)
                raise

    def machine_outputs(into: dict[Path, Path]) -> None:
        for final, what, write, safe in machine:
            progress.stage(f"writing {what} {final}")
            try:
                write(result, into.get(final, final), safe=safe)
            except ScannerError as exc:  # the error names the file the user asked for
                exc.path = str(final)
                exc.args = (exc.format(),)
                raise

    # Every output goes to a partial file first, all moved into place only once all are written: a failed
    # workbook or CSV leaves the last scan's outputs, all of them (a symlink is followed, and a device or pipe
    # written directly: see _partial). A large scan writes the CSV / JSON lines in a second process while this
    # one writes the workbook.
    finals = [Path(config.out)] if config.out is not None and machine else []
    staged = {final: part for final in [*finals, *(m[0] for m in machine)] if (part := _partial(final)) is not None}
    try:
        if config.out is None or not machine or len(result.results) < BACKGROUND_ROWS:
            machine_outputs(staged)
            report(staged)
        else:
            with in_background(lambda: machine_outputs(staged), jobs=config.jobs,
                               what="the process writing the CSV / JSON lines") as machine_task:
                report(staged)
                machine_task.result()
        for final, part in staged.items():
            _move_into_place(part, final)
    finally:
        for part in staged.values():
            part.unlink(missing_ok=True)
    return written


def _move_into_place(part: Path, final: Path) -> None:
    """Move the partial file ``part`` over ``final`` (the file a symlink points to), with the permissions of
    the file it replaces (:func:`scanner.replace_file.move_over`); a failure is one ScannerError line."""
    from .errors import ScannerError

    try:
        move_over(part, Path(os.path.realpath(final)))
    except OSError as exc:
        hint = " (is it open in Excel?)" if isinstance(exc, PermissionError) else ""
        raise ScannerError(f"cannot write: {exc.strerror or exc}{hint}", path=final) from None


def _partial(final: Path) -> Path | None:
    """Where ``final`` is written before it is moved into place: beside the file it names (or a symlink
    points to), or None for a device or a named pipe, written directly (:func:`scanner.replace_file.replaceable`)."""
    real = replaceable(final)
    return None if real is None else real.with_name(f".{real.name}.partial-{os.getpid()}")


def run_scan(config: ScanConfig, *, progress: Progress | None = None) -> ScanResult:
    """What ``scanner scan`` does: check the outputs and ``--previous`` reports before anything is read
    (:func:`scanner.preflight.check_scan`), scan, apply the history (``is_new``, earlier decisions, the Kept
    list), then write every output named in ``config`` and record the scan in the history, in one
    transaction (a report that cannot be written leaves no scan recorded)."""
    from .history.apply import apply_history
    from .preflight import check_scan

    progress = _progress(progress)
    check_scan(config)
    with paused_gc():
        result = scan(config, progress=progress)
        if config.use_history or config.previous:
            progress.stage("history: earlier decisions, what is new"
                           + (", recording this scan" if config.use_history else ""))
        with apply_history(result, config, progress=progress) as result:
            write_outputs(result, config, progress=progress)
    return result
