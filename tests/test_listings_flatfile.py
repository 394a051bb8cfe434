"""Inventory flat files: xlsx/xlsm (Template sheet), tab-delimited text and CSV, with and without the
TemplateType and label rows; marketplace from primaryMarketplaceId; bullets, keywords, category."""

from __future__ import annotations

import pytest

from scanner.listings import read_listings
from tests.fixtures.listings.builders import (
    FLAT_FIELDS,
    FLAT_LABELS_EN,
    FLAT_LABELS_JP,
    csv_bytes,
    excel_tab_bytes,
    template_row,
    workbook,
)

BULLETS = "100% cotton\nMachine washable\nRegular fit"


def _rows(data):
    return [[d.get(f, "") for f in FLAT_FIELDS] for d in data]


DATA = [
    {"feed_product_type": "shirt", "item_sku": "TS-PARENT", "brand_name": "Acme", "item_name": "Acme Cotton T-Shirt",
     "parent_child": "parent", "variation_theme": "SizeColor"},
    {"feed_product_type": "shirt", "item_sku": "TS-RED-M", "brand_name": "Acme", "item_name": "Acme Cotton T-Shirt, Red, M",
     "parent_child": "child", "parent_sku": "TS-PARENT", "product_description": "Soft 100% cotton tee.",
     "bullet_point1": "100% cotton", "bullet_point2": "Machine washable", "bullet_point3": "Regular fit",
     "generic_keywords": "tee shirt cotton", "external_product_id": "012345678905",
     "external_product_id_type": "UPC"},
]


def test_flat_file_excel_tab_text_with_template_and_label_rows(fixtures):
    result = read_listings([fixtures / "listings" / "flatfile_us_excel_tab_cp1252.txt"])
    stats, df = result.files[0], result.listings
    assert stats.format == "flat-file"
    assert stats.marketplace == "US"
    assert (stats.rows_read, stats.rows_ok, stats.rows_rejected) == (3, 3, 0)
    assert any("header on line 3" in n for n in stats.notes)
    assert df["source_row"].tolist() == [4, 5, 6]
    assert df["sku"].tolist() == ["TS-PARENT", "TS-RED-M", "00789"]
    assert df["title"].tolist() == ["Acme Cotton T-Shirt", "Acme Cotton T-Shirt, Red, M", 'Acme 12" Picture Frame']
    assert df["brand"].tolist() == ["Acme"] * 3
    assert df["category"].tolist() == ["shirt"] * 3
    assert df["marketplace"].tolist() == ["US"] * 3
    assert df["bullets"].tolist()[1] == BULLETS
    assert df["bullets"].tolist()[2] == 'Fits 12" prints'  # Excel's "Fits 12"" prints" unquoted
    assert df["keywords"].tolist()[1] == "tee shirt cotton crew neck"
    assert df["description"].tolist() == ["", "Soft 100% cotton tee.", "NA"]
    # external_product_id is an ASIN only when its type says so (a UPC is not)
    assert df["asin"].tolist() == ["", "", "B0FLATTST3"]


def test_flat_file_csv_japanese_with_quoted_line_breaks(fixtures):
    result = read_listings([fixtures / "listings" / "flatfile_jp_cp932.csv"])
    stats, df = result.files[0], result.listings
    assert stats.encoding == "cp932" and stats.format == "flat-file" and stats.marketplace == "JP"
    assert df["title"].tolist() == ["木製 パズル 100ピース", "プラモデル用 ニッパー, 精密"]
    assert df["description"].tolist()[0] == "対象年齢: 6歳以上、日本製\r\n箱入り"
    assert df["brand"].tolist() == ["ノーブランド品"] * 2
    assert df["bullets"].tolist() == ["木製\n100ピース", "精密カット"]
    assert df["source_row"].tolist() == [4, 6]  # the first record spans lines 4-5
    assert df["marketplace"].tolist() == ["JP", "JP"]


def test_flat_file_field_name_row_alone_with_older_keyword_columns(fixtures):
    result = read_listings([fixtures / "listings" / "flatfile_fieldnames_only.tsv"])
    stats, df = result.files[0], result.listings
    assert stats.format == "flat-file" and stats.marketplace == ""
    assert df["keywords"].tolist() == ["lamp reading desk", "pencil case school"]
    assert df["bullets"].tolist() == ["Warm light\nUSB powered", "Zip closure"]
    assert df["marketplace"].tolist() == ["", ""]


