"""``scanner history``, ``scanner diff`` and ``scanner decisions import``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..preflight import check_workbook

history_dir_option = click.option(
    "--history", "history_dir", type=click.Path(file_okay=False, path_type=Path),
    help="The scan history directory (default: $XDG_DATA_HOME/scanner or ~/.local/share/scanner).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table (for scripts).")


def _short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


@click.command()
@history_dir_option
@json_option
@click.option("--limit", "-n", type=click.IntRange(min=1), help="Show only the newest N scans.")
def history(history_dir: Path | None, as_json: bool, limit: int | None) -> None:
    """List the scans recorded in the scan history, newest first.

    Each line shows the scan id (for `scanner diff`), the date, the seller and marketplace, and the
    listings per risk level with how many were new.
    """
    from ..history.store import HistoryStore

    with HistoryStore(history_dir, create=False) as store:
        scans = store.scans(limit=limit)
    if as_json:
        click.echo(json.dumps(scans, ensure_ascii=False, indent=1, default=str))
        return
    if not scans:
        click.echo("no scans recorded yet")
        return
    click.echo(f"{'id':>5}  {'date':<25}  {'seller':<18} {'mkt':<4} {'high':>6} {'medium':>7} {'low':>7} "
               f"{'new':>5} {'kept':>5}  corpus")
    for s in scans:
        c = s["counts"] or {}
        click.echo(f"{s['id']:>5}  {s['started']:<25}  {_short(s['seller'] or '-', 18):<18} {s['marketplace']:<4} "
                   f"{c.get('high', 0):>6} {c.get('medium', 0):>7} {c.get('low', 0):>7} {c.get('new', 0):>5} "
                   f"{c.get('kept', 0):>5}  {s['corpus_name']} {s['corpus_hash'][:8]}")


def _print_section(title: str, rows: list[dict[str, Any]]) -> None:
    click.echo(f"\n{title} ({len(rows)})")
    for r in rows:
        click.echo(f"  {_short(r['sku'], 20):<20} {r['asin'] or '':<10}  {_short(r['what'], 30):<30}  "
                   f"{_short(r['marks'].replace(';', ', '), 20):<20}  {_short(r['title'], 60)}")


@click.command()
@click.argument("scan_a")
@click.argument("scan_b")
@history_dir_option
@json_option
def diff(scan_a: str, scan_b: str, history_dir: Path | None, as_json: bool) -> None:
    """Compare two recorded scans: SCAN_A (before) and SCAN_B (after).

    SCAN_A and SCAN_B are scan ids from `scanner history`, or `last` and `previous` (the scan before the
    last one of the same seller). Shows the newly risky listings, the resolved ones and the ones whose
    risk level or text changed.
    """
    from ..history import HistoryStore, diff_scans

    with HistoryStore(history_dir, create=False) as store:
        a, b = store.resolve(scan_a), store.resolve(scan_b)
        result = diff_scans(store, a, b)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1, default=str))
        return
    sa, sb = result["scan_a"], result["scan_b"]
    click.echo(f"scan #{sa['id']} ({sa['started']}) -> scan #{sb['id']} ({sb['started']})")
    _print_section("newly risky", result["newly_risky"])
    _print_section("resolved", result["resolved"])
    _print_section("changed", result["changed"])


@click.group()
def decisions() -> None:
    """Carry the decisions you made in a report (pull, edit, keep, authorized) into the next scans."""


@decisions.command("import")
@click.argument("reports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@history_dir_option
@click.option("--update-profile", "profile", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Add the marks of listings you marked 'authorized' to authorized_brands in this seller.toml "
                   "(the rest of the file is kept as it is; a .bak copy is written).")
def import_(reports: tuple[Path, ...], history_dir: Path | None, profile: Path | None) -> None:
    """Read the Decision column of REPORTS (reports written by `scanner scan` and filled in by you) and
    record the decisions in the scan history, so that the next scan applies them.

    Decisions are read from the High risk, Review, Kept and All listings sheets, matched by SKU; empty cells
    are ignored and invalid values are listed with their sheet and row.
    """
    from ..history import import_decisions

    for report in reports:
        check_workbook(report, "report file")
    summary = import_decisions(list(reports), history=history_dir, update_profile=profile)
    for problem in summary.problems:
        click.echo(f"warning: {problem}", err=True)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(summary.counts.items())) or "none"
    click.echo(f"decisions read: {counts}; {summary.recorded} new or changed recorded in {summary.history_path}")
    if summary.problems:
        click.echo(f"{len(summary.problems)} warning(s), see above", err=True)
    _authorized_hint(summary.authorized_marks, summary.profile_added, profile, reports[-1])


def _authorized_hint(marks: list[str], added: list[str], profile: Path | None, report: Path) -> None:
    if profile is not None:
        if added:
            click.echo(f"added to authorized_brands in {profile}: {', '.join(added)}")
        elif marks:
            click.echo(f"{profile} already lists {', '.join(marks)}")
        return
    if marks:
        from ..history.profile_edit import toml_lines

        click.echo(f"You marked listings 'authorized' for: {', '.join(marks)}. To stop flagging these marks, add "
                   "them to your seller profile:")
        click.echo(toml_lines(marks))
        click.echo(f"or run: scanner decisions import {report} --update-profile seller.toml")
