"""Generic CSV/TSV/XLSX with --map (column_map): quoting, delimiters, mapped columns, map errors."""

from __future__ import annotations

import pytest

from scanner.errors import ConfigError, InputError
from scanner.listings import read_listings
from tests.fixtures.listings.builders import csv_bytes, workbook

SHOP_MAP = {"title": "Title", "sku": "Variant SKU", "brand": "Vendor", "description": "Body (HTML)",
            "category": "Type", "keywords": "Tags"}


def test_generic_csv_with_map(fixtures):
    path = fixtures / "listings" / "generic_shop.csv"
    result = read_listings([path], column_map=SHOP_MAP)
    df, stats = result.listings, result.files[0]
    assert stats.format == "generic"
    assert any("comma-separated" in n for n in stats.notes)
    assert df["title"].tolist() == ["Merino Wool Socks, 2 Pack", 'Desk Lamp "Nova"', "None"]
    assert df["sku"].tolist() == ["0001234", "NA", "#N/A"]
    assert df["brand"].tolist() == ["Acme", "Lumina", "NULL"]
    assert df["description"].tolist() == ["<p>Warm, soft socks.</p>\n<p>Made in Portugal.</p>", "", "n/a"]
    assert df["keywords"].tolist() == ["socks, wool", "", ""]
    assert df["category"].tolist() == ["Socks", "Lamps", ""]
    # source_row is the physical line where the record starts (the first record spans lines 2-3)
    assert df["source_row"].tolist() == [2, 4, 6]
    assert (stats.rows_read, stats.rows_ok, stats.rows_rejected) == (3, 3, 0)  # line 5 is an empty record


def test_generic_semicolon_cp1252_with_map(fixtures):
    path = fixtures / "listings" / "generic_semicolon_cp1252.csv"
    result = read_listings([path], column_map={"title": "Bezeichnung", "sku": "Artikelnummer", "brand": "Marke",
                                               "description": "Beschreibung"})
    df, stats = result.listings, result.files[0]
    assert stats.encoding == "cp1252"
    assert any("semicolon-separated" in n for n in stats.notes)
    assert df["title"].tolist() == ["Kaffeebecher Edelstahl; 400 ml", "Brotdose \u201eKlassik\u201c"]
    assert df["sku"].tolist() == ["000815", "000816"]
    assert df["description"].tolist() == ["Doppelwandig, spülmaschinenfest", ""]


def test_map_header_absent_is_one_line_error_listing_headers(fixtures):
    path = fixtures / "listings" / "generic_shop.csv"
    with pytest.raises(InputError) as err:
        read_listings([path], column_map={"title": "Title", "sku": "SKU Code"})
    msg = str(err.value)
    assert "\n" not in msg
    assert "generic_shop.csv" in msg and "--map sku=SKU Code" in msg
    assert "Handle, Title, Body (HTML), Vendor, Type, Tags, Variant SKU, Published" in msg


def test_map_title_absent_names_the_map_and_headers(fixtures):
    with pytest.raises(InputError) as err:
        read_listings([fixtures / "listings" / "generic_shop.csv"], column_map={"title": "ProductName"})
    assert "--map title=ProductName" in str(err.value) and "Variant SKU" in str(err.value)


def test_no_title_without_map_says_what_is_needed(fixtures):
    with pytest.raises(InputError) as err:
        read_listings([fixtures / "listings" / "generic_semicolon_cp1252.csv"])
    msg = str(err.value)
    assert "Artikelnummer, Bezeichnung, Marke, Beschreibung" in msg
    assert "item-name" in msg and "item_name" in msg and "商品名" in msg and "--map title=" in msg


