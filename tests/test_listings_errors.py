"""Whole-file problems: one-line InputError naming the file and saying what it looks like; CLI exit 1."""

from __future__ import annotations

import gzip
import io
import random
import zipfile

import pytest
from click.testing import CliRunner

from scanner.cli import cli
from scanner.errors import InputError
from scanner.listings import read_listings
from tests.fixtures.listings.builders import FLAT_FIELDS, ole2_bytes, workbook


def _xlsx(tmp_path):
    return workbook(tmp_path / "ok.xlsx", {"Template": [FLAT_FIELDS, ["shirt", "S1", "Acme", "Tee"]]})


def _make(tmp_path, kind):
    """A file of a given kind, and the words the error must contain."""
    p = tmp_path / f"{kind}.txt"
    if kind == "missing":
        return tmp_path / "nope.txt", "file not found"
    if kind == "folder":
        (tmp_path / "folder").mkdir()
        return tmp_path / "folder", "folder"
    if kind == "empty":
        p.write_bytes(b"")
        return p, "empty"
    if kind == "blank":
        p.write_bytes(b"\r\n  \r\n\t\r\n")
        return p, "empty"
    if kind == "bom_only":
        p.write_bytes(b"\xef\xbb\xbf")
        return p, "empty"
    if kind == "not_listings":
        p.write_bytes(b"order-id\tpurchase-date\tbuyer-email\n111-222\t2024-01-01\tx@example.com\n")
        return p, "order-id, purchase-date, buyer-email"
    if kind == "xls":
        p = tmp_path / "old.xls"
        p.write_bytes(ole2_bytes(["Workbook", "\x05SummaryInformation"]))
        return p, "old binary Excel workbook (.xls)"
    if kind == "encrypted":
        p = tmp_path / "locked.xlsx"
        p.write_bytes(ole2_bytes(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"]))
        return p, "password-protected"
    if kind == "zip":
        p = tmp_path / "reports.zip"
        with zipfile.ZipFile(p, "w") as zf:
            zf.writestr("All+Listings+Report.txt", "item-name\tseller-sku\n")
        return p, "zip archive that is not an Excel workbook"
    if kind == "truncated_xlsx":
        data = _xlsx(tmp_path).read_bytes()
        p = tmp_path / "cut.xlsx"
        p.write_bytes(data[: len(data) // 2])
        return p, "corrupt or truncated"
    if kind == "broken_xml_xlsx":
        src = _xlsx(tmp_path)
        p = tmp_path / "broken.xlsx"
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(p, "w") as zout:
            for name in zin.namelist():
                data = zin.read(name)
                if name == "xl/workbook.xml":
                    data = data[: len(data) // 2]
                zout.writestr(name, data)
        return p, "cannot be opened"
    if kind == "broken_sheet_xlsx":  # the workbook opens; a cell of the sheet is not what it claims to be
        src = _xlsx(tmp_path)
        p = tmp_path / "badcell.xlsx"
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(p, "w") as zout:
            for name in zin.namelist():
                data = zin.read(name)
                if name == "xl/worksheets/sheet1.xml":
                    data = data.replace(b'<c r="A2"', b'<c r="A2" t="n"><v>abc</v></c><c r="Z2"', 1)
                zout.writestr(name, data)
        return p, "sheet 'Template' cannot be read after row 1"
    if kind == "xlsb":
        p = tmp_path / "book.xlsb"
        with zipfile.ZipFile(p, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
        return p, ".xlsb"
    if kind == "ods":
        p = tmp_path / "sheet.ods"
        with zipfile.ZipFile(p, "w") as zf:
            zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            zf.writestr("content.xml", "<office:document-content/>")
        return p, "OpenDocument"
    if kind == "html":
        p.write_bytes(b"\n<!DOCTYPE html>\n<html><head><title>Seller Central</title></head><body></body></html>\n")
        return p, "HTML web page"
    if kind == "xml":
        p.write_bytes(b'<?xml version="1.0"?>\n<AmazonEnvelope><Message/></AmazonEnvelope>\n')
        return p, "XML"
    if kind == "pdf":
        p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
        return p, "PDF"
    if kind == "gzip":
        p.write_bytes(gzip.compress(b"item-name\tseller-sku\nLamp\tS1\n"))
        return p, "gzip-compressed"
    if kind == "png":
        p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200))
        return p, "binary data"
    if kind in ("noise_xlsx", "noise"):  # bytes with no NUL that cp1252 decodes: a damaged download, a JPEG's body
        rng = random.Random(7)
        data = bytes(rng.choice(range(1, 256)) for _ in range(4096))
        p = tmp_path / ("download.xlsx" if kind == "noise_xlsx" else "download.txt")
        p.write_bytes(data)
        return p, "named like an Excel workbook but is not one" if kind == "noise_xlsx" else "binary data"
    raise AssertionError(kind)


KINDS = ["missing", "folder", "empty", "blank", "bom_only", "not_listings", "xls", "encrypted", "zip",
         "truncated_xlsx", "broken_xml_xlsx", "broken_sheet_xlsx", "xlsb", "ods", "html", "xml", "pdf", "gzip", "png",
         "noise_xlsx", "noise"]


@pytest.mark.parametrize("kind", KINDS)
def test_whole_file_problem_is_one_line_input_error(tmp_path, kind):
    path, words = _make(tmp_path, kind)
    with pytest.raises(InputError) as err:
        read_listings([path])
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith(str(path)), msg
    assert words in msg, msg


@pytest.mark.parametrize("kind", ["missing", "empty", "not_listings", "xls", "encrypted", "truncated_xlsx", "html",
                                  "noise_xlsx"])
def test_cli_exits_1_with_one_line(tmp_path, kind):
    path, words = _make(tmp_path, kind)
    result = CliRunner().invoke(cli, ["scan", str(path), "--out", str(tmp_path / "r.xlsx"), "--quiet"])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert str(path) in lines[0] and words in lines[0]
    assert "Traceback" not in result.output


def test_headers_shown_in_an_error_are_cut_to_a_readable_length(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("Lorem ipsum " * 400 + ",code\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_listings([path])
    msg = str(err.value)
    assert "Lorem ipsum Lorem" in msg and "…, code)" in msg and len(msg) < 400 + len(str(path))


def test_text_with_a_few_stray_control_bytes_is_read(tmp_path):
    # a title pasted with a stray control character (\x1a, \x07) is text, not binary data
    rows = ["item-name\tseller-sku"] + [f"Garden lamp {i}\tS{i}" for i in range(200)]
    rows[5], rows[9] = "Lamp\x1a brass\tS5", "Lamp\x07 steel\tS9"
    path = tmp_path / "listings.txt"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    assert len(read_listings([path]).listings) == 200


def test_cli_unknown_encoding_exits_1(fixtures, tmp_path):
    path = fixtures / "listings" / "custom_selection_utf8_bom.txt"
    result = CliRunner().invoke(cli, ["scan", str(path), "--out", str(tmp_path / "r.xlsx"), "-q", "--encoding", "nope-8"])
    assert result.exit_code == 1
    assert "unknown encoding 'nope-8'" in result.output and "custom_selection_utf8_bom.txt" in result.output


def test_cli_map_naming_absent_header_exits_1(fixtures, tmp_path):
    path = fixtures / "listings" / "generic_shop.csv"
    result = CliRunner().invoke(cli, ["scan", str(path), "--out", str(tmp_path / "r.xlsx"), "-q",
                                      "--map", "title=Title", "--map", "sku=Code"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "--map sku=Code" in lines[0] and "Variant SKU" in lines[0]


def test_cli_passes_encoding_and_map_to_the_reader(fixtures, tmp_path):
    path = fixtures / "listings" / "generic_shop.csv"
    out = tmp_path / "r.csv"
    result = CliRunner().invoke(cli, ["scan", str(path), "--out", str(tmp_path / "r.xlsx"), "--csv", str(out), "-q",
                                      "--encoding", "utf-8", "--map", "title=Title", "--map", "sku=Variant SKU"])
    assert result.exit_code == 0, result.output
    import pandas as pd

    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert sorted(got["sku"]) == sorted(["0001234", "NA", "#N/A"])


def test_header_only_file_reads_zero_rows_with_a_note(tmp_path):
    path = tmp_path / "h.txt"
    path.write_bytes(b"seller-sku\titem-name\r\n")
    result = read_listings([path])
    assert len(result.listings) == 0 and result.files[0].rows_read == 0
    assert any("no data rows" in n for n in result.files[0].notes)


def test_a_zip_workbook_named_txt_is_still_read_as_a_workbook(tmp_path):
    data = _xlsx(tmp_path).read_bytes()
    path = tmp_path / "listings.txt"
    path.write_bytes(data)
    result = read_listings([path])
    assert result.files[0].encoding == "xlsx"
    assert result.listings["title"].tolist() == ["Tee"]


def test_a_tab_report_named_xlsx_is_read_as_text(tmp_path):
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"seller-sku\titem-name\nS1\tLamp\n")
    assert read_listings([path]).listings["title"].tolist() == ["Lamp"]


def test_error_does_not_leak_a_python_traceback_for_a_file_of_random_bytes(tmp_path):
    path = tmp_path / "noise.bin"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError):
        read_listings([path])


def test_in_memory_buffers_are_not_paths():
    with pytest.raises(TypeError):
        read_listings([io.BytesIO(b"x")])


def test_a_listing_column_given_twice_is_told_as_a_warning(tmp_path):
    from scanner.progress import Progress

    path = tmp_path / "dup.txt"
    path.write_text("item-name\tseller-sku\titem-name\tprice\tprice\nNike shoes\tA1\tAdidas shoes\t1\t2\n",
                    encoding="utf-8")
    out = io.StringIO()
    result = read_listings([path], progress=Progress(stream=out))
    assert result.listings["title"].tolist() == ["Nike shoes"]  # the first is read, as before
    warnings = [line for line in out.getvalue().splitlines() if line.startswith("warning:")]
    # the second title column's text is not scanned: said on the terminal; a second price column is a note
    assert len(warnings) == 1 and "dup.txt" in warnings[0] and "'item-name' appears twice" in warnings[0]
    assert "column 3 is not" in warnings[0]
    notes = result.files[0].notes
    assert any("'price' appears twice" in n for n in notes)


def test_a_file_given_twice_is_read_once(tmp_path, monkeypatch):
    from scanner.progress import Progress

    path = tmp_path / "l.txt"
    path.write_text("item-name\tseller-sku\nNike shoes\tA1\nPlain mug\tA2\n", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(path)
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    result = read_listings(["l.txt", path, "./l.txt", tmp_path / "link.txt"], progress=Progress(stream=out))
    assert result.listings["sku"].tolist() == ["A1", "A2"] and len(result.files) == 1
    assert sum(line.startswith("warning:") and "read once" in line for line in out.getvalue().splitlines()) == 3


def test_a_file_name_with_bytes_that_are_not_utf8_is_shown_with_escapes(tmp_path):
    import os

    name = os.fsencode(tmp_path) + b"/l\xff.csv"
    try:
        with open(name, "wb") as fh:
            fh.write(b"title,sku\nNike shoes,A1\nAdidas,A2,x,y\n")
    except OSError:
        pytest.skip("this file system refuses file names that are not UTF-8")
    result = read_listings([os.fsdecode(name)])
    shown = {result.files[0].path, *result.listings["source_file"], *result.rejected["source_file"]}
    assert all(s.endswith("l\\udcff.csv") for s in shown) and len(result.rejected) == 1
    for text in shown:
        text.encode("utf-8")  # every output (CSV, workbook, history) can hold it
