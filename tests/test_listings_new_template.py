"""Amazon's product-type ("listings") templates and the Category Listings Report: the layout whose row 1 is
a ``settings=...`` cell and whose field names are attribute keys such as
``item_name[marketplace_id=ATVPDKIKX0DER][language_tag=en_US]#1.value``.

The fixtures are written here, in the layout of the public examples this support was built from (see
``scanner/listings/template_keys.py``): row 1 the settings cell, row 2 an instruction line, row 3 group names,
row 4 the localized labels, row 5 the attribute keys, row 6 Amazon's example row (SKU ``ABC123``), data from
row 7. Sheets: ``Template`` (``Modello`` in Italian) beside instructions, data definitions and valid values.
"""

from __future__ import annotations

import pytest

from scanner.errors import InputError
from scanner.listings import read_listings
from tests.fixtures.listings.builders import csv_bytes, excel_tab_bytes, workbook

US = "ATVPDKIKX0DER"
IT = "APJ6JRA9NG5V4"
DE = "A1PA6795UKMFR9"


def settings(marketplace_id: str | None, language: str) -> str:
    """Row 1: the settings cell (the parameters and their order as in downloaded templates)."""
    text = "settings=feedType=256&timestamp=2026-01-05T10%3A00%3A00.000Z"
    if marketplace_id:
        text += f"&primaryMarketplaceId=amzn1.mp.o.{marketplace_id}"
    return (text + f"&contentLanguageTag={language}&templateIdentifier=00000000-0000-4000-8000-000000000000"
            f"&headerLanguageTag={language}&labelRow=4&attributeRow=5&dataRow=7&TemplateType=unified"
            "&Version=2026.0105")


def keys(mp: str, lang: str) -> list[tuple[str, str]]:
    """``(label, attribute key)`` of the columns, in template order (a subset of a real template's)."""
    loc = f"[marketplace_id={mp}][language_tag={lang}]"
    return [
        ("SKU", "contribution_sku#1.value"),
        ("Product Type", "product_type#1.value"),
        ("Listing Action", "::record_action"),
        ("Parentage Level", f"parentage_level[marketplace_id={mp}]#1.value"),
        ("Parent SKU", f"child_parent_sku_relationship[marketplace_id={mp}]#1.parent_sku"),
        ("Variation Theme Name", "variation_theme#1.name"),
        ("Item Name", f"item_name{loc}#1.value"),
        ("Brand Name", f"brand{loc}#1.value"),
        ("External Product ID Type", "externally_assigned_product_identifier#1.type"),
        ("External Product ID", "externally_assigned_product_identifier#1.value"),
        ("Merchant Suggested ASIN", f"merchant_suggested_asin[marketplace_id={mp}]#1.value"),
        ("Item Type Keyword", f"item_type_keyword[marketplace_id={mp}]#1.value"),
        ("Product Description", f"product_description{loc}#1.value"),
        *(("Bullet Point", f"bullet_point{loc}#{n}.value") for n in range(1, 6)),
        ("Generic Keyword", f"generic_keyword{loc}#1.value"),
        ("Your Price USD (Sell on Amazon)",
         f"purchasable_offer[marketplace_id={mp}][audience=ALL]#1.our_price#1.schedule#1.value_with_tax"),
    ]


def row(columns: list[tuple[str, str]], **values: str) -> list[str]:
    """A data row: ``values`` by the attribute name (the part of the key before ``[`` or ``#``); bullets as
    ``bullet_point=[...]``."""
    out = []
    bullets = list(values.get("bullet_point", []))
    for _, key in columns:
        name = key.split("[")[0].split("#")[0]
        if name == "bullet_point":
            out.append(bullets.pop(0) if bullets else "")
        elif name == "externally_assigned_product_identifier":
            out.append(values.get("id_type" if key.endswith(".type") else "id_value", ""))
        else:
            out.append(values.get(name.lstrip(":"), ""))
    return out


def template_rows(mp: str | None = US, lang: str = "en_US", data=None, example: bool = True,
                  settings_row: bool = True) -> list[list[str]]:
    columns = keys(mp or US, lang)
    instructions = "Use ENGLISH to fill this template. Do not modify or delete the colored header rows."
    top = [[settings(mp, lang)], [instructions],
           ["Listing Identity", "", "", "Variations", "", "", "Product Identity"]] if settings_row else []
    example_row = row(columns, contribution_sku="ABC123", product_type="LAMP", item_name="Example Desk Lamp",
                      brand="Example Brand", id_type="UPC", id_value="714532191586", record_action="Create or Replace")
    return (top + [[label for label, _ in columns], [key for _, key in columns]]
            + ([example_row] if example else []) + (DATA(columns) if data is None else data(columns)))


