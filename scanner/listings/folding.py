"""Read the rows of a marketplace/shop-platform export (:mod:`.platforms`) into one listing per product.

:class:`PlatformCollector` takes records the way :class:`.validate.Collector` does (the CSV parser and
the worksheet reader feed either), applies the same row rules (blank rows skipped, wrong field counts and
undecodable bytes rejected with file, row and column), then folds the rows of one product into one
listing:

* ``group``: a row repeating the product key of an earlier listing (Shopify ``Handle``, Mercado Libre
  ``ITEM_ID``, Coupang ``등록상품ID``, Rakuten ``商品管理番号``, eBay ``Item number`` ...) is a variant or
  image row of that listing;
* ``continuation``: a row with no title and no product key but a SKU-level id follows its product
  (Rakuten SKU rows, Mercado Libre variation rows);
* ``parent``: a WooCommerce ``variation`` row names its parent (``id:65`` or the parent's SKU).

Folded rows are counted (``rows_folded``, and per platform in the notes), never dropped silently; rows
read = listings + rejected, and rows in the file = rows read + rows folded. The option values of a
product's rows (``variants`` in the table: Shopify ``Option1 Value`` ..., eBay ``Variation details`` ...)
become its ``bullets``, one distinct value per line, so a mark named only in a variant is still scanned.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from ..errors import InputError
from .amazon_report import show_headers
from .decode import MARKER, show_markers
from .platforms import BRAND_ATTRIBUTE_NAMES, Platform, key
from .schema import CANONICAL_COLUMNS, REJECTED_COLUMNS, empty_rejected, printable

_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_BLOCK = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6]|/tr|/blockquote|p|div|li|h[1-6]|tr)\b[^>]*>", re.IGNORECASE)
_DROP = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"[ \t\u00a0]+")
#: Option values that only say "no variants" (Shopify's single-variant placeholder).
_NOT_VARIANTS = frozenset({"default title"})


#: A character reference with its semicolon (``&nbsp;``, ``&#8482;``, ``&#x2122;``).
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def html_to_text(text: str) -> str:
    """Text of an HTML fragment: tags dropped (block tags become line breaks), entities decoded.

    Text without tags keeps its characters (``a < b``, ``P&G`` stay) but its character references with a
    semicolon are decoded (``Tommy&nbsp;Hilfiger`` -> ``Tommy Hilfiger``, ``Dolce &amp; Gabbana``): an
    exporter may escape a description that holds no tag.
    """
    if not _TAG.search(text):
        if "&" not in text:
            return text
        return _ENTITY.sub(lambda m: html.unescape(m.group(0)).replace("\u00a0", " "), text)
    text = _DROP.sub(" ", text)
    text = _BLOCK.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "").split("\n"))
    return "\n".join(line for line in lines if line)


class _Layout:
    """The column indices of one platform's fields in one header row."""

    def __init__(self, platform: Platform, headers: list[str]) -> None:
        keys = [key(h) for h in headers]
        first: dict[str, int] = {}
        for i, k in enumerate(keys):
            first.setdefault(k, i)

        def cols(names: tuple[str, ...]) -> list[int]:
            out = []
            for name in names:
                col = first.get(key(name))
                if col is not None and col not in out:
                    out.append(col)
            return out

        self.fields = {f: cols(names) for f, names in platform.fields.items()}
        self.fields = {f: c for f, c in self.fields.items() if c}
        self.listing_id = cols(platform.listing_id)
        self.group = cols(platform.group)
        self.parent = cols(platform.parent)
        self.row_type = cols(platform.row_type)
        self.continuation = cols(platform.continuation)
        self.attributes: list[tuple[int, int]] = []
        for name_rx, value_rx in platform.attributes:
            names = {m.group(1): i for i, k in enumerate(keys) if (m := re.fullmatch(name_rx, k))}
            values = {m.group(1): i for i, k in enumerate(keys) if (m := re.fullmatch(value_rx, k))}
            self.attributes += [(names[n], values[n]) for n in sorted(names, key=int) if n in values]
        self.variants = cols(platform.variants)
        self.title = self.fields.get("title", [])


