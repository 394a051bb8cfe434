"""The header-alias table: every known listing-export header and the canonical field it feeds.

Facts from ``shared/data/amazon-reports`` (the report layouts, the JP/EU/CN localized header names seen in
real exports, and the inventory flat-file field names). Headers are compared after :func:`normalize`
(Unicode NFKC, case-folded, inner whitespace collapsed), so ``Seller-SKU`` and ``seller-sku`` are the same.

Two levels:

* :data:`LOCALIZED` maps a localized Amazon report header to the English report header it stands for
  (``商品名`` -> ``item-name``); used to recognise the report layout whatever the Seller Central language.
* :data:`FIELD_HEADERS` lists, per canonical field, the English report headers and flat-file field names
  that feed it, in priority order.

The attribute keys of Amazon's product-type templates (``item_name[marketplace_id=...][language_tag=...]#1.value``)
stand for the flat-file field name holding the same text (:func:`template_keys.flat_file_name`), as a
localized header stands for its English one: :func:`report_name` gives that name.

:data:`HEADER_ALIASES` joins the two: normalized header -> canonical field, for every header we know.
"""

from __future__ import annotations

import unicodedata

from .schema import BULLET_SEPARATOR
from .template_keys import flat_file_name

#: Canonical field -> the headers that feed it, best first. Fields in :data:`JOINED` take every present
#: column (joined); the others take the first non-empty value in this order.
FIELD_HEADERS: dict[str, tuple[str, ...]] = {
    "sku": ("seller-sku", "item_sku", "sku"),
    "asin": ("asin1", "asin"),
    "title": ("item-name", "item_name", "product-name", "product name", "title"),
    "brand": ("brand_name", "brand"),
    "bullets": tuple(f"bullet_point{i}" for i in range(1, 6)) + ("bullets",),
    "description": ("item-description", "product_description", "description"),
    "keywords": ("generic_keywords",) + tuple(f"generic_keywords{i}" for i in range(1, 6)) + ("keywords",),
    "category": ("feed_product_type", "item_type", "category"),
    "marketplace": ("marketplace",),
}

#: Fields whose present columns are all joined, with this separator (empty parts left out).
JOINED: dict[str, str] = {"bullets": BULLET_SEPARATOR, "keywords": " "}

#: Columns that are not canonical fields but that a reader uses: a product id, and its type, that may be
#: an ASIN (the Japanese 2018 layout has no asin1 column, only 商品ID + 商品IDタイプ).
PRODUCT_ID_HEADERS: tuple[str, ...] = ("product-id", "external_product_id")
PRODUCT_ID_TYPE_HEADERS: tuple[str, ...] = ("product-id-type", "external_product_id_type")

#: Japanese report headers (出品詳細レポート) -> the English report header (listing_report_layouts.json).
JAPANESE: dict[str, str] = {
    "商品名": "item-name",
    "出品ID": "listing-id",
    "出品者SKU": "seller-sku",
    "価格": "price",
    "数量": "quantity",
    "出品日": "open-date",
    "商品IDタイプ": "product-id-type",
    "コンディション説明": "item-note",
    "コンディション": "item-condition",
    "国外へ配送可": "will-ship-internationally",
    "迅速な配送": "expedited-shipping",
    "商品ID": "product-id",
    "在庫数": "pending-quantity",
    "フルフィルメント・チャンネル": "fulfillment-channel",
    "ステータス": "status",
    "ASIN 1": "asin1",
    "配送パターン": "merchant-shipping-group",
    "ポイント": "points",
}

