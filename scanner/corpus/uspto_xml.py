"""Importer for the USPTO "Trademark Full Text XML Data (No Images)" files.

Daily files (``apcYYMMDD.zip``) and the annual backfile (``apc18840407-20231231-NN.zip``) share one
format: a ``<trademark-applications-daily>`` document with an internal DTD and one ``<case-file>`` per
application. Accepts an ``.xml`` file or a ``.zip`` holding one or more ``.xml`` files.

Streaming and safe:

* the byte stream is cut at ``<case-file>`` ... ``</case-file>`` boundaries and each case-file is parsed
  on its own, so memory stays bounded by the read buffer plus one record, whatever the file size;
* the DTD is never parsed: no entity is ever declared, expanded or fetched (lxml with
  ``resolve_entities=False, no_network=True, load_dtd=False``); a record that uses an entity beyond the
  five XML built-ins is malformed;
* a malformed case-file is skipped and counted (``ImportStats.skipped["malformed_record"]``) and the
  import goes on; a truncated or corrupt zip raises a one-line :class:`CorpusError` naming the file.
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
from . import uspto_codes as codes
from .stats import ImportStats
from .xml_records import open_members, total_bytes

_START = b"<case-file>"
_END = b"</case-file>"
_ROOT = b"<trademark-applications-daily"
_CREATED = re.compile(rb"<creation-datetime>\s*(\d+)\s*</creation-datetime>")
_DECL_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")

#: Bytes read from the stream at a time.
READ_SIZE = 1 << 20
#: About how many bytes of whole case-files go to a parsing process at a time (``jobs`` > 1).
SEGMENT_BYTES = 4 << 20
#: A single case-file larger than this is treated as malformed (keeps memory bounded on a broken file).
MAX_RECORD_BYTES = 32 << 20
#: How much of the prolog (the DTD and file header before the first case-file) is kept to look for the
#: root element and ``creation-datetime``.
_PROLOG_KEEP = 256 << 10


#: The parts of a case-file the importer reads. Only these bytes are parsed (a case-file is mostly event
#: history, correspondent and flags we do not use): the elements before the header (serial-number,
#: registration-number, transaction-date), the header up to mark-drawing-code (the DTD fixes the order:
#: filing-date, registration-date, status-code, status-date, mark-identification, mark-drawing-code come
#: first), the statements, the classifications and the owners. A break in a part we skip therefore does
#: not make the record malformed; a part that starts but never ends does.
_HEADER, _HEADER_END = b"<case-file-header>", b"</case-file-header>"
_DRAWING_END = b"</mark-drawing-code>"
_SECTIONS = (
    (b"<case-file-statements>", b"</case-file-statements>"),
    (b"<classifications>", b"</classifications>"),
    (b"<case-file-owners>", b"</case-file-owners>"),
)


class _Broken(ValueError):
    """A case-file whose needed part has no end tag."""


def reduce_case_file(chunk: bytes) -> bytes:
    """The bytes of the parts of ``chunk`` the importer reads, as a smaller ``<case-file>`` document."""
    i = chunk.find(_HEADER)
    if i < 0:
        return chunk
    parts = [chunk[:i]]
    j = chunk.find(_HEADER_END, i)
    if j < 0:
        raise _Broken("no </case-file-header> end tag")
    k = chunk.find(_DRAWING_END, i, j)
    if k >= 0:
        parts += [chunk[i : k + len(_DRAWING_END)], _HEADER_END]
    else:
        parts.append(chunk[i : j + len(_HEADER_END)])
    at = j  # the DTD orders the sections: each is looked for after the one before, then after the header
    for start, end in _SECTIONS:
        a = chunk.find(start, at)
        if a < 0 and at != j:
            a = chunk.find(start, j)
        if a >= 0:
            b = chunk.find(end, a)
            if b < 0:
                raise _Broken(f"no {end.decode()} end tag")
            parts.append(chunk[a : b + len(end)])
            at = b + len(end)
    parts.append(b"</case-file>")
    return b"".join(parts)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def is_uspto_xml(path: Path) -> bool:
    """Whether ``path`` names a file this importer reads (by extension)."""
    return path.suffix.lower() in (".xml", ".zip")


def open_xml_members(path: Path) -> Iterator[tuple[str, IO[bytes], int]]:
    """Yield ``(member name, binary stream, uncompressed size)`` for the XML document(s) in ``path``."""
    yield from open_members(path, "USPTO XML")


#: The end of both the start and the end tag of a case-file: one scan finds the next of either.
_TAG_TAIL = b"case-file>"


def _record_end(buf: bytes, pos: int) -> tuple[int, int]:
    """(where the first ``</case-file>`` from ``pos`` on starts, or -1; where the last ``<case-file>``
    before it starts, or -1), in one pass over the bytes."""
    last = -1
    while True:
        q = buf.find(_TAG_TAIL, pos)
        if q < 0:
            return -1, last
        if buf[q - 2 : q] == b"</":
            return q - 2, last
        if buf[q - 1 : q] == b"<":
            last = q - 1
        pos = q + 1


def records_in(segment: bytes) -> Iterator[tuple[bytes, bool]]:
    """``(chunk, complete)`` of the case-files of a segment of :meth:`CaseFileSplitter.segments` (which ends
    with an end tag): the chunks the splitter's iteration yields for those bytes."""
    pos, start_len, end_len = 0, len(_START), len(_END)
    while True:
        i = segment.find(_START, pos)
        if i < 0:
            return
        j, last = _record_end(segment, i + start_len)
        if j < 0:  # pragma: no cover - a segment ends with an end tag: no start follows the last one
            return
        if last >= 0:
            yield segment[i:last], False
            i = last
        yield segment[i : j + end_len], True
        pos = j + end_len


