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

from ..lazy import lazy_exports

# Loaded on first use (PEP 562), so that `scanner --help` does not load pandas.
_EXPORTS = {
    "read_notices": ".csvio",
    "write_table": ".csvio",
    "merge_duplicates": ".dedupe",
    "extract_notices": ".extract",
    "ImportResult": ".importer",
    "import_notices": ".importer",
    "parse_notice_file": ".importer",
    "DEFAULT_TYPES": ".types",
    "LABEL_COLUMNS": ".labels",
    "LabelResult": ".labels",
    "build_labels": ".labels",
    "make_labels": ".labels",
    "parse_types": ".labels",
    "INFRINGEMENT_TYPES": ".types",
    "ISSUE_COLUMNS": ".schema",
    "NOTICE_COLUMNS": ".schema",
    "WATCHLIST_COLUMNS": ".watchlist",
    "build_watchlist": ".watchlist",
    "complaints_without_mark": ".watchlist",
    "load_watchlist": ".watchlist",
    "TYPE_CHOICES": ".types",
}

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

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