#: German, Italian, French, Spanish and Chinese report headers -> the English report header.
EUROPEAN_CHINESE: dict[str, str] = {
    "Händler-SKU": "seller-sku",
    "SKU venditore": "seller-sku",
    "sku-vendeur": "seller-sku",
    "SKU del vendedor": "seller-sku",
    "卖家 SKU": "seller-sku",
    "Artikelbezeichnung": "item-name",
    "Nome dell'articolo": "item-name",
    "nom-produit": "item-name",
    "Título del producto": "item-name",
    "商品名称": "item-name",
    "Produkt-ID": "product-id",
    "Identificativo del prodotto": "product-id",
    "id-produit": "product-id",
    "Identificador del producto": "product-id",
    "商品编码": "product-id",
    "Produkt-ID-Typ": "product-id-type",
    "Tipo di identificativo del prodotto": "product-id-type",
    "type-id-produit": "product-id-type",
    "Tipo de identificador de producto": "product-id-type",
    "商品编码类型": "product-id-type",
    "Versender": "fulfillment-channel",
    "Canale di gestione": "fulfillment-channel",
    "canal-traitement": "fulfillment-channel",
    "Canal de gestión logística": "fulfillment-channel",
    "配送渠道": "fulfillment-channel",
    "fulfilment-channel": "fulfillment-channel",
    "Artikelzustand": "item-condition",
    "Condizione dell'articolo": "item-condition",
    "état-produit": "item-condition",
    "Estado del producto": "item-condition",
    "商品备注": "item-condition",
    "Preis": "price",
    "Prezzo": "price",
    "stato": "status",
    "état": "status",
    "estado": "status",
    "状态": "status",
    "Erstellungsdatum": "open-date",
    "Data di creazione": "open-date",
    "Fecha de creación": "open-date",
    "开售日期": "open-date",
    "Menge": "quantity",
    "Quantità": "quantity",
}

#: Every localized report header -> the English report header.
LOCALIZED: dict[str, str] = JAPANESE | EUROPEAN_CHINESE

#: Inventory flat-file machine field names (row 3 of the template). A row holding these is the header.
FLAT_FILE_FIELDS: frozenset[str] = frozenset(
    {
        "feed_product_type",
        "item_sku",
        "brand_name",
        "item_name",
        "external_product_id",
        "external_product_id_type",
        "manufacturer",
        "parent_child",
        "parent_sku",
        "relationship_type",
        "variation_theme",
        "update_delete",
        "product_description",
        "generic_keywords",
        "item_type",
        "standard_price",
        "main_image_url",
        "recommended_browse_nodes",
    }
    | {f"bullet_point{i}" for i in range(1, 6)}
)


def normalize(header: str) -> str:
    """The form headers are compared in: NFKC, no BOM or enclosing quotes, case-folded, one space."""
    text = unicodedata.normalize("NFKC", header.replace("\ufeff", "")).strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('""', '"')
    return " ".join(text.split()).casefold()


def report_name(header: str) -> str:
    """The English Amazon report header a (possibly localized) header stands for, normalized; for a template
    attribute key, the flat-file field name it stands for (``brand[...]#1.value`` -> ``brand_name``)."""
    key = normalize(header)
    return _LOCALIZED_NORM.get(key) or flat_file_name(key) or key


def _build_aliases() -> dict[str, str]:
    english_to_field = {}
    for canon, names in FIELD_HEADERS.items():
        for name in names:
            english_to_field.setdefault(normalize(name), canon)
    table = dict(english_to_field)
    for local, english in LOCALIZED.items():
        if normalize(english) in english_to_field:
            table[normalize(local)] = english_to_field[normalize(english)]
    return table


_LOCALIZED_NORM = {normalize(k): normalize(v) for k, v in LOCALIZED.items()}

#: Every known header (normalized) -> canonical field. Built from FIELD_HEADERS and LOCALIZED.
HEADER_ALIASES: dict[str, str] = _build_aliases()

#: Localized headers written in Japanese (evidence that a file is Shift_JIS/cp932).
JAPANESE_HEADERS: frozenset[str] = frozenset(k for k in JAPANESE if not k.isascii())


def field_of(header: str) -> str | None:
    """The canonical field a header feeds (``"商品名"`` -> ``"title"``), or ``None``."""
    key = normalize(header)
    return HEADER_ALIASES.get(key) or HEADER_ALIASES.get(flat_file_name(key) or "")


def priority(header: str) -> tuple[str, int] | None:
    """``(field, rank)`` for a known header: a lower rank wins when several headers feed one field."""
    key = report_name(header)
    for canon, names in FIELD_HEADERS.items():
        for rank, name in enumerate(names):
            if normalize(name) == key:
                return canon, rank
    return None
