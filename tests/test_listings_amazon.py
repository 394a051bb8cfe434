"""Amazon listing reports: All Listings, Active Listings (47/27/28 cols), custom selections, FBA inventory,
the Inventory Report (no titles), and localized headers (JP, DE, FR, IT, ES, CN)."""

from __future__ import annotations

import codecs

import pytest

from scanner.errors import InputError
from scanner.listings import CANONICAL_COLUMNS, read_listings
from tests.fixtures.listings.builders import ALL_LISTINGS, all_listings_row, write_tsv


def _read(fixtures, name, **kw):
    result = read_listings([fixtures / "listings" / name], **kw)
    assert len(result.files) == 1
    return result, result.files[0]


def test_all_listings_report_cp1252(fixtures):
    result, stats = _read(fixtures, "all_listings_us_cp1252.txt")
    df = result.listings
    assert list(df.columns) == list(CANONICAL_COLUMNS)
    assert stats.format == "amazon-all-listings"
    assert stats.encoding == "cp1252"
    assert (stats.rows_read, stats.rows_ok, stats.rows_rejected) == (9, 6, 3)
    assert df["title"].tolist() == [
        "Acme Stainless Steel Water Bottle 32 oz\u2026 Leak Proof",  # byte 0x85 is cp1252 "…"
        '12" Lumina Desk Lamp, Black',  # a lone quote: no quote processing
        "Café Table Cover \u2013 140 cm",
        "Kids Rain Boots\u2122 Size 10",
        "Garden Hose 50 ft",
        "Phone Case for Model X",
    ]
    assert df["sku"].tolist() == ["ACME-WB-32", "00123", "NA", "n/a", "HOSE-50", "000456"]
    assert df["asin"].tolist()[:2] == ["B0TEST0001", "B0TEST0002"]
    assert df["description"].tolist()[2:4] == ["NULL", "None"]
    assert df["description"].tolist()[5] == "#N/A"
    assert df["source_row"].tolist() == [2, 3, 4, 6, 10, 11]  # line 5 is blank; 7-9 rejected
    assert set(df["brand"]) == {""} and set(df["marketplace"]) == {""}
    assert df["source_file"].unique().tolist() == [str(fixtures / "listings" / "all_listings_us_cp1252.txt")]
    assert any("blank line" in n for n in stats.notes)
    assert any("extra empty fields" in n for n in stats.notes)


def test_all_listings_rejected_rows_name_line_column_reason(fixtures):
    result, _ = _read(fixtures, "all_listings_us_cp1252.txt")
    rej = result.rejected
    assert rej["source_row"].tolist() == [7, 8, 9]
    assert rej.loc[0, "column"] == "item-name" and rej.loc[0, "reason"] == "empty title"
    assert "EMPTY-1" in rej.loc[0, "raw"]
    assert "expected 29 tab-separated fields, found 2" in rej.loc[1, "reason"]
    assert "expected 29 tab-separated fields, found 28" in rej.loc[2, "reason"]
    assert rej.loc[1, "raw"].startswith("Broken Row Blanket\tfirst part")
    assert not rej.loc[1, "raw"].endswith("\r")
    assert set(rej["source_file"]) == {str(fixtures / "listings" / "all_listings_us_cp1252.txt")}


def test_active_listings_47_columns(fixtures):
    result, stats = _read(fixtures, "active_listings_47_cp1252.txt")
    assert stats.format == "amazon-active-listings"
    assert stats.encoding == "cp1252"
    assert result.listings["title"].tolist()[0] == "Lumina\u00ae LED Strip 5 m"
    assert result.listings["sku"].tolist() == ["ACT-001", "ACT-002", "ACT-003"]
    assert result.listings["asin"].tolist() == ["B0ACTIVE01", "B0ACTIVE02", "B0ACTIVE03"]


def test_active_listings_27_columns_lf(fixtures):
    result, stats = _read(fixtures, "active_listings_27_cp1252_lf.txt")
    assert stats.format == "amazon-active-listings"
    assert result.listings["title"].tolist() == ["Ceramic Mug 350 ml", "Bamboo Cutting Board"]
    assert result.listings["source_row"].tolist() == [2, 3]


def test_active_listings_28_columns(tmp_path):
    rows = [ALL_LISTINGS[:28], all_listings_row(item_name="Steel Ruler 30 cm", seller_sku="R-30")[:28]]
    path = write_tsv(tmp_path / "active28.txt", rows)
    result = read_listings([path])
    assert result.files[0].format == "amazon-active-listings"
    assert result.listings["title"].tolist() == ["Steel Ruler 30 cm"]


def test_columns_are_read_by_name_not_position(tmp_path):
    order = list(reversed(ALL_LISTINGS))
    row = dict(zip(ALL_LISTINGS, all_listings_row(item_name="Reordered Lamp", seller_sku="RE-1",
                                                  asin1="B0REORDER1", item_description="desc"), strict=True))
    path = write_tsv(tmp_path / "reordered.txt", [order, [row[h] for h in order]])
    result = read_listings([path])
    got = result.listings.iloc[0]
    assert (got["title"], got["sku"], got["asin"], got["description"]) == ("Reordered Lamp", "RE-1", "B0REORDER1", "desc")
    assert result.files[0].format == "amazon-all-listings"


