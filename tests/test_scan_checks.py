"""What a scan says about its input: an empty corpus, duplicate SKUs, a profile without own brands, every
stage in the log; and the CSV/JSON outputs' formula guard (--csv-safe) and permissions."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from scanner.cli import cli
from scanner.config import ScanConfig, SellerProfile
from scanner.corpus import load_corpus
from scanner.errors import CorpusError, InputError
from scanner.pipeline import ScanResult, scan
from scanner.progress import Progress
from scanner.report.machine import neutralise, write_csv, write_jsonl
from scanner.report.synthetic import synthetic_scan_result
from scanner.scan_checks import brand_hint, duplicate_skus, duplicate_warning

LISTINGS = (
    "item_sku\titem_name\tbrand_name\n"
    "A1\tCanon PG-245 ink cartridge\tInkwell\n"
    "B2\tBlue ceramic mug 12 oz\tInkwell\n"
    "A1\tCanon PG-245 ink cartridge, twin pack\tInkwell\n"
    "C3\t=HYPERLINK(\"http://evil.example\",\"Canon toner\")\tInkwell\n"
    "-5\t@SUM(1+1) desk lamp\tGeneric\n"
    "B2\tBlue ceramic mug 12 oz, set of 2\tInkwell\n"
    "B2\tBlue ceramic mug 12 oz, set of 4\tInkwell\n"
)
CORPUS = "mark,owner\nCanon,Canon Inc.\n"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict:
    """One CLI scan (the slow part: loading the model) shared by the tests below."""
    d = tmp_path_factory.mktemp("scan")
    (d / "listings.tsv").write_text(LISTINGS, encoding="utf-8")
    (d / "marks.csv").write_text(CORPUS, encoding="utf-8")
    old = os.umask(0o027)
    try:
        result = CliRunner().invoke(cli, [
            "scan", str(d / "listings.tsv"), "--corpus", str(d / "marks.csv"), "--out", str(d / "o" / "r.xlsx"),
            "--csv", str(d / "o" / "r.csv"), "--json", str(d / "o" / "r.jsonl"), "--no-history"])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    return {"dir": d, "stderr": result.stderr.splitlines()}


def test_duplicate_skus_are_one_warning_line_and_rows_are_kept(demo):
    warnings = [line for line in demo["stderr"] if "appear more than once" in line]
    assert warnings == ["warning: 2 SKUs appear more than once: B2 (3 rows), A1 (2 rows); each row is scanned "
                        "and reported"]
    with open(demo["dir"] / "o" / "r.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 7  # no row dropped
    assert sorted(r["sku"] for r in rows).count("B2") == 3


def test_no_own_brands_warning_says_how_to_fix(demo):
    hint = [line for line in demo["stderr"] if "lists no own or authorized brands" in line]
    assert len(hint) == 1
    assert hint[0].startswith("warning: 6 of 7 listings name a brand")  # "Generic" is a placeholder
    assert "scanner profile init LISTINGS --out seller.toml" in hint[0]


def test_every_stage_prints_a_plain_line_in_a_log(demo):
    err = "\n".join(demo["stderr"])
    assert "\r" not in err  # CliRunner's stderr is not a terminal: no in-place updates
    order = ["loading the trademark corpus", "loading the model", "reading 1 listing file(s)",
             "matching 7 listings against 1 marks", "building features", "scoring with the model",
             "writing the reasons", "writing the CSV", "writing the JSON lines", "writing the report"]
    positions = [next(i for i, line in enumerate(demo["stderr"]) if step in line) for step in order]
    assert positions == sorted(positions)


def test_csv_is_formula_safe_and_json_is_not_by_default(demo):
    with open(demo["dir"] / "o" / "r.csv", encoding="utf-8", newline="") as fh:
        rows = {r["source_row"]: r for r in csv.DictReader(fh)}
    assert rows["5"]["title"].startswith("'=HYPERLINK(")
    assert rows["6"]["sku"] == "'-5" and rows["6"]["title"] == "'@SUM(1+1) desk lamp"
    assert rows["2"]["title"] == "Canon PG-245 ink cartridge"  # ordinary text untouched
    float(rows["2"]["risk_score"])  # numbers are never prefixed
    records = [json.loads(line) for line in (demo["dir"] / "o" / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    by_row = {r["source_row"]: r for r in records}
    assert by_row[5]["title"].startswith("=HYPERLINK(") and by_row[6]["sku"] == "-5"


def test_outputs_follow_the_umask(demo):
    for name in ("r.csv", "r.jsonl"):
        assert (demo["dir"] / "o" / name).stat().st_mode & 0o777 == 0o640  # 0o666 & ~0o027


# --- library level ------------------------------------------------------------------------------------

def test_empty_corpus_is_an_error_or_a_loud_warning(tmp_path):
    (tmp_path / "l.tsv").write_text("item_sku\titem_name\nA1\tCanon ink\n", encoding="utf-8")
    (tmp_path / "empty.csv").write_text("mark,owner\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["scan", str(tmp_path / "l.tsv"), "--corpus", str(tmp_path / "empty.csv"),
                                      "--out", str(tmp_path / "r.xlsx"), "--no-history", "-q"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [f"error: the corpus has no marks: {tmp_path / 'empty.csv'}; no listing could be flagged, so the "
                     "report would be a false all-clear; pass --allow-empty-corpus to scan anyway"]
    assert not (tmp_path / "r.xlsx").exists()

    stream = _Stream()
    config = ScanConfig(listings=[tmp_path / "l.tsv"], corpus=tmp_path / "empty.csv", allow_empty_corpus=True)
    res = scan(config, progress=Progress(stream=stream))
    assert any(line.startswith("warning: THE CORPUS HAS NO MARKS") and "NOT an all-clear" in line
               for line in stream.lines())
    assert res.extra["warnings"][0].startswith("THE CORPUS HAS NO MARKS")
    assert list(res.results["risk_level"]) == ["low"]


def test_empty_corpus_check_happens_before_the_listings_are_read(tmp_path):
    empty = load_corpus(_write(tmp_path / "e.csv", "mark\n"))
    with pytest.raises(CorpusError, match="the corpus has no marks"):
        scan(ScanConfig(listings=[tmp_path / "missing.tsv"]), corpus=empty)  # a missing file would say so


def test_a_corpus_of_marks_without_letters_or_digits_counts_as_empty(tmp_path):
    # punctuation and invisible characters give the matcher nothing to look for: a false all-clear too
    marks = _write(tmp_path / "punct.csv", "mark,owner\n!!!,P\n-,Dash\n&,Amp\n\u00a0\u200b,Space\n")
    with pytest.raises(CorpusError, match="no letter or digit") as err:
        scan(ScanConfig(listings=[tmp_path / "missing.tsv"]), corpus=load_corpus(marks))
    assert "the corpus has no marks" in str(err.value) and "4 mark(s)" in str(err.value)
    # one mark with a letter is enough, in the mark or in an alias
    for text in ("mark,owner\n!!!,P\nX,Letter\n", "mark,owner,aliases\n!!!,P,ピカ\n"):
        corpus = load_corpus(_write(tmp_path / "some.csv", text))
        with pytest.raises(InputError):  # past the corpus check: the missing listings file is what stops it
            scan(ScanConfig(listings=[tmp_path / "missing.tsv"]), corpus=corpus)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


class _Stream:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, s: str) -> int:
        self.parts.append(s)
        return len(s)

    def flush(self) -> None:
        pass

    def lines(self) -> list[str]:
        return "".join(self.parts).splitlines()


def _listings(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"sku": s, "brand": b, "marketplace": m, "source_row": i + 2, "source_file": "/x/a.txt"}
                         for i, (s, b, m) in enumerate(rows)])


def test_duplicate_skus_are_per_marketplace_and_ignore_empty_skus():
    dups = duplicate_skus(_listings([("A", "", "US"), ("A", "", "UK"), ("", "", "US"), ("", "", "US"),
                                     ("B", "", "US"), ("B", "", "US"), ("B", "", "US")]))
    assert dups == [{"sku": "B", "marketplace": "US", "count": 3, "rows": [6, 7, 8], "files": ["a.txt"],
                     "row_files": ["a.txt"] * 3}]
    many = [{"sku": f"S{i}", "count": 2} for i in range(12)]
    line = duplicate_warning(many)
    assert line.startswith("12 SKUs appear more than once: S0 (2 rows), S1 (2 rows)")
    assert ", ... and 2 more;" in line and "S10" not in line
    assert duplicate_warning([]) == ""


def test_brand_hint_only_when_most_rows_name_a_real_brand():
    profile = SellerProfile(name="Inkwell Store")
    branded = _listings([("A", "Inkwell", "US"), ("B", "Inkwell", "US"), ("C", "Generic", "US")])
    assert "2 of 3 listings name a brand" in brand_hint(branded, profile)
    placeholders = _listings([("A", "Generic", "US"), ("B", "Sin marca", "US"), ("C", "ノーブランド", "US"),
                              ("D", "Inkwell Store", "US"), ("E", "", "US")])  # the store name is no brand either
    assert brand_hint(placeholders, profile) == ""
    assert brand_hint(branded, SellerProfile(own_brands=("inkwell",))) == ""
    assert brand_hint(branded, SellerProfile(authorized_brands=("lumina",))) == ""


def test_scan_result_lives_in_its_own_module():
    from scanner.scan_result import ScanResult as Moved

    assert ScanResult is Moved and Moved.__module__ == "scanner.scan_result"


# --- CSV / JSON writers ------------------------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    ("=1+2", "'=1+2"), ("+1", "'+1"), ("-2", "'-2"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("a=b", "a=b"), ("", ""), (0.5, 0.5), (3, 3),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_writers_prefix_text_never_numbers(tmp_path):
    result = synthetic_scan_result(5)
    result.results.loc[result.results.index[0], "title"] = "=cmd|' /C calc'!A0"
    result.results.loc[result.results.index[0], "reasons"] = "-dangerous"
    write_csv(result, tmp_path / "safe.csv")
    write_csv(result, tmp_path / "raw.csv", safe=False)
    write_jsonl(result, tmp_path / "safe.jsonl", safe=True)
    safe = pd.read_csv(tmp_path / "safe.csv", dtype=str, keep_default_na=False)
    raw = pd.read_csv(tmp_path / "raw.csv", dtype=str, keep_default_na=False)
    assert safe.loc[0, "title"] == "'=cmd|' /C calc'!A0" and raw.loc[0, "title"] == "=cmd|' /C calc'!A0"
    assert safe.loc[0, "reasons"] == "'-dangerous"
    assert (safe["risk_score"] == raw["risk_score"]).all() and not safe["risk_score"].str.startswith("'").any()
    first = json.loads((tmp_path / "safe.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["title"].startswith("'=") and isinstance(first["risk_score"], float)
    assert isinstance(first["source_row"], int)


def test_no_csv_safe_option_turns_it_off(tmp_path):
    (tmp_path / "l.tsv").write_text("item_sku\titem_name\n+1\t=2+3 mug\n+1\t=2+3 mug\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text(CORPUS, encoding="utf-8")
    base = ["scan", str(tmp_path / "l.tsv"), "--corpus", str(tmp_path / "c.csv"), "--out", str(tmp_path / "r.xlsx"),
            "--no-history", "-q"]
    result = CliRunner().invoke(cli, [*base, "--csv", str(tmp_path / "r.csv"), "--json", str(tmp_path / "r.json"),
                                      "--no-csv-safe"])
    assert result.exit_code == 0 and result.output == ""  # --quiet: no stage, no duplicate-SKU warning
    assert "\n+1,,=2+3 mug," in (tmp_path / "r.csv").read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, [*base, "--json", str(tmp_path / "r2.json"), "--csv-safe"])
    assert result.exit_code == 0
    first = (tmp_path / "r2.json").read_text(encoding="utf-8").splitlines()[0]
    assert json.loads(first)["title"] == "'=2+3 mug"


def test_empty_corpus_error_says_why_its_records_were_skipped(tmp_path):
    from scanner.pipeline import check_corpus

    bad = load_corpus(_write(tmp_path / "marks.csv", "mark,nice_classes\nFoo,abc\n"))
    with pytest.raises(CorpusError) as err:
        check_corpus(bad, ScanConfig(listings=[], corpus=tmp_path / "marks.csv"), Progress(quiet=True))
    text = str(err.value)
    assert "1 record(s) read, 1 skipped" in text and "row 2, column 'nice_classes'" in text and "\n" not in text


def test_a_scan_of_no_listing_rows_is_an_error(tmp_path):
    (tmp_path / "l.tsv").write_text("item_sku\titem_name\n", encoding="utf-8")
    (tmp_path / "r.tsv").write_text("item_sku\titem_name\nS1\t\nS2\t \n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        scan(ScanConfig(listings=[tmp_path / "l.tsv", tmp_path / "r.tsv"]),
             corpus=load_corpus(_write(tmp_path / "c.csv", CORPUS)), progress=Progress(quiet=True))
    assert str(err.value) == (f"no listing to scan, so nothing was written: {tmp_path / 'l.tsv'}: 0 row(s) read, 0 "
                              f"rejected; {tmp_path / 'r.tsv'}: 2 row(s) read, 2 rejected (first: row 2, column "
                              "'item_name': empty title)")


def test_a_scan_of_no_listing_leaves_last_weeks_outputs_and_history_alone(tmp_path):
    good = tmp_path / "good.tsv"
    good.write_text("item_sku\titem_name\nS1\tCanon ink cartridge\n", encoding="utf-8")
    cut = tmp_path / "cut.tsv"
    cut.write_text("item_sku\titem_name\n", encoding="utf-8")
    out, csv_path, hist = tmp_path / "r.xlsx", tmp_path / "r.csv", tmp_path / "h"
    args = ["--out", str(out), "--csv", str(csv_path), "--history", str(hist), "-q"]
    assert CliRunner().invoke(cli, ["scan", str(good), *args]).exit_code == 0
    before = (out.read_bytes(), csv_path.read_bytes(), (hist / "history.sqlite3").read_bytes())
    result = CliRunner().invoke(cli, ["scan", str(cut), *args])
    assert result.exit_code == 1 and result.output.startswith("error: no listing to scan")
    assert (out.read_bytes(), csv_path.read_bytes(), (hist / "history.sqlite3").read_bytes()) == before


def test_corpus_build_of_no_marks_warns(tmp_path):
    (tmp_path / "marks.csv").write_text("mark,status\nFoo,alive\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["corpus", "build", str(tmp_path / "marks.csv"), "--out", str(tmp_path / "c")])
    assert result.exit_code == 0
    assert "warning: the corpus has no marks: `scanner scan` refuses it" in result.output
