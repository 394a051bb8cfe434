"""Encodings: detection and the note that says how, --encoding, line breaks, undecodable bytes."""

from __future__ import annotations

import codecs

import pytest

from scanner.errors import InputError
from scanner.listings import read_listings, textfile
from tests.fixtures.listings.builders import ALL_LISTINGS, all_listings_row, tsv_bytes

HEADER = ["seller-sku", "asin1", "item-name", "item-description"]


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _one(path, **kw):
    result = read_listings([path], **kw)
    return result, result.files[0]


def test_u0085_and_u2028_are_not_line_breaks_in_utf8(tmp_path):
    title = "Lamp\u0085Shade\u2028Set\u2029 x\x0by\x0cz\x1c\x1d\x1e end"
    path = _write(tmp_path, "u.txt", tsv_bytes([HEADER, ["S1", "B0UNICODE1", title, "d"]], "utf-8"))
    result, stats = _one(path)
    assert stats.rows_read == 1
    assert result.listings["title"].tolist() == [title]


def test_cp1252_0x85_is_an_ellipsis_not_a_line_break(tmp_path):
    raw = tsv_bytes([HEADER, ["S1", "B0X", "Shade\u2026 Set", "more\u2026 text"], ["S2", "B0Y", "Second", ""]], "cp1252")
    assert b"\x85" in raw
    result, stats = _one(_write(tmp_path, "a.txt", raw))
    assert stats.encoding == "cp1252"
    assert result.listings["title"].tolist() == ["Shade\u2026 Set", "Second"]
    assert result.listings["source_row"].tolist() == [2, 3]


def test_lone_cr_inside_a_value_is_not_a_line_break(tmp_path):
    raw = b"seller-sku\titem-name\r\nS1\tfirst\rpart\r\nS2\tsecond\r\n"
    result, stats = _one(_write(tmp_path, "cr.txt", raw))
    assert result.listings["title"].tolist() == ["first\rpart", "second"]
    assert result.listings["source_row"].tolist() == [2, 3]


def test_classic_mac_cr_only_file_is_split_on_cr_with_a_note(tmp_path):
    raw = b"seller-sku\titem-name\rS1\tOne\rS2\tTwo\r"
    result, stats = _one(_write(tmp_path, "mac.txt", raw))
    assert result.listings["title"].tolist() == ["One", "Two"]
    assert any("lone CR" in n for n in stats.notes)


def test_utf8_without_bom_is_detected(tmp_path):
    path = _write(tmp_path, "u8.txt", tsv_bytes([HEADER, ["S1", "B0", "Überzug \u2605", ""]], "utf-8", newline="\n"))
    result, stats = _one(path)
    assert stats.encoding == "utf-8"
    assert any("valid UTF-8" in n for n in stats.notes)
    assert result.listings["title"].tolist() == ["Überzug \u2605"]


def test_ascii_only_file_reports_ascii(tmp_path):
    path = _write(tmp_path, "a.txt", tsv_bytes([HEADER, ["S1", "B0", "Plain", ""]], "ascii"))
    assert _one(path)[1].encoding == "ascii"


@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_with_bom(tmp_path, bom, codec):
    rows = [HEADER, ["S1", "B0", "Tasse \u2615 groß", ""], ["S2", "B0", "\U0001f381 Box", ""]]
    path = _write(tmp_path, "u16.txt", bom + tsv_bytes(rows, codec))
    result, stats = _one(path)
    assert stats.encoding == codec
    assert result.listings["title"].tolist() == ["Tasse \u2615 groß", "\U0001f381 Box"]
    assert result.listings["source_row"].tolist() == [2, 3]


def test_utf16_without_bom_is_detected_from_nul_bytes(tmp_path):
    path = _write(tmp_path, "u16.txt", tsv_bytes([HEADER, ["S1", "B0", "Lamp", ""]], "utf-16-le"))
    result, stats = _one(path)
    assert stats.encoding == "utf-16-le"
    assert any("NUL" in n for n in stats.notes)
    assert result.listings["title"].tolist() == ["Lamp"]