def test_custom_selection_utf8_bom(fixtures):
    result, stats = _read(fixtures, "custom_selection_utf8_bom.txt")
    assert stats.format == "amazon-listings-custom"
    assert stats.encoding == "utf-8"
    assert any("byte order mark" in n for n in stats.notes)
    df = result.listings
    assert df["sku"].tolist() == ["CS-001", "CS-002", "0042"]  # the BOM is not part of the first header
    assert df["title"].tolist() == ["Überzug für Gartenmöbel \u2605 wasserdicht",
                                    "Gift Box \U0001f381 with Ribbon \u2014 Set of 3", "Plain Notebook A5"]
    assert df["asin"].tolist()[2] == "NA" and df["description"].tolist()[2] == "NULL"


def test_fba_manage_inventory(fixtures):
    result, stats = _read(fixtures, "fba_inventory_cp1252.txt")
    assert stats.format == "amazon-fba-inventory"
    assert result.listings["title"].tolist() == ["Acme Yoga Mat 6mm \u2013 Non Slip", "Lumina Night Light\u2026 2 Pack"]
    assert result.listings["sku"].tolist() == ["FBA-001", "FBA-002"]
    assert result.listings["asin"].tolist() == ["B0FBATEST1", "B0FBATEST2"]


def test_inventory_report_has_no_titles(fixtures):
    with pytest.raises(InputError) as err:
        read_listings([fixtures / "listings" / "inventory_report_utf8_bom.txt"])
    msg = str(err.value)
    assert "\n" not in msg
    assert "inventory_report_utf8_bom.txt" in msg
    assert "no title column" in msg and "All Listings Report" in msg


def test_japanese_all_listings_cp932(fixtures):
    result, stats = _read(fixtures, "jp_all_listings_cp932.txt")
    assert stats.encoding == "cp932"
    assert stats.format == "amazon-all-listings"
    assert any("Japanese Amazon headers" in n for n in stats.notes)
    df = result.listings
    assert df["title"].tolist() == ["ステンレス 水筒 500ml 保冷 保温", "子供用 レインブーツ 18cm ～ 20cm",
                                    "ノーブランド品 USBケーブル 1m"]
    assert df["sku"].tolist() == ["JP-0001", "JP-0002", "0003"]
    assert df["asin"].tolist() == ["B0JPTEST01", "B0JPTEST02", "B0JPTEST03"]


def test_japanese_2018_layout_takes_asin_from_product_id(fixtures):
    result, stats = _read(fixtures, "jp_2018_cp932.txt")
    df = result.listings
    assert df["sku"].tolist() == ["JP18-01", "JP18-02"]
    # 商品IDタイプ 1 = ASIN; type 4 (EAN) is not an ASIN
    assert df["asin"].tolist() == ["B0JP2018A1", ""]
    assert df["title"].tolist()[0] == "木製 カッティングボード"


def test_japanese_newer_headers_asin_1_and_status(fixtures):
    result, stats = _read(fixtures, "jp_custom_cp932_lf.txt")
    assert stats.encoding == "cp932"
    assert result.listings["asin"].tolist() == ["B0JPNEW001", "B0JPNEW002"]
    assert result.listings["title"].tolist() == ["折りたたみ傘 軽量 自動開閉", "ステンレス マグカップ"]


@pytest.mark.parametrize(
    "name,titles,encoding",
    [
        ("de_listings_cp1252.txt", ["Trinkflasche Edelstahl 1 l \u2013 auslaufsicher", "Größe M Regenjacke"], "cp1252"),
        ("fr_listings_cp1252.txt", ["Gourde isotherme 500 ml \u2013 sans BPA", "Cahier à spirale A4"], "cp1252"),
        ("it_listings_cp1252.txt", ["Borraccia termica 750 ml", "Tazza più grande"], "cp1252"),
        ("es_listings_cp1252.txt", ["Botella térmica 1 l", "Funda de cojín año nuevo"], "cp1252"),
        ("cn_listings_utf16le_bom.txt", ["不锈钢保温杯 500毫升", "儿童雨靴 黄色"], "utf-16-le"),
    ],
)
def test_localized_headers(fixtures, name, titles, encoding):
    result, stats = _read(fixtures, name)
    lang = name[:2].upper()
    assert stats.encoding == encoding
    assert result.listings["title"].tolist() == titles
    assert result.listings["sku"].tolist() == [f"{lang}-001", f"{lang}-002"]
    # no asin1 column: the ASIN comes from the product-id column whose type column says 1 (ASIN)
    assert result.listings["asin"].tolist() == [f"B0{lang}TEST01", f"B0{lang}TEST02"]


def test_utf16_big_endian_bom(tmp_path):
    rows = [["卖家 SKU", "商品名称"], ["CN-BE-1", "蓝牙耳机 无线"]]
    path = tmp_path / "cn_be.txt"
    path.write_bytes(codecs.BOM_UTF16_BE + "".join("\t".join(r) + "\r\n" for r in rows).encode("utf-16-be"))
    result = read_listings([path])
    assert result.files[0].encoding == "utf-16-be"
    assert result.listings["title"].tolist() == ["蓝牙耳机 无线"]
    assert result.listings["sku"].tolist() == ["CN-BE-1"]


def test_several_files_are_read_together(fixtures):
    d = fixtures / "listings"
    result = read_listings([d / "all_listings_us_cp1252.txt", d / "custom_selection_utf8_bom.txt"])
    assert len(result.listings) == 6 + 3
    assert result.rows_read == 9 + 3 and result.rows_rejected == 3
    assert list(result.listings.index) == list(range(9))
    assert result.listings["source_file"].str.endswith("custom_selection_utf8_bom.txt").sum() == 3
