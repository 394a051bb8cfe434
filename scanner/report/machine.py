"""results.csv and results.jsonl (columns: ``scanner.results.RESULT_COLUMNS``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ScannerError
from ..results import RESULT_COLUMNS

if TYPE_CHECKING:
    from ..pipeline import ScanResult


def _open(path: str | Path):
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise ScannerError(f"cannot write: {exc.strerror}", path=path) from None


def write_csv(result: ScanResult, path: str | Path) -> None:
    """One row per listing read, UTF-8, RFC 4180 quoting."""
    with _open(path) as fh:
        result.results[list(RESULT_COLUMNS)].to_csv(fh, index=False, lineterminator="\n")


def write_jsonl(result: ScanResult, path: str | Path) -> None:
    """One JSON object per listing read, one per line."""
    with _open(path) as fh:
        for rec in result.results[list(RESULT_COLUMNS)].to_dict(orient="records"):
            rec["risk_score"] = float(rec["risk_score"])
            rec["source_row"] = int(rec["source_row"])
            rec["is_new"] = bool(rec["is_new"])
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
