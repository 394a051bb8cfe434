"""Decide a listing file's text encoding, and decode bytes so that undecodable bytes are marked, not fatal.

Detection, in this order (the first that applies decides, and says so in a note):

1. ``--encoding`` given by the user (an unknown name is an :class:`~scanner.errors.InputError`);
2. a byte order mark: UTF-8, UTF-16 LE/BE, UTF-32 LE/BE;
3. UTF-16 without a BOM, when every other byte of the start is NUL;
4. ASCII so far: nothing to decide yet; the decision waits for the first line with a non-ASCII byte
   (ASCII decodes the same in every candidate), and is then made on that part of the file:
   valid UTF-8 -> ``utf-8`` (also when at least 4 in 5 of the non-ASCII characters are valid UTF-8: the
   rows with the stray bytes are rejected); otherwise a header row of Japanese Amazon or Rakuten headers, or text that decodes as
   Japanese (kana, kanji), -> ``cp932`` (Shift_JIS as Windows writes it); otherwise ``cp1252`` (the Amazon
   US/EU default).

Decoding never splits on anything but the caller's line terminator: the text is decoded as a whole block
of complete lines and split on ``"\\n"`` afterwards (never ``str.splitlines()``, which also breaks on
U+0085, U+2028 ...). Bytes the codec cannot decode become one marker character each (a lone surrogate
``U+DC00 + byte``), and :func:`decode_block` returns their byte offsets so the row can be rejected with
the offset in the reason.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .headers import JAPANESE_HEADERS, normalize
from .platforms import JAPANESE_PLATFORM_HEADERS

#: One character per undecodable byte sequence: U+DC00 + the first byte of the sequence.
MARKER = re.compile("[\udc00-\udcff]")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_STATEFUL = ("utf-7", "hz", "iso2022")
_PROBE = "\n\r\t,;\"' azAZ09=-_"
_JP_NORMALIZED = frozenset(normalize(h) for h in JAPANESE_HEADERS | JAPANESE_PLATFORM_HEADERS)
_KANA = re.compile("[\u3041-\u3096\u30a1-\u30fa\u30fc]")
#: Characters of Japanese text in Shift_JIS: kana, kanji, full- and half-width forms, and the JIS X 0208
#: symbols Japanese titles are decorated with (★ ◆ ■ ♪ ※ → ①): cp1252 text read as cp932 hardly makes these.
_JAPANESE = re.compile("[\u2010-\u2312\u2460-\u24ff\u2500-\u27bf\u3000-\u30ff\u4e00-\u9fff\uff01-\uffef]")
_KANJI = re.compile("[\u4e00-\u9fff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")

_state = threading.local()


def _mark(exc: UnicodeDecodeError) -> tuple[str, int]:
    errors = getattr(_state, "errors", None)
    if errors is not None:
        errors.append((exc.start, exc.object[exc.start]))
    # Wide codecs report whole code units; 8-bit and multi-byte codecs resume right after the first byte
    # so that a tab or newline after a bad lead byte is never swallowed.
    resume = exc.end if getattr(_state, "wide", False) else exc.start + 1
    return chr(0xDC00 + exc.object[exc.start]), resume


codecs.register_error("scanner-mark", _mark)


@dataclass
class Encoding:
    """How a text file is decoded."""

    codec: str | None  # Python codec name; None while the file has been ASCII so far (not decided yet)
    bom: int = 0  # bytes of byte order mark to skip
    notes: list[str] = field(default_factory=list)

    @property
    def streaming(self) -> bool:
        """True when lines can be found in the raw bytes (``b"\\n"`` is a newline and nothing else)."""
        return self.codec is None or is_ascii_compatible(self.codec)

    @property
    def name(self) -> str:
        """The encoding to report: the codec, or ``ascii`` when no non-ASCII byte was ever seen."""
        return self.codec or "ascii"


def is_ascii_compatible(codec: str) -> bool:
    """Whether ``codec`` writes ASCII (tab, newline, delimiters) as the same single bytes, statelessly."""
    name = codecs.lookup(codec).name
    if name.startswith(("utf-16", "utf-32")) or name.startswith(_STATEFUL):
        return False
    try:
        return codecs.encode(_PROBE, name) == _PROBE.encode("ascii")
    except (UnicodeError, LookupError):
        return False


def resolve_user_encoding(name: str, path: Path) -> str:
    """The Python codec for a user-given ``--encoding`` name; unknown names are an InputError."""
    try:
        info = codecs.lookup(name.strip())
    except (LookupError, ValueError):
        raise InputError(
            f"unknown encoding {name!r} given with --encoding; use e.g. cp1252, utf-8, cp932 or utf-16",
            path=path,
        ) from None
    # a codec that is not a text codec (e.g. "base64") cannot read a listing file; the codec registry says
    # so (decoding a sample cannot: b"a" is no valid UTF-16, and an empty sample decodes with any codec)
    if not getattr(info, "_is_text_encoding", True):
        raise InputError(f"--encoding {name!r} is not a text encoding", path=path)
    return "utf-8" if info.name == "utf-8-sig" else info.name


def detect(head: bytes, user_encoding: str | None, path: Path) -> Encoding:
    """The encoding of a file that starts with ``head`` (see the module docstring for the order)."""
    if user_encoding:
        codec = resolve_user_encoding(user_encoding, path)
        bom = 0
        if codec == "utf-8" and head.startswith(codecs.BOM_UTF8):
            bom = len(codecs.BOM_UTF8)
        note = f"encoding {codec} given with --encoding"
        return Encoding(codec, bom, [note + (" (byte order mark skipped)" if bom else "")])
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return Encoding(codec, len(bom), [f"encoding {codec}: the file starts with a {codec} byte order mark"])
    wide = _utf16_without_bom(head)
    if wide:
        return Encoding(wide, 0, [f"encoding {wide}: no byte order mark, but every other byte is NUL"])
    return Encoding(None, 0, [])


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[: 4096 - (len(head[:4096]) % 2)]
    if len(sample) < 8:
        return None
    even = sample[0::2].count(0) / (len(sample) // 2)
    odd = sample[1::2].count(0) / (len(sample) // 2)
    if odd > 0.7 and even < 0.1:
        return "utf-16-le"
    if even > 0.7 and odd < 0.1:
        return "utf-16-be"
    return None


def choose(sample: bytes, head: bytes, sample_offset: int) -> tuple[str, str]:
    """Decide ``(codec, note)`` for an ASCII-compatible file from ``sample``.

    ``sample`` is a run of complete lines starting with the first line that holds a non-ASCII byte, at
    byte ``sample_offset`` of the file; ``head`` is the start of the file (its first lines hold the
    header row, or the rows above a flat file's field-name row).
    """
    try:
        sample.decode("utf-8")
        return "utf-8", "encoding utf-8: the non-ASCII bytes are valid UTF-8 (no byte order mark)"
    except UnicodeDecodeError as exc:
        bad = f"byte 0x{sample[exc.start]:02X} at byte offset {sample_offset + exc.start} is not UTF-8"
    valid, invalid = utf8_counts(sample)
    if valid >= 4 * invalid:
        return "utf-8", (
            f"encoding utf-8: {valid} non-ASCII characters are valid UTF-8 and {invalid} byte(s) are not "
            f"(first: {bad}); rows with such bytes are rejected"
        )
    found = japanese_headers(head)
    if found:
        return "cp932", f"encoding cp932 (Shift_JIS): {bad}, and the header rows are Japanese Amazon headers (or Rakuten RMS headers) ({', '.join(found[:3])})"
    kana, share = japanese_text(sample[: 1 << 20])
    if kana >= 3 and share >= 0.9:
        return "cp932", (
            f"encoding cp932 (Shift_JIS): {bad}; decoded as cp932 the text is Japanese ({kana} kana; "
            f"{share:.0%} of the non-ASCII characters are Japanese)"
        )
    kanji = common_kanji(sample[: 1 << 16])
    if kanji:
        return "cp932", (
            f"encoding cp932 (Shift_JIS): {bad}; decoded as cp932 the text is Japanese written in kanji ({kanji} "
            "common kanji, every byte valid)"
        )
    return "cp1252", (
        f"encoding cp1252 (Windows-1252, the Amazon US/EU default): {bad} and the text is not Japanese; "
        "if characters look wrong, give the right one with --encoding"
    )


def utf8_counts(sample: bytes) -> tuple[int, int]:
    """``(valid non-ASCII characters, invalid bytes)`` of ``sample`` read as UTF-8."""
    text = sample.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    return len(_NON_ASCII.findall(text)) - invalid, invalid


def japanese_headers(head: bytes) -> list[str]:
    """The Japanese Amazon report headers found in the first lines of ``head`` decoded as cp932."""
    text = head[: 1 << 16].decode("cp932", errors="replace")
    found: list[str] = []
    for line in text.split("\n")[:6]:
        for cell in re.split("[\t,;]", line):
            key = normalize(cell)
            if key in _JP_NORMALIZED and cell.strip() not in found:
                found.append(cell.strip())
    return found


def japanese_text(sample: bytes) -> tuple[int, float]:
    """``(kana count, share of non-ASCII characters that are Japanese)`` of ``sample`` read as cp932."""
    text = sample.decode("cp932", errors="replace")
    non_ascii = len(_NON_ASCII.findall(text))
    if not non_ascii:
        return 0, 0.0
    return len(_KANA.findall(text)), len(_JAPANESE.findall(text)) / non_ascii


#: Text in kanji alone (``本革 財布 長財布 黒``) is taken for Japanese with at least this many kanji, ...
MIN_KANJI = 6
#: ... of which at least this share are JIS level-1 kanji (the common ones, lead bytes 0x88-0x98). cp1252
#: letters read as cp932 make level-2 kanji (``ção`` -> lead byte 0xE7) or invalid pairs (``é `` ).
COMMON_KANJI_SHARE = 0.7


def common_kanji(sample: bytes) -> int:
    """The number of kanji of ``sample`` read as cp932 when it reads as Japanese written in kanji: every byte
    valid, :data:`MIN_KANJI` kanji or more, mostly common ones, and its non-ASCII characters Japanese; else 0."""
    try:
        text = sample.decode("cp932")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 1:  # only a character cut at the sample's end is allowed
            return 0
        text = sample[: exc.start].decode("cp932")
    kanji = _KANJI.findall(text)
    non_ascii = len(_NON_ASCII.findall(text))
    if len(kanji) < MIN_KANJI or len(_JAPANESE.findall(text)) < 0.9 * non_ascii:
        return 0
    common = sum(1 for k in kanji if 0x88 <= k.encode("cp932")[0] <= 0x98)
    return len(kanji) if common >= COMMON_KANJI_SHARE * len(kanji) else 0


def decode_block(raw: bytes, codec: str) -> tuple[str, list[tuple[int, int]]]:
    """Decode ``raw``; each undecodable byte sequence becomes one :data:`MARKER` character.

    Returns the text and, in text order, ``(byte offset in raw, first byte)`` of every marker.
    """
    try:
        return raw.decode(codec), []
    except UnicodeDecodeError:
        pass
    errors: list[tuple[int, int]] = []
    _state.errors = errors
    _state.wide = not is_ascii_compatible(codec)
    try:
        text = raw.decode(codec, errors="scanner-mark")
    finally:
        _state.errors = None
        _state.wide = False
    return text, errors


def show_markers(text: str) -> str:
    """``text`` with each marker written as ``\\xNN`` (for the raw column of a rejected row)."""
    return MARKER.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)
