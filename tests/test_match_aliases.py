"""Aliases: other written forms of a mark (abbreviations, other scripts) match as the mark itself."""

from __future__ import annotations

import pandas as pd
import pytest

from scanner.config import SellerProfile
from scanner.corpus import Corpus
from scanner.corpus.schema import MARK_COLUMNS
from scanner.match import MATCH_COLUMNS, find_matches
from scanner.match.index import build_index
from scanner.text import tokenize

ROWS = [
    {"mark": "Nike", "owner": "Nike, Inc.", "nice_classes": "25", "status": "live", "kind": "brand",
     "aliases": "ナイキ;나이키;Найк;耐克"},
    {"mark": "Lord of the Rings", "owner": "Middle-earth Enterprises", "kind": "franchise", "aliases": "LOTR"},
    {"mark": "Dungeons & Dragons", "owner": "Wizards of the Coast LLC", "kind": "franchise", "aliases": "D&D"},
    {"mark": "Air Max", "owner": "Nike, Inc.", "kind": "product_line"},
    {"mark": "Panasonic", "owner": "Panasonic Holdings Corporation", "kind": "brand",
     "aliases": "National;Matsushita"},
    {"mark": "National", "owner": "Someone Else", "kind": "brand"},
    {"mark": "Adidas", "owner": "adidas AG", "kind": "brand", "aliases": "阿"},
]


def corpus_of(rows: list[dict[str, str]]) -> Corpus:
    df = pd.DataFrame([{c: r.get(c, "") for c in MARK_COLUMNS} for r in rows], columns=list(MARK_COLUMNS))
    return Corpus(marks=df.astype(str), info={"name": "aliases"})


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return corpus_of(ROWS)


def matches(corpus: Corpus, *titles: str, profile: SellerProfile | None = None) -> pd.DataFrame:
    listings = pd.DataFrame({"title": list(titles)})
    return find_matches(listings, corpus, profile, fields=("title",))


def test_alias_column_is_last_and_existing_columns_are_kept() -> None:
    assert MATCH_COLUMNS[-1] == "alias"
    # the columns before it keep their order: the fixed ones, then the extensions in the order they came
    assert MATCH_COLUMNS.index("covers") < MATCH_COLUMNS.index("comparison_cue") < MATCH_COLUMNS.index("alias")


@pytest.mark.parametrize(("title", "alias"), [
    ("ナイキ スニーカー 27cm", "ナイキ"),
    ("ナイキスニーカー 27cm", "ナイキ"),
    ("나이키 운동화", "나이키"),
    ("나이키운동화 270", "나이키"),
    ("Кроссовки Найк мужские", "Найк"),
    ("耐克运动鞋 男款", "耐克"),
])
def test_native_script_aliases_find_nike_with_alias_evidence(corpus: Corpus, title: str, alias: str) -> None:
    m = matches(corpus, title)
    assert len(m) == 1
    row = m.iloc[0]
    assert (row["mark"], row["owner"], row["mark_id"]) == ("Nike", "Nike, Inc.", 0)
    assert row["alias"] == alias
    assert row["matched_text"] == alias
    assert row["method"] == "exact"
    assert row["mark_key"] == "nike"  # grouped with the mark itself
    assert title[row["start"]:row["end"]] == alias


def test_the_mark_itself_has_no_alias_evidence(corpus: Corpus) -> None:
    m = matches(corpus, "Nike Air Max 90 men")
    assert sorted(m["mark"]) == ["Air Max", "Nike"]
    assert set(m["alias"]) == {""}


def test_abbreviations_match_as_their_franchise(corpus: Corpus) -> None:
    m = matches(corpus, "LOTR poster", "D&D dice set", "Dungeons & Dragons dice").sort_values("listing")
    assert list(m["mark"]) == ["Lord of the Rings", "Dungeons & Dragons", "Dungeons & Dragons"]
    assert list(m["alias"]) == ["LOTR", "D&D", ""]
    assert list(m["owner"]) == ["Middle-earth Enterprises", "Wizards of the Coast LLC", "Wizards of the Coast LLC"]


def test_alias_is_not_found_inside_a_longer_latin_word(corpus: Corpus) -> None:
    assert matches(corpus, "slotr cable", "Nikelodeon shirt", "matsushitamania hat").empty
    # nor a CJK alias inside a Latin word, nor a Cyrillic one inside a longer Cyrillic word
    assert matches(corpus, "Найкий", "наикрасивейший").empty


def test_joined_and_split_forms_of_an_alias(corpus: Corpus) -> None:
    m = matches(corpus, "L-O-T-R mug", "Mat sushita radio")
    assert list(m["mark"]) == ["Lord of the Rings", "Panasonic"]
    assert list(m["alias"]) == ["LOTR", "Matsushita"]
    assert list(m["method"]) == ["split", "split"]


def test_typo_of_a_long_latin_alias_only(corpus: Corpus) -> None:
    m = matches(corpus, "Matsushta radio")
    assert list(m["mark"]) == ["Panasonic"]
    assert list(m["method"]) == ["typo"]
    assert list(m["alias"]) == ["Matsushita"]
    assert matches(corpus, "LOTT poster").empty  # 4-letter alias: no typo matching


