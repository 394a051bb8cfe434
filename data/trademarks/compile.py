"""Compile the starter trademark corpus: ``sources/*.csv`` -> ``marks.csv``.

Each file in ``sources/`` is one sector list written by hand, with the header
``mark,owner,nice_classes,status,jurisdiction,kind`` and optionally a last column ``aliases`` (other written
forms of the mark, ``;``-separated). Blank lines and lines starting with ``#`` are
comments. The sector is the file name: rows from ``sources/toys.csv`` get ``source = starter:toys``.

The script normalises whitespace (and Unicode to NFC), checks every value, refuses conflicting rows
(the same mark and owner written twice with different classes/status/kind) and owners spelled two ways
("Nike, Inc." vs "Nike Inc"), drops exact duplicates, sorts by mark, and writes ``marks.csv`` in the
trademark CSV format (UTF-8, header row, RFC-4180 quoting, ``\\n`` line ends). ``serial_number`` and
``registration_number`` are always empty: no number is ever recalled or guessed.

It also rewrites the counts table in ``README.md`` (between the count markers).

Run from anywhere: ``python data/trademarks/compile.py`` (``--check`` only verifies that ``marks.csv``
and the README counts are up to date and exits 1 when they are not; ``--stats`` prints counts).
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
OUTPUT = HERE / "marks.csv"
README = HERE / "README.md"
COUNTS_START = "<!-- counts:start (written by compile.py) -->"
COUNTS_END = "<!-- counts:end -->"

#: The trademark CSV contract (scanner/corpus/schema.py TRADEMARK_CSV_COLUMNS), in order.
COLUMNS = (
    "mark",
    "owner",
    "nice_classes",
    "status",
    "jurisdiction",
    "serial_number",
    "registration_number",
    "kind",
    "source",
    "aliases",
)
SOURCE_COLUMNS = ("mark", "owner", "nice_classes", "status", "jurisdiction", "kind")
#: A source list may add this column: other written forms of the mark, ``;``-separated.
ALIASES_COLUMN = "aliases"
STATUSES = {"live", "dead", "pending", ""}
KINDS = {"brand", "product_line", "franchise", "character", "team", "word"}
#: The register the row speaks of: US, the EU (EUIPO), a national office, or WO (Madrid); empty = not asserted.
JURISDICTIONS = {"US", "EU", "GB", "DE", "FR", "IT", "ES", "JP", "KR", "CN", "BR", "MX", "AR", "RU", "WO", ""}

#: Legal-form words ignored when checking that an owner is always spelled the same way.
_LEGAL_FORMS = {
    "inc", "incorporated", "llc", "llp", "lp", "l", "p", "c", "ltd", "limited", "co", "company", "corp",
    "corporation", "plc", "gmbh", "ag", "sa", "s", "a", "spa", "bv", "b", "v", "nv", "n", "ab", "as",
    "oy", "kg", "pty", "se", "srl", "sas", "the", "kabushiki", "kaisha", "kk", "holdings", "group",
}


class CompileError(Exception):
    """A problem in a source list, naming the file and line."""


def owner_key(owner: str) -> str:
    """The owner with case, accents, punctuation and legal forms removed (for the one-spelling check)."""
    text = unicodedata.normalize("NFKD", owner.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("&", " and ").replace("+", " and ")
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(w for w in words if w not in _LEGAL_FORMS)


def _clean(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


def _check_classes(value: str, where: str) -> str:
    if not value:
        return ""
    parts = value.split(";")
    numbers = []
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= 45:
            raise CompileError(f"{where}: nice_classes {value!r} is not ';'-separated integers 1-45")
        numbers.append(int(part))
    if len(set(numbers)) != len(numbers):
        raise CompileError(f"{where}: nice_classes {value!r} repeats a class")
    return ";".join(str(n) for n in sorted(numbers))


def _check_aliases(value: str, mark: str, where: str) -> str:
    """``"D&D; DnD"`` -> ``"D&D;DnD"``: each alias once, none empty and none the mark itself."""
    if not value:
        return ""
    aliases = [a.strip() for a in value.split(";")]
    if any(not a for a in aliases):
        raise CompileError(f"{where}: aliases {value!r} has an empty part")
    folded = [a.casefold() for a in aliases]
    if len(set(folded)) != len(folded) or mark.casefold() in folded:
        raise CompileError(f"{where}: aliases {value!r} repeat each other or the mark")
    return ";".join(aliases)


def read_source(path: Path) -> list[dict[str, str]]:
    """Read one sector list; return rows in the contract columns (with ``source`` filled)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#")]
    if not kept:
        raise CompileError(f"{path.name}: empty source list")
    reader = csv.reader(io.StringIO("\n".join(line for _, line in kept)))
    rows = list(reader)
    header = tuple(h.strip() for h in rows[0])
    if header not in (SOURCE_COLUMNS, (*SOURCE_COLUMNS, ALIASES_COLUMN)):
        raise CompileError(f"{path.name} line {kept[0][0]}: header must be {','.join(SOURCE_COLUMNS)}"
                           f"[,{ALIASES_COLUMN}]")
    sector = path.stem
    out = []
    for (lineno, _), values in zip(kept[1:], rows[1:], strict=True):
        where = f"{path.name} line {lineno}"
        if len(values) != len(header):
            raise CompileError(f"{where}: {len(values)} fields, expected {len(header)}")
        row = dict(zip(header, (_clean(v) for v in values), strict=True))
        row["aliases"] = _check_aliases(row.get("aliases", ""), row["mark"], where)
        if not row["mark"] or not row["owner"]:
            raise CompileError(f"{where}: mark and owner are required in the starter corpus")
        row["nice_classes"] = _check_classes(row["nice_classes"], where)
        if row["status"] not in STATUSES:
            raise CompileError(f"{where}: status {row['status']!r} not in {sorted(STATUSES)}")
        if row["jurisdiction"] not in JURISDICTIONS:
            raise CompileError(f"{where}: jurisdiction {row['jurisdiction']!r} not in {sorted(JURISDICTIONS)}")
        if row["kind"] not in KINDS:
            raise CompileError(f"{where}: kind {row['kind']!r} not in {sorted(KINDS)}")
        row["serial_number"] = ""
        row["registration_number"] = ""
        row["source"] = f"starter:{sector}"
        row["_where"] = where
        out.append(row)
    return out


