"""Scan history (SQLite), earlier decisions, ``is_new`` and ``scanner diff``.

Public entry points: :class:`HistoryStore`, :func:`default_history_dir`, :func:`read_decisions`,
:func:`import_decisions`, :func:`diff_scans`, :func:`update_authorized_brands`; the scan pipeline uses
:func:`scanner.history.apply.apply_history`.
"""

from __future__ import annotations

from ..lazy import lazy_exports

# Loaded on first use (PEP 562): `scanner history` reads the SQLite store without loading pandas.
_EXPORTS = {
    "DECISION_VALUES": ".decisions", "ReportDecisions": ".decisions", "read_decisions": ".decisions",
    "diff_scans": ".diff", "ImportSummary": ".importer", "import_decisions": ".importer",
    "toml_lines": ".profile_edit", "update_authorized_brands": ".profile_edit",
    "HistoryStore": ".store", "default_history_dir": ".store",
}

__all__ = ["DECISION_VALUES", "HistoryStore", "ImportSummary", "ReportDecisions", "default_history_dir",
           "diff_scans", "import_decisions", "read_decisions", "toml_lines", "update_authorized_brands"]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
