"""Reports: the Excel workbook for people, CSV / JSON lines for machines.

(Walking skeleton: plain sheets. The report issue makes the full workbook.)
"""

from __future__ import annotations

from .excel import write_excel
from .machine import write_csv, write_jsonl

__all__ = ["write_excel", "write_csv", "write_jsonl"]
