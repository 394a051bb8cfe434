"""``scanner profile init``: a seller profile drafted from the brands a listing export declares."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import cli
from scanner.config import load_profile
from scanner.errors import OverwriteError
from scanner.placeholders import PLACEHOLDER_BRANDS, is_placeholder_brand
from scanner.profile_init import init_profile
from tests.fixtures.listings.builders import (
    ALL_LISTINGS,
    FLAT_FIELDS,
    FLAT_LABELS_EN,
    all_listings_row,
    csv_bytes,
    excel_tab_bytes,
    template_row,
    write_tsv,
)

QUOTED = 'Joe\'s "Best"'
UNICODE = "Zürich Öl 東京"
BACKSLASH = "AC\\DC Tools"


def flat_file(path: Path, brands: list[str]) -> Path:
    """An inventory flat file (US template, saved by Excel as UTF-8 tab-delimited text) with these brands."""
    rows = [template_row("ATVPDKIKX0DER"), FLAT_LABELS_EN, FLAT_FIELDS]
    for i, brand in enumerate(brands, 1):
        data = {"feed_product_type": "home", "item_sku": f"SKU-{i:03d}", "brand_name": brand,
                "item_name": f"{brand or 'Plain'} storage box {i}", "update_delete": "Update"}
        rows.append([data.get(f, "") for f in FLAT_FIELDS])
    path.write_bytes(excel_tab_bytes(rows, "utf-8"))
    return path


BRANDS = ["Acme", "ACME", "Acme", UNICODE, UNICODE, QUOTED, "Generic", "generic", "ノーブランド", "Sin marca",
          "", BACKSLASH]


def test_profile_lists_brands_most_frequent_first_and_loads(tmp_path):
    listings = flat_file(tmp_path / "flat.txt", BRANDS)
    out = tmp_path / "seller.toml"
    draft = init_profile([listings], out, name="Acme Trading")
    profile = load_profile(out)
    assert profile.own_brands == ("Acme", UNICODE, BACKSLASH, QUOTED)  # 3, 2, then 1 each (alphabetical)
    assert profile.authorized_brands == () and profile.name == "Acme Trading" and profile.marketplace == "US"
    assert (draft.listings, draft.branded, draft.placeholder, draft.blank) == (12, 7, 4, 1)
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    acme = next(line for line in lines if line.strip().startswith('"Acme",'))
    assert acme.rstrip().endswith("# 3 listings")
    assert next(line for line in lines if UNICODE in line).rstrip().endswith("# 2 listings")
    assert next(line for line in lines if "Joe" in line).rstrip().endswith("# 1 listing")
    assert "Generic" not in text.split("[seller]")[1] and "ノーブランド" not in text
    header = text.split("[seller]")[0]
    assert header.strip() and all(line.startswith("#") for line in header.strip().splitlines())
    assert "DELETE the brands that are not yours" in header and "authorized_brands" in header
    assert tomllib.loads(text)["seller"]["own_brands"] == ["Acme", UNICODE, BACKSLASH, QUOTED]


def test_all_listings_report_has_no_brand_column_and_says_so(tmp_path):
    report = write_tsv(tmp_path / "All+Listings+Report.txt", [
        list(ALL_LISTINGS),
        all_listings_row(item_name="Acme Cotton T-Shirt", seller_sku="TS-1"),
        all_listings_row(item_name="Acme Mug", seller_sku="MUG-1", asin1="B0TEST0002"),
    ])
    draft = init_profile([report], tmp_path / "seller.toml")
    assert draft.brands == [] and draft.listings == 2
    assert len(draft.notes) == 1 and "has no brand column" in draft.notes[0] and "--map brand=" in draft.notes[0]
    assert load_profile(tmp_path / "seller.toml").own_brands == ()


def test_refuses_to_overwrite_without_force(tmp_path):
    listings = flat_file(tmp_path / "flat.txt", ["Acme"])
    out = tmp_path / "seller.toml"
    out.write_text("[seller]\nown_brands = [\"mine\"]\n", encoding="utf-8")
    with pytest.raises(OverwriteError, match="--force"):
        init_profile([listings], out)
    assert load_profile(out).own_brands == ("mine",)
    init_profile([listings], out, force=True)
    assert load_profile(out).own_brands == ("Acme",)


def test_cli_generic_csv_with_map_and_several_files(tmp_path):
    shop = tmp_path / "shop.csv"
    shop.write_bytes(csv_bytes([
        ["Handle", "Title", "Vendor"],
        ["box-1", "Stacking box", "Brio"],
        ["box-2", "Stacking box, large", "Brio"],
        ["cup-1", "Travel cup", "Unbranded"],
        ["lamp-1", "Desk lamp", "Lumina"],
    ], "utf-8"))
    flat = flat_file(tmp_path / "flat.txt", ["Lumina", "Lumina"])
    out = tmp_path / "profiles" / "seller.toml"
    args = ["profile", "init", str(shop), "--map", "title=Title", "--map", "sku=Handle", "--map", "brand=Vendor",
            "--out", str(out), "--marketplace", "de", "--name", "Kistenhaus GmbH"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "listings 4: 3 name 2 brand(s)" in result.output and "1 a placeholder" in result.output
    profile = load_profile(out)
    assert profile.own_brands == ("Brio", "Lumina") and profile.marketplace == "DE"
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 1 and len(again.output.strip().splitlines()) == 1 and "--force" in again.output
    # two files together: Lumina 1 + 2 = 3 listings comes first now
    both = CliRunner().invoke(cli, ["profile", "init", str(flat), str(shop), "--map", "title=Title", "--map",
                                    "sku=Handle", "--map", "brand=Vendor", "--out", str(out), "--force", "--quiet"])
    # --map applies to every file; the flat file has no such headers -> one-line error, profile unchanged
    assert both.exit_code == 1 and len(both.output.strip().splitlines()) == 1 and "flat.txt" in both.output
    assert load_profile(out).own_brands == ("Brio", "Lumina")
    flat2 = flat_file(tmp_path / "flat2.txt", ["Brio", "Lumina", "Lumina"])
    result = CliRunner().invoke(cli, ["profile", "init", str(flat), str(flat2), "--out", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert load_profile(out).own_brands == ("Lumina", "Brio")  # 4 listings, then 1


def test_cli_unknown_marketplace_is_one_line(tmp_path):
    listings = flat_file(tmp_path / "flat.txt", ["Acme"])
    result = CliRunner().invoke(cli, ["profile", "init", str(listings), "--out", str(tmp_path / "s.toml"),
                                      "--marketplace", "XX"])
    assert result.exit_code == 1 and "--marketplace: unknown marketplace 'XX'" in result.output
    assert "reading" not in result.output  # told before the listings are read
    assert not (tmp_path / "s.toml").exists()


def test_out_naming_a_listing_file_is_refused_even_with_force(tmp_path):
    listings = flat_file(tmp_path / "flat.txt", ["Acme"])
    before = listings.read_bytes()
    result = CliRunner().invoke(cli, ["profile", "init", str(listings), "--out", str(listings), "--force"])
    assert result.exit_code == 1 and "--out names an input file" in result.output
    assert listings.read_bytes() == before


def test_marketplace_given_as_an_alias_is_not_listed_again_among_the_others(tmp_path):
    from scanner.profile_init import BrandDraft, render_profile

    draft = BrandDraft([], 0, 0, 0, 0, marketplace="UK", marketplaces=["UK", "DE"])
    text = render_profile(draft, marketplace="GB")
    assert 'marketplace = "GB"' in text and 'marketplaces = ["DE"]' in text


@pytest.mark.parametrize("text", ["Generic", "GENERIC", "Unbranded", "No Brand", "no-brand", "Sin marca", "Sem Marca",
                                  "Без бренда", "ノーブランド", "노브랜드", "Genérico", "  ", "", None])
def test_placeholders(text):
    assert is_placeholder_brand(text)


@pytest.mark.parametrize("text", ["Acme", "Brio", "Generico Tools Ltd", "Nobrandy", "Sony", "ブランド東京"])
def test_real_brands_are_not_placeholders(text):
    assert not is_placeholder_brand(text)


def test_placeholder_list_is_self_consistent():
    assert all(is_placeholder_brand(b) for b in PLACEHOLDER_BRANDS)


def test_profile_of_several_marketplaces_names_them_all_and_asks_for_the_shop(tmp_path):
    from tests.fixtures.listings.platform_files import mercadolibre_br_csv, ozon_csv, rakuten_csv, shopify_csv

    files = [ozon_csv(tmp_path), mercadolibre_br_csv(tmp_path), rakuten_csv(tmp_path), shopify_csv(tmp_path)]
    out = tmp_path / "seller.toml"
    draft = init_profile(files, out)
    profile = load_profile(out)
    # every country the listings are sold in: the most listed is the marketplace, the others follow
    assert set(draft.marketplaces) == {"RU", "BR", "JP"} and draft.marketplace == draft.marketplaces[0]
    assert profile.marketplace == draft.marketplace
    assert set(profile.marketplaces) == {"RU", "BR", "JP"} - {draft.marketplace}
    # Rakuten's and Shopify's product pages need the shop: a commented line to fill in, not a guess
    text = out.read_text(encoding="utf-8")
    assert draft.shop_platforms == ["rakuten", "shopify"]
    assert '# shop = { rakuten = "your-shop", shopify = "your-shop" }' in text
    assert profile.shops == ()


def test_listing_country_of_every_platform_code():
    from scanner.jurisdictions import listing_country

    assert [listing_country(v) for v in ("UK", "amazon.de", "mercadolibre-BR", "mercadolibre-CBT", "ozon",
                                         "coupang", "gmarket", "auction", "rakuten", "yahoo-jp", "walmart",
                                         "ebay-UK", "ebay", "shopify", "etsy", "shein", "")] == \
        ["UK", "DE", "BR", "", "RU", "KR", "KR", "KR", "JP", "JP", "US", "UK", "", "", "", "", ""]