def test_cp932_detected_from_japanese_text_under_english_headers(tmp_path):
    rows = [HEADER, ["J1", "B0", "ステンレス 水筒 500ml", "保冷 保温"], ["J2", "B0", "折りたたみ傘", ""]]
    result, stats = _one(_write(tmp_path, "jp.txt", tsv_bytes(rows, "cp932")))
    assert stats.encoding == "cp932"
    assert any("text is Japanese" in n for n in stats.notes)
    assert result.listings["title"].tolist() == ["ステンレス 水筒 500ml", "折りたたみ傘"]


@pytest.mark.parametrize("titles", [
    ["本革 財布 長財布 黒", "木製 収納 棚 白"],  # kanji only, no kana
    ["★送料無料★ナイキ スニーカー", "◆アディダス◆ サンダル ♪"],  # kana with the symbols titles are decorated with
])
def test_cp932_detected_from_kanji_or_decorated_titles_under_ascii_headers(tmp_path, titles):
    rows = [HEADER] + [[f"J{i}", "B0", t, ""] for i, t in enumerate(titles)]
    result, stats = _one(_write(tmp_path, "jp.txt", tsv_bytes(rows, "cp932")))
    assert stats.encoding == "cp932" and stats.rows_rejected == 0
    assert result.listings["title"].tolist() == titles


def test_portuguese_text_that_reads_as_cp932_kanji_stays_cp1252(tmp_path):
    # every "ão"/"ção" is a valid cp932 pair, but of rare (level-2) kanji
    titles = ["Camiseta algodão proteção impressão edição promoção versão", "Coração irmão mão pão ação"]
    rows = [HEADER] + [[f"P{i}", "B0", t, ""] for i, t in enumerate(titles)]
    result, stats = _one(_write(tmp_path, "pt.txt", tsv_bytes(rows, "cp1252")))
    assert stats.encoding == "cp1252" and result.listings["title"].tolist() == titles


def test_cp1252_european_text_is_not_taken_for_japanese(tmp_path):
    rows = [HEADER, ["F1", "B0", "Crème brûlée set \u2013 été", "Größe: groß"], ["F2", "B0", "Señor Café", "naïve"]]
    result, stats = _one(_write(tmp_path, "eu.txt", tsv_bytes(rows, "cp1252")))
    assert stats.encoding == "cp1252"
    assert result.listings["title"].tolist() == ["Crème brûlée set \u2013 été", "Señor Café"]


def test_decision_waits_for_the_first_non_ascii_line_across_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(textfile, "BLOCK_SIZE", 64)
    rows = [HEADER] + [[f"S{i}", "B0", f"Plain title {i}", ""] for i in range(30)]
    rows.append(["S30", "B0", "Late caf\u00e9\u2026", ""])
    rows += [[f"S{i}", "B0", f"Tail {i}", ""] for i in range(31, 35)]
    result, stats = _one(_write(tmp_path, "late.txt", tsv_bytes(rows, "cp1252")))
    assert stats.encoding == "cp1252"
    assert stats.rows_ok == 35
    assert result.listings["title"].tolist()[30] == "Late caf\u00e9\u2026"
    assert result.listings["source_row"].tolist() == list(range(2, 37))


def test_undecodable_byte_rejects_only_that_row_with_offset_and_column(tmp_path):
    head = tsv_bytes([HEADER, ["S1", "B0", "Good caf\u00e9", ""]], "cp1252")
    bad_line = b"S2\tB0\tBad \x81 title\t\r\n"  # 0x81 is undefined in cp1252
    tail = tsv_bytes([["S3", "B0", "Also good\u2026", ""]], "cp1252")
    result, stats = _one(_write(tmp_path, "bad.txt", head + bad_line + tail))
    assert stats.encoding == "cp1252"
    assert (stats.rows_read, stats.rows_ok, stats.rows_rejected) == (3, 2, 1)
    rej = result.rejected.iloc[0]
    offset = len(head) + bad_line.index(b"\x81")
    assert rej["source_row"] == 3
    assert rej["column"] == "item-name"
    assert "0x81" in rej["reason"] and f"byte offset {offset}" in rej["reason"] and "cp1252" in rej["reason"]
    assert "\\x81" in rej["raw"]
    assert result.listings["title"].tolist() == ["Good caf\u00e9", "Also good\u2026"]
    assert any("--encoding" in n for n in stats.notes)


