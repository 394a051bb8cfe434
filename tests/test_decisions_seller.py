"""The seller a report's decisions are filed under: a profile name with stray spaces files and finds them
under the same name; a report that lost its hidden _scanner sheet (which names its seller) is refused by
`decisions import` and warned about by --previous; --previous with a report of another marketplace says
truly how many of its decisions are applied."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from scanner.cli import cli
from scanner.config import SellerProfile, load_profile
from scanner.errors import InputError
from scanner.history import HistoryStore, import_decisions
from scanner.history.store import Decision
from tests.test_decisions_headers import first_sku, scan_and_report, set_value


def test_the_profile_name_is_trimmed(tmp_path):
    path = tmp_path / "seller.toml"
    path.write_text('[seller]\nname = "  Acme Trading \\t"\n', encoding="utf-8")
    assert load_profile(path).name == "Acme Trading"
    assert SellerProfile(name=" Acme Trading ").name == "Acme Trading"


def test_decisions_of_a_profile_named_with_a_trailing_space_are_applied(tmp_path):
    hist = tmp_path / "h"
    toml = tmp_path / "seller.toml"
    toml.write_text('[seller]\nname = "Acme Trading "\nmarketplace = "US"\n', encoding="utf-8")
    _applied, r1 = scan_and_report(tmp_path, "r1.xlsx", history=hist, profile=load_profile(toml))
    sku = first_sku(r1)
    set_value(r1, "High risk", sku, "Decision", "keep")
    summary = import_decisions([r1], history=hist)
    assert summary.recorded == 1 and summary.problems == []
    week2, _r2 = scan_and_report(tmp_path, "r2.xlsx", history=hist, profile=load_profile(toml))
    row = week2.results.index[week2.results["sku"] == sku][0]
    assert week2.followup.loc[row, "kept"], week2.followup.loc[row, "note"]


def test_a_history_written_under_a_padded_name_is_found_by_the_trimmed_one(tmp_path):
    with HistoryStore(tmp_path) as store, store.transaction():  # what an older scanner recorded
        store.add_decisions("Acme Trading ", [("US", "A1", Decision("keep", "h" * 16, "2026-01-05"))])
        store.conn.execute("INSERT INTO scans (seller, marketplace, started, finished, recorded) "
                           "VALUES ('Acme Trading ', 'US', 's', 'f', 'r')")
    with HistoryStore(tmp_path) as store:
        assert store.decisions("Acme Trading")[("US", "A1")].decision == "keep"
        assert store.previous_scan("Acme Trading", "US") is not None


def _without_meta_sheet(tmp_path, *, history=None):
    _applied, path = scan_and_report(tmp_path, "r1.xlsx", history=history)
    sku = first_sku(path)
    set_value(path, "High risk", sku, "Decision", "keep")
    wb = load_workbook(path)
    del wb["_scanner"]
    wb.save(path)
    return path, sku


def test_decisions_import_refuses_a_report_that_does_not_name_its_seller(tmp_path):
    path, _sku = _without_meta_sheet(tmp_path)
    with pytest.raises(InputError, match="_scanner"):
        import_decisions([path], history=tmp_path / "h")
    with HistoryStore(tmp_path / "h") as store:
        assert store.conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0
    out = CliRunner().invoke(cli, ["decisions", "import", str(path), "--history", str(tmp_path / "h")])
    assert out.exit_code == 1 and "r1.xlsx" in out.output and "--previous" in out.output
    assert len(out.output.strip().splitlines()) == 1


def test_previous_applies_a_report_that_does_not_name_its_seller_with_a_warning(tmp_path):
    path, sku = _without_meta_sheet(tmp_path)
    week2, _ = scan_and_report(tmp_path, "r2.xlsx", history=tmp_path / "h", previous=(path,))
    row = week2.results.index[week2.results["sku"] == sku][0]
    assert week2.followup.loc[row, "kept"]
    warning = [w for w in week2.history.warnings if "r1.xlsx" in w]
    assert len(warning) == 1 and "does not say which seller" in warning[0]
    assert "1 decision" in warning[0] and "applied to 'Acme Trading' (US)" in warning[0]


def test_previous_of_another_marketplace_does_not_claim_its_decisions_are_applied(tmp_path):
    _applied, r1 = scan_and_report(tmp_path, "r1.xlsx")
    sku = first_sku(r1)
    set_value(r1, "High risk", sku, "Decision", "pull")
    week2, _ = scan_and_report(tmp_path, "r2.xlsx", marketplace="UK", previous=(r1,))
    assert not week2.results["decision"].astype(bool).any()  # keys (US, sku) never match (UK, sku)
    warning = [w for w in week2.history.warnings if "r1.xlsx" in w]
    assert len(warning) == 1, week2.history.warnings
    assert "anyway" not in warning[0] and "none of its 1 decision" in warning[0] and "US" in warning[0]


def test_previous_of_another_seller_name_says_its_decisions_are_applied(tmp_path):
    _applied, r1 = scan_and_report(tmp_path, "r1.xlsx", profile=SellerProfile(name="Acme"))
    sku = first_sku(r1)
    set_value(r1, "High risk", sku, "Decision", "pull")
    week2, _ = scan_and_report(tmp_path, "r2.xlsx", previous=(r1,))
    assert week2.results.loc[week2.results["sku"] == sku, "decision"].tolist() == ["pull"]
    warning = [w for w in week2.history.warnings if "r1.xlsx" in w]
    assert len(warning) == 1 and "made for seller 'Acme' (US)" in warning[0]
    assert "its 1 decision(s) are applied to 'Acme Trading' (US)" in warning[0]
