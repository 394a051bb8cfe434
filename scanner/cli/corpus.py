"""``scanner corpus`` (build / update / export / info): compile trademark sources into a corpus and inspect it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..errors import ConfigError
from ..preflight import check_output_folder, check_outputs, same_file
from .common import make_progress, quiet_option


@click.group()
def corpus() -> None:
    """Build, export and inspect trademark corpora.

    A corpus is a folder compiled from USPTO bulk files (Trademark Full Text XML daily/annual zips, the
    Case Files Dataset CSVs) and trademark CSVs; `scanner scan --corpus FOLDER` uses it.
    """


@corpus.command("build")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The corpus folder to write (refused if it exists and is not empty, unless --force).")
@click.option("--force", is_flag=True, help="Replace an existing corpus folder at --out.")
@click.option("--workers", "--jobs", "-j", "jobs", type=click.IntRange(min=1), default=None,
              help="Import this many sources at once on a local Dask cluster of that many worker processes "
                   "(e.g. the backfile zips; --jobs is the older name). A large USPTO XML file imported alone "
                   "is parsed by this many processes (default: one per core, at most 4; 1: one process only).")
@click.option("--name", help="A name for the corpus, shown by `scanner corpus info` (default: the folder name).")
@click.option("--status", "statuses", multiple=True,
              type=click.Choice(["live", "pending", "dead", "unknown"], case_sensitive=False),
              help="Keep only marks of this status (repeatable), e.g. --status live --status pending for a "
                   "smaller corpus; default: all.")
@quiet_option
def build(sources, out, force, jobs, name, statuses, quiet):
    """Compile trademark SOURCES... into the corpus folder --out.

    SOURCES may mix USPTO Trademark Full Text XML files (.zip or .xml; daily apcYYMMDD.zip or annual
    backfile zips), a folder of them, a Case Files Dataset folder (case_file.csv, owner.csv,
    intl_class.csv, statement.csv), trademark CSVs and compiled corpora. Records of the same serial
    number are reduced to the newest (latest transaction date, then the later file).
    """
    from ..arrow_memory import prefer_system_allocator

    prefer_system_allocator()  # before Arrow is used: a lower peak for the same corpus (scanner.arrow_memory)
    from ..corpus import compile_corpus
    from ..match.prepare import prepare_folder_index

    check_output_folder(out, "--out")
    for src in sources:
        if same_file(src, out) or out.resolve() in src.resolve().parents:
            raise ConfigError("--out is (or holds) one of the SOURCES: building there would destroy that source; "
                              "choose another --out folder", path=out)
    progress = make_progress(quiet)
    meta = compile_corpus(list(sources), out, force=force, jobs=jobs, name=name,
                          statuses=[s.lower() for s in statuses] or None, progress=progress)
    # the match index, prepared here so that scans find it ready (the corpus does not know who searches it)
    prepare_folder_index(out, progress)
    counts = meta["counts"]
    status = counts["status"]
    skipped = ", ".join(f"{k} {v}" for k, v in counts["skipped"].items()) or "none"
    progress.info(
        f"records read {counts['records_read']:,} = kept {counts['kept']:,} + skipped "
        f"{sum(counts['skipped'].values()):,} ({skipped}); live {status['live']:,}, pending "
        f"{status['pending']:,}, dead {status['dead']:,}, unknown {status['unknown']:,}"
    )
    progress.info(f"corpus: {out} (content hash {meta['content_hash']})")
    if counts["kept"] == 0:
        progress.warn("the corpus has no marks: `scanner scan` refuses it unless --allow-empty-corpus is given; "
                      "see the skipped records above")


@corpus.command("update")
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option("--api-key", envvar="USPTO_API_KEY", show_envvar=True,
              help="Your USPTO Open Data Portal API key (free: https://data.uspto.gov/apis/getting-started).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="First run (or --full): skip the annual backfile and apply only the daily files dated "
                   "on or after this date (YYYY-MM-DD), for a small recent corpus.")
@click.option("--full", is_flag=True,
              help="Rebuild from the annual backfile and every listed daily file (after the yearly backfile "
                   "is renewed), re-using the downloads already in DIR/downloads.")
@click.option("--status", "statuses", multiple=True,
              type=click.Choice(["live", "pending", "dead", "unknown"], case_sensitive=False),
              help="Keep only marks of this status (repeatable); fixed at the first run (change it with --full).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Import this many zips at once on a local Dask cluster of that many worker processes (the "
                   "backfile's ~80 zips). A large zip imported alone is parsed by this many processes "
                   "(default: one per core, at most 4; 1: one process only).")
@click.option("--prune", is_flag=True,
              help="Delete the downloaded zips once applied (saves ~15 GB after the first run; --full then "
                   "downloads them again).")
@click.option("--base-url", default=None, metavar="URL",
              help="The Open Data Portal's address (default https://api.uspto.gov).")
@quiet_option
def update(folder, api_key, since, full, statuses, jobs, prune, base_url, quiet):
    """Download the USPTO bulk trademark files into DIR and keep its corpus current.

    The first run downloads the annual backfile and this year's daily application files from the USPTO
    Open Data Portal into DIR/downloads and compiles DIR/corpus (scan with --corpus DIR/corpus); later runs
    apply only the daily files newer than the last one applied. Downloads resume; the corpus is replaced
    only when the new one is complete. Needs an API key (--api-key or USPTO_API_KEY).
    """
    from ..arrow_memory import prefer_system_allocator

    prefer_system_allocator()  # before Arrow is used: a lower peak for the same corpus (scanner.arrow_memory)
    from ..corpus.odp import DEFAULT_BASE_URL
    from ..corpus.update import update_corpus
    from ..match.prepare import prepare_folder_index

    progress = make_progress(quiet)
    # the match index is prepared in the new corpus folder before it replaces the old one
    result = update_corpus(folder, api_key=api_key, base_url=base_url or DEFAULT_BASE_URL,
                           since=since.date() if since else None, full=full,
                           statuses=[s.lower() for s in statuses] or None, jobs=jobs, prune=prune,
                           progress=progress, finish=prepare_folder_index)
    if result.up_to_date:
        return
    meta = result.meta or {}
    state = meta.get("update", {})
    last = state.get("last_daily") or {}
    n_daily = sum(1 for e in result.applied if e.get("product") != "TRTYRAP")
    progress.info(
        f"applied {len(result.applied)} file(s) ({len(result.applied) - n_daily} backfile, {n_daily} daily)"
        + (f"; newest daily {last.get('name')} ({last.get('date')})" if last else "")
        + f"; {meta.get('counts', {}).get('marks', 0):,} marks"
    )
    progress.info(f"corpus: {result.corpus_dir} (scan with --corpus {result.corpus_dir})")


@corpus.command("export")
@click.argument("corpus_dir", metavar="CORPUS", type=click.Path(exists=True, path_type=Path))
@click.option("--csv", "csv_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The trademark CSV to write (all statuses; fixed columns first, then the extra ones).")
@click.option("--force", is_flag=True, help="Replace the CSV file if it exists.")
@quiet_option
def export(corpus_dir, csv_path, force, quiet):
    """Write the marks of CORPUS (a corpus folder or a trademark CSV) as a trademark CSV."""
    from ..corpus import export_corpus

    check_outputs({"--csv": csv_path}, [corpus_dir], suffixes={"--csv": (".csv", ".txt")})
    progress = make_progress(quiet)
    n = export_corpus(corpus_dir, csv_path, force=force, progress=progress)
    progress.info(f"wrote {n:,} marks to {csv_path}")


@corpus.command("info")
@click.argument("corpus_dir", metavar="[CORPUS]", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Print as JSON (for scripts): corpus.json (or the CSV's counts) plus a 'breakdown' object.")
def info(corpus_dir, as_json):
    """Show what a corpus holds: sources, counts, build date and format, and marks per Nice class (all
    45), jurisdiction, status, kind and source (the sector, for the starter corpus).

    CORPUS is a corpus folder or a trademark CSV; without it, the starter corpus shipped with the scanner.
    """
    from ..corpus import corpus_breakdown, corpus_info, is_corpus_dir, load_corpus
    from ..corpus.breakdown import format_breakdown
    from ..corpus.office_counts import office_counts
    from ..progress import Progress
    from ..resources import starter_corpus_path

    path = corpus_dir or starter_corpus_path()
    if is_corpus_dir(path) or path.is_dir():
        meta = corpus_info(path)  # a folder that is not a corpus -> one-line CorpusError
        meta["offices"] = office_counts(path)
        counts = corpus_breakdown(path)
        text = format_info(meta, path)
    else:
        loaded = load_corpus(path, progress=Progress(quiet=True))
        meta = {k: v for k, v in loaded.info.items() if k != "issues"}
        counts = corpus_breakdown(corpus=loaded)
        text = format_csv_info(loaded.info, path)
    if as_json:
        click.echo(json.dumps({**meta, "breakdown": counts}, indent=2, ensure_ascii=False))
        return
    click.echo(text)
    click.echo("\n".join(format_breakdown(counts)))


def format_csv_info(info: dict[str, Any], path: Path) -> str:
    """The summary of a trademark CSV read as a corpus (no build metadata)."""
    lines = [
        f"corpus        {info.get('name', path.name)} (trademark CSV {path})",
        f"content hash  {info.get('content_hash', '?')}",
        *_count_lines(info.get("counts", {})),
    ]
    return "\n".join(lines)


def _count_lines(counts: dict[str, Any]) -> list[str]:
    """The marks (per status), records read and records skipped lines of ``scanner corpus info``."""
    status = counts.get("status", {})
    lines = [
        f"marks         {counts.get('marks', 0):,} (live {status.get('live', 0):,}, pending "
        f"{status.get('pending', 0):,}, dead {status.get('dead', 0):,}, unknown {status.get('unknown', 0):,})",
        f"records read  {counts.get('records_read', 0):,}",
    ]
    skipped = counts.get("skipped", {})
    if skipped:
        lines.append("skipped       " + ", ".join(f"{k} {v:,}" for k, v in skipped.items()))
    return lines


def format_info(meta: dict[str, Any], folder: Path) -> str:
    """The human-readable summary printed by ``scanner corpus info``."""
    from ..corpus.office_counts import format_office_counts

    counts = meta.get("counts", {})
    lines = [
        f"corpus        {meta.get('name', folder.name)} ({folder})",
        f"format        {meta.get('format')} v{meta.get('format_version')}, built {meta.get('build_date', '?')} "
        f"by scanner {meta.get('scanner_version', '?')}",
        f"content hash  {meta.get('content_hash', '?')}",
        *_count_lines(counts),
    ]
    flags = counts.get("flags", {})
    if flags:
        lines.append("flags         " + ", ".join(f"{k} {v:,}" for k, v in flags.items()))
    state = meta.get("update")
    if isinstance(state, dict):
        last = state.get("last_daily") or {}
        lines.append(f"updated       {state.get('last_run', '?')} by `scanner corpus update` from "
                     f"{state.get('portal', '?')}: {len(state.get('applied', []))} files applied"
                     + (f", newest daily {last.get('name')} ({last.get('date')})" if last else ""))
    lines.extend(format_office_counts(meta.get("offices")))
    lines.append(f"sources       {len(meta.get('sources', []))}")
    for src in meta.get("sources", []):
        files = src.get("files", [])
        size = sum(f.get("size", 0) for f in files)
        ident = files[0].get("sha256", "")[:12] if len(files) == 1 and "sha256" in files[0] else ""
        ident = f" sha256 {ident}" if ident else ""
        lines.append(f"  {src.get('name')} [{src.get('kind')}] {size:,} bytes{ident}: "
                     f"{src.get('records_read', 0):,} read, {src.get('records_imported', 0):,} imported")
    for note in meta.get("notes", []):
        lines.append(f"note: {note}")
    issues = meta.get("issues", [])
    if issues:
        from ..corpus.stats import format_issue

        lines.append(f"first problems ({len(issues)} kept in corpus.json):")
        lines.extend(f"  {format_issue(i)}" for i in issues[:10])
    return "\n".join(lines)
