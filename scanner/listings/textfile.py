"""Read a text file as blocks of decoded physical lines.

A line ends at ``\\n`` and nothing else: a lone ``\\r``, U+0085 or U+2028 inside a value stays in the
value. A file that has no ``\\n`` at all but has ``\\r`` (classic Mac line ends) is split on ``\\r``, and
a note says so.

Files in an ASCII-compatible encoding are read in blocks of about :data:`BLOCK_SIZE` bytes cut at a line
end (memory stays flat however big the file is); UTF-16/UTF-32 files are decoded whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .decode import MARKER, Encoding, choose, decode_block

BLOCK_SIZE = 8 << 20
_NON_ASCII = re.compile(rb"[\x80-\xff]")


@dataclass
class Block:
    """Consecutive physical lines of a file, decoded, without the ``\\n`` (a CRLF line keeps its ``\\r``:
    readers strip values, so CRLF and LF files read the same)."""

    lines: list[str]
    first_line: int  # 1-based physical line number of lines[0]
    bad: dict[int, str]  # index in lines -> why the line could not be decoded (byte and offset)
    nbytes: int  # raw bytes this block consumed (for progress)


class TextFile:
    """Decoded lines of ``path`` in the encoding ``encoding`` (decided lazily when ASCII so far)."""

    def __init__(self, path: Path, encoding: Encoding, head: bytes, block_size: int | None = None) -> None:
        self.path = path
        self.encoding = encoding
        self.head = head
        self.block_size = block_size or BLOCK_SIZE
        self.notes: list[str] = []
        self.bad_lines = 0
        self.utf8_lines: list[int] = []  # in a file read as cp1252: the lines that are valid UTF-8 text

    def blocks(self) -> Iterator[Block]:
        """The file's lines, block by block, from the first line after the byte order mark."""
        if self.encoding.streaming:
            yield from self._stream()
        else:
            yield from self._whole()

    def _stream(self) -> Iterator[Block]:
        enc = self.encoding
        body = self.head[enc.bom :]
        term = b"\n" if (b"\n" in body or b"\r" not in body) else b"\r"
        if term == b"\r":
            self.notes.append("lines end with a lone CR (classic Mac line ends): read as line breaks")
        line_no = 1
        offset = enc.bom
        carry = b""
        with open(self.path, "rb") as f:
            f.seek(enc.bom)
            while True:
                data = f.read(self.block_size)
                if data:
                    buf = carry + data if carry else data
                    cut = buf.rfind(term)
                    if cut < 0:
                        carry = buf
                        continue
                    raw, carry = buf[: cut + 1], buf[cut + 1 :]
                elif carry:
                    raw, carry = carry, b""
                else:
                    return
                block = self._block(raw, offset, line_no, term)
                offset += len(raw)
                line_no += len(block.lines)
                yield block

    def _whole(self) -> Iterator[Block]:
        raw = self.path.read_bytes()[self.encoding.bom :]
        text, errors = decode_block(raw, self.encoding.codec or "ascii")
        term = "\n" if ("\n" in text or "\r" not in text) else "\r"
        if term == "\r":
            self.notes.append("lines end with a lone CR (classic Mac line ends): read as line breaks")
        yield self._split(text, errors, self.encoding.bom, 1, term, ends_with_term=text.endswith(term), nbytes=len(raw))

    def _block(self, raw: bytes, offset: int, line_no: int, term: bytes) -> Block:
        enc = self.encoding
        if enc.codec is None:
            if raw.isascii():
                return self._split(raw.decode("ascii"), [], offset, line_no, term.decode(), raw.endswith(term), len(raw))
            first = _NON_ASCII.search(raw).start()
            start = raw.rfind(term, 0, first) + 1
            enc.codec, note = choose(raw[start:], self.head[enc.bom :], offset + start)
            enc.notes.append(note)
        text, errors = decode_block(raw, enc.codec)
        if enc.codec == "cp1252" and not raw.isascii():
            self._count_utf8_lines(raw, line_no, term)
        return self._split(text, errors, offset, line_no, term.decode(), raw.endswith(term), len(raw))

    def _count_utf8_lines(self, raw: bytes, line_no: int, term: bytes) -> None:
        """Remember the lines of ``raw`` that are valid UTF-8 with non-ASCII characters: in a cp1252 file
        they are most likely rows of a UTF-8 export pasted in (``Café`` read as ``CafÃ©``)."""
        for i, line in enumerate(raw.split(term)):
            if not line.isascii():
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    continue
                self.utf8_lines.append(line_no + i)

    def _split(self, text: str, errors, offset: int, line_no: int, term: str, ends_with_term: bool,
               nbytes: int) -> Block:
        bad: dict[int, str] = {}
        if errors:
            codec = self.encoding.codec
            index, last = 0, 0
            for match, (at, byte) in zip(MARKER.finditer(text), errors, strict=False):
                index += text.count(term, last, match.start())
                last = match.start()
                if index not in bad:
                    bad[index] = f"byte 0x{byte:02X} at byte offset {offset + at} cannot be decoded as {codec}"
                elif not bad[index].endswith("more)"):
                    bad[index] += " (and more)"
            self.bad_lines += len(bad)
        lines = text.split(term)
        if ends_with_term:
            lines.pop()
        return Block(lines, line_no, bad, nbytes)
