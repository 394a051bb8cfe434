"""The real samples of other offices (``../shared/data/offices``) import with their values, checked by hand
against the XML files."""

from __future__ import annotations

import json

import pytest

from scanner.corpus import detect, inpi_br, kipo, st66
from scanner.corpus.build import compile_corpus, resolve_sources
from scanner.corpus.office_counts import office_counts
from scanner.corpus.stats import ImportStats
from scanner.errors import CorpusError

TODAY = "20260101"

#: Application number -> (mark, applicant id, classes, status, status label, filing, registration, expiry,
#: languages, mark feature), read off each file by hand.
EUIPO = {
    "018222197": ("TERRA S NOVA", "770564", "1", "live", "Registered", "20200408", "20200805", "20300408",
                  "en;de", "Word"),
    "018222713": ("ROCA PATRON", "366659", "33", "live", "Registered", "20200408", "20200807", "20300408",
                  "en;de", "3D shape"),
    "018222714": ("", "1079003", "41", "dead", "Application refused", "20200408", "", "", "fr;en", "Figurative"),
    "018223370": ("Señoritas", "638599", "31", "live", "Registered", "20200409", "20200728", "20300409",
                  "nl;en", "Figurative"),
    "018224681": ("ROSE", "1068743", "30", "pending", "Application published", "20200409", "", "", "fr;en",
                  "Word"),
    "018225907": ("Hansleep", "1140640", "24", "live", "Registered", "20200416", "20200801", "20300416",
                  "en;de", "Figurative"),
    "018225933": ("GU", "442287", "18", "pending", "Application opposed", "20200416", "", "", "en;es",
                  "Figurative"),
    "018226743": ("Die Bank für Ihr Zuhause.", "1080393", "36", "pending", "Appeal pending", "20200416", "", "",
                  "de;en", "Word"),
    "018229318": ("MEASUREMENT REDEFINED", "563305", "10", "dead", "Application withdrawn", "20200423", "", "",
                  "en;fr", "Word"),
}


@pytest.fixture
def offices(shared_data):
    folder = shared_data / "offices"
    if not folder.is_dir():
        pytest.skip(f"no offices samples in {folder}")
    return folder


@pytest.mark.parametrize("number", sorted(EUIPO))
def test_euipo_samples(offices, number):
    path = offices / "euipo" / f"{number}.xml"
    assert detect.sniff_kind(path) == "st66"
    stats = ImportStats()
    (rec,) = list(st66.iter_st66(path, stats=stats, today=TODAY))
    mark, owner_id, classes, status, label, filed, registered, expiry, langs, feature = EUIPO[number]
    assert rec["serial_number"] == number
    assert rec["jurisdiction"] == "EU"
    assert rec["mark"] == mark
    assert rec["owner"] == ""  # legacy files: only the applicant identifier
    assert rec["owner_ids"] == owner_id
    assert rec["nice_classes"] == classes
    assert (rec["status"], rec["status_code"]) == (status, label)
    assert (rec["filing_date"], rec["registration_date"], rec["expiry_date"]) == (filed, registered, expiry)
    assert rec["registration_number"] == (number if registered else "")
    assert rec["languages"] == langs
    assert rec["mark_feature"] == feature
    assert stats.read == stats.yielded == 1 and not stats.skipped


def test_euipo_sample_goods_per_language(offices):
    (rec,) = st66.iter_st66(offices / "euipo" / "018222197.xml", today=TODAY)
    by_lang = json.loads(rec["goods_services_by_lang"])
    assert len(by_lang) == 23
    assert by_lang["de"].startswith("Mineralische Adsorptionsmittel und Absorptionsmittel")
    assert rec["goods_services"] == by_lang["en"]
    assert rec["goods_services"].startswith("Mineral adsorbents and absorbents;")
    assert rec["transaction_date"] == "20200807"  # RequestProducerDateTime of the document


def test_euipo_sample_opposition_block_is_not_the_mark(offices):
    (rec,) = st66.iter_st66(offices / "euipo" / "018225933.xml", today=TODAY)
    # the EarlierMark inside OppositionDetails has application number 018199789 and opponent 1065345
    assert rec["serial_number"] == "018225933"
    assert rec["owner_ids"] == "442287"
    assert rec["filing_date"] == "20200416"


def test_ukipo_sample_joins_its_applicant(offices):
    folder = offices / "ukipo"
    kinds = {p.name: detect.sniff_kind(p) for p in folder.glob("*.xml")}
    assert kinds == {"UK00003289573_trademark_GB-TM-Search.xml": "st66",
                     "applicant_507772_GB-TM-Search.xml": "st66_applicants",
                     "representative_9865_GB-TM-Search.xml": "st66_other"}
    (rec,) = st66.iter_st66(folder / "UK00003289573_trademark_GB-TM-Search.xml",
                            applicant_files=[folder / "applicant_507772_GB-TM-Search.xml"], today=TODAY)
    assert rec["mark"] == "THE TWISTED TAILOR"
    assert rec["owner"] == "Utopia Holdings Limited"
    assert rec["owner_ids"] == "507772"
    assert rec["jurisdiction"] == "GB"
    assert rec["nice_classes"] == "14;18;25"
    assert (rec["status"], rec["status_code"]) == ("live", "Registered")
    assert rec["serial_number"] == rec["registration_number"] == "UK00003289573"
    assert (rec["filing_date"], rec["registration_date"], rec["expiry_date"]) == ("20180212", "20180713",
                                                                                  "20280212")
    assert rec["languages"] == "en"
    assert json.loads(rec["goods_services_by_lang"])["en"].startswith("Jewellery; cuff links;")


