"""The trademark CSV format: import validation and export (scanner.corpus.trademark_csv)."""

from __future__ import annotations

import csv

import pytest

from scanner.corpus import MARK_COLUMNS, TRADEMARK_CSV_COLUMNS, export_corpus, iter_trademark_csv, load_corpus
from scanner.corpus.stats import ImportStats
from scanner.corpus.trademark_csv import export_columns
from scanner.errors import CorpusError, OverwriteError


def write(tmp_path, text, name="marks.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read(path):
    stats = ImportStats()
    return list(iter_trademark_csv(path, stats=stats)), stats


def test_only_mark_is_required_and_values_are_normalised(tmp_path):
    path = write(tmp_path, "Mark,Status,nice_classes,jurisdiction,kind\n"
                           "Acme Widgets,Live,25; 9;9,us,Brand\n"
                           "  Zed   Gadget ,,,,\n")
    rows, stats = read(path)
    assert [r["mark"] for r in rows] == ["Acme Widgets", "Zed Gadget"]
    first = rows[0]
    assert (first["status"], first["nice_classes"], first["jurisdiction"], first["kind"]) == ("live", "9;25", "US", "brand")
    assert first["owner"] == "" and first["source"] == "marks.csv"
    assert set(MARK_COLUMNS) <= set(first)
    assert stats.read == 2 and stats.yielded == 2 and not stats.skipped


def test_bad_rows_are_reported_with_file_row_column_and_skipped(tmp_path):
    path = write(tmp_path, "mark,status,kind,nice_classes\n"
                           "Good One,live,brand,9\n"
                           "Bad Status,alive,,\n"
                           "Bad Kind,live,company,\n"
                           "Bad Class,live,,46\n"
                           ",live,,\n"
                           "Good Two,dead,,1;45\n"
                           "Bad Class Text,pending,,nine\n")
    rows, stats = read(path)
    assert [r["mark"] for r in rows] == ["Good One", "Good Two"]
    assert stats.read == 7 and stats.skipped["bad_value"] == 5
    where = [(i["file"], i["row"], i["column"]) for i in stats.issues]
    assert where == [("marks.csv", 3, "status"), ("marks.csv", 4, "kind"), ("marks.csv", 5, "nice_classes"),
                     ("marks.csv", 6, "mark"), ("marks.csv", 8, "nice_classes")]
    assert "alive" in stats.issues[0]["detail"]


def test_unknown_columns_are_ignored_with_a_note(tmp_path):
    path = write(tmp_path, "mark,colour,owner,notes\nAcme,red,Acme Inc,hello\n")
    rows, stats = read(path)
    assert rows[0]["owner"] == "Acme Inc" and "colour" not in rows[0]
    assert any("colour" in n and "notes" in n for n in stats.notes)


def test_missing_mark_header_is_a_one_line_error(tmp_path):
    path = write(tmp_path, "brand,owner\nAcme,Acme Inc\n")
    with pytest.raises(CorpusError) as err:
        read(path)
    msg = str(err.value)
    assert "'mark'" in msg and "marks.csv" in msg and "brand" in msg and "\n" not in msg
    with pytest.raises(CorpusError, match="empty file"):
        read(write(tmp_path, "", "empty.csv"))


def test_not_utf8_is_a_one_line_error(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("mark\nCaf\xe9\n".encode("latin-1"))
    with pytest.raises(CorpusError) as err:
        read(path)
    assert "UTF-8" in str(err.value) and "latin.csv" in str(err.value)


def test_export_writes_fixed_columns_first_then_extra(tmp_path):
    assert export_columns(MARK_COLUMNS)[: len(TRADEMARK_CSV_COLUMNS)] == list(TRADEMARK_CSV_COLUMNS)
    assert export_columns(MARK_COLUMNS)[len(TRADEMARK_CSV_COLUMNS):][0] == "goods_services"
    src = write(tmp_path, "owner,mark,status,goods_services\nAcme Inc,Acme,live,Shirts\nB Co,Bee,dead,\n")
    out = tmp_path / "out.csv"
    assert export_corpus(src, out) == 2
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == export_columns(MARK_COLUMNS)
    back = load_corpus(out)
    assert back.marks["mark"].tolist() == ["Acme", "Bee"]
    assert back.marks["goods_services"].tolist() == ["Shirts", ""]
    assert back.marks["status"].tolist() == ["live", "dead"]
    with pytest.raises(OverwriteError):
        export_corpus(src, out)
    assert export_corpus(src, out, force=True) == 2


def test_starter_corpus_loads(tmp_path):
    corpus = load_corpus()
    assert len(corpus) > 0 and list(corpus.marks.columns) == list(MARK_COLUMNS)
    assert corpus.path is None and corpus.info["content_hash"]
    assert set(corpus.marks["status"]) <= {"live", "dead", "pending", ""}


def test_chunked_reading_gives_the_same_records_reports_and_errors(tmp_path, monkeypatch):
    """The importer reads a chunk of lines at a time (plain lines split on commas, a chunk with a quote read
    by the csv module): any chunk size gives what reading row by row gives."""
    from scanner.corpus.trademark_csv import iter_trademark_csv_batches

    text = ('mark,status,nice_classes,Extra,aliases\n'
            'Acme,live,9,x, A ; B;;A \n'
            '\n'
            ',,,\n'
            '"Multi\nline, quoted",pending,25,,\n'
            'Bad status,alive,9,,\n'
            'Short row\n'
            'Long row,dead,3,e,, ,\n'
            'Longer row,dead,3,e,,more,fields\n'
            '  Spaced\u00a0 out\t,,46,,\n'
            'a"b,,1;2,,\n'
            'Last,Live,"9; 25",,\n')
    path = write(tmp_path, text)

    def rows_and_stats(chunk_rows):
        stats = ImportStats()
        out = []
        for batch in iter_trademark_csv_batches(path, stats=stats, chunk_rows=chunk_rows):
            out += [dict(zip(batch, values, strict=True)) for values in zip(*batch.values(), strict=True)]
        return out, stats.as_dict()

    expected = rows_and_stats(20_000)
    assert [r["mark"] for r in expected[0]] == ["Acme", "Multi line, quoted", "Short row", "Long row", 'a"b', "Last"]
    assert [(i["row"], i["column"]) for i in expected[1]["issues"]] == [(6, "status"), (9, None), (10, "nice_classes")]
    assert expected[1]["skipped"] == {"bad_value": 2, "extra_fields": 1}
    assert expected[0][0]["aliases"] == "A;B" and expected[0][-1]["nice_classes"] == "9;25"
    for chunk_rows in (1, 2, 3, 5):
        assert rows_and_stats(chunk_rows) == expected

    monkeypatch.setattr("scanner.corpus.trademark_csv.FIELD_SIZE_LIMIT", 1000)
    broken = write(tmp_path, "mark\nAcme\nZed\n" + "X" * 1001 + "\nLater\n", "broken.csv")
    for chunk_rows in (1, 2, 20_000):
        stats = ImportStats()
        seen = []
        with pytest.raises(CorpusError, match="malformed CSV") as err:
            for batch in iter_trademark_csv_batches(broken, stats=stats, chunk_rows=chunk_rows):
                seen += batch["mark"]
        assert err.value.row == 4 and seen == ["Acme", "Zed"] and stats.read == 2


@pytest.mark.parametrize("block_size", [1, 3, 7, 1 << 20])
def test_not_utf8_names_the_line_of_the_first_bad_byte(tmp_path, block_size):
    from scanner.corpus.trademark_csv import _first_undecodable_line

    good = "".join(f"Märke {i},Öwner {i}\n" for i in range(3000))  # more than the reader's read-ahead
    path = tmp_path / "late.csv"
    # a lone surrogate written by a broken exporter (0xed 0xa0 0x80) on line 3,002 (the header is line 1)
    path.write_bytes(("mark,owner\n" + good).encode("utf-8") + b"Bad \xed\xa0\x80,X\nZed,Y\n")
    with pytest.raises(CorpusError) as err:
        list(iter_trademark_csv(path))
    message = str(err.value)
    assert "late.csv" in message and "line 3002" in message and "0xed" in message and "\n" not in message
    assert _first_undecodable_line(path, block_size) == 3002
    # a character cut at the end of the file
    path.write_bytes("mark\nAcme\nZé".encode()[:-1])
    assert _first_undecodable_line(path, block_size) == 3
    path.write_bytes("mark\nAcmé\n".encode())
    assert _first_undecodable_line(path, block_size) is None


@pytest.mark.parametrize("chunk_rows", [1, 2, 20_000])
def test_a_quote_left_open_is_reported_not_read_as_one_long_value(tmp_path, chunk_rows):
    # the rows after the open quote are read into Foo's owner: that row is reported, not kept as a mark
    path = write(tmp_path, 'mark,owner,nice_classes,status\nNike,Nike Inc.,25,live\nFoo,"Foo Corp,25,live\n'
                           "Adidas,adidas AG,25,live\nPuma,Puma SE,25,live\n")
    stats = ImportStats()
    rows = list(iter_trademark_csv_batches_rows(path, stats, chunk_rows))
    assert [r["mark"] for r in rows] == ["Nike"]
    assert stats.skipped["bad_value"] == 1
    issue = stats.issues[0]
    assert (issue["file"], issue["row"], issue["column"]) == ("marks.csv", 3, "owner")
    assert "quote left open" in issue["detail"] and "2 line(s)" in issue["detail"]
    # a quote closed later on swallows the lines up to it: the same report
    path.write_text('mark,owner\nFoo,"Foo Corp\nAdidas,adidas AG\nPuma,"Puma SE\nZed,Zed Co\n', encoding="utf-8")
    stats = ImportStats()
    rows = list(iter_trademark_csv_batches_rows(path, stats, chunk_rows))
    assert [r["mark"] for r in rows] == ["Zed"] and stats.skipped["bad_value"] == 1
    # a goods statement may run over several lines (quoted, as a spreadsheet writes it)
    path.write_text('mark,goods_services\nAcme,"Shoes;\nhats"\n', encoding="utf-8")
    stats = ImportStats()
    rows = list(iter_trademark_csv_batches_rows(path, stats, chunk_rows))
    assert [r["mark"] for r in rows] == ["Acme"] and not stats.skipped


def iter_trademark_csv_batches_rows(path, stats, chunk_rows):
    from scanner.corpus.trademark_csv import iter_trademark_csv_batches

    for batch in iter_trademark_csv_batches(path, stats=stats, chunk_rows=chunk_rows):
        yield from (dict(zip(batch, values, strict=True)) for values in zip(*batch.values(), strict=True))


def test_values_over_the_csv_modules_default_limit_are_read(tmp_path):
    # `corpus export` writes goods texts of any size; the csv module's default limit is 131,072 characters
    limit = csv.field_size_limit()
    big = "x" * 200_000
    path = write(tmp_path, f'mark,goods_services\nBIG,"{big}, quoted"\nPLAIN,{big}\nOPEN,"left open\nLATER,y\n')
    for chunk_rows in (1, 20_000):
        stats = ImportStats()
        rows = list(iter_trademark_csv_batches_rows(path, stats, chunk_rows))
        assert [(r["mark"], len(r["goods_services"])) for r in rows] == [("BIG", 200_008), ("PLAIN", 200_000)]
        # a quote left open is still caught
        assert [(i["row"], i["column"]) for i in stats.issues] == [(4, "goods_services")]
        assert "quote left open" in stats.issues[0]["detail"]
    assert csv.field_size_limit() == limit  # the process-wide limit is left as it was, for the other readers


@pytest.mark.parametrize("chunk_rows", [1, 20_000])
def test_values_over_several_lines_in_narrow_files_are_kept(tmp_path, chunk_rows):
    # a value's text lines look like rows of a 2- or 3-column file; its closing quote tells it from a quote left open
    path = write(tmp_path, 'mark,owner\nACME,"Acme Inc.\nNew York, NY"\nZED,"Zed Co\n1 Main St, ""Suite"" 5"\n')
    stats = ImportStats()
    rows = list(iter_trademark_csv_batches_rows(path, stats, chunk_rows))
    assert [(r["mark"], r["owner"]) for r in rows] == [("ACME", "Acme Inc. New York, NY"),
                                                       ("ZED", 'Zed Co 1 Main St, "Suite" 5')]
    assert not stats.skipped
    path = write(tmp_path, 'mark,owner,status\nACME,"Acme Inc.\n1 Main St, Springfield, IL",live\n')
    stats = ImportStats()
    rows = list(iter_trademark_csv_batches_rows(path, stats, chunk_rows))
    assert [r["owner"] for r in rows] == ["Acme Inc. 1 Main St, Springfield, IL"] and not stats.skipped


@pytest.mark.parametrize("chunk_rows", [1, 2, 20_000])
def test_rows_swallowed_by_an_open_quote_are_caught_in_any_column(tmp_path, chunk_rows):
    cases = [
        # 2 columns: the quote is closed by the opening quote of a later value (followed by its text)
        ('mark,owner\nFoo,"Foo Corp\nBar,"Bar, Inc."\nZed,Zed Co\n', ["Zed"], (2, "owner", 1)),
        # a goods text (which may hold line breaks) left open to the end of the file
        ('mark,goods_services\nAcme,"Shoes\nBeta,hats\nGamma,caps', [], (2, "goods_services", 2)),
        # an ignored column: the rows it swallowed are reported all the same
        ('mark,notes,owner\nAcme,"a note,Acme Inc\nBeta,b,Beta Co\n', [], (2, "notes", 1)),
    ]
    for text, marks, (row, column, after) in cases:
        stats = ImportStats()
        rows = list(iter_trademark_csv_batches_rows(write(tmp_path, text), stats, chunk_rows))
        assert [r["mark"] for r in rows] == marks
        assert [(i["row"], i["column"], i["reason"]) for i in stats.issues] == [(row, column, "bad_value")]
        assert f"quote left open? {after} line(s)" in stats.issues[0]["detail"]


def test_values_beyond_the_header_are_reported_not_dropped(tmp_path):
    path = write(tmp_path, "mark,owner,nice_classes\nBETA,Beta Co,9,25\nGAMMA,Gamma Co,9,,\nDELTA,Delta,3\n")
    rows, stats = read(path)
    assert [(r["mark"], r["nice_classes"]) for r in rows] == [("GAMMA", "9"), ("DELTA", "3")]  # empty ones: silent
    assert stats.skipped == {"extra_fields": 1}
    issue = stats.issues[0]
    assert (issue["file"], issue["row"], issue["reason"]) == ("marks.csv", 2, "extra_fields")
    assert "4 fields, the header has 3" in issue["detail"] and "unquoted comma" in issue["detail"]


def test_superscript_digits_are_a_bad_class_not_a_crash(tmp_path):
    rows, stats = read(write(tmp_path, "mark,nice_classes\nACME,\u00b2\nBETA,9\nGAMMA,2\u00b3\n"))
    assert [r["mark"] for r in rows] == ["BETA"]
    assert [(i["row"], i["column"]) for i in stats.issues] == [(2, "nice_classes"), (4, "nice_classes")]


def test_a_header_with_many_empty_columns_costs_no_memory(tmp_path):
    import tracemalloc

    path = write(tmp_path, "mark,owner" + "," * 20_000 + "\n" + "".join(f"M{i},O{i}\n" for i in range(300)))
    tracemalloc.start()
    try:
        rows, stats = read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(rows) == 300 and rows[-1]["owner"] == "O299" and not stats.skipped
    assert peak < 5_000_000  # the rows were padded to the header's 20,002 columns: ~100 MB


@pytest.mark.parametrize("chunk_rows", [1, 20_000])
def test_dates_are_normalised_and_bad_ones_left_empty_and_reported(tmp_path, chunk_rows):
    path = write(tmp_path, "mark,filing_date,registration_date,transaction_date,expiry_date\n"
                           "A,20240106,2024-01-06,2024/01/06,2024-01-06T12:30:00Z\n"
                           "B,2024-01-06 12:30,yesterday,01/02/2020,20240230\n"
                           "C,,2024-01-06,,\n")
    stats = ImportStats()
    rows = list(iter_trademark_csv_batches_rows(path, stats, chunk_rows))
    dates = [[r[c] for c in ("filing_date", "registration_date", "transaction_date", "expiry_date")] for r in rows]
    assert [r["mark"] for r in rows] == ["A", "B", "C"]  # a bad date does not lose the mark
    assert dates == [["20240106"] * 4, ["20240106", "", "", ""], ["", "20240106", "", ""]]
    assert stats.flags["bad_date"] == 3 and not stats.skipped
    assert [n.split(": bad date")[0] for n in stats.notes] == [
        "marks.csv, row 3, column 'registration_date'", "marks.csv, row 3, column 'transaction_date'",
        "marks.csv, row 3, column 'expiry_date'"]
    # many bad dates: the first ten listed, all counted
    path = write(tmp_path, "mark,filing_date\n" + "".join(f"M{i},{i}/01/2020\n" for i in range(25)))
    stats = ImportStats()
    assert len(list(iter_trademark_csv_batches_rows(path, stats, chunk_rows))) == 25
    assert stats.flags["bad_date"] == 25 and len(stats.notes) == 11 and "25 bad dates" in stats.notes[-1]


def test_the_newest_transaction_date_wins_whatever_its_form(tmp_path):
    from scanner.corpus import build_corpus

    path = write(tmp_path, "mark,owner,jurisdiction,serial_number,transaction_date\n"
                           "ACME,Old Owner,US,90000001,20240105\n"
                           "ACME,New Owner,US,90000001,2024-01-06\n")
    corpus = build_corpus([path], tmp_path / "corpus")
    assert corpus.marks["owner"].tolist() == ["New Owner"]
    assert corpus.marks["transaction_date"].tolist() == ["20240106"]
