"""What the marketplace readers give reaches what users see: folded rows in the scan line, the counts and the
Summary; listing ids, product pages per platform and register pages per office in results.csv / JSON and
the workbook."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from scanner.cli import cli
from scanner.config import SellerProfile
from scanner.links import amazon_domain, is_amazon, listing_url, mark_url
from scanner.match import MATCH_COLUMNS
from scanner.results import RESULT_COLUMNS, assemble_results
from scanner.scan_result import read_line
from tests.fixtures.listings import platform_files as pf

CORPUS = "mark,owner\nApple,Apple Inc.\niPhone,Apple Inc.\nPlayStation,Sony Interactive Entertainment\n"


@pytest.fixture(scope="module")
def platform_scan(tmp_path_factory) -> dict:
    """One CLI scan of a Shopify CSV and a Mercado Libre workbook (both with variant rows), with a shop."""
    d = tmp_path_factory.mktemp("platforms")
    shopify, ml = pf.shopify_csv(d), pf.mercadolibre_xlsx(d)
    (d / "marks.csv").write_text(CORPUS, encoding="utf-8")
    (d / "seller.toml").write_text('[seller]\nname = "Acme"\nmarketplace = "US"\n'
                                   'marketplaces = ["mercadolibre.com.ar"]\nshop = "acme.myshopify.com"\n',
                                   encoding="utf-8")
    result = CliRunner().invoke(cli, [
        "scan", str(shopify), str(ml), "--corpus", str(d / "marks.csv"), "--config", str(d / "seller.toml"),
        "--out", str(d / "r.xlsx"), "--csv", str(d / "r.csv"), "--json", str(d / "r.jsonl"), "--no-history"])
    assert result.exit_code == 0, result.output
    return {"dir": d, "output": result.output}


def test_scan_line_reconciles_rows_in_with_listings_folded_and_rejected(platform_scan):
    out = platform_scan["output"]
    # the Shopify fixture: 2 listings, 2 folded, 1 rejected; the Mercado Libre one: 2, 2, 1 (its tests)
    line = next(x for x in out.splitlines() if x.startswith("read "))
    assert line == ("read 10 rows from 2 files → 4 listings (4 variant/image rows folded into their product, "
                    "2 rows with problems)")
    assert "rows read 6 = scanned 4 + rejected 2 (+ 4 folded)" in out


def test_summary_sheet_shows_folded_rows(platform_scan):
    ws = load_workbook(platform_scan["dir"] / "r.xlsx")["Summary"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    labels = {r[0]: r[1:] for r in rows if r and r[0]}
    assert labels["rows folded"][0] == 4
    assert labels["Read"][0].startswith("read 10 rows from 2 files → 4 listings")
    header = next(r for r in rows if r[:2] == ["File", "Format"])
    assert header[6] == "Folded"
    files = {r[1]: r for r in rows if r[1] in ("shopify", "mercadolibre")}
    for fmt in ("shopify", "mercadolibre"):
        read, scanned, rejected, folded = files[fmt][3:7]
        assert (read, scanned, rejected, folded) == (3, 2, 1, 2)


def test_results_carry_listing_id_marketplace_and_product_page(platform_scan):
    d = platform_scan["dir"]
    with open(d / "r.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == RESULT_COLUMNS
    by_title = {r["title"]: r for r in rows}
    socks = by_title["Merino Wool Socks"]
    assert (socks["marketplace"], socks["listing_id"]) == ("shopify", "wool-socks")
    assert socks["product_url"] == "https://acme.myshopify.com/products/wool-socks"
    case = by_title["Funda Silicona Compatible Con iPhone 15 Pro"]
    assert (case["marketplace"], case["listing_id"]) == ("mercadolibre-AR", "MLA1540735705")
    assert case["product_url"] == "https://articulo.mercadolibre.com.ar/MLA-1540735705-_JM"
    assert case["register_url"] == ""  # the test corpus has no numbers: no link, never a guessed one
    recs = [json.loads(x) for x in (d / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["listing_id"] for r in recs} == {r["listing_id"] for r in rows}
    assert all(tuple(r) == RESULT_COLUMNS for r in recs)


def test_workbook_product_page_column_links_each_platform(platform_scan):
    wb = load_workbook(platform_scan["dir"] / "r.xlsx")
    ws = wb["All listings"]
    header = [c.value for c in ws[1]]
    assert header[len(RESULT_COLUMNS) - 3:len(RESULT_COLUMNS)] == ["Listing id", "Product page", "Register records"]
    urls = {ws.cell(r, header.index("Title") + 1).value: ws.cell(r, header.index("Product page") + 1).value
            for r in range(2, ws.max_row + 1)}
    assert urls["Zapatillas Running Hombre Livianas"] == "https://articulo.mercadolibre.com.ar/MLA-1498877001-_JM"
    for name in ("High risk", "Review"):
        sheet = wb[name]
        head = [c.value for c in sheet[1]]
        assert "Product page" in head and "Register record" in head and "Amazon page" not in head
        for r in range(2, sheet.max_row + 1):
            cell = sheet.cell(r, head.index("Product page") + 1)
            title = sheet.cell(r, head.index("Title") + 1).value
            title = title if isinstance(title, str) else str(title)
            if "iPhone" in title and "Funda" in title:
                assert cell.hyperlink.target == "https://articulo.mercadolibre.com.ar/MLA-1540735705-_JM"


def test_read_line_words():
    assert read_line({"rows_in": 1, "files": 1, "rows_scanned": 1, "rows_rejected": 0, "rows_folded": 0}) == \
        "read 1 row from 1 file → 1 listing (0 rows with problems)"
    assert read_line({"rows_in": 1207, "files": 2, "rows_scanned": 380, "rows_rejected": 3, "rows_folded": 824}) == \
        ("read 1,207 rows from 2 files → 380 listings (824 variant/image rows folded into their product, "
         "3 rows with problems)")


@pytest.mark.parametrize(("asin", "market", "lid", "shops", "url"), [
    ("B000000001", "", "", (), "https://www.amazon.de/dp/B000000001"),  # the profile's Amazon store
    ("B000000001", "UK", "", (), "https://www.amazon.co.uk/dp/B000000001"),
    ("B000000001", "JP", "", (), "https://www.amazon.co.jp/dp/B000000001"),
    ("", "mercadolibre-MX", "MLM123456", (), "https://articulo.mercadolibre.com.mx/MLM-123456-_JM"),
    ("", "ozon", "1422144661", (), "https://www.ozon.ru/product/1422144661/"),
    ("", "coupang", "7412589630", (), "https://www.coupang.com/vp/products/7412589630"),
    ("", "shopify", "wool-socks", (), ""),  # the URL needs the shop: none in the profile, no link
    ("", "shopify", "wool-socks", (("", "acme.example"),), "https://acme.example/products/wool-socks"),
    ("", "rakuten", "sneaker-w01", (("rakuten", "myshop"), ("shopify", "x.example")),
     "https://item.rakuten.co.jp/myshop/sneaker-w01/"),
    ("", "yahoo-jp", "tote-02", (("yahoo-jp", "mystore"),), "https://store.shopping.yahoo.co.jp/mystore/tote-02.html"),
    ("", "woocommerce", "101", (("woocommerce", "loja.example"),), "https://loja.example/?p=101"),
    ("", "shein", "12345", (), ""),  # no country site given: no default "us"
    ("", "shein", "12345", (("shein", "de"),), "https://de.shein.com/goods-detail-p-12345.html"),
    ("", "etsy", "", (), ""),
    ("B000000001", "mercadolibre-AR", "", (), ""),  # an ASIN-like value on another platform is not Amazon's
])
def test_listing_url_per_platform(asin, market, lid, shops, url):
    profile = SellerProfile(marketplace="DE", shops=shops)
    assert listing_url(asin, market, lid, profile=profile) == url


def test_amazon_host_comes_from_the_one_table():
    assert amazon_domain("UK") == "www.amazon.co.uk" and amazon_domain("amazon.de") == "www.amazon.de"
    assert amazon_domain("KR") == ""  # Korea: no Amazon store, no Amazon link
    assert amazon_domain("shopify", "www.amazon.com") == "www.amazon.com"
    assert is_amazon("") and is_amazon("US") and is_amazon("uk") and not is_amazon("ozon")
    assert not is_amazon("mercadolibre-BR") and not is_amazon("ebay-US")


def test_mark_url_uses_the_office_register():
    # real records: CUTEX (USPTO daily file excerpt in tests/fixtures/uspto), THE TWISTED TAILOR (UKIPO sample)
    assert mark_url("US", "71112081").startswith("https://tsdr.uspto.gov/#caseNumber=71112081")
    assert mark_url("", "71112081").startswith("https://tsdr.uspto.gov/")  # older CSVs: no jurisdiction = US
    assert mark_url("GB", "UK00003289573") == "https://trademarks.ipo.gov.uk/ipo-tmcase/page/Results/1/UK00003289573"
    assert mark_url("GB", "UK00918222197") == ""  # a comparable mark: not the national register view
    assert mark_url("BR", "905687116") == "" and mark_url("KR", "4020190000011") == ""
    assert mark_url("US", "", "") == ""


def _listing_frame(titles: list[str]) -> pd.DataFrame:
    n = len(titles)
    return pd.DataFrame({"sku": [f"S{i}" for i in range(n)], "asin": [""] * n, "title": titles, "brand": [""] * n,
                         "bullets": [""] * n, "description": [""] * n, "keywords": [""] * n, "category": [""] * n,
                         "marketplace": ["GB"] * n, "source_file": ["f"] * n, "source_row": list(range(2, n + 2)),
                         "listing_id": [""] * n})


def test_register_url_follows_the_marks_order_with_each_marks_jurisdiction():
    marks = pd.DataFrame({"mark": ["THE TWISTED TAILOR", "CUTEX", "NOBODY"], "owner": ["Utopia Holdings Limited",
                                                                                        "", ""],
                          "jurisdiction": ["GB", "US", "BR"], "serial_number": ["UK00003289573", "71112081", "1"],
                          "registration_number": ["", "", ""]})
    listings = _listing_frame(["The Twisted Tailor suit with Cutex", "Plain mug", "Nobody shirt"])
    rows = [(0, "title", 4, 18, "Twisted Tailor", 0, "THE TWISTED TAILOR", "the twisted tailor"),
            (0, "title", 29, 34, "Cutex", 1, "CUTEX", "cutex"),
            (2, "title", 0, 6, "Nobody", 2, "NOBODY", "nobody")]
    matches = pd.DataFrame([dict(zip(MATCH_COLUMNS, [None] * len(MATCH_COLUMNS), strict=True)) | {
        "listing": lst, "field": fld, "start": s, "end": e, "matched_text": t, "mark_id": mid, "mark": m,
        "mark_key": k, "owner": "", "own": False, "authorized": False, "counterfeit_cue": "", "nominative_cue": ""}
        for lst, fld, s, e, t, mid, m, k in rows])
    scores = pd.DataFrame({"risk_score": [0.9, 0.1, 0.8], "risk_level": ["high", "low", "high"]})
    res = assemble_results(listings, matches, scores, profile=SellerProfile(marketplace="UK"), marks=marks)
    by_sku = res.set_index("sku")
    assert by_sku.loc["S0", "marks"] == "THE TWISTED TAILOR;CUTEX"
    assert by_sku.loc["S0", "register_url"].split(";") == [
        "https://trademarks.ipo.gov.uk/ipo-tmcase/page/Results/1/UK00003289573",
        "https://tsdr.uspto.gov/#caseNumber=71112081&caseType=SERIAL_NO&searchType=statusSearch"]
    assert by_sku.loc["S1", "register_url"] == "" and by_sku.loc["S2", "register_url"] == ""  # BR: no link
    assert list(res.columns) == list(RESULT_COLUMNS)


#: How README's "What it reads" names each platform reader (scanner.listings.platforms.PLATFORMS).
README_NAMES = {"shopify": "**Shopify** products CSV", "woocommerce": "**WooCommerce** products CSV",
                "etsy": "**Etsy** listings CSV", "mercadolibre": "**Mercado Libre**", "ozon": "**Ozon** products CSV",
                "ozon-template": "category template xlsx", "shein": "**SHEIN** product list",
                "esm": "**Gmarket/Auction** ESM+", "coupang": "**Coupang** WING", "rakuten": "**Rakuten** RMS",
                "yahoo-jp": "**Yahoo!ショッピング** `data.csv`", "ebay": "**eBay** active listings report",
                "walmart": "**Walmart** item"}


def test_readme_lists_every_listing_format():
    from pathlib import Path

    from scanner.listings.platforms import PLATFORMS

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### What it reads"):readme.index("### Seller profile")]
    flat = " ".join(section.split())
    assert {p.name for p in PLATFORMS} == set(README_NAMES)  # a new reader needs its README line (and a name here)
    for name, words in README_NAMES.items():
        assert words in flat, name
    for words in ("All Listings Report", "Active Listings Report", "FBA Manage Inventory", "inventory flat files",
                  "Any CSV/TSV/XLSX"):
        assert words in flat
    profile = readme[readme.index("### Seller profile"):readme.index("### Results")]
    assert "marketplaces = [" in profile and "shop = " in profile


def test_register_record_of_a_later_mark_names_that_mark():
    from scanner.report.evidence import Evidence, MarkInfo
    from scanner.report.excel import _evidence_chunk

    first = MarkInfo(mark="Nofluxo", jurisdiction="US")  # no number: no page
    later = MarkInfo(mark="Zorblax", jurisdiction="US", serial_number="97123456")
    found = {1: Evidence(marks=[first, later]), 2: Evidence(marks=[later, first])}
    out = _evidence_chunk([1, 2], ["Nofluxo Zorblax shoes", "Zorblax Nofluxo shoes"], ["review", "review"],
                          ["", ""], ["", ""], lambda ids: found)
    assert out["reg_label"] == ["Zorblax: US 97123456", "US 97123456"]
    assert out["reg_url"][0] == out["reg_url"][1] == later.register_url != ""
