"""The real Shopify, Etsy and WooCommerce exports in ../shared/data/marketplaces read with every row
accounted for: rows in the file = listings + folded variant/image rows + rejected rows.

The expected counts were checked by hand with ``csv.reader`` (records under the header; Shopify rows with
an empty Title repeating the Handle above; WooCommerce rows of type ``variation`` naming ``id:<parent>``).
"""

from __future__ import annotations

import csv

import pytest

from scanner.listings import read_listings

# file -> (format, records in the file, listings, folded, rejected)
REAL = {
    "shopify/shopify_official_product_template_resaved_by_excel.csv": ("shopify", 17, 3, 14, 0),
    "shopify/shopify_products_export_2021_packt.csv": ("shopify", 21, 20, 1, 0),
    "shopify/shopify_products_export_2025_desertrosegin.csv": ("shopify", 3, 2, 1, 0),
    "etsy/EtsyListingsDownload_marvilusart.csv": ("etsy", 92, 92, 0, 0),
    "woocommerce/woocommerce_product_export_pt_BR_2018.csv": ("woocommerce", 11, 5, 6, 0),
    "woocommerce/woocommerce_official_sample_products_HEADER_AND_2_ROWS.csv": ("woocommerce", 2, 1, 1, 0),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_export_rows_reconcile(shared_data, name):
    path = shared_data / "marketplaces" / name
    fmt, records, listings, folded, rejected = REAL[name]
    with open(path, encoding="utf-8-sig", newline="") as f:
        assert sum(1 for _ in csv.reader(f)) - 1 == records  # the file still holds what was counted
    result = read_listings([path])
    stats = result.files[0]
    assert stats.format == fmt
    assert (len(result.listings), stats.rows_folded, len(result.rejected)) == (listings, folded, rejected)
    assert stats.rows_read + stats.rows_folded == records
    assert (result.listings["title"] != "").all()
    assert (result.listings["asin"] == "").all()


def test_real_shopify_template_fields(shared_data):
    path = shared_data / "marketplaces" / "shopify" / "shopify_official_product_template_resaved_by_excel.csv"
    df = read_listings([path]).listings
    assert df["title"].tolist() == ["Example T-Shirt", "Example Jeans", "Example Beanie"]
    assert df["listing_id"].tolist() == ["example-shirt", "example-pants", "example-hat"]
    assert df["sku"][0] == "SRT_COT_111"
    assert df["brand"].tolist() == ["Acme"] * 3
    assert df["category"][2] == "Apparel & Accessories > Clothing Accessories > Hats > Beanies"
    assert df["description"][0].startswith("This t-shirt is as simple as it gets.")
    assert "<" not in "".join(df["description"])
    assert df["keywords"][1].startswith("Original, Pants Tag")
    assert df["source_row"].tolist() == [2, 14, 18]
    # the option values of the product row and its 11 variant rows (colour, then size)
    assert df["bullets"][0] == "Green\nS\nM\nL\nBlue\nGray\nPurple"
    assert df["marketplace"].tolist() == ["shopify"] * 3


def test_real_shopify_2021_html_body_and_handles(shared_data):
    df = read_listings([shared_data / "marketplaces" / "shopify" / "shopify_products_export_2021_packt.csv"]).listings
    row = df[df["listing_id"] == "black-armchairs"].iloc[0]
    assert row["description"].startswith("Description\nLorem ipsum dolor sit amet")
    assert row["brand"] == "Company 123" and row["keywords"] == "Black, Suede"
    assert row["sku"] == "black-armchairs"  # no Variant SKU in this export: the Handle
    gloves = df[df["listing_id"] == "gardening-gloves"].iloc[0]
    assert gloves["source_row"] == 26


def test_real_etsy_fields(shared_data):
    df = read_listings([shared_data / "marketplaces" / "etsy" / "EtsyListingsDownload_marvilusart.csv"]).listings
    assert df["title"][0] == "I Eat Cat-Unisex Sweatshirt"
    assert df["sku"][0] == "66F927A9CDAD6_5436"  # the first of the variant SKU list
    assert df["keywords"][0].startswith("Eat,Cat,ohio,Christmas")
    assert df["source_row"][1] == 12  # the first description spans lines 2-11
    assert not df["description"].str.contains("<span").any()  # 24 descriptions were HTML
    assert (df["listing_id"] == "").all()  # the export has no listing id


def test_real_woocommerce_portuguese_fields(shared_data):
    path = shared_data / "marketplaces" / "woocommerce" / "woocommerce_product_export_pt_BR_2018.csv"
    df = read_listings([path]).listings
    assert df["title"].tolist() == ["Single date registration", "Multiple date registration",
                                    "Range date registration", "Mixed date registration", "Grouped registrations"]
    assert df["listing_id"].tolist() == ["65", "67", "69", "71", "75"]
    assert df["sku"].tolist() == df["listing_id"].tolist()  # REF is empty: the post id stands in
    assert df["category"].tolist() == ["Sem categoria"] * 5
    assert df["description"][0].startswith("Lorem ipsum dolor sit amet")
    assert df["source_row"].tolist() == [2, 4, 6, 8, 12]
