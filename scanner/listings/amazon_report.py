"""Amazon Seller Central report layouts: which report a header row is, and what to say when it has no titles.

Layouts from ``shared/data/amazon-reports`` (airbyte report schemas and real exports). Reports are read by
header name, so a layout only names the file's format in :class:`~scanner.listings.schema.FileStats`;
localized headers are compared through their English report names (:func:`headers.report_name`).
"""

from __future__ import annotations

from .headers import FLAT_FILE_FIELDS, field_of, normalize, report_name

#: GET_MERCHANT_LISTINGS_ALL_DATA: the All Listings Report (29 columns, status last).
ALL_LISTINGS: tuple[str, ...] = (
    "item-name", "item-description", "listing-id", "seller-sku", "price", "quantity", "open-date",
    "image-url", "item-is-marketplace", "product-id-type", "zshop-shipping-fee", "item-note",
    "item-condition", "zshop-category1", "zshop-browse-path", "zshop-storefront-feature", "asin1", "asin2",
    "asin3", "will-ship-internationally", "expedited-shipping", "zshop-boldface", "product-id",
    "bid-for-featured-placement", "add-delete", "pending-quantity", "fulfillment-channel",
    "merchant-shipping-group", "status",
)  # fmt: skip

_PRICES: tuple[str, ...] = (
    "Business Price", "Quantity Price Type",
    *(f"Quantity {kind} {i}" for i in range(1, 6) for kind in ("Lower Bound", "Price")),
)  # fmt: skip
_PROGRESSIVE: tuple[str, ...] = (
    "Progressive Price Type",
    *(f"Progressive {kind} {i}" for i in range(1, 4) for kind in ("Lower Bound", "Price")),
)  # fmt: skip

#: GET_MERCHANT_LISTINGS_DATA: the Active Listings Report (47 columns).
ACTIVE_LISTINGS: tuple[str, ...] = ALL_LISTINGS[:27] + _PRICES + ("merchant-shipping-group",) + _PROGRESSIVE

#: Older and sibling layouts of the Active Listings Report.
ACTIVE_VARIANTS: tuple[tuple[str, ...], ...] = (
    ACTIVE_LISTINGS,
    ALL_LISTINGS[:27],  # 27 columns (MWS era)
    ALL_LISTINGS[:28],  # 28: + merchant-shipping-group (also the Inactive Listings Report)
    ALL_LISTINGS[:26] + _PRICES + ("merchant-shipping-group",) + _PROGRESSIVE,  # _BACK_COMPAT (46)
)

#: The All Listings Report, and the Japanese 出品詳細レポート (ポイント where the US file has status).
ALL_VARIANTS: tuple[tuple[str, ...], ...] = (ALL_LISTINGS, ALL_LISTINGS[:28] + ("points",))

#: GET_FLAT_FILE_OPEN_LISTINGS_DATA: the Inventory Report. It has no title column.
INVENTORY_REPORT: tuple[str, ...] = ("sku", "asin", "price", "quantity", *_PRICES)

#: Headers that only Amazon listing reports have (any one of them marks a custom column selection).
_LISTING_REPORT_ONLY = frozenset(
    normalize(h) for h in ALL_LISTINGS if h not in ("price", "quantity", "status")
) - {"item-name"}


def identify(headers: list[str]) -> str:
    """The format name of a header row (for :attr:`FileStats.format`).

    ``amazon-all-listings``, ``amazon-active-listings``, ``amazon-listings-custom`` (a Seller Central
    column selection, or a localized subset), ``amazon-fba-inventory``, ``flat-file`` (inventory
    template field names), ``amazon-report`` (another Amazon report with a product name) or ``generic``.
    """
    names = [report_name(h) for h in headers if h.strip()]
    found = set(names)
    for layout in ALL_VARIANTS:
        if found == {normalize(h) for h in layout} and len(names) == len(layout):
            return "amazon-all-listings"
    for layout in ACTIVE_VARIANTS:
        if found == {normalize(h) for h in layout} and len(names) == len(layout):
            return "amazon-active-listings"
    if "fnsku" in found and "product-name" in found:
        return "amazon-fba-inventory"
    if len(found & FLAT_FILE_FIELDS) >= 2:
        return "flat-file"
    if found & _LISTING_REPORT_ONLY:
        return "amazon-listings-custom"
    if found & {"product-name", "product name"}:
        return "amazon-report"
    return "generic"


def no_title_message(headers: list[str]) -> str:
    """Why a header row without a title column cannot be scanned, and what to download instead."""
    names = {report_name(h) for h in headers}
    if {"sku", "asin", "price", "quantity"} <= names and not any(field_of(h) == "title" for h in headers):
        return (
            "this is the Amazon Inventory Report (sku, asin, price, quantity ...): it has no title column, so "
            "there is nothing to scan; download the All Listings Report instead (Seller Central: Inventory > "
            "Inventory Reports > All Listings Report)"
        )
    return (
        f"not a listing export: no title column among the headers seen ({show_headers(headers)}); a listing "
        "export needs a title column such as item-name, item_name, product-name or 商品名 (or name the "
        "column with --map title=COLUMN)"
    )


#: A header longer than this is cut in messages (a "header" that is really a line of text or of binary data).
HEADER_SHOWN_CHARS = 60


def show_headers(headers: list[str], limit: int = 40) -> str:
    """The headers of a row as one short line (empty ones left out, each cut to :data:`HEADER_SHOWN_CHARS`)."""
    shown = [h.strip() for h in headers if h.strip()]
    text = ", ".join(h if len(h) <= HEADER_SHOWN_CHARS else h[: HEADER_SHOWN_CHARS - 1] + "…" for h in shown[:limit])
    if len(shown) > limit:
        text += f", ... ({len(shown)} headers)"
    return text or "none"
