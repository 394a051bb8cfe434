"""Read a text listing file: Amazon reports, flat-file .txt/.csv, and generic CSV/TSV.

Tab-separated files are split on tabs only, with no quote processing (Amazon titles may hold a lone
``"``); in a flat file saved by Excel as tab-delimited text, and in a file whose headers are all quoted,
values in Excel-style quotes are unquoted (:func:`flatfile.excel_unquote`). Comma and semicolon files are RFC 4180 CSV (quoted values may hold
delimiters, quotes and line breaks); a record's ``source_row`` is the physical line it starts on.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..progress import Progress
from .amazon_report import identify
from .decode import detect, show_markers
from .flatfile import excel_unquote, template_info
from .folding import PlatformCollector
from .layout import DELIMITER_NAMES, DELIMITERS, SEARCH_ROWS, Header, find_text_header, split_line
from .plan import MISREAD, build_plan
from .platforms import Platform, find_platform_header
from .schema import FileStats
from .sniff import check_binary, check_text_start
from .textfile import Block, TextFile
from .validate import Collector

#: A CSV record longer than this many physical lines is worth a note (an unclosed quote?).
LONG_RECORD_LINES = 50


def read_text(path: Path, head: bytes, encoding: str | None, column_map: dict[str, str], progress: Progress):
    """``(listings, rejected, FileStats)`` of one text file."""
    enc = detect(head, encoding, path)
    if enc.streaming:
        check_binary(path, head[enc.bom:])
    text_file = TextFile(path, enc, head)
    size = path.stat().st_size
    with progress.task(f"reading {path.name}", total=size, unit="B", unit_scale=True) as bar:
        blocks = text_file.blocks()
        first = _first_lines(blocks)
        if first is None or not any(line.strip() for line in first.lines):
            raise InputError("file is empty (no text, only blank lines)", path=path)
        bar.update(first.nbytes)
        check_text_start(path, "\n".join(first.lines[:20]))
        candidates = [i for i, line in enumerate(first.lines) if line.strip()][:SEARCH_ROWS]
        top = [show_markers(first.lines[i]) for i in candidates]  # undecodable bytes shown as \xNN
        found = None if column_map else find_text_platform(top)
        if found is not None:
            platform, index, delimiter, cells = found
            header = Header(index, cells, False, 0, delimiter)
            fmt, marketplace, notes, plan = platform.name, "", [], None
            collector = PlatformCollector(str(path), platform, cells, delimiter=delimiter)
        else:
            header = _find_header(top, column_map, path, [i for i in candidates if i in first.bad], first, enc)
            plan = build_plan(header.cells, column_map, path, header.template)
            fmt = identify(plan.headers)
            delimiter = header.delimiter or "\t"
            preamble = [split_line(line, delimiter) for line in top[: header.index]]
            marketplace, notes = template_info(preamble)
            unquote = excel_unquote if delimiter == "\t" and (fmt == "flat-file" or _quoted(plan.headers)) else None
            collector = Collector(str(path), plan, delimiter=delimiter, value_fn=unquote)
        header_index = candidates[header.index]
        rest = _after(first, header_index)

        def counted(source: Iterator[Block]) -> Iterator[Block]:
            for block in source:
                bar.update(block.nbytes)
                yield block

        more = counted(blocks)
        if delimiter == "\t":
            collector.add_lines(rest.lines, rest.first_line, rest.bad)
            for block in more:
                collector.add_lines(block.lines, block.first_line, block.bad)
        else:
            notes += _read_csv(collector, delimiter, _chain(rest, more), header.cells)
    read, ok, rejected = collector.counts()
    if enc.codec is None:
        enc.notes.append("encoding ascii: every byte is ASCII (reads the same in UTF-8, cp1252 and cp932)")
    header_line = first.first_line + header_index
    notes = enc.notes + text_file.notes + [
        f"header on line {header_line}" + (f" ({header_index} line(s) above it skipped)" if header_index else "")
        + f"; {DELIMITER_NAMES[delimiter]}-separated"
    ] + notes + (plan.notes if plan else []) + collector.notes()
    if not read:
        notes.append("no data rows under the header")
    if text_file.utf8_lines:
        lines = text_file.utf8_lines
        notes.append(
            f"{MISREAD}{len(lines)} line(s) read as cp1252 are valid UTF-8 (first: line {lines[0]}): rows of a UTF-8 "
            "file pasted into this one? Their accents and symbols read wrong (Café as CafÃ©); save the file in one "
            "encoding, or give --encoding utf-8 if most of it is UTF-8"
        )
    if text_file.bad_lines:
        notes.append(
            f"{text_file.bad_lines} line(s) had bytes that are not {enc.name} (rejected); if many rows are "
            "rejected for this, give the file's encoding with --encoding"
        )
    stats = FileStats(str(path), fmt, enc.name, read, ok, rejected, marketplace, notes,
                      rows_folded=getattr(collector, "folded", 0))
    return collector.listings(marketplace=marketplace), collector.rejected_frame(), stats


def find_text_platform(lines: list[str]) -> tuple[Platform, int, str, list[str]] | None:
    """``(platform, line index, delimiter, header cells)`` when one of ``lines`` is a platform header row;
    of several delimiters that find one, the split with the most cells wins."""
    best = None
    for delimiter in DELIMITERS:
        rows = [split_line(line, delimiter) for line in lines[:SEARCH_ROWS]]
        found = find_platform_header(rows, SEARCH_ROWS)
        if found is not None and (best is None or len(rows[found[1]]) > len(best[3])):
            best = (found[0], found[1], delimiter, rows[found[1]])
    return best


def _find_header(top: list[str], column_map: dict[str, str], path: Path, bad: list[int], first: Block, enc) -> Header:
    """The generic header row; when none is found and the first lines hold undecodable bytes, the error
    says the encoding is wrong (one line)."""
    try:
        return find_text_header(top, column_map, path)
    except InputError as exc:
        if not bad:
            raise
        raise InputError(
            f"line {first.first_line + bad[0]}: {first.bad[bad[0]]}, so the header row cannot be read: the file is "
            f"not {enc.name}; give its encoding with --encoding (e.g. cp932 for Rakuten/Yahoo JP, utf-8, cp1252)",
            path=path,
        ) from exc


def _quoted(headers: list[str]) -> bool:
    """Whether every header of a tab-separated file is in quotes (a tool that quotes every value)."""
    named = [h.strip() for h in headers if h.strip()]
    return bool(named) and all(len(h) >= 2 and h[0] == h[-1] == '"' for h in named)


def _first_lines(blocks: Iterator[Block]) -> Block | None:
    """The first block, merged with the next ones until it holds enough non-blank lines to find the header."""
    first = next(blocks, None)
    while first is not None and sum(1 for line in first.lines if line.strip()) < SEARCH_ROWS:
        more = next(blocks, None)
        if more is None:
            break
        bad = dict(first.bad) | {len(first.lines) + i: r for i, r in more.bad.items()}
        first = Block(first.lines + more.lines, first.first_line, bad, first.nbytes + more.nbytes)
    return first


def _after(block: Block, index: int) -> Block:
    """The lines of ``block`` after line ``index``."""
    bad = {i - index - 1: r for i, r in block.bad.items() if i > index}
    return Block(block.lines[index + 1 :], block.first_line + index + 1, bad, 0)


def _chain(first: Block, more: Iterator[Block]) -> Iterator[Block]:
    yield first
    yield from more


class _LineFeed:
    """Physical lines for :mod:`csv`, remembering where the current record started and what it held."""

    def __init__(self, blocks: Iterator[Block]) -> None:
        self._blocks = blocks
        self.start = 0
        self.lines: list[str] = []
        self.bad: list[str | None] = []  # per line: why its bytes could not be decoded, or None

    def __iter__(self) -> Iterator[str]:
        for block in self._blocks:
            for i, line in enumerate(block.lines):
                if not self.lines:
                    self.start = block.first_line + i
                self.lines.append(line)
                self.bad.append(block.bad.get(i))
                yield line + "\n"

    def take(self) -> tuple[int, list[str], list[str | None]]:
        """``(first line, physical lines, per line why its bytes could not be decoded)`` of the record just
        read."""
        out = (self.start, self.lines, self.bad)
        self.lines, self.bad = [], []
        return out


def _raw(lines: list[str]) -> str:
    return "\n".join(line.rstrip("\r") for line in lines) if len(lines) > 1 else lines[0]


def _line_cells(line: str, delimiter: str) -> list[str]:
    """The cells of one physical line read alone: CSV, except that a lone quote is a character."""
    line = line.rstrip("\r")
    if not line.strip():
        return []
    if line.count('"') == 1:
        return line.split(delimiter)
    return next(csv.reader([line], delimiter=delimiter, quotechar='"', doublequote=True, strict=False), [])


def _swallowed(lines: list[str], delimiter: str, width: int) -> bool:
    """Whether a record of several physical lines is rows swallowed by a quote that opened a value and never
    closed where it should: every line after the first is a row of its own (balanced quotes, the header's
    number of cells). The last line of a value that really holds line breaks has its closing quote, an odd
    number of quotes."""
    rest = [line for line in lines[1:] if line.strip()]
    return bool(rest) and all(line.count('"') % 2 == 0 and len(_line_cells(line, delimiter)) == width for line in rest)


def _read_csv(collector: Collector, delimiter: str, blocks: Iterator[Block], headers: list[str]) -> list[str]:
    feed = _LineFeed(blocks)
    reader = csv.reader(feed, delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    notes: list[str] = []
    swallowed: list[tuple[int, int, int]] = []  # (first line, cell of the quote, lines re-read)
    while True:
        error = None
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a value over the size limit: a quote that swallowed the lines after it
            error, cells = exc, []
        start, lines, bad = feed.take()
        if len(lines) > 1 and _swallowed(lines, delimiter, len(headers)):
            opened = len(next(csv.reader([lines[0].rstrip("\r")], delimiter=delimiter, strict=False), [])) - 1
            swallowed.append((start, opened, len(lines)))
            for i, line in enumerate(lines):  # each line a row of its own, the lone quote a character
                collector.add_record(_line_cells(line, delimiter), start + i, line.rstrip("\r"), bad[i])
            continue
        reason = bad[0] if len(bad) == 1 else next((b for b in bad if b), None)
        if error is not None:
            collector.reject_record(start, "", f"cannot be parsed as CSV: {error}", _raw(lines))
            continue
        if len(lines) > LONG_RECORD_LINES and not notes:
            notes.append(f"the record starting on line {start} spans {len(lines)} lines (an unclosed quote?)")
        collector.add_record(cells, start, _raw(lines), reason)
    if swallowed:
        start, opened, n = swallowed[0]
        column = headers[opened] if 0 <= opened < len(headers) and headers[opened].strip() else f"field {opened + 1}"
        more = f"; {len(swallowed)} such values, {sum(k for _, _, k in swallowed):,} lines in all" \
            if len(swallowed) > 1 else ""
        notes.append(f"{MISREAD}line {start}, column {column}: a quote opens the value and never closes, so the next "
                     f"{n - 1:,} line(s) would have been read into it; each line was read as a row of its own, the "
                     f"quote as a character{more}")
    return notes
