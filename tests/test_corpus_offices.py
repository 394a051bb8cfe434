"""Importers of the other offices (EUIPO, TMview/UKIPO, WIPO Madrid, INPI Brazil, KIPO) on fixtures written in
their real layouts: namespaces, joins, deletes, replayed gazettes, traps, broken input."""

from __future__ import annotations

import json
import zipfile

import pytest

from scanner.corpus import detect, inpi_br, kipo, madrid, st66, store
from scanner.corpus.build import compile_corpus, resolve_sources
from scanner.corpus.office_counts import format_office_counts, office_counts
from scanner.corpus.stats import ImportStats
from scanner.errors import CorpusError

TODAY = "20260101"


@pytest.fixture
def off(fixtures):
    return fixtures / "offices"


def _records(path, **kw):
    stats = ImportStats()
    return {r["serial_number"]: r for r in st66.iter_st66(path, stats=stats, today=TODAY, **kw)}, stats


# --- EUIPO, current namespace ---------------------------------------------------------------------------


def test_euipo_current_namespace_with_embedded_applicants(off):
    recs, stats = _records(off / "EUTMS_20240105_0001.xml")
    assert set(recs) == {"900000001", "900000002", "900000003", "900000005"}
    kestrel = recs["900000001"]
    assert kestrel["mark"] == "KESTREL LUMEN"
    assert kestrel["owner"] == "Kestrel Audio GmbH" and kestrel["owner_ids"] == "5000001"
    assert kestrel["jurisdiction"] == "EU" and kestrel["nice_classes"] == "9;25"
    assert kestrel["status"] == "live" and kestrel["registration_number"] == "900000001"
    assert kestrel["languages"] == "de;en"
    assert json.loads(kestrel["goods_services_by_lang"]) == {"de": "Kopfhörer; Ladegeräte. | Bekleidung.",
                                                             "en": "Headphones; chargers. | Clothing."}
    assert kestrel["goods_services"] == "Headphones; chargers. | Clothing."
    assert kestrel["transaction_date"] == "20240105" and kestrel["_created"] == "20240105060000"
    assert recs["900000002"]["owner"] == "Marta Quillon"  # a natural person: first + last name
    assert recs["900000003"]["status"] == "dead"  # Registration expired
    assert recs["900000005"]["goods_services"] == "Herramientas de mano."  # no English: the filing language


def test_euipo_opposition_earlier_mark_is_not_this_mark(off):
    recs, _ = _records(off / "EUTMS_20240105_0001.xml")
    opposed = recs["900000002"]
    assert opposed["mark"] == "SABLE QUILL"  # not the opponent's SABLEWOOD
    assert opposed["owner_ids"] == "5000002"  # not the opponent 5000099
    assert opposed["filing_date"] == "20230901"  # not the earlier mark's 2015 date
    assert opposed["mark_feature"] == "Figurative"  # the earlier mark is a Word mark
    assert opposed["registration_number"] == ""
    assert "900000099" not in recs
    assert opposed["status"] == "pending"


def test_goods_of_an_earlier_mark_are_not_this_marks_goods(tmp_path):
    path = tmp_path / "EUTMS_20240105_0002.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Transaction xmlns="http://www.euipo.europa.eu/EUTM/EUTM_Download"><TradeMarkTransactionBody>'
        '<TransactionContentDetails><TransactionData><TradeMarkDetails><TradeMark operationCode="Insert">'
        '<RegistrationOfficeCode>EM</RegistrationOfficeCode><ApplicationNumber>900000031</ApplicationNumber>'
        '<MarkCurrentStatusCode>Application opposed</MarkCurrentStatusCode><MarkFeature>Word</MarkFeature>'
        '<WordMarkSpecification><MarkVerbalElementText>QUILL MOSAIC</MarkVerbalElementText>'
        '</WordMarkSpecification><OppositionDetails><Opposition><EarlierMarkDetails><EarlierMark>'
        '<ApplicationNumber>900000032</ApplicationNumber><WordMarkSpecification>'
        '<MarkVerbalElementText>QUILLMOSA</MarkVerbalElementText></WordMarkSpecification>'
        '<GoodsServicesDetails><GoodsServices><ClassDescriptionDetails><ClassDescription>'
        '<ClassNumber>16</ClassNumber><GoodsServicesDescription languageCode="en">Paper.'
        '</GoodsServicesDescription></ClassDescription></ClassDescriptionDetails></GoodsServices>'
        '</GoodsServicesDetails></EarlierMark></EarlierMarkDetails></Opposition></OppositionDetails>'
        '</TradeMark></TradeMarkDetails></TransactionData></TransactionContentDetails>'
        '</TradeMarkTransactionBody></Transaction>', encoding="utf-8")
    recs, _ = _records(path)
    rec = recs["900000031"]
    assert (rec["mark"], rec["nice_classes"], rec["goods_services"]) == ("QUILL MOSAIC", "", "")
    assert rec["goods_services_by_lang"] == "" and "900000032" not in recs