class PlatformCollector:
    """Rows of one platform export under one header row -> listings, folded rows and rejected rows."""

    def __init__(self, path: str, platform: Platform, headers: list[str], *, delimiter: str = ",",
                 fixed_width: bool = True) -> None:
        width = len(headers)
        while width and not headers[width - 1].strip():
            width -= 1
        self.path = printable(path)  # source_file and the rejected rows' file: text every output can hold
        self.platform = platform
        self.headers = headers[:width]
        self.width = width
        self.delimiter = delimiter
        self.fixed_width = fixed_width
        self.layout = _Layout(platform, self.headers)
        if not self.layout.title:
            raise InputError(
                f"{platform.label} without its title column: none of "
                f"{', '.join(platform.fields['title'])} among the headers seen ({show_headers(self.headers)}); "
                "name the title column with --map title=COLUMN", path=path)
        self.records = 0
        self.blank = 0
        self.help_rows = 0
        self.repeated_headers = 0
        self.trailing_empty = 0
        self.beyond_header = 0
        self._hints_left = platform.hint_rows
        self._started = platform.data_id is None
        self._rows: list[tuple[int, list[str], str]] = []
        self._held: list[tuple[int, list[str], str]] = []
        self.rejected: list[tuple[str, int, str, str, str]] = []
        self._listings: list[dict[str, str | int]] | None = None
        self.folded = 0
        self._notes: list[str] = []

    # -- input (the interface of validate.Collector) ---------------------------------------------------
    def add_lines(self, lines: list[str], first_line: int, bad: dict[int, str] | None = None) -> None:
        bad = bad or {}
        for index, line in enumerate(lines):
            self.add_record(line.split(self.delimiter), first_line + index, line, bad.get(index))

    def add_blank(self, n: int) -> None:
        """``n`` blank records, counted as :meth:`add_record` counts one (a worksheet's missing rows)."""
        self.records += n
        self.blank += n

    def add_record(self, cells: list[str], row: int, raw: str, bad: str | None = None) -> None:
        self.records += 1
        if not any(c.strip() for c in cells):
            self.blank += 1
            return
        if bad:
            column = next((self._header(i) or f"field {i + 1}" for i, c in enumerate(cells) if MARKER.search(c)), "")
            self.reject(row, column, bad, raw)
            return
        if len(cells) != self.width:
            if len(cells) > self.width and not any(c.strip() for c in cells[self.width:]):
                if self.fixed_width:
                    self.trailing_empty += 1
                cells = cells[: self.width]
            elif not self.fixed_width:
                if len(cells) > self.width:
                    self.beyond_header += 1
                cells = (cells + [""] * self.width)[: self.width]
            else:
                name = {"\t": "tab", ",": "comma", ";": "semicolon"}.get(self.delimiter, repr(self.delimiter))
                hint = "a value may hold a line break" if len(cells) < self.width else "a value may hold a " + name
                self.reject(row, "", f"expected {self.width} {name}-separated fields, found {len(cells)} ({hint})", raw)
                return
        title_col = self.layout.title[0]
        if cells[title_col].strip() == self.headers[title_col].strip() and cells[0].strip() == self.headers[0].strip():
            self.repeated_headers += 1  # the header row again (a CSV save of a sheet may repeat it)
            self.records -= 1
            return
        if self._hints_left:
            self._hints_left -= 1
            self.help_rows += 1
            self.records -= 1
            return
        if not self._started:
            ids = self.layout.listing_id
            if ids and self.platform.data_id.match(cells[ids[0]].strip().lstrip("'")):
                self._started = True
                self.help_rows += len(self._held)
                self.records -= len(self._held)
                self._held = []
            else:  # a label/help row, unless no row ever looks like data (then they are all rows)
                self._held.append((row, cells, raw))
                return
        self._rows.append((row, cells, raw))

    def reject(self, row: int, column: str, reason: str, raw: str) -> None:
        self.rejected.append((self.path, row, column, reason, show_markers(raw.rstrip("\r"))))

    def reject_record(self, row: int, column: str, reason: str, raw: str) -> None:
        self.records += 1
        self.reject(row, column, reason, raw)

    def _header(self, col: int) -> str:
        return self.headers[col].strip() if 0 <= col < len(self.headers) else ""

    # -- folding ---------------------------------------------------------------------------------------
    def _value(self, field_name: str, cells: list[str], cols: list[int]) -> str:
        if len(cols) == 1:
            return self._clean(field_name, cells[cols[0]])
        values = [self._clean(field_name, cells[c]) for c in cols]
        sep = self.platform.joined.get(field_name)
        if sep is not None:
            seen: list[str] = []
            for v in values:
                if v and v not in seen:
                    seen.append(v)
            return sep.join(seen)
        return next((v for v in values if v), "")

    def _clean(self, field_name: str, value: str) -> str:
        value = value.strip()
        if value[:1] == "'" and field_name in self.platform.apostrophe:
            value = value[1:].strip()
        if ("<" in value or "&" in value) and field_name in self.platform.html:
            value = html_to_text(value)
        return value

    def _values(self, cells: list[str]) -> dict[str, str]:
        lay = self.layout
        vals = {f: self._value(f, cells, cols) for f, cols in lay.fields.items()}
        vals["listing_id"] = self._value("listing_id", cells, lay.listing_id)
        if lay.listing_id and vals["listing_id"].startswith("'"):
            vals["listing_id"] = vals["listing_id"][1:]
        if not vals.get("brand"):
            for name_col, value_col in lay.attributes:
                if key(cells[name_col]) in BRAND_ATTRIBUTE_NAMES and cells[value_col].strip():
                    vals["brand"] = cells[value_col].strip()
                    break
        return vals

    def _fold(self) -> None:
        lay, platform = self.layout, self.platform
        if self._held:  # no row ever looked like data: the held rows are rows after all
            self._rows = self._held + self._rows
            self._held = []
            self._notes.append(f"no {self._header(lay.listing_id[0])} looks like a {platform.label} id: "
                               "every row under the header is read")
        listings: list[dict] = []
        by_group: dict[str, dict] = {}
        refs: dict[str, dict] = {}
        pending: list[tuple[int, list[str], str, dict[str, str]]] = []
        folds: dict[str, int] = {}
        for row, cells, raw in self._rows:
            group = cells[lay.group[0]].strip().lstrip("'") if lay.group else ""
            title = self._value("title", cells, lay.title)
            if group and group in by_group:
                self._fold_into(by_group[group], cells)
                folds[platform.group[0]] = folds.get(platform.group[0], 0) + 1
                continue
            if (not title and not group and lay.continuation and listings
                    and any(cells[c].strip() for c in lay.continuation)):
                self._fold_into(listings[-1], cells)
                folds["continuation"] = folds.get("continuation", 0) + 1
                continue
            vals = self._values(cells)
            if lay.row_type and lay.parent and "variation" in cells[lay.row_type[0]].casefold() \
                    and cells[lay.parent[0]].strip():
                pending.append((row, cells, raw, vals))
                continue
            if not title:
                self.reject(row, self._header(lay.title[0]), "empty title", raw)
                continue
            rec = self._listing(row, vals)
            self._add_variants(rec, cells)
            listings.append(rec)
            if group:
                by_group[group] = rec
            if vals.get("listing_id"):
                refs.setdefault(f"id:{vals['listing_id']}", rec)
            if vals.get("sku"):
                refs.setdefault(vals["sku"], rec)
        orphans = 0
        for row, cells, raw, vals in pending:
            ref = cells[lay.parent[0]].strip()
            parent = refs.get(ref) or refs.get(ref.replace(" ", ""))
            if parent is not None:
                self._fold_into(parent, cells)
                folds["parent"] = folds.get("parent", 0) + 1
            elif not vals.get("title"):
                self.reject(row, self._header(lay.parent[0]), f"variation of {ref!r}, which is not in this file, "
                            "has no title", raw)
            else:
                orphans += 1
                rec = self._listing(row, vals)
                self._add_variants(rec, cells)
                listings.append(rec)
        for rec in listings:
            rec["bullets"] = "\n".join(rec.pop("_variants"))
        listings.sort(key=lambda r: r["source_row"])
        self.folded = sum(r["_folded"] for r in listings)
        self._listings = listings
        self._notes += self._fold_notes(folds, orphans, listings)

    def _listing(self, row: int, vals: dict[str, str]) -> dict:
        rec = {c: vals.get(c, "") for c in CANONICAL_COLUMNS if c not in ("source_file", "source_row")}
        rec["asin"] = ""
        if self.platform.sku_list and rec["sku"]:
            rec["sku"] = rec["sku"].split(self.platform.sku_list)[0].strip()
        rec["_sku_from_id"] = not rec["sku"] and bool(vals.get("listing_id"))
        if rec["_sku_from_id"]:
            rec["sku"] = vals["listing_id"]
        rec["marketplace"] = self.platform.site(vals) if self.platform.site else self.platform.marketplace
        rec["listing_id"] = vals.get("listing_id", "")
        rec["source_file"] = self.path
        rec["source_row"] = row
        rec["_folded"] = 0
        rec["_variants"] = []
        return rec

    def _fold_into(self, rec: dict, cells: list[str]) -> None:
        rec["_folded"] += 1
        self._add_variants(rec, cells)
        # a folded row with a title or brand of its own ("Nike Floor Lamp" under "Floor Lamp"): its text is
        # scanned with the listing's variants, not dropped
        for field in ("title", "brand"):
            for col in self.layout.fields.get(field, ()):
                value = cells[col].strip() if col < len(cells) else ""
                if value and value != rec.get(field, "") and value not in rec["_variants"]:
                    rec["_variants"].append(value)

    def _add_variants(self, rec: dict, cells: list[str]) -> None:
        """The row's variant option values join the listing's ``bullets`` (distinct, in file order)."""
        for col in self.layout.variants:
            value = cells[col].strip()
            if value and value not in rec["_variants"] and value.casefold() not in _NOT_VARIANTS:
                rec["_variants"].append(value)

    def _fold_notes(self, folds: dict[str, int], orphans: int, listings: list[dict]) -> list[str]:
        p, lay = self.platform, self.layout
        notes = [f"read as {p.label}"]
        for how, n in folds.items():
            if how == "continuation":
                what = f"row(s) with no title and no {p.group[0] if p.group else 'product key'} but a " \
                       f"{'/'.join(self._header(c) for c in lay.continuation)} (SKU/variation rows)"
                notes.append(f"{n} {what} folded into the product above them")
            elif how == "parent":
                notes.append(f"{n} variation row(s) folded into the parent named in "
                             f"{self._header(lay.parent[0])!r}")
            else:
                notes.append(f"{n} variant/image row(s) folded into the listing with the same {how!r}")
        if orphans:
            notes.append(f"{orphans} variation row(s) whose parent is not in this file read as listings")
        from_id = sum(1 for r in listings if r["_sku_from_id"])
        if from_id and lay.listing_id:
            notes.append(f"{from_id} listing(s) without a seller SKU: sku is the platform id "
                         f"({self._header(lay.listing_id[0])})")
        if p.sku_list and "sku" in lay.fields:
            notes.append(f"{self._header(lay.fields['sku'][0])!r} lists the variant SKUs: the first is the sku")
        if self.help_rows:
            what = "hint row(s) under the header" if p.hint_rows else "label/help row(s) above the first listing"
            notes.append(f"{self.help_rows} {what} skipped (not listings)")
        return notes

    # -- output ----------------------------------------------------------------------------------------
    def counts(self) -> tuple[int, int, int]:
        """``(rows_read, rows_ok, rows_rejected)`` where rows_read excludes folded rows (see module doc)."""
        if self._listings is None:
            self._fold()
        read = self.records - self.blank - self.folded
        ok = len(self._listings)
        if read != ok + len(self.rejected):
            raise RuntimeError(f"{self.path}: row accounting broken: {read} read != {ok} ok + {len(self.rejected)}")
        return read, ok, len(self.rejected)

    def notes(self) -> list[str]:
        if self._listings is None:
            self._fold()
        out = list(self._notes)
        if self.repeated_headers:
            out.append(f"{self.repeated_headers} repeated header row(s) skipped (not rows)")
        if self.blank:
            out.append(f"{self.blank} blank line(s) skipped (not rows)")
        if self.trailing_empty:
            out.append(f"{self.trailing_empty} row(s) had extra empty fields at the end (ignored)")
        if self.beyond_header:
            out.append(f"{self.beyond_header} row(s) had values in columns without a header (ignored)")
        return out

    def listings(self, *, marketplace: str = "") -> pd.DataFrame:
        if self._listings is None:
            self._fold()
        columns = list(CANONICAL_COLUMNS) + ["listing_id"]
        frame = pd.DataFrame([{c: r[c] for c in columns} for r in self._listings], columns=columns)
        frame = frame.astype({c: str for c in columns if c != "source_row"} | {"source_row": "int64"})
        if marketplace:
            frame["marketplace"] = frame["marketplace"].mask(frame["marketplace"] == "", marketplace)
        return frame

    def rejected_frame(self) -> pd.DataFrame:
        if not self.rejected:
            return empty_rejected()
        frame = pd.DataFrame(self.rejected, columns=list(REJECTED_COLUMNS))
        return frame.astype({c: ("int64" if c == "source_row" else "str") for c in REJECTED_COLUMNS})
