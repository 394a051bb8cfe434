"""Labelled listings for training and evaluation (the **fixed** labels contract).

A labels file is a CSV with at least the columns ``sku`` and ``label``; ``label`` is ``0/1/2`` or
``low/medium/high`` (any case). Other columns (``usage``, ``marks``, ``note``, ...) are ignored. The meaning
of the levels is the labelling rubric (``docs/model.md``):

* ``2`` / ``high``: a third-party mark identifies the product (declared brand, brand or product line in the
  title, merchandise) or sits next to a counterfeit cue;
* ``1`` / ``medium``: a third-party mark appears only as a compatibility reference ("for iPad 2");
* ``0`` / ``low``: no third-party mark is used (own brands only, ordinary words, model numbers).

:func:`read_labels` parses one file; :func:`join_labels` lines labels up with a listings table by SKU and
counts what did not join (reported, never silently dropped; fatal only when nothing joins).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import InputError, read_bytes
from .levels import LEVELS

#: Label value -> level number. Keys are compared after ``strip().lower()``.
LABEL_VALUES: dict[str, int] = {"0": 0, "1": 1, "2": 2, "low": 0, "medium": 1, "high": 2}
#: Level number -> name.
LEVEL_NAMES: tuple[str, ...] = LEVELS
#: What each level means (stored in model metadata).
LABEL_MEANING: dict[str, str] = {
    "0": "low: no third-party mark is used (own/authorized brands only, ordinary words, model numbers)",
    "1": "medium: a third-party mark only as a compatibility reference ('for iPad 2'): nominative use, review",
    "2": "high: a third-party mark identifies the product (brand, product line, merchandise) or a "
    "counterfeit cue next to a brand",
}


@dataclass
class LabelSet:
    """The labels read from one file: ``frame`` has ``sku`` (str), ``label`` (int 0..2), ``source_row``."""

    frame: pd.DataFrame
    path: str
    sha256: str
    duplicates: int = 0  # rows repeating an earlier SKU with the same label (kept once)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def counts(self) -> dict[str, int]:
        vc = self.frame["label"].value_counts()
        return {LEVEL_NAMES[i]: int(vc.get(i, 0)) for i in range(3)}


@dataclass
class LabelJoin:
    """Labels lined up with listings. ``y`` is indexed like the labelled listings (a subset of the index)."""

    y: pd.Series
    n_labels: int
    n_listings: int
    labels_without_listing: list[str] = field(default_factory=list)
    listings_without_label: list[str] = field(default_factory=list)
    #: labelled SKUs found on more than one listing row (the same export given twice, overlapping exports):
    #: each row counts, so the figures weigh them more
    labels_on_several_listings: list[str] = field(default_factory=list)

    @property
    def n_joined(self) -> int:
        return len(self.y)

    def summary(self) -> str:
        """One line: how many labels and listings joined, and what was left over."""
        text = f"{self.n_joined} labelled listings ({self.n_labels} labels, {self.n_listings} listings)"
        extra = []
        if self.labels_without_listing:
            extra.append(
                f"{len(self.labels_without_listing)} labelled SKU(s) not in the listings "
                f"(e.g. {', '.join(self.labels_without_listing[:3])})"
            )
        if self.listings_without_label:
            extra.append(
                f"{len(self.listings_without_label)} listing(s) without a label "
                f"(e.g. {', '.join(self.listings_without_label[:3])})"
            )
        if self.labels_on_several_listings:
            extra.append(
                f"{len(self.labels_on_several_listings)} labelled SKU(s) on more than one listing row, each row "
                f"counted (e.g. {', '.join(self.labels_on_several_listings[:3])}: overlapping exports?)"
            )
        return text + ("; " + "; ".join(extra) if extra else "")


def parse_label(value: str) -> int | None:
    """``"High"`` -> 2, ``" 0 "`` -> 0; ``None`` for anything else."""
    return LABEL_VALUES.get(str(value).strip().lower())


def read_labels(path: str | Path) -> LabelSet:
    """Read a labels CSV (UTF-8, with or without BOM). Bad input raises a one-line :class:`InputError`."""
    path = Path(path)
    raw = read_bytes(path, what="labels file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError("labels file is not UTF-8 text", path=path, row=line) from None
    if not text.strip():
        raise InputError("labels file is empty", path=path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as exc:
        raise InputError(f"not a CSV file: {exc}", path=path, row=1) from None
    names = [h.strip().lower() for h in header]
    cols = {}
    for wanted in ("sku", "label"):
        if wanted not in names:
            found = ", ".join(h.strip() for h in header[:10]) or "nothing"
            raise InputError(f"no {wanted!r} column (found {found})", path=path, row=1)
        cols[wanted] = names.index(wanted)
    seen: dict[str, tuple[int, int]] = {}
    rows: list[tuple[str, int, int]] = []
    duplicates = 0
    try:
        for record in reader:
            row = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) <= max(cols.values()):
                raise InputError(
                    f"expected at least {max(cols.values()) + 1} fields, found {len(record)}", path=path, row=row
                )
            sku = record[cols["sku"]].strip()
            if not sku:
                raise InputError("empty SKU", path=path, row=row, column=header[cols["sku"]].strip())
            raw_label = record[cols["label"]]
            label = parse_label(raw_label)
            if label is None:
                raise InputError(
                    f"bad label {raw_label.strip()!r}: use 0/1/2 or low/medium/high",
                    path=path,
                    row=row,
                    column=header[cols["label"]].strip(),
                )
            if sku in seen:
                first_label, first_row = seen[sku]
                if first_label != label:
                    raise InputError(
                        f"SKU {sku!r} is labelled {LEVEL_NAMES[first_label]} on row {first_row} and "
                        f"{LEVEL_NAMES[label]} here",
                        path=path,
                        row=row,
                        column=header[cols["label"]].strip(),
                    )
                duplicates += 1
                continue
            seen[sku] = (label, row)
            rows.append((sku, label, row))
    except csv.Error as exc:
        raise InputError(f"not a valid CSV: {exc}", path=path, row=reader.line_num) from None
    if not rows:
        raise InputError("labels file has a header but no labels", path=path)
    frame = pd.DataFrame(rows, columns=["sku", "label", "source_row"]).astype(
        {"sku": str, "label": "int64", "source_row": "int64"}
    )
    return LabelSet(frame=frame, path=str(path), sha256=hashlib.sha256(raw).hexdigest(), duplicates=duplicates)


def join_labels(listings: pd.DataFrame, labels: LabelSet) -> LabelJoin:
    """Line labels up with listings by SKU (whitespace-trimmed, case-sensitive).

    Listings whose SKU has no label and labels whose SKU is not among the listings are counted and listed in
    the result; it is an :class:`InputError` only when no listing has a label.
    """
    skus = listings["sku"].astype(str).str.strip()
    by_sku = labels.frame.set_index("sku")["label"]
    mapped = skus.map(by_sku)
    has = mapped.notna()
    y = mapped[has].astype("int64")
    listed = set(skus)
    missing_listing = [s for s in labels.frame["sku"] if s not in listed]
    unlabelled = list(dict.fromkeys(skus[~has]))
    labelled = skus[has]
    repeated = list(dict.fromkeys(labelled[labelled.duplicated()]))
    if y.empty:
        raise InputError(
            f"no SKU in the labels file matches a listing ({len(labels)} labels, e.g. "
            f"{', '.join(labels.frame['sku'].head(3))}; {len(listings)} listings, e.g. "
            f"{', '.join(skus.head(3)) or 'none'})",
            path=labels.path,
        )
    return LabelJoin(
        y=y,
        n_labels=len(labels),
        n_listings=len(listings),
        labels_without_listing=missing_listing,
        listings_without_label=unlabelled,
        labels_on_several_listings=repeated,
    )
