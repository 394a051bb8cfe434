"""Importer for ST.66-shaped ``<TradeMark>`` records: EUIPO open data, TMview / UKIPO TM-Search, WIPO Madrid.

One element vocabulary, several generations and namespaces (compared by local name only):

* **EUIPO** open data, legacy ``http://euipo.europa.eu/trademark/data`` (owners only as
  ``ApplicantDetails/ApplicantKey/Identifier``; names in separate Applicant files) and current
  ``http://www.euipo.europa.eu/EUTM/EUTM_Download`` (``ApplicantDetails/Applicant`` embedded);
  ``TradeMark@operationCode="Delete"`` removes the mark (differential files);
* **TMview** "TM-Search" records of national offices (UKIPO ``gb.tmview.europa.eu``, OSIM
  ``ro.tmview.europa.eu``, ...), owners by ``ApplicantKey/URI`` or ``Identifier`` (+ an applicant document)
  or embedded;
* **WIPO Madrid** international registrations (ST.66 ``RegistrationOfficeCode`` ``WO``): see :mod:`.madrid`.

Each record is cut out of the byte stream and parsed alone (:mod:`.xml_records`); its goods and services
texts (up to 23 languages per class in EUIPO files) are read by bytes when they are plain (see
:func:`take_goods`), else by the parser. Fields are read from the record's *direct* children only: an opposition's ``EarlierMark`` repeats
``ApplicationNumber``, ``MarkFeature`` and ``WordMarkSpecification`` of the opponent's mark, which is not
this record's mark. Applicant files given as sources are joined by applicant identifier (kept in
``owner_ids`` whether or not a name was found).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from lxml import etree

from . import madrid
from . import uspto_codes as codes
from . import xml_records as xr
from .office_status import is_delete_label, map_status
from .stats import ImportStats

_OFFICE_NS = re.compile(rb"https?://(?:www\.)?([a-z]{2})\.tmview\.europa\.eu/")
_EUIPO_NS = (b"euipo.europa.eu/trademark/data", b"euipo.europa.eu/EUTM/EUTM_Download")
_HEADER_DATE = re.compile(rb"<(?:\w+:)?RequestProducerDateTime>\s*([0-9T:.\-+Z ]+?)\s*<")
_NAME_DATE = re.compile(r"(?<!\d)(20\d{6})(?!\d)")

#: ``RegistrationOfficeCode`` -> our jurisdiction code.
OFFICE_JURISDICTION = {"EM": "EU", "EU": "EU", "UK": "GB", "GB": "GB", "WO": "WO", "IB": "WO"}


def jurisdiction_of(office_code: str) -> str:
    code = office_code.strip().upper()
    return OFFICE_JURISDICTION.get(code, code)


# --- applicants -------------------------------------------------------------------------------------


def applicant_name(applicant: Any) -> str:
    """The name of an ST.66 ``Applicant`` element (organisation, or first + last name, or free format)."""
    name = xr.path(applicant, "ApplicantAddressBook", "FormattedNameAddress", "Name")
    if name is None:
        return ""
    formatted = xr.child(name, "FormattedName")
    if formatted is not None:
        org = xr.text(formatted, "OrganizationName")
        if org:
            return org
        parts = [xr.text(formatted, tag) for tag in ("FirstName", "MiddleName", "LastName", "SecondLastName")]
        person = " ".join(p for p in parts if p)
        if person:
            return person
    free = xr.path(name, "FreeFormatName", "FreeFormatNameDetails")
    if free is not None:
        return " ".join(xr.text(line) for line in xr.children(free, "FreeFormatNameLine") if xr.text(line))
    return ""


def _small_child(element: Any, name: str) -> Any:
    """:func:`xml_records.child` for an element of a few children (a plain loop costs less than lxml's
    tag matcher there)."""
    if element is None:
        return None
    for kid in element:
        if kid.tag == name:
            return kid
    return None


def _key_id(key: Any) -> str:
    """The identifier of an ``ApplicantKey``: ``Identifier``, else the last path segment of ``URI``."""
    ident = xr.text(_small_child(key, "Identifier"))
    if ident:
        return ident
    uri = xr.text(_small_child(key, "URI"))
    return uri.rstrip("/").rpartition("/")[2] if uri else ""


def iter_applicants(source: Path, stats: ImportStats | None = None) -> Iterator[tuple[str, str, bool]]:
    """``(identifier, name, deleted)`` of each ``<Applicant>`` of an EUIPO / TMview applicant file."""
    xml_parser = xr.parser()
    for member, stream in xr.iter_members(source, "applicant XML"):
        splitter = xr.RecordSplitter(stream, "Applicant")
        try:
            for ordinal, chunk, complete in splitter:
                if stats is not None:
                    stats.read += 1
                if not complete:
                    if stats is not None:
                        stats.skip("malformed_record", path=member, detail=f"Applicant #{ordinal}: no end tag")
                    continue
                try:
                    element = xr.parse_chunk(splitter, chunk, xml_parser)
                except etree.XMLSyntaxError as exc:
                    if stats is not None:
                        stats.skip("malformed_record", path=member, detail=f"Applicant #{ordinal}: {exc}")
                    continue
                ident = xr.text(element, "ApplicantIdentifier")
                if ident:
                    deleted = (element.get("operationCode") or "").strip().lower() == "delete"
                    yield ident, applicant_name(element), deleted
        except xr.READ_ERRORS as exc:
            raise xr.read_error(member, source, exc) from None


@lru_cache(maxsize=4)
def _applicant_index(paths: tuple[tuple[str, float], ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for name, _mtime in paths:
        for ident, person, deleted in iter_applicants(Path(name)):
            if deleted:
                index.pop(ident, None)
            elif person:
                index[ident] = person
    return index


def applicant_index(files: Iterable[Path]) -> dict[str, str]:
    """identifier -> name over the applicant files (in order: a later file updates an earlier one)."""
    key = tuple((str(p), p.stat().st_mtime) for p in files)
    return _applicant_index(key) if key else {}


# --- trademarks -------------------------------------------------------------------------------------


#: Blocks that hold other marks' data: a goods section after one of them opens is left to the parser.
_NESTING = (b"<OppositionDetails", b"<EarlierMark", b"<MarkRecordDetails", b"<AppealDetails",
            b"<CancellationDetails")
_NESTING_TAG = re.compile(b"|".join(re.escape(tag) for tag in _NESTING))
_GS_START, _GS_END = b"<GoodsServicesDetails>", b"</GoodsServicesDetails>"
_GS_TAG = b"<GoodsServicesDescription"
_GS_LANG = re.compile(rb'\s+[Ll]anguageCode\s*=\s*"([A-Za-z-]{0,12})"\s*')
_CLASS_NUMBER = re.compile(rb"<ClassNumber>\s*(\d{1,3})\s*</ClassNumber>")
_NICE = {str(n).encode(): n for n in range(1, 46)} | {f"{n:02d}".encode(): n for n in range(1, 46)} | {
    f"{n:03d}".encode(): n for n in range(1, 46)}


#: A goods text that cannot go into the JSON column as its raw bytes (needs escaping or whitespace cleaning).
_REJECT_BYTES = bytes(c for c in range(32) if c not in (9, 10, 13)) + b"<&"
_SPACE_BYTES = b"\t\n\r"


def _raw_text(text: bytes) -> bytes | None:
    """A goods text as clean bytes (whitespace collapsed), or None when it needs the XML parser: markup, an
    entity or character reference, a control character."""
    if len(text.translate(None, _REJECT_BYTES)) != len(text):
        return None
    if (b"  " in text or text[:1] == b" " or text[-1:] == b" "
            or len(text.translate(None, _SPACE_BYTES)) != len(text)):
        return b" ".join(text.split())
    return text


def _json_bytes(text: bytes) -> bytes:
    """A clean goods text (see :func:`_raw_text`) escaped for a JSON string."""
    if b"\\" in text:
        text = text.replace(b"\\", b"\\\\")
    if b'"' in text:
        text = text.replace(b'"', b'\\"')
    return text


_GS_CLOSE = b"</GoodsServicesDescription>"

#: Goods taken by bytes: (Nice classes, {language: [texts as clean UTF-8 bytes]}, whether a text holds a
#: quote or backslash to escape in JSON).
TakenGoods = tuple[list[int], dict[str, list[bytes]], bool]


def take_goods(chunk: bytes) -> tuple[bytes, TakenGoods | None]:
    """The Nice classes and the texts per language of each ``<GoodsServicesDescription>`` of a UTF-8
    record, read by bytes; the ``<GoodsServicesDetails>`` section is then cut out of the record before it is
    parsed. An EUIPO record carries up to 23 languages per class (most of its bytes): keeping them as bytes
    until the JSON column is built saves decoding, cleaning and escaping each one.

    Returns ``(chunk, None)`` - the record untouched, for the XML parser to read - whenever the section is
    not in the simple form: other attributes, markup, entity or character references or control characters
    in a text, prefixed tags.
    """
    i = chunk.find(_GS_START)
    if i < 0:
        return chunk, None
    j = chunk.find(_GS_END, i)
    if j < 0:
        return chunk, None
    if _NESTING_TAG.search(chunk, 0, i):  # maybe another mark's goods (an opposition's earlier mark)
        return chunk, None
    section = chunk[i:j]
    taken = _take_usual(section)
    if taken is None:
        taken = _take_plain(section)
    if taken is None:
        taken = _take_general(section)
        if taken is None:
            return chunk, None
    return chunk[:i] + chunk[j + len(_GS_END):], taken


#: A goods text in the plain form (one regular expression over the whole section, in C): the attribute
#: written exactly ``languageCode="xx"`` (letters and hyphens, at most 12), a text without markup; the
#: texts are then checked together for references, tabs, newlines and control characters.
_GS_PLAIN = re.compile(rb'<GoodsServicesDescription languageCode="(?=[A-Za-z-]{1,12}")(-*[A-Za-z][A-Za-z-]*)">'
                       rb"([^<]*)</GoodsServicesDescription>")
_NOT_PLAIN = bytes(range(32)) + b"&"


class _Memo(dict):
    """A dict that computes (and, up to a bound, remembers) a missing value: ``memo[key]`` in C for a hit."""

    def __init__(self, compute: Any) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key: Any) -> Any:
        value = self._compute(key)
        if len(self) < 4096:
            self[key] = value
        return value


#: ``EN`` -> ``en``; ``en`` -> ``"en": "`` (the start of a JSON member); ``en`` -> ``en`` as bytes.
_LANG_KEYS = _Memo(lambda code: code.decode("ascii").lower())
_JSON_KEYS = _Memo(lambda lang: b'"' + lang.encode("ascii") + b'": "')
_JSON_NAMES = _Memo(lambda lang: lang.encode("ascii"))
_JSON_MEMBER = b'"%s": "%s"'
_first = itemgetter(0)


#: Each ``<GoodsServicesDescription`` of a section: its language code and text when it is in the plain form
#: of :data:`_GS_PLAIN`, else two empty groups.
_GS_EACH = re.compile(rb'<GoodsServicesDescription(?: languageCode="(?=[A-Za-z-]{1,12}")(-*[A-Za-z][A-Za-z-]*)">'
                      rb"([^<]*)</GoodsServicesDescription>)?")


#: Maps each byte a plain text may not hold (a control character, "&") to another byte, the rest to itself.
_PLAIN_BYTES = bytes(ord("<") if c < 32 or c == ord("&") else c for c in range(256))


def _take_usual(section: bytes) -> TakenGoods | None:
    """:func:`take_goods` for the usual section: every text plain (see :func:`_take_plain`), none empty,
    none with a leading, trailing or double space, each language once; None otherwise (then
    :func:`_take_plain` reads it, with the same result)."""
    items = _GS_EACH.findall(section)
    if not items:
        return None
    codes, texts = zip(*items, strict=True)
    if b"" in codes or b"" in texts:
        return None
    joined = b" ".join(texts)  # an empty text, a leading or trailing space shows as a double space too
    if joined.translate(_PLAIN_BYTES) != joined:  # a reference, a control character
        return None
    if b"  " in joined or joined[:1] == b" " or joined[-1:] == b" ":
        return None
    keys = list(map(_LANG_KEYS.__getitem__, codes))
    if len(set(keys)) != len(keys):
        return None
    numbers = []
    at = section.find(b"<ClassNumber")
    while at >= 0:
        number = _CLASS_NUMBER.match(section, at)
        if number is None:
            return None
        numbers.append(number.group(1))
        at = section.find(b"<ClassNumber", number.end())
    by_lang = dict(zip(keys, map(list, zip(texts)), strict=True))
    return [_NICE[n] for n in numbers if n in _NICE], by_lang, b'"' in joined or b"\\" in joined


def _take_plain(section: bytes) -> TakenGoods | None:
    """:func:`take_goods` for a section whose every text is in the plain form; None otherwise (then
    :func:`_take_general` reads it text by text, with the same result)."""
    items = _GS_PLAIN.findall(section)
    if len(items) != section.count(_GS_TAG):
        return None
    joined = b"\0".join([t for _, t in items])
    if len(joined.translate(None, _NOT_PLAIN)) != len(joined) - max(len(items) - 1, 0):  # only the separators
        return None
    if b"  " in joined or b"\0 " in joined or b" \0" in joined or joined[:1] == b" " or joined[-1:] == b" ":
        items = [(code, _raw_text(t)) for code, t in items]  # collapse the spaces (never None: plain text)
    escape = b'"' in joined or b"\\" in joined
    codes = [code for code, _ in items]
    if len(set(codes)) == len(codes) and b"\0\0" not in b"\0" + joined + b"\0":
        # the usual record: one class, each language once, no empty text (no Python-level loop per text)
        keys = list(map(_LANG_KEYS.__getitem__, codes))
        if len(set(keys)) == len(keys):
            by_lang = dict(zip(keys, map(list, zip([t for _, t in items], strict=True)), strict=True))
            numbers = _CLASS_NUMBER.findall(section)
            if len(numbers) != section.count(b"<ClassNumber"):
                return None
            return [_NICE[n] for n in numbers if n in _NICE], by_lang, escape
    by_code: dict[bytes, list[bytes]] = {}
    for code, text in items:
        if text:
            texts = by_code.get(code)
            if texts is None:
                by_code[code] = [text]
            else:
                texts.append(text)
    by_lang = {_LANG_KEYS[code]: texts for code, texts in by_code.items()}
    if len(by_lang) != len(by_code):  # "EN" and "en" in one record: merged in document order
        return None
    # no plain text holds "<": every <ClassNumber> of the section is outside the texts
    numbers = _CLASS_NUMBER.findall(section)
    if len(numbers) != section.count(b"<ClassNumber"):
        return None
    return [_NICE[n] for n in numbers if n in _NICE], by_lang, escape


def _take_general(section: bytes) -> TakenGoods | None:
    """:func:`take_goods` text by text (other whitespace, spaced attributes); None when the section needs
    the XML parser."""
    by_lang: dict[str, list[bytes]] = {}
    escape = False
    parts = section.split(_GS_TAG)
    rest_parts = [parts[0]]
    for part in parts[1:]:
        head, sep, rest = part.partition(b">")
        text, sep2, tail = rest.partition(_GS_CLOSE)
        if not sep or not sep2:
            return None
        text = _raw_text(text)
        if text is None:
            return None
        if head[:15] == b' languageCode="' and head[-1:] == b'"' and len(head) <= 28:
            code = head[15:-1]
        else:
            lang = _GS_LANG.fullmatch(head)
            if lang is None:
                return None
            code = lang.group(1)
        if not (code.isascii() and code.replace(b"-", b"").isalpha()):
            return None
        rest_parts.append(tail)
        if b'"' in text or b"\\" in text:
            escape = True
        if text:
            key = code.decode("ascii").lower()
            if key in by_lang:
                by_lang[key].append(text)
            else:
                by_lang[key] = [text]
    numbers = _CLASS_NUMBER.findall(b"".join(rest_parts))
    if len(numbers) != section.count(b"<ClassNumber"):
        return None
    classes = [_NICE[n] for n in numbers if n in _NICE]
    return classes, by_lang, escape


def _goods(trademark: Any) -> tuple[list[int], dict[str, list[str]]]:
    """(Nice classes, {language: [texts]}) read from the parsed record."""
    by_lang: dict[str, list[str]] = {}
    clean = xr.clean
    classes = []
    for desc in trademark.iterfind("GoodsServicesDetails/GoodsServices/ClassDescriptionDetails/ClassDescription"):
        value = codes.nice_class(desc.findtext("ClassNumber") or "")
        if value is not None:
            classes.append(value)
        for gs in desc.iterfind("GoodsServicesDescription"):
            words = clean(gs.text)
            if words:
                lang = (gs.get("languageCode") or gs.get("LanguageCode") or "").strip().lower()
                by_lang.setdefault(lang, []).append(words)
    return classes, by_lang


def _goods_columns(by_lang: dict[str, list[str]], pick: str) -> tuple[str, str]:
    """(``goods_services``: the texts of language ``pick`` joined, ``goods_services_by_lang``: JSON)."""
    if not by_lang:
        return "", ""
    return " | ".join(by_lang[pick]), json.dumps({k: " | ".join(v) for k, v in by_lang.items()}, ensure_ascii=False)


def _taken_goods_columns(raw: dict[str, list[bytes]], pick: str, escape: bool) -> tuple[str, str]:
    """:func:`_goods_columns` from the clean bytes of :func:`take_goods`: the JSON is built as bytes and
    decoded once (a record that is not UTF-8 is malformed: ``UnicodeDecodeError``, a ValueError)."""
    if not raw:
        return "", ""
    if len(raw) == sum(map(len, raw.values())):  # one text per language: members made in C
        texts = list(map(_first, raw.values()))
        if escape:  # all texts escaped at once (a clean text holds no NUL)
            texts = _json_bytes(b"\0".join(texts)).split(b"\0")
        members = map(_JSON_MEMBER.__mod__, zip(map(_JSON_NAMES.__getitem__, raw), texts, strict=True))
    else:
        quoted = {k: [_json_bytes(t) for t in v] for k, v in raw.items()} if escape else raw
        members = [_JSON_KEYS[k] + b" | ".join(v) + b'"' for k, v in quoted.items()]
    as_json = b"{" + b", ".join(members) + b"}"
    return b" | ".join(raw[pick]).decode("utf-8"), as_json.decode("utf-8")


def _owners(details: Any, applicants: dict[str, str]) -> tuple[list[str], list[str], int]:
    """(names, identifiers, identifiers without a name) of a record's ``ApplicantDetails`` (or None)."""
    names: list[str] = []
    ids: list[str] = []
    missing = 0
    if details is None:
        return names, ids, 0
    for item in details:
        tag = xr.local(item.tag)
        if tag == "Applicant":
            ident = xr.text(item, "ApplicantIdentifier")
            name = applicant_name(item) or applicants.get(ident, "")
        elif tag == "ApplicantKey":
            ident = _key_id(item)
            if ident in ids:  # the embedded Applicant that follows repeats the key (TMview)
                continue
            name = applicants.get(ident, "")
        else:
            continue
        if ident and ident in ids:
            pos = ids.index(ident)
            if name and not names[pos]:
                names[pos] = name
            continue
        ids.append(ident)
        names.append(name)
    missing = sum(1 for n in names if not n)
    return names, ids, missing


