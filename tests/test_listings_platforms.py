"""Marketplace and shop-platform exports: found by content, fields mapped, variant rows folded and counted,
broken rows reported with file/row/column, wrong encodings a one-line error, product-page links."""

from __future__ import annotations

import pytest

from scanner.errors import InputError
from scanner.links import product_url
from scanner.listings import read_listings
from scanner.listings.folding import html_to_text
from tests.fixtures.listings import platform_files as pf


def _read(path, **kw):
    result = read_listings([path], **kw)
    stats = result.files[0]
    # every row of the file is a listing, a folded variant/image row or a rejected row
    assert stats.rows_read == stats.rows_ok + stats.rows_rejected == len(result.listings) + len(result.rejected)
    return result, stats


def _rejected(result):
    return [(r.source_row, r.column, r.reason) for r in result.rejected.itertuples()]


def test_mercadolibre_xlsx_keys_row_1_data_row_7(tmp_path):
    result, stats = _read(pf.mercadolibre_xlsx(tmp_path))
    df = result.listings
    assert stats.format == "mercadolibre" and stats.encoding == "xlsx"
    assert df["title"].tolist() == ["Funda Silicona Compatible Con iPhone 15 Pro", "Zapatillas Running Hombre Livianas"]
    # the parent row has no SKU: the publication id stands in; its variation rows fold into it
    assert df["sku"].tolist() == ["MLA1540735705", "ZAP-001"]
    assert df["listing_id"].tolist() == ["MLA1540735705", "MLA1498877001"]
    assert df["marketplace"].tolist() == ["mercadolibre-AR"] * 2
    assert df["category"].tolist() == ["Fundas", "Zapatillas"]
    assert df["source_row"].tolist() == [7, 10]
    assert df["asin"].tolist() == ["", ""]
    assert stats.rows_folded == 2
    assert _rejected(result) == [(11, "TITLE", "empty title")]
    assert any("4 label/help row(s)" in n for n in stats.notes)
    assert any("sheet 'Publicaciones', header on row 1" in n for n in stats.notes)
    assert product_url(df["marketplace"][0], df["listing_id"][0]) == \
        "https://articulo.mercadolibre.com.ar/MLA-1540735705-_JM"


def test_mercadolibre_br_semicolon_csv(tmp_path):
    result, stats = _read(pf.mercadolibre_br_csv(tmp_path))
    df = result.listings
    assert stats.format == "mercadolibre"
    assert any("semicolon-separated" in n for n in stats.notes)
    assert df["title"].tolist() == ["Controle Sem Fio Compatível Com PS5 Preto", "Figura de Ação Colecionável 18 cm"]
    assert df["sku"].tolist() == ["CTRL-PS5", "FIG-001"]
    assert df["marketplace"].tolist() == ["mercadolibre-BR"] * 2
    assert df["source_row"].tolist() == [6, 7]
    assert any("4 label/help row(s)" in n for n in stats.notes)
    assert product_url("mercadolibre-BR", "MLB1836205903") == "https://produto.mercadolivre.com.br/MLB-1836205903-_JM"


def test_ozon_products_csv(tmp_path):
    path = pf.ozon_csv(tmp_path)
    result, stats = _read(path)
    df = result.listings
    assert stats.format == "ozon" and stats.encoding == "utf-8"
    assert df["sku"].tolist() == ["RM-45-BLK", "0012-KR"]  # the leading ' is Ozon's text marker, dropped
    assert df["title"].tolist() == ["Ремешок для Apple Watch 45 мм силиконовый", "Кроссовки мужские беговые сетка"]
    assert df["brand"].tolist() == ["Нет бренда", "Runway"]
    assert df["category"].tolist() == ["Аксессуары для часов", "Обувь"]
    assert df["listing_id"].tolist() == ["1422144661", "1422144662"]
    assert df["marketplace"].tolist() == ["ozon", "ozon"]
    [(row, column, reason)] = _rejected(result)
    assert (row, column) == (4, "") and "expected 12 semicolon-separated fields, found 4" in reason
    assert result.rejected["source_file"].tolist() == [str(path)]
    assert product_url("ozon", "1422144661") == "https://www.ozon.ru/product/1422144661/"


