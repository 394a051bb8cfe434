"""The USPTO Trademark Full Text XML importer (scanner.corpus.uspto_xml)."""

from __future__ import annotations

import csv
import io
import os
import re
import socket
import threading
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.corpus import iter_uspto_xml
from scanner.corpus.stats import ImportStats
from scanner.corpus.uspto_xml import CaseFileSplitter
from scanner.errors import CorpusError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "uspto"
SHARED_DATA = Path(os.environ.get("SCANNER_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))

HEAD = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE trademark-applications-daily [
{dtd}
]>
<trademark-applications-daily>
  <version><version-no>2.0</version-no><version-date>20041108</version-date></version>
  <creation-datetime>202501012200</creation-datetime>
  <application-information><file-segments><file-segment>TRMK</file-segment><action-keys>
  <action-key>NA</action-key>
"""
TAIL = "</action-keys></file-segments></application-information></trademark-applications-daily>\n"


def record(serial: str, mark: str, status: str = "630") -> str:
    return (f"<case-file><serial-number>{serial}</serial-number><registration-number>0000000"
            f"</registration-number><transaction-date>20250101</transaction-date><case-file-header>"
            f"<filing-date>20240101</filing-date><status-code>{status}</status-code><mark-identification>{mark}"
            f"</mark-identification><mark-drawing-code>4000</mark-drawing-code></case-file-header>"
            f"<classifications><classification><international-code>025</international-code></classification>"
            f"</classifications></case-file>\n")


def document(*records: str, dtd: str = "<!ELEMENT serial-number (#PCDATA)>") -> str:
    return HEAD.format(dtd=dtd) + "".join(records) + TAIL


def read(path, **kwargs):
    stats = ImportStats()
    return list(iter_uspto_xml(path, stats=stats, **kwargs)), stats


# --- the real excerpt -------------------------------------------------------------------------------

def _flat(shared_data: Path) -> dict[str, dict[str, str]]:
    with open(shared_data / "uspto" / "apc180218_excerpt_flat.csv", encoding="utf-8") as handle:
        return {row["serial_number"]: row for row in csv.DictReader(handle)}


def _flat_owner(owners: str) -> str:
    parsed = []
    for part in owners.split(" | "):
        m = re.match(r"^(\d+):(.*) \([^()]*\)$", part.strip())
        assert m, part
        parsed.append((int(m.group(1)), m.group(2)))
    top = max(p for p, _ in parsed if p < 70)
    return "; ".join(name for p, name in parsed if p == top)


@pytest.mark.parametrize("name", ["apc180218_excerpt_seed.zip", "apc180218_excerpt_seed.xml"])
def test_real_excerpt_matches_flat_csv(shared_data, name):
    records, stats = read(shared_data / "uspto" / name)
    flat = _flat(shared_data)
    assert stats.read == 11 and stats.yielded == 11 and not stats.skipped
    assert {r["serial_number"] for r in records} == set(flat)
    for rec in records:
        row = flat[rec["serial_number"]]
        assert rec["mark"] == row["mark_identification"]
        expected_reg = "" if row["registration_number"] == "0000000" else row["registration_number"]
        assert rec["registration_number"] == expected_reg
        assert rec["status_code"] == row["status_code"]
        assert rec["filing_date"] == row["filing_date"]
        assert rec["registration_date"] == row["registration_date"]
        assert rec["transaction_date"] == row["transaction_date"]
        assert rec["drawing_code"] == row["mark_drawing_code"][0]
        assert rec["nice_classes"] == ";".join(str(c) for c in sorted(int(c) for c in row["intl_classes"].split(";")))
        assert rec["owner"] == _flat_owner(row["owners"])
        assert rec["jurisdiction"] == "US" and rec["kind"] == "" and rec["source"] == name
        assert rec["_created"] == "201802182208"
        gs = [p.split(": ", 1)[1] for p in row["goods_services"].split(" || ") if p.startswith("GS")]
        if not any(ch in row["goods_services"] for ch in "[*("):
            assert rec["goods_services"] == " | ".join(" ".join(t.split()) for t in gs)


def test_real_excerpt_facts_read_from_the_xml(shared_data):
    records, _ = read(shared_data / "uspto" / "apc180218_excerpt_seed.xml")
    by_serial = {r["serial_number"]: r for r in records}
    cutex = by_serial["71112081"]
    assert (cutex["mark"], cutex["registration_number"], cutex["status"], cutex["nice_classes"]) == (
        "CUTEX", "0124134", "live", "8")
    assert cutex["owner"] == "CUTEX, INC."  # party type 46 beats 45, 44, 30
    assert cutex["goods_services"] == "EMERY BOARDS"
    tusimple = by_serial["87310367"]
    assert (tusimple["status"], tusimple["registration_number"], tusimple["drawing_code"]) == ("pending", "", "4")
    assert tusimple["owner"] == "TuSimple"
    assert tusimple["goods_services"].count(" | ") == 3  # four GS statements; the PM pseudo mark is not goods
    assert "TU SIMPLE" not in tusimple["goods_services"]
    assert by_serial["87703889"]["drawing_code"] == "3" and by_serial["87703896"]["drawing_code"] == "5"
    assert by_serial["72029003"]["mark"] == "B & G"
    assert by_serial["72029003"]["owner"] == "FLUID HANDLING LLC"
    assert by_serial["72244388"]["status"] == "live" and by_serial["72244388"]["status_code"] == "703"
    carboline = by_serial["72244547"]
    assert carboline["nice_classes"] == "1;2;3;19"
    assert "EPOXYAMINE PRIMER AND FINISH COATINGS" in carboline["goods_services"]
    assert "PRIMES" not in carboline["goods_services"] and "*" not in carboline["goods_services"]
    assert "SHOULD BE DELETED" not in carboline["goods_services"]  # B0 correction statement is not goods
    assert carboline["goods_services"].count(" | ") == 3
    assert {r["status"] for r in records} == {"live", "pending"}


# --- own fixtures -----------------------------------------------------------------------------------

def test_tiny_daily_file():
    records, stats = read(FIXTURES / "apc250101.zip")
    by_serial = {r["serial_number"]: r for r in records}
    assert stats.read == 5 and stats.yielded == 5 and not stats.skipped
    glimmer = by_serial["99000001"]
    assert glimmer["mark"] == "GLIMMERWICK" and glimmer["status"] == "pending" and glimmer["nice_classes"] == "4"
    assert glimmer["goods_services"] == "Candles; wicks for candles; scented wax melts"  # [..] and ((..)) gone
    assert glimmer["source"] == "apc250101.zip" and glimmer["_created"] == "202501012200"
    design = by_serial["99000002"]
    assert design["mark"] == "" and design["drawing_code"] == "2"  # kept here; the build drops it
    cert = by_serial["99000003"]
    assert cert["nice_classes"] == "9" and cert["status"] == "dead"  # "A" and "200" are not Nice classes
    assert cert["owner"] == "Zantivo Test Standards Board"  # party type 70 (correspondent) is never owner
    assert stats.flags["us_only_class_codes"] == 1
    joint = by_serial["99000004"]
    assert joint["owner"] == "Fennimoor Test Apparel Inc.; Loomridge Test Apparel Inc."
    assert joint["mark"] == "FENNIMOOR & LOOMRIDGE" and joint["registration_number"] == "7000001"
    assert by_serial["71112081"]["registration_date"] == "19190114"


def test_class_code_that_is_no_nice_class_is_left_out_and_counted(tmp_path):
    with zipfile.ZipFile(FIXTURES / "apc250101.zip") as archive:
        text = archive.read(archive.namelist()[0])
    assert text.count(b"<international-code>004</international-code>") == 1
    path = tmp_path / "apc250109.xml"
    path.write_bytes(text.replace(b"<international-code>004</international-code>",
                                  b"<international-code>046</international-code>"))
    records, stats = read(path)
    glimmer = next(r for r in records if r["serial_number"] == "99000001")
    assert glimmer["nice_classes"] == "" and stats.yielded == 5
    assert stats.flags["unknown_class_codes"] == 1 and stats.flags["us_only_class_codes"] == 1
    assert read(FIXTURES / "apc250101.zip")[1].flags["unknown_class_codes"] == 0


def test_malformed_record_is_skipped_and_counted():
    records, stats = read(FIXTURES / "apc250103_malformed.xml")
    assert [r["serial_number"] for r in records] == ["99000004", "71112081"]
    assert stats.read == 3 and stats.skipped["malformed_record"] == 1
    assert "99000009" in stats.issues[0]["detail"] and stats.issues[0]["file"] == "apc250103_malformed.xml"


def test_truncated_zip_is_one_line_error():
    with pytest.raises(CorpusError) as err:
        read(FIXTURES / "apc250101_truncated.zip")
    msg = str(err.value)
    assert "apc250101_truncated.zip" in msg and "\n" not in msg


def test_corrupt_zip_member_is_one_line_error(tmp_path):
    data = bytearray((FIXTURES / "apc250101.zip").read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.infolist()[0]
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 40, start + 400):
        data[i] ^= 0x5A
    bad = tmp_path / "apc250199.zip"
    bad.write_bytes(bytes(data))
    with pytest.raises(CorpusError) as err:
        read(bad)
    assert "apc250199.zip" in str(err.value) and "\n" not in str(err.value)


def test_truncated_plain_xml_counts_the_cut_record(tmp_path):
    text = document(record("99000101", "ALPHA TEST"), record("99000102", "BETA TEST"))
    cut = text[: text.index("BETA TEST")]
    path = tmp_path / "apc250110.xml"
    path.write_text(cut, encoding="utf-8")
    records, stats = read(path)
    assert [r["mark"] for r in records] == ["ALPHA TEST"]
    assert stats.skipped["malformed_record"] == 1 and "truncated" in stats.issues[0]["detail"]


def test_zip_with_several_xml_members(tmp_path):
    path = tmp_path / "apc18840407-20231231-01.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("b.xml", document(record("99000202", "SECOND TEST")))
        archive.writestr("a.xml", document(record("99000201", "FIRST TEST")))
        archive.writestr("readme.txt", "not xml")
    records, stats = read(path)
    assert [r["mark"] for r in records] == ["FIRST TEST", "SECOND TEST"]
    assert all(r["source"] == path.name for r in records)


def test_zip_without_xml_and_non_trademark_xml_are_errors(tmp_path):
    empty = tmp_path / "nothing.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(CorpusError, match="no .xml"):
        read(empty)
    other = tmp_path / "other.xml"
    other.write_text("<?xml version='1.0'?><rss><channel><item>x</item></channel></rss>", encoding="utf-8")
    with pytest.raises(CorpusError, match="not a USPTO trademark XML"):
        read(other)


def test_file_without_case_files_is_empty_not_an_error(tmp_path):
    path = tmp_path / "apc250111.xml"
    path.write_text(HEAD.format(dtd="") + "<data-available-code>N</data-available-code>" + TAIL, encoding="utf-8")
    records, stats = read(path)
    assert records == [] and stats.read == 0


# --- safety: entities are never expanded nor fetched ------------------------------------------------

def test_billion_laughs_is_not_expanded(tmp_path):
    lol = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                                     for i in range(1, 10)]
    path = tmp_path / "apc250120.xml"
    path.write_text(document(record("99000301", "&lol9;"), record("99000302", "SAFE TEST"), dtd="\n".join(lol)),
                    encoding="utf-8")
    records, stats = read(path)
    assert [r["mark"] for r in records] == ["SAFE TEST"]
    assert stats.skipped["malformed_record"] == 1
    assert all("lol" not in v for r in records for v in r.values())


def test_external_file_entity_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-CONTENT", encoding="utf-8")
    dtd = f'<!ENTITY xxe SYSTEM "{secret.as_uri()}">\n<!ENTITY % pe SYSTEM "{secret.as_uri()}">\n%pe;'
    path = tmp_path / "apc250121.xml"
    path.write_text(document(record("99000401", "&xxe;"), record("99000402", "SAFE TEST"), dtd=dtd), encoding="utf-8")
    records, stats = read(path)
    assert [r["mark"] for r in records] == ["SAFE TEST"]
    assert stats.skipped["malformed_record"] == 1
    assert all("TOPSECRET" not in v for r in records for v in r.values())
    assert all("TOPSECRET" not in i["detail"] for i in stats.issues)


def test_external_http_entity_and_dtd_are_not_fetched(tmp_path):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    hits = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            hits.append(1)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{port}"
        text = document(record("99000501", "&remote;"), record("99000502", "SAFE TEST"),
                        dtd=f'<!ENTITY remote SYSTEM "{url}/entity">\n<!ENTITY % dtd SYSTEM "{url}/dtd">\n%dtd;')
        text = text.replace("<!DOCTYPE trademark-applications-daily [",
                            f'<!DOCTYPE trademark-applications-daily SYSTEM "{url}/external.dtd" [')
        path = tmp_path / "apc250122.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("apc250122.xml", text)
        records, stats = read(path)
    finally:
        stop.set()
        thread.join(timeout=2)
        server.close()
    assert [r["mark"] for r in records] == ["SAFE TEST"]
    assert stats.skipped["malformed_record"] == 1
    assert hits == []


# --- the splitter -----------------------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(read_size=st.integers(min_value=1, max_value=300))
def test_splitter_is_independent_of_read_size(read_size):
    text = document(record("99000601", "ONE TEST"), "<!-- between -->", record("99000602", "TWO TEST"),
                    record("99000603", "THREE TEST")).encode()
    whole = list(CaseFileSplitter(io.BytesIO(text), read_size=1 << 20))
    pieces = list(CaseFileSplitter(io.BytesIO(text), read_size=read_size))
    assert pieces == whole and len(whole) == 3 and all(complete for _, _, complete in whole)
    splitter = CaseFileSplitter(io.BytesIO(text), read_size=read_size)
    list(splitter)
    assert splitter.creation_datetime == "202501012200" and splitter.is_trademark_xml


def _plain_split(data: bytes) -> list[tuple[int, bytes, bool]]:
    """The splitter's rule stated plainly, on the whole text: each record runs from a start tag to the next
    end tag; start tags before that end tag cut off records that never closed (all of them up to the last
    one, as one chunk); a start tag with no end tag after it is a cut record (its first 4,096 bytes)."""
    out, pos, n = [], 0, 0
    start, end = b"<case-file>", b"</case-file>"
    while (i := data.find(start, pos)) >= 0:
        j = data.find(end, i + len(start))
        if j < 0:
            n += 1
            out.append((n, data[i:][:4096], False))
            break
        k = data.rfind(start, i + len(start), j)
        if k >= 0:
            n += 1
            out.append((n, data[i:k], False))
            i = k
        n += 1
        out.append((n, data[i : j + len(end)], True))
        pos = j + len(end)
    return out


_SOUP = st.lists(st.sampled_from([
    "<case-file>", "</case-file>", "case-file>", "<case-file-header>", "</case-file-header>", "x</", "<",
    "/", "-case-file>", "ZEPHYR", "&lt;case-file&gt;", "\n"]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(parts=_SOUP, read_size=st.integers(min_value=1, max_value=64))
def test_splitter_follows_the_plain_rule_on_any_tag_soup(parts, read_size):
    body = "".join(parts).encode()
    text = HEAD.format(dtd="").encode() + b"<case-file>" + body + TAIL.encode()
    got = list(CaseFileSplitter(io.BytesIO(text), read_size=read_size))
    assert got == _plain_split(text)


def _from_segments(text: bytes, read_size: int) -> tuple[list[tuple[int, bytes, bool]], CaseFileSplitter]:
    """The chunks the parsing processes cut from the splitter's segments, numbered as the parent does."""
    from scanner.corpus.uspto_xml import records_in

    splitter = CaseFileSplitter(io.BytesIO(text), read_size=read_size)
    out = []
    for data, whole in splitter.segments():
        assert not whole or data.endswith(b"</case-file>")
        out += records_in(data) if whole else [(data, False)]
    return [(n, chunk, complete) for n, (chunk, complete) in enumerate(out, start=1)], splitter


@settings(max_examples=300, deadline=None)
@given(parts=_SOUP, read_size=st.integers(min_value=1, max_value=64), limit=st.sampled_from([8, 24, 64, 1 << 20]),
       segment=st.sampled_from([1, 40, 1 << 20]))
def test_segments_cut_into_the_very_chunks_of_the_splitter(parts, read_size, limit, segment):
    # limit: the longest a record may run without an end tag before it is given up (MAX_RECORD_BYTES);
    # segment: the bytes of whole records handed out at a time (SEGMENT_BYTES)
    from unittest import mock

    from scanner.corpus import uspto_xml

    body = "".join(parts).encode()
    text = HEAD.format(dtd="").encode() + b"<case-file>" + body + TAIL.encode()
    with mock.patch.object(uspto_xml, "MAX_RECORD_BYTES", limit), \
            mock.patch.object(uspto_xml, "SEGMENT_BYTES", segment):
        streamed = CaseFileSplitter(io.BytesIO(text), read_size=read_size)
        expected = list(streamed)
        got, splitter = _from_segments(text, read_size)
    assert got == expected
    assert splitter.prolog == streamed.prolog and splitter.bytes_read == streamed.bytes_read == len(text)


def test_segments_of_a_real_sized_file_and_of_a_file_without_records():
    text = document(*(record(f"99000{i:03d}", f"SEGMENT TEST {i}") for i in range(300))).encode()
    got, splitter = _from_segments(text, 4096)
    assert got == list(CaseFileSplitter(io.BytesIO(text), read_size=4096)) and len(got) == 300
    assert sum(1 for _ in splitter.segments()) == 0  # the stream is used up
    empty, splitter = _from_segments(document().encode(), 100)
    assert empty == [] and splitter.is_trademark_xml and splitter.creation_datetime == "202501012200"


def test_unclosed_record_does_not_swallow_the_next():
    text = document(record("99000701", "FIRST TEST").replace("</case-file>", ""), record("99000702", "NEXT TEST"))
    chunks = list(CaseFileSplitter(io.BytesIO(text.encode()), read_size=64))
    assert [c for _, _, c in chunks] == [False, True]
    assert b"NEXT TEST" in chunks[1][1] and b"NEXT TEST" not in chunks[0][1]


# --- only the needed parts are parsed ---------------------------------------------------------------

def _all_case_files(paths):
    for path in paths:
        data = zipfile.ZipFile(path).read(zipfile.ZipFile(path).namelist()[0]) if path.suffix == ".zip" \
            else path.read_bytes()
        yield from re.findall(rb"<case-file>.*?</case-file>", data, re.S)


def test_reduced_parse_reads_the_same_fields_as_a_full_parse():
    from lxml import etree

    from scanner.corpus.uspto_xml import _parser, parse_case_file, reduce_case_file

    parser = _parser()
    paths = [FIXTURES / "apc250101.zip", FIXTURES / "apc250102.zip"]
    excerpt = SHARED_DATA / "uspto" / "apc180218_excerpt_seed.xml"
    if excerpt.is_file():  # the real records too, when ../shared is there
        paths.append(excerpt)
    chunks = list(_all_case_files(paths))
    assert len(chunks) == (18 if excerpt.is_file() else 7)
    for chunk in chunks:
        reduced = reduce_case_file(chunk)
        assert len(reduced) < len(chunk)
        assert parse_case_file(etree.fromstring(reduced, parser), "s") == \
            parse_case_file(etree.fromstring(chunk, parser), "s")


def test_unterminated_needed_section_makes_the_record_malformed(tmp_path):
    broken = record("99000801", "BROKEN TEST").replace("</classifications>", "")
    path = tmp_path / "apc250130.xml"
    path.write_text(document(broken, record("99000802", "FINE TEST")), encoding="utf-8")
    records, stats = read(path)
    assert [r["mark"] for r in records] == ["FINE TEST"] and stats.skipped["malformed_record"] == 1
    assert "classifications" in stats.issues[0]["detail"]


def test_declared_non_utf8_encoding(tmp_path):
    text = document(record("99000901", "CAFÉ NOËL TEST")).replace('encoding="utf-8"', 'encoding="ISO-8859-1"')
    path = tmp_path / "apc250140.xml"
    path.write_bytes(text.encode("latin-1"))
    records, stats = read(path)
    assert [r["mark"] for r in records] == ["CAFÉ NOËL TEST"] and not stats.skipped


# --- a large file parsed by several processes (jobs > 1) ---------------------------------------------

def _mixed_file(tmp_path: Path) -> Path:
    """Well-formed, malformed (bad tag), broken (no end of a needed section), serial-less and cut case-files
    in a non-UTF-8 document, then a second member."""
    good = [record(f"99001{i:03d}", f"CAFÉ TEST {i}") for i in range(23)]
    bad_tag = record("99001901", "BAD TAG TEST").replace("<mark-drawing-code>", "<mark-drawing-code><oops>")
    broken = record("99001902", "BROKEN TEST").replace("</classifications>", "")
    no_serial = record("", "NO SERIAL TEST")
    unclosed = record("99001903", "UNCLOSED TEST").replace("</case-file>", "")
    parts = good[:5] + [bad_tag] + good[5:11] + [broken, no_serial] + good[11:17] + [unclosed] + good[17:]
    first = document(*parts).replace('encoding="utf-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    path = tmp_path / "apc250150.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.xml", first)
        archive.writestr("b.xml", document(record("99002001", "SECOND MEMBER TEST")))
    return path


def test_parsing_processes_give_the_same_records_and_counts(tmp_path, monkeypatch):
    from scanner import forked
    from scanner.corpus import uspto_xml

    if not forked.can_fork():
        pytest.skip("parsing processes are forked (Linux only)")
    path = _mixed_file(tmp_path)
    one, one_stats = read(path, jobs=1)
    monkeypatch.setattr(uspto_xml, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(uspto_xml, "READ_SIZE", 700)  # many segments, some broken records in each
    calls = []
    real = forked.fork_imap

    def spy(fn, items, **kwargs):
        calls.append(kwargs["jobs"])
        return real(fn, items, **kwargs)

    monkeypatch.setattr(forked, "fork_imap", spy)
    two, two_stats = read(path, jobs=2)
    assert calls == [2, 2]  # both members went to the parsing processes
    assert two == one and two_stats.as_dict() == one_stats.as_dict()
    assert len(one) == 24 and one[0]["mark"] == "CAFÉ TEST 0" and one[-1]["mark"] == "SECOND MEMBER TEST"
    assert one_stats.read == 28 and one_stats.skipped["malformed_record"] == 4
    details = " | ".join(issue["detail"] for issue in one_stats.issues)
    assert "(serial 99001901)" in details and "classifications" in details and "no serial-number" in details
    assert "no </case-file> end tag" in details


def test_parsing_processes_still_refuse_a_file_that_is_not_trademark_xml(tmp_path, monkeypatch):
    from scanner.corpus import uspto_xml

    monkeypatch.setattr(uspto_xml, "PARALLEL_MIN_BYTES", 0)
    path = tmp_path / "other.xml"
    path.write_text("<?xml version='1.0'?><other>" + record("99003001", "X TEST") + "</other>", encoding="utf-8")
    with pytest.raises(CorpusError, match="not a USPTO trademark XML file"):
        read(path, jobs=2)


def test_small_files_are_parsed_here(tmp_path, monkeypatch):
    from scanner import forked

    monkeypatch.setattr(forked, "fork_imap", lambda *a, **k: pytest.fail("forked for a small file"))
    records, _ = read(FIXTURES / "apc250101.zip", jobs=2)
    assert len(records) == 5


def test_sections_out_of_the_dtd_order_are_still_read():
    from lxml import etree

    from scanner.corpus.uspto_xml import _parser, parse_case_file, reduce_case_file

    owners = ("<case-file-owners><case-file-owner><entry-number>01</entry-number><party-type>10</party-type>"
              "<party-name>Quillmere Test Co.</party-name></case-file-owner></case-file-owners>")
    statements = ("<case-file-statements><case-file-statement><type-code>GS0251</type-code><text>Shirts</text>"
                  "</case-file-statement></case-file-statements>")
    # owners first, then classifications, then the statements: each found though the ones before it come later
    chunk = record("99003101", "ORDER TEST").replace("<classifications>", owners + "<classifications>")
    chunk = chunk.replace("</classifications>", "</classifications>" + statements).encode()
    parser = _parser()
    reduced = parse_case_file(etree.fromstring(reduce_case_file(chunk), parser), "s")[0]
    assert reduced == parse_case_file(etree.fromstring(chunk, parser), "s")[0]
    assert reduced["owner"] == "Quillmere Test Co." and reduced["nice_classes"] == "25"
    assert reduced["goods_services"] == "Shirts"


def test_a_zip_corrupt_midway_stops_the_parsing_processes_with_a_one_line_error(tmp_path, monkeypatch):
    from scanner import forked
    from scanner.corpus import uspto_xml

    if not forked.can_fork():
        pytest.skip("parsing processes are forked (Linux only)")
    monkeypatch.setattr(uspto_xml, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(uspto_xml, "SEGMENT_BYTES", 64 << 10)  # segments come back before the break is read
    rng = __import__("random").Random(5)
    text = document(*(record(f"9{i:07d}", f"MARK {rng.randrange(10**9)} TEST") for i in range(12_000)))
    path = tmp_path / "apc250160.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("apc250160.xml", text)
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[0]
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename)
    middle = start + info.compress_size * 3 // 4  # past the first megabytes read: batches are out by then
    for i in range(middle, middle + 400):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    batches = []
    real = forked.fork_imap

    def spy(fn, items, **kwargs):
        for result in real(fn, items, **kwargs):
            batches.append(len(result))
            yield result

    monkeypatch.setattr(forked, "fork_imap", spy)
    with pytest.raises(CorpusError) as err:
        read(path, jobs=2)
    assert "apc250160.zip" in str(err.value) and "\n" not in str(err.value)
    assert batches and forked._TASK is None  # parsed batches came back before the error; the pool is gone
