"""Scan history (SQLite), earlier decisions, ``is_new`` and ``scanner diff``.

Public entry points: :class:`HistoryStore`, :func:`default_history_dir`, :func:`read_decisions`,
:func:`import_decisions`, :func:`diff_scans`, :func:`update_authorized_brands`; the scan pipeline uses
:func:`scanner.history.apply.apply_history`.
"""

from __future__ import annotations

from .decisions import DECISION_VALUES, ReportDecisions, read_decisions
from .diff import diff_scans
from .importer import ImportSummary, import_decisions
from .profile_edit import toml_lines, update_authorized_brands
from .store import HistoryStore, default_history_dir

__all__ = ["DECISION_VALUES", "HistoryStore", "ImportSummary", "ReportDecisions", "default_history_dir",
           "diff_scans", "import_decisions", "read_decisions", "toml_lines", "update_authorized_brands"]