def test_ozon_category_template_sheet(tmp_path):
    result, stats = _read(pf.ozon_template_xlsx(tmp_path))
    df = result.listings
    assert stats.format == "ozon-template"
    assert df["sku"].tolist() == ["PL-001", "PL-002"]
    assert df["title"].tolist() == ["Футболка мужская хлопок", "Чехол для iPhone 15 прозрачный"]
    assert df["description"][1] == "Прозрачный силиконовый чехол."
    assert df["keywords"][0] == "#футболка #хлопок футболка мужская"
    assert df["category"][1] == "Чехол"
    assert df["source_row"].tolist() == [5, 6]
    assert any("2 hint row(s)" in n for n in stats.notes)


def test_shein_rows_of_one_spu_fold(tmp_path):
    result, stats = _read(pf.shein_csv(tmp_path))
    df = result.listings
    assert stats.format == "shein"
    assert df["title"].tolist() == ["Women Floral Print Midi Dress", "Quilted Chain Shoulder Bag"]
    assert df["sku"].tolist() == ["DRS-RED-S", "BAG-01-OS"]
    assert df["category"].tolist() == ["Dresses", "Shoulder Bags"]
    assert stats.rows_folded == 1


def test_esm_gmarket_and_auction_rows(tmp_path):
    result, stats = _read(pf.esm_xlsx(tmp_path))
    df = result.listings
    assert stats.format == "esm"
    assert df["marketplace"].tolist() == ["gmarket", "auction", "gmarket"]
    assert df["sku"].tolist() == ["ESM-CASE-01", "ESM-CASE-01", "ESM-SHOE-02"]
    assert df["title"][2] == "여성 운동화 경량 러닝화"
    assert product_url("gmarket", "3383368133") == "https://item.gmarket.co.kr/Item?goodscode=3383368133"
    assert product_url("auction", "B463945053") == "http://itempage3.auction.co.kr/DetailView.aspx?itemno=B463945053"


def test_coupang_wing_export_header_row_4_wrong_dimension(tmp_path):
    result, stats = _read(pf.coupang_xlsx(tmp_path))
    df = result.listings
    assert stats.format == "coupang"
    # the sheet claims A1:O4; the rows below are read anyway
    assert df["title"].tolist() == ["대용량 물총 여름 물놀이 장난감 2개 세트", "아이폰15 호환 투명 젤리 케이스"]
    assert df["sku"].tolist() == ["16290876620", "16290876621"]
    assert df["brand"].tolist() == ["해피토이", ""]
    assert df["keywords"][0] == "물총,물놀이,여름장난감"
    # the option names of all its rows, and the other name its second option row is shown under (scanned too)
    assert df["bullets"].tolist() == ["블루\n핑크\n물총 대용량 2개", "투명"]
    assert df["category"][1] == "휴대폰액세서리"
    assert df["source_row"].tolist() == [5, 7]
    assert stats.rows_folded == 1  # the second option row of 16290876620
    assert _rejected(result) == [(8, "쿠팡 노출상품명", "empty title")]
    assert product_url("coupang", df["listing_id"][0]) == "https://www.coupang.com/vp/products/7412589630"


def test_rakuten_normal_item_cp932(tmp_path):
    path = pf.rakuten_csv(tmp_path)
    result, stats = _read(path)
    df = result.listings
    assert stats.format == "rakuten" and stats.encoding == "cp932"
    assert df["title"].tolist() == ["プーマ スニーカー レディース 軽量", "AirPods Pro 対応 ケース シリコン"]
    assert df["sku"].tolist() == ["SNK-W01", "CASE-AP2"]
    assert df["brand"].tolist() == ["PUMA", ""]  # from the ブランド名 product attribute
    assert df["description"][0] == "軽くて歩きやすいスニーカー\n軽量スニーカー"  # HTML made text, both fields joined
    assert df["keywords"][0] == "送料無料 スニーカー レディース"
    assert df["category"][0] == "558846"
    assert stats.rows_folded == 2  # two SKU rows
    [(row, column, reason)] = _rejected(result)
    assert row == 6 and "expected 16 comma-separated fields, found 5" in reason
    assert product_url("rakuten", "sneaker-w01", shop="myshop") == "https://item.rakuten.co.jp/myshop/sneaker-w01/"
    assert product_url("rakuten", "sneaker-w01") == ""  # the shop is part of the URL


def test_rakuten_wrong_encoding_is_one_line(tmp_path):
    path = pf.rakuten_csv(tmp_path)
    with pytest.raises(InputError) as info:
        read_listings([path], encoding="utf-8")
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    assert "line 1" in message and "--encoding" in message and "cp932" in message


