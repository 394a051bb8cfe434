"""The shipped starter corpus (data/trademarks/marks.csv), its compiler, and the demo inputs in examples/."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import tomllib
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from scanner.config import load_profile
from scanner.corpus import load_corpus
from scanner.corpus.schema import KINDS, STATUSES, TRADEMARK_CSV_COLUMNS
from scanner.resources import starter_corpus_path

REPO = Path(__file__).resolve().parents[1]
TRADEMARKS = REPO / "data" / "trademarks"
MARKS_CSV = TRADEMARKS / "marks.csv"
EXAMPLES = REPO / "examples"
LISTING_REPORT = EXAMPLES / "All+Listings+Report.txt"

#: The All Listings Report default layout (GET_MERCHANT_LISTINGS_ALL_DATA), in order.
ALL_LISTINGS_HEADERS = [
    "item-name", "item-description", "listing-id", "seller-sku", "price", "quantity", "open-date",
    "image-url", "item-is-marketplace", "product-id-type", "zshop-shipping-fee", "item-note",
    "item-condition", "zshop-category1", "zshop-browse-path", "zshop-storefront-feature", "asin1", "asin2",
    "asin3", "will-ship-internationally", "expedited-shipping", "zshop-boldface", "product-id",
    "bid-for-featured-placement", "add-delete", "pending-quantity", "fulfillment-channel",
    "merchant-shipping-group", "status",
]

#: Marks the starter corpus must contain, with their owner (the owner spelling is part of the contract
#: other stages rely on: own-brand variants are resolved by owner equality).
MUST_HAVE = {
    "iPhone": "Apple Inc.",
    "AirPods": "Apple Inc.",
    "MagSafe": "Apple Inc.",
    "Galaxy": "Samsung Electronics Co. Ltd.",
    "PlayStation": "Sony Interactive Entertainment Inc.",
    "Joy-Con": "Nintendo Co. Ltd.",
    "Kindle": "Amazon Technologies Inc.",
    "LEGO": "LEGO Juris A/S",
    "Pokémon": "The Pokémon Company",
    "Pikachu": "The Pokémon Company",
    "Disney": "Disney Enterprises Inc.",
    "Marvel": "Marvel Characters Inc.",
    "Spider-Man": "Marvel Characters Inc.",
    "Star Wars": "Lucasfilm Ltd.",
    "Grogu": "Lucasfilm Ltd.",
    "Hello Kitty": "Sanrio Company Ltd.",
    "Stanley": "Stanley Black & Decker Inc.",
    "YETI": "YETI Coolers LLC",
    "KitchenAid": "Whirlpool Properties Inc.",
    "Dyson": "Dyson Technology Limited",
    "Brita": "Brita GmbH",
    "K-Cup": "Keurig Green Mountain Inc.",
    "Nike": "Nike Inc.",
    "Air Max": "Nike Inc.",
    "Louis Vuitton": "Louis Vuitton Malletier",
    "Rolex": "Rolex Watch U.S.A. Inc.",
    "San Diego Padres": "Major League Baseball Properties Inc.",
    "Dallas Cowboys": "NFL Properties LLC",
    "Los Angeles Lakers": "NBA Properties Inc.",
    "Olaplex": "Olaplex Inc.",
    "CeraVe": "L'Oréal",
    "DeWalt": "Stanley Black & Decker Inc.",
    "Black+Decker": "Stanley Black & Decker Inc.",
    "Theragun": "Therabody Inc.",
    "Pampers": "The Procter & Gamble Company",
    "KONG": "The KONG Company LLC",
    "OtterBox": "Otter Products LLC",
    "Post-it": "3M Company",
    "Titleist": "Acushnet Company",
    "Coca-Cola": "The Coca-Cola Company",
}

#: One representative mark per sector list (source column) and the minimum size of each sector.
SECTOR_MINIMUMS = {
    "starter:electronics": ("PlayStation", 350),
    "starter:apparel": ("Birkenstock", 250),
    "starter:toys": ("Squishmallows", 400),
    "starter:sports": ("Green Bay Packers", 300),
    "starter:beauty": ("Maybelline", 180),
    "starter:home": ("Nespresso", 180),
    "starter:tools_auto": ("Milwaukee", 180),
    "starter:sporting_goods": ("Peloton", 80),
    "starter:health_baby_pet": ("Huggies", 120),
    "starter:office_media": ("Sharpie", 80),
    "starter:food_drink": ("Hershey's", 30),
    "starter:hobbies": ("Märklin", 1000),
    "starter:franchises": ("Jujutsu Kaisen", 2300),
    "starter:music": ("Blackpink", 1000),
    "starter:auto_parts": ("Mann-Filter", 1800),
    "starter:tools_garden": ("Miracle-Gro", 600),
    "starter:office_craft": ("Sizzix", 450),
    "starter:pet": ("Temptations", 350),
    "starter:health_otc": ("Dramamine", 430),
    "starter:household": ("Dawn", 380),
    "starter:sports_world": ("Boca Juniors", 900),
    "starter:fashion_more": ("Loro Piana", 1100),
    "starter:beauty_more": ("Sulwhasoo", 850),
    "starter:electronics_more": ("UGREEN", 1000),
    # home-market brands of the seed marketplaces
    "starter:intl_uk": ("Irn-Bru", 250),
    "starter:intl_de": ("Parkside", 250),
    "starter:intl_jp": ("MUJI", 250),
    "starter:intl_kr": ("Nongshim", 130),
    "starter:intl_fr": ("Decathlon", 200),
    "starter:intl_it": ("Lavazza", 170),
    "starter:intl_es": ("Desigual", 120),
    "starter:intl_br": ("Guaraná Antarctica", 110),
    "starter:intl_mx": ("Bimbo", 100),
    "starter:intl_ru": ("Yandex", 110),
    "starter:intl_cn": ("Haier", 190),
}

#: Registers a starter row may name (data/trademarks/compile.py JURISDICTIONS).
JURISDICTIONS = {"US", "EU", "GB", "DE", "FR", "IT", "ES", "JP", "KR", "CN", "BR", "MX", "AR", "RU", "WO", ""}

#: Aliases that must be on their mark (native-script names and fan abbreviations).
ALIASES = {
    "Nike": ["ナイキ", "나이키", "Найк", "耐克"],
    "The Lord of the Rings": ["LOTR"],
    "Dungeons & Dragons": ["D&D"],
    "Pokémon": ["ポケモン", "포켓몬"],
    "MUJI": ["無印良品"],
    "Haier": ["海尔"],
}

#: Interface, format and certification standards are not marks for this project (RUBRIC).
STANDARDS = ["USB", "USB-C", "HDMI", "SD", "microSD", "SDHC", "Bluetooth", "Wi-Fi", "WiFi", "DisplayPort",
             "SATA", "CompactFlash", "DECT", "Qi", "NFC", "Thunderbolt", "Zigbee", "Z-Wave", "Energy Star"]

#: Every mark the demo listings use: (mark as in the corpus, how the listing file writes it).
EXAMPLE_MARKS = [
    ("Spigen", "Spigen"), ("Ultra Hybrid", "Ultra Hybrid"), ("Tough Armor", "Tough Armor"),
    ("iPhone", "iPhone"), ("Samsung", "Samsung"), ("Galaxy", "Galaxy S24"), ("Canon", "Canon PG-245"),
    ("PIXMA", "PIXMA"), ("Nike", "Nike Air Max"), ("Air Max", "Air Max 90"), ("LEGO", "LEGO Classic"),
    ("Stanley", "Stanley 40 oz"), ("Apple", "Apple AirPods"), ("AirPods Pro", "AirPods Pro"),
    ("Dallas Cowboys", "Dallas Cowboys"), ("San Diego Padres", "San Diego Padres"),
    ("Hello Kitty", "Hello Kitty"), ("Pokémon", "Pokémon Pikachu"), ("Pikachu", "Pikachu Keychain"),
    ("Harry Potter", "Harry Potter"), ("Hogwarts", "Hogwarts Crest"), ("MagSafe", "MagSafe Compatible"),
    ("Ring", "Magnet Ring"), ("Brita", "Brita Pitchers"), ("HP", "HP 26A"), ("LaserJet", "LaserJet Pro"),
    ("Nintendo Switch", "Nintendo Switch"), ("Joy-Con", "Joy-Con"), ("Apple Watch", "Apple Watch 41mm"),
    ("Echo Dot", "Echo Dot 5th Gen"), ("Alexa", "Works with Alexa"), ("Dyson", "Dyson V8"),
    ("Kindle Paperwhite", "Kindle Paperwhite"), ("CarPlay", "CarPlay Adapter"),
    ("Louis Vuitton", "Louis Vuitton"), ("Neverfull", "Neverfull Tote"), ("Ray-Ban", "Ray-Ban Replica"),
    ("Wayfarer", "Wayfarer Classic"), ("Rolex", "Rolex Submariner"), ("Submariner", "Submariner Style"),
    ("Stanley Cup", "Stanley Cup Dupe"), ("Nike", "N1ke"), ("adidas", "Addidas"),
    ("AirPods Pro", "Air Pods Pro"), ("Pokémon GO", "Pokemon Go Plus"), ("Universal", "Universal Phone Mount"),
    ("Galaxy", "Galaxy Projector"), ("Frozen", "Frozen Treat"), ("Shark", "Shark Tooth"),
    ("AirPods", "alternative to AirPods"), ("Beats", "Beats and Bose"), ("Bose", "Bose earbuds"),
    ("Google", "Google Pixel"), ("Pixel", "Google Pixel"), ("Studio Buds", "beats studio buds"),
    ("Sony", "sony earbuds"), ("JBL", "jbl"), ("Skullcandy", "skullcandy"), ("YETI", "yeti tumbler"),
    ("Owala", "owala"), ("Hydro Flask", "hydro flask"), ("Disney", "Disney Frozen"),
    ("Marvel", "Marvel Avengers"), ("Avengers", "Avengers Spider-Man"), ("Spider-Man", "Spider-Man Kids"),
    ("KitchenAid", "KitchenAid 5 Quart"),
]

_LEGAL_FORMS = {"inc", "incorporated", "llc", "ltd", "limited", "co", "corp", "corporation", "company",
                "plc", "gmbh", "ag", "sa", "spa", "bv", "nv", "ab", "as", "lp", "llp", "the", "kg", "oy"}


def _rows() -> list[dict[str, str]]:
    with MARKS_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, strict=True))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return _rows()


@pytest.fixture(scope="module")
def marks_by_fold(rows) -> dict[str, list[dict[str, str]]]:
    index: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        index[row["mark"].casefold()].append(row)
    return index


def _load_compiler():
    spec = importlib.util.spec_from_file_location("starter_compile", TRADEMARKS / "compile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _owner_key(owner: str) -> str:
    text = unicodedata.normalize("NFKD", owner.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("&", " and ")
    text = re.sub(r"\b([a-z])\.(?=[a-z]\.)", r"\1", text)  # "l.l.c." -> "llc", "s.a." -> "sa"
    words = re.findall(r"[a-z0-9]+", text.replace(".", ""))
    return " ".join(w for w in words if w not in _LEGAL_FORMS)


# --- the file and its format -------------------------------------------------------------------------


def test_starter_corpus_path_is_the_shipped_file():
    assert starter_corpus_path().resolve() == MARKS_CSV.resolve()


def test_marks_csv_is_rfc4180_utf8_with_contract_header():
    raw = MARKS_CSV.read_bytes()
    text = raw.decode("utf-8")  # raises if not UTF-8
    assert not text.startswith("\ufeff")
    records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    assert tuple(records[0]) == TRADEMARK_CSV_COLUMNS
    assert tuple(records[0]) == ("mark", "owner", "nice_classes", "status", "jurisdiction", "serial_number",
                                 "registration_number", "kind", "source", "aliases")
    bad = [i for i, rec in enumerate(records[1:], 2) if len(rec) != len(TRADEMARK_CSV_COLUMNS)]
    assert not bad, f"rows with the wrong number of fields: {bad[:5]}"


def test_load_corpus_reads_the_starter_corpus(rows):
    corpus = load_corpus()
    assert len(corpus) == len(rows) >= 2000
    assert list(corpus.marks["mark"]) == [r["mark"] for r in rows]
    assert list(corpus.marks["owner"]) == [r["owner"] for r in rows]
    assert corpus.content_hash


def test_size(rows):
    assert len(rows) >= 2000


def test_values_are_clean(rows):
    for row in rows:
        for column, value in row.items():
            assert value == " ".join(value.split()), f"{row['mark']!r}: whitespace in {column}"
            assert value == unicodedata.normalize("NFC", value), f"{row['mark']!r}: {column} not NFC"
        assert row["mark"] and row["owner"]


def test_nice_classes_are_semicolon_separated_integers_1_to_45(rows):
    for row in rows:
        if row["nice_classes"] == "":
            continue
        parts = row["nice_classes"].split(";")
        assert all(p.isdigit() and 1 <= int(p) <= 45 for p in parts), (row["mark"], row["nice_classes"])
        assert len(set(parts)) == len(parts), (row["mark"], row["nice_classes"])


def test_status_kind_jurisdiction_in_allowed_sets(rows):
    assert {r["status"] for r in rows} <= set(STATUSES) | {""}
    assert {r["kind"] for r in rows} <= set(KINDS)
    assert {r["jurisdiction"] for r in rows} <= set(_load_compiler().JURISDICTIONS)
    assert {r["jurisdiction"] for r in rows} <= JURISDICTIONS
    assert all(r["source"].startswith("starter:") for r in rows)


def test_no_registration_numbers_anywhere(rows):
    assert all(r["serial_number"] == "" for r in rows)
    assert all(r["registration_number"] == "" for r in rows)


def test_no_duplicate_mark_owner_pairs(rows):
    counts = Counter((r["mark"].casefold(), r["owner"]) for r in rows)
    assert [pair for pair, n in counts.items() if n > 1] == []


def test_each_owner_is_spelled_one_way(rows):
    spellings: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        spellings[_owner_key(row["owner"])].add(row["owner"])
    assert {k: v for k, v in spellings.items() if len(v) > 1} == {}


def test_must_have_marks_with_their_owner(marks_by_fold):
    for mark, owner in MUST_HAVE.items():
        found = marks_by_fold.get(mark.casefold(), [])
        assert found, f"{mark} missing"
        assert any(r["mark"] == mark for r in found), f"{mark} not written as the owner writes it"
        assert owner in {r["owner"] for r in found}, f"{mark}: owner {owner!r} not among {found}"


def test_product_lines_belong_to_their_owner(marks_by_fold):
    def owner_of(mark: str) -> str:
        return next(r["owner"] for r in marks_by_fold[mark.casefold()])

    assert owner_of("iPad") == owner_of("Apple") == owner_of("MacBook")
    assert owner_of("Xbox") == owner_of("Microsoft")
    assert owner_of("Cyber-shot") == owner_of("Sony")
    assert owner_of("Jordan") == owner_of("Air Jordan") == owner_of("Nike")
    assert owner_of("Mustang") == owner_of("Ford")
    assert {r["kind"] for r in marks_by_fold["ipad"]} == {"product_line"}


def test_sector_minimums_and_representatives(rows, marks_by_fold):
    sectors = Counter(r["source"] for r in rows)
    assert set(SECTOR_MINIMUMS) <= set(sectors)
    readme = MARKS_CSV.with_name("README.md").read_text(encoding="utf-8")
    undocumented = [s for s in sectors if f"`{s}`" not in readme and f"sources/{s.split(':')[1]}.csv" not in readme]
    assert not undocumented, f"sectors missing from data/trademarks/README.md: {undocumented}"
    for sector, (mark, minimum) in SECTOR_MINIMUMS.items():
        assert sectors[sector] >= minimum, f"{sector}: {sectors[sector]} < {minimum}"
        assert sector in {r["source"] for r in marks_by_fold[mark.casefold()]}, f"{mark} not in {sector}"


def test_aliases(rows, marks_by_fold):
    with_aliases = [r for r in rows if r["aliases"]]
    assert len(with_aliases) >= 300
    for row in with_aliases:
        parts = row["aliases"].split(";")
        assert all(p and p == p.strip() for p in parts), row
        folded = [p.casefold() for p in parts]
        assert len(set(folded)) == len(folded) and row["mark"].casefold() not in folded, row
    for mark, aliases in ALIASES.items():
        found = [r for r in marks_by_fold[mark.casefold()] if r["mark"] == mark]
        assert found and all(a in found[0]["aliases"].split(";") for a in aliases), mark


def test_aliases_match_as_their_mark():
    import pandas as pd

    from scanner.match import find_matches

    corpus = load_corpus()
    titles = ["ナイキ スニーカー 27cm", "나이키운동화", "Кроссовки Найк мужские", "耐克运动鞋 男款", "LOTR poster"]
    m = find_matches(pd.DataFrame({"title": titles}), corpus, fields=("title",))
    got = {(int(r.listing), r.mark, r.alias) for r in m.itertuples()}
    assert {(0, "Nike", "ナイキ"), (1, "Nike", "나이키"), (2, "Nike", "Найк"), (3, "Nike", "耐克"),
            (4, "The Lord of the Rings", "LOTR")} <= got


def test_kinds_are_all_used(rows):
    kinds = Counter(r["kind"] for r in rows)
    for kind in ("brand", "product_line", "franchise", "character", "team"):
        assert kinds[kind] >= 100, f"only {kinds[kind]} {kind} rows"


def test_interface_standards_are_not_marks(marks_by_fold):
    present = [s for s in STANDARDS if s.casefold() in marks_by_fold]
    assert present == []


def test_status_live_is_the_common_case_but_not_universal(rows):
    live = sum(r["status"] == "live" for r in rows)
    # live where the registration is certain; characters, species, anime titles and music acts often are not
    assert 0.25 * len(rows) < live < len(rows), "status must be left empty where not certain"


# --- the compiler keeps marks.csv and the README in sync and refuses bad lists ------------------------


def test_marks_csv_is_compiled_from_the_sources():
    compiler = _load_compiler()
    rows, _ = compiler.compile_rows()
    assert compiler.render(rows) == MARKS_CSV.read_text(encoding="utf-8"), (
        "marks.csv is out of date: run python data/trademarks/compile.py"
    )
    readme = (TRADEMARKS / "README.md").read_text(encoding="utf-8")
    assert compiler.with_counts(readme, rows) == readme, "README counts are out of date: run compile.py"
    assert compiler.main(["--check"]) == 0


def _write_source(folder: Path, name: str, lines: list[str]) -> None:
    folder.mkdir(exist_ok=True)
    header = "mark,owner,nice_classes,status,jurisdiction,kind"
    (folder / name).write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")


def test_compiler_merges_dedupes_and_fills_columns(tmp_path):
    compiler = _load_compiler()
    _write_source(tmp_path, "b.csv", ["# a comment", "Widget ,Acme  Corp.,28;9,live,US,brand",
                                      "Widget,Acme Corp.,9;28,live,US,brand", ""])
    _write_source(tmp_path, "a.csv", ['"Gizmo, Deluxe",Acme Corp.,,,US,product_line'])
    rows, dropped = compiler.compile_rows(tmp_path)
    assert dropped == 1
    assert [r["mark"] for r in rows] == ["Gizmo, Deluxe", "Widget"]
    widget = rows[1]
    assert widget["owner"] == "Acme Corp."
    assert widget["nice_classes"] == "9;28"
    assert widget["source"] == "starter:b"
    assert widget["serial_number"] == widget["registration_number"] == ""
    text = compiler.render(rows)
    assert text.splitlines()[1] == '"Gizmo, Deluxe",Acme Corp.,,,US,,,product_line,starter:a,'


@pytest.mark.parametrize(
    "lines, message",
    [
        (["Widget,Acme Corp.,9,live,US,brand", "Gadget,ACME Corp,9,live,US,brand"], "also spelled"),
        (["Widget,Acme Corp.,9,live,US,brand", "widget,Acme Corp.,28,live,US,brand"], "already listed"),
        (["Widget,Acme Corp.,46,live,US,brand"], "nice_classes"),
        (["Widget,Acme Corp.,9;9,live,US,brand"], "repeats"),
        (["Widget,Acme Corp.,9,registered,US,brand"], "status"),
        (["Widget,Acme Corp.,9,live,USA,brand"], "jurisdiction"),
        (["Widget,Acme Corp.,9,live,US,logo"], "kind"),
        (["Widget,Acme Corp.,9,live,US"], "fields"),
        ([",Acme Corp.,9,live,US,brand"], "required"),
    ],
)
def test_compiler_refuses_bad_source_rows(tmp_path, lines, message):
    compiler = _load_compiler()
    _write_source(tmp_path, "bad.csv", lines)
    with pytest.raises(compiler.CompileError, match=message) as info:
        compiler.compile_rows(tmp_path)
    assert "bad.csv line" in str(info.value)


def test_readme_everyday_word_list_names_corpus_marks(marks_by_fold):
    readme = (TRADEMARKS / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- everyday:start -->")[1].split("<!-- everyday:end -->")[0]
    words = []
    for item in block.split("\n- ")[1:]:
        listed = item.split(":", 1)[1].split(". ")[0]
        words += [w.strip().rstrip(".") for w in listed.replace("\n", " ").split(",")]
    assert len(words) > 80
    missing = [w for w in words if w.casefold() not in marks_by_fold]
    assert missing == []


# --- the demo inputs in examples/ -------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_lines() -> list[str]:
    raw = LISTING_REPORT.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # it carries cp1252-only bytes such as 0x96 (en dash) and 0x85 (ellipsis)
    assert b"\x96" in raw and b"\x85" in raw
    text = raw.decode("cp1252")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "every line must end with CRLF"
    return text.split("\r\n")[:-1]


def test_listing_report_layout(report_lines):
    records = list(csv.reader(report_lines, delimiter="\t", quoting=csv.QUOTE_NONE, strict=True))
    assert records[0] == ALL_LISTINGS_HEADERS
    body = records[1:]
    assert 35 <= len(body) <= 50
    assert all(len(rec) == 29 for rec in body)
    rows = [dict(zip(records[0], rec, strict=True)) for rec in body]
    assert len({r["seller-sku"] for r in rows}) == len(rows)
    assert len({r["asin1"] for r in rows}) == len(rows)
    for row in rows:
        assert re.fullmatch(r"B0DEMO\d{4}", row["asin1"]) and row["product-id"] == row["asin1"]
        assert re.fullmatch(r"\d{4}[A-Z0-9]{7}", row["listing-id"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d P[SD]T", row["open-date"])
        assert re.fullmatch(r"\d+\.\d\d", row["price"])
        assert row["product-id-type"] == "1" and row["item-condition"] == "11"
        assert row["status"] == "Active" and row["item-is-marketplace"] == "y"
        assert row["fulfillment-channel"] in {"DEFAULT", "AMAZON_NA"}
        assert (row["quantity"] == "") == (row["fulfillment-channel"] == "AMAZON_NA")
        assert row["item-name"].strip() and '"' not in row["item-name"]
    assert {r["fulfillment-channel"] for r in rows} == {"DEFAULT", "AMAZON_NA"}


@pytest.mark.shared
def test_listing_report_headers_match_the_documented_layout(shared_data):
    layouts = json.loads((shared_data / "amazon-reports" / "listing_report_layouts.json").read_text("utf-8"))
    key = next(k for k in layouts if k.startswith("GET_MERCHANT_LISTINGS_ALL_DATA"))
    assert layouts[key]["columns"] == ALL_LISTINGS_HEADERS


def test_every_mark_used_in_the_examples_is_in_the_corpus(report_lines, marks_by_fold):
    text = "\n".join(report_lines).casefold()
    for mark, written in EXAMPLE_MARKS:
        assert written.casefold() in text, f"{written!r} not in the demo listings"
        assert mark.casefold() in marks_by_fold, f"{mark!r} used in the demo listings but not in the corpus"


def test_seller_profile(marks_by_fold):
    data = tomllib.loads((EXAMPLES / "seller.toml").read_text(encoding="utf-8"))
    seller = data["seller"]
    assert seller["name"] == "Acme Trading" and seller["marketplace"] == "US"
    profile = load_profile(EXAMPLES / "seller.toml")
    assert profile.is_own("Acme") and profile.is_own("ACME PRO")
    assert profile.is_authorized("Spigen") and not profile.is_own("Spigen")
    # the authorized brand is a real mark (so authorization matters); the own brand is fictional
    assert "spigen" in marks_by_fold
    assert not any(b.casefold() in marks_by_fold for b in seller["own_brands"])
    # its product lines share Spigen's owner, so they count as authorized variants
    spigen_owner = marks_by_fold["spigen"][0]["owner"]
    assert {r["owner"] for r in marks_by_fold["tough armor"]} == {spigen_owner}