class CaseFileSplitter:
    """Cuts an XML byte stream into ``<case-file>`` chunks without parsing the rest of the document.

    Iterating yields ``(ordinal, chunk, complete)``; ``complete`` is False for a chunk that lacks its end
    tag (a truncated or broken record). After iteration, :attr:`prolog` holds (the tail of) the bytes before
    the first case-file and :attr:`bytes_read` the bytes consumed.
    """

    def __init__(self, stream: IO[bytes], read_size: int | None = None) -> None:
        self.stream = stream
        self.read_size = READ_SIZE if read_size is None else read_size
        self.prolog = b""
        self.bytes_read = 0
        self._in_prolog = True

    def _take_prolog(self, data: bytes) -> None:
        if self._in_prolog:
            self.prolog = (self.prolog + data)[-_PROLOG_KEEP:]

    def __iter__(self) -> Iterator[tuple[int, bytes, bool]]:
        buf = b""
        ordinal = 0
        start_len, end_len = len(_START), len(_END)
        while True:
            data = self.stream.read(self.read_size)
            self.bytes_read += len(data)
            if not data:
                break
            buf = buf + data if buf else data
            pos = 0
            while True:
                i = buf.find(_START, pos)
                if i < 0:
                    keep = max(pos, len(buf) - start_len + 1)
                    self._take_prolog(buf[pos:keep])
                    buf = buf[keep:]
                    break
                if self._in_prolog:
                    self._take_prolog(buf[pos:i])
                    self._in_prolog = False
                j, last = _record_end(buf, i + start_len)
                if j < 0:
                    if len(buf) - i > MAX_RECORD_BYTES:
                        ordinal += 1
                        yield ordinal, buf[i : i + 4096], False
                        # resync at the next start tag after this one
                        k = buf.find(_START, i + start_len)
                        buf = buf[k:] if k >= 0 else b""
                        pos = 0
                        continue
                    buf = buf[i:]
                    break
                # a start tag inside the record means the record before it never closed
                if last >= 0:
                    ordinal += 1
                    yield ordinal, buf[i:last], False
                    i = last
                ordinal += 1
                yield ordinal, buf[i : j + end_len], True
                pos = j + end_len
        if self._in_prolog:
            self._take_prolog(buf)
        elif buf.find(_START) >= 0:
            ordinal += 1
            yield ordinal, buf[buf.find(_START):][:4096], False

    def segments(self) -> Iterator[tuple[bytes, bool]]:
        """The stream in pieces to cut elsewhere (a parsing process): ``(segment, True)`` for about
        :data:`SEGMENT_BYTES` that end right after a ``</case-file>``, which :func:`records_in` cuts into the
        very chunks iterating this splitter yields; ``(chunk, False)`` for a case-file given up here as
        iterating gives it up (no end tag within :data:`MAX_RECORD_BYTES`, or none before the end of the
        stream). Only an ``rfind`` per read happens here: the cutting, like the parsing, is left to the
        processes."""
        buf = bytearray()  # grown in place: a segment of several reads is not copied at every read
        whole = 0  # buf[:whole] ends right after an end tag: whole records, not handed out yet
        start_len = len(_START)
        while True:
            data = self.stream.read(self.read_size)
            self.bytes_read += len(data)
            if not data:
                break
            buf += data
            if self._in_prolog:
                i = buf.find(_START)
                if i < 0:
                    keep = max(0, len(buf) - start_len + 1)
                    self._take_prolog(bytes(buf[:keep]))
                    del buf[:keep]
                    continue
                self._take_prolog(bytes(buf[:i]))
                self._in_prolog = False
                del buf[:i]
            cut = buf.rfind(_END, whole)
            if cut >= 0:
                whole = cut + len(_END)
            if whole >= SEGMENT_BYTES:
                yield bytes(buf[:whole]), True
                del buf[:whole]
                whole = 0
            while True:  # the rest holds no end tag: a record that never ends is given up as __iter__ does
                i = buf.find(_START, whole)
                if i < 0:
                    del buf[whole : max(whole, len(buf) - start_len + 1)]
                    break
                if len(buf) - i <= MAX_RECORD_BYTES:
                    break
                if whole:
                    yield bytes(buf[:whole]), True
                    del buf[:whole]
                    i, whole = i - whole, 0
                yield bytes(buf[i : i + 4096]), False
                k = buf.find(_START, i + start_len)
                del buf[: k if k >= 0 else len(buf)]
        if whole:
            yield bytes(buf[:whole]), True
            del buf[:whole]
        if self._in_prolog:
            self._take_prolog(bytes(buf))
        elif (i := buf.find(_START)) >= 0:
            yield bytes(buf[i : i + 4096]), False

    @property
    def creation_datetime(self) -> str:
        m = _CREATED.search(self.prolog)
        return m.group(1).decode("ascii") if m else ""

    @property
    def is_trademark_xml(self) -> bool:
        return _ROOT in self.prolog

    @property
    def encoding(self) -> str:
        m = _DECL_ENCODING.match(self.prolog) if self.prolog.lstrip().startswith(b"<?xml") else None
        return m.group(1).decode("ascii").lower() if m else "utf-8"


