"""The scan history database, decisions import (invalid values, conflicts, --update-profile) and the CLI
commands around them."""

from __future__ import annotations

import sqlite3
import tomllib

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from scanner.cli import cli
from scanner.config import ScanConfig, load_profile
from scanner.errors import ConfigError, HistoryError, InputError
from scanner.history import HistoryStore, default_history_dir, read_decisions, update_authorized_brands
from scanner.history.decisions import normalise_decision
from scanner.history.keys import sku_key, text_hash
from scanner.history.store import SCHEMA_VERSION
from scanner.pipeline import write_outputs
from scanner.report import write_excel
from scanner.report.synthetic import synthetic_scan_result


def test_default_dir_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_history_dir() == tmp_path / "xdg" / "scanner"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_history_dir() == tmp_path / "home" / ".local" / "share" / "scanner"


def test_schema_wal_and_migrations(tmp_path):
    with HistoryStore(tmp_path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"schema_version", "scans", "scan_files", "listings", "decisions"} <= tables
    with HistoryStore(tmp_path) as store:  # reopening does not migrate again
        assert store.conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    con = sqlite3.connect(tmp_path / "history.sqlite3")
    con.execute("INSERT INTO schema_version VALUES (?, 'later')", (SCHEMA_VERSION + 1,))
    con.commit()
    con.close()
    with pytest.raises(HistoryError, match="newer scanner"):
        HistoryStore(tmp_path)


def test_not_a_database(tmp_path):
    (tmp_path / "history.sqlite3").write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(HistoryError, match="cannot open the scan history"):
        HistoryStore(tmp_path)


def test_failed_report_records_no_scan(tmp_path):
    from scanner.history.apply import apply_history

    result = synthetic_scan_result(20)
    blocked = tmp_path / "r.xlsx"
    blocked.mkdir()  # a folder where the report should go: the write fails
    config = ScanConfig(listings=[], out=blocked, history=tmp_path / "h")
    with pytest.raises(Exception, match="cannot write the report"), apply_history(result, config) as applied:
        write_outputs(applied, config)
    with HistoryStore(tmp_path / "h") as store:
        assert store.scans() == []


def test_history_stage_returns_a_new_result_with_a_typed_record(tmp_path):
    import dataclasses

    from scanner.history.apply import apply_history
    from scanner.scan_result import HistoryRecord, PreviousScan

    config = ScanConfig(listings=[], history=tmp_path / "h")
    first = synthetic_scan_result(40, seed=3)
    before = first.results.copy()
    with apply_history(first, config) as applied:
        pass
    assert applied is not first and first.history is None and first.followup is None
    pd.testing.assert_frame_equal(first.results, before)  # the input is left as it was
    assert isinstance(applied.history, HistoryRecord) and applied.history.scan_id == 1
    assert applied.history.previous_scan is None and applied.history.path == str(tmp_path / "h" / "history.sqlite3")
    risky = applied.results["risk_level"].isin(["high", "medium"])
    assert applied.results["is_new"].astype(bool).tolist() == risky.tolist()  # first scan: every risky one
    assert list(applied.followup.index) == list(applied.results.index)
    with pytest.raises(dataclasses.FrozenInstanceError):
        applied.history.scan_id = 5

    second = synthetic_scan_result(40, seed=3)
    second_before = second.results.copy()
    with apply_history(second, config) as again:
        pass
    assert again.history.scan_id == 2 and again.history.previous_scan == PreviousScan(1, first.started)
    assert not again.results["is_new"].astype(bool).any()  # same listings at the same levels: nothing new
    pd.testing.assert_frame_equal(second.results, second_before)


def test_keys_and_hash():
    assert sku_key(" S1 ") == "S1" and sku_key("", "b0x") == "asin:B0X" and sku_key("", "") == ""
    assert text_hash("a", "b") == text_hash("a ", "b") != text_hash("a", "c")
    assert text_hash("e\u0301") == text_hash("\u00e9")  # NFC


@pytest.mark.parametrize("raw,expected", [("pull", "pull"), (" Keep ", "keep"), ("EDIT", "edit"),
                                          ("Authorised", "authorized"), ("", ""), (None, ""), ("maybe", None),
                                          ("keep it", None)])
def test_normalise_decision(raw, expected):
    assert normalise_decision(raw) == expected


def _report_with_decisions(tmp_path, values):
    result = synthetic_scan_result(60, seed=7)
    path = tmp_path / "report.xlsx"
    write_excel(result, path)
    wb = load_workbook(path)
    placed = []
    for sheet, row, value in values:
        ws = wb[sheet]
        col = [c.value for c in ws[1]].index("Decision") + 1
        ws.cell(row, col).value = value
        placed.append(ws.cell(row, [c.value for c in ws[1]].index("SKU") + 1).value)
    wb.save(path)
    return result, path, placed


def test_read_decisions_invalid_and_conflicts(tmp_path):
    result, path, skus = _report_with_decisions(tmp_path, [
        ("High risk", 2, "Pull"), ("High risk", 3, "perhaps"), ("Review", 2, "authorized"),
        ("All listings", 2, "keep"),  # the first All listings row is the first High risk row: conflict
    ])
    rep = read_decisions(path)
    assert rep.seller == "Acme Trading" and rep.marketplace == "US"
    assert rep.decisions[("US", skus[0])].decision == "pull"
    assert rep.decisions[("US", skus[2])].decision == "authorized"
    assert rep.decisions[("US", skus[2])].marks  # the marks of the row, for the profile suggestion
    assert len(rep.decisions) == 2
    assert any("'High risk' row 3: 'perhaps' is not a decision" in p for p in rep.problems)
    assert any("'All listings' row 2" in p and "kept 'pull'" in p for p in rep.problems)
    h = rep.decisions[("US", skus[0])].text_hash
    ws = load_workbook(path)["High risk"]
    hash_col = [c.value for c in ws[1]].index("Text hash") + 1
    assert len(h) == 16 and h in {ws.cell(i, hash_col).value for i in range(2, 6)}


