"""All listings' rows made by a second process while this one writes the risk sheets (fastsheet.rendered_aside)."""

from __future__ import annotations

import os
import zipfile
import zlib

import pytest

from scanner import forked
from scanner.errors import ScannerError
from scanner.report import excel, fastsheet, write_excel
from scanner.report.synthetic import synthetic_scan_result

needs_fork = pytest.mark.skipif(not forked.can_fork(), reason="needs fork (Linux): the rows are made in a forked process")


def _sheets(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")}


@needs_fork
def test_rows_made_aside_give_the_same_sheets(tmp_path, monkeypatch):
    """With a second process the All listings rows come from its file; the sheets' bytes are those written
    in one process."""
    monkeypatch.setattr(excel, "ASIDE_ROWS", 100)
    result = synthetic_scan_result(400, seed=3)
    rendered = []
    real_render = fastsheet._render

    def render(parts):
        rendered.append(os.getpid())
        real_render(parts)

    monkeypatch.setattr(fastsheet, "_render", render)
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    write_excel(result, one, jobs=1)
    assert rendered == []  # one process: nothing made aside
    write_excel(result, two, jobs=2)
    # the child's list is its own: what tells that the rows were made aside is the file read back
    assert _sheets(one) == _sheets(two)
    all_listings = _sheets(two)["xl/worksheets/sheet5.xml"]
    assert all_listings.count(b"<row ") == len(result.results) + 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report-rows-")]


@needs_fork
def test_the_rows_file_is_read_back(tmp_path, monkeypatch):
    """The spliced All listings rows are the bytes of the file the second process wrote."""
    monkeypatch.setattr(excel, "ASIDE_ROWS", 100)
    result = synthetic_scan_result(200, seed=4)
    seen = []
    real_rendered = fastsheet._rendered

    sizes = []

    def rendered(wait, file, what):
        for chunk in real_rendered(wait, file, what):
            seen.append(chunk)
            yield chunk
        sizes.append(file.stat().st_size)  # the file is still there, deflated

    monkeypatch.setattr(fastsheet, "_rendered", rendered)
    write_excel(result, tmp_path / "r.xlsx", jobs=2)
    body = b"".join(seen)
    assert body.startswith(b'<row r="2">') and body.count(b"<row ") == len(result.results)
    assert body in _sheets(tmp_path / "r.xlsx")["xl/worksheets/sheet5.xml"]
    assert 0 < sizes[0] < len(body) / 3


@needs_fork
def test_an_error_in_the_second_process_is_raised_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(excel, "ASIDE_ROWS", 100)
    result = synthetic_scan_result(120, seed=6)

    def broken(columns, first_row=2):
        yield '<row r="2">'
        raise ValueError("no rows today")

    monkeypatch.setattr(excel, "rows_xml", broken)
    target = tmp_path / "r.xlsx"
    with pytest.raises(ValueError, match="no rows today"):
        write_excel(result, target, jobs=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@needs_fork
def test_a_second_process_that_dies_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setattr(excel, "ASIDE_ROWS", 100)
    result = synthetic_scan_result(120, seed=6)

    def dies(columns, first_row=2):
        os._exit(9)
        yield ""  # pragma: no cover

    monkeypatch.setattr(excel, "rows_xml", dies)
    with pytest.raises(ScannerError, match="the process writing the All listings rows stopped abruptly"):
        write_excel(result, tmp_path / "r.xlsx", jobs=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@needs_fork
def test_a_cut_rows_file_is_a_one_line_error(tmp_path, monkeypatch):
    """Rows the second process could not finish writing (a full disk) are an error, not a shorter sheet."""
    monkeypatch.setattr(excel, "ASIDE_ROWS", 100)

    def cut(parts):
        for rows, file in parts:
            deflate = zlib.compressobj(1)
            data = deflate.compress("".join(rows).encode("utf-8")) + deflate.flush()
            file.write_bytes(data[: len(data) // 2])

    monkeypatch.setattr(fastsheet, "_render", cut)
    with pytest.raises(ScannerError, match="the process writing the All listings rows left its rows unfinished"):
        write_excel(synthetic_scan_result(150, seed=8), tmp_path / "r.xlsx", jobs=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@needs_fork
def test_several_plain_sheets_are_made_by_one_process_once(tmp_path, monkeypatch):
    """Two sheets of plain rows: one process makes both files, waited for once (a second wait would make them
    again here)."""
    made = []
    real_render = fastsheet._render
    monkeypatch.setattr(fastsheet, "_render", lambda parts: (made.append(os.getpid()), real_render(parts)))
    parts = {"a.xml": fastsheet.SheetRows(['<row r="2"/>']), "b.xml": ['<row r="2">', "</row>"],
             "c.xml": iter(['<row r="3"/>'])}
    with fastsheet.rendered_aside(parts, tmp_path, jobs=2) as out:
        assert out["a.xml"] is parts["a.xml"]
        assert b"".join(out["b.xml"]) == b'<row r="2"></row>'
        assert b"".join(out["c.xml"]) == b'<row r="3"/>'
    assert made == []  # made in the forked process only, not here
    assert list(tmp_path.iterdir()) == []


def test_nothing_is_made_aside_without_a_sheet_of_plain_rows(tmp_path):
    parts = {"a.xml": fastsheet.SheetRows(["<row/>"]), "b.xml": fastsheet.SheetRows(["<row/>"])}
    with fastsheet.rendered_aside(parts, tmp_path, jobs=2) as out:
        assert out == parts
    only_plain = {"a.xml": ["<row/>"]}
    with fastsheet.rendered_aside(only_plain, tmp_path, jobs=2) as out:
        assert out == only_plain  # nothing else to make meanwhile: made here, as it is read
    assert list(tmp_path.iterdir()) == []


@needs_fork
def test_a_small_report_makes_its_rows_here(tmp_path, monkeypatch):
    """Below ASIDE_ROWS listings no second process is started for them."""
    monkeypatch.setattr(excel, "ASIDE_ROWS", 1_000)
    calls = []
    real_rendered = fastsheet._rendered

    def rendered(wait, file, what):
        calls.append(file)
        return real_rendered(wait, file, what)

    monkeypatch.setattr(fastsheet, "_rendered", rendered)
    write_excel(synthetic_scan_result(300, seed=2), tmp_path / "small.xlsx", jobs=2)
    assert calls == []
    write_excel(synthetic_scan_result(1_000, seed=2), tmp_path / "large.xlsx", jobs=2)
    assert len(calls) == 1