_HEADER_TAGS = frozenset({"filing-date", "registration-date", "status-code", "mark-identification",
                          "mark-drawing-code"})


def parse_case_file(element: Any, source: str) -> tuple[dict[str, str], int, int]:
    """One parsed ``<case-file>`` element -> (a record in ``MARK_COLUMNS``, all ``str``; the number of
    US-only class codes it had; the number of class codes that are neither Nice classes nor US-only ones,
    left out of ``nice_classes``)."""
    serial = registration = transaction = ""
    header: dict[str, str] = {}
    statements: list[tuple[str, str]] = []
    classes: list[int] = []
    us_only = unknown = 0
    owners: list[tuple[str, str, str]] = []
    for child in element:
        tag = child.tag
        if tag == "serial-number":
            serial = child.text or ""
        elif tag == "registration-number":
            registration = child.text or ""
        elif tag == "transaction-date":
            transaction = child.text or ""
        elif tag == "case-file-header":
            for field in child:
                if field.tag in _HEADER_TAGS:
                    header[field.tag] = field.text or ""
        elif tag == "case-file-statements":
            # (lxml's findtext is slow: read the few children directly)
            for statement in child:
                kids = list(statement)
                type_code = next((k.text or "" for k in kids if k.tag == "type-code"), "")
                if type_code[:2].upper() == "GS":
                    text = " ".join(k.text or "" for k in kids if k.tag == "text")
                    statements.append((type_code, text))
        elif tag == "classifications":
            for code_el in child.iter("international-code"):
                code = (code_el.text or "").strip()
                value = codes.nice_class(code)
                if value is not None:
                    classes.append(value)
                elif code.upper() in codes.US_ONLY_CLASS_CODES:
                    us_only += 1
                elif code:
                    unknown += 1
        elif tag == "case-file-owners":
            for owner in child:
                values = {k.tag: k.text or "" for k in owner.iterchildren("party-type", "entry-number", "party-name")}
                owners.append((values.get("party-type", ""), values.get("entry-number", ""),
                               values.get("party-name", "")))
    status_code = header.get("status-code", "").strip()
    return {
        "mark": codes.clean_text(header.get("mark-identification", "")),
        "owner": codes.current_owner(owners),
        "nice_classes": codes.join_classes(classes),
        "status": codes.status_from_code(status_code),
        "jurisdiction": "US",
        "serial_number": codes.clean_serial(serial),
        "registration_number": codes.clean_registration_number(registration),
        "kind": "",
        "source": source,
        "goods_services": codes.goods_services(statements),
        "drawing_code": codes.drawing_code(header.get("mark-drawing-code", "")),
        "status_code": status_code,
        "filing_date": codes.clean_date(header.get("filing-date", "")),
        "registration_date": codes.clean_date(header.get("registration-date", "")),
        "transaction_date": codes.clean_date(transaction),
    }, us_only, unknown


