"""A report whose hidden Text hash column was deleted: a decision takes the text hash of its listing from
another sheet of the report or from the history's record of the report's scan; when neither knows it the
sheet is warned about, such a decision never replaces a checked one, and a scan says the truth about it
(never a false "text changed")."""

from __future__ import annotations

from openpyxl import load_workbook

from scanner.history import HistoryStore, import_decisions, read_decisions
from tests.test_decisions_headers import delete_column, first_sku, scan_and_report, set_value

ALL_SHEETS = ("High risk", "Review", "Kept", "All listings")


def _hash_on_all_listings(path, sku):
    ws = load_workbook(path, read_only=True)["All listings"]
    rows = ws.iter_rows(values_only=True)
    h = list(next(rows))
    return next(r[h.index("Text hash")] for r in rows if r[h.index("SKU")] == sku)


def _kept_row(result, sku):
    row = result.results.index[result.results["sku"] == sku][0]
    return bool(result.followup.loc[row, "kept"]), str(result.followup.loc[row, "note"])


def test_a_sheet_without_text_hash_takes_it_from_all_listings(tmp_path):
    _applied, path = scan_and_report(tmp_path, "r1.xlsx")
    sku = first_sku(path)
    set_value(path, "High risk", sku, "Decision", "keep")
    expected = _hash_on_all_listings(path, sku)
    delete_column(path, ("High risk",), "Text hash")
    rep = read_decisions(path)
    assert rep.decisions[("US", sku)].text_hash == expected and len(expected) == 16
    assert rep.problems == []


def test_without_any_text_hash_column_the_history_of_the_scan_gives_it(tmp_path):
    hist = tmp_path / "h"
    _applied, path = scan_and_report(tmp_path, "r1.xlsx", history=hist)
    sku = first_sku(path)
    set_value(path, "High risk", sku, "Decision", "keep")
    expected = _hash_on_all_listings(path, sku)
    delete_column(path, ALL_SHEETS, "Text hash")
    summary = import_decisions([path], history=hist)
    assert summary.problems == [] and summary.recorded == 1
    with HistoryStore(hist) as store:
        assert store.decisions("Acme Trading")[("US", sku)].text_hash == expected
    week2, _ = scan_and_report(tmp_path, "r2.xlsx", history=hist)
    assert _kept_row(week2, sku)[0]


def test_a_decision_without_a_text_hash_is_warned_about_and_replaces_no_checked_one(tmp_path):
    hist = tmp_path / "h"
    _applied, path = scan_and_report(tmp_path, "r1.xlsx")  # --no-history: the history never saw this scan
    sku = first_sku(path)
    set_value(path, "High risk", sku, "Decision", "keep")
    assert import_decisions([path], history=hist).recorded == 1  # with its text hash
    delete_column(path, ALL_SHEETS, "Text hash")
    summary = import_decisions([path], history=hist)
    warned = [p for p in summary.problems if "sheet 'High risk'" in p and "cannot be checked against text changes" in p]
    assert len(warned) == 1 and "1 decision" in warned[0], summary.problems
    assert summary.recorded == 0  # the same 'keep' without a hash does not replace the checked one
    week2, _ = scan_and_report(tmp_path, "r2.xlsx", history=hist)
    assert _kept_row(week2, sku)[0]


def test_a_keep_without_a_text_hash_is_not_called_a_text_change(tmp_path):
    _applied, path = scan_and_report(tmp_path, "r1.xlsx")
    sku = first_sku(path)
    set_value(path, "High risk", sku, "Decision", "keep")
    delete_column(path, ALL_SHEETS, "Text hash")
    week2, _ = scan_and_report(tmp_path, "r2.xlsx", previous=(path,))
    kept, note = _kept_row(week2, sku)
    assert not kept and "text changed since" not in note and "Text hash" in note and "decide again" in note
    assert any("cannot be checked against text changes" in w for w in week2.history.warnings)
