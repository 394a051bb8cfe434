"""The report says what to do: Action and Meaning columns, order, filter, print layout, file mode."""

from __future__ import annotations

import os
import stat

import pytest
from openpyxl import load_workbook

from scanner.report import write_csv, write_excel
from scanner.report.excel import LEVEL_MEANING, RISK_COLUMNS, RISK_PRINT_COLUMNS, row_height
from scanner.report.synthetic import synthetic_scan_result


def _header(ws):
    return [c.value for c in ws[1]]


@pytest.fixture(scope="module")
def long_reasons(tmp_path_factory):
    """A report whose screen-only Reasons are very long (they must not size the printed rows)."""
    result = synthetic_scan_result(60, seed=7)
    result.results["reasons"] = "a very long reason that only the screen shows. " * 40
    path = tmp_path_factory.mktemp("rep") / "report.xlsx"
    write_excel(result, path)
    return result, load_workbook(path)


def test_action_meaning_and_filter(long_reasons):
    result, wb = long_reasons
    for name, level in (("High risk", "high"), ("Review", "medium")):
        ws = wb[name]
        header = _header(ws)
        assert header[:RISK_PRINT_COLUMNS] == ["#", "Action", "New", "SKU", "Title", "Score", "Meaning", "Marks",
                                               "Suggested fix", "Since last scan", "Decision", "Notes"]
        a, m = header.index("Action") + 1, header.index("Meaning") + 1
        by_sku = dict(zip(result.results["sku"], result.results["action"], strict=True))
        for r in range(2, ws.max_row + 1):
            sku = ws.cell(r, header.index("SKU") + 1).value
            assert (ws.cell(r, a).value or "") == by_sku[sku]
            assert ws.cell(r, m).value == LEVEL_MEANING[level]
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}{ws.max_row}"
    all_ws = wb["All listings"]
    assert _header(all_ws)[list(result.results.columns).index("action")] == "Action"
    assert _header(all_ws)[len(result.results.columns) - 1] == "Register records"


def test_print_layout_uses_the_printed_columns(long_reasons):
    _, wb = long_reasons
    ws = wb["High risk"]
    assert ws.print_area is not None and f"$A$1:${ws.cell(1, RISK_PRINT_COLUMNS).column_letter}$" in ws.print_area
    assert ws.print_title_rows in ("1:1", "$1:$1")
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    header = _header(ws)
    widths = {c.header: c.width for c in RISK_COLUMNS}
    printed = [c.header for c in RISK_COLUMNS[:RISK_PRINT_COLUMNS]]
    for r in range(2, ws.max_row + 1):
        cells = []
        for h in printed:
            v = ws.cell(r, header.index(h) + 1).value
            cells.append((str(v) if v is not None and h not in ("#", "Score") else "", widths[h]))
        expected = row_height(cells)
        got = ws.row_dimensions[r].height
        assert got == expected, (r, got, expected)
        assert got is None or got < 200  # the 2,000-character Reasons did not stretch the row


def test_workbook_mode_follows_the_umask_like_the_csv(tmp_path):
    result = synthetic_scan_result(20, seed=1)
    old = os.umask(0o027)
    try:
        write_excel(result, tmp_path / "r.xlsx")
        write_csv(result, tmp_path / "r.csv")
    finally:
        os.umask(old)
    xlsx_mode = stat.S_IMODE(os.stat(tmp_path / "r.xlsx").st_mode)
    assert xlsx_mode == 0o640 == stat.S_IMODE(os.stat(tmp_path / "r.csv").st_mode)
    os.chmod(tmp_path / "r.xlsx", 0o604)  # an existing report keeps its mode, as open(..., "w") does
    write_excel(result, tmp_path / "r.xlsx")
    assert stat.S_IMODE(os.stat(tmp_path / "r.xlsx").st_mode) == 0o604
    old = os.umask(0o002)
    try:
        write_excel(result, tmp_path / "g.xlsx")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "g.xlsx").st_mode) == 0o664


def test_scores_show_three_decimals(long_reasons):
    _, wb = long_reasons
    for name in ("High risk", "Review", "All listings"):
        ws = wb[name]
        col = _header(ws).index("Score") + 1
        assert ws.cell(2, col).number_format == "0.000"