#: A member smaller than this (uncompressed) is parsed here even with ``jobs`` > 1: starting processes
#: would cost more than they save.
PARALLEL_MIN_BYTES = 32 << 20


def _parse_body(body: bytes, parser: etree.XMLParser, source: str) -> tuple[dict[str, str], int, int] | str:
    """(record, US-only class codes, unknown class codes) of one reduced case-file, or why it does not
    parse."""
    try:
        return parse_case_file(etree.fromstring(body, parser), source)
    except (etree.XMLSyntaxError, ValueError) as exc:
        return str(exc)


_Parse = tuple[dict[str, str], int, int] | str | None


def _parse_chunk(chunk: bytes, complete: bool, prefix: bytes, parser: etree.XMLParser,
                 source: str) -> tuple[_Parse, str]:
    """``(parse, serial)`` of one chunk: the parse is ``None`` for an incomplete chunk, else the record or why
    it does not parse (then ``serial`` names its serial number, see :func:`_serial`). ``prefix``: the XML
    declaration put before the case-file of a document not in UTF-8 (b"": none, and no copy of the body)."""
    if not complete:
        return None, ""
    parse: _Parse
    try:
        body = reduce_case_file(chunk)
    except _Broken as exc:
        parse = str(exc)
    else:
        parse = _parse_body(prefix + body if prefix else body, parser, source)
    return parse, _serial(chunk) if isinstance(parse, str) else ""


def _parse_segments(source: str) -> Any:
    """The function a parsing process runs: ``(prefix, segment or given-up chunk, whole)`` (see
    :meth:`CaseFileSplitter.segments`) -> ``(complete, parse, serial)`` of each of its case-files."""
    def parse(task: tuple[bytes, bytes, bool]) -> list[tuple[bool, _Parse, str]]:
        prefix, data, whole = task
        if not whole:
            return [(False, None, "")]
        parser = _parser()
        return [(complete, *_parse_chunk(chunk, complete, prefix, parser, source))
                for chunk, complete in records_in(data)]
    return parse


class _Member:
    """The case-file chunks (or segments) of one XML member, the member checked to be a USPTO trademark XML
    file when its first case-file is reached, before any is parsed."""

    def __init__(self, splitter: CaseFileSplitter, path: Path) -> None:
        self.splitter, self.path = splitter, path
        self.checked = False
        self.created = ""
        #: The XML declaration put before each case-file of a document not in UTF-8.
        self.prefix = b""

    def _check(self) -> None:
        self.checked = True
        if not self.splitter.is_trademark_xml:
            raise CorpusError("not a USPTO trademark XML file (no <trademark-applications-daily> "
                              "element before the first <case-file>)", path=self.path)
        self.created = self.splitter.creation_datetime
        if self.splitter.encoding not in ("utf-8", "utf8"):
            self.prefix = f'<?xml version="1.0" encoding="{self.splitter.encoding}"?>'.encode("ascii")

    def __iter__(self) -> Iterator[tuple[int, bytes, bool]]:
        for item in self.splitter:
            if not self.checked:
                self._check()
            yield item

    def segments(self) -> Iterator[tuple[bytes, bytes, bool]]:
        """``(prefix, data, whole)``: :meth:`CaseFileSplitter.segments` with the declaration to put before
        each case-file."""
        for data, whole in self.splitter.segments():
            if not self.checked:
                self._check()
            yield self.prefix, data, whole


