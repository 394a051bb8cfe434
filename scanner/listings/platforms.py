"""Listing exports of marketplaces and shop platforms other than Amazon: one table row per platform.

Each :class:`Platform` says how its export is recognised (a header row holding all headers of one of its
``signatures``, searched within the first rows of the file or sheet), which headers feed which canonical
field (per-language synonyms, best first), the platform's own product id (``listing_id``), and how the
rows of one product fold into one listing (``group``: rows repeating an earlier row's product key;
``parent``: variation rows naming their parent; ``continuation``: SKU rows with no product fields).

Facts from ``shared/data/marketplaces/REPORT.md`` (real files: Shopify, Etsy, WooCommerce en + pt_BR;
header names quoted from code that reads real downloads: Mercado Libre, Ozon, Coupang, Rakuten, Yahoo JP,
eBay, Walmart; partial: SHEIN, Gmarket/Auction/ESM+). What is inferred is marked ``# inferred`` and listed
in ``docs/listings.md``. Header names compare after :func:`key` (NFKC, case-folded, ``*`` of required
columns dropped), so ``TITLE``/``Title`` and ``Артикул*``/``Артикул`` are the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .headers import normalize

#: Attribute name values that mean "brand" (WooCommerce attributes, Rakuten product attributes).
BRAND_ATTRIBUTE_NAMES = frozenset(
    {"brand", "brands", "marca", "marcas", "marque", "marke", "ブランド", "ブランド名", "브랜드", "бренд", "品牌"}
)


def key(header: str) -> str:
    """The form platform headers compare in (:func:`headers.normalize`, trailing ``*`` dropped)."""
    return normalize(header).rstrip("*").strip()


@dataclass(frozen=True)
class Platform:
    """How one platform's listing export is read."""

    name: str  # FileStats.format, e.g. "shopify"
    label: str  # for notes: "Shopify products CSV"
    marketplace: str  # the marketplace code every listing gets (unless ``site`` derives a finer one)
    signatures: tuple[frozenset[str], ...]  # a header row holding every header of one of these sets
    fields: dict[str, tuple[str, ...]]  # canonical field -> headers, best first (first non-empty wins)
    joined: dict[str, str] = field(default_factory=dict)  # fields whose present columns are all joined
    listing_id: tuple[str, ...] = ()  # the platform's own product id (for the product-page link)
    group: tuple[str, ...] = ()  # a row repeating an earlier listing's value here folds into it
    parent: tuple[str, ...] = ()  # a variation row's parent reference (WooCommerce)
    row_type: tuple[str, ...] = ()  # the column whose value says "variation" (WooCommerce)
    continuation: tuple[str, ...] = ()  # a row with no title and no group but one of these folds into the last
    attributes: tuple[tuple[str, str], ...] = ()  # (name header regex, value header regex), brand from them
    apostrophe: tuple[str, ...] = ("sku",)  # fields whose one leading ' (Excel text marker) is dropped
    sku_list: str = ""  # the sku cell is a list of variant SKUs split on this; the first is used
    data_id: re.Pattern[str] | None = None  # rows before the first whose listing id matches are help rows
    hint_rows: int = 0  # rows right under the header that are hints, not listings (template sheets)
    site: Callable[[dict[str, str]], str] | None = None  # marketplace from the row's values
    html: tuple[str, ...] = ("description",)  # fields whose HTML becomes text
    variants: tuple[str, ...] = ()  # variant option values of every row of a product -> its bullets

    def signature_of(self, keys: set[str]) -> bool:
        return any(sig <= keys for sig in self.signatures)


def _sig(*names: str) -> frozenset[str]:
    return frozenset(key(n) for n in names)


# -- marketplace of a row ------------------------------------------------------------------------------
_ML_SITES = {"MLA": "AR", "MLM": "MX", "MLB": "BR", "MLC": "CL", "MCO": "CO", "MLU": "UY", "MPE": "PE",
             "MLV": "VE", "MEC": "EC", "MBO": "BO", "MPY": "PY", "MRD": "DO", "MPA": "PA", "MCR": "CR",
             "MGT": "GT", "MHN": "HN", "MNI": "NI", "MSV": "SV", "CBT": "CBT"}  # fmt: skip