def test_euipo_malformed_record_is_skipped_and_counted(off):
    recs, stats = _records(off / "EUTMS_20240105_0001.xml")
    assert "900000004" not in recs
    assert stats.read == 5 and stats.yielded == 4
    assert stats.skipped["malformed_record"] == 1
    assert "900000004" in stats.issues[0]["detail"]
    assert stats.issues[0]["file"] == "EUTMS_20240105_0001.xml"


def test_euipo_differential_file_deletes_and_updates(off, tmp_path):
    # the differential file is given FIRST: its later document date still wins
    meta = compile_corpus([off / "DIFF_EUTMS_20240112_0001.xml", off / "EUTMS_20240105_0001.xml"], tmp_path / "c")
    marks = store.load_compiled(tmp_path / "c").marks.set_index("serial_number")
    assert "900000005" not in marks.index  # deleted by the differential file
    assert marks.loc["900000002", "status"] == "dead"  # withdrawn in the later file
    assert marks.loc["900000002", "status_code"] == "Application withdrawn"
    assert marks.loc["900000001", "status"] == "live"
    assert meta["counts"]["flags"]["deleted"] == 1
    assert meta["counts"]["skipped"]["malformed_record"] == 1
    assert meta["counts"]["marks"] == 3


def test_euipo_zip_gives_the_same_records(off, tmp_path):
    zipped = tmp_path / "EUTMS_20240105_0001.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(off / "EUTMS_20240105_0001.xml", "EUTMS_20240105_0001.xml")
    assert detect.sniff_kind(zipped) == "st66"
    plain, _ = _records(off / "EUTMS_20240105_0001.xml")
    packed, _ = _records(zipped)
    strip = lambda recs: {k: {c: v for c, v in r.items() if c != "source"} for k, r in recs.items()}  # noqa: E731
    assert strip(plain) == strip(packed)


# --- EUIPO, legacy namespace + applicant files ---------------------------------------------------------


def test_euipo_legacy_owner_joined_from_applicant_file(off):
    folder = off / "euipo_legacy"
    assert detect.sniff_kind(folder / "APPLICANTS_20200807_0001.xml") == "st66_applicants"
    recs, stats = _records(folder / "EUTMS_20200807_0001.xml",
                           applicant_files=[folder / "APPLICANTS_20200807_0001.xml"])
    assert recs["900000011"]["owner"] == "Orbit Prism Toys B.V."
    assert recs["900000011"]["owner_ids"] == "6000001"
    # 6000002 is not in the applicant file: the identifier is kept, no name is made up
    assert recs["900000012"]["owner"] == "" and recs["900000012"]["owner_ids"] == "6000002"
    assert stats.flags["owner_id_only"] == 1


def test_euipo_legacy_folder_build_joins_applicants(off, tmp_path):
    sources = resolve_sources([off / "euipo_legacy"])
    assert [(s.path.name, s.kind) for s in sources] == [("APPLICANTS_20200807_0001.xml", "st66_applicants"),
                                                         ("EUTMS_20200807_0001.xml", "st66")]
    assert sources[1].group == (off / "euipo_legacy" / "APPLICANTS_20200807_0001.xml",)
    compile_corpus([off / "euipo_legacy"], tmp_path / "c")
    marks = store.load_compiled(tmp_path / "c").marks.set_index("serial_number")
    assert marks.loc["900000011", "owner"] == "Orbit Prism Toys B.V."
    assert marks.loc["900000012", "owner_ids"] == "6000002"


def test_applicant_delete_operation_removes_the_name(tmp_path, off):
    text = (off / "euipo_legacy" / "APPLICANTS_20200807_0001.xml").read_text(encoding="utf-8")
    later = tmp_path / "DIFF_APPLICANTS_20200901_0001.xml"
    later.write_text(text.replace('<Applicant operationCode="Insert">\n<ApplicantIdentifier>6000001',
                                  '<Applicant operationCode="Delete">\n<ApplicantIdentifier>6000001', 1),
                     encoding="utf-8")
    index = st66.applicant_index([off / "euipo_legacy" / "APPLICANTS_20200807_0001.xml", later])
    assert "6000001" not in index
    assert index["6000003"] == "Jean Vortexier"


