"""The seller's watch list in a scan: its marks are always matched, and owners who complained are shown."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from scanner.cli import cli
from scanner.config import ScanConfig, load_profile
from scanner.corpus import load_corpus
from scanner.errors import ConfigError
from scanner.pipeline import scan
from scanner.watchlist import with_watchlist

LISTINGS = "item_sku\titem_name\nA1\tReplacement Filter Compatible with Brita Pitchers\nA2\tZorbix Gaming Mouse RGB\n" \
           "A3\tPlain ceramic mug 12 oz\n"
WATCH = "mark,owner,complaints,first_notice,last_notice\nBRITA,Brita GmbH,2,2026-03-01,2026-10-01\n" \
        "ZORBIX,Zorbix Labs,1,2026-09-01,2026-09-01\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "listings.tsv").write_text(LISTINGS, encoding="utf-8")
    (tmp_path / "watch.csv").write_text(WATCH, encoding="utf-8")
    (tmp_path / "seller.toml").write_text(
        '[seller]\nname = "Acme"\nmarketplace = "US"\nown_brands = ["acme"]\nwatchlist_file = "watch.csv"\n',
        encoding="utf-8")
    (tmp_path / "plain.toml").write_text('[seller]\nname = "Acme"\n', encoding="utf-8")
    return {p.stem: p for p in tmp_path.iterdir()}


def test_profile_watchlist_file_is_resolved_beside_the_toml(files):
    profile = load_profile(files["seller"])
    assert profile.watchlist == str(files["watch"].resolve())


def test_missing_watchlist_file_is_a_config_error(files, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[seller]\nwatchlist_file = "nope.csv"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="nope.csv"):
        load_profile(bad)


def test_watchlist_marks_missing_from_the_corpus_are_added_once():
    starter = load_corpus()
    watch = pd.DataFrame({"mark": ["BRITA", "ZORBIX", "ZORBIX"], "owner": ["Brita GmbH", "Zorbix Labs", "Zorbix Labs"]})
    merged = with_watchlist(starter, watch)
    assert len(merged) == len(starter) + 1  # Brita is in the starter corpus already
    assert merged.marks.iloc[-1]["mark"] == "ZORBIX" and merged.marks.iloc[-1]["source"] == "watch list"
    assert merged.content_hash != starter.content_hash
    assert with_watchlist(starter, watch.iloc[:1]) is starter  # nothing missing: the same corpus


def test_scan_matches_and_reports_watchlisted_owners(files):
    result = scan(ScanConfig(listings=[files["listings"]], profile=load_profile(files["seller"])))
    res = result.results.set_index("sku")
    assert res.at["A2", "marks"] == "ZORBIX"  # only known from the watch list
    assert res.at["A2", "watchlist"] == "Zorbix Labs: 1 complaint, last 2026-09-01"
    assert res.at["A1", "watchlist"] == "Brita GmbH: 2 complaints, last 2026-10-01"
    assert "complained about your listings before" in res.at["A1", "reasons"]
    assert res.at["A3", "watchlist"] == "" and res.at["A3", "risk_level"] == "low"
    assert result.corpus_info["watchlist_entries"] == 2


def test_scan_without_a_watchlist_has_an_empty_column(files):
    result = scan(ScanConfig(listings=[files["listings"]], profile=load_profile(files["plain"])))
    res = result.results.set_index("sku")
    assert (res["watchlist"] == "").all()
    assert res.at["A2", "marks"] == ""  # Zorbix is no known mark without the watch list


def test_cli_watchlist_option_and_csv_column(files, tmp_path):
    out = tmp_path / "r.csv"
    result = CliRunner().invoke(cli, ["scan", str(files["listings"]), "--config", str(files["plain"]),
                                      "--watchlist", str(files["watch"]), "--out", str(tmp_path / "r.xlsx"),
                                      "--csv", str(out), "--no-history", "-q"])
    assert result.exit_code == 0, result.output
    rows = {r["sku"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["A2"]["watchlist"].startswith("Zorbix Labs: 1 complaint")
    # extends the fixed columns at the end (the link columns came later still)
    assert list(rows["A1"])[15:17] == ["watchlist", "action"] and list(rows["A1"])[:3] == ["sku", "asin", "title"]


def test_cli_bad_watchlist_is_one_line_exit_1(files, tmp_path):
    bad = tmp_path / "badwatch.csv"
    bad.write_text("mark,complaints\nZORBIX,many\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["scan", str(files["listings"]), "--watchlist", str(bad),
                                      "--out", str(tmp_path / "r.xlsx"), "--no-history", "-q"])
    assert result.exit_code == 1
    assert "badwatch.csv" in result.output and "complaints" in result.output
    assert "Traceback" not in result.output
