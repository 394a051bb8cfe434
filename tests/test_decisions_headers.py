"""A report whose Decision or SKU header was renamed, moved down or deleted: the decisions are still read
where the column can be found, and a sheet whose decisions cannot be read is warned about by name (never
silently left out). Also the helpers the other test_decisions_* files use."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from scanner.cli import cli
from scanner.config import ScanConfig
from scanner.history import read_decisions
from scanner.history.apply import apply_history
from scanner.pipeline import write_outputs
from scanner.report.synthetic import synthetic_scan_result


def scan_and_report(tmp_path: Path, name: str, *, history: Path | None = None, profile=None, seed: int = 7,
                    marketplace: str = "US", previous: tuple[Path, ...] = ()):
    """A scan of the synthetic listings through the history stage, its report written to ``tmp_path/name``;
    ``history=None``: --no-history."""
    result = synthetic_scan_result(60, seed=seed, marketplace=marketplace)
    if profile is not None:
        result = dataclasses.replace(result, profile=profile)
    config = ScanConfig(listings=[], out=tmp_path / name, history=history, use_history=history is not None,
                        previous=list(previous))
    with apply_history(result, config) as applied:
        write_outputs(applied, config)
    return applied, tmp_path / name


def header(ws) -> list:
    return [c.value for c in ws[1]]


def set_value(path: Path, sheet: str, sku: str, column: str, value) -> None:
    """Type ``value`` into ``column`` of the row of ``sku`` on ``sheet`` (header on row 1) and save."""
    wb = load_workbook(path)
    ws = wb[sheet]
    h = header(ws)
    for row in ws.iter_rows(min_row=2):
        if row[h.index("SKU")].value == sku:
            row[h.index(column)].value = value
            break
    else:
        raise AssertionError(f"{sku} not on {sheet}")
    wb.save(path)


def first_sku(path: Path, sheet: str = "High risk") -> str:
    ws = load_workbook(path, read_only=True)[sheet]
    rows = ws.iter_rows(values_only=True)
    h = list(next(rows))
    return next(rows)[h.index("SKU")]


def delete_column(path: Path, sheets: tuple[str, ...], column: str) -> None:
    wb = load_workbook(path)
    for sheet in sheets:
        ws = wb[sheet]
        ws.delete_cols(header(ws).index(column) + 1)
    wb.save(path)


def _keep_first_high(tmp_path: Path) -> tuple[Path, str]:
    _applied, path = scan_and_report(tmp_path, "r.xlsx")
    sku = first_sku(path)
    set_value(path, "High risk", sku, "Decision", "keep")
    return path, sku


@pytest.mark.parametrize("renamed", ["Decision (pull/edit/keep)", "decisions", " DECISION: "])
def test_a_decision_header_with_words_added_is_still_read(tmp_path, renamed):
    path, sku = _keep_first_high(tmp_path)
    wb = load_workbook(path)
    ws = wb["High risk"]
    ws.cell(1, header(ws).index("Decision") + 1).value = renamed
    wb.save(path)
    rep = read_decisions(path)
    assert rep.decisions[("US", sku)].decision == "keep"
    assert rep.problems == []


def test_a_title_row_above_the_header_is_skipped_and_rows_keep_their_numbers(tmp_path):
    path, sku = _keep_first_high(tmp_path)
    wb = load_workbook(path)
    ws = wb["High risk"]
    ws.cell(3, header(ws).index("Decision") + 1).value = "maybe"
    ws.insert_rows(1)
    ws.cell(1, 1).value = "Week 2: decisions for the team"
    wb.save(path)
    rep = read_decisions(path)
    assert rep.decisions[("US", sku)].decision == "keep"
    assert len(rep.problems) == 1 and "sheet 'High risk' row 4: 'maybe' is not a decision" in rep.problems[0]


@pytest.mark.parametrize("damage,message", [
    ("rename", "sheet 'High risk' has no Decision column: its decisions are not read"),
    ("delete_sku", "sheet 'High risk' has no SKU column: its decisions are not read"),
])
def test_a_sheet_without_its_decision_or_sku_column_is_warned_about(tmp_path, damage, message):
    path, sku = _keep_first_high(tmp_path)
    if damage == "rename":
        wb = load_workbook(path)
        ws = wb["High risk"]
        ws.cell(1, header(ws).index("Decision") + 1).value = "Choice"
        wb.save(path)
    else:
        delete_column(path, ("High risk",), "SKU")
    rep = read_decisions(path)
    assert ("US", sku) not in rep.decisions
    assert [p for p in rep.problems if message in p and "r.xlsx" in p], rep.problems
    out = CliRunner().invoke(cli, ["decisions", "import", str(path), "--history", str(tmp_path / "h")])
    assert out.exit_code == 0 and message in out.output and "Traceback" not in out.output


def test_a_renamed_sheet_is_warned_about(tmp_path):
    path, sku = _keep_first_high(tmp_path)
    rep = read_decisions(path)
    assert rep.problems == [] and rep.decisions[("US", sku)].decision == "keep"  # untouched: no warning
    wb = load_workbook(path)
    wb["High risk"].title = "High risk (done)"
    wb.save(path)
    rep = read_decisions(path)
    assert rep.decisions == {}
    assert [p for p in rep.problems if "no sheet 'High risk'" in p and "not read" in p], rep.problems