_SERIAL = re.compile(rb"<serial-number>\s*(\d+)")


def _serial(chunk: bytes) -> str:
    """" (serial N)" for the detail of a case-file that does not parse, or "" when none is found."""
    found = _SERIAL.search(chunk)
    return f" (serial {found.group(1).decode()})" if found else ""


def _parses(chunks: _Member, source: str, jobs: int) -> Iterator[tuple[int, bool, _Parse, str]]:
    """``(ordinal, complete, parse, serial)`` of each chunk, in order (see :func:`_parse_chunk`). With ``jobs``
    > 1 this process only reads the stream and hands it out in segments of about :data:`SEGMENT_BYTES`
    (:meth:`CaseFileSplitter.segments`) to that many forked processes (:func:`scanner.forked.fork_imap`), which cut them
    into case-files and parse them: the same parses, in the same order."""
    if jobs <= 1:
        parser = _parser()
        for ordinal, chunk, complete in chunks:
            yield ordinal, complete, *_parse_chunk(chunk, complete, chunks.prefix, parser, source)
        return
    from ..forked import fork_imap

    ordinal = 0
    for parsed in fork_imap(_parse_segments(source), chunks.segments(), jobs=jobs, ahead=2 * jobs,
                            what="an XML parsing process"):
        for complete, parse, serial in parsed:
            ordinal += 1
            yield ordinal, complete, parse, serial


def iter_uspto_xml(
    path: str | Path,
    *,
    stats: ImportStats | None = None,
    bar: Any = None,
    jobs: int = 1,
) -> Iterator[dict[str, str]]:
    """Stream the case-files of a USPTO Trademark XML file (``.xml`` or ``.zip``) as records.

    Each record has the ``MARK_COLUMNS`` plus ``_created`` (the document's ``creation-datetime``, used to
    order updates of the same serial number). Records are yielded as they are (design marks with no mark
    text included); the corpus build de-duplicates serial numbers and drops records without mark text.
    ``bar`` (a progress bar) is advanced by the bytes read. ``jobs`` > 1 parses the case-files of a large
    file (:data:`PARALLEL_MIN_BYTES`) in that many forked processes while this one reads the file: the same
    records and counts in the same order.
    """
    path = Path(path)
    stats = stats if stats is not None else ImportStats()
    source = path.name
    for member, stream, size in open_xml_members(path):
        splitter = CaseFileSplitter(stream)
        label = source if member == source else f"{source}:{member}"
        last_bytes = 0
        chunks = _Member(splitter, path)
        member_jobs = jobs if size >= PARALLEL_MIN_BYTES else 1
        try:
            for ordinal, complete, parse, serial in _parses(chunks, source, member_jobs):
                stats.read += 1
                if bar is not None and splitter.bytes_read != last_bytes:
                    bar.update(splitter.bytes_read - last_bytes)
                    last_bytes = splitter.bytes_read
                if not complete:
                    stats.skip("malformed_record", path=label,
                               detail=f"case-file #{ordinal}: no </case-file> end tag (truncated or broken)")
                    continue
                if isinstance(parse, str):
                    stats.skip("malformed_record", path=label, detail=f"case-file #{ordinal}{serial}: {parse}")
                    continue
                record, us_only, unknown = parse
                if not record["serial_number"]:
                    stats.skip("malformed_record", path=label,
                               detail=f"case-file #{ordinal}: no serial-number")
                    continue
                if us_only:
                    stats.flags["us_only_class_codes"] += 1
                if unknown:
                    stats.flags["unknown_class_codes"] += 1
                if record["status_code"] and not record["status"]:
                    stats.flags["status_unknown"] += 1
                record["_created"] = chunks.created
                stats.yielded += 1
                yield record
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
            raise CorpusError(f"cannot read {member} (truncated or corrupt file?): {exc}", path=path) from None
        if not chunks.checked and not splitter.is_trademark_xml:
            raise CorpusError("not a USPTO trademark XML file (no <trademark-applications-daily> element)",
                              path=path)
        stats.bytes_read += splitter.bytes_read
        if bar is not None and splitter.bytes_read != last_bytes:
            bar.update(splitter.bytes_read - last_bytes)


def xml_total_bytes(path: Path) -> int:
    """Uncompressed bytes the importer will read (for a progress bar); 0 if unknown."""
    return total_bytes(path)