@pytest.mark.parametrize("with_template,with_labels", [(True, True), (False, True), (True, False), (False, False)])
def test_flat_file_tsv_and_csv_with_or_without_the_extra_rows(tmp_path, with_template, with_labels):
    top = ([template_row("A1PA6795UKMFR9", "de_DE")] if with_template else []) + ([FLAT_LABELS_EN] if with_labels else [])
    rows = top + [FLAT_FIELDS] + _rows(DATA)
    for name, data in [("ff.txt", excel_tab_bytes(rows, "cp1252")), ("ff.csv", csv_bytes(rows, "utf-8"))]:
        path = tmp_path / name
        path.write_bytes(data)
        result = read_listings([path])
        df, stats = result.listings, result.files[0]
        assert df["sku"].tolist() == ["TS-PARENT", "TS-RED-M"], name
        assert df["bullets"].tolist()[1] == BULLETS
        assert stats.marketplace == ("DE" if with_template else "")
        assert df["source_row"].tolist() == [len(top) + 2, len(top) + 3]


def test_unknown_marketplace_id_leaves_marketplace_empty_with_a_note(tmp_path):
    rows = [template_row("A9ZZZZZZZZZZZZ"), FLAT_LABELS_EN, FLAT_FIELDS] + _rows(DATA)
    path = tmp_path / "ff.txt"
    path.write_bytes(excel_tab_bytes(rows, "utf-8"))
    result = read_listings([path])
    assert result.files[0].marketplace == ""
    assert set(result.listings["marketplace"]) == {""}
    assert any("A9ZZZZZZZZZZZZ" in n for n in result.files[0].notes)


def _flat_sheet(values_rows):
    return [template_row("A1VC38T7YXB528", "ja_JP"), FLAT_LABELS_JP, FLAT_FIELDS] + values_rows


def _excel_rows():
    def row(**kw):
        return [kw.get(f) for f in FLAT_FIELDS]

    return [
        row(feed_product_type="hobbies", item_sku="00123", brand_name="ノーブランド品", item_name="木製 パズル",
            parent_child="parent"),
        row(feed_product_type="hobbies", item_sku=123.0, brand_name="Acme", item_name="Acme Puzzle 100",
            external_product_id=12345678905, external_product_id_type="UPC", standard_price=1980,
            bullet_point1="Wood", bullet_point2="NA", generic_keywords="NULL"),
        row(feed_product_type="hobbies", item_sku=456, brand_name="None", item_name="#N/A",
            product_description="n/a", external_product_id="B0XLSXTST1", external_product_id_type="ASIN"),
        row(item_sku="NO-TITLE", brand_name="Acme"),
        row(),
        row(feed_product_type="hobbies", item_sku=7, brand_name=" Acme ", item_name="  Spaced Title  "),
    ]


def _check_workbook_result(result):
    df, stats = result.listings, result.files[0]
    assert stats.format == "flat-file" and stats.encoding == "xlsx" and stats.marketplace == "JP"
    assert any("sheet 'Template'" in n for n in stats.notes)
    # text "00123" stays; numeric 123.0 -> "123"; 456 with number format 00000 -> "00456"; 7 -> "7"
    assert df["sku"].tolist() == ["00123", "123", "00456", "7"]
    assert df["title"].tolist() == ["木製 パズル", "Acme Puzzle 100", "#N/A", "Spaced Title"]
    assert df["brand"].tolist() == ["ノーブランド品", "Acme", "None", "Acme"]
    assert df["bullets"].tolist()[1] == "Wood\nNA"
    assert df["keywords"].tolist()[1] == "NULL"
    assert df["description"].tolist()[2] == "n/a"
    assert df["asin"].tolist() == ["", "", "B0XLSXTST1", ""]
    assert df["source_row"].tolist() == [4, 5, 6, 9]  # row 8 is empty: not a row
    assert (stats.rows_read, stats.rows_ok, stats.rows_rejected) == (5, 4, 1)
    rej = result.rejected.iloc[0]
    assert (rej["source_row"], rej["column"], rej["reason"]) == (7, "item_name", "empty title")
    assert "NO-TITLE" in rej["raw"]


@pytest.mark.parametrize("macro", [False, True])
def test_flat_file_workbook_template_sheet(tmp_path, macro):
    example = [FLAT_LABELS_EN, FLAT_FIELDS, ["shirt", "EXAMPLE-1", "Example", "Example Title"]]
    sheets = {"Instructions": [["How to fill in this template"]], "Example": example,
              "Template": _flat_sheet(_excel_rows()), "Valid Values": [["shirt", "hobbies"]]}
    path = workbook(tmp_path / ("ff.xlsm" if macro else "ff.xlsx"), sheets,
                    formats={("Template", "B6"): "00000"}, macro_enabled=macro)
    result = read_listings([path])
    _check_workbook_result(result)
    assert "EXAMPLE-1" not in result.listings["sku"].tolist()


