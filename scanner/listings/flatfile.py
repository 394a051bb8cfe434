"""Amazon inventory flat files (category templates): the rows above the field-name row.

Layout (listing_report_layouts.json): row 1 ``TemplateType=fptcustom``, ``Version=...``,
``TemplateSignature=...``, ``settings=...&primaryMarketplaceId=amzn1.mp.o.<ID>...`` and section labels;
row 2 the localized labels (``出品者SKU``, ``商品名`` ... or English ones); row 3 the machine field names
(``item_sku``, ``item_name`` ...); data from row 4. Either of the first two rows may be missing, and the
field-name row alone is a valid header. A parent row of a variation family (``parent_child=parent``) is a
listing like any other.
"""

from __future__ import annotations

from .headers import FLAT_FILE_FIELDS, normalize
from .marketplaces import marketplace_from_settings


def is_field_name_row(cells: list[str]) -> bool:
    """Whether ``cells`` is the machine field-name row (at least two flat-file field names)."""
    return sum(normalize(c) in FLAT_FILE_FIELDS for c in cells) >= 2


def is_template_row(cells: list[str]) -> bool:
    """Whether ``cells`` is the ``TemplateType=...`` row."""
    return bool(cells) and cells[0].strip().lstrip("\ufeff").startswith("TemplateType=")


def template_info(rows: list[list[str]]) -> tuple[str, list[str]]:
    """``(marketplace code, notes)`` from the rows above the header row."""
    for cells in rows:
        if not is_template_row(cells):
            continue
        text = "&".join(c.strip() for c in cells if c.strip())
        kind = cells[0].strip().lstrip("\ufeff").partition("=")[2]
        code, mp_id = marketplace_from_settings(text)
        note = f"flat-file template (TemplateType={kind})"
        if code:
            note += f"; marketplace {code} from primaryMarketplaceId {mp_id}"
        elif mp_id:
            note += f"; primaryMarketplaceId {mp_id} is not a marketplace we know, marketplace left empty"
        return code, [note]
    return "", []


def excel_unquote(value: str) -> str:
    """A value Excel wrote in quotes in a tab-delimited save (``"12"" Ruler"`` -> ``12" Ruler``).

    Only a value that is wholly quoted, with every inner quote doubled, is unquoted; anything else (a lone
    quote in a title, as Amazon reports have) is kept as it is.
    """
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        inner = value[1:-1]
        if inner.replace('""', "").count('"') == 0:
            return inner.replace('""', '"')
    return value
