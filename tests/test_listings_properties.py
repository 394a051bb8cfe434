"""Hypothesis properties: any title survives the round trip through every format's reader, and any mix of
good and broken rows is fully accounted for (rows_read == rows_ok + rows_rejected, each row where it
belongs).

Titles are arbitrary Unicode minus what the format cannot hold: tab and newline (tab-separated files),
characters the encoding cannot encode, NUL (not text), and for workbooks the control characters XML
forbids. They include lone quotes, U+0085, U+2028, U+FEFF, lone CRs. The reader strips surrounding
whitespace (``str.strip()``), so the expected title is ``title.strip()``; an all-whitespace title must come
back as a rejected "empty title" row instead.
"""

from __future__ import annotations

import codecs
import functools
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.listings import read_listings, textfile
from scanner.listings.decode import MARKER
from tests.fixtures.listings.builders import (
    ALL_LISTINGS,
    FLAT_FIELDS,
    FLAT_LABELS_EN,
    all_listings_row,
    csv_bytes,
    excel_tab_bytes,
    template_row,
    tsv_bytes,
    workbook,
)

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NA_LIKE = ["NA", "NULL", "None", "n/a", "#N/A", "00123", "0", "nan", "NaN", "null"]
SKUS = st.one_of(st.sampled_from(NA_LIKE), st.from_regex(r"[0-9A-Za-z][0-9A-Za-z\-_.]{0,11}", fullmatch=True))


@functools.cache
def _alphabet(encoding: str) -> tuple[str, ...]:
    """Every BMP character (no surrogates) that ``encoding`` round-trips, minus tab, newline and NUL."""
    chars = []
    for cp in range(1, 0x10000):
        ch = chr(cp)
        if ch in "\t\n" or 0xD800 <= cp <= 0xDFFF:
            continue
        try:
            if ch.encode(encoding).decode(encoding) == ch:
                chars.append(ch)
        except UnicodeError:
            continue
    return tuple(chars)


def titles(encoding: str | None = None, extra_excluded: str = "") -> st.SearchStrategy[str]:
    """Titles for a format: full Unicode for UTF encodings, else the encoding's repertoire."""
    special = st.sampled_from(['"', "'", "\u0085", "\u2028", "\u2029", "\ufeff", "\r", " ", "\u00a0", "\u2026"])
    if encoding is None:
        base = st.characters(exclude_categories=("Cs",), exclude_characters="\t\n\x00" + extra_excluded)
    else:
        base = st.sampled_from([c for c in _alphabet(encoding) if c not in extra_excluded])
    allowed = [c for c in ['"', "'", "\u0085", "\u2028", "\u2029", "\ufeff", "\r", " ", "\u00a0", "\u2026"]
               if c not in extra_excluded and (encoding is None or c in _alphabet(encoding))]
    special = st.sampled_from(allowed)
    return st.text(st.one_of(base, special), min_size=1, max_size=40)


