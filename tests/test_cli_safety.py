"""Outputs never destroy inputs, and bad paths fail in one line (exit 1) before any work starts.

Each refusal is checked to come *before* the corpus is loaded (no stage line on stderr) and to leave the
input files byte for byte as they were.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import cli
from scanner.errors import ConfigError, InputError
from scanner.preflight import check_output_folder, check_outputs, check_workbook, same_file

LISTING = "item_sku\titem_name\tbrand_name\nA1\tCanon PG-245 ink cartridge\tAcme\n"


def run(*args) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert "Traceback" not in result.output
    return result.exit_code, lines


def refused(*args, says: str) -> str:
    """The command exits 1 with exactly one line, before loading anything, and the line says ``says``."""
    code, lines = run(*args)
    assert code == 1, lines
    assert len(lines) == 1, lines  # no "loading the trademark corpus" stage line: nothing was started
    assert lines[0].startswith("error: ") and says in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def listing(tmp_path: Path) -> Path:
    path = tmp_path / "listings.csv"
    path.write_text(LISTING.replace("\t", ","), encoding="utf-8")
    return path


def test_csv_output_naming_the_input_listing_is_refused(listing, tmp_path):
    before = listing.read_bytes()
    line = refused("scan", listing, "--out", tmp_path / "r.xlsx", "--csv", listing, "--no-history",
                   says="--csv names an input file")
    assert str(listing) in line
    assert listing.read_bytes() == before
    assert not (tmp_path / "r.xlsx").exists()


def test_out_naming_an_xlsx_input_is_refused_even_through_another_spelling(tmp_path):
    from openpyxl import Workbook

    flat = tmp_path / "flat.xlsx"
    wb = Workbook()
    wb.active.append(["item_sku", "item_name"])
    wb.active.append(["A1", "Canon PG-245 ink cartridge"])
    wb.save(flat)
    before = flat.read_bytes()
    (tmp_path / "sub").mkdir()
    line = refused("scan", flat, "--out", tmp_path / "sub" / ".." / "flat.xlsx", "--no-history",
                   says="--out names an input file: writing it would destroy that input")
    assert "flat.xlsx" in line
    assert flat.read_bytes() == before


def test_out_as_a_hard_link_of_an_input_is_refused(listing, tmp_path):
    link = tmp_path / "report.xlsx"
    os.link(listing, link)
    refused("scan", listing, "--out", link, "--no-history", says="--out names an input file")
    assert listing.read_text(encoding="utf-8").startswith("item_sku")


def test_config_and_previous_files_are_inputs_too(listing, tmp_path):
    toml = tmp_path / "seller.csv"  # a strange name, but it is the profile the scan reads
    toml.write_text('[seller]\nname = "Acme"\n', encoding="utf-8")
    refused("scan", listing, "--config", toml, "--out", tmp_path / "r.xlsx", "--csv", toml, "--no-history",
            says="--csv names an input file")


def test_two_outputs_that_are_the_same_file_are_refused(listing, tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "results.csv"
    target.write_text("old", encoding="utf-8")
    alias = tmp_path / "results.json"
    alias.symlink_to(target)
    refused("scan", listing, "--out", tmp_path / "r.xlsx", "--csv", target, "--json", alias, "--no-history",
            says="--csv and --json name the same file")
    assert target.read_text(encoding="utf-8") == "old"
    refused("scan", listing, "--out", tmp_path / "r.xlsx", "--csv", tmp_path / "r.xlsx", "--no-history",
            says="--out and --csv name the same file")


@pytest.mark.parametrize("option,name,says", [
    ("--out", "report.csv", "--out writes an Excel workbook: give a .xlsx or .xlsm name, not '.csv'"),
    ("--out", "report", "a name without an extension"),
    ("--csv", "results.xlsx", "--csv writes a CSV file: give a .csv name"),
    ("--json", "results.csv", "--json writes a JSON lines file: give a .jsonl or .json name"),
])
def test_extension_contradicting_the_format_is_refused(listing, tmp_path, option, name, says):
    args = {"--out": tmp_path / "r.xlsx", option: tmp_path / name}
    flat = [x for kv in args.items() for x in kv]
    refused("scan", listing, *flat, "--no-history", says=says)
    assert not (tmp_path / name).exists()


def test_upper_case_extensions_are_fine(tmp_path):
    check_outputs({"--out": tmp_path / "R.XLSX", "--csv": tmp_path / "R.CSV", "--json": tmp_path / "r.JSON"})


def test_output_folder_under_a_file_fails_before_the_scan(listing, tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    refused("scan", listing, "--out", blocker / "reports" / "r.xlsx", "--no-history",
            says="cannot create the --out folder: " + repr(str(blocker)) + " is a file, not a folder")
    refused("scan", listing, "--out", tmp_path / "r.xlsx", "--csv", blocker / "r.csv", "--no-history",
            says="cannot create the --csv folder")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores folder permissions")
def test_unwritable_output_folder_fails_before_the_scan(listing, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        refused("scan", listing, "--out", locked / "r.xlsx", "--no-history", says="cannot write in the --out folder")
    finally:
        locked.chmod(0o700)


def test_output_folders_are_created_before_the_scan(tmp_path):
    out = tmp_path / "a" / "b" / "r.xlsx"
    check_outputs({"--out": out})
    assert out.parent.is_dir() and list(out.parent.iterdir()) == []  # the write probe is removed


def test_missing_listing_fails_before_loading_anything(tmp_path):
    refused("scan", tmp_path / "nope.txt", "--out", tmp_path / "r.xlsx", says="nope.txt: file not found")


def _fake_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes.txt", "not a workbook")
    return path


@pytest.mark.parametrize("name,make,says", [
    ("notes.txt", lambda p: p.write_text("my notes\n", encoding="utf-8"), "it is a .txt file that is not a zip"),
    ("report.xlsx", lambda p: p.write_bytes(b""), "the file is empty"),
    ("old.xls", lambda p: p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512), "old binary Excel"),
    ("zip.xlsx", _fake_zip, "openpyxl cannot open it"),
    ("report.zip", _fake_zip, "its name ends in .zip"),
])
def test_bad_previous_file_is_one_line_exit_1_before_the_scan(listing, tmp_path, name, make, says):
    prev = tmp_path / name
    make(prev)
    line = refused("scan", listing, "--out", tmp_path / "r.xlsx", "--previous", prev, "--no-history", says=says)
    assert str(prev) in line and "--previous file is not a report written by `scanner scan`" in line


def test_decisions_import_of_a_text_file_is_exit_1(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("pull A1\n", encoding="utf-8")
    line = refused("decisions", "import", notes, "--history", tmp_path / "h", says="report file is not a report")
    assert str(notes) in line
    assert not (tmp_path / "h").exists()


def test_check_workbook_accepts_a_real_workbook(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "sku"
    wb.save(tmp_path / "r.xlsx")
    assert check_workbook(tmp_path / "r.xlsx", "report file") == tmp_path / "r.xlsx"
    with pytest.raises(InputError, match="not found"):
        check_workbook(tmp_path / "missing.xlsx", "report file")
    with pytest.raises(InputError, match="is a folder"):
        check_workbook(tmp_path, "report file")


def test_same_file_sees_links_and_spellings(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("x", encoding="utf-8")
    (tmp_path / "d").mkdir()
    assert same_file(a, tmp_path / "d" / ".." / "a.csv")
    os.link(a, tmp_path / "b.csv")
    assert same_file(a, tmp_path / "b.csv")
    assert not same_file(a, tmp_path / "c.csv")


def test_folder_outputs_check_the_nearest_existing_parent(tmp_path):
    check_output_folder(tmp_path / "new" / "model", "--out")
    assert not (tmp_path / "new").exists()  # nothing created
    blocker = tmp_path / "f.txt"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match="is a file, not a folder"):
        check_output_folder(blocker / "model", "--out")


# --- the other commands: outputs that would destroy an input, folders under a file -------------------

def test_notices_watchlist_refuses_to_overwrite_its_input(tmp_path):
    notices = tmp_path / "notices.csv"
    notices.write_text("asin,trademark\nB0TEST0001,FABRIKAM\n", encoding="utf-8")
    before = notices.read_bytes()
    refused("notices", "watchlist", notices, "--out", notices, says="--out names an input file")
    assert notices.read_bytes() == before


def test_notices_import_output_under_a_file_fails_before_reading(tmp_path, fixtures):
    blocker = tmp_path / "x.txt"
    blocker.write_text("x", encoding="utf-8")
    refused("notices", "import", fixtures / "notices" / "mail", "--out", blocker / "n.csv", "--quiet",
            says="cannot create the --out folder")


def test_corpus_build_into_its_own_source_is_refused(tmp_path):
    src = tmp_path / "marks.csv"
    src.write_text("mark,owner\nCanon,Canon Inc.\n", encoding="utf-8")
    code, _ = run("corpus", "build", src, "--out", tmp_path / "c", "-q")
    assert code == 0
    refused("corpus", "build", tmp_path / "c", "--out", tmp_path / "c", "--force", "-q",
            says="--out is (or holds) one of the SOURCES")
    assert (tmp_path / "c" / "corpus.json").is_file()
    refused("corpus", "export", src, "--csv", src, "--force", says="--csv names an input file")
    assert src.read_text(encoding="utf-8").startswith("mark,owner")


def test_evaluate_details_and_train_out_under_a_file_fail_first(tmp_path):
    blocker = tmp_path / "x.txt"
    blocker.write_text("x", encoding="utf-8")
    labels = tmp_path / "labels.csv"
    labels.write_text("sku,label\nA1,2\nA2,0\n", encoding="utf-8")
    listing = tmp_path / "l.tsv"
    listing.write_text("item_sku\titem_name\nA1\tCanon ink\nA2\tPlain mug\n", encoding="utf-8")
    refused("evaluate", labels, listing, "--details", blocker / "d.csv", "-q", says="cannot create the --details folder")
    refused("train", labels, listing, "--out", blocker / "model", "-q", says="cannot create the --out folder")


def test_history_folder_under_a_file_or_a_corrupt_history_fails_before_the_scan(listing, tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    refused("scan", listing, "--out", tmp_path / "r.xlsx", "--history", blocker / "h",
            says="cannot create the --history folder")
    bad = tmp_path / "h"
    bad.mkdir()
    (bad / "history.sqlite3").write_bytes(b"this is not a database, just some text " * 4)
    refused("scan", listing, "--out", tmp_path / "r.xlsx", "--history", bad, says="cannot open the scan history")
    assert not (tmp_path / "r.xlsx").exists()


@pytest.mark.parametrize("address", ["not a url", "tcp://host", "", "http://host:port", "host:8786/path"])
def test_a_malformed_scheduler_address_is_told_before_any_file_is_read(tmp_path, address):
    from click.testing import CliRunner

    from scanner.cli import cli

    # the listings file does not even exist: the address is checked first, as a usage error
    result = CliRunner().invoke(cli, ["scan", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "r.xlsx"),
                                      "--no-history", "-q", "--scheduler", address])
    assert result.exit_code == 1
    assert "not a Dask scheduler address" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("address", ["tcp://10.0.0.5:8786", "localhost:8786", "tls://sched.example:8786",
                                     "[::1]:8786", " tcp://h:1 "])
def test_scheduler_addresses_in_every_form_dask_takes_are_accepted(address):
    from scanner.dask_tasks import check_scheduler_address

    assert check_scheduler_address(address) == address.strip()