def test_map_matches_header_case_and_spacing_insensitively(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes(csv_bytes([["Product  Name", "Code"], ["Mug", "0007"]], "utf-8"))
    df = read_listings([path], column_map={"title": "product name", "sku": "CODE"}).listings
    assert df[["title", "sku"]].values.tolist() == [["Mug", "0007"]]


def test_map_wins_over_aliases_and_unknown_headers_are_ignored(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_bytes(b"item-name\tShortName\tseller-sku\tColour\nLong amazon title\tShort\tS1\tred\n")
    df = read_listings([path], column_map={"title": "ShortName"}).listings
    assert df["title"].tolist() == ["Short"]
    assert df["sku"].tolist() == ["S1"]  # seller-sku still found by its alias


def test_generic_tsv_has_no_quote_processing(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_bytes(b'title\tsku\n"Quoted" lamp\t"01"\n12" ruler\t02\n')
    df = read_listings([path]).listings
    assert df["title"].tolist() == ['"Quoted" lamp', '12" ruler']
    assert df["sku"].tolist() == ['"01"', "02"]


def test_generic_csv_broken_records_are_rejected_with_start_line(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes(b'sku,title,brand\r\n1,"Good, one",A\r\n2,Too,many,fields\r\n3,"",B\r\n4,"Two\r\nlines",C\r\n5,Short\r\n')
    result = read_listings([path])
    stats = result.files[0]
    assert (stats.rows_read, stats.rows_ok, stats.rows_rejected) == (5, 2, 3)
    assert result.listings["title"].tolist() == ["Good, one", "Two\r\nlines"]
    assert result.listings["source_row"].tolist() == [2, 5]
    rej = result.rejected
    assert rej["source_row"].tolist() == [3, 4, 7]
    assert rej["reason"].tolist()[0].startswith("expected 3 comma-separated fields, found 4")
    assert (rej["column"].tolist()[1], rej["reason"].tolist()[1]) == ("title", "empty title")
    assert rej["raw"].tolist()[2] == "5,Short"


def test_csv_quote_that_never_closes_does_not_swallow_the_rows_after_it(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes(b'sku,title,brand\r\n1,Garden hose 20 m,Acme\r\n2,"Canon ink refill,Acme\r\n'
                     b'3,"Desk lamp, LED",Lumina\r\n\r\n4,Phone stand,Acme\r\n')
    result = read_listings([path])
    stats, df = result.files[0], result.listings
    assert df["sku"].tolist() == ["1", "2", "3", "4"]
    assert df["title"].tolist() == ["Garden hose 20 m", '"Canon ink refill', "Desk lamp, LED", "Phone stand"]
    assert df["brand"].tolist() == ["Acme", "Acme", "Lumina", "Acme"]
    assert df["source_row"].tolist() == [2, 3, 4, 6]
    assert (stats.rows_read, stats.rows_ok, stats.rows_rejected) == (4, 4, 0)
    note = next(n for n in stats.notes if "never closes" in n)
    assert note.startswith("may be misread: line 3, column title:") and "next 1 line(s)" in note


def test_csv_quote_closed_by_a_later_row_is_read_row_by_row(tmp_path):
    # the stray quote of row 2 pairs with the opening quote of row 4: CSV rules read rows 2-4 as one record
    path = tmp_path / "g.csv"
    path.write_bytes(b'sku,title,brand\n1,"Lamp, brass",Acme\n2,"Nova table lamp,Acme\n3,Wall clock,Acme\n'
                     b'4,"Mirror, round",Acme\n5,Tea set,Acme\n')
    result = read_listings([path])
    df = result.listings
    assert df["sku"].tolist() == ["1", "2", "3", "4", "5"]
    assert df["title"].tolist() == ["Lamp, brass", '"Nova table lamp', "Wall clock", "Mirror, round", "Tea set"]
    assert not result.rejected.shape[0]


def test_csv_unclosed_quote_in_a_large_file_reads_every_row(tmp_path):
    # the swallowed value outgrows the csv module's field limit (131,072 characters): not one rejected record
    rows = [f"{i},Replacement garden hose connector size {i},Acme" for i in range(1, 5001)]
    rows[9] = '10,"Canon ink refill,Acme'
    path = tmp_path / "big.csv"
    path.write_text("sku,title,brand\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = read_listings([path])
    stats, df = result.files[0], result.listings
    assert (stats.rows_read, stats.rows_ok, stats.rows_rejected) == (5000, 5000, 0)
    assert df["sku"].tolist() == [str(i) for i in range(1, 5001)]
    assert df["title"].tolist()[9] == '"Canon ink refill' and df["source_row"].tolist()[-1] == 5001
    assert any(n.startswith("may be misread: line 11, column title:") for n in stats.notes)


@pytest.mark.parametrize("data", [
    b'sku,description\n1,"Size: 10, colour red\nWeight: 5, pack of 2"\n2,Plain\n',  # 2 columns, a comma per line
    b'sku,title,brand\n1,"Lamp, brass\nshade, linen",Acme\n2,Plain,Acme\n',  # the last line has the closing quote
    b'sku,title,brand\n1,"Lamp ""Nova""\n2,Plain,Acme\n3,x,y\nend",Acme\n4,Plain,Acme\n',  # rows inside a real value
])
def test_csv_value_with_line_breaks_stays_one_value(tmp_path, data):
    path = tmp_path / "g.csv"
    path.write_bytes(data)
    result = read_listings([path], column_map={"title": "description"} if b"description" in data else {})
    first = result.listings.iloc[0]
    assert first["source_row"] == 2 and "\n" in first["title"]
    assert len(result.listings) == 2
    assert not any("never closes" in n for n in result.files[0].notes)


def test_generic_xlsx_with_map(tmp_path):
    rows = [["Export 2024-05-01"], [], ["Artikel", "Name", "Hersteller"], ["00042", "Wanduhr Eiche", "Acme"],
            [43, "Tischlampe", None]]
    path = workbook(tmp_path / "g.xlsx", {"Artikel": rows})
    result = read_listings([path], column_map={"sku": "Artikel", "title": "Name", "brand": "Hersteller"})
    df, stats = result.listings, result.files[0]
    assert stats.format == "generic"
    assert df["sku"].tolist() == ["00042", "43"]
    assert df["title"].tolist() == ["Wanduhr Eiche", "Tischlampe"]
    assert df["brand"].tolist() == ["Acme", ""]
    assert df["source_row"].tolist() == [4, 5]


def test_column_map_unknown_field_is_config_error(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes(b"title\nx\n")
    with pytest.raises(ConfigError):
        read_listings([path], column_map={"colour": "title"})


def test_marketplace_column_is_read_when_present(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes(b"title,marketplace\nLamp,DE\nMug,\n")
    assert read_listings([path]).listings["marketplace"].tolist() == ["DE", ""]


def test_tsv_with_every_value_quoted_is_unquoted(tmp_path):
    path = tmp_path / "q.tsv"
    path.write_bytes(b'"sku"\t"title"\t"brand"\n"0012"\t"12"" Ruler"\t"Acme"\n"0013"\t"Plain"\t""\n')
    df = read_listings([path]).listings
    assert df["sku"].tolist() == ["0012", "0013"]
    assert df["title"].tolist() == ['12" Ruler', "Plain"]
    assert df["brand"].tolist() == ["Acme", ""]