_FIELDS = frozenset({"RegistrationOfficeCode", "ApplicationNumber", "RegistrationNumber", "RegistrationDate",
                     "MarkCurrentStatusCode", "WordMarkSpecification", "ApplicationLanguageCode",
                     "SecondLanguageCode", "ApplicationDate", "MarkFeature", "ExpiryDate", "ApplicantDetails"})


def _date(value: str | None) -> str:
    """ISO ``2020-04-08`` (the ST.66 form) -> ``20200408``; anything else through ``clean_date``."""
    if not value:
        return ""
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        return value[:4] + value[5:7] + value[8:]
    return codes.clean_date(value)


def parse_trademark(element: Any, *, office: str, applicants: dict[str, str], source: str,
                    today: str, goods: TakenGoods | None = None) -> dict[str, str]:
    """One ``<TradeMark>`` element -> a record (``MARK_COLUMNS`` extras included; ``_delete`` set for a
    Delete operation). ``office`` is the jurisdiction implied by the document (namespace) when the record
    has no ``RegistrationOfficeCode``."""
    clean = xr.clean
    fields: dict[str, Any] = {}
    for kid in element:  # direct children only (plain local names, see xml_records)
        tag = kid.tag
        if tag in _FIELDS and tag not in fields:
            fields[tag] = kid
    texts = {tag: kid.text for tag, kid in fields.items()}
    find = texts.get

    office_code = clean(find("RegistrationOfficeCode"))
    jurisdiction = jurisdiction_of(office_code) if office_code else office
    serial = clean(find("ApplicationNumber"))
    registration = clean(find("RegistrationNumber"))
    registration_date = _date(find("RegistrationDate"))
    if not registration and registration_date and jurisdiction == "EU":
        registration = serial  # an EUTM keeps its application number as registration number
    status_label = clean(find("MarkCurrentStatusCode"))
    operation = (element.get("operationCode") or "").strip().lower()
    mark = xr.text(_small_child(fields.get("WordMarkSpecification"), "MarkVerbalElementText"))
    if goods is not None:
        classes, by_lang, escape = goods
    else:
        classes, by_lang = _goods(element)
    names, ids, _missing = _owners(fields.get("ApplicantDetails"), applicants)
    languages = [clean(find(t)).lower() for t in ("ApplicationLanguageCode", "SecondLanguageCode")]
    languages = [x for x in dict.fromkeys(languages) if x]
    if len(by_lang) <= 3:
        for lang in by_lang:
            if lang and lang not in languages:
                languages.append(lang)
    pick = ""
    if by_lang:
        pick = "en" if "en" in by_lang else (languages[0] if languages and languages[0] in by_lang
                                              else next(iter(by_lang)))
    if goods is not None:
        goods_text, goods_json = _taken_goods_columns(by_lang, pick, escape)  # type: ignore[arg-type]
    else:
        goods_text, goods_json = _goods_columns(by_lang, pick)
    record = {
        "mark": mark,
        "owner": "; ".join(n for n in names if n),
        "nice_classes": codes.join_classes(classes),
        "status": map_status(status_label, jurisdiction),
        "jurisdiction": jurisdiction,
        "serial_number": serial,
        "registration_number": registration,
        "kind": "",
        "source": source,
        "aliases": "",
        "goods_services": goods_text,
        "drawing_code": "",
        "status_code": status_label,
        "filing_date": _date(find("ApplicationDate")),
        "registration_date": registration_date,
        "transaction_date": "",
        "languages": ";".join(languages),
        "goods_services_by_lang": goods_json,
        "designations": "",
        "owner_ids": ";".join(i for i in ids if i),
        "mark_feature": clean(find("MarkFeature")),
        "expiry_date": _date(find("ExpiryDate")),
        "_delete": "1" if operation == "delete" or is_delete_label(status_label) else "",
    }
    if jurisdiction == "WO":
        madrid.apply(record, element, today=today)
    return record


