"""``scanner notices`` (import / labels / watchlist): complaint notices -> complaints, labels, watch list."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError
from ..notices.types import DEFAULT_TYPES, TYPE_CHOICES
from ..preflight import check_outputs
from .common import make_progress, quiet_option
from .scan import parse_map

_LIST_LIMIT = 20  # files or complaints listed on stderr before "... and N more"


def _list(progress, title: str, items: list[str]) -> None:
    if not items:
        return
    progress.info(title)
    for item in items[:_LIST_LIMIT]:
        progress.info(f"  {item}")
    if len(items) > _LIST_LIMIT:
        progress.info(f"  ... and {len(items) - _LIST_LIMIT} more")


def _nothing_read(result, errors: list[str], skipped: int) -> str:
    """The one error line when no complaint was read: each file read and why it gave none (the first few),
    each path that gave no file (not found, a folder without notice files), the files skipped."""
    from ..notices.importer import NO_NOTICE_FILES

    parts = []
    if result.files_read:
        shown = "; ".join(errors[:3]) + (f"; ... and {len(errors) - 3} more" if len(errors) > 3 else "")
        parts.append(f"no complaint could be read from {result.files_read} file(s) ({shown})")
    for r in result.not_read.itertuples():
        parts.append(f"{r.source_file} holds no .txt, .eml, .html or .htm files" if r.reason == NO_NOTICE_FILES
                     else f"{r.source_file}: {r.reason}")
    if skipped:
        parts.append(f"{skipped} file(s) of other types skipped")
    return "; ".join(parts) or "no complaint could be read: no file given"


@click.group()
def notices() -> None:
    """Turn Amazon IP complaint notices into data: a complaints table, training labels and a watch list.

    Start with `scanner notices import NOTICES... --out notices.csv`, then `scanner notices labels` and
    `scanner notices watchlist`.
    """


@notices.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The complaints table to write (notices.csv): one row per ASIN and complaint.")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write every file that gave no complaint, was skipped or needed a note, with the "
                   "reason (errors.csv).")
@quiet_option
def import_cmd(files, out, errors_path, quiet):
    """Read saved Amazon IP complaint notices (FILES...: .txt, .eml, .html, or folders of them).

    Rights-owner complaints (trademark, copyright, patent, counterfeit) and Amazon's suspected-IP notices
    are read; the same complaint saved twice is merged. A file that gives no complaint is listed and
    counted, never fatal. Exit code 1 when no complaint could be read at all.
    """
    from ..notices import import_notices, write_table

    check_outputs({"--out": out, "--errors": errors_path}, [f for f in files if f.is_file()], suffixes={})
    progress = make_progress(quiet)
    result = import_notices(files, progress=progress)
    if errors_path is not None:
        write_table(result.issues, errors_path)
    not_read = [f"{r.source_file}: {r.reason}" for r in result.not_read.itertuples()]
    errors = [f"{r.source_file}: {r.reason}" for r in result.errors.itertuples()
              if r.Index not in result.not_read.index]
    skipped = [f"{r.source_file}: {r.reason}" for r in result.skipped.itertuples()]
    _list(progress, f"{len(errors)} file(s) gave no complaint:", errors)
    _list(progress, f"{len(not_read)} path(s) gave no file to read:", not_read)
    _list(progress, f"{len(skipped)} file(s) skipped:", skipped)
    if result.notices.empty:
        raise InputError(_nothing_read(result, errors, len(skipped)))
    write_table(result.notices, out)
    progress.info(
        f"files read {result.files_read}: {len(result.notices)} complaint row(s) from "
        f"{result.files_with_notices} file(s), {result.duplicates_merged} duplicate(s) merged, "
        f"{len(errors)} file(s) without a complaint, {len(skipped)} skipped"
        + (f", {len(not_read)} path(s) with no file to read" if not_read else "")
    )
    progress.info(f"complaints: {out}")


@notices.command("labels")
@click.argument("notices_csv", type=click.Path(path_type=Path))
@click.argument("listings", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The labels file to write (labels.csv: sku,label,asin,usage,marks,owners,note,complaint_id).")
@click.option("--encoding", help="Read the listing files with this encoding instead of detecting it "
                                 "(e.g. cp1252, utf-8, cp932, utf-16).")
@click.option("--map", "mappings", multiple=True, metavar="FIELD=COLUMN",
              help="Read FIELD from the listing column headed COLUMN (repeatable), e.g. --map sku=Handle.")
@click.option("--negatives", is_flag=True,
              help="Also label every listing without a complaint 0 (low). Off by default: no complaint is not "
                   "proof of no risk.")
@click.option("--types", "types", default=",".join(DEFAULT_TYPES), show_default=True,
              help=f"Complaint types that become labels, comma-separated, from {', '.join(TYPE_CHOICES)} "
                   "or all.")
@click.option("--unmatched", "unmatched_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the complaints that matched no listing (unmatched.csv).")
@quiet_option
def labels_cmd(notices_csv, listings, out, encoding, mappings, negatives, types, unmatched_path, quiet):
    """Make training labels from complaints (NOTICES_CSV) and the seller's listing exports (LISTINGS...).

    Each complaint is joined to the listings by ASIN, then by SKU when the notice names one, then by the
    exact title (case and spacing aside) as a last resort. A complained-about listing is labelled 2
    (high). The labels file feeds `scanner train`.
    """
    from ..notices import make_labels, parse_types, write_table

    check_outputs({"--out": out, "--unmatched": unmatched_path}, [notices_csv, *listings], suffixes={})
    progress = make_progress(quiet)
    result = make_labels(notices_csv, listings, encoding=encoding, column_map=parse_map(mappings),
                         negatives=negatives, types=parse_types(types), progress=progress)
    c = result.counts
    if unmatched_path is not None:
        write_table(result.unmatched, unmatched_path)
    _list(progress, f"{c['unmatched']} complaint(s) matched no listing:",
          [f"{r.asin} {r.complaint_id or ''} ({r.source_file})".replace("  ", " ") for r in result.unmatched.itertuples()])
    if result.labels.empty:
        raise InputError(f"no label made: none of the {c['complaints']} complaint(s) matched a listing with a SKU "
                         f"({c['unmatched']} unmatched, {c['excluded_type']} of other types)", path=notices_csv)
    write_table(result.labels, out)
    progress.info(
        f"complaints {c['complaints']}: matched {c['matched']} (ASIN {c['matched_by_asin']}, SKU "
        f"{c['matched_by_sku']}, title {c['matched_by_title']}), unmatched {c['unmatched']}, other types "
        f"{c['excluded_type']}; labels: high {c['high']}, low {c['low']}"
        + (f"; {c['matched_without_sku']} matched listing(s) have no SKU" if c["matched_without_sku"] else "")
        + (f"; {c['listing_rows_rejected']} listing row(s) rejected" if c.get("listing_rows_rejected") else "")
    )
    progress.info(f"labels: {out}")


@notices.command("watchlist")
@click.argument("notices_csv", type=click.Path(path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The watch list to write (watchlist.csv): trademark CSV columns plus complaints, "
                   "first_notice, last_notice, asins.")
@quiet_option
def watchlist_cmd(notices_csv, out, quiet):
    """Write the marks and rights owners named in complaints (NOTICES_CSV) as a watch list.

    The watch list is a trademark CSV (source = notice) with the number of complaints, the first and last
    notice dates and the ASINs concerned: an owner who complained once enforces.
    """
    from ..notices import build_watchlist, complaints_without_mark, read_notices, write_table

    check_outputs({"--out": out}, [notices_csv], suffixes={})
    progress = make_progress(quiet)
    notices_df = read_notices(notices_csv).drop(columns=["_row"])
    watch = build_watchlist(notices_df)
    without = complaints_without_mark(notices_df)
    if watch.empty:
        raise InputError(f"no watch list made: none of the {len(notices_df)} complaint(s) names a trademark "
                         "or, for a counterfeit complaint, a rights owner", path=notices_csv)
    write_table(watch, out)
    by_owner = int(watch["source"].str.contains("naming no mark", regex=False).sum())
    progress.info(f"marks {len(watch)} from {len(notices_df) - without} complaint row(s); "
                  f"{without} complaint row(s) name no mark"
                  + (f" ({by_owner} counterfeit complaint owner(s) listed under their own name)" if by_owner else ""))
    progress.info(f"watch list: {out}")
