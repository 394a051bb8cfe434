"""A decision carried over from the history is pre-filled on a risk sheet and on All listings; the seller
changes it on one of them. The changed value is the new decision, whichever sheet it was made on, without a
conflict warning; two new different values stay a conflict."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from scanner.history import HistoryStore, import_decisions, read_decisions
from tests.test_decisions_headers import first_sku, scan_and_report, set_value


def _decision_on(path, sheet, sku):
    ws = load_workbook(path, read_only=True)[sheet]
    rows = ws.iter_rows(values_only=True)
    h = list(next(rows))
    return next(r[h.index("Decision")] for r in rows if r[h.index("SKU")] == sku)


@pytest.fixture
def week2(tmp_path):
    """Week 1: 'pull' on High risk, imported; week 2's report pre-fills it on High risk and All listings."""
    hist = tmp_path / "h"
    _applied, r1 = scan_and_report(tmp_path, "r1.xlsx", history=hist)
    sku = first_sku(r1)
    set_value(r1, "High risk", sku, "Decision", "pull")
    assert import_decisions([r1], history=hist).recorded == 1
    _applied, r2 = scan_and_report(tmp_path, "r2.xlsx", history=hist)
    assert _decision_on(r2, "High risk", sku) == "pull" and _decision_on(r2, "All listings", sku) == "pull"
    return hist, r2, sku


@pytest.mark.parametrize("sheet,other", [("High risk", "All listings"), ("All listings", "High risk")])
def test_a_carried_decision_changed_on_one_sheet_is_the_new_decision(week2, sheet, other):
    hist, r2, sku = week2
    set_value(r2, sheet, sku, "Decision", "edit")
    summary = import_decisions([r2], history=hist)
    assert summary.problems == [] and summary.recorded == 1
    with HistoryStore(hist) as store:
        assert store.decisions("Acme Trading")[("US", sku)].decision == "edit"
    # two new values, neither the pre-filled one: still a conflict, the first sheet's value wins
    set_value(r2, other, sku, "Decision", "keep")
    summary = import_decisions([r2], history=hist)
    assert len(summary.problems) == 1 and "'All listings'" in summary.problems[0], summary.problems
    first, second = ("edit", "keep") if sheet == "High risk" else ("keep", "edit")
    assert f"is {second!r} here but {first!r} on sheet 'High risk'" in summary.problems[0]
    with HistoryStore(hist) as store:
        assert store.decisions("Acme Trading")[("US", sku)].decision == first


def test_previous_with_the_history_takes_the_changed_value(week2, tmp_path):
    hist, r2, sku = week2
    set_value(r2, "All listings", sku, "Decision", "edit")
    rep = read_decisions(r2)  # alone, nothing tells which value was pre-filled: the first sheet wins, warned
    assert rep.decisions[("US", sku)].decision == "pull" and "kept 'pull'" in rep.problems[0]
    week3, _ = scan_and_report(tmp_path, "r3.xlsx", history=hist, previous=(r2,))
    assert week3.results.loc[week3.results["sku"] == sku, "decision"].tolist() == ["edit"]
    assert not [w for w in week3.history.warnings if sku in w]