# --- UKIPO TM-Search ------------------------------------------------------------------------------------


def test_ukipo_folder_joins_applicant_by_uri_and_hides_do_not_display(off, tmp_path):
    meta = compile_corpus([off / "ukipo"], tmp_path / "uk")
    marks = store.load_compiled(tmp_path / "uk").marks.set_index("serial_number")
    row = marks.loc["UK00090000001"]
    assert (row["mark"], row["owner"], row["owner_ids"]) == ("RIVET & EMBER", "Rivet Ember Kitchen Ltd", "800001")
    assert (row["status"], row["jurisdiction"], row["nice_classes"]) == ("live", "GB", "21")
    assert "UK00090000002" not in marks.index  # DO-NOT-DISPLAY = delete
    assert meta["counts"]["flags"]["deleted"] == 1


# --- WIPO Madrid ----------------------------------------------------------------------------------------


def test_madrid_designations_follow_the_recorded_events(off):
    recs, stats = _records(off / "madrid_st66.xml")
    ir = recs["9000001"]
    assert ir["jurisdiction"] == "WO"
    assert ir["mark"] == "ZEPHYR SOLACE" and ir["owner"] == "Zephyr Solace SA"
    # RU refused; KR refused then reversed (events replayed by date, not file order); MX designated later
    assert ir["designations"] == "EM;JP;KR;MX"
    assert ir["status"] == "live"  # expires 2038
    assert ir["nice_classes"] == "3"
    assert set(json.loads(ir["goods_services_by_lang"])) == {"en", "fr", "es"}
    assert ir["expiry_date"] == "20380502"
    old = recs["9000002A"]  # IR number with a letter suffix
    assert old["status"] == "dead"  # expired 2012
    assert old["designations"] == "BR"
    assert stats.yielded == 2


def test_madrid_all_designations_ended_is_dead(off):
    text = (off / "madrid_st66.xml").read_text(encoding="utf-8")
    (rec,) = [r for r in st66.iter_st66(off / "madrid_st66.xml", today=TODAY) if r["serial_number"] == "9000001"]
    assert rec["status"] == "live"
    # a Non Renewal naming no country ends every designation
    from lxml import etree

    # the importer hands madrid.apply namespace-free elements
    root = etree.fromstring(text.replace(' xmlns="http://www.wipo.int/standards/XMLSchema/trademarks"', "").encode())
    trademark = root.find(".//TradeMark")
    details = trademark.find("MarkRecordDetails")
    basic = etree.SubElement(etree.SubElement(details, "MarkRecord"), "BasicRecord")
    etree.SubElement(basic, "BasicRecordKind").text = "Non Renewal"
    record = {"expiry_date": "20380502", "status_code": ""}
    madrid.apply(record, trademark, today=TODAY)
    assert record["designations"] == "" and record["status"] == "dead"


#: Every ST.66 BasicRecordKind and what it does to the designations it names.
MADRID_EVENTS = [
    ("Second Part Fee Paid", ""), ("Second Part Fee Not Paid", ""), ("Protection Granted", "restore"),
    ("Judicial Action", ""), ("Effect Continuation", "restore"), ("Renunciation", "remove"),
    ("Transfer Refusal", ""), ("Representative Appointed", ""), ("Appeal Expired", ""), ("Appeal Lapsed", ""),
    ("Appeal Withdrawn", ""), ("Total Refusal", "remove"), ("Total Invalidation", "remove"),
    ("Total Cancellation", "remove"), ("Total Ceasing Effect", "remove"), ("Final Confirmation Refusal", "remove"),
    ("Final Reversing Refusal", "restore"), ("Final Total Refusal", "remove"), ("Renewal Under Rule 40.3", "restore"),
    ("Non Renewal", "remove"), ("Non Renewal Certain Parties", "remove"), ("Non Renewal Under Rule 40.3", "remove"),
    ("Registration", ""), ("Subsequent Designation", "add"), ("Limitation", ""), ("No Effect Limitation", ""),
    ("Partial Refusal", ""), ("Partial Ceasing Effect", ""), ("Partial Invalidation", ""),
    ("Partial Cancellation", ""), ("Renewal", ""), ("Complementary Renewal", ""), ("Final Other Decision", ""),
]


