"""Which columns of a header row feed which canonical field: the reading plan of one file.

Built from the header-alias table (:mod:`.headers`) and the user's ``--map field=column``; a mapped
field always wins over the aliases. Columns are found by header name, never by position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError, InputError
from .amazon_report import no_title_message, show_headers
from .headers import JOINED, PRODUCT_ID_HEADERS, PRODUCT_ID_TYPE_HEADERS, normalize, priority, report_name
from .schema import MAPPABLE_FIELDS

#: The start of a note about text the scan leaves out: read_listings also prints it as a warning.
NOT_SCANNED = "not scanned: "
#: ... and of a note about text the scan may read wrong (also printed as a warning).
MISREAD = "may be misread: "


@dataclass(frozen=True)
class Source:
    """The columns that feed one canonical field: the first non-empty one, or all joined by ``join``."""

    field: str
    columns: tuple[int, ...]
    join: str | None = None


@dataclass(frozen=True)
class AsinFallback:
    """An ASIN from a product-id column when the asin column is absent or empty: used when the type
    column says ASIN (``1`` or ``ASIN``), or, without a type column, when the value looks like an ASIN."""

    id_column: int
    type_column: int | None


@dataclass
class Plan:
    """How to read the rows under one header row."""

    headers: list[str]
    width: int  # the number of columns (trailing empty header cells left out)
    title_column: int
    sources: list[Source]
    asin_fallback: AsinFallback | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[int]:
        """Every column index the plan reads, in order."""
        cols = {c for s in self.sources for c in s.columns}
        if self.asin_fallback:
            cols.add(self.asin_fallback.id_column)
            if self.asin_fallback.type_column is not None:
                cols.add(self.asin_fallback.type_column)
        return sorted(cols)

    def header(self, column: int) -> str:
        """The header of column ``column`` (``""`` beyond the header row)."""
        return self.headers[column].strip() if 0 <= column < len(self.headers) else ""


def check_column_map(column_map: dict[str, str] | None) -> dict[str, str]:
    """The column map with its fields checked (library callers do not go through the CLI's parser)."""
    column_map = dict(column_map or {})
    for key, value in column_map.items():
        if key not in MAPPABLE_FIELDS:
            raise ConfigError(f"column map: unknown field {key!r}; use one of {', '.join(MAPPABLE_FIELDS)}")
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"column map: field {key!r} needs a column header")
    return column_map


def find_mapped(headers: list[str], name: str) -> int | None:
    """The column headed ``name``: an exact match first, then one that differs only in case/spacing."""
    stripped = [h.strip().lstrip("\ufeff") for h in headers]
    if name.strip() in stripped:
        return stripped.index(name.strip())
    key = normalize(name)
    for i, header in enumerate(headers):
        if normalize(header) == key:
            return i
    return None


def has_title(headers: list[str], column_map: dict[str, str]) -> bool:
    """Whether this header row names a title column (through the map or an alias)."""
    if "title" in column_map:
        return find_mapped(headers, column_map["title"]) is not None
    return any((p := priority(h)) is not None and p[0] == "title" for h in headers)


def recognised(headers: list[str], column_map: dict[str, str]) -> int:
    """How many headers of the row the plan would use (for choosing between candidate header rows)."""
    mapped = sum(find_mapped(headers, name) is not None for name in column_map.values())
    return mapped + sum(priority(h) is not None for h in headers)


def build_plan(headers: list[str], column_map: dict[str, str], path: Path) -> Plan:
    """The plan for ``headers``; a missing mapped column or title column is an InputError."""
    width = len(headers)
    while width and not headers[width - 1].strip():
        width -= 1
    headers = headers[:width]
    chosen: dict[str, list[tuple[int, int]]] = {}
    notes: list[str] = []
    for field_name, name in column_map.items():
        col = find_mapped(headers, name)
        if col is None:
            raise InputError(
                f"--map {field_name}={name}: there is no column {name!r}; headers seen: {show_headers(headers)}",
                path=path,
            )
        chosen[field_name] = [(0, col)]
    seen: dict[str, int] = {}
    for col, header in enumerate(headers):
        key = normalize(header)
        if key and key in seen:
            lost = NOT_SCANNED if priority(header) else ""  # a column of the listing's fields: its text is lost
            notes.append(f"{lost}column {header.strip()!r} appears twice: column {seen[key] + 1} is read, "
                         f"column {col + 1} is not (rename one of them, or choose with --map)")
            continue
        seen[key] = col
        found = priority(header)
        if found and found[0] not in column_map:
            chosen.setdefault(found[0], []).append((found[1], col))
    if "title" not in chosen:
        raise InputError(no_title_message(headers), path=path)
    sources = []
    for field_name, ranked in chosen.items():
        cols = tuple(col for _, col in sorted(ranked))
        if field_name == "title":
            cols = cols[:1]
        join = JOINED.get(field_name) if field_name not in column_map else None
        sources.append(Source(field_name, cols, join))
    title_column = next(s.columns[0] for s in sources if s.field == "title")
    return Plan(headers, width, title_column, sources, _asin_fallback(headers, column_map), notes)


def _asin_fallback(headers: list[str], column_map: dict[str, str]) -> AsinFallback | None:
    if "asin" in column_map:
        return None
    names = [report_name(h) for h in headers]
    for id_name, type_name in zip(PRODUCT_ID_HEADERS, PRODUCT_ID_TYPE_HEADERS, strict=True):
        if id_name in names:
            type_col = names.index(type_name) if type_name in names else None
            return AsinFallback(names.index(id_name), type_col)
    return None