ML_ITEM_ID = re.compile(r"^(M[A-Z]{2}|CBT)-?\d+$")


def _mercadolibre_site(values: dict[str, str]) -> str:
    site = _ML_SITES.get(values.get("listing_id", "")[:3].upper(), "")
    return f"mercadolibre-{site}" if site else "mercadolibre"


_AUCTION_ITEM = re.compile(r"^[A-Fa-f]\d{9}$")


def _esm_site(values: dict[str, str]) -> str:
    site = values.get("site", "").strip()
    if "옥션" in site or site.upper() in ("A", "IAC", "AUCTION"):
        return "auction"
    if "G마켓" in site.upper() or site.upper() in ("G", "GMKT", "GMARKET"):
        return "gmarket"
    return "auction" if _AUCTION_ITEM.match(values.get("listing_id", "")) else "gmarket"


def _ebay_site(values: dict[str, str]) -> str:
    site = values.get("site", "").strip()
    return f"ebay-{site}" if site else "ebay"


# -- the table -------------------------------------------------------------------------------------
SHOPIFY = Platform(
    "shopify", "Shopify products CSV", "shopify",
    signatures=(_sig("Handle", "Title", "Body (HTML)"), _sig("Handle", "Title", "Variant SKU")),
    fields={"sku": ("Variant SKU",), "title": ("Title",), "brand": ("Vendor",), "description": ("Body (HTML)",),
            "keywords": ("Tags", "SEO Title", "SEO Description"), "category": ("Product Category", "Type")},
    joined={"keywords": " "},
    listing_id=("Handle",), group=("Handle",),
    variants=("Option1 Value", "Option2 Value", "Option3 Value"),
)

ETSY = Platform(
    "etsy", "Etsy listings CSV", "etsy",
    signatures=(_sig("TITLE", "DESCRIPTION", "TAGS", "MATERIALS"), _sig("TITLE", "DESCRIPTION", "CURRENCY_CODE")),
    fields={"sku": ("SKU",), "title": ("TITLE",), "description": ("DESCRIPTION",), "keywords": ("TAGS",)},
    sku_list=",",
    variants=("VARIATION 1 VALUES", "VARIATION 2 VALUES"),
)

#: WooCommerce headers per site language: en and pt_BR from real exports; es, fr, de inferred.
_WOO_ID = ("ID",)
_WOO_TYPE = ("Type", "Tipo", "Typ")
_WOO_SKU = ("SKU", "REF", "UGS", "Artikelnummer")
_WOO_NAME = ("Name", "Nome", "Nombre", "Nom")
_WOO_PUBLISHED = ("Published", "Publicado", "Publié", "Veröffentlicht")
WOOCOMMERCE = Platform(
    "woocommerce", "WooCommerce products CSV", "woocommerce",
    signatures=tuple(_sig("ID", t, n, p) for t in _WOO_TYPE for n in _WOO_NAME for p in _WOO_PUBLISHED),
    fields={"sku": _WOO_SKU, "title": _WOO_NAME,
            "brand": ("Brands", "Marcas", "Marques", "Marken"),  # inferred (newer WooCommerce)
            "description": ("Short description", "Description", "Descrição curta", "Descrição",
                            "Descripción corta", "Descripción", "Description courte", "Kurzbeschreibung",
                            "Beschreibung"),
            "keywords": ("Tags", "Etiquetas", "Étiquettes", "Schlagwörter"),
            "category": ("Categories", "Categorias", "Categorías", "Catégories", "Kategorien")},
    joined={"description": "\n"},
    listing_id=_WOO_ID,
    parent=("Parent", "Produto ascendente", "Superior", "Übergeordnetes Produkt"),
    row_type=_WOO_TYPE,
    attributes=((r"attribute (\d+) name", r"attribute (\d+) value\(s\)"),
                (r"nome do atributo (\d+)", r"valores do atributo (\d+)"),
                (r"nombre del atributo (\d+)", r"valor\(es\) del atributo (\d+)"),
                (r"nom de l[’']attribut (\d+)", r"valeur\(s\) de l[’']attribut (\d+)"),
                (r"attribut (\d+) name", r"attribut (\d+) wert\(e\)")),
)

