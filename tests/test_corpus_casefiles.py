"""The USPTO Trademark Case Files Dataset importer (scanner.corpus.uspto_casefiles)."""

from __future__ import annotations

import random
import shutil
import zipfile
from pathlib import Path

import pytest

from scanner.corpus import iter_casefiles
from scanner.corpus import uspto_casefiles as cf
from scanner.corpus.stats import ImportStats
from scanner.errors import CorpusError

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "uspto" / "casefiles"


def read(folder, **kwargs):
    stats = ImportStats()
    return list(iter_casefiles(folder, stats=stats, **kwargs)), stats


def test_fixture_columns_follow_the_variable_table(shared_data):
    text = (shared_data / "uspto" / "docs" / "OCE_TM_CaseFiles_vartable_2015.txt").read_text(encoding="utf-8")
    for table in ("case_file", "owner", "intl_class", "statement"):
        header = (FIXTURE / f"{table}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
        documented = set()
        for block in text.split(f"Dataset: {table}.dta")[1:]:  # the table may continue on the next page
            block = block.split("Dataset:", 1)[0]
            documented |= {line.split()[0] for line in block.splitlines()[4:] if line.strip() and not
                           line.startswith(("USPTO", " ", "Variable"))}
        assert set(header) <= documented | {"serial_no"}, table


def test_join_reads_every_table():
    records, stats = read(FIXTURE)
    by_serial = {r["serial_number"]: r for r in records}
    assert stats.read == 6 and stats.yielded == 6
    cutex = by_serial["71112081"]
    assert (cutex["mark"], cutex["owner"], cutex["nice_classes"], cutex["status"]) == (
        "CUTEX", "CUTEX, INC.", "8", "live")
    assert (cutex["registration_number"], cutex["filing_date"], cutex["registration_date"]) == (
        "0124134", "19180711", "19190114")
    assert cutex["drawing_code"] == "1" and cutex["goods_services"] == "EMERY BOARDS"
    assert cutex["transaction_date"] == "" and cutex["source"] == "casefiles" and cutex["jurisdiction"] == "US"
    carboline = by_serial["72244547"]
    assert carboline["nice_classes"] == "1;2;3;19" and carboline["owner"] == "CARBOLINE INTERNATIONAL CORPORATION"
    assert "EPOXYAMINE PRIMER AND FINISH" in carboline["goods_services"] and "PRIMES" not in carboline["goods_services"]
    assert "SHOULD BE DELETED" not in carboline["goods_services"]
    tusimple = by_serial["87310367"]
    assert tusimple["status"] == "pending" and tusimple["registration_number"] == "" and tusimple["owner"] == "TuSimple"
    assert "TU SIMPLE" not in tusimple["goods_services"]
    cert = by_serial["99000003"]
    assert cert["nice_classes"] == "9" and cert["owner"] == "Zantivo Test Standards Board"
    assert cert["goods_services"] == "Certifying that the goods meet test standards"  # GS0092 = less goods only
    assert by_serial["99000002"]["mark"] == "" and by_serial["99000002"]["drawing_code"] == "2"
    assert stats.flags["us_only_class_codes"] == 1
    assert any("not in case_file" in n for n in stats.notes)


def _shuffled_copy(tmp_path: Path, tables=("owner", "intl_class", "statement", "case_file")) -> Path:
    folder = tmp_path / "casefiles-unsorted"
    shutil.copytree(FIXTURE, folder)
    rng = random.Random(7)
    for table in tables:
        lines = (folder / f"{table}.csv").read_text(encoding="utf-8").splitlines(keepends=True)
        body = lines[1:][::-1]  # fixtures are in serial order: reversed is out of order
        rng.shuffle(body[1:-1])
        (folder / f"{table}.csv").write_text(lines[0] + "".join(body), encoding="utf-8")
    return folder


def test_unsorted_tables_join_through_sqlite_with_the_same_result(tmp_path):
    expected, _ = read(FIXTURE)
    folder = _shuffled_copy(tmp_path)
    assert not cf._is_sorted(folder / "owner.csv")
    workdir = tmp_path / "work"
    workdir.mkdir()
    got, stats = read(folder, workdir=workdir)
    key = lambda r: r["serial_number"]  # noqa: E731
    assert sorted(got, key=key) == sorted((dict(r, source=folder.name) for r in expected), key=key)
    assert any("SQLite" in n for n in stats.notes)
    assert list(workdir.iterdir()) == []  # the temporary database is removed


def test_class_code_that_is_no_nice_class_is_left_out_and_counted(tmp_path):
    folder = tmp_path / "classes"
    shutil.copytree(FIXTURE, folder)
    table = folder / "intl_class.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].strip().split(",")
    cells = lines[1].rstrip("\r\n").split(",")
    cells[header.index("intl_class_cd")] = "046"
    table.write_text("".join([lines[0], ",".join(cells) + "\n", *lines[2:]]), encoding="utf-8")
    records, stats = read(folder)
    assert stats.flags["unknown_class_codes"] == 1 and stats.yielded == 6
    assert read(FIXTURE)[1].flags["unknown_class_codes"] == 0


def test_zipped_tables(tmp_path):
    folder = tmp_path / "casefiles-zipped"
    folder.mkdir()
    for table in cf.TABLES:
        with zipfile.ZipFile(folder / f"{table}.csv.zip", "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(FIXTURE / f"{table}.csv", f"{table}.csv")
    records, _ = read(folder)
    assert len(records) == 6 and {r["mark"] for r in records} >= {"CUTEX", "COLUMBIAN"}


def test_missing_table_and_missing_column_are_one_line_errors(tmp_path):
    folder = tmp_path / "partial"
    shutil.copytree(FIXTURE, folder)
    (folder / "statement.csv").unlink()
    with pytest.raises(CorpusError, match=r"missing statement\.csv"):
        read(folder)
    shutil.copy(FIXTURE / "statement.csv", folder / "statement.csv")
    text = (folder / "owner.csv").read_text(encoding="utf-8").replace("own_name", "owner_name", 1)
    (folder / "owner.csv").write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        read(folder)
    assert "own_name" in str(err.value) and "owner.csv" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("table,row,words", [
    ("intl_class", b"009,99,71112081,extra\n", "Expected 3 columns, got 4"),
    ("owner", b"71112081\n", "Expected"),
    ("case_file", None, "column 'mark_id_char'"),
])
def test_broken_row_in_a_table_is_a_one_line_error(tmp_path, table, row, words):
    # a broken row in the first block of a table (where the reader is opened) as well as in a later one
    folder = tmp_path / "broken"
    shutil.copytree(FIXTURE, folder)
    path = folder / f"{table}.csv"
    if row is None:  # a mark in cp1252 in a UTF-8 table
        lines = path.read_bytes().splitlines(keepends=True)
        header = lines[0].decode().strip().split(",")
        cells = lines[1].decode().rstrip("\r\n").split(",")
        cells[header.index("mark_id_char")] = "CAF\xc9"
        cells[header.index("serial_no")] = "71999999"
        row = ",".join(cells).encode("latin-1") + b"\n"
    path.write_bytes(path.read_bytes() + row)
    with pytest.raises(CorpusError) as err:
        read(folder)
    msg = str(err.value)
    assert msg.startswith(str(path)) and words in msg and "\n" not in msg


def test_duplicate_and_empty_serials_are_reported(tmp_path):
    folder = tmp_path / "dups"
    shutil.copytree(FIXTURE, folder)
    lines = (folder / "case_file.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    blank = "," + lines[1].split(",", 1)[1]
    lines = [lines[0], blank, lines[1], lines[1], *lines[2:]]
    (folder / "case_file.csv").write_text("".join(lines), encoding="utf-8")
    records, stats = read(folder)
    assert stats.read == 8 and stats.yielded == 6
    assert stats.skipped["malformed_record"] == 1 and stats.skipped["duplicate_serial"] == 1
    assert stats.read == stats.yielded + sum(stats.skipped.values())
