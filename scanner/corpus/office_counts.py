"""Counts of a compiled corpus's marks per office (jurisdiction) and status, for ``scanner corpus info``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .schema import STATUSES
from .store import iter_compiled

#: Offices by jurisdiction code (what ``corpus info`` prints beside the code).
OFFICES = {"US": "USPTO", "EU": "EUIPO", "GB": "UKIPO", "WO": "WIPO Madrid", "BR": "INPI Brazil",
           "KR": "KIPO", "JP": "JPO", "CA": "CIPO", "AU": "IP Australia", "MX": "IMPI", "RU": "Rospatent",
           "CN": "CNIPA"}


def count_by_office(pairs: Any) -> dict[str, dict[str, int]]:
    """``{(jurisdiction, status): n}`` -> ``{jurisdiction: {live, pending, dead, unknown, total}}``, sorted by
    jurisdiction ("" = ``unknown``)."""
    out: dict[str, dict[str, int]] = {}
    for (jurisdiction, status), n in pairs.items():
        row = out.setdefault(jurisdiction or "unknown", {s: 0 for s in (*STATUSES, "unknown", "total")})
        row[status if status in STATUSES else "unknown"] += n
        row["total"] += n
    return dict(sorted(out.items()))


def office_counts(folder: str | Path, batch_size: int = 200_000) -> dict[str, dict[str, int]]:
    """Marks of a compiled corpus folder per jurisdiction and status (reads two columns, batch by batch)."""
    pairs: dict[tuple[str, str], int] = {}
    for batch in iter_compiled(folder, batch_size, columns=["jurisdiction", "status"]):
        grouped = batch.to_pandas().value_counts(["jurisdiction", "status"])
        for key, n in grouped.items():
            pairs[key] = pairs.get(key, 0) + int(n)
    return count_by_office(pairs)


def format_office_counts(counts: dict[str, dict[str, int]] | None) -> list[str]:
    """Lines for ``corpus info``: one per office (nothing when the corpus holds one office only)."""
    if not counts or len(counts) < 2:
        return []
    lines = ["offices"]
    for jurisdiction, row in counts.items():
        name = OFFICES.get(jurisdiction, "")
        label = f"{jurisdiction} ({name})" if name else jurisdiction
        lines.append(f"  {label:<20} {row['total']:>10,}  live {row['live']:,}, pending {row['pending']:,}, "
                     f"dead {row['dead']:,}, unknown {row['unknown']:,}")
    return lines