MERCADOLIBRE = Platform(
    "mercadolibre", "Mercado Libre Publicaciones/Anúncios", "mercadolibre",
    signatures=(_sig("ITEM_ID", "TITLE"),),
    fields={"sku": ("SKU",), "title": ("TITLE",), "category": ("CATEGORY",)},
    listing_id=("ITEM_ID",), group=("ITEM_ID",), continuation=("VARIATION_ID",),
    data_id=ML_ITEM_ID, site=_mercadolibre_site,
    variants=("VARIATIONS",),
)

_OZON_TITLE = ("Наименование товара", "Название товара", "Название", "Product name", "Name")
OZON = Platform(
    "ozon", "Ozon products CSV", "ozon",
    signatures=(_sig("Артикул", "Ozon Product ID"), _sig("Product ID", "Ozon Product ID")),
    fields={"sku": ("Артикул", "Product ID"), "title": _OZON_TITLE, "brand": ("Бренд", "Vendor", "Brand"),
            "category": ("Коммерческая категория", "Категория комиссии", "Commercial category", "Category")},
    listing_id=("SKU", "FBO OZON SKU ID", "FBS OZON SKU ID"),
)

OZON_TEMPLATE = Platform(
    "ozon-template", "Ozon category template (Шаблон)", "ozon",
    signatures=(_sig("Артикул", "Название товара", "Аннотация"), _sig("Артикул", "Название товара", "Тип")),
    fields={"sku": ("Артикул",), "title": ("Название товара",),
            "brand": ("Бренд", "Бренд в одежде и обуви"),
            "description": ("Аннотация",), "keywords": ("#Хештеги", "Ключевые слова"), "category": ("Тип",)},
    joined={"keywords": " "},
    listing_id=("SKU",), hint_rows=2,
)

SHEIN = Platform(  # no real export found: the back-office labels and the Open API names (partial)
    "shein", "SHEIN product list", "shein",
    signatures=(_sig("SPU", "SKC", "商家SKU"), _sig("SPU", "SKC", "商家SKC"), _sig("spu_name", "supplier_sku")),
    fields={"sku": ("商家SKU", "supplier_sku", "商家SKC", "supplier_code"),
            "title": ("商品名称", "商品标题", "产品名称", "商品名", "product_name", "Product Name", "name"),
            "brand": ("品牌", "brand", "brand_code"),
            "description": ("商品描述", "description"),
            "category": ("叶子类目", "商品分类", "category_name", "category_id")},
    listing_id=("goods_id", "商品ID", "SKC", "skc_name"),  # inferred: the URL needs the goods id
    group=("SPU", "spu_name"),
)

ESM = Platform(  # the ESM+ product-list export headers are inferred (the upload template has none)
    "esm", "Gmarket/Auction ESM+ product list", "gmarket",
    signatures=(_sig("상품번호", "상품명", "판매자관리코드"), _sig("상품번호", "상품명", "판매자 상품코드"),
                _sig("G마켓상품번호", "상품명"), _sig("옥션상품번호", "상품명")),
    fields={"sku": ("판매자관리코드", "판매자 상품코드"), "title": ("상품명",), "brand": ("브랜드",),
            "description": ("상품상세설명",), "category": ("ESM 카테고리코드", "카테고리코드", "카테고리"),
            "site": ("사이트", "판매사이트", "사이트구분")},
    listing_id=("상품번호", "G마켓상품번호", "옥션상품번호"),
    group=("상품번호",),
    site=_esm_site,
)

COUPANG = Platform(
    "coupang", "Coupang WING product export", "coupang",
    signatures=(_sig("등록상품ID", "쿠팡 노출상품명"), _sig("등록상품ID", "등록상품명", "옵션 ID")),
    fields={"sku": ("업체상품코드", "등록상품ID"), "title": ("쿠팡 노출상품명", "등록상품명"),
            "brand": ("브랜드", "제조사"), "description": ("상세 설명",), "keywords": ("검색어",),
            "category": ("카테고리",)},
    listing_id=("노출상품ID",), group=("등록상품ID",),
    variants=("등록 옵션명",),
)