def DATA(columns):
    return [
        row(columns, contribution_sku="LAMP-PARENT", product_type="LAMP", item_name="Acme Desk Lamp",
            brand="Acme", parentage_level="Parent", variation_theme="COLOR"),
        row(columns, contribution_sku="LAMP-RED", product_type="LAMP", item_name='Acme 12" Desk Lamp, Red',
            brand="Acme", parentage_level="Child", child_parent_sku_relationship="LAMP-PARENT",
            product_description="A red lamp.", bullet_point=["LED", "", "USB powered"],
            generic_keyword="desk lamp reading", item_type_keyword="desk-lamps", id_type="UPC",
            id_value="012345678905"),
        row(columns, contribution_sku="00789", product_type="LAMP", item_name="Acme Clip Lamp", brand="Acme",
            id_type="ASIN", id_value="B0NEWTEST1"),
        row(columns, contribution_sku="LAMP-NOTITLE", product_type="LAMP", brand="Acme"),
        row(columns, contribution_sku="LAMP-BLUE", product_type="LAMP", item_name="Acme Desk Lamp, Blue", brand="Acme",
            merchant_suggested_asin="B0NEWTEST2", id_type="ASIN", id_value="B0NEWTEST9"),
    ]


def _check(result, first_row: int = 7):
    df, stats = result.listings, result.files[0]
    assert stats.format == "flat-file"
    assert stats.marketplace == "US"
    assert df["sku"].tolist() == ["LAMP-PARENT", "LAMP-RED", "00789", "LAMP-BLUE"]
    assert "ABC123" not in df["sku"].tolist()
    assert df["source_row"].tolist() == [first_row, first_row + 1, first_row + 2, first_row + 4]
    assert df["title"].tolist() == ["Acme Desk Lamp", 'Acme 12" Desk Lamp, Red', "Acme Clip Lamp",
                                    "Acme Desk Lamp, Blue"]
    assert df["brand"].tolist() == ["Acme"] * 4
    assert df["bullets"].tolist()[1] == "LED\nUSB powered"  # joined as bullet_point1..5 are, empty ones left out
    assert df["description"].tolist()[1] == "A red lamp."
    assert df["keywords"].tolist()[1] == "desk lamp reading"
    assert df["category"].tolist() == ["LAMP"] * 4  # product_type first, as feed_product_type before item_type
    assert df["marketplace"].tolist() == ["US"] * 4
    # the external id is an ASIN only when its type says so; merchant_suggested_asin comes first
    assert df["asin"].tolist() == ["", "", "B0NEWTEST1", "B0NEWTEST2"]
    assert (stats.rows_read, stats.rows_ok, stats.rows_rejected) == (5, 4, 1)
    rejected = result.rejected.iloc[0]
    assert rejected["source_row"] == first_row + 3
    assert rejected["reason"] == "empty title"
    assert rejected["column"] == f"item_name[marketplace_id={US}][language_tag=en_US]#1.value"
    assert any("ABC123" in n for n in stats.notes)  # the example row is skipped, and the notes say so
    assert any("primaryMarketplaceId ATVPDKIKX0DER" in n for n in stats.notes)


@pytest.mark.parametrize("macro", [False, True])
def test_workbook_with_settings_label_key_and_example_rows(tmp_path, macro):
    definitions = [["Group Name", "Field Name", "Local Label Name", "Definition and Use", "Example", "Required?"],
                   ["Listing Identity", "", "", "", "", ""],
                   ["", "contribution_sku#1.value", "SKU", "A unique identifier", "ABC123", "Required"],
                   ["", "product_type#1.value", "Product Type", "The product type", "LAMP", "Required"],
                   ["", f"item_name[marketplace_id={US}][language_tag=en_US]#1.value", "Item Name", "The title",
                    "Desk Lamp", "Required"]]
    sheets = {"Instructions": [["Welcome to your template"]], "Data Definitions": definitions,
              "Template": template_rows(), "Valid Values": [["Product Type", "LAMP"]]}
    path = workbook(tmp_path / ("t.xlsm" if macro else "t.xlsx"), sheets, macro_enabled=macro)
    result = read_listings([path])
    _check(result)
    notes = result.files[0].notes
    assert any("sheet 'Template'" in n for n in notes)
    assert not any("only sheet" in n for n in notes)  # the data definitions sheet holds no listings