@pytest.mark.parametrize(("kind", "effect"), MADRID_EVENTS)
def test_madrid_event_effects(kind, effect):
    assert madrid.event_effect(kind) == effect
    assert madrid.event_effect(kind.upper()) == effect


def test_madrid_event_table_is_complete():
    assert len(MADRID_EVENTS) == len(madrid.EVENT_EFFECT) == 33
    assert madrid.event_effect("Something Else") is None


# --- INPI Brazil RPI ------------------------------------------------------------------------------------


def test_rpi_editions_replayed_in_order(off, tmp_path):
    files = [off / "rpi" / "RM2601.xml", off / "rpi" / "RM2600.xml"]  # given out of order
    assert [p.name for p in inpi_br.order_editions(files)] == ["RM2600.xml", "RM2601.xml"]
    stats = ImportStats()
    recs = {r["serial_number"]: r for r in inpi_br.iter_rpi(files, stats=stats, workdir=tmp_path, today=TODAY)}
    granted = recs["920000001"]
    assert (granted["status"], granted["status_code"]) == ("live", "IPAS158")
    assert granted["registration_date"] == "20201201" and granted["registration_number"] == "920000001"
    assert granted["expiry_date"] == "20301201" and granted["transaction_date"] == "20201208"
    assert (granted["mark"], granted["owner"], granted["nice_classes"]) == ("PRISMA LUZ", "PRISMA COSMÉTICOS LTDA", "3")
    assert granted["mark_feature"] == "Nominativa"
    petition = recs["920000002"]  # a granted petition does not change the mark's status
    assert (petition["status"], petition["status_code"], petition["mark"]) == ("pending", "IPAS009", "SOLACE")
    assert petition["owner"] == "SOLACE IMPORTS LTDA" and petition["transaction_date"] == "20201208"
    ended = recs["920000003"]
    assert (ended["status"], ended["status_code"], ended["mark"]) == ("dead", "IPAS161", "VELHA")
    assert stats.read == stats.yielded == 3  # 6 gazette entries folded into 3 processes
    assert any("replayed in edition order" in n for n in stats.notes)


def test_rpi_registration_past_its_validity_is_dead(off, tmp_path):
    recs = {r["serial_number"]: r for r in inpi_br.iter_rpi([off / "rpi" / "RM2600.xml"], workdir=tmp_path,
                                                           today=TODAY)}
    assert recs["920000003"]["status"] == "dead"  # granted, validity ended 2018, no renewal in the editions
    recs = {r["serial_number"]: r for r in inpi_br.iter_rpi([off / "rpi" / "RM2600.xml"], workdir=tmp_path,
                                                           today="20150101")}
    assert recs["920000003"]["status"] == "live"


def test_rpi_folder_is_one_source(off, tmp_path):
    sources = resolve_sources([off / "rpi"])
    assert len(sources) == 1 and sources[0].kind == "inpi_rpi"
    assert {p.name for p in sources[0].group} == {"RM2600.xml", "RM2601.xml"}
    meta = compile_corpus([off / "rpi"], tmp_path / "br")
    assert meta["counts"]["marks"] == 3
    assert {f["name"] for f in meta["sources"][0]["files"]} == {"RM2600.xml", "RM2601.xml"}


#: Every RPI decision code the notes list, with the status it leaves ("" = unchanged).
RPI_CODES = [("IPAS009", "pending"), ("IPAS421", "pending"), ("IPAS423", "pending"), ("IPAS142", "pending"),
             ("IPAS158", "live"), ("IPAS161", "dead"), ("IPAS270", "")]


@pytest.mark.parametrize(("code", "status"), RPI_CODES)
def test_rpi_decision_codes(code, status):
    assert inpi_br.despacho_status(code) == status


@pytest.mark.parametrize(("name", "status"), [
    ("Arquivamento definitivo de pedido de registro por falta de pagamento da concessão", "dead"),
    ("Indeferimento do pedido", "dead"), ("Concessão de registro", "live"),
    ("Deferimento de petição", ""), ("Exigência de mérito", "pending"), ("Algo novo", None)])
def test_rpi_unknown_codes_fall_back_on_the_decision_name(name, status):
    assert inpi_br.despacho_status("IPAS999", name) == status


# --- KIPO -----------------------------------------------------------------------------------------------


