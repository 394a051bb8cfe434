"""Where the header row is, and (for text) which delimiter the file uses.

The header row is the flat-file field-name row when one of the first :data:`SEARCH_ROWS` non-blank rows
is one (so a localized label row above it is never taken for the header); otherwise the first of them
that names a title column (through ``--map title=...`` or an alias). Rows above the header are preamble
(the TemplateType row, the label row, a title line), never listings.

A product-type template's attribute-key row (:mod:`.template_keys`) is such a field-name row. Its header
carries a :class:`~.template_keys.Template`: the primary marketplace and content language of the
``settings=`` row above it and the label row just above it (so that ``--map title="Item Name"`` names the
``item_name`` key's column); and when the next non-blank row is Amazon's example row (SKU ``ABC123``), that row
is taken into the header block: the header's index is the example row's, so the rows read start under it.

Text delimiters: tab (Amazon reports, flat-file .txt; no quote processing), comma or semicolon (RFC 4180
quoting). The delimiter whose split finds a header wins; on a tie, the one that recognises more columns,
then tab, comma, semicolon in this order.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .amazon_report import no_title_message, show_headers
from .flatfile import is_field_name_row, is_template_row, template_settings
from .marketplaces import marketplace_from_settings
from .plan import has_title, recognised
from .template_keys import EXAMPLE_SKU, Context, Template, is_example_row, is_key_row, settings_language

SEARCH_ROWS = 10
DELIMITERS: tuple[str, ...] = ("\t", ",", ";")
DELIMITER_NAMES = {"\t": "tab", ",": "comma", ";": "semicolon"}


@dataclass
class Header:
    """The header row found among candidate rows."""

    index: int  # index into the candidate rows
    cells: list[str]
    flat_file: bool
    score: int
    delimiter: str | None = None
    #: what a product-type template's key row brings (its settings, the label row above it); None otherwise
    template: Template | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """The label row above a template's key row (what ``--map`` may name too); empty otherwise."""
        return self.template.labels if self.template is not None else ()


def split_line(line: str, delimiter: str) -> list[str]:
    """One line split on ``delimiter``: tab without quote processing, comma/semicolon as CSV."""
    if delimiter == "\t":
        return line.split("\t")
    try:
        return next(csv.reader([line.rstrip("\r")], delimiter=delimiter, strict=False), [])
    except csv.Error:  # a line break inside an unquoted value: not a header row
        return line.split(delimiter)


def find_header(rows: list[list[str]], column_map: dict[str, str]) -> Header | None:
    """The header among ``rows`` (the first non-blank rows of a file or sheet), or None."""
    for i, cells in enumerate(rows[:SEARCH_ROWS]):
        if is_field_name_row(cells):
            header = _key_row_header(rows, i, column_map) if is_key_row(cells) else \
                Header(i, cells, True, recognised(cells, column_map))
            if has_title(header.cells, column_map, header.labels):
                return header
    for i, cells in enumerate(rows[:SEARCH_ROWS]):
        if has_title(cells, column_map):
            return Header(i, cells, False, recognised(cells, column_map))
    return None


def _key_row_header(rows: list[list[str]], i: int, column_map: dict[str, str]) -> Header:
    """The header at the attribute-key row ``rows[i]``: its cells with what the settings row above says and the
    label row just above it, and Amazon's example row under it taken into the header block."""
    settings = template_settings(rows[:i])
    example = i + 1 < len(rows) and is_example_row(rows[i], rows[i + 1])
    context = Context(marketplace_from_settings(settings)[1], settings_language(settings),
                      EXAMPLE_SKU if example else "")
    labels = tuple(rows[i - 1]) if i and not is_template_row(rows[i - 1]) else ()
    cells = rows[i]
    return Header(i + 1 if example else i, cells, True, recognised(cells, column_map, labels),
                  template=Template(context, labels))


def find_text_header(lines: list[str], column_map: dict[str, str], path: Path) -> Header:
    """The header among the first non-blank ``lines`` of a text file, with its delimiter.

    No header: an InputError that lists the headers seen (the first line, split on its likeliest
    delimiter) and says which are needed.
    """
    best: Header | None = None
    for delimiter in DELIMITERS:
        found = find_header([split_line(line, delimiter) for line in lines[:SEARCH_ROWS]], column_map)
        if found is None:
            continue
        found.delimiter = delimiter
        if best is None or (found.flat_file, found.score, -found.index) > (best.flat_file, best.score, -best.index):
            best = found
    if best is not None:
        return best
    first = lines[0] if lines else ""
    delimiter = max(DELIMITERS, key=first.count)
    headers = likely_header([split_line(line, delimiter) for line in lines[:SEARCH_ROWS]])
    raise InputError(missing_title_message(headers, column_map), path=path)


def likely_header(rows: list[list[str]]) -> list[str]:
    """The row to show when no header was found: a flat-file field-name row, else the first row."""
    for cells in rows:
        if is_field_name_row(cells):
            return cells
    return rows[0] if rows else []


def missing_title_message(headers: list[str], column_map: dict[str, str]) -> str:
    """Why no header row was found: the mapped title column is absent, or there is no title column."""
    if "title" in column_map:
        name = column_map["title"]
        return f"--map title={name}: there is no column {name!r}; headers seen: {show_headers(headers)}"
    return no_title_message(headers)
