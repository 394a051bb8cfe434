"""``scanner corpus build / export / info`` and ``scanner scan --corpus`` with a compiled corpus."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from scanner.cli import cli
from scanner.corpus import TRADEMARK_CSV_COLUMNS

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "uspto"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_corpus_group_is_visible_with_help():
    assert not cli.commands["corpus"].hidden
    result = run("corpus", "--help")
    assert result.exit_code == 0
    for command in ("build", "export", "info"):
        assert command in result.output


def test_build_info_export(tmp_path):
    out = tmp_path / "corpus"
    result = run("corpus", "build", FIXTURES / "apc250101.zip", FIXTURES / "apc250102.zip", "--out", out)
    assert result.exit_code == 0, result.output
    assert "kept 4" in result.output and "superseded 2" in result.output

    again = run("corpus", "build", FIXTURES / "apc250101.zip", "--out", out)
    assert again.exit_code == 1 and "--force" in again.output
    assert run("corpus", "build", FIXTURES / "apc250101.zip", "--out", out, "--force", "--quiet").output == ""

    info = run("corpus", "info", out)
    assert info.exit_code == 0 and "marks         4" in info.output and "apc250101.zip" in info.output
    as_json = run("corpus", "info", out, "--json")
    meta = json.loads(as_json.output)
    assert meta["counts"]["kept"] == 4 and meta["format_version"] == 1

    # an Excel name for CSV text is refused before anything is written
    wrong = run("corpus", "export", out, "--csv", tmp_path / "marks.xlsx")
    assert wrong.exit_code == 1 and "give a .csv or .txt name" in wrong.output
    assert not (tmp_path / "marks.xlsx").exists()
    target = tmp_path / "marks.csv"
    exported = run("corpus", "export", out, "--csv", target)
    assert exported.exit_code == 0, exported.output
    with open(target, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4 and list(rows[0])[: len(TRADEMARK_CSV_COLUMNS)] == list(TRADEMARK_CSV_COLUMNS)
    assert {r["status"] for r in rows} == {"live", "pending", "dead"}
    assert run("corpus", "export", out, "--csv", target).exit_code == 1


def test_errors_are_one_line_exit_1(tmp_path):
    for args in (("corpus", "info", tmp_path),
                 ("corpus", "build", FIXTURES / "apc250101_truncated.zip", "--out", tmp_path / "c")):
        result = run(*args)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert result.exit_code == 1 and len(lines) == 1 and "Traceback" not in result.output, result.output


def test_damaged_marks_parquet_is_one_line_error_and_export_keeps_the_old_file(tmp_path):
    out = tmp_path / "corpus"
    assert run("corpus", "build", FIXTURES / "apc250101.zip", "--out", out, "-q").exit_code == 0
    marks = out / "marks.parquet"
    marks.write_bytes(marks.read_bytes()[: marks.stat().st_size // 2])
    old = tmp_path / "marks.csv"
    old.write_text("mark\nKEEP\n", encoding="utf-8")
    for args in (("corpus", "info", out), ("corpus", "export", out, "--csv", old, "--force"),
                 ("corpus", "build", out, "--out", tmp_path / "again")):
        result = run(*args)
        lines = [line for line in result.output.splitlines() if line.strip() and not line.startswith("[")]
        assert result.exit_code == 1, (args, result.output)
        assert lines == [f"error: {out}: cannot read marks.parquet: " + lines[0].split("marks.parquet: ", 1)[1]]
    assert old.read_text(encoding="utf-8") == "mark\nKEEP\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_scan_uses_a_compiled_corpus(tmp_path):
    out = tmp_path / "corpus"
    assert run("corpus", "build", FIXTURES / "apc250101.zip", "--out", out, "-q").exit_code == 0
    listing = tmp_path / "listings.tsv"
    listing.write_text("item_sku\titem_name\nS1\tGlimmerwick candle wicks for candles\nS2\tPlain white mug\n",
                       encoding="utf-8")
    results = tmp_path / "results.csv"
    result = run("scan", listing, "--corpus", out, "--out", tmp_path / "r.xlsx", "--csv", results, "-q")
    assert result.exit_code == 0, result.output
    with open(results, encoding="utf-8", newline="") as handle:
        rows = {r["sku"]: r for r in csv.DictReader(handle)}
    assert "GLIMMERWICK" in rows["S1"]["marks"].upper() and rows["S2"]["marks"] == ""


def test_build_says_when_it_makes_the_word_tables(tmp_path, monkeypatch):
    """The index reads the word-frequency tables: the first build with a wordfreq version (an empty user
    cache) says why it takes longer, as a first scan does; with the tables there it says nothing of them."""
    from scanner import frequency

    frequency.open_tables()  # this process's tables, from the session's cache, before the cache moves
    monkeypatch.setenv("SCANNER_CACHE_DIR", str(tmp_path / "cache"))
    first = run("corpus", "build", FIXTURES / "apc250101.zip", "--out", tmp_path / "c1")
    assert first.exit_code == 0, first.output
    assert "making the word-frequency tables" in first.output
    for langs, wordlist in frequency.TABLE_LISTS:  # as if made (this process keeps the tables it has open)
        path = frequency.table_path(langs, frequency.wordfreq_version(), wordlist)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    again = run("corpus", "build", FIXTURES / "apc250101.zip", "--out", tmp_path / "c2")
    assert again.exit_code == 0, again.output
    assert "word-frequency" not in again.output
