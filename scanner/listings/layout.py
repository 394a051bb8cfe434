"""Where the header row is, and (for text) which delimiter the file uses.

The header row is the flat-file field-name row when one of the first :data:`SEARCH_ROWS` non-blank rows
is one (so a localized label row above it is never taken for the header); otherwise the first of them
that names a title column (through ``--map title=...`` or an alias). Rows above the header are preamble
(the TemplateType row, the label row, a title line), never listings.

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
from .flatfile import is_field_name_row
from .plan import has_title, recognised

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
        if is_field_name_row(cells) and has_title(cells, column_map):
            return Header(i, cells, True, recognised(cells, column_map))
    for i, cells in enumerate(rows[:SEARCH_ROWS]):
        if has_title(cells, column_map):
            return Header(i, cells, False, recognised(cells, column_map))
    return None


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