def test_cp1252_line_in_a_utf8_file_is_rejected_not_misread(tmp_path):
    good = tsv_bytes([HEADER] + [[f"S{i}", "B0", "Überzug \u2605 groß", ""] for i in range(1, 3)], "utf-8")
    bad = "S3\tB0\tCaf\u00e9 cp1252\tx\r\n".encode("cp1252")
    result, stats = _one(_write(tmp_path, "mixed.txt", good + bad))
    assert stats.encoding == "utf-8"
    assert any("rows with such bytes are rejected" in n for n in stats.notes)
    assert result.rejected["source_row"].tolist() == [4]
    assert result.listings["title"].tolist() == ["Überzug \u2605 groß"] * 2
    offset = len(good) + bad.index(b"\xe9")
    assert f"byte offset {offset}" in result.rejected.iloc[0]["reason"]
    assert result.rejected.iloc[0]["column"] == "item-name"


def test_bad_cp932_lead_byte_before_a_tab_does_not_swallow_the_tab(tmp_path):
    header = "出品者SKU\tASIN 1\t商品名\t価格\r\n".encode("cp932")
    bad = b"J1\tB0\t\x81\t100\r\n"  # lone lead byte right before a tab
    good = "J2\tB0\t水筒\t200\r\n".encode("cp932")
    result, stats = _one(_write(tmp_path, "jp.txt", header + bad + good))
    assert stats.encoding == "cp932"
    assert (stats.rows_ok, stats.rows_rejected) == (1, 1)
    rej = result.rejected.iloc[0]
    assert rej["column"] == "商品名" and rej["source_row"] == 2
    assert f"byte offset {len(header) + 6}" in rej["reason"]


def test_utf16_lone_surrogate_rejects_the_row(tmp_path):
    body = tsv_bytes([HEADER, ["S1", "B0", "Good", ""]], "utf-16-le")
    bad = "S2\tB0\tBad ".encode("utf-16-le") + b"\x00\xd8" + " x\t\r\n".encode("utf-16-le")
    path = _write(tmp_path, "u16.txt", codecs.BOM_UTF16_LE + body + bad)
    result, stats = _one(path)
    assert (stats.rows_ok, stats.rows_rejected) == (1, 1)
    assert result.rejected.iloc[0]["column"] == "item-name"
    assert "utf-16-le" in result.rejected.iloc[0]["reason"]


def test_encoding_option_overrides_detection(tmp_path):
    raw = tsv_bytes([HEADER, ["S1", "B0", "Shade\u2026 Set", ""]], "cp1252")
    path = _write(tmp_path, "o.txt", raw)
    result, stats = _one(path, encoding="latin-1")
    assert stats.encoding == "iso8859-1"
    assert any("given with --encoding" in n for n in stats.notes)
    # latin-1 maps 0x85 to U+0085: it stays inside the title (no false line break)
    assert result.listings["title"].tolist() == ["Shade\x85 Set"]
    assert stats.rows_read == 1


def test_encoding_option_cp932_and_utf8_bom(tmp_path):
    jp = _write(tmp_path, "jp.txt", tsv_bytes([HEADER, ["J1", "B0", "水筒", ""]], "cp932"))
    assert read_listings([jp], encoding="cp932").listings["title"].tolist() == ["水筒"]
    bom = _write(tmp_path, "b.txt", codecs.BOM_UTF8 + tsv_bytes([HEADER, ["S1", "B0", "Tee", ""]], "utf-8"))
    result = read_listings([bom], encoding="utf-8")
    assert result.listings["sku"].tolist() == ["S1"]
    assert any("byte order mark skipped" in n for n in result.files[0].notes)


