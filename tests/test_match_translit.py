"""Marks written in Cyrillic, katakana and Hangul, read by transliteration (scanner.match.translit)."""

from __future__ import annotations

import pandas as pd
import pytest

from scanner.config import SellerProfile
from scanner.corpus import Corpus
from scanner.listings.schema import CANONICAL_COLUMNS
from scanner.match import find_matches
from scanner.match.translit import readings, script


def corpus() -> Corpus:
    marks = pd.DataFrame({
        "mark": ["TORVALUNA", "PATAGONIA", "CHANEL", "ROLEX", "JAGUAR", "FURIOSA"],
        "owner": ["Torvaluna Inc", "Patagonia Inc", "Chanel SA", "Rolex SA", "Jaguar Land Rover", "Film Studio"],
        "nice_classes": ["25", "25", "18", "14", "12", "41"], "status": "live", "jurisdiction": "US",
        "serial_number": "", "registration_number": "", "kind": "brand", "source": "test",
    })
    return Corpus(marks=marks, info={"name": "translit test"})


def scan(titles: list[str]) -> pd.DataFrame:
    listings = pd.DataFrame({c: "" for c in CANONICAL_COLUMNS}, index=range(len(titles)))
    listings["sku"] = [f"T{i}" for i in range(len(titles))]
    listings["title"] = titles
    return find_matches(listings, corpus(), SellerProfile(name="t"))


def test_scripts_and_readings():
    assert script("пума") == "cyrillic" and script("プ") == "kana" and script("푸") == "hangul"
    assert script("puma") == "" and script("马") == ""
    assert readings("シャネル", "kana")[0] == "shaneru" and "shanel" in readings("シャネル", "kana")
    assert readings("ディ", "kana") == ()  # too short to be read
    assert readings("ロレックス", "kana")[0] == "rorekusu"


@pytest.mark.parametrize(("title", "written", "mark"), [
    ("Куртка Торвалуна мужская", "Торвалуна", "TORVALUNA"),
    ("シャネル バッグ", "シャネル", "CHANEL"),
    ("パタゴニアジャケット メンズ", "パタゴニア", "PATAGONIA"),
    ("파타고니아 자켓", "파타고니아", "PATAGONIA"),
    ("Сумка Шанель", "Шанель", "CHANEL"),
    ("Часы Ролекс мужские", "Ролекс", "ROLEX"),
])
def test_marks_in_other_scripts(title, written, mark):
    m = scan([title])
    assert list(zip(m["matched_text"], m["mark"], m["method"], strict=True)) == [(written, mark, "translit")]
    start, end = int(m["start"].iloc[0]), int(m["end"].iloc[0])
    assert title[start:end] == written


@pytest.mark.parametrize("title", [
    "Ягуар мягкая игрушка",  # JAGUAR is an ordinary English word: not distinctive, never read
    "スニーカー レディース",  # common katakana loanwords
    "Мужская куртка для зимы",
    "フリース ジャケット",  # fleece: not a sound-alike of a longer mark
    "운동화 여성 가방",
])
def test_ordinary_words_are_not_marks(title):
    assert scan([title]).empty
