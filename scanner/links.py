"""Links from the report: the product page of a listing (Amazon's or another platform's) and the register
page of a mark (:func:`scanner.jurisdictions.register_link`). Never a guessed link: "" when a part is missing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import jurisdictions as _jur

_ASIN = re.compile(r"^[A-Z0-9]{10}$")


@lru_cache(maxsize=4096)  # a scan asks once per listing, for a handful of values
def amazon_domain(marketplace: str, default: str = "www.amazon.com") -> str:
    """Amazon's product-page host on a marketplace code (``"UK"`` -> ``www.amazon.co.uk``) or Amazon store
    domain (``amazon.de``), from :data:`scanner.jurisdictions.MARKETPLACES`; "" for a known marketplace where
    Amazon has no store (``KR``); ``default`` for anything else (an empty or unknown value)."""
    value = (marketplace or "").strip()
    if _jur.profile_code(value) or "amazon." in value.lower():
        return _jur.amazon_host(value)
    return default


@lru_cache(maxsize=4096)
def _amazon_host(marketplace: str) -> str:
    """``SellerProfile.domain`` of a profile on ``marketplace`` (:func:`scanner.jurisdictions.amazon_host`),
    cached: every Amazon listing asks for it."""
    return _jur.amazon_host(marketplace)


@lru_cache(maxsize=4096)
def is_amazon(marketplace: str) -> bool:
    """Whether a listing's ``marketplace`` is an Amazon store: empty (the profile's), a marketplace code
    (``US``, ``UK``, ``JP``: Amazon reports and flat files) or an Amazon domain; not a platform code such as
    ``mercadolibre-AR``, ``ozon`` or ``shopify`` (the other readers)."""
    value = (marketplace or "").strip()
    return not value or bool(_jur.profile_code(value)) or "amazon." in value.lower()


def amazon_url(asin: str, marketplace: str = "", default_domain: str = "www.amazon.com") -> str:
    """``https://<domain>/dp/<ASIN>`` for a well-formed ASIN (10 letters/digits), else ``""``."""
    asin = (asin or "").strip().upper()
    domain = amazon_domain(marketplace, default_domain)
    if not _ASIN.match(asin) or not domain:
        return ""
    return f"https://{domain}/dp/{asin}"


def shop_platform(marketplace: str) -> str:
    """The profile ``shop`` key of a listing's marketplace code: ``yahoo-jp`` -> ``yahoo-jp``,
    ``mercadolibre-AR`` -> ``mercadolibre``, ``shein`` -> ``shein``."""
    value = (marketplace or "").strip().casefold()
    return "yahoo-jp" if value.startswith("yahoo") else value.partition("-")[0]


def listing_url(asin: str, marketplace: str, listing_id: str = "", *, profile=None) -> str:
    """The product page of one listing: :func:`amazon_url` for Amazon listings (the profile's Amazon store
    when the listing names none), :func:`product_url` for the others, with the profile's ``shop`` for
    platforms whose URL holds it. "" when it cannot be built (never a guessed link)."""
    if is_amazon(marketplace):
        default = _amazon_host(profile.marketplace) if profile is not None else "www.amazon.com"
        return amazon_url(asin, marketplace, default)
    shop = profile.shop_for(shop_platform(marketplace)) if profile is not None else ""
    return product_url(marketplace, listing_id, shop)


def tsdr_url(serial_number: str, jurisdiction: str = "US") -> str:
    """The USPTO TSDR status page of a US serial number (8 digits), else ``""`` (other offices: use
    :func:`mark_url`; the URL pattern itself lives in :func:`scanner.jurisdictions.register_link`)."""
    if (jurisdiction or "US").strip().upper() != "US":
        return ""
    return _jur.register_link("US", serial_number or "")


def mark_url(jurisdiction: str, serial_number: str = "", registration_number: str = "") -> str:
    """The register page of a mark (:func:`scanner.jurisdictions.register_link`) from the numbers the corpus
    holds: the application (serial) number first, the registration number for Madrid (``WO``) records
    first. An empty jurisdiction counts as ``US`` (trademark CSVs made before offices other than the USPTO
    were imported); "" when no number makes a link."""
    jur = (jurisdiction or "US").strip().upper()
    numbers = (registration_number, serial_number) if jur in ("WO", "IB") else (serial_number, registration_number)
    for number in numbers:
        url = _jur.register_link(jur, str(number or ""))
        if url:
            return url
    return ""


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
    (never a guessed link). SHEIN's ``shop`` is the country site (``us``, ``de``). Etsy's listings export
    has no listing id, so it never has a link.
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
    if platform == "shein":  # the shop is the country site's subdomain (us, de, fr ...): no default
        ok = _DIGITS.match(lid) and re.fullmatch(r"[a-z]{2,3}", shop.lower())
        return f"https://{shop.lower()}.shein.com/goods-detail-p-{lid}.html" if ok else ""
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
