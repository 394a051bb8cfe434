"""Rights owners named with a company form ("Northwind Traders, Inc.") are kept whole, and a counterfeit
complaint that names no mark still puts its rights owner on the watch list."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from scanner.cli import cli
from scanner.notices import build_watchlist, import_notices, parse_notice_file
from scanner.notices.prose import prose_contact
from scanner.notices.watchlist import load_watchlist, owner_brand

OWNER = Path(__file__).resolve().parent / "fixtures" / "notices" / "owner"


def test_contact_details_block_keeps_a_name_with_comma_and_period():
    records, issues = parse_notice_file(OWNER / "contact_details_company_comma.txt")
    assert not issues and len(records) == 1
    rec = records[0]
    assert rec["rights_owner"] == "Northwind Traders, Inc."  # was "" (the line ends with '.')
    assert rec["rights_owner_email"] == "legal@northwindtraders.example.com"
    assert (rec["trademark"], rec["infringement_type"], rec["complaint_id"]) == ("NORTHWIND", "counterfeit", "9000000041")


def test_contact_sentence_keeps_a_name_with_commas():
    records, _ = parse_notice_file(OWNER / "counterfeit_no_mark.eml")
    assert [r["asin"] for r in records] == ["B0TEST0042", "B0TEST0043"]
    for rec in records:
        assert rec["rights_owner"] == "Wide World Importers, Ltd."
        assert rec["rights_owner_email"] == "brandprotection@wideworldimporters.example.com"
        assert (rec["trademark"], rec["infringement_type"], rec["notice_date"]) == ("", "counterfeit", "2024-07-16")


def test_sentences_are_still_not_names():
    lines = ["These are the rights owner's contact details:", "-- Please write to them.",
             "-- ip@fabrikam.example.com"]
    assert prose_contact(lines) == {"rights_owner": "", "rights_owner_email": "ip@fabrikam.example.com"}
    lines[1] = "-- Fabrikam S.A."
    assert prose_contact(lines)["rights_owner"] == "Fabrikam S.A."


def test_owner_brand_strips_company_forms():
    assert owner_brand("Wide World Importers, Ltd.") == "Wide World Importers"
    assert owner_brand("Tailspin Toys Holdings LLC") == "Tailspin Toys"
    assert owner_brand("Fabrikam GmbH & Co. KG") == "Fabrikam"
    assert owner_brand("Contoso") == "Contoso"


def test_counterfeit_complaint_without_a_mark_puts_its_owner_on_the_watch_list():
    watch = build_watchlist(import_notices([OWNER]).notices)
    rows = {r["owner"]: r for r in watch.to_dict(orient="records")}
    assert set(rows) == {"Northwind Traders, Inc.", "Wide World Importers, Ltd."}
    ww = rows["Wide World Importers, Ltd."]
    assert ww["mark"] == "Wide World Importers" and "naming no mark" in ww["source"]
    assert (ww["complaints"], ww["asins"], ww["registration_number"]) == (1, "B0TEST0042;B0TEST0043", "")
    assert rows["Northwind Traders, Inc."]["source"] == "notice"


def test_markless_counterfeit_counts_on_the_owners_named_mark():
    def notice(**kw):
        base = dict.fromkeys(("asin", "title", "infringement_type", "trademark", "registration_number",
                              "complaint_id", "rights_owner", "rights_owner_email", "notice_date", "source_file",
                              "sku"), "")
        return base | kw

    notices = pd.DataFrame([
        notice(asin="B0TEST0001", trademark="FABRIKAM", rights_owner="Fabrikam, Inc.", complaint_id="1",
               infringement_type="trademark"),
        notice(asin="B0TEST0002", rights_owner="Fabrikam, Inc.", complaint_id="2", infringement_type="counterfeit"),
        notice(asin="B0TEST0003", rights_owner="Contoso, Ltd.", complaint_id="3", infringement_type="copyright"),
        notice(asin="B0TEST0004", complaint_id="4", infringement_type="counterfeit"),  # no owner: nothing to list
    ])
    watch = build_watchlist(notices)
    assert list(watch["mark"]) == ["FABRIKAM"]
    assert watch.loc[0, "complaints"] == 2 and watch.loc[0, "asins"] == "B0TEST0001;B0TEST0002"


def test_watchlist_command_lists_the_owner(tmp_path):
    runner = CliRunner()
    notices = tmp_path / "notices.csv"
    assert runner.invoke(cli, ["notices", "import", str(OWNER), "--out", str(notices), "-q"]).exit_code == 0
    result = runner.invoke(cli, ["notices", "watchlist", str(notices), "--out", str(tmp_path / "w.csv")])
    assert result.exit_code == 0, result.output
    assert "1 counterfeit complaint owner(s) listed under their own name" in result.output
    loaded = load_watchlist(tmp_path / "w.csv")
    assert "Wide World Importers" in set(loaded["mark"])
