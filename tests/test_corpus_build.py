"""Compiling a corpus folder and loading it (scanner.corpus.build / store / load_corpus)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scanner.corpus import MARK_COLUMNS, build_corpus, compile_corpus, content_hash, load_corpus
from scanner.errors import CorpusError, OverwriteError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "uspto"
DAY1, DAY2 = FIXTURES / "apc250101.zip", FIXTURES / "apc250102.zip"
MALFORMED = FIXTURES / "apc250103_malformed.xml"
CASEFILES = FIXTURES / "casefiles"


def by_serial(corpus):
    return {r["serial_number"]: r for r in corpus.marks.to_dict("records")}


def test_build_from_a_daily_file(tmp_path):
    out = tmp_path / "corpus"
    corpus = build_corpus([DAY1], out)
    assert corpus.path == out.resolve()
    assert list(corpus.marks.columns) == list(MARK_COLUMNS)
    assert all(str(t) in ("str", "string") for t in corpus.marks.dtypes)
    marks = by_serial(corpus)
    assert set(marks) == {"99000001", "99000003", "99000004", "71112081"}  # design-only 99000002 dropped
    meta = json.loads((out / "corpus.json").read_text(encoding="utf-8"))
    assert meta["format"] == "scanner-corpus" and meta["format_version"] == 1
    counts = meta["counts"]
    assert counts["records_read"] == 5 and counts["kept"] == 4
    assert counts["skipped"] == {"no_mark_text": 1}
    assert counts["status"] == {"live": 2, "dead": 1, "pending": 1, "unknown": 0}
    src = meta["sources"][0]
    assert src["name"] == "apc250101.zip" and src["kind"] == "uspto_xml" and src["creation_datetime"] == "202501012200"
    assert src["files"][0]["size"] == DAY1.stat().st_size and len(src["files"][0]["sha256"]) == 64
    assert meta["content_hash"] == content_hash(corpus.marks) == corpus.info["content_hash"]
    assert meta["build_date"] and meta["scanner_version"]
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())  # no build leftovers


@pytest.mark.parametrize("order", [(DAY1, DAY2), (DAY2, DAY1)])
def test_later_daily_file_updates_a_serial_whatever_the_order(tmp_path, order):
    corpus = build_corpus(list(order), tmp_path / "corpus")
    marks = by_serial(corpus)
    glimmer = marks["99000001"]  # transaction 20250102 in day 2 beats 20250101 in day 1
    assert (glimmer["status"], glimmer["status_code"], glimmer["owner"]) == (
        "dead", "602", "Glimmerwick Test Holdings LLC")
    assert glimmer["source"] == "apc250102.zip"
    cert = marks["99000003"]  # same transaction date in both: the later file (creation-datetime) wins
    assert cert["status_code"] == "606" and cert["source"] == "apc250102.zip"
    assert len(corpus) == 4 and corpus.marks["serial_number"].is_unique
    counts = corpus.info["counts"]
    assert counts["skipped"]["superseded"] == 2
    assert counts["records_read"] == counts["kept"] + sum(counts["skipped"].values())


def test_mixed_sources_and_counts_add_up(tmp_path):
    csv_path = tmp_path / "extra.csv"
    csv_path.write_text("mark,owner,status,jurisdiction,serial_number\n"
                        "Acme,Acme Inc,live,EU,018000001\nBad,,alive,,\nNo Serial,,live,,\n", encoding="utf-8")
    corpus = build_corpus([DAY1, MALFORMED, CASEFILES, csv_path], tmp_path / "corpus")
    meta = corpus.info
    counts = meta["counts"]
    assert counts["records_read"] == 5 + 3 + 6 + 3
    assert counts["skipped"]["malformed_record"] == 1 and counts["skipped"]["bad_value"] == 1
    assert counts["records_read"] == counts["kept"] + sum(counts["skipped"].values())
    assert sum(counts["status"].values()) == counts["kept"] == len(corpus)
    marks = by_serial(corpus)
    # CUTEX is in all three USPTO sources: the dated XML records beat the undated Case Files row; of the two
    # XML records (same transaction date), the file with the later creation-datetime wins
    assert marks["71112081"]["source"] == "apc250103_malformed.xml"
    assert marks["72244547"]["source"] == "casefiles"
    assert marks["018000001"]["jurisdiction"] == "EU"
    assert "No Serial" in set(corpus.marks["mark"])
    kinds = [s["kind"] for s in meta["sources"]]
    assert kinds == ["uspto_xml", "uspto_xml", "casefiles", "trademark_csv"]
    assert {f["name"] for f in meta["sources"][2]["files"]} == {
        "case_file.csv", "owner.csv", "intl_class.csv", "statement.csv"}
    assert any(i["reason"] == "bad_value" and i["row"] == 3 for i in meta["issues"])


def test_parallel_build_gives_the_same_corpus(tmp_path):
    one = build_corpus([DAY1, DAY2, MALFORMED, CASEFILES], tmp_path / "one")
    two = build_corpus([DAY1, DAY2, MALFORMED, CASEFILES], tmp_path / "two", jobs=2)
    assert one.info["content_hash"] == two.info["content_hash"]
    assert one.info["counts"] == two.info["counts"]


def test_one_large_xml_file_is_parsed_by_the_jobs_the_build_is_given(tmp_path, monkeypatch):
    from scanner import forked
    from scanner.corpus import build, uspto_xml

    seen = []
    real = uspto_xml.iter_uspto_xml

    def spy(path, **kwargs):
        seen.append(kwargs["jobs"])
        return real(path, **kwargs)

    monkeypatch.setattr(uspto_xml, "iter_uspto_xml", spy)
    monkeypatch.setattr(uspto_xml, "PARALLEL_MIN_BYTES", 0)  # the tiny fixture counts as large
    auto = build_corpus([DAY1], tmp_path / "auto")  # default: one per core (at most 4), where fork exists
    one = build_corpus([DAY1], tmp_path / "one", jobs=1)
    three = build_corpus([DAY1], tmp_path / "three", jobs=3)
    expected = min(forked.usable_cpus(), forked.MAX_AUTO_JOBS) if forked.can_fork() else 1
    assert seen == [expected, 1, 3] and build.parse_jobs_for(None) == expected
    assert auto.info["content_hash"] == one.info["content_hash"] == three.info["content_hash"]
    assert auto.info["counts"] == one.info["counts"] == three.info["counts"]


@pytest.mark.parametrize("jobs", [None, 1, 3])
def test_a_zip_scanned_directly_is_compiled_with_the_scan_jobs(tmp_path, monkeypatch, jobs):
    import scanner.corpus as corpus_api
    from scanner.config import ScanConfig
    from scanner.pipeline import scan

    seen = []
    real = corpus_api.compile_corpus

    def spy(*args, **kwargs):
        seen.append(kwargs["jobs"])
        return real(*args, **kwargs)

    monkeypatch.setattr(corpus_api, "compile_corpus", spy)
    assert len(corpus_api.load_corpus(DAY1, jobs=jobs)) == 4
    listings = tmp_path / "listings.csv"
    listings.write_text("sku,title,brand\nA1,Glimmerwick scented candle,Other\n", encoding="utf-8")
    result = scan(ScanConfig(listings=[listings], out=tmp_path / "r.xlsx", corpus=DAY1, jobs=jobs))
    assert seen == [jobs, jobs] and len(result.results) == 1


def test_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "corpus"
    build_corpus([DAY1], out)
    with pytest.raises(OverwriteError, match="--force"):
        build_corpus([DAY2], out)
    assert len(load_corpus(out)) == 4
    rebuilt = build_corpus([DAY2], out, force=True)
    assert set(by_serial(rebuilt)) == {"99000001", "99000003"}
    other = tmp_path / "notes"
    other.mkdir()
    (other / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OverwriteError, match="not a corpus folder"):
        build_corpus([DAY1], other, force=True)
    assert (other / "mine.txt").read_text(encoding="utf-8") == "keep me"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert len(build_corpus([DAY1], empty)) == 4


def test_failed_build_keeps_the_old_corpus(tmp_path):
    out = tmp_path / "corpus"
    build_corpus([DAY1], out)
    before = (out / "corpus.json").read_text(encoding="utf-8")
    with pytest.raises(CorpusError, match="apc250101_truncated.zip"):
        build_corpus([DAY2, FIXTURES / "apc250101_truncated.zip"], out, force=True)
    assert (out / "corpus.json").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]


def test_build_leaves_the_index_to_its_caller(tmp_path):
    """The corpus does not know who searches it: build_corpus writes no match index (the CLI prepares it,
    tests/test_corpus_cli.py) and does not import the matcher."""
    import subprocess
    import sys

    build_corpus([DAY1], tmp_path / "corpus")
    assert not (tmp_path / "corpus" / "index").exists()
    code = ("import sys; from scanner.corpus import build_corpus; "
            f"build_corpus([{str(DAY1)!r}], {str(tmp_path / 'c2')!r}); print('scanner.match' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout
    assert out.strip() == "False"


def test_load_corpus_sources(tmp_path):
    assert len(load_corpus(DAY1)) == 4  # a USPTO file directly, compiled on the fly
    assert load_corpus(DAY1).path is None
    compiled = build_corpus([DAY1], tmp_path / "corpus")
    loaded = load_corpus(tmp_path / "corpus")
    assert loaded.marks.equals(compiled.marks)
    assert loaded.info["content_hash"] == content_hash(loaded.marks)


def test_folder_that_is_not_a_corpus_and_unknown_format_version(tmp_path):
    with pytest.raises(CorpusError, match="not a corpus folder"):
        load_corpus(tmp_path)
    out = tmp_path / "corpus"
    build_corpus([DAY1], out)
    meta = json.loads((out / "corpus.json").read_text(encoding="utf-8"))
    meta["format_version"] = 99
    (out / "corpus.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        load_corpus(out)
    assert "format_version 99" in str(err.value) and "\n" not in str(err.value)
    (out / "corpus.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CorpusError, match="unreadable"):
        load_corpus(out)


def test_unknown_source_types_are_one_line_errors(tmp_path):
    odd = tmp_path / "marks.parquet"
    odd.write_bytes(b"PAR1")
    with pytest.raises(CorpusError, match="unknown trademark source type"):
        compile_corpus([odd], tmp_path / "out")
    folder = tmp_path / "random"
    folder.mkdir()
    (folder / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(CorpusError, match="not a trademark source"):
        compile_corpus([folder], tmp_path / "out")


def test_folder_of_daily_files_and_a_corpus_as_source(tmp_path):
    daily = tmp_path / "daily"
    daily.mkdir()
    shutil.copy(DAY2, daily / DAY2.name)
    shutil.copy(DAY1, daily / DAY1.name)
    first = build_corpus([daily], tmp_path / "first")
    assert [s["name"] for s in first.info["sources"]] == ["apc250101.zip", "apc250102.zip"]
    assert by_serial(first)["99000001"]["status"] == "dead"
    merged = build_corpus([tmp_path / "first", CASEFILES], tmp_path / "merged")
    assert by_serial(merged)["99000001"]["status"] == "dead"
    assert "72244547" in by_serial(merged)


class _Bar:
    def __init__(self):
        self.total = 0
        self.postfix = ""

    def update(self, n=1):
        self.total += n

    def set_postfix_str(self, s):
        self.postfix = s


def test_progress_counts_bytes_and_records(tmp_path):
    import io
    import zipfile

    from scanner.corpus import iter_casefiles, iter_trademark_csv, iter_uspto_xml
    from scanner.progress import Progress

    bar = _Bar()
    assert sum(1 for _ in iter_uspto_xml(DAY1, bar=bar)) == 5
    with zipfile.ZipFile(DAY1) as archive:
        assert bar.total == archive.infolist()[0].file_size  # uncompressed bytes
    bar = _Bar()
    assert sum(1 for _ in iter_casefiles(CASEFILES, bar=bar)) == 6
    assert bar.total == (CASEFILES / "case_file.csv").stat().st_size
    csv_path = tmp_path / "extra.csv"
    csv_path.write_text("mark\nAcme\nZed\n", encoding="utf-8")
    bar = _Bar()
    assert sum(1 for _ in iter_trademark_csv(csv_path, bar=bar)) == 2 and bar.total == 2

    stream = io.StringIO()
    build_corpus([DAY1, CASEFILES], tmp_path / "corpus", progress=Progress(stream=stream))
    text = stream.getvalue()
    assert "importing apc250101.zip" in text and "importing casefiles" in text and "de-duplicating" in text
    quiet = io.StringIO()
    build_corpus([DAY1], tmp_path / "quiet", progress=Progress(quiet=True, stream=quiet))
    assert quiet.getvalue() == ""


def test_status_filter_applies_after_updates(tmp_path):
    # GLIMMERWICK is pending in day 1 and dead in day 2: keeping live+pending must drop it, not keep day 1's
    corpus = build_corpus([DAY1, DAY2], tmp_path / "corpus", statuses=["live", "pending"])
    marks = by_serial(corpus)
    assert "99000001" not in marks and set(marks) == {"99000004", "71112081"}
    counts = corpus.info["counts"]
    assert counts["skipped"]["status_filtered"] == 2
    assert counts["records_read"] == counts["kept"] + sum(counts["skipped"].values())
    assert corpus.info["statuses_kept"] == ["live", "pending"]
    with pytest.raises(CorpusError, match="unknown status"):
        build_corpus([DAY1], tmp_path / "other", statuses=["alive"])


def test_status_filtered_records_are_not_announced_as_more_skipped_issues(tmp_path):
    import io

    from scanner.progress import Progress

    csv_path = tmp_path / "marks.csv"
    csv_path.write_text("mark,status\n" + "".join(f"DEAD MARK {i},dead\n" for i in range(20)) + "LIVE ONE,live\n",
                        encoding="utf-8")
    stream = io.StringIO()
    corpus = build_corpus([csv_path], tmp_path / "corpus", statuses=["live"], progress=Progress(stream=stream))
    assert corpus.info["counts"]["skipped"]["status_filtered"] == 20 and corpus.info["issues"] == []
    assert "more skipped records" not in stream.getvalue()


def test_a_source_given_twice_is_imported_once(tmp_path, monkeypatch):
    import io

    from scanner.progress import Progress

    (tmp_path / "m.csv").write_text("mark,owner\nAcme,Acme Co\nZed,Zed Co\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    meta = compile_corpus(["m.csv", tmp_path / "m.csv"], tmp_path / "c", progress=Progress(stream=out))
    corpus = load_corpus(tmp_path / "c")
    assert len(corpus) == 2 and meta["counts"]["records_read"] == 2 and len(meta["sources"]) == 1
    assert "m.csv was given already: imported once" in out.getvalue()