def test_yahoo_data_csv_cp932(tmp_path):
    result, stats = _read(pf.yahoo_csv(tmp_path))
    df = result.listings
    assert stats.format == "yahoo-jp" and stats.encoding == "cp932"
    assert df["title"].tolist() == ["AirPods Pro 対応 ケース 透明", "トートバッグ キャンバス 大容量"]
    assert df["sku"].tolist() == ["ap-case-01", "tote-02"]
    assert df["description"][0] == "衝撃に強いケース"
    assert df["keywords"][0] == "送料無料 人気 ケース イヤホン"
    assert df["category"][0] == "1234"
    assert stats.rows_folded == 1  # the sub-code row of tote-02
    assert product_url("yahoo-jp", "tote-02", shop="mystore") == "https://store.shopping.yahoo.co.jp/mystore/tote-02.html"


def test_ebay_active_listings_variations(tmp_path):
    result, stats = _read(pf.ebay_csv(tmp_path))
    df = result.listings
    assert stats.format == "ebay" and stats.encoding == "utf-8"
    assert df["title"].tolist() == ["Case for iPhone 15 Pro Clear Shockproof", "Cordless Impact Driver 20V"]
    assert df["sku"].tolist() == ["227511361186", "SYNC-TARGET"]
    assert df["marketplace"].tolist() == ["ebay-US", "ebay-Germany"]
    assert df["bullets"].tolist() == ["Color=Clear;Black\nColor=Clear\nColor=Black", ""]  # variation details
    assert df["category"][0] == "Cases, Covers & Skins"
    assert stats.rows_folded == 2
    [(row, _, reason)] = _rejected(result)
    assert row == 6 and "found 2" in reason
    assert product_url("ebay-US", "227511361186") == "https://www.ebay.com/itm/227511361186"
    assert product_url("ebay-Germany", "800262913581") == "https://www.ebay.de/itm/800262913581"


def test_walmart_item_report_zipped(tmp_path):
    path = pf.walmart_zip(tmp_path)
    result, stats = _read(path)
    df = result.listings
    assert stats.format == "walmart"
    assert df["sku"].tolist() == ["CM20700VZ3Z1", "0045-LAMP"]
    assert df["title"][1] == "Replacement Lamp Shade for IKEA Floor Lamp"
    assert df["brand"].tolist() == ["Acme Home", ""]
    assert df["category"][0] == "Furniture"
    assert df["source_file"][0] == f"{path}:ItemReport.csv"
    assert any("from the zip archive" in n for n in stats.notes)
    assert product_url("walmart", df["listing_id"][0]) == "https://www.walmart.com/ip/123"


def test_woocommerce_portuguese_variations_fold(tmp_path):
    result, stats = _read(pf.woocommerce_pt_csv(tmp_path))
    df = result.listings
    assert stats.format == "woocommerce"
    assert df["title"].tolist() == ["Camiseta Básica Algodão", "Capinha compatível com iPhone 15",
                                    "Variação órfã - Azul"]
    assert df["sku"].tolist() == ["CAM-BAS", "CAP-IP15", "ORF-1"]
    assert df["description"][0] == "Camiseta macia & leve.\n100% algodão\nUnissex"
    assert df["brand"][0] == "Malharia Sol"  # the "Marca" attribute
    assert df["keywords"][0] == "camiseta, algodão"
    assert df["category"][0] == "Roupas > Camisetas"
    assert stats.rows_folded == 2  # one parent named by id:101, one by its SKU
    assert any("whose parent is not in this file" in n for n in stats.notes)
    assert _rejected(result) == [(7, "Nome", "empty title")]
    assert product_url("woocommerce", "101", shop="loja.example") == "https://loja.example/?p=101"


def test_shopify_handle_rows_fold_and_html(tmp_path):
    result, stats = _read(pf.shopify_csv(tmp_path))
    df = result.listings
    assert stats.format == "shopify"
    assert df["title"].tolist() == ["Merino Wool Socks", "Case compatible with iPhone 15"]
    assert df["sku"].tolist() == ["0001234", "phone-case"]  # ' dropped; no Variant SKU -> the Handle
    assert df["description"].tolist() == ["Warm & soft.\nMade in Portugal.", "Clear case"]
    assert df["brand"].tolist() == ["Acme", "Acme"]
    assert df["keywords"].tolist() == ["socks, wool", "case iPhone 15 case"]
    assert df["bullets"].tolist() == ["S\nM", ""]  # option values; "Default Title" means none
    assert df["category"].tolist() == ["Apparel & Accessories > Clothing > Socks", "Cases"]
    assert stats.rows_folded == 2
    assert _rejected(result) == [(7, "Title", "empty title")]  # line 2 holds a line break
    assert product_url("shopify", "wool-socks", shop="acme.myshopify.com") == \
        "https://acme.myshopify.com/products/wool-socks"