def test_kipris_items(off):
    stats = ImportStats()
    recs = {r["serial_number"]: r for r in kipo.iter_kipris(off / "kipris_items.xml", stats=stats)}
    refused = recs["4020230000001"]
    assert (refused["mark"], refused["status"], refused["nice_classes"]) == ("LUMEN 루멘", "dead", "9;35")
    assert refused["owner"] == "주식회사 루멘 Lumen Co., Ltd."  # no right holder yet: the applicant
    assert refused["registration_number"] == "" and refused["languages"] == "ko;en"
    filed = recs["4020240000002"]
    assert (filed["mark"], filed["status"], filed["owner"]) == ("바람", "pending", "박지민")
    assert filed["jurisdiction"] == "KR" and filed["transaction_date"] == "20240302"


def test_kipris_error_response_is_a_one_line_error(off, tmp_path):
    with pytest.raises(CorpusError) as info:
        compile_corpus([off / "kipris_error.xml"], tmp_path / "kr")
    assert "resultCode 30" in str(info.value) and "kipris_error.xml" in str(info.value)
    assert "\n" not in str(info.value)


def test_kipris_error_page_among_the_pages_of_a_zip_is_a_one_line_error(off, tmp_path):
    zipped = tmp_path / "kipris_pages.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(off / "kipris_items.xml", "page1.xml")
        archive.write(off / "kipris_error.xml", "page2.xml")
    with pytest.raises(CorpusError) as info:
        list(kipo.iter_kipris(zipped))
    assert str(info.value).startswith(f"{tmp_path / 'kipris_pages.zip:page2.xml'}: KIPRIS error response")


def test_a_file_of_another_format_in_an_euipo_zip_is_noted(off, tmp_path, fixtures):
    zipped = tmp_path / "mixed.zip"
    with zipfile.ZipFile(zipped, "w") as archive, \
            zipfile.ZipFile(fixtures / "uspto" / "apc250101.zip") as daily:
        archive.write(off / "EUTMS_20240105_0001.xml", "a.xml")
        archive.writestr("b.xml", daily.read(daily.namelist()[0]))
    recs, stats = _records(zipped)
    plain, _ = _records(off / "EUTMS_20240105_0001.xml")
    assert recs.keys() == plain.keys()
    assert "mixed.zip:b.xml: no <TradeMark> record found (a file of another format? give it as a source of its " \
           "own)" in stats.notes
    assert not any("no <TradeMark>" in n for n in _records(off / "EUTMS_20240105_0001.xml")[1].notes)


# --- status vocabularies --------------------------------------------------------------------------------

EUIPO_LABELS = [
    ("Application filed", "pending"), ("Application published", "pending"),
    ("Application under examination", "pending"), ("Application opposed", "pending"),
    ("Registration pending", "pending"), ("Appeal pending", "pending"),
    ("Registration cancellation pending", "live"), ("Application refused", "dead"),
    ("Application withdrawn", "dead"), ("Registration cancelled", "dead"), ("Registration surrendered", "dead"),
    ("Registered", "live"), ("Registration expired", "dead")]
UKIPO_LABELS = [
    ("Registered", "live"), ("Registration renewed", "live"), ("Expired", "dead"), ("Registration cancelled", "dead"),
    ("Registration surrendered", "dead"), ("Cancelled", "dead"), ("Merged", "dead"), ("Removed", "dead"),
    ("Withdrawn", "dead"), ("Refused", "dead"), ("Surrendered", "dead"), ("Dead", "dead"),
    ("Application Published", "pending"), ("Pre-Publication", "pending"), ("Examination", "pending"),
    ("Application Received", "pending"), ("Opposed", "pending"), ("Opposition pending", "pending"),
    ("Appeal pending", "pending")]
ST66_LABELS = [
    ("Application Filed", "pending"), ("Filing date accorded", "pending"), ("Classification checked", "pending"),
    ("Application accepted", "pending"), ("Application published", "pending"), ("Opposition pending", "pending"),
    ("Registration published", "live"), ("Application refused", "dead"), ("Application withdrawn", "dead"),
    ("Appeal pending", "pending"), ("Interruption of proceeding", "dead"), ("Registration cancelled", "dead"),
    ("Conversion requested", "dead"), ("Registration surrendered", "dead"),
    ("Revocation proceeding pending", "live"), ("Invalidity proceeding pending", "live"),
    ("Action before Court of Justice pending", "pending")]
KIPO_LABELS = [("등록", "live"), ("출원", "pending"), ("거절", "dead"), ("실효", "dead"), ("Registered", "live"),
               ("Application published", "pending"), ("Application filed", "pending"), ("Ended", "dead")]


