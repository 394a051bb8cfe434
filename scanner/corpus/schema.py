"""The marks table: the trademark CSV columns (``TRADEMARK_CSV_COLUMNS``, ``MARK_COLUMNS``), the statuses and
kinds a mark may have, and the in-memory :class:`Corpus` (that table plus what it was built from).

(Named ``schema`` like :mod:`scanner.listings.schema`; it was ``corpus/model.py`` until it was renamed so as not
to be taken for the risk model, :mod:`scanner.model`.)"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..jurisdictions import covers_where_sold
from ..numbers import ascii_digits

#: The trademark CSV format (fixed contract): only ``mark`` is required.
TRADEMARK_CSV_COLUMNS: tuple[str, ...] = (
    "mark",
    "owner",
    "nice_classes",  # ";"-separated integers 1..45
    "status",  # live | dead | pending
    "jurisdiction",  # US, EU, GB, JP, CN, WO, ...
    "serial_number",
    "registration_number",
    "kind",  # brand | product_line | franchise | character | team | word
    "source",
    "aliases",  # ";"-separated other written forms of the same mark (abbreviations, other scripts)
)

#: Extra columns importers may fill (kept in a compiled corpus; exported after the fixed columns).
EXTRA_COLUMNS: tuple[str, ...] = (
    "goods_services",
    "drawing_code",  # first digit of the USPTO mark drawing code
    "status_code",
    "filing_date",  # YYYYMMDD
    "registration_date",
    "transaction_date",
    # other offices (scanner/corpus/st66.py, inpi_br.py, kipo.py)
    "languages",  # ";"-separated ISO 639-1 codes: the filing (and second) language, or the texts' languages
    "goods_services_by_lang",  # JSON object {language: goods & services text} when the office gives several
    "designations",  # WIPO Madrid: ";"-separated countries (and EM) where the IR is in force
    "owner_ids",  # ";"-separated applicant identifiers (EUIPO / TMview), kept whether or not a name was joined
    "mark_feature",  # the office's kind of mark: Word, Figurative, 3D shape, Mista, ...
    "expiry_date",  # YYYYMMDD
)

MARK_COLUMNS: tuple[str, ...] = TRADEMARK_CSV_COLUMNS + EXTRA_COLUMNS

#: The goods and services texts: kept in a corpus (``corpus export``) but read by no stage of a scan, which
#: matches marks and fits goods by Nice class. A scan loads its corpus without them
#: (``load_corpus(..., skip=GOODS_TEXT_COLUMNS)``): they are most of a real register's bytes (USPTO
#: statements run to hundreds of characters a mark, ~450 MB a million marks).
GOODS_TEXT_COLUMNS: tuple[str, ...] = ("goods_services", "goods_services_by_lang")

STATUSES = ("live", "dead", "pending")
KINDS = ("brand", "product_line", "franchise", "character", "team", "word")

#: A scan's own column, never stored in a corpus: the kind the starter corpus gives the same mark on the same
#: goods, for the marks the corpus gives none (:mod:`scanner.corpus.known_kinds`). Read through :func:`mark_kinds`.
KNOWN_KIND = "known_kind"


@dataclass
class Corpus:
    """Marks (``MARK_COLUMNS``, all strings, RangeIndex = mark id) and metadata.

    ``info`` holds at least ``name``, ``content_hash``, ``sources`` and ``counts``; a compiled corpus adds
    ``build_date`` and ``format_version``. ``path`` is the compiled corpus folder (where the match index is
    cached) or ``None`` for a corpus read from a CSV.
    """

    marks: pd.DataFrame
    info: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def __len__(self) -> int:
        return len(self.marks)

    @property
    def content_hash(self) -> str:
        if "content_hash" not in self.info:
            self.info["content_hash"] = content_hash(self.marks)
        return self.info["content_hash"]


def content_hash(marks: pd.DataFrame) -> str:
    """A hash of the marks' content, independent of row order."""
    cols = [c for c in MARK_COLUMNS if c in marks.columns]
    return digest_row_hashes(cols, [row_hashes(marks, cols)])


def row_hashes(marks: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """One uint64 per row over ``cols`` (what :func:`content_hash` sorts and digests)."""
    return pd.util.hash_pandas_object(marks[cols], index=False).to_numpy()


def digest_row_hashes(cols: list[str], parts: list[np.ndarray]) -> str:
    """:func:`content_hash` from row hashes computed batch by batch (same result as on the whole table)."""
    rows = np.sort(np.concatenate(parts)) if parts else np.array([], dtype=np.uint64)
    digest = hashlib.sha256()
    digest.update(",".join(cols).encode())
    digest.update(rows.tobytes())
    return digest.hexdigest()[:16]


def parse_classes(value: str) -> frozenset[int]:
    """The ``nice_classes`` field of a mark (``"9;28"``) as a set of ints; junk is ignored."""
    out = set()
    for part in str(value).replace(",", ";").split(";"):
        part = part.strip()
        if ascii_digits(part) and 1 <= int(part) <= 45:
            out.add(int(part))
    return frozenset(out)


def mark_kinds(kinds: np.ndarray, known: np.ndarray | None) -> np.ndarray:
    """Each mark's kind: its own (``kinds``), else the scan's :data:`KNOWN_KIND` (``known``, same order)."""
    if known is None:
        return kinds
    return np.where(kinds == "", known, kinds)


def empty_marks() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=str) for c in MARK_COLUMNS})


def marks_where_sold(marks: pd.DataFrame, ids, markets: tuple[str, ...]) -> pd.Series:
    """Per record of ``ids`` (labels of ``marks``, in order): whether it counts where the seller sells
    (:func:`scanner.jurisdictions.covers_where_sold` over its jurisdiction, designations and registration or
    filing date). A nullable boolean Series on positions 0..len(ids)-1; ``pd.NA`` where it cannot be told."""

    def col(name: str) -> pd.Series:
        values = marks[name] if name in marks.columns else pd.Series("", index=marks.index)
        return values.reindex(ids).fillna("").astype(str).reset_index(drop=True)

    reg, filed = col("registration_date"), col("filing_date")
    return covers_where_sold(col("jurisdiction"), col("designations"), reg.where(reg != "", filed), markets)