def _check_round_trip(path, title, sku, **kw):
    result = read_listings([path], **kw)
    stats = result.files[0]
    assert stats.rows_read == 1 == stats.rows_ok + stats.rows_rejected
    if title.strip():
        assert result.listings["title"].tolist() == [title.strip()]
        assert result.listings["sku"].tolist() == [sku]
    else:
        assert result.rejected["reason"].tolist() == ["empty title"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("props")


# -- Amazon reports (tab-separated, no quoting) ------------------------------------------------------------
REPORT_CASES = [
    # (encoding written, BOM, encoding given to the reader: None = detect)
    ("cp1252", b"", "cp1252"),
    ("utf-8", b"", None),
    ("utf-8", codecs.BOM_UTF8, None),
    ("utf-16-le", codecs.BOM_UTF16_LE, None),
    ("utf-16-be", codecs.BOM_UTF16_BE, None),
    ("cp932", b"", "cp932"),
]


@pytest.mark.parametrize("encoding,bom,given_encoding", REPORT_CASES)
def test_all_listings_title_round_trip(workdir, encoding, bom, given_encoding):
    alphabet = None if encoding.startswith("utf") else encoding

    @SETTINGS
    @given(title=titles(alphabet), sku=SKUS, newline=st.sampled_from(["\r\n", "\n"]))
    def check(title, sku, newline):
        path = workdir / f"all_{encoding}.txt"
        rows = [ALL_LISTINGS, all_listings_row(item_name=title, seller_sku=sku)]
        path.write_bytes(tsv_bytes(rows, encoding, newline, bom))
        _check_round_trip(path, title, sku, encoding=given_encoding)

    check()


@SETTINGS
@given(title=titles("cp932"), sku=SKUS)
def test_japanese_headers_detect_cp932_for_any_title(workdir, title, sku):
    path = workdir / "jp.txt"
    path.write_bytes(tsv_bytes([["出品者SKU", "ASIN 1", "商品名", "ステータス"], [sku, "B0", title, "出品中"]], "cp932"))
    _check_round_trip(path, title, sku)


@SETTINGS
@given(title=titles(), sku=SKUS)
def test_utf8_detection_for_any_title(workdir, title, sku):
    path = workdir / "u8.txt"
    path.write_bytes(tsv_bytes([["seller-sku", "item-name"], [sku, title]], "utf-8", "\n"))
    result = read_listings([path])
    assert result.files[0].encoding in ("utf-8", "ascii")
    _check_round_trip(path, title, sku)


# -- flat files ------------------------------------------------------------------------------------------
def _flat_rows(title, sku):
    row = {"feed_product_type": "shirt", "item_sku": sku, "brand_name": "Acme", "item_name": title}
    return [template_row("ATVPDKIKX0DER"), FLAT_LABELS_EN, FLAT_FIELDS, [row.get(f, "") for f in FLAT_FIELDS]]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_flat_file_excel_tab_text_round_trip(workdir, encoding):
    @SETTINGS
    @given(title=titles(None if encoding == "utf-8" else encoding), sku=SKUS)
    def check(title, sku):
        path = workdir / f"ff_{encoding}.txt"
        path.write_bytes(excel_tab_bytes(_flat_rows(title, sku), encoding))
        _check_round_trip(path, title, sku, encoding=encoding)

    check()


@SETTINGS
@given(title=titles(extra_excluded=""), sku=SKUS, newline_in_title=st.booleans())
def test_flat_file_csv_round_trip_even_with_line_breaks(workdir, title, sku, newline_in_title):
    if newline_in_title:
        title = title[: len(title) // 2] + "\n" + title[len(title) // 2 :]
    path = workdir / "ff.csv"
    path.write_bytes(csv_bytes(_flat_rows(title, sku), "utf-8"))
    _check_round_trip(path, title, sku)


_XML_FORBIDDEN = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r") + "\ufffe\uffff"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=titles(extra_excluded=_XML_FORBIDDEN), sku=SKUS)
def test_flat_file_workbook_round_trip(workdir, title, sku):
    path = workbook(workdir / "ff.xlsx", {"Template": _flat_rows(title, sku)})
    _check_round_trip(path, title, sku)


# -- generic CSV -----------------------------------------------------------------------------------------
@SETTINGS
@given(title=titles("cp1252"), sku=SKUS, delimiter=st.sampled_from([",", ";"]))
def test_generic_csv_round_trip_with_map(workdir, title, sku, delimiter):
    path = workdir / "g.csv"
    path.write_bytes(csv_bytes([["Code", "Name", "Notes"], [sku, title, "x"]], "cp1252", delimiter))
    _check_round_trip(path, title, sku, encoding="cp1252", column_map={"title": "Name", "sku": "Code"})


# -- any mix of good and broken rows ---------------------------------------------------------------------
ROW_KINDS = ["good", "good", "good", "blank", "tabs_only", "short", "long", "trailing_tab", "empty_title", "undecodable"]


@settings(max_examples=60, deadline=None)
@given(kinds=st.lists(st.sampled_from(ROW_KINDS), max_size=40), block=st.integers(min_value=40, max_value=4000),
       newline=st.sampled_from(["\r\n", "\n"]))
def test_any_mix_of_rows_in_a_report_is_accounted_for(workdir, kinds, block, newline):
    nl = newline.encode()
    data = bytearray(("\t".join(ALL_LISTINGS)).encode() + nl)
    good_lines, good_titles, rejected = [], [], []
    line = 1
    for i, kind in enumerate(kinds):
        row = all_listings_row(item_name=f"Title {i} caf\u00e9\u2026", seller_sku=f"{i:05d}")
        line += 1
        if kind in ("good", "trailing_tab"):
            data += ("\t".join(row) + ("\t" if kind == "trailing_tab" else "")).encode("cp1252") + nl
            good_lines.append(line)
            good_titles.append(row[0])
        elif kind == "blank":
            data += nl
        elif kind == "tabs_only":
            data += b"\t" * 28 + nl
        elif kind == "short":
            data += "\t".join(row[:10]).encode("cp1252") + nl
            rejected.append((line, "expected 29 tab-separated fields, found 10"))
        elif kind == "long":
            data += "\t".join(row + ["extra"]).encode("cp1252") + nl
            rejected.append((line, "expected 29 tab-separated fields, found 30"))
        elif kind == "empty_title":
            data += "\t".join([" "] + row[1:]).encode("cp1252") + nl
            rejected.append((line, "empty title"))
        elif kind == "undecodable":
            data += b"Bad \x81 title\t" + "\t".join(row[1:]).encode("cp1252") + nl
            rejected.append((line, "byte 0x81"))
    path = workdir / "mix.txt"
    path.write_bytes(bytes(data))
    with patch.object(textfile, "BLOCK_SIZE", block):
        result = read_listings([path], encoding="cp1252")
    stats = result.files[0]
    assert stats.rows_read == stats.rows_ok + stats.rows_rejected
    assert stats.rows_read == sum(k not in ("blank", "tabs_only") for k in kinds)
    assert result.listings["source_row"].tolist() == good_lines
    assert result.listings["title"].tolist() == good_titles
    got = list(zip(result.rejected["source_row"].tolist(), result.rejected["reason"].tolist(), strict=True))
    assert [r for r, _ in got] == [r for r, _ in rejected]
    for (_, reason), (_, expected) in zip(got, rejected, strict=True):
        assert reason.startswith(expected), (reason, expected)


CSV_KINDS = ["good", "good", "multiline", "blank", "short", "long", "empty_title"]


@settings(max_examples=60, deadline=None)
@given(kinds=st.lists(st.sampled_from(CSV_KINDS), max_size=30))
def test_any_mix_of_rows_in_a_csv_is_accounted_for(workdir, kinds):
    lines = ["sku,title,brand"]
    good, rejected = [], []
    for i, kind in enumerate(kinds):
        start = len(lines) + 1
        if kind == "good":
            lines.append(f'{i:04d},"Title, {i} ""q""",Acme')
            good.append((start, f'Title, {i} "q"'))
        elif kind == "multiline":
            lines += [f'{i:04d},"Two', f'lines {i}",Acme']
            good.append((start, f"Two\nlines {i}"))
        elif kind == "blank":
            lines.append("")
        elif kind == "short":
            lines.append(f"{i:04d},Short")
            rejected.append((start, "expected 3"))
        elif kind == "long":
            lines.append(f"{i:04d},Long,Acme,extra")
            rejected.append((start, "expected 3"))
        elif kind == "empty_title":
            lines.append(f'{i:04d},"  ",Acme')
            rejected.append((start, "empty title"))
    path = workdir / "mix.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_listings([path])
    stats = result.files[0]
    assert stats.rows_read == stats.rows_ok + stats.rows_rejected == len(good) + len(rejected)
    assert list(zip(result.listings["source_row"], result.listings["title"], strict=True)) == good
    assert result.rejected["source_row"].tolist() == [r for r, _ in rejected]
    for reason, (_, expected) in zip(result.rejected["reason"], rejected, strict=True):
        assert reason.startswith(expected)


# -- any bytes at all ------------------------------------------------------------------------------------
_PIECES = [b"item-name", b"seller-sku", b"item_name", b"item_sku", b"title", b"\t", b"\r\n", b"\n", b"\r", b'"',
           b",", b";", b" ", b"abc", b"\x85", b"\x81", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xe3\x81\x82",
           b"\x82\xa0", "商品名".encode("cp932"), b"TemplateType=fptcustom", b"<html>", b"PK\x03\x04",
           b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.sampled_from(_PIECES), max_size=40),
       encoding=st.sampled_from([None, None, "cp932", "utf-16", "utf-8"]),
       column_map=st.sampled_from([None, {"title": "abc"}, {"sku": "title", "title": "item-name"}]))
def test_any_bytes_give_a_result_or_an_input_error(workdir, parts, encoding, column_map):
    from scanner.errors import ScannerError

    path = workdir / "any.txt"
    path.write_bytes(b"".join(parts))
    try:
        result = read_listings([path], encoding=encoding, column_map=column_map)
    except ScannerError as err:
        assert "\n" not in str(err) and str(path) in str(err)
        return
    stats = result.files[0]
    assert stats.rows_read == stats.rows_ok + stats.rows_rejected == len(result.listings) + len(result.rejected)
    for frame in (result.listings, result.rejected):  # no undecodable-byte markers leak into the tables
        for column in frame.columns:
            if column != "source_row":
                assert not any(MARKER.search(value) for value in frame[column])
    assert not any(MARKER.search(note) for note in stats.notes)