@pytest.mark.parametrize(("label", "status"), EUIPO_LABELS)
def test_euipo_status_labels(label, status):
    from scanner.corpus.office_status import map_status

    assert map_status(label, "EU") == status
    assert map_status("  " + label.upper() + " ", "EU") == status


@pytest.mark.parametrize(("label", "status"), UKIPO_LABELS + ST66_LABELS)
def test_ukipo_status_labels(label, status):
    from scanner.corpus.office_status import map_status

    assert map_status(label, "GB") == status


@pytest.mark.parametrize(("label", "status"), ST66_LABELS)
def test_st66_status_labels(label, status):
    from scanner.corpus.office_status import map_status

    assert map_status(label, "RO") == status


@pytest.mark.parametrize(("label", "status"), KIPO_LABELS)
def test_kipo_status_labels(label, status):
    from scanner.corpus.office_status import map_status

    assert map_status(label, "KR") == status


def test_status_tables_cover_the_notes_exactly():
    from scanner.corpus import office_status as os_

    assert set(os_.EUIPO_STATUS) == {label for label, _ in EUIPO_LABELS}
    assert set(os_.UKIPO_STATUS) == {label for label, _ in UKIPO_LABELS}
    assert set(os_.ST66_STATUS) == {label for label, _ in ST66_LABELS}
    assert set(os_.KIPO_STATUS) == {label for label, _ in KIPO_LABELS}
    assert os_.map_status("Alive and well", "EU") == ""
    assert os_.is_delete_label("DO-NOT-DISPLAY")


def test_unknown_status_label_is_flagged(tmp_path, off):
    text = (off / "EUTMS_20240105_0001.xml").read_text(encoding="utf-8")
    path = tmp_path / "odd.xml"
    path.write_text(text.replace(">Registered</MarkCurrentStatusCode>", ">Zombie state</MarkCurrentStatusCode>"),
                    encoding="utf-8")
    recs, stats = _records(path)
    assert recs["900000001"]["status"] == "" and recs["900000001"]["status_code"] == "Zombie state"
    assert stats.flags["status_unknown"] == 2


# --- safety and broken input ----------------------------------------------------------------------------


def test_entities_are_never_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    path = tmp_path / "evil.xml"
    path.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE Transaction [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY word "EXPANDED">]>\n'
        '<Transaction xmlns="http://www.euipo.europa.eu/EUTM/EUTM_Download"><TradeMarkTransactionBody>'
        '<TransactionContentDetails><TransactionData><TradeMarkDetails>'
        '<TradeMark operationCode="Insert"><RegistrationOfficeCode>EM</RegistrationOfficeCode>'
        '<ApplicationNumber>900000021</ApplicationNumber><WordMarkSpecification>'
        '<MarkVerbalElementText>&xxe;&word;</MarkVerbalElementText></WordMarkSpecification></TradeMark>'
        '<TradeMark operationCode="Insert"><RegistrationOfficeCode>EM</RegistrationOfficeCode>'
        '<ApplicationNumber>900000022</ApplicationNumber><WordMarkSpecification>'
        '<MarkVerbalElementText>PLAIN &amp; SAFE</MarkVerbalElementText></WordMarkSpecification></TradeMark>'
        '</TradeMarkDetails></TransactionData></TransactionContentDetails></TradeMarkTransactionBody></Transaction>',
        encoding="utf-8")
    recs, stats = _records(path)
    assert set(recs) == {"900000022"} and recs["900000022"]["mark"] == "PLAIN & SAFE"
    assert stats.skipped["malformed_record"] == 1
    assert "TOP SECRET" not in json.dumps(stats.as_dict()) and "EXPANDED" not in json.dumps(stats.as_dict())


