"""Amazon's product-type ("listings") templates and the Category Listings Report: the attribute-key row.

These are the templates Seller Central hands out today (and the Category Listings Report downloads): the
field names are not the older flat file's ``item_sku``/``item_name`` but attribute keys of the Selling
Partner listings schema. The layout, as public parsers and fixtures show it (Eleodori/amz-inventory-converter
README.md and netlify/functions/_lib/templateSeed.mjs, a real IT template's rows; BWB03/amazon-catalog-cli
catalog/core/parser.py, the Category Listings Report):

* row 1: ``settings=feedType=...&primaryMarketplaceId=amzn1.mp.o.<ID>&contentLanguageTag=it_IT&...
  &labelRow=4&attributeRow=5&dataRow=7...`` (longer settings go on in ``settings2=``, ``settings3=`` cells);
* row 2 an instruction line, row 3 group names, row 4 the localized labels (``SKU``, ``Item Name`` ...);
* row 5 the attribute keys: ``contribution_sku#1.value``, ``product_type#1.value``, ``::record_action``,
  ``item_name[marketplace_id=ATVPDKIKX0DER][language_tag=en_US]#1.value``, ``bullet_point[...]#1.value`` ...
  ``#5.value``, ``externally_assigned_product_identifier#1.type`` / ``#1.value``,
  ``merchant_suggested_asin#1.value``; the Category Listings Report adds ``::listing_status``, ``::title`` and
  ``amzn1.volt.ca.product_id_type`` / ``amzn1.volt.ca.product_id_value``;
* row 6 Amazon's example row, whose SKU is ``ABC123`` (rows between ``attributeRow`` and ``dataRow``, which
  Amazon ignores on upload); the seller's rows from row 7.

A key stands for the older flat-file field name that holds the same text (:func:`flat_file_name`), so the
rest of the reader (field aliases, the ASIN from a product id and its type, the format name) treats the key
row as the field-name row of a flat file. When a field's keys repeat per marketplace or language (a DE
template with ``de_DE`` and ``en_GB`` columns), only the columns of the template's primary marketplace and
content language are read (:func:`other_locale_columns`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: ``attribute[qualifier=value]...#instance.leaf``: the grammar of a key (compared case-folded).
_KEY = re.compile(r"(?P<attr>[a-z][a-z0-9_]*)(?P<quals>(?:\[[a-z_]+=[^\[\]]*\])*)#(?P<inst>[0-9]+)\.(?P<leaf>.+)")
_QUALIFIER = re.compile(r"\[([a-z_]+)=([^\[\]]*)\]")
#: ``::record_action``, ``::title``, ``::listing_status``: columns of the template itself, not attributes.
_META = re.compile(r"::[a-z_]+")
_VOLT = re.compile(r"amzn1\.volt\.ca\.[a-z_]+")

#: Attribute -> the flat-file field name its ``#1.value`` stands for.
_VALUE_NAMES: dict[str, str] = {
    "contribution_sku": "item_sku",
    "product_type": "feed_product_type",
    "item_name": "item_name",
    "brand": "brand_name",
    "product_description": "product_description",
    "item_type_keyword": "item_type",
    "merchant_suggested_asin": "asin",
}
#: Whole keys -> the flat-file field name (the product id and its type; Amazon's own title).
_WHOLE_KEYS: dict[str, str] = {
    "externally_assigned_product_identifier#1.value": "external_product_id",
    "externally_assigned_product_identifier#1.type": "external_product_id_type",
    "amzn1.volt.ca.product_id_value": "external_product_id",
    "amzn1.volt.ca.product_id_type": "external_product_id_type",
    "::title": "title",
}

#: Amazon's example row under the key row has this SKU (templates and the Category Listings Report alike).
EXAMPLE_SKU = "ABC123"


@dataclass(frozen=True)
class Key:
    """One attribute key, case-folded: ``item_name``, ``{"marketplace_id": "atvpdkikx0der", ...}``, 1, ``value``."""

    attribute: str
    qualifiers: dict[str, str]
    instance: int
    leaf: str


def parse(header: str) -> Key | None:
    """The parts of an attribute key (``None`` for any other header, ``::`` and ``amzn1.volt`` keys included)."""
    match = _KEY.fullmatch(_fold(header))
    if match is None:
        return None
    quals = dict(_QUALIFIER.findall(match["quals"]))
    return Key(match["attr"], quals, int(match["inst"]), match["leaf"])


def is_key(header: str) -> bool:
    """Whether ``header`` is written in the key grammar (``name[...]#1.leaf``, ``::name`` or ``amzn1.volt...``)."""
    text = _fold(header)
    return bool(_KEY.fullmatch(text) or _META.fullmatch(text) or _VOLT.fullmatch(text))


def flat_file_name(header: str) -> str | None:
    """The flat-file field name whose text a key holds (``item_name[...]#1.value`` -> ``item_name``,
    ``bullet_point[...]#3.value`` -> ``bullet_point3``, ``generic_keyword[...]#1.value`` -> ``generic_keywords``),
    or ``None``."""
    text = _fold(header)
    if text in _WHOLE_KEYS:
        return _WHOLE_KEYS[text]
    key = parse(text)
    if key is None or key.leaf != "value":
        return None
    if key.attribute == "bullet_point":
        return f"bullet_point{key.instance}"
    if key.attribute == "generic_keyword":
        return "generic_keywords" if key.instance == 1 else f"generic_keywords{key.instance}"
    return _VALUE_NAMES.get(key.attribute) if key.instance == 1 else None


def is_key_row(cells: list[str]) -> bool:
    """Whether ``cells`` is the attribute-key row: at least two keys, one of them a field the reader knows
    (a data definitions sheet lists its keys one per row, never two in a row)."""
    found = [c for c in cells if is_key(c)]
    return len(found) >= 2 and any(flat_file_name(c) is not None for c in found)


@dataclass(frozen=True)
class Context:
    """What the rows around the key row say: the primary marketplace id and content language of the settings
    row (``""`` unknown) and the SKU of Amazon's example row skipped under the key row (``""``: none)."""

    marketplace_id: str = ""
    language: str = ""
    example_sku: str = ""


@dataclass(frozen=True)
class Template:
    """What a product-type template's key row brings beside its cells (on :class:`.layout.Header`, to
    :func:`.plan.build_plan`): its :class:`Context` and the label row above it (``SKU``, ``Item Name`` ...:
    what ``--map`` may name)."""

    context: Context
    labels: tuple[str, ...] = ()


_LANGUAGE = re.compile(r"contentLanguageTag=([A-Za-z0-9_-]+)")


def settings_language(text: str) -> str:
    """The ``contentLanguageTag`` of a settings row (``it_IT``), or ``""``."""
    match = _LANGUAGE.search(text)
    return match.group(1) if match else ""


def is_example_row(key_row: list[str], cells: list[str]) -> bool:
    """Whether ``cells`` (the row under the key row) is Amazon's example row: its SKU is ``ABC123``."""
    sku = next((i for i, c in enumerate(key_row) if _fold(c) == "contribution_sku#1.value"), None)
    return sku is not None and sku < len(cells) and cells[sku].strip() == EXAMPLE_SKU


def other_locale_columns(headers: list[str], fields: dict[int, str], context: Context | None) -> tuple[list[int], str]:
    """``(columns, locale)``: the key columns not to read because the same field has columns for the locale
    wanted, and that locale (``A1PA6795UKMFR9/de_DE``). ``fields`` maps a column to the field its key feeds.

    The locale wanted is the settings row's primary marketplace and content language; without a settings row,
    the marketplace and language of the first key that names a language. A key without a marketplace (or a
    language) fits any. A field none of whose columns fits is read as it is.
    """
    keys = {col: key for col in fields if (key := parse(headers[col])) is not None}
    mp, lang = (context.marketplace_id, context.language) if context else ("", "")
    if not (mp or lang):
        first = next((c for c, k in keys.items() if "language_tag" in k.qualifiers), None)
        if first is None:
            return [], ""
        mp, lang = _locale(headers[first])

    def fits(key: Key) -> bool:
        return all(not want or key.qualifiers.get(name, want.casefold()) == want.casefold()
                   for name, want in (("marketplace_id", mp), ("language_tag", lang)))

    skip = []
    for field in set(fields.values()):
        cols = [c for c in keys if fields[c] == field]
        if any(fits(keys[c]) for c in cols):
            skip += [c for c in cols if not fits(keys[c])]
    return sorted(skip), "/".join(v for v in (mp, lang) if v)


def _locale(header: str) -> tuple[str, str]:
    """``(marketplace id, language tag)`` of a key as written (``""`` where it names none)."""
    quals = dict(_QUALIFIER.findall(header.replace("\ufeff", "").strip()))
    return quals.get("marketplace_id", ""), quals.get("language_tag", "")


def _fold(header: str) -> str:
    return header.replace("\ufeff", "").strip().casefold()
