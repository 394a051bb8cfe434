"""Shared plumbing for the other offices' XML importers (EUIPO, TMview/UKIPO ST.66, WIPO Madrid, INPI, KIPO).

The same rules as the USPTO importer (:mod:`.uspto_xml`):

* the byte stream is cut at the record element's start and end tags (``<TradeMark>``, ``<processo>``, ...)
  and each record is parsed on its own: memory is bounded by the read buffer plus one record;
* lxml never declares, expands or fetches an entity (``resolve_entities=False, no_network=True,
  load_dtd=False``);
* a record that does not parse is skipped and counted by the caller; a file that cannot be read at all
  (corrupt zip, not XML) raises a one-line :class:`CorpusError` naming the file.

Records keep the document's prefixed namespace declarations (the cut-out record is wrapped in an element
carrying them, so prefixed tags still parse), and every tag is reduced to its local name: importers find
elements by plain name, whatever the namespace or generation of the file.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from lxml import etree

from ..errors import CorpusError
from .inflate import open_member

READ_SIZE = 1 << 20
#: A single record larger than this is treated as malformed (keeps memory bounded on a broken file).
MAX_RECORD_BYTES = 32 << 20
#: Bytes of a file read to recognise its format.
SNIFF_BYTES = 64 << 10

_XMLNS = re.compile(rb"""\sxmlns(?::[A-Za-z_][\w.-]*)?\s*=\s*("[^"]*"|'[^']*')""")
_DECL_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")