RAKUTEN = Platform(
    "rakuten", "Rakuten RMS item.csv / normal-item.csv", "rakuten",
    signatures=(_sig("商品管理番号（商品URL）", "商品名"),),
    fields={"sku": ("商品番号", "商品管理番号（商品URL）"), "title": ("商品名",),
            "description": ("PC用商品説明文", "スマートフォン用商品説明文", "PC用販売説明文", "モバイル用商品説明文"),
            "keywords": ("キャッチコピー", "PC用キャッチコピー", "モバイル用キャッチコピー"),
            "category": ("ジャンルID", "全商品ディレクトリID")},
    joined={"description": "\n", "keywords": " "},
    listing_id=("商品管理番号（商品URL）",), group=("商品管理番号（商品URL）",),
    continuation=("SKU管理番号", "システム連携用SKU番号"),
    attributes=((r"商品属性\(項目\)(\d+)", r"商品属性\(値\)(\d+)"),),
    variants=("バリエーション1選択肢定義", "バリエーション2選択肢定義", "バリエーション3選択肢定義"),
)

YAHOO_JP = Platform(
    "yahoo-jp", "Yahoo!ショッピング data.csv", "yahoo-jp",
    signatures=(_sig("path", "name", "code", "caption"), _sig("name", "code", "sub-code", "headline")),
    fields={"sku": ("code",), "title": ("name",),
            "description": ("caption", "explanation", "abstract", "additional1", "additional2", "additional3"),
            "keywords": ("headline", "meta-key"), "category": ("product-category", "path")},
    joined={"description": "\n", "keywords": " "},
    listing_id=("code",), group=("code",),
)

EBAY = Platform(
    "ebay", "eBay active listings report", "ebay",
    signatures=(_sig("Item number", "Title", "Custom label (SKU)"), _sig("Item number", "Title", "Variation details")),
    fields={"sku": ("Custom label (SKU)",), "title": ("Title",),
            "category": ("eBay category 1 name", "eBay category 1 number"), "site": ("Listing site",)},
    listing_id=("Item number",), group=("Item number",),
    site=_ebay_site,
    variants=("Variation details",),
)

WALMART = Platform(
    "walmart", "Walmart item report", "walmart",
    signatures=(_sig("SKU", "Item ID", "Product Name"), _sig("SKU", "WPID", "Product Name")),
    fields={"sku": ("SKU",), "title": ("Product Name",), "brand": ("Brand",),
            "description": ("Short Description", "Long Description"),
            "category": ("Product Category", "Primary Cat Path", "Shelf Name")},
    joined={"description": "\n"},
    listing_id=("Item ID",),
)

#: Japanese headers of Rakuten's RMS files: a header row holding them is evidence of Shift_JIS/cp932.
JAPANESE_PLATFORM_HEADERS: frozenset[str] = frozenset(
    {"コントロールカラム", "商品管理番号（商品URL）", "商品番号", "PC用商品説明文", "スマートフォン用商品説明文", "キャッチコピー",
     "PC用キャッチコピー", "SKU管理番号"}
)

#: Most specific first (a header row is given to the first platform whose signature it holds).
PLATFORMS: tuple[Platform, ...] = (
    SHOPIFY, WOOCOMMERCE, ETSY, MERCADOLIBRE, OZON, OZON_TEMPLATE, SHEIN, ESM, COUPANG, RAKUTEN, YAHOO_JP,
    EBAY, WALMART,
)

def identify_platform(cells: list[str]) -> Platform | None:
    """The platform whose export this header row is, or ``None``."""
    keys = {key(c) for c in cells if c.strip()}
    if len(keys) < 2:
        return None
    for platform in PLATFORMS:
        if platform.signature_of(keys):
            return platform
    return None


def find_platform_header(rows: list[list[str]], limit: int) -> tuple[Platform, int] | None:
    """``(platform, index)`` of the first of ``rows[:limit]`` that is a platform's header row."""
    for index, cells in enumerate(rows[:limit]):
        platform = identify_platform(cells)
        if platform is not None:
            return platform, index
    return None