def test_prefixed_namespace_records_parse(tmp_path):
    path = tmp_path / "prefixed.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<tm:Transaction xmlns:tm="http://www.wipo.int/standards/XMLSchema/trademarks"><tm:TradeMarkTransactionBody>'
        '<tm:TransactionContentDetails><tm:TransactionData><tm:TradeMarkDetails><tm:TradeMark>'
        '<tm:RegistrationOfficeCode>WO</tm:RegistrationOfficeCode><tm:ApplicationNumber>9000009</tm:ApplicationNumber>'
        '<tm:DesignatedCountryDetails><tm:DesignatedCountry><tm:DesignatedCountryCode>CN</tm:DesignatedCountryCode>'
        '</tm:DesignatedCountry></tm:DesignatedCountryDetails><tm:WordMarkSpecification>'
        '<tm:MarkVerbalElementText>PREFIXED</tm:MarkVerbalElementText></tm:WordMarkSpecification></tm:TradeMark>'
        '</tm:TradeMarkDetails></tm:TransactionData></tm:TransactionContentDetails></tm:TradeMarkTransactionBody>'
        '</tm:Transaction>', encoding="utf-8")
    assert detect.sniff_kind(path) == "st66"
    recs, _ = _records(path)
    assert recs["9000009"]["mark"] == "PREFIXED" and recs["9000009"]["designations"] == "CN"
    assert recs["9000009"]["status"] == ""  # no expiry date, no status: unknown, not guessed


def test_truncated_file_counts_the_cut_record(off, tmp_path):
    data = (off / "EUTMS_20240105_0001.xml").read_bytes()
    cut = data.index(b"<ApplicationNumber>900000005")
    path = tmp_path / "cut.xml"
    path.write_bytes(data[:cut])
    recs, stats = _records(path)
    assert set(recs) == {"900000001", "900000002", "900000003"}
    assert stats.skipped["malformed_record"] == 2  # the broken record and the cut one


def test_corrupt_zip_is_a_one_line_error(off, tmp_path):
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(off / "EUTMS_20240105_0001.xml", "EUTMS_20240105_0001.xml")
    bad = tmp_path / "EUTMS_bad.zip"
    bad.write_bytes(good.read_bytes()[:300])
    with pytest.raises(CorpusError) as info:
        compile_corpus([bad], tmp_path / "c")
    assert "EUTMS_bad.zip" in str(info.value) and "\n" not in str(info.value)


# --- corpus info counts ---------------------------------------------------------------------------------


def test_office_counts_and_their_lines(off, fixtures, tmp_path):
    compile_corpus([off / "EUTMS_20240105_0001.xml", off / "madrid_st66.xml", off / "rpi",
                    fixtures / "uspto" / "apc250101.zip"], tmp_path / "multi")
    counts = office_counts(tmp_path / "multi")
    assert counts["EU"] == {"live": 2, "pending": 1, "dead": 1, "unknown": 0, "total": 4}
    assert counts["WO"] == {"live": 1, "pending": 0, "dead": 1, "unknown": 0, "total": 2}
    assert counts["BR"]["total"] == 3 and "US" in counts
    lines = format_office_counts(counts)
    assert lines[0] == "offices"
    assert any(line.strip().startswith("WO (WIPO Madrid)") for line in lines)
    assert format_office_counts({"US": counts["US"]}) == []  # one office: nothing extra to say