@pytest.mark.parametrize("name,writer", [("t.txt", excel_tab_bytes), ("t.csv", csv_bytes)])
def test_text_saves_tab_and_comma(tmp_path, name, writer):
    path = tmp_path / name
    path.write_bytes(writer(template_rows(), "utf-8"))
    result = read_listings([path])
    _check(result)
    assert result.files[0].encoding in ("ascii", "utf-8")


def test_map_may_name_a_label_of_the_row_above_the_keys(tmp_path):
    """``--map title="Item Name"`` (the way such a file was read before) reads the same listings: the key row
    stays the header, the mapped label names the column under it."""
    path = workbook(tmp_path / "t.xlsx", {"Template": template_rows()})
    result = read_listings([path], column_map={"title": "Item Name", "brand": "brand name"})
    _check(result)
    assert any("--map title=Item Name: the column labelled 'Item Name'" in n for n in result.files[0].notes)
    with pytest.raises(InputError, match="there is no column 'Nome'"):
        read_listings([path], column_map={"title": "Nome"})


def test_italian_workbook_with_localized_sheet_names(tmp_path):
    def data(columns):
        return [row(columns, contribution_sku="GIACCA-1", product_type="COAT", item_name="Giacca impermeabile",
                    brand="Xavia", bullet_point=["Impermeabile", "Cappuccio"], generic_keyword="giacca pioggia")]

    rows = template_rows(IT, "it_IT", data)
    rows[3] = ["SKU", "Tipo di prodotto", "Azione sull’offerta"] + rows[3][3:]
    sheets = {"Istruzioni": [["Leggimi"]],
              "Definizioni dati": [["", "contribution_sku#1.value", "SKU"],
                                   ["", "product_type#1.value", "Tipo di prodotto"]],
              "Modello": rows, "Valori validi": [["COAT"]]}
    result = read_listings([workbook(tmp_path / "it.xlsm", sheets, macro_enabled=True)])
    df, stats = result.listings, result.files[0]
    assert any("sheet 'Modello'" in n for n in stats.notes)
    assert stats.marketplace == "IT" and df["marketplace"].tolist() == ["IT"]
    assert df["sku"].tolist() == ["GIACCA-1"] and df["source_row"].tolist() == [7]
    assert df["title"].tolist() == ["Giacca impermeabile"]
    assert df["bullets"].tolist() == ["Impermeabile\nCappuccio"]
    assert df["keywords"].tolist() == ["giacca pioggia"]


@pytest.mark.parametrize("with_settings", [True, False])
def test_keys_repeated_per_language_read_the_templates_own_language(tmp_path, with_settings):
    """A DE template may carry English columns beside the German ones: the settings' contentLanguageTag picks
    (here the English columns come first); without a settings row, the language of the first key naming one."""
    de, en = keys(DE, "de_DE"), keys(DE, "en_GB")
    extra = [c for c in en if c[1].startswith(("item_name", "brand", "bullet_point", "product_description"))]
    english = ["Desk lamp", "Acme EN", "A lamp.", "Dimmable", "", "", "", ""]
    german = row(de, contribution_sku="DE-1", product_type="LAMP", item_name="Schreibtischlampe", brand="Acme",
                 bullet_point=["Dimmbar"], product_description="Eine Lampe.")
    columns, data_row = (extra + de, english + german) if with_settings else (de + extra, german + english)
    top = [[settings(DE, "de_DE")], ["Vorlage in DEUTSCH ausfüllen."], ["Angebotsidentität"]] if with_settings else []
    rows = top + [[label for label, _ in columns], [key for _, key in columns], data_row]
    path = tmp_path / "de.txt"
    path.write_bytes(excel_tab_bytes(rows, "utf-8"))
    result = read_listings([path])
    df, stats = result.listings, result.files[0]
    assert stats.marketplace == ("DE" if with_settings else "")
    assert df["title"].tolist() == ["Schreibtischlampe"]
    assert df["brand"].tolist() == ["Acme"]
    assert df["bullets"].tolist() == ["Dimmbar"]
    assert df["description"].tolist() == ["Eine Lampe."]
    assert df["source_row"].tolist() == [len(top) + 3]  # no example row: the first row under the keys is read
    assert any(n.startswith("not scanned: 8 column(s)") and "en_GB" in n and "A1PA6795UKMFR9/de_DE" in n
               for n in stats.notes)


