"""Japanese katakana: voicing marks are letters, and a mark is not read inside a longer katakana word
(scanner.text, scanner.match.kana_words, scanner.match.translit, scanner.features.marks.alias_zipf)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scanner.config import SellerProfile
from scanner.corpus import Corpus
from scanner.corpus.schema import MARK_COLUMNS
from scanner.features import match_table
from scanner.features.marks import alias_zipf
from scanner.frequency import dict_zipf
from scanner.listings.schema import CANONICAL_COLUMNS
from scanner.match import find_matches
from scanner.match.translit import best_mark
from scanner.text import brand_key, tokenize


def corpus() -> Corpus:
    rows = [
        # (mark, owner, aliases): the aliases as the starter corpus writes them
        ("LEGO", "LEGO Juris A/S", "レゴ"), ("Hori", "Hori Co. Ltd.", "ホリ"), ("illy", "illycaffè S.p.A.", "イリー"),
        ("Nike", "Nike Inc", "ナイキ"), ("Pokémon", "The Pokémon Company", "ポケモン"),
        ("Snubbull", "The Pokémon Company", "ブルー"), ("Torvaluna", "Torvaluna Inc", ""),
        ("Patagonia", "Patagonia Inc", ""), ("Pingu", "Mattel Inc.", ""),
    ]
    marks = pd.DataFrame([{c: "" for c in MARK_COLUMNS} | {"mark": m, "owner": o, "aliases": a, "status": "live",
                                                          "kind": "brand", "nice_classes": "28", "jurisdiction": "US"}
                          for m, o, a in rows], columns=list(MARK_COLUMNS))
    return Corpus(marks=marks.astype(str), info={"name": "kana test"})


def scan(titles: list[str]) -> pd.DataFrame:
    listings = pd.DataFrame({c: "" for c in CANONICAL_COLUMNS}, index=range(len(titles)))
    listings["sku"] = [f"K{i}" for i in range(len(titles))]
    listings["title"] = titles
    return find_matches(listings, corpus(), SellerProfile(name="t"))


def texts(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


def test_voicing_marks_are_letters_not_accents():
    # パ (pa), バ (ba) and ハ (ha) are three syllables; Latin accents are still folded
    assert texts("ポリ袋") == ["ポ", "リ", "袋"] and texts("ホリ") == ["ホ", "リ"]
    assert brand_key("レゴ") != brand_key("レコ") and brand_key("Café") == "cafe"
    assert texts("Crème brûlée") == ["creme", "brulee"]
    # half-width katakana writes the voicing mark as a character of its own (ﾚｺﾞ); so can a decomposed text
    assert texts("ﾚｺﾞ ﾌﾞﾛｯｸ") == ["レ", "ゴ", "ブ", "ロ", "ッ", "ク"]
    assert texts("カ\u3099ンダム") == ["ガ", "ン", "ダ", "ム"]
    # a voicing mark after a character that cannot take one changes nothing
    assert texts("ン\u3099") == ["ン"]


@pytest.mark.parametrize(("title", "mark"), [
    ("ポリ袋 45リットル", None),  # poly bag: not HORI
    ("レコード プレーヤー", None),  # record player: not LEGO
    ("ホリ ゲームパッド", "Hori"),
    ("ﾚｺﾞ ﾌﾞﾛｯｸ 互換", "LEGO"),
])
def test_voicing_tells_marks_from_words(title, mark):
    m = scan([title])
    assert m["mark"].tolist() == ([mark] if mark else [])


@pytest.mark.parametrize(("title", "found"), [
    # inside a longer word of the dictionary: part of that word
    ("スマイリー マグカップ", []),  # smiley: not ILLY
    ("ショッピング バッグ", []),  # shopping: no PINGU read from ピング
    ("タイピング 練習 ソフト", []),
    # a mark that begins a compound, known to the dictionary or not, or follows a word
    ("レゴブロック 互換", [("レゴ", "LEGO")]),
    ("ナイキスニーカー メンズ", [("ナイキ", "Nike")]),
    ("ポケモンカード 未開封", [("ポケモン", "Pokémon")]),
    ("メンズナイキ ジャージ", [("ナイキ", "Nike")]),
    ("イリー コーヒー豆", [("イリー", "illy")]),
    ("パタゴニアジャケット", [("パタゴニア", "Patagonia")]),
])
def test_marks_are_not_read_inside_longer_katakana_words(title, found):
    m = scan([title])
    assert list(zip(m["matched_text"], m["mark"], strict=True)) == found


def test_the_rule_rests_on_the_dictionary_it_reads():
    # the cases above are decided by wordfreq's Japanese list: check the facts they rely on
    assert dict_zipf("スマイリー", "ja") >= 2.5 and dict_zipf("ショッピング", "ja") >= 2.5
    assert dict_zipf("カード", "ja") >= 3.5  # ポケモン|カード: the rest of the word is a word
    assert dict_zipf("レゴブロック", "ja") < 2.5 or dict_zipf("ブロック", "ja") >= 3.5


def test_a_window_inside_a_run_must_read_exactly():
    from scanner.match import prepare_index

    index = prepare_index(corpus())
    # パタゴンア reads "patagona": a sound-alike of PATAGONIA as a word of its own, not the same letters
    whole = best_mark("パタゴンア", "kana", index)
    assert whole is not None and index.keys[whole[0]] == "patagonia" and 90 <= whole[1] < 100
    assert best_mark("パタゴンア", "kana", index, inside=True) is None
    exact = best_mark("パタゴニア", "kana", index, inside=True)
    assert exact is not None and exact[1] == 100.0


def test_an_everyday_alias_counts_as_common_as_the_word_it_is():
    z = alias_zipf(np.array(["ブルー", "", "HORIPAD", None, "Звезда", "三星"], dtype=object))
    assert z[0] == pytest.approx(dict_zipf("ブルー", "ja")) and z[0] >= 4.0
    assert z[1] == 0.0 and z[2] == 0.0 and z[3] == 0.0  # no alias, or a Latin one: the mark's own facts
    assert z[4] == pytest.approx(dict_zipf("звезда", "ru")) and z[4] > 3.0
    assert z[5] == pytest.approx(max(dict_zipf("三星", "zh"), dict_zipf("三星", "ja")))
    listings = pd.DataFrame({c: "" for c in CANONICAL_COLUMNS}, index=range(2))
    listings["sku"], listings["title"] = ["B0", "B1"], ["ブルー 収納ボックス", "Snubbull plush toy"]
    c = corpus()
    m = find_matches(listings, c, SellerProfile(name="t"))
    table = match_table(listings, m, c, SellerProfile(name="t")).set_index("listing")
    # SNUBBULL is no English word; its alias ブルー ("blue") is an everyday Japanese one
    assert table.loc[1, "m_mark_zipf"] < 1.0
    assert table.loc[0, "m_mark_zipf"] == pytest.approx(dict_zipf("ブルー", "ja"))