def test_cli_build_and_info_of_a_multi_office_corpus(off, fixtures, tmp_path):
    from click.testing import CliRunner

    from scanner.cli import cli

    out = tmp_path / "multi"
    result = CliRunner().invoke(cli, ["corpus", "build", str(off / "euipo_legacy"), str(off / "ukipo"),
                                      str(fixtures / "uspto" / "apc250101.zip"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    info = CliRunner().invoke(cli, ["corpus", "info", str(out)])
    assert info.exit_code == 0
    assert "offices" in info.output and "GB (UKIPO)" in info.output and "EU (EUIPO)" in info.output
    as_json = json.loads(CliRunner().invoke(cli, ["corpus", "info", str(out), "--json"]).output)
    assert as_json["offices"]["EU"]["total"] == 2 and as_json["offices"]["GB"]["total"] == 1
    bad = CliRunner().invoke(cli, ["corpus", "build", str(off / "kipris_error.xml"), "--out", str(tmp_path / "k")])
    assert bad.exit_code == 1 and "resultCode 30" in bad.output and "Traceback" not in bad.output


def test_goods_read_by_bytes_and_by_the_parser_agree(off, tmp_path):
    """Goods texts are read by bytes when they are plain; a text with an entity reference goes through the
    XML parser instead, with the same result shape."""
    data = (off / "EUTMS_20240105_0001.xml").read_bytes()
    chunk = data[data.index(b"<TradeMark "):data.index(b"</TradeMark>") + len(b"</TradeMark>")]
    reduced, taken = st66.take_goods(chunk)
    assert taken == ([9, 25], {"de": ["Kopfhörer; Ladegeräte.".encode(), b"Bekleidung."],
                               "en": [b"Headphones; chargers.", b"Clothing."]}, False)
    assert b"GoodsServicesDetails" not in reduced and b"KESTREL LUMEN" in reduced
    path = tmp_path / "amp.xml"
    path.write_bytes(data.replace(b"Headphones; chargers.", b"Headphones &amp; chargers."))
    assert st66.take_goods(chunk.replace(b"Headphones; chargers.", b"Headphones &amp; chargers."))[1] is None
    recs, _ = _records(path)
    assert recs["900000001"]["goods_services"] == "Headphones & chargers. | Clothing."
    assert recs["900000001"]["nice_classes"] == "9;25"
    assert json.loads(recs["900000001"]["goods_services_by_lang"])["de"] == "Kopfhörer; Ladegeräte. | Bekleidung."
    # quotes, backslashes, newlines and double spaces stay on the bytes path: cleaned, and escaped in the JSON
    quoted_chunk = chunk.replace(b"Headphones; chargers.", b'So-called "smart"\n  headphones\\.')
    assert st66.take_goods(quoted_chunk)[1][1]["en"][0] == b'So-called "smart" headphones\\.'
    quoted = tmp_path / "quoted.xml"
    quoted.write_bytes(data.replace(b"Headphones; chargers.", b'So-called "smart"\n  headphones\\.'))
    recs, _ = _records(quoted)
    assert recs["900000001"]["goods_services"] == 'So-called "smart" headphones\\. | Clothing.'
    assert json.loads(recs["900000001"]["goods_services_by_lang"])["en"] == recs["900000001"]["goods_services"]
    # a record whose goods text is not UTF-8 is malformed, not imported garbled
    broken = tmp_path / "latin1.xml"
    broken.write_bytes(data.replace("Kopfhörer".encode(), "Kopfhörer".encode("latin-1")))
    recs, stats = _records(broken)
    assert "900000001" not in recs and stats.skipped["malformed_record"] == 2


@pytest.mark.parametrize("old, new", [
    (b"", b""),  # unchanged: the usual section
    (b"Headphones; chargers.", b"Headphones;  chargers."),  # double space
    (b"Headphones; chargers.", b" Headphones; chargers."),  # leading space
    (b"Headphones; chargers.", b"Headphones; chargers. "),  # trailing space
    (b"Headphones; chargers.", b""),  # empty text
    (b"Headphones; chargers.", b"   "),  # only spaces
    (b"Headphones; chargers.", b'So-called "smart" \\ headphones'),  # quotes to escape
    (b"Headphones; chargers.", b"Headphones &amp; chargers."),  # a reference
    (b"Headphones; chargers.", b"Headphones;\tchargers."),  # a tab
    (b"Headphones; chargers.", b"Headphones <b>and</b> chargers."),  # markup
    (b'languageCode="en"', b'languageCode="EN"'),
    (b'languageCode="en"', b'languageCode="de"'),  # a language twice
    (b'languageCode="en"', b'languageCode="-"'),
    (b'languageCode="en"', b'languageCode="abcdefghijklm"'),  # 13 letters
    (b'languageCode="en"', b'languageCode = "en"'),
    (b"<ClassNumber>9</ClassNumber>", b"<ClassNumber>0009</ClassNumber>"),
    (b"<ClassNumber>9</ClassNumber>", b"<ClassNumber>\n9 </ClassNumber>"),
])
def test_usual_goods_reader_agrees_with_the_general_ones(old, new):
    """The one-pass reader of the usual goods section (one class, each language once) either declines
    (None) or gives what the readers before it give (the plain reader, else the text-by-text one)."""
    section = ("<GoodsServicesDetails>\n<GoodsServices>\n <ClassDescriptionDetails>\n  <ClassDescription>\n"
               "   <ClassNumber>9</ClassNumber>\n"
               '   <GoodsServicesDescription languageCode="de">Kopfhörer; Ladegeräte.</GoodsServicesDescription>\n'
               '   <GoodsServicesDescription languageCode="en">Headphones; chargers.</GoodsServicesDescription>\n'
               "  </ClassDescription>\n </ClassDescriptionDetails>\n</GoodsServices>\n").encode()
    section = section.replace(old, new, 1) if old else section
    usual = st66._take_usual(section)
    if not old:
        assert usual == ([9], {"de": ["Kopfhörer; Ladegeräte.".encode()], "en": [b"Headphones; chargers."]}, False)
    if usual is not None:
        assert usual == (st66._take_plain(section) or st66._take_general(section))