def test_ukipo_sample_without_applicant_file_keeps_the_identifier(offices):
    (rec,) = st66.iter_st66(offices / "ukipo" / "UK00003289573_trademark_GB-TM-Search.xml", today=TODAY)
    assert rec["owner"] == ""
    assert rec["owner_ids"] == "507772"


def test_tmview_romanian_sample(offices):
    path = offices / "tmview-st66-extra" / "RO_OSIM_TM-Search_record_from_pypers_test.xml"
    assert detect.sniff_kind(path) == "st66"
    (rec,) = st66.iter_st66(path, today=TODAY)
    assert rec["mark"] == "MSR"
    assert rec["owner"] == "AG CAMO INTERNATIONAL S.R.L."  # embedded applicant
    assert rec["owner_ids"] == "132789"
    assert rec["jurisdiction"] == "RO"
    assert rec["nice_classes"] == "9;16;25;28;35;42"
    assert (rec["status"], rec["status_code"]) == ("live", "Registered")
    assert (rec["serial_number"], rec["registration_number"]) == ("M 2012 00091", "119857")
    assert (rec["filing_date"], rec["registration_date"], rec["expiry_date"]) == ("20120110", "20120919",
                                                                                  "20220110")
    assert rec["languages"] == "ro"
    assert set(json.loads(rec["goods_services_by_lang"])) == {"ro"}


def test_inpi_rpi_sample(offices):
    path = offices / "inpi-br" / "RPI2240_excerpt_from_rpi_marca_spec.xml"
    assert detect.sniff_kind(path) == "inpi_rpi"
    assert inpi_br.edition_of(path) == (2240, "20131210")
    stats = ImportStats()
    recs = {r["serial_number"]: r for r in inpi_br.iter_rpi([path], stats=stats, today=TODAY)}
    assert set(recs) == {"905687116", "840233841", "905688198"}
    cup = recs["905687116"]
    assert (cup["mark"], cup["owner"], cup["nice_classes"]) == ("Cupcakes for fun", "CINTIA DEL REY", "30")
    assert (cup["status"], cup["status_code"]) == ("pending", "IPAS009")
    assert (cup["filing_date"], cup["registration_date"], cup["transaction_date"]) == ("20121218", "", "20131210")
    assert cup["jurisdiction"] == "BR" and cup["languages"] == "pt" and cup["mark_feature"] == "Mista"
    assert cup["registration_number"] == ""
    elite = recs["840233841"]
    assert (elite["mark"], elite["owner"], elite["nice_classes"]) == (
        "ELITE", "GRAVIA ESQUALITY INDÚSTRIA METALÚRICA LTDA", "35")
    assert elite["filing_date"] == "20120815"
    cdta = recs["905688198"]
    assert (cdta["mark"], cdta["nice_classes"]) == ("CDTA - TECNOLOGIA AMBIENTAL", "42")
    assert cdta["owner"] == "CDTA - CENTRO DE DESENVOLVIMENTO DE TECNOLOGIAS AMBIENTAIS LTDA"
    assert json.loads(cdta["goods_services_by_lang"])["pt"].startswith("Proteção ambiental")
    assert stats.read == stats.yielded == 3


def test_kipo_samples(offices):
    folder = offices / "kipo"
    assert detect.sniff_kind(folder / "TradeMarkInfo.xml") == "kipris"
    assert detect.sniff_kind(folder / "TrademarkDesignationGoodstInfo.xml") == "kipris_goods"
    (rec,) = kipo.iter_kipris(folder / "TradeMarkInfo.xml")
    assert rec["mark"] == "돈퍼"
    assert rec["owner"] == "김현호 kimHyunHo"
    assert rec["nice_classes"] == "43"
    assert (rec["status"], rec["status_code"]) == ("live", "등록")
    assert (rec["serial_number"], rec["registration_number"]) == ("4020190000011", "4015569910000")
    assert (rec["filing_date"], rec["registration_date"]) == ("20190101", "20191223")
    assert rec["transaction_date"] == "20191230"  # the newest date it carries (RegistrationPublicDate)
    assert rec["jurisdiction"] == "KR" and rec["languages"] == "ko"
    assert list(kipo.iter_kipris(folder / "Empty_TradeMarkInfo.xml")) == []
    with pytest.raises(CorpusError, match="resultCode 30"):
        list(kipo.iter_kipris(folder / "Error_InvalidKey.xml"))


def test_multi_office_build_from_the_sample_folders(offices, tmp_path):
    sources = [offices / "euipo", offices / "ukipo", offices / "tmview-st66-extra",
               offices / "inpi-br" / "RPI2240_excerpt_from_rpi_marca_spec.xml", offices / "kipo" / "TradeMarkInfo.xml"]
    resolved = resolve_sources(sources)
    uk = next(s for s in resolved if s.path.name.startswith("UK00003289573"))
    assert uk.group == (offices / "ukipo" / "applicant_507772_GB-TM-Search.xml",)
    meta = compile_corpus(sources, tmp_path / "multi")
    assert meta["counts"]["marks"] == 8 + 1 + 1 + 3 + 1  # 018222714 has no verbal element
    assert meta["counts"]["skipped"]["no_mark_text"] == 1
    counts = office_counts(tmp_path / "multi")
    assert {k: v["total"] for k, v in counts.items()} == {"BR": 3, "EU": 8, "GB": 1, "KR": 1, "RO": 1}
    assert counts["EU"] == {"live": 4, "pending": 3, "dead": 1, "unknown": 0, "total": 8}