def test_etsy_first_sku_multiline_description(tmp_path):
    result, stats = _read(pf.etsy_csv(tmp_path))
    df = result.listings
    assert stats.format == "etsy"
    assert df["sku"].tolist() == ["MUG-11", ""]
    assert df["description"].tolist() == ["A mug for tea.\nDishwasher safe.", "Soft wool beanie"]
    assert df["keywords"][0] == "Gift_for_Her,Mug,Ceramic"
    assert df["source_row"].tolist() == [2, 4]
    assert product_url("etsy", "") == ""


def test_map_still_reads_a_platform_file_generically(tmp_path):
    result = read_listings([pf.shopify_csv(tmp_path)], column_map={"title": "Title", "sku": "Handle"})
    assert result.files[0].format == "generic"
    assert result.rows_folded == 0


def test_platform_and_amazon_files_together(fixtures, tmp_path):
    result = read_listings([fixtures / "listings" / "all_listings_us_cp1252.txt", pf.walmart_zip(tmp_path)])
    assert "listing_id" in result.listings.columns
    assert not result.listings["listing_id"].isna().any()
    assert set(result.listings["marketplace"]) >= {"walmart"}


@pytest.mark.parametrize(
    "text,expected",
    [("a < b and c > d", "a < b and c > d"), ("<p>x&nbsp;y</p><p>z</p>", "x y\nz"),
     ("<style>p{}</style><b>Bold</b>", "Bold"), ("line<br>break", "line\nbreak")],
)
def test_html_to_text(text, expected):
    assert html_to_text(text) == expected