def document_office(prolog: bytes) -> str:
    """The jurisdiction a document's namespace implies ("" when it does not say)."""
    if any(ns in prolog for ns in _EUIPO_NS):
        return "EU"
    m = _OFFICE_NS.search(prolog)
    if m:
        return jurisdiction_of(m.group(1).decode().upper())
    return ""


def _document_date(prolog: bytes, label: str) -> tuple[str, str]:
    """(YYYYMMDD, full timestamp digits) of the document: its ``RequestProducerDateTime``, else a date in
    the file name (``DIFF_EUTMS_20240102_0001.zip``)."""
    m = _HEADER_DATE.search(prolog)
    if m:
        stamp = m.group(1).decode("ascii", "replace")
        day = xr.dmy_to_ymd(stamp[:10])
        if day:
            return day, xr.digits(stamp)[:14]
    m2 = _NAME_DATE.search(label)
    return (m2.group(1), m2.group(1)) if m2 else ("", "")


def iter_st66(
    path: str | Path,
    *,
    applicant_files: Iterable[Path] = (),
    stats: ImportStats | None = None,
    bar: Any = None,
    today: str | None = None,
) -> Iterator[dict[str, str]]:
    """Stream the ``<TradeMark>`` records of an EUIPO / TMview / Madrid ST.66 file (``.xml`` or ``.zip``).

    Records carry ``_created`` (the document timestamp) and ``transaction_date`` (the document date, else
    the status date), so that the corpus build keeps the newest record of each application number. A
    Delete operation yields a record without mark text: it wins over the older records of the same number
    and is then dropped with them (counted in ``flags["deleted"]``).
    """
    import datetime as _dt

    path = Path(path)
    stats = stats if stats is not None else ImportStats()
    today = today or _dt.date.today().strftime("%Y%m%d")
    applicants = applicant_index(list(applicant_files))
    xml_parser = xr.parser(keep_blank_text=False)  # fields are leaf texts, read through xr.clean
    found_any = False
    for member, stream in xr.iter_members(path, "trademark XML"):
        splitter = xr.RecordSplitter(stream, "TradeMark")
        last_bytes = 0
        office = ""
        utf8 = True
        day = created = ""
        checked = False
        try:
            for ordinal, chunk, complete in splitter:
                if not checked:
                    checked = True
                    office = document_office(splitter.prolog)
                    utf8 = splitter.utf8
                    day, created = _document_date(splitter.prolog, member)
                found_any = True
                stats.read += 1
                if bar is not None and splitter.bytes_read != last_bytes:
                    bar.update(splitter.bytes_read - last_bytes)
                    last_bytes = splitter.bytes_read
                if not complete:
                    stats.skip("malformed_record", path=member,
                               detail=f"TradeMark #{ordinal}: no </TradeMark> end tag (truncated or broken)")
                    continue
                try:
                    goods = None
                    if utf8:
                        chunk, goods = take_goods(chunk)
                    element = xr.parse_chunk(splitter, chunk, xml_parser)
                    record = parse_trademark(element, office=office, applicants=applicants,
                                             source=path.name, today=today, goods=goods)
                except (etree.XMLSyntaxError, ValueError) as exc:
                    number = re.search(rb"ApplicationNumber>\s*([^<\s]+)", chunk)
                    who = f" (application {number.group(1).decode('utf-8', 'replace')})" if number else ""
                    stats.skip("malformed_record", path=member, detail=f"TradeMark #{ordinal}{who}: {exc}")
                    continue
                if not record["serial_number"]:
                    stats.skip("malformed_record", path=member, detail=f"TradeMark #{ordinal}: no ApplicationNumber")
                    continue
                if not record["jurisdiction"]:
                    stats.skip("malformed_record", path=member,
                               detail=f"TradeMark #{ordinal}: no RegistrationOfficeCode (office unknown)")
                    continue
                record["transaction_date"] = day or codes.clean_date(
                    xr.text(xr.child(element, "MarkCurrentStatusDate")))
                record["_created"] = created
                if record.pop("_unknown_events", ""):
                    stats.flags["madrid_unknown_events"] += 1
                if record.pop("_delete"):
                    stats.flags["deleted"] += 1
                    for col in ("mark", "owner", "nice_classes", "status", "goods_services",
                                "goods_services_by_lang"):
                        record[col] = ""
                    record["status_code"] = "Delete"
                else:
                    if record["status_code"] and not record["status"]:
                        stats.flags["status_unknown"] += 1
                    if record["owner_ids"] and not record["owner"]:
                        stats.flags["owner_id_only"] += 1
                stats.yielded += 1
                yield record
        except xr.READ_ERRORS as exc:
            raise xr.read_error(member, path, exc) from None
        if not checked and member != path.name:  # a file of the zip with no record: say so, never drop it unsaid
            stats.note(f"{member}: no <TradeMark> record found (a file of another format? give it as a source "
                       "of its own)")
        stats.bytes_read += splitter.bytes_read
        if bar is not None and splitter.bytes_read != last_bytes:
            bar.update(splitter.bytes_read - last_bytes)
    if not found_any and stats.read == 0:
        stats.note(f"{path.name}: no <TradeMark> record found")
    if stats.flags.get("owner_id_only"):
        stats.note("some marks name their owners only by applicant identifier (kept in owner_ids): give the "
                   "office's applicant files as sources too to join the names")

