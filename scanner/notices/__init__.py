"""Amazon IP complaint notices -> complaint table, training labels and a per-seller watch list.

Public API::

    from scanner.notices import import_notices, build_labels, make_labels, build_watchlist, load_watchlist
    imported = import_notices(["notices/"])          # .txt, .eml, .html files and folders
    imported.notices                                  # NOTICE_COLUMNS, one row per ASIN and complaint
    labels = make_labels("notices.csv", ["All+Listings+Report.txt"]).labels   # sku,label,...
    watch = build_watchlist(imported.notices)         # trademark CSV columns + complaints, dates, asins

Modules: ``decode`` (charsets), ``html_text`` (HTML to lines), ``parse_text`` (clean-up, forwarded
headers), ``parse_email`` (MIME), ``dates``, ``fields`` (label vocabulary), ``extract`` (complaints in
a text), ``importer`` (files and folders), ``dedupe``, ``labels``, ``watchlist``, ``csvio``.
"""

from __future__ import annotations

from .csvio import read_notices, write_table
from .dedupe import merge_duplicates
from .extract import extract_notices
from .importer import ImportResult, import_notices, parse_notice_file
from .labels import DEFAULT_TYPES, LABEL_COLUMNS, LabelResult, build_labels, make_labels, parse_types
from .schema import INFRINGEMENT_TYPES, ISSUE_COLUMNS, NOTICE_COLUMNS
from .watchlist import WATCHLIST_COLUMNS, build_watchlist, complaints_without_mark, load_watchlist

__all__ = [
    "DEFAULT_TYPES",
    "INFRINGEMENT_TYPES",
    "ISSUE_COLUMNS",
    "LABEL_COLUMNS",
    "NOTICE_COLUMNS",
    "WATCHLIST_COLUMNS",
    "ImportResult",
    "LabelResult",
    "build_labels",
    "build_watchlist",
    "complaints_without_mark",
    "extract_notices",
    "import_notices",
    "load_watchlist",
    "make_labels",
    "merge_duplicates",
    "parse_notice_file",
    "parse_types",
    "read_notices",
    "write_table",
]