def test_key_row_alone_and_no_example_row(tmp_path):
    rows = template_rows(example=False, settings_row=False)
    path = tmp_path / "keys.tsv"
    path.write_bytes(excel_tab_bytes(rows, "utf-8"))
    result = read_listings([path])
    df, stats = result.listings, result.files[0]
    assert stats.format == "flat-file" and stats.marketplace == ""
    assert df["sku"].tolist() == ["LAMP-PARENT", "LAMP-RED", "00789", "LAMP-BLUE"]
    assert df["source_row"].tolist() == [3, 4, 5, 7]
    assert not any("ABC123" in n for n in stats.notes)


def test_category_listings_report_title_and_product_id_columns(tmp_path):
    """The Category Listings Report adds ``::listing_status`` and ``::title`` and gives the product id as
    ``amzn1.volt.ca.product_id_type`` / ``amzn1.volt.ca.product_id_value``."""
    loc = f"[marketplace_id={US}][language_tag=en_US]"
    header = [("Status", "::listing_status"), ("Title", "::title"), ("SKU", "contribution_sku#1.value"),
              ("Product Type", "product_type#1.value"), ("Item Name", f"item_name{loc}#1.value"),
              ("Brand Name", f"brand{loc}#1.value"), ("Product Id Type", "amzn1.volt.ca.product_id_type"),
              ("Product Id", "amzn1.volt.ca.product_id_value")]
    rows = [[settings(US, "en_US")], ["Use ENGLISH to fill this template."], ["Listing Identity"],
            [label for label, _ in header], [key for _, key in header],
            ["Active", "Amazon Essentials Example", "ABC123", "ACCESSORY", "", "", "ASIN", "B000000000"],
            ["Active", "Acme Lamp (Amazon's title)", "CLR-1", "LAMP", "Acme Lamp", "Acme", "ASIN", "B0CLRTEST1"],
            ["Inactive", "Acme Shade", "CLR-2", "LAMP", "Acme Shade", "Acme", "UPC", "012345678905"]]
    result = read_listings([workbook(tmp_path / "clr.xlsx", {"Template": rows})])
    df = result.listings
    assert df["sku"].tolist() == ["CLR-1", "CLR-2"]
    assert df["title"].tolist() == ["Acme Lamp", "Acme Shade"]  # item_name, the seller's title, is read
    assert df["asin"].tolist() == ["B0CLRTEST1", ""]
    assert df["source_row"].tolist() == [7, 8]
    assert result.files[0].rows_rejected == 0  # the example row (no item_name) is skipped, not rejected


def test_offer_only_template_has_no_titles_and_the_error_shows_the_key_row(tmp_path):
    columns = [("SKU", "contribution_sku#1.value"), ("Offer Action", "::record_action"),
               ("Quantity", "fulfillment_availability#1.quantity")]
    rows = [[settings(IT, "it_IT")], ["Compila questo modello in ITALIANO."], ["Identità dell'offerta"],
            [label for label, _ in columns], [key for _, key in columns], ["ABC123", "Crea o modifica", "152"],
            ["SKU-1", "Crea o modifica", "3"]]
    path = workbook(tmp_path / "offers.xlsx", {"Modello": rows})
    with pytest.raises(InputError) as err:
        read_listings([path])
    assert "contribution_sku#1.value" in str(err.value) and "no title column" in str(err.value)


def test_field_of_and_format_for_template_keys():
    from scanner.listings.amazon_report import identify
    from scanner.listings.headers import field_of

    loc = f"[marketplace_id={US}][language_tag=en_US]"
    assert field_of(f"item_name{loc}#1.value") == "title"
    assert field_of("contribution_sku#1.value") == "sku"
    assert field_of(f"bullet_point{loc}#3.value") == "bullets"
    assert field_of(f"generic_keyword{loc}#1.value") == "keywords"
    assert field_of(f"item_type_keyword[marketplace_id={US}]#1.value") == "category"
    assert field_of("merchant_suggested_asin#1.value") == "asin"
    assert field_of(f"item_name{loc}#1.language_tag") is None  # only the .value leaf is the text
    assert field_of("brand") == "brand" and field_of("brand#x") is None
    assert identify(["contribution_sku#1.value", f"item_name{loc}#1.value", f"brand{loc}#1.value"]) == "flat-file"