def test_a_marks_own_key_wins_over_an_alias(corpus: Corpus) -> None:
    m = matches(corpus, "National rice cooker")
    assert list(m["owner"]) == ["Someone Else"]
    assert list(m["alias"]) == [""]


def test_single_cjk_character_aliases_are_not_indexed(corpus: Corpus) -> None:
    idx = build_index(corpus)
    assert idx.key_id("阿") == -1
    assert matches(corpus, "阿里巴巴").empty


def test_index_records_aliases(corpus: Corpus) -> None:
    idx = build_index(corpus)
    nike = idx.key_id("nike")
    kid = idx.key_id(tokenize("ナイキ")[0].text + tokenize("ナイキ")[1].text + tokenize("ナイキ")[2].text)
    assert kid >= 0 and idx.key_mark[kid] == 0 and idx.key_base[kid] == nike
    assert idx.key_alias[kid] == "ナイキ" and idx.key_alias[nike] == ""
    assert idx.meta["n_aliases"] == 9 and idx.meta["alias_keys"] == 7  # National and 阿 add no key
    assert sorted(idx.alias_row.tolist()) == [0, 0, 0, 0, 1, 2, 4]


def test_own_brand_covers_its_aliases(corpus: Corpus) -> None:
    m = matches(corpus, "ナイキ スニーカー", profile=SellerProfile(own_brands=("Nike",)))
    assert list(m["own"]) == [True]
    m = matches(corpus, "Nike shoes", profile=SellerProfile(own_brands=("ナイキ",)))
    assert list(m["own"]) == [True]


def test_index_with_aliases_survives_the_cache(tmp_path) -> None:
    from scanner.match import cache as match_cache
    from scanner.progress import Progress

    df = pd.DataFrame([{c: r.get(c, "") for c in MARK_COLUMNS} for r in ROWS], columns=list(MARK_COLUMNS))
    corpus = Corpus(marks=df.astype(str), info={"name": "aliases"}, path=tmp_path)
    built = build_index(corpus)
    assert match_cache.save(built, corpus, Progress(quiet=True))
    loaded = match_cache.load(corpus, Progress(quiet=True))
    assert loaded is not None
    assert loaded.key_alias == built.key_alias
    assert loaded.key_base.tolist() == built.key_base.tolist()
    assert loaded.alias_row.tolist() == built.alias_row.tolist()


WHERE_ROWS = [
    {"mark": "三星", "owner": "Samsung Electronics Co. Ltd.", "nice_classes": "9", "jurisdiction": "CN",
     "kind": "brand"},
    {"mark": "Samsung", "owner": "Samsung Electronics Co. Ltd.", "nice_classes": "9", "status": "live",
     "jurisdiction": "US", "kind": "brand", "aliases": "삼성;三星"},
    {"mark": "星辰", "owner": "Someone", "nice_classes": "9", "jurisdiction": "CN", "kind": "brand"},
    {"mark": "Stellar", "owner": "Another owner", "nice_classes": "9", "jurisdiction": "US", "kind": "brand",
     "aliases": "星辰"},
]


def test_a_match_is_reported_under_the_owners_registration_where_the_seller_sells() -> None:
    corpus = corpus_of(WHERE_ROWS)
    us = matches(corpus, "三星 平板电脑", "星辰 手机壳", profile=SellerProfile(marketplace="US"))
    samsung, other = us.iloc[0], us.iloc[1]
    # the US mark whose alias is the matched form, not the CN record that holds the same key
    assert (samsung["mark"], samsung["mark_id"], samsung["mark_key"], samsung["alias"]) == ("Samsung", 1, "samsung", "三星")
    assert samsung["matched_text"] == "三星" and samsung["mark_status"] == "live"
    # another owner's US mark with that alias is not the same rights owner: the CN record stays
    assert (other["mark"], other["owner"]) == ("星辰", "Someone")
    # a seller in China: the CN record counts there, nothing to move
    cn = matches(corpus, "三星 平板电脑", profile=SellerProfile(marketplace="CN")).iloc[0]
    assert (cn["mark"], cn["alias"]) == ("三星", "")


def test_the_owners_record_of_the_same_mark_where_the_seller_sells_is_reported() -> None:
    # two registrations of one mark by one owner: the index's representative is the newer EU one
    corpus = corpus_of([
        {"mark": "Velmora", "owner": "Velmora GmbH", "nice_classes": "9", "status": "live", "jurisdiction": "EU",
         "kind": "brand", "registration_date": "2022-05-01"},
        {"mark": "VELMORA", "owner": "Velmora GmbH", "nice_classes": "9", "status": "live", "jurisdiction": "US",
         "kind": "brand", "registration_date": "2015-01-01"},
    ])
    assert matches(corpus, "Velmora speaker", profile=SellerProfile(marketplace="DE")).iloc[0]["mark_id"] == 0
    us = matches(corpus, "Velmora speaker", profile=SellerProfile(marketplace="US")).iloc[0]
    assert (us["mark_id"], us["mark"], us["alias"]) == (1, "VELMORA", "")
