"""`scanner notices import|labels|watchlist` through the real CLI entry point: exit codes and outputs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import cli
from scanner.notices import LABEL_COLUMNS, NOTICE_COLUMNS, WATCHLIST_COLUMNS, import_notices

FIX = Path(__file__).resolve().parent / "fixtures" / "notices"
LISTINGS = FIX / "listings" / "all_listings_custom.txt"


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def notices_csv(tmp_path) -> Path:
    out = tmp_path / "notices.csv"
    result = run("notices", "import", FIX / "mail", "--out", out, "--quiet")
    assert result.exit_code == 0, result.output
    return out


def test_notices_group_is_visible():
    assert not cli.commands["notices"].hidden
    result = run("notices", "--help")
    assert result.exit_code == 0
    for name in ("import", "labels", "watchlist"):
        assert name in result.output


def test_import_writes_notices_and_lists_bad_files(tmp_path):
    out, errors = tmp_path / "notices.csv", tmp_path / "errors.csv"
    result = run("notices", "import", FIX / "mail", "--out", out, "--errors", errors)
    assert result.exit_code == 0, result.output
    written = rows(out)
    assert list(written[0]) == list(NOTICE_COLUMNS)
    expected = import_notices([FIX / "mail"]).notices  # the command is a thin shell over the library
    assert written == expected.to_dict(orient="records")
    assert len({(r["asin"], r["complaint_id"]) for r in written}) == len(written)
    assert "2 file(s) gave no complaint" in result.output and "irrelevant_shipping.txt" in result.output
    issues = rows(errors)
    assert {Path(r["source_file"]).name for r in issues if r["level"] == "error"} == {"empty.eml",
                                                                                     "irrelevant_shipping.txt"}
    # a note, not an error: the copy saved as text writes its date "9/9/2024", which is left empty
    assert [(Path(r["source_file"]).name, r["level"]) for r in issues if r["level"] != "error"] == [
        ("saved_twice.txt", "note")]


def test_import_nothing_readable_is_exit_1_one_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("Hello, your order shipped.\n", encoding="utf-8")
    out = tmp_path / "notices.csv"
    result = run("notices", "import", bad, tmp_path / "missing.eml", "--out", out, "--quiet")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: no complaint could be read from 1 file(s)")
    assert not out.exists()


def test_import_one_bad_file_is_not_fatal(tmp_path):
    bad = tmp_path / "bad.eml"
    bad.write_bytes(b"\x00\x01\x02binary")
    out = tmp_path / "notices.csv"
    result = run("notices", "import", bad, FIX / "mail" / "copyright.txt", "--out", out)
    assert result.exit_code == 0
    assert [r["asin"] for r in rows(out)] == ["B0TEST0012"]
    assert "bad.eml: binary file" in result.output


def test_labels_command(tmp_path, notices_csv):
    out, unmatched = tmp_path / "labels.csv", tmp_path / "unmatched.csv"
    result = run("notices", "labels", notices_csv, LISTINGS, "--out", out, "--unmatched", unmatched)
    assert result.exit_code == 0, result.output
    labels = rows(out)
    assert list(labels[0]) == list(LABEL_COLUMNS)
    assert {r["label"] for r in labels} == {"2"}
    assert "EHG-BRD-020" not in {r["sku"] for r in labels}
    n_unmatched = len(rows(unmatched))
    assert f"{n_unmatched} complaint(s) matched no listing" in result.output
    neg = run("notices", "labels", notices_csv, LISTINGS, "--out", out, "--negatives", "-q")
    assert neg.exit_code == 0 and neg.output == ""
    assert {r["sku"]: r["label"] for r in rows(out)}["EHG-BRD-020"] == "0"


def test_labels_errors_are_exit_1(tmp_path, notices_csv):
    out = tmp_path / "labels.csv"
    other = tmp_path / "listings.txt"
    other.write_text("seller-sku\tasin1\titem-name\nX-1\tB0OTHER001\tUnrelated thing\n", encoding="utf-8")
    result = run("notices", "labels", notices_csv, other, "--out", out)
    assert result.exit_code == 1 and "error: " in result.output and "no label made" in result.output
    result = run("notices", "labels", notices_csv, LISTINGS, "--out", out, "--types", "trademark,design")
    assert result.exit_code == 1 and "unknown type(s) design" in result.output
    not_notices = tmp_path / "x.csv"
    not_notices.write_text("sku,label\nA,2\n", encoding="utf-8")
    result = run("notices", "labels", not_notices, LISTINGS, "--out", out)
    assert result.exit_code == 1 and "missing column(s) asin" in result.output
    assert "Traceback" not in result.output


def test_watchlist_command(tmp_path, notices_csv):
    out = tmp_path / "watchlist.csv"
    result = run("notices", "watchlist", notices_csv, "--out", out)
    assert result.exit_code == 0, result.output
    watch = rows(out)
    assert list(watch[0]) == list(WATCHLIST_COLUMNS)
    tailspin = next(r for r in watch if r["mark"] == "TAILSPIN TOYS")
    # three complaints in the forwarded notice and one "inauthentic" complaint, all under one registration
    assert (tailspin["complaints"], tailspin["registration_number"], tailspin["source"]) == ("4", "0000003", "notice")
    assert tailspin["asins"] == "B0TEST0005;B0TEST0006;B0TEST0007;B0TEST0018"
    suspected_only = tmp_path / "s.csv"
    suspected_only.write_text("asin,infringement_type\nB0TEST0010,suspected\n", encoding="utf-8")
    result = run("notices", "watchlist", suspected_only, "--out", out)
    assert result.exit_code == 1 and "names a trademark" in result.output


def test_every_notices_command_and_option_is_documented():
    docs = (Path(__file__).resolve().parents[1] / "docs" / "notices.md").read_text(encoding="utf-8")
    group = cli.commands["notices"]
    for name, command in group.commands.items():
        assert f"scanner notices {name}" in docs, name
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert f"`{opt}" in docs or f" {opt} " in docs, f"{name} {opt} is not in docs/notices.md"


def test_labels_with_column_map_and_encoding(tmp_path, notices_csv):
    listing = tmp_path / "shop.tsv"
    listing.write_bytes("Handle\tProduct ASIN\tName\nshop-1\tB0TEST0009\tChef\u2019s Spice Rack\n".encode("cp1252"))
    out = tmp_path / "labels.csv"
    result = run("notices", "labels", notices_csv, listing, "--out", out, "--encoding", "cp1252",
                 "--map", "sku=Handle", "--map", "asin=Product ASIN", "--map", "title=Name", "-q")
    assert result.exit_code == 0, result.output
    assert [(r["sku"], r["label"], r["marks"]) for r in rows(out)] == [("shop-1", "2", "northwind")]
    bad = run("notices", "labels", notices_csv, listing, "--out", out, "--map", "colour=Name")
    assert bad.exit_code == 1 and "unknown field 'colour'" in bad.output