def test_read_decisions_not_a_report(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_text("no zip here")
    with pytest.raises(InputError, match="not an Excel workbook"):
        read_decisions(bad)
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["foo", "bar"])
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(InputError, match="not a scanner report"):
        read_decisions(tmp_path / "other.xlsx")


def test_decisions_import_cli(tmp_path):
    _result, path, skus = _report_with_decisions(tmp_path, [("High risk", 2, "keep"), ("Review", 2, "Bogus")])
    runner = CliRunner()
    out = runner.invoke(cli, ["decisions", "import", str(path), "--history", str(tmp_path / "h")])
    assert out.exit_code == 0, out.output
    assert "keep 1" in out.output and "'Bogus' is not a decision" in out.output and "Review" in out.output
    with HistoryStore(tmp_path / "h") as store:
        d = store.decisions("Acme Trading")
        assert d[("US", skus[0])].decision == "keep"
    again = runner.invoke(cli, ["decisions", "import", str(path), "--history", str(tmp_path / "h")])
    assert "0 new or changed recorded" in again.output  # the same decision keeps its first date


def test_history_and_diff_cli_errors(tmp_path):
    runner = CliRunner()
    out = runner.invoke(cli, ["history", "--history", str(tmp_path / "none")])
    assert out.exit_code == 1 and "no scan history here yet" in out.output
    HistoryStore(tmp_path / "empty").close()
    assert "no scans recorded yet" in runner.invoke(cli, ["history", "--history", str(tmp_path / "empty")]).output
    out = runner.invoke(cli, ["diff", "last", "previous", "--history", str(tmp_path / "empty")])
    assert out.exit_code == 1 and "no scans recorded yet" in out.output
    out = runner.invoke(cli, ["diff", "1", "x", "--history", str(tmp_path / "empty")])
    assert out.exit_code == 1 and "no scan #1" in out.output


PROFILES = {
    "inline": '[seller]\nname = "A"\nauthorized_brands = ["lumina"] # keep me\n\n[x]\ny = 1\n',
    "absent": '# top comment\n[seller]\nname = "A"\nmarketplace = "UK"\n\n[x]\ny = 1\n',
    "multiline": '[seller]\nauthorized_brands = [\n  "lumina",  # licence\n  "b"\n]\nname = "x"\n',
    "string": '[seller]\nauthorized_brands = "one"\n',
    "empty": '[seller]\nauthorized_brands = []\nown_brands = ["acme"]\n',
}


@pytest.mark.parametrize("kind", sorted(PROFILES))
def test_update_authorized_brands_keeps_the_rest(tmp_path, kind):
    path = tmp_path / "seller.toml"
    path.write_text(PROFILES[kind], encoding="utf-8")
    before = tomllib.loads(PROFILES[kind])
    listed = {"inline": ["Lumina"], "multiline": ["Lumina"], "empty": ["ACME"]}.get(kind, [])
    added = update_authorized_brands(path, ["CANON", "Lumina", "ACME", 'Quote"Mark'])
    assert added == [n for n in ["CANON", "Lumina", "ACME", 'Quote"Mark'] if n not in listed]
    text = path.read_text(encoding="utf-8")
    after = tomllib.loads(text)
    old = before["seller"].get("authorized_brands", [])
    old = [old] if isinstance(old, str) else old
    assert after["seller"]["authorized_brands"] == old + added
    assert {k: v for k, v in after["seller"].items() if k != "authorized_brands"} == \
        {k: v for k, v in before["seller"].items() if k != "authorized_brands"}
    assert {k: v for k, v in after.items() if k != "seller"} == {k: v for k, v in before.items() if k != "seller"}
    for line in PROFILES[kind].splitlines():
        if "authorized_brands" not in line and line.strip() not in ("]",):
            assert line in text
    assert load_profile(path).is_authorized("canon")
    assert update_authorized_brands(path, ["canon"]) == []  # nothing to add: file untouched


def test_update_authorized_brands_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        update_authorized_brands(tmp_path / "nope.toml", ["X"])


def test_an_authorized_brand_with_a_control_character_is_added_as_valid_toml(tmp_path):
    import tomllib

    from scanner.history.profile_edit import update_authorized_brands

    path = tmp_path / "seller.toml"
    path.write_text('[seller]\nname = "Shop"\nauthorized_brands = ["Acme"]\n', encoding="utf-8")
    # a mark name with DEL and ESC (left in a corpus by a broken export): JSON escaping left DEL raw
    added = update_authorized_brands(path, ["Zed\x7f Co", "Ink\x1bJet"])
    assert added == ["Zed\x7f Co", "Ink\x1bJet"]
    seller = tomllib.loads(path.read_text(encoding="utf-8"))["seller"]
    assert seller["authorized_brands"] == ["Acme", "Zed\x7f Co", "Ink\x1bJet"]
    assert "\x7f" not in path.read_text(encoding="utf-8")