def test_mercadolibre_keys_without_ml_ids_read_every_row(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text("ITEM_ID,SKU,TITLE\n1001,A-1,Desk lamp\n1002,A-2,Floor lamp\n", encoding="utf-8")
    result, stats = _read(path)
    assert result.listings["title"].tolist() == ["Desk lamp", "Floor lamp"]
    assert any("every row under the header is read" in n for n in stats.notes)


def test_rakuten_old_item_csv(tmp_path):
    result, stats = _read(pf.rakuten_old_csv(tmp_path))
    df = result.listings
    assert stats.format == "rakuten" and stats.encoding == "cp932"
    assert any("Rakuten RMS" in n or "商品管理番号" in n for n in stats.notes)
    assert df["title"].tolist() == ["フェイスタオル 5枚セット 綿100%"]
    assert df["sku"].tolist() == ["TW-100"]
    assert df["keywords"].tolist() == ["今治 タオル 人気"]
    assert df["description"].tolist() == ["ふんわり柔らかい"]
    assert df["category"].tolist() == ["215783"]


def test_woocommerce_spanish_headers(tmp_path):
    result, stats = _read(pf.woocommerce_es_csv(tmp_path))
    df = result.listings
    assert stats.format == "woocommerce"
    assert df["title"].tolist() == ["Funda para iPad 10"]
    assert df["description"].tolist() == ["Funda fina"]
    assert df["keywords"].tolist() == ["funda, tablet"]
    assert stats.rows_folded == 1


def test_walmart_older_upper_case_layout(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text('"VENDOR ID","SKU","PRODUCT NAME","PRODUCT CATEGORY","SHORT DESCRIPTION","LONG DESCRIPTION",'
                    '"PRICE","WPID","ITEM ID","PRIMARY CAT PATH"\n'
                    '"V1","00789","Universal TV Remote","Electronics","Works with most TVs","<p>Easy setup</p>",'
                    '"9.99","4SYIDCT2Y939","555","Electronics/Remotes"\n', encoding="utf-8")
    result, stats = _read(path)
    df = result.listings
    assert stats.format == "walmart"
    assert df.loc[0, ["sku", "title", "description", "category", "listing_id"]].tolist() == \
        ["00789", "Universal TV Remote", "Works with most TVs\nEasy setup", "Electronics", "555"]


def test_tab_separated_platform_file_and_repeated_header(tmp_path):
    path = tmp_path / "shop.tsv"
    path.write_text("Handle\tTitle\tBody (HTML)\tVendor\tVariant SKU\n"
                    "mug\tBlue Mug\t<p>Stoneware</p>\tAcme\tMUG-1\n"
                    "mug\t\t\t\tMUG-2\n"
                    "Handle\tTitle\tBody (HTML)\tVendor\tVariant SKU\n"
                    "bowl\tRice Bowl\t\tAcme\tBWL-1\n", encoding="utf-8")
    result, stats = _read(path)
    assert stats.format == "shopify" and any("tab-separated" in n for n in stats.notes)
    assert result.listings["title"].tolist() == ["Blue Mug", "Rice Bowl"]
    assert result.listings["description"][0] == "Stoneware"
    assert stats.rows_folded == 1
    assert any("1 repeated header row(s)" in n for n in stats.notes)


def test_a_folded_row_with_a_title_of_its_own_keeps_its_text(tmp_path):
    # a second row of the same product whose Title names another brand: scanned with the listing's variants
    rows = [pf.SHOPIFY_HEADER,
            ["lamp", "Floor Lamp", "", "Co", "", "", "", "true", "Color", "Black", "L1", "30.00", "", "", "", "", "",
             "active"],
            ["lamp", "Nike Floor Lamp", "", "", "", "", "", "", "", "White", "L2", "30.00", "", "", "", "", "", ""],
            ["lamp", "Floor Lamp", "", "Co", "", "", "", "", "", "Grey", "L3", "30.00", "", "", "", "", "", ""]]
    path = tmp_path / "products_export.csv"
    path.write_bytes(pf._csv(rows).encode("utf-8"))
    result, stats = _read(path)
    df = result.listings
    assert df["title"].tolist() == ["Floor Lamp"] and stats.rows_folded == 2
    assert df["bullets"].tolist() == ["Black\nWhite\nNike Floor Lamp\nGrey"]  # the same title is not repeated


@pytest.mark.parametrize("data,name", [
    ('"Артикул";"Ozon Product ID";"SKU";"Бренд";"Статус товара"\n"\'A-1";"11";"1422144661";"Nike";"Продается"\n',
     "Ozon products CSV"),
    ("SPU,SKC,商家SKU,品牌\nsp1,sk1,MY1,Acme\n", "SHEIN product list"),
])
def test_platform_export_without_its_title_column_is_one_line_error(tmp_path, data, name):
    path = tmp_path / "export.csv"
    path.write_text(data, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_listings([path])
    msg = str(err.value)
    assert msg.startswith(f"{path}: {name} without its title column") and "--map title=" in msg
    assert "\n" not in msg


def test_html_entities_of_a_description_without_tags_are_decoded(tmp_path):
    path = tmp_path / "products_export.csv"
    path.write_text("Handle,Title,Body (HTML),Vendor,Variant SKU\n"
                    "h1,Plain cap,Inspired by Tommy&nbsp;Hilfiger,Acme,S1\n"
                    "h2,Plain hat,<p>Inspired by Tommy&nbsp;Hilfiger</p>,Acme,S2\n"
                    "h3,Plain bag,Dolce &amp; Gabbana style bag,Acme,S3\n"
                    "h4,Plain soap,P&G style soap &bogus; AT&T,Acme,S4\n", encoding="utf-8")
    result, stats = _read(path)
    assert stats.format == "shopify"
    assert result.listings["description"].tolist() == [
        "Inspired by Tommy Hilfiger", "Inspired by Tommy Hilfiger", "Dolce & Gabbana style bag",
        "P&G style soap &bogus; AT&T"]
    assert html_to_text("Ice&regular a < b") == "Ice&regular a < b"  # no semicolon: not a reference


def test_error_inside_a_zipped_report_names_the_zip_member(tmp_path):
    import zipfile

    path = tmp_path / "item_report.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("ItemReport.csv", "SKU,Item Id,Code\n1,2,x\n")
    with pytest.raises(InputError) as err:
        read_listings([path])
    assert str(err.value).startswith(f"{path}:ItemReport.csv: ") and "tmp" not in str(err.value).split(":")[1]


def test_formula_title_with_no_saved_value_in_a_marketplace_sheet_is_explained(tmp_path):
    import openpyxl

    path = tmp_path / "publicaciones.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Publicaciones"
    ws.append(["ITEM_ID", "SKU", "TITLE"])
    ws.append(["MLA1", "S1", "Zapatillas urbanas"])
    ws.append(["MLA2", "S2", '=CONCATENATE("Gorra"," roja")'])
    wb.save(path)
    result, stats = _read(path)
    assert stats.format == "mercadolibre" and result.listings["title"].tolist() == ["Zapatillas urbanas"]
    assert _rejected(result) == [(3, "TITLE", "empty title: the cell holds a formula with no saved value "
                                              "(open and save the file in Excel)")]
    assert any("1 title(s) are formulas with no saved value" in n for n in stats.notes)
