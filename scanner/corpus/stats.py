"""Counts and row-level reports kept while importing trademark sources."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

#: How many row-level problems are kept verbatim (all are counted).
MAX_ISSUES = 200


@dataclass
class ImportStats:
    """What an importer read: records read, records yielded, records skipped by reason, and the first
    :data:`MAX_ISSUES` problems (file, row, column, reason) so that nothing is dropped silently."""

    read: int = 0
    yielded: int = 0
    skipped: Counter = field(default_factory=Counter)
    issues: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    flags: Counter = field(default_factory=Counter)  # kept records with something worth knowing
    bytes_read: int = 0

    def skip(self, reason: str, *, path: str = "", row: int | None = None, column: str | None = None,
             detail: str = "") -> None:
        """Count one skipped record and keep its report while fewer than MAX_ISSUES are kept."""
        self.skipped[reason] += 1
        if len(self.issues) < MAX_ISSUES:
            self.issues.append({"file": path, "row": row, "column": column, "reason": reason,
                                "detail": " ".join(detail.split())[:300]})

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def merge(self, other: ImportStats) -> None:
        self.read += other.read
        self.yielded += other.yielded
        self.skipped.update(other.skipped)
        self.flags.update(other.flags)
        room = MAX_ISSUES - len(self.issues)
        if room > 0:
            self.issues.extend(other.issues[:room])
        for n in other.notes:
            self.note(n)
        self.bytes_read += other.bytes_read

    def as_dict(self) -> dict[str, Any]:
        return {"read": self.read, "yielded": self.yielded, "skipped": dict(self.skipped),
                "flags": dict(self.flags), "issues": list(self.issues), "notes": list(self.notes), "bytes_read": self.bytes_read}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportStats:
        return cls(read=data["read"], yielded=data["yielded"], skipped=Counter(data["skipped"]),
                   flags=Counter(data.get("flags", {})),
                   issues=list(data["issues"]), notes=list(data["notes"]), bytes_read=data["bytes_read"])


def format_issue(issue: dict[str, Any]) -> str:
    """One line: ``file, row 12, column 'status': bad status 'alive'``."""
    where = [issue["file"]] if issue.get("file") else []
    if issue.get("row") is not None:
        where.append(f"row {issue['row']}")
    if issue.get("column"):
        where.append(f"column {issue['column']!r}")
    text = issue["reason"] + (f": {issue['detail']}" if issue.get("detail") else "")
    return f"{', '.join(where)}: {text}" if where else text
