"""Links from the report to the Amazon product page and to the USPTO record of a mark."""

from __future__ import annotations

import re

from ..config import MARKETPLACES

_ASIN = re.compile(r"^[A-Z0-9]{10}$")
_US_SERIAL = re.compile(r"^\d{8}$")


def amazon_domain(marketplace: str, default: str = "www.amazon.com") -> str:
    """The product-page domain of a marketplace code (``"UK"`` -> ``www.amazon.co.uk``), else ``default``."""
    entry = MARKETPLACES.get((marketplace or "").strip().upper())
    return entry[0] if entry else default


def amazon_url(asin: str, marketplace: str = "", default_domain: str = "www.amazon.com") -> str:
    """``https://<domain>/dp/<ASIN>`` for a well-formed ASIN (10 letters/digits), else ``""``."""
    asin = (asin or "").strip().upper()
    if not _ASIN.match(asin):
        return ""
    return f"https://{amazon_domain(marketplace, default_domain)}/dp/{asin}"


def tsdr_url(serial_number: str, jurisdiction: str = "US") -> str:
    """The USPTO TSDR status page of a US serial number (8 digits), else ``""``.

    Only US records have TSDR pages; other offices' numbers give ``""`` (never a guessed link).
    """
    serial = re.sub(r"[\s,/-]", "", serial_number or "")
    if (jurisdiction or "US").strip().upper() != "US" or not _US_SERIAL.match(serial):
        return ""
    return f"https://tsdr.uspto.gov/#caseNumber={serial}&caseType=SERIAL_NO&searchType=statusSearch"


#: Mercado Libre site code -> product-page host (AR and BR from real links; the others by analogy).
_ML_HOSTS = {"AR": "articulo.mercadolibre.com.ar", "MX": "articulo.mercadolibre.com.mx",
             "BR": "produto.mercadolivre.com.br", "CL": "articulo.mercadolibre.cl",
             "CO": "articulo.mercadolibre.com.co", "UY": "articulo.mercadolibre.com.uy",
             "PE": "articulo.mercadolibre.com.pe"}
_EBAY_HOSTS = {"": "www.ebay.com", "US": "www.ebay.com", "UK": "www.ebay.co.uk", "GB": "www.ebay.co.uk",
               "GERMANY": "www.ebay.de", "DE": "www.ebay.de", "FRANCE": "www.ebay.fr", "FR": "www.ebay.fr",
               "ITALY": "www.ebay.it", "IT": "www.ebay.it", "SPAIN": "www.ebay.es", "ES": "www.ebay.es",
               "CANADA": "www.ebay.ca", "CA": "www.ebay.ca", "AUSTRALIA": "www.ebay.com.au", "AU": "www.ebay.com.au"}
_ML_ID = re.compile(r"^([A-Z]{3})-?(\d+)$")
_DIGITS = re.compile(r"^\d+$")
_AUCTION_ID = re.compile(r"^[A-F]\d{9}$")


def product_url(marketplace: str, listing_id: str, shop: str = "") -> str:
    """The product page of a non-Amazon listing from its ``marketplace`` code (as the listing readers set
    it: ``mercadolibre-AR``, ``ozon``, ``coupang``, ``ebay-US`` ...) and its platform ``listing_id``;
    ``shop`` is the shop's domain (Shopify, WooCommerce) or account (Rakuten, Yahoo JP), needed where the
    URL holds it. ``""`` when the id is missing or malformed, or the URL needs a shop that is not given
    (never a guessed link). Etsy's listings export has no listing id, so it never has a link.
    """
    lid = str(listing_id or "").strip()
    platform, _, site = str(marketplace or "").strip().partition("-")
    platform = platform.casefold()
    shop = (shop or "").strip().strip("/")
    if not lid:
        return ""
    if platform == "mercadolibre":
        m = _ML_ID.match(lid.upper())
        host = _ML_HOSTS.get(site.upper())
        return f"https://{host}/{m.group(1)}-{m.group(2)}-_JM" if m and host else ""
    if platform == "ozon":
        return f"https://www.ozon.ru/product/{lid}/" if _DIGITS.match(lid) else ""
    if platform == "shein":
        return f"https://{shop or 'us'}.shein.com/goods-detail-p-{lid}.html" if _DIGITS.match(lid) else ""
    if platform == "gmarket":
        return f"https://item.gmarket.co.kr/Item?goodscode={lid}" if _DIGITS.match(lid) else ""
    if platform == "auction":
        lid = lid.upper()
        return f"http://itempage3.auction.co.kr/DetailView.aspx?itemno={lid}" if _AUCTION_ID.match(lid) else ""
    if platform == "coupang":
        return f"https://www.coupang.com/vp/products/{lid}" if _DIGITS.match(lid) else ""
    if platform == "rakuten":
        return f"https://item.rakuten.co.jp/{shop}/{lid.lower()}/" if shop else ""
    if platform == "yahoo" and site.casefold() == "jp":
        return f"https://store.shopping.yahoo.co.jp/{shop}/{lid}.html" if shop else ""
    if platform == "ebay":
        host = _EBAY_HOSTS.get(site.upper())
        return f"https://{host}/itm/{lid}" if host and _DIGITS.match(lid) else ""
    if platform == "walmart":
        return f"https://www.walmart.com/ip/{lid}" if _DIGITS.match(lid) else ""
    if platform == "woocommerce":
        return f"https://{shop}/?p={lid}" if shop and _DIGITS.match(lid) else ""
    if platform == "shopify":
        return f"https://{shop}/products/{lid}" if shop else ""
    return ""
