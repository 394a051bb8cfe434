"""``scanner scan``."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import ConfigError
from .common import make_progress, quiet_option

if TYPE_CHECKING:
    from ..config import ScanConfig


def run_scan(config: ScanConfig, *, progress=None):
    """:func:`scanner.pipeline.run_scan`, imported on first use: the other commands (``scanner corpus
    build``) then need not load the model and report code."""
    from ..pipeline import run_scan as _run_scan

    return _run_scan(config, progress=progress)


def parse_map(values: tuple[str, ...]) -> dict[str, str]:
    """``("title=ProductName", ...)`` -> ``{"title": "ProductName"}``; unknown fields are an error."""
    from ..listings.schema import MAPPABLE_FIELDS

    mapping: dict[str, str] = {}
    for value in values:
        field, sep, column = value.partition("=")
        field = field.strip().lower()
        if not sep or not column.strip():
            raise ConfigError(f"--map {value!r}: expected FIELD=COLUMN, e.g. --map title=ProductName")
        if field not in MAPPABLE_FIELDS:
            raise ConfigError(f"--map {value!r}: unknown field {field!r}; use one of {', '.join(MAPPABLE_FIELDS)}")
        mapping[field] = column.strip()
    return mapping


@click.command()
@click.argument("listings", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The Excel report to write (report.xlsx).")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write one CSV row per listing read (results.csv).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write one JSON object per listing read, one per line (results.jsonl).")
@click.option("--corpus", type=click.Path(exists=True, path_type=Path),
              help="A trademark CSV, a corpus folder built by `scanner corpus build`, or a single USPTO "
                   "bulk .xml/.zip (default: the shipped starter corpus).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Seller profile (seller.toml): marketplace, own and authorized brands.")
@click.option("--model", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A model bundle folder (default: the shipped model).")
@click.option("--watchlist", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Watch list CSV of marks and owners that complained before (`scanner notices watchlist`); "
                   "default: the profile's watchlist_file, if any.")
@click.option("--encoding", help="Read the listing files with this encoding instead of detecting it "
                                 "(e.g. cp1252, utf-8, cp932, utf-16).")
@click.option("--map", "mappings", multiple=True, metavar="FIELD=COLUMN",
              help="Read FIELD from the column headed COLUMN (repeatable), e.g. --map title=ProductName "
                   "--map sku=Handle.")
@click.option("--history", "history_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the scan history in this directory (default: $XDG_DATA_HOME/scanner or "
                   "~/.local/share/scanner).")
@click.option("--no-history", is_flag=True,
              help="Do not read or record the scan history (every risky listing then counts as new, unless "
                   "--previous is given).")
@click.option("--previous", "previous", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An earlier report with your decisions filled in (repeatable): 'keep'/'authorized' listings "
                   "whose text is unchanged move to the Kept sheet, 'pull'/'edit' are carried over.")
@click.option("--allow-empty-corpus", is_flag=True,
              help="Scan even when the corpus has no marks (a loud warning instead of an error; the report is "
                   "then no all-clear).")
@click.option("--csv-safe/--no-csv-safe", "csv_safe", default=None,
              help="Prefix text cells that start with = + - @ tab or CR with ' so spreadsheets do not run them "
                   "as formulas (OWASP CSV injection). Default: on for --csv, off for --json.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Score on a local Dask cluster of this many worker processes (pip install 'scanner[dask]').")
@click.option("--scheduler", metavar="ADDRESS",
              help="Score on an existing Dask cluster, e.g. tcp://host:8786 (see docs/scale.md).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes scoring the batches on this machine (default: one per core, at most 4; 1: this "
                   "process only). Each holds one batch of --partition-rows listings. A large USPTO .zip/.xml "
                   "given as --corpus is parsed by as many.")
@click.option("--partition-rows", type=click.IntRange(min=1), default=None,
              help="Listings scored at a time: per Dask task with --workers / --scheduler, else per batch of a "
                   "--jobs process (bounds the memory of the match tables; the results do not depend on it). "
                   "Default: 10,000; 2,500 against a corpus of 250,000 marks or more.")
@click.option("--worker-corpus", metavar="PATH|URL",
              help="The corpus as the Dask workers see it, when not at the --corpus path: a shared-disk path or "
                   "an fsspec URL (s3://..., gs://...); it must have the same content as --corpus.")
@click.option("--worker-model", metavar="PATH|URL",
              help="The model bundle as the Dask workers see it (default: the --model path).")
@quiet_option
def scan(listings, out, csv_path, json_path, corpus, config_path, model, watchlist, encoding, mappings,
         history_dir, no_history, previous, allow_empty_corpus, csv_safe, workers, scheduler, jobs,
         partition_rows, worker_corpus, worker_model, quiet):
    """Scan listing exports (LISTINGS...) for trademark risk and write the report.

    LISTINGS are Amazon All Listings / Active Listings reports, inventory flat files (xlsx, xlsm, csv,
    tsv, txt) or any CSV/TSV/XLSX with --map. Several files are scanned together. The outputs, the
    --previous reports, the corpus and the model are checked before any listing is read.
    """
    if workers and scheduler:
        raise ConfigError("--workers starts a local Dask cluster, --scheduler uses an existing one: give one of them")
    if scheduler is not None:
        from ..dask_tasks import check_scheduler_address

        scheduler = check_scheduler_address(scheduler)
    if (worker_corpus or worker_model) and not (workers or scheduler):
        raise ConfigError("--worker-corpus / --worker-model need --workers or --scheduler")
    if jobs and (workers or scheduler):
        raise ConfigError("--jobs sets the processes of a scan on this machine; with --workers / --scheduler the "
                          "Dask workers score: give one of them")
    from ..config import ScanConfig, load_profile
    from ..report import MATCH_COLUMNS_READ

    progress = make_progress(quiet)
    config = ScanConfig(
        listings=list(listings),
        corpus=corpus,
        model=model,
        profile=load_profile(config_path),
        encoding=encoding,
        column_map=parse_map(mappings),
        out=out,
        csv=csv_path,
        json=json_path,
        history=history_dir,
        use_history=not no_history,
        previous=list(previous),
        watchlist=watchlist,
        quiet=quiet,
        allow_empty_corpus=allow_empty_corpus,
        csv_safe=csv_safe,
        workers=0 if scheduler else (workers or 0),
        scheduler=scheduler,
        partition_rows=partition_rows,
        jobs=jobs,
        worker_corpus=worker_corpus,
        worker_model=worker_model,
        match_columns=MATCH_COLUMNS_READ,  # the matches' columns the report reads: half the memory of all
        evidence_only=True,  # and the rows it reads: at a million marks, 6 % of them
    )
    result = run_scan(config, progress=progress)
    c = result.counts
    progress.info(result.read_line())
    progress.info(
        f"rows read {c['rows_read']} = scanned {c['rows_scanned']} + rejected {c['rows_rejected']}"
        + (f" (+ {c['rows_folded']} folded)" if c["rows_folded"] else "")
        + f"; high {c['high']}, medium {c['medium']}, low {c['low']}"
    )
    progress.info(f"report: {out}")
    _history_summary(result, progress, out, config_path)


def _history_summary(result, progress, out, config_path: Path | None = None) -> None:
    from ..history.profile_edit import toml_lines

    hist = result.history
    new = int(result.results["is_new"].astype(bool).sum())
    if hist is not None and hist.scan_id:
        prev = hist.previous_scan
        since = f"since scan #{prev.id}" if prev else "(first scan of this seller)"
        progress.info(f"history: scan #{hist.scan_id} recorded in {hist.path}; {new} new risky listing(s) {since}")
    kept = int(result.followup["kept"].sum()) if result.followup is not None else 0
    if kept:
        progress.info(f"{kept} listing(s) you decided to keep are on the Kept sheet")
    marks = list(hist.authorized_marks) if hist is not None else []
    if marks:
        progress.info(f"You marked listings 'authorized' for: {', '.join(marks)}. To stop flagging these marks, "
                      "add them to your seller profile:")
        progress.info(toml_lines(marks))
        progress.info(f"or run: scanner decisions import {shlex.quote(str(hist.previous_report or out))} "
                      f"--update-profile {shlex.quote(str(config_path or 'seller.toml'))}")
