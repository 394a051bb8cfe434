"""``Evidence.matches`` keeps only the match fields in ``EVIDENCE_FIELDS`` (memory at register scale): every
field the evidence, the suggested fix and the workbook read from a match record must be in that list."""

from __future__ import annotations

import re
from pathlib import Path

from scanner.match import MATCH_COLUMNS
from scanner.report.evidence import EVIDENCE_FIELDS

REPORT = Path(__file__).resolve().parents[1] / "scanner" / "report"
READERS = ("evidence.py", "fixes.py", "excel.py")
#: ``rec.get("x")``, ``m.get("x")``, ``_get(m, "x")``, ``m["x"]`` on a match record
PATTERN = re.compile(r"""\b(?:rec|m)\.get\(\s*["'](\w+)["']|_get\(\s*(?:rec|m)\s*,\s*["'](\w+)["']|\b(?:rec|m)\[["'](\w+)["']\]""")


def _fields_read() -> set[str]:
    found = set()
    for name in READERS:
        for groups in PATTERN.findall((REPORT / name).read_text(encoding="utf-8")):
            found.update(g for g in groups if g)
    return found


def test_the_readers_ask_only_for_kept_fields():
    read = _fields_read()
    assert {"start", "end", "matched_text", "owner"} <= read  # the pattern does find the readers' fields
    assert read <= set(EVIDENCE_FIELDS), f"add to EVIDENCE_FIELDS: {sorted(read - set(EVIDENCE_FIELDS))}"


def test_the_fix_key_fields_are_kept():
    from scanner.report import fixes

    assert fixes._FIX_FIELDS and set(fixes._FIX_FIELDS) <= set(EVIDENCE_FIELDS)


def test_kept_fields_are_match_columns():
    assert set(EVIDENCE_FIELDS) - {"fitment"} <= set(MATCH_COLUMNS)
