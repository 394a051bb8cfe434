"""Which columns of a header row feed which canonical field: the reading plan of one file.

Built from the header-alias table (:mod:`.headers`) and the user's ``--map field=column``; a mapped
field always wins over the aliases. Columns are found by header name, never by position.

A product-type template's key row brings its settings (:class:`~.template_keys.Template`): where a field's keys
repeat per marketplace or language, the columns of another marketplace or language than the template's own
are left out (named in a note); Amazon's example row skipped under the key row is named in a note too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError, InputError
from .amazon_report import no_title_message, show_headers
from .headers import JOINED, PRODUCT_ID_HEADERS, PRODUCT_ID_TYPE_HEADERS, normalize, priority, report_name
from .schema import MAPPABLE_FIELDS
from .template_keys import Context, Template, other_locale_columns

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


def find_mapped(headers: list[str], name: str, labels: Sequence[str] = ()) -> int | None:
    """The column headed ``name``: an exact match first, then one that differs only in case/spacing; then, for
    a template key row, the column whose label (``labels``: the row above the keys) is ``name``, the same way."""
    for names in (headers, list(labels[: len(headers)])):
        stripped = [h.strip().lstrip("\ufeff") for h in names]
        if name.strip() in stripped:
            return stripped.index(name.strip())
        key = normalize(name)
        for i, header in enumerate(names):
            if normalize(header) == key:
                return i
    return None


def has_title(headers: list[str], column_map: dict[str, str], labels: Sequence[str] = ()) -> bool:
    """Whether this header row names a title column (through the map or an alias)."""
    if "title" in column_map:
        return find_mapped(headers, column_map["title"], labels) is not None
    return any((p := priority(h)) is not None and p[0] == "title" for h in headers)


def recognised(headers: list[str], column_map: dict[str, str], labels: Sequence[str] = ()) -> int:
    """How many headers of the row the plan would use (for choosing between candidate header rows)."""
    mapped = sum(find_mapped(headers, name, labels) is not None for name in column_map.values())
    return mapped + sum(priority(h) is not None for h in headers)


def build_plan(headers: list[str], column_map: dict[str, str], path: Path, template: Template | None = None) -> Plan:
    """The plan for ``headers`` (``template``: what a product-type template's key row brings, see
    :attr:`.layout.Header.template`); a missing mapped column or title column is an InputError."""
    context = template.context if template is not None else None
    labels = template.labels if template is not None else ()
    width = len(headers)
    while width and not headers[width - 1].strip():
        width -= 1
    headers = headers[:width]
    chosen: dict[str, list[tuple[int, int]]] = {}
    notes: list[str] = []
    for field_name, name in column_map.items():
        col = find_mapped(headers, name, labels)
        if col is None:
            raise InputError(
                f"--map {field_name}={name}: there is no column {name!r}; headers seen: {show_headers(headers)}",
                path=path,
            )
        chosen[field_name] = [(0, col)]
        if labels and find_mapped(headers, name) is None:
            notes.append(f"--map {field_name}={name}: the column labelled {name!r}, attribute key {headers[col].strip()!r}")
    seen: dict[str, int] = {}
    other_locale = _other_locale(headers, column_map, context, notes)
    for col, header in enumerate(headers):
        key = normalize(header)
        if col in other_locale:
            continue
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
    if context is not None and context.example_sku:
        notes.append(f"Amazon's example row (SKU {context.example_sku}) under the attribute-key row is not read: "
                     "the header row named here is that example row, the attribute keys are on the non-blank row "
                     "above it")
    return Plan(headers, width, title_column, sources, _asin_fallback(headers, column_map), notes)


def _other_locale(headers: list[str], column_map: dict[str, str], context: Context | None,
                  notes: list[str]) -> set[int]:
    """The template key columns of another marketplace or language than the template's (not read), and a note
    naming them (their text is not scanned)."""
    fields = {col: found[0] for col, header in enumerate(headers)
              if (found := priority(header)) is not None and found[0] not in column_map}
    skip, locale = other_locale_columns(headers, fields, context)
    if skip:
        shown = ", ".join(repr(headers[c].strip()) for c in skip[:3])
        more = f" and {len(skip) - 3} more" if len(skip) > 3 else ""
        notes.append(f"{NOT_SCANNED}{len(skip)} column(s) for another marketplace or language than the "
                     f"template's own ({locale}) are not read: {shown}{more}")
    return set(skip)


def _asin_fallback(headers: list[str], column_map: dict[str, str]) -> AsinFallback | None:
    if "asin" in column_map:
        return None
    names = [report_name(h) for h in headers]
    for id_name, type_name in zip(PRODUCT_ID_HEADERS, PRODUCT_ID_TYPE_HEADERS, strict=True):
        if id_name in names:
            type_col = names.index(type_name) if type_name in names else None
            return AsinFallback(names.index(id_name), type_col)
    return None
