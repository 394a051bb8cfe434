"""Amazon inventory flat files (category templates): the rows above the field-name row.

Layout (listing_report_layouts.json): row 1 ``TemplateType=fptcustom``, ``Version=...``,
``TemplateSignature=...``, ``settings=...&primaryMarketplaceId=amzn1.mp.o.<ID>...`` and section labels;
row 2 the localized labels (``出品者SKU``, ``商品名`` ... or English ones); row 3 the machine field names
(``item_sku``, ``item_name`` ...); data from row 4. Either of the first two rows may be missing, and the
field-name row alone is a valid header. A parent row of a variation family (``parent_child=parent``) is a
listing like any other.

Amazon's product-type templates (and the Category Listings Report) are read as flat files too
(:mod:`.template_keys`): their row 1 is a ``settings=...`` cell carrying the same ``primaryMarketplaceId``,
and their field-name row holds attribute keys (``contribution_sku#1.value``,
``item_name[marketplace_id=...][language_tag=...]#1.value`` ...), under which Amazon's example row (SKU
``ABC123``) is skipped (:func:`layout.find_header`).
"""

from __future__ import annotations

import re

from .headers import FLAT_FILE_FIELDS, normalize
from .marketplaces import marketplace_from_settings
from .template_keys import is_key_row

_TEMPLATE_TYPE = re.compile(r"(?:^|&)TemplateType=([^&]*)")


def is_field_name_row(cells: list[str]) -> bool:
    """Whether ``cells`` is the machine field-name row (at least two flat-file field names, or a product-type
    template's attribute-key row)."""
    return sum(normalize(c) in FLAT_FILE_FIELDS for c in cells) >= 2 or is_key_row(cells)


def is_template_row(cells: list[str]) -> bool:
    """Whether ``cells`` is the ``TemplateType=...`` row, or a product-type template's ``settings=...`` row."""
    first = cells[0].strip().lstrip("\ufeff") if cells else ""
    return first.startswith(("TemplateType=", "settings="))


def template_settings(rows: list[list[str]]) -> str:
    """The text of the template row among ``rows`` (its non-empty cells joined with ``&``: a long settings
    string goes on in ``settings2=``, ``settings3=`` cells), or ``""``."""
    cells = next((cells for cells in rows if is_template_row(cells)), [])
    return "&".join(c.strip() for c in cells if c.strip())


def template_info(rows: list[list[str]]) -> tuple[str, list[str]]:
    """``(marketplace code, notes)`` from the rows above the header row."""
    text = template_settings(rows).lstrip("\ufeff")
    if not text:
        return "", []
    code, mp_id = marketplace_from_settings(text)
    if text.startswith("TemplateType="):
        note = f"flat-file template (TemplateType={text.partition('=')[2].partition('&')[0]})"
    else:
        kind = _TEMPLATE_TYPE.search(text)
        note = "product-type template (settings row" + (f", TemplateType={kind.group(1)})" if kind else ")")
    if code:
        note += f"; marketplace {code} from primaryMarketplaceId {mp_id}"
    elif mp_id:
        note += f"; primaryMarketplaceId {mp_id} is not a marketplace we know, marketplace left empty"
    return code, [note]


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