def parser(*, keep_blank_text: bool = True) -> etree.XMLParser:
    """The safe lxml parser (no DTD, no entity expansion, no network). ``keep_blank_text=False`` drops the
    whitespace between elements (the text of an element that has children, and tails; a leaf keeps its
    text): fewer nodes to build, for importers that read only leaf texts through :func:`clean`."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, recover=False, remove_comments=True, remove_pis=True,
                           collect_ids=False, remove_blank_text=not keep_blank_text)


def local(tag: Any) -> str:
    """The local name of an lxml tag (``{ns}Name`` -> ``Name``); "" for comments and PIs."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2] if tag[:1] == "{" else tag


def clean(value: str | None) -> str:
    """Whitespace collapsed to single spaces, ends stripped ("" for None)."""
    if not value:
        return ""
    if "\n" in value or "  " in value or "\t" in value or "\r" in value:
        return " ".join(value.split())
    return value.strip()


# Records are parsed without namespaces (see parse_chunk), so these use lxml's C-level iterchildren(tag).
def child(element: Any, name: str) -> Any:
    """The first *direct* child of ``element`` named ``name`` (or None)."""
    if element is None:
        return None
    for kid in element.iterchildren(name):
        return kid
    return None


def children(element: Any, name: str) -> list[Any]:
    return [] if element is None else list(element.iterchildren(name))


def text(element: Any, name: str | None = None) -> str:
    """Whitespace-collapsed text of ``element`` (or of its direct child ``name``)."""
    if name is not None:
        element = child(element, name)
    if element is None:
        return ""
    return clean(element.text)


def path(element: Any, *names: str) -> Any:
    """Follow direct children ``names`` from ``element``."""
    for name in names:
        element = child(element, name)
        if element is None:
            return None
    return element


def open_members(path: Path, what: str) -> Iterator[tuple[str, IO[bytes], int]]:
    """``(member name, binary stream, uncompressed size)`` for an ``.xml`` file or each ``.xml`` member of a
    ``.zip`` (sorted by name); unreadable files are one-line CorpusErrors naming ``what`` files."""
    if path.suffix.lower() != ".zip":
        try:
            size = path.stat().st_size
            handle = open(path, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise CorpusError(f"cannot read {what} file: {exc.strerror or exc}", path=path) from None
        with handle:
            yield path.name, handle, size
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise CorpusError(f"not a readable zip file (truncated or corrupt?): {exc}", path=path) from None
    with archive:
        members = sorted((m for m in archive.infolist() if m.filename.lower().endswith(".xml")),
                         key=lambda m: m.filename)
        if not members:
            raise CorpusError("the zip file holds no .xml file", path=path)
        for member in members:
            try:
                stream = open_member(archive, path, member)
            except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as exc:
                raise CorpusError(f"cannot open {member.filename} in the zip: {exc}", path=path) from None
            with stream:
                yield member.filename, stream, member.file_size


def iter_members(source: Path, what: str) -> Iterator[tuple[str, IO[bytes]]]:
    """``(label, binary stream)`` for an ``.xml`` file or each ``.xml`` member of a ``.zip``
    (``archive.zip:member.xml``)."""
    zipped = source.suffix.lower() == ".zip"
    for name, stream, _size in open_members(source, what):
        yield (f"{source.name}:{name}" if zipped else name), stream


def head_bytes(source: Path, size: int = SNIFF_BYTES) -> bytes:
    """The first ``size`` bytes of a file (of its first ``.xml`` member for a zip); b"" if unreadable."""
    try:
        if source.suffix.lower() == ".zip":
            with zipfile.ZipFile(source) as archive:
                names = sorted(n for n in archive.namelist() if n.lower().endswith(".xml"))
                if not names:
                    return b""
                with archive.open(names[0]) as stream:
                    return stream.read(size)
        with open(source, "rb") as handle:
            return handle.read(size)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError):
        return b""


def total_bytes(source: Path) -> int:
    """Uncompressed bytes of the XML in ``source`` (for a progress bar); 0 if unknown."""
    try:
        if source.suffix.lower() == ".zip":
            with zipfile.ZipFile(source) as archive:
                return sum(m.file_size for m in archive.infolist() if m.filename.lower().endswith(".xml"))
        return source.stat().st_size
    except (zipfile.BadZipFile, OSError, EOFError):
        return 0


class _PrefixSearch:
    """``pattern.search`` for a pattern that begins with the literal bytes ``prefix``, with the same match:
    ``bytes.find`` goes to each occurrence of the prefix (it skips ahead; the regular expression engine
    looks at every byte of a record), where ``pattern.match`` is tried."""

    __slots__ = ("prefix", "pattern")

    def __init__(self, prefix: bytes, pattern: re.Pattern[bytes]) -> None:
        self.prefix, self.pattern = prefix, pattern

    def search(self, buf: bytes, pos: int = 0, endpos: int | None = None) -> re.Match[bytes] | None:
        end = len(buf) if endpos is None else endpos
        find, match, prefix = buf.find, self.pattern.match, self.prefix
        while True:
            i = find(prefix, pos, end)
            if i < 0:
                return None
            m = match(buf, i, end)
            if m is not None:
                return m
            pos = i + 1

    def finditer(self, buf: bytes, pos: int, endpos: int) -> Iterator[re.Match[bytes]]:
        return self.pattern.finditer(buf, pos, endpos)


class RecordSplitter:
    """Cuts an XML byte stream into the chunks of one record element (any namespace prefix).

    Iterating yields ``(ordinal, chunk, complete)``; ``complete`` is False for a chunk that lacks its end
    tag. :attr:`prolog` keeps (the first 256 KB of) the bytes before the first record: the root element
    with its namespace declarations and the transaction header. :meth:`wrap` turns a chunk into a parseable
    document with the root's namespace declarations.
    """

    def __init__(self, stream: IO[bytes], name: str, read_size: int = READ_SIZE) -> None:
        self.stream = stream
        self.read_size = read_size
        tag = re.escape(name.encode())
        self._start = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?" + tag + rb"(?=[\s>/])")
        self._end = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?" + tag + rb"\s*>")
        # once the first record shows the document does not prefix it: literal-prefix patterns (much faster)
        self._plain = (_PrefixSearch(b"<" + name.encode(), re.compile(rb"<" + tag + rb"(?=[\s>/])")),
                       _PrefixSearch(b"</" + name.encode(), re.compile(rb"</" + tag + rb"\s*>")))
        self._name = name.encode()
        self._literal = b":" + self._name  # what any other start tag of the record contains
        self.prolog = b""
        self.bytes_read = 0
        self._in_prolog = True
        self._wrapper: tuple[bytes, bytes] | None = None
        #: whether the document declares namespace prefixes that records may use (set by :meth:`wrap`)
        self.prefixed = False

    def _take_prolog(self, data: bytes) -> None:
        if self._in_prolog and len(self.prolog) < (256 << 10):
            self.prolog += data[: (256 << 10) - len(self.prolog)]

    def __iter__(self) -> Iterator[tuple[int, bytes, bool]]:
        buf = b""
        ordinal = 0
        start, end = self._start, self._end
        while True:
            data = self.stream.read(self.read_size)
            self.bytes_read += len(data)
            if not data:
                break
            buf = buf + data if buf else data
            pos = 0
            while True:
                m = start.search(buf, pos)
                if m is None:
                    keep = max(pos, len(buf) - 256)
                    self._take_prolog(buf[pos:keep])
                    buf = buf[keep:]
                    break
                i = m.start()
                if self._in_prolog:
                    self._take_prolog(buf[pos:i])
                    self._in_prolog = False
                    if b":" not in m.group(0):
                        start, end = self._plain
                        self._start, self._end = self._plain
                        self._literal = b"<" + self._name
                # a self-closing record (<TradeMark .../>)
                gt = buf.find(b">", m.end())
                if gt < 0:
                    buf = buf[i:]
                    break
                if buf[gt - 1 : gt] == b"/":
                    ordinal += 1
                    yield ordinal, buf[i : gt + 1], True
                    pos = gt + 1
                    continue
                e = end.search(buf, gt)
                if e is None:
                    if len(buf) - i > MAX_RECORD_BYTES:
                        ordinal += 1
                        yield ordinal, buf[i : i + 4096], False
                        nxt = start.search(buf, m.end())
                        buf = buf[nxt.start():] if nxt else b""
                        pos = 0
                        continue
                    buf = buf[i:]
                    break
                # a start tag inside the record means the record before it never closed
                inner = None
                if buf.find(self._literal, m.end(), e.start()) >= 0:  # cheap pre-check
                    for found in start.finditer(buf, m.end(), e.start()):
                        inner = found
                if inner is not None:
                    ordinal += 1
                    yield ordinal, buf[i : inner.start()], False
                    i = inner.start()
                ordinal += 1
                yield ordinal, buf[i : e.end()], True
                pos = e.end()
        if self._in_prolog:
            self._take_prolog(buf)
        else:
            m = start.search(buf)
            if m is not None:
                ordinal += 1
                yield ordinal, buf[m.start():][:4096], False

    @property
    def utf8(self) -> bool:
        """Whether the document is UTF-8 (its declaration names no other encoding)."""
        enc = _DECL_ENCODING.match(self.prolog)
        return not enc or enc.group(1).lower() in (b"utf-8", b"utf8")

    def wrap(self, chunk: bytes) -> bytes:
        """``chunk`` inside an element declaring the document's namespaces (and its encoding)."""
        if self._wrapper is None:
            # prefixed declarations only: the default namespace is left out, so that the record's
            # unprefixed elements parse without a namespace (fast C-level find() by plain name)
            seen: set[bytes] = set()
            kept = []
            for m in _XMLNS.finditer(self.prolog):
                decl = m.group(0).strip()
                key = decl.partition(b"=")[0].strip()
                if key != b"xmlns" and key not in seen:
                    seen.add(key)
                    kept.append(decl)
            self.prefixed = any(k not in (b"xmlns:xsi", b"xmlns:xsd", b"xmlns:xml") for k in seen)
            enc = _DECL_ENCODING.match(self.prolog)
            head = b""
            if enc and enc.group(1).lower() not in (b"utf-8", b"utf8"):
                head = b'<?xml version="1.0" encoding="' + enc.group(1) + b'"?>'
            self._wrapper = (head + b"<_wrap " + b" ".join(kept) + b">", b"</_wrap>")
        return self._wrapper[0] + chunk + self._wrapper[1]


def parse_chunk(splitter: RecordSplitter, chunk: bytes, xml_parser: etree.XMLParser) -> Any:
    """The record element of ``chunk``, with plain (namespace-free) tags; raises ``etree.XMLSyntaxError``
    when malformed."""
    wrapped = etree.fromstring(splitter.wrap(chunk), xml_parser)
    record = wrapped[0]
    if splitter.prefixed or b"xmlns" in chunk:
        for element in record.iter():
            tag = element.tag
            if isinstance(tag, str) and tag[:1] == "{":
                element.tag = tag.rpartition("}")[2]
    return record


def read_error(member: str, source: Path, exc: BaseException) -> CorpusError:
    return CorpusError(f"cannot read {member} (truncated or corrupt file?): {exc}", path=source)


READ_ERRORS = (zipfile.BadZipFile, EOFError, OSError, zlib.error)


def digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def dmy_to_ymd(value: str) -> str:
    """``10/12/2013`` -> ``20131210``; ISO dates and ``YYYYMMDD`` pass through as ``YYYYMMDD``; else ""."""
    value = value.strip()
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if m:
        return f"{m.group(3)}{int(m.group(2)):02d}{int(m.group(1)):02d}"
    m = re.match(r"(\d{4})-?(\d{2})-?(\d{2})", value)
    if m:
        return m.group(1) + m.group(2) + m.group(3)
    return ""

