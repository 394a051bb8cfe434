"""What a corpus holds, counted: marks per Nice class (all 45), jurisdiction, status, kind and source.

``scanner corpus info`` prints it. A compiled corpus is read column by column in batches (only the few
columns counted), so the counts of a full-register corpus cost seconds, not the whole table in memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import pandas as pd

#: The columns the breakdown reads.
COLUMNS = ("nice_classes", "jurisdiction", "status", "kind", "source", "aliases")
NICE_CLASSES = tuple(range(1, 46))


def _counts(values: pd.Series) -> Counter:
    return Counter(values.replace("", "(none)").value_counts().to_dict())


def breakdown(batches: Iterable[pd.DataFrame]) -> dict[str, Any]:
    """Counts over ``batches`` of marks (DataFrames with some of :data:`COLUMNS`; missing ones count as
    empty). A mark with several classes counts once in each; ``nice_classes["none"]`` counts the marks
    without a class."""
    classes: Counter = Counter()
    no_class = 0
    per: dict[str, Counter] = {c: Counter() for c in ("jurisdiction", "status", "kind", "source")}
    marks = with_aliases = n_aliases = 0
    for batch in batches:
        n = len(batch)
        if not n:
            continue
        marks += n

        def col(name: str, batch: pd.DataFrame = batch, n: int = n) -> pd.Series:
            if name not in batch.columns:
                return pd.Series([""] * n, dtype=object)
            return batch[name].fillna("").astype(str).str.strip()

        nice = col("nice_classes")
        no_class += int((nice == "").sum())
        parts = nice[nice != ""].str.split(";").explode().str.strip()
        parts = parts[parts.str.fullmatch("[0-9]+")].astype(int)  # ASCII digits: "²" is a digit to str.isdigit
        classes.update(parts.value_counts().to_dict())
        for name, counter in per.items():
            values = col(name)
            counter.update(_counts(values.str.upper() if name == "jurisdiction" else values.str.lower()
                                   if name in ("status", "kind") else values))
        aliases = col("aliases")
        has = aliases != ""
        with_aliases += int(has.sum())
        n_aliases += int(aliases[has].str.split(";").str.len().sum()) if has.any() else 0
    return {
        "marks": marks,
        "nice_classes": {**{str(c): int(classes.get(c, 0)) for c in NICE_CLASSES}, "none": no_class},
        **{name: dict(sorted(((k, int(v)) for k, v in counter.items()), key=lambda kv: (-kv[1], kv[0])))
           for name, counter in per.items()},
        "aliases": {"marks_with_aliases": with_aliases, "aliases": n_aliases},
    }


def format_breakdown(data: dict[str, Any], *, max_sources: int = 30) -> list[str]:
    """The breakdown as text lines (the Nice classes as a 45-cell grid, then the other counts)."""
    lines = ["marks per Nice class (a mark counts once in each of its classes):"]
    classes = data["nice_classes"]
    cells = [f"{c:>2}: {classes[str(c)]:>7,}" for c in NICE_CLASSES]
    for i in range(0, len(cells), 5):
        lines.append("  " + "   ".join(cells[i : i + 5]))
    lines.append(f"  no class: {classes['none']:,}")
    for name, title in (("jurisdiction", "per jurisdiction"), ("status", "per status"), ("kind", "per kind"),
                        ("source", "per source")):
        counts = data[name]
        shown = list(counts.items())[: max_sources if name == "source" else None]
        lines.append(f"{title}: " + ", ".join(f"{k} {v:,}" for k, v in shown)
                     + (f", ... {len(counts) - len(shown)} more" if len(shown) < len(counts) else ""))
    al = data["aliases"]
    lines.append(f"aliases: {al['aliases']:,} on {al['marks_with_aliases']:,} marks")
    return lines