def compile_rows(source_dir: Path = SOURCES) -> tuple[list[dict[str, str]], int]:
    """Merge all sector lists; return (sorted rows, number of exact duplicates dropped)."""
    paths = sorted(source_dir.glob("*.csv"))
    if not paths:
        raise CompileError(f"no source lists in {source_dir}")
    rows = [row for path in paths for row in read_source(path)]

    spellings: dict[str, str] = {}
    for row in rows:
        key = owner_key(row["owner"])
        seen = spellings.setdefault(key, row["owner"])
        if seen != row["owner"]:
            raise CompileError(f"{row['_where']}: owner {row['owner']!r} is also spelled {seen!r}")

    merged: dict[tuple[str, str], dict[str, str]] = {}
    dropped = 0
    for row in rows:
        key = (row["mark"].casefold(), row["owner"])
        if key in merged:
            first = merged[key]
            if all(first[c] == row[c] for c in COLUMNS):
                dropped += 1
                continue
            raise CompileError(f"{row['_where']}: {row['mark']!r} ({row['owner']}) already listed at {first['_where']}")
        merged[key] = row
    out = sorted(merged.values(), key=lambda r: (r["mark"].casefold(), r["mark"], r["owner"]))
    return [{c: r[c] for c in COLUMNS} for r in out], dropped


def render(rows: list[dict[str, str]]) -> str:
    """The marks.csv text (RFC-4180: minimal quoting, ``\\n`` line ends)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def stats(rows: list[dict[str, str]]) -> str:
    """Counts per sector and per kind, as text."""
    sectors = Counter(r["source"] for r in rows)
    kinds = Counter(r["kind"] for r in rows)
    owners = len({r["owner"] for r in rows})
    lines = [f"{len(rows)} marks, {owners} owners", "per sector:"]
    lines += [f"  {s:32} {n:5}" for s, n in sorted(sectors.items())]
    lines.append("per kind:")
    lines += [f"  {k:32} {n:5}" for k, n in kinds.most_common()]
    return "\n".join(lines)


def counts_table(rows: list[dict[str, str]]) -> str:
    """A Markdown table of marks per sector (rows) and kind (columns), for the README."""
    kinds = [k for k in ("brand", "product_line", "franchise", "character", "team", "word")
             if any(r["kind"] == k for r in rows)]
    sectors = sorted({r["source"] for r in rows})
    count = Counter((r["source"], r["kind"]) for r in rows)
    lines = ["| sector (`source`) | " + " | ".join(kinds) + " | total |",
             "|---|" + "---:|" * (len(kinds) + 1)]
    for sector in sectors:
        cells = [str(count[(sector, k)]) for k in kinds]
        total = sum(count[(sector, k)] for k in kinds)
        lines.append(f"| `{sector}` | " + " | ".join(cells) + f" | {total} |")
    totals = [str(sum(count[(s, k)] for s in sectors)) for k in kinds]
    lines.append("| **all** | " + " | ".join(totals) + f" | **{len(rows)}** |")
    owners = len({r["owner"] for r in rows})
    live = sum(r["status"] == "live" for r in rows)
    lines.append("")
    lines.append(f"{len(rows)} marks from {owners} owners; {live} have `status=live`, "
                 f"{len(rows) - live} leave the status empty.")
    return "\n".join(lines)


def with_counts(readme: str, rows: list[dict[str, str]]) -> str:
    """The README text with the block between the count markers replaced by the current table."""
    start, end = readme.find(COUNTS_START), readme.find(COUNTS_END)
    if start < 0 or end < start:
        raise CompileError(f"{README.name}: count markers not found")
    return readme[: start + len(COUNTS_START)] + "\n" + counts_table(rows) + "\n" + readme[end:]


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that marks.csv is up to date")
    parser.add_argument("--stats", action="store_true", help="print counts per sector and kind")
    args = parser.parse_args(argv)
    try:
        rows, dropped = compile_rows()
    except CompileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    text = render(rows)
    try:
        readme = README.read_text(encoding="utf-8")
        new_readme = with_counts(readme, rows)
    except (OSError, CompileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text or readme != new_readme:
            print("marks.csv or README.md is out of date: run python data/trademarks/compile.py", file=sys.stderr)
            return 1
    else:
        OUTPUT.write_text(text, encoding="utf-8", newline="")
        README.write_text(new_readme, encoding="utf-8", newline="")
        print(f"wrote {OUTPUT} ({len(rows)} marks, {dropped} exact duplicates dropped) and the README counts")
    if args.stats:
        print(stats(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