def test_xlsm_fixture_really_is_macro_enabled(tmp_path):
    import zipfile

    path = workbook(tmp_path / "m.xlsm", {"Template": [FLAT_FIELDS]}, macro_enabled=True)
    with zipfile.ZipFile(path) as zf:
        assert "xl/vbaProject.bin" in zf.namelist()
        assert b"macroEnabled.main+xml" in zf.read("[Content_Types].xml")


def test_workbook_without_template_sheet_uses_the_sheet_with_the_field_name_row(tmp_path):
    sheets = {"Notes": [["exported 2024-05-01"], ["nothing here"]], "Sheet2": _flat_sheet(_excel_rows())}
    path = workbook(tmp_path / "ff.xlsx", sheets, formats={("Sheet2", "B6"): "00000"})
    result = read_listings([path])
    assert any("sheet 'Sheet2'" in n for n in result.files[0].notes)
    assert result.listings["sku"].tolist() == ["00123", "123", "00456", "7"]


def test_workbook_upc_number_with_zero_padded_format(tmp_path):
    rows = [["item_sku", "item_name", "external_product_id"], [1, "Padded", 12345678905]]
    path = workbook(tmp_path / "p.xlsx", {"Template": rows}, formats={("Template", "A2"): "0000", ("Template", "C2"): "000000000000"})
    df = read_listings([path]).listings
    assert df["sku"].tolist() == ["0001"]
    assert df["title"].tolist() == ["Padded"]


def test_workbook_cell_text_rules():
    import datetime as dt

    from scanner.listings.xlsx import cell_text

    assert cell_text(None) == ""
    assert cell_text("00123") == "00123"
    assert cell_text(123.0) == "123"
    assert cell_text(123.5) == "123.5"
    assert cell_text(42, "00000") == "00042"
    assert cell_text(42, "0.00") == "42"
    assert cell_text(True) == "TRUE"
    assert cell_text(dt.datetime(2024, 5, 1)) == "2024-05-01"
    assert cell_text(dt.datetime(2024, 5, 1, 13, 30)) == "2024-05-01 13:30:00"
    assert cell_text("#N/A") == "#N/A"


def test_workbook_prefers_a_field_name_row_over_data_definitions_and_example_sheets(tmp_path):
    definitions = [["Group Name", "Field Name", "Local Label Name", "Definition and Use"],
                   ["Basic", "item_sku", "Seller SKU", "A unique identifier"],
                   ["Basic", "item_name", "Product Name", "A short title for the product"]]
    example = [FLAT_LABELS_EN, FLAT_FIELDS, ["shirt", "EXAMPLE-1", "Example", "Example Title"]]
    sheets = {"Example": example, "Data Definitions": definitions, "Upload": _flat_sheet(_excel_rows())}
    result = read_listings([workbook(tmp_path / "ff.xlsx", sheets)])
    assert any("sheet 'Upload'" in n for n in result.files[0].notes)
    assert "EXAMPLE-1" not in result.listings["sku"].tolist()
    assert result.listings["title"].tolist()[:2] == ["木製 パズル", "Acme Puzzle 100"]


def test_workbook_without_any_header_row_lists_what_each_sheet_has(tmp_path):
    from scanner.errors import InputError

    path = workbook(tmp_path / "w.xlsx", {"Prices": [["sku", "price"], ["S1", 9.99]], "Notes": [["hello"]]})
    with pytest.raises(InputError) as err:
        read_listings([path])
    msg = str(err.value)
    assert "sheet 'Prices': sku, price" in msg and "sheet 'Notes': hello" in msg and "\n" not in msg


def test_flat_file_header_found_across_small_read_blocks(fixtures, monkeypatch):
    from scanner.listings import textfile

    monkeypatch.setattr(textfile, "BLOCK_SIZE", 50)  # the TemplateType row alone is longer than a block
    result = read_listings([fixtures / "listings" / "flatfile_us_excel_tab_cp1252.txt"])
    assert result.files[0].marketplace == "US"
    assert result.listings["sku"].tolist() == ["TS-PARENT", "TS-RED-M", "00789"]
    assert result.listings["source_row"].tolist() == [4, 5, 6]


def test_flat_file_tab_text_excel_quoted_empty_title_is_rejected(tmp_path):
    path = tmp_path / "ff.txt"
    path.write_bytes(b'item_sku\titem_name\tbrand_name\r\nA1\t""\tAcme\r\nA2\t"Quoted ""Title"""\tAcme\r\n')
    result = read_listings([path])
    assert result.listings["title"].tolist() == ['Quoted "Title"']
    assert result.rejected["reason"].tolist() == ["empty title"]
    assert result.rejected["source_row"].tolist() == [2]