@pytest.mark.parametrize("name", ["klingon-8", "base64"])
def test_unknown_or_non_text_encoding_is_one_line_input_error(tmp_path, name):
    path = _write(tmp_path, "x.txt", tsv_bytes([HEADER, ["S1", "B0", "T", ""]], "ascii"))
    with pytest.raises(InputError) as err:
        read_listings([path], encoding=name)
    assert "x.txt" in str(err.value) and name in str(err.value) and "\n" not in str(err.value)


def test_all_listings_crlf_and_lf_read_the_same(tmp_path):
    rows = [ALL_LISTINGS, all_listings_row(item_name="Same Title", seller_sku="S-1", status="Active")]
    a = read_listings([_write(tmp_path, "crlf.txt", tsv_bytes(rows, "cp1252", "\r\n"))]).listings
    b = read_listings([_write(tmp_path, "lf.txt", tsv_bytes(rows, "cp1252", "\n"))]).listings
    assert a.drop(columns="source_file").equals(b.drop(columns="source_file"))
    assert a["title"].tolist() == ["Same Title"]


def test_cp1252_file_with_a_little_mojibake_stays_cp1252(tmp_path):
    # "CafÃ©" is valid UTF-8 by accident; the rest of the file is plainly cp1252
    rows = [HEADER, ["S1", "B0", "Caf\u00c3\u00a9 sign", ""], ["S2", "B0", "Gr\u00f6\u00dfe \u2026 \u00e9t\u00e9", "na\u00efve"],
            ["S3", "B0", "Se\u00f1or \u2013 \u00bd price", ""]]
    result, stats = _one(_write(tmp_path, "moji.txt", tsv_bytes(rows, "cp1252")))
    assert stats.encoding == "cp1252"
    assert result.listings["title"].tolist()[0] == "Caf\u00c3\u00a9 sign"
    assert stats.rows_rejected == 0


@pytest.mark.parametrize(("codec", "name"), [("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"),
                                             ("utf-16-be", "UTF-16BE"), ("utf-32", "utf-32")])
def test_wide_encodings_given_with_the_option_are_read(tmp_path, codec, name):
    # a sample such as b"a" is no valid UTF-16 / UTF-32: the option must not be refused for that
    path = _write(tmp_path, "wide.txt", tsv_bytes([HEADER, ["W1", "B0", "Stainless mug", "groß"]], codec))
    result = read_listings([path], encoding=name)
    assert result.listings["title"].tolist() == ["Stainless mug"]
    assert result.listings["sku"].tolist() == ["W1"]


def test_utf8_rows_in_a_cp1252_file_are_told_not_silently_garbled(tmp_path):
    import io

    from scanner.progress import Progress

    # one row saved as UTF-8, the next as cp1252 (two exports pasted together): the file reads as cp1252
    data = (b"item-name\tseller-sku\n" + "Café Nike shoes – black\tM1\n".encode()
            + "Café Adidas shoes – black\tM2\n".encode("cp1252"))
    out = io.StringIO()
    result = read_listings([_write(tmp_path, "mix.txt", data)], progress=Progress(stream=out))
    assert result.files[0].encoding == "cp1252"
    assert result.listings["title"].tolist()[1] == "Café Adidas shoes – black"
    warnings = [line for line in out.getvalue().splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "mix.txt" in warnings[0] and "1 line(s)" in warnings[0]
    assert "first: line 2" in warnings[0]
    # a plain cp1252 file says nothing
    out = io.StringIO()
    read_listings([_write(tmp_path, "plain.txt", "item-name\tseller-sku\nCafé – ½\tP1\n".encode("cp1252"))],
                  progress=Progress(stream=out))
    assert "warning" not in out.getvalue()
