"""The other scripts' word frequencies (Japanese, Korean, Russian, Chinese) read from a memory-mapped table
(``scanner.frequency.other_script_table``): the very floats of wordfreq's dictionaries, which a scan no longer
loads; and ``english_excess`` reading each word's eight columns at once."""

from __future__ import annotations

import csv
import os
import random
import string
import subprocess
import sys

import pytest
import wordfreq

from scanner import frequency

#: absent, other scripts' look-alikes, mixed, width and case variants, punctuation, empty, a lone surrogate
SAMPLE = ["", "zzqx", "nike", "Nike", "スニーカー", "ｽﾆｰｶｰ", "ナイキ", "кроссовки", "Кроссовки", "КРОССОВКИ",
          "运动鞋", "運動鞋", "耐克", "아디다스", "운동화", "东京", "東京", "ポケモンカード", "4k", "wi-fi", " ナイキ",
          "ナイキ ", "a\ud800b", "ё", "е"]


@pytest.fixture(scope="module")
def dicts() -> dict[str, dict[str, float]]:
    return {lang: wordfreq.get_frequency_dict(lang, "best") for lang in frequency.OTHER_SCRIPT_LANGUAGES}


def test_every_word_of_every_list_gets_wordfreqs_float(dicts):
    """Every word of the four lists in its own column, one at a time (``freq`` and ``dict_zipf``, the path
    the matcher and the features take), and every word of all four lists, the sample and random strings in
    every column at once (``freqs``: a word of one list is absent from the others' columns): exactly
    ``get_frequency_dict(lang, "best").get(word, 0.0)``."""
    table = frequency.other_script_table()
    assert table.langs == frequency.OTHER_SCRIPT_LANGUAGES
    union = set().union(*dicts.values())
    assert len(table) == len(union) > 1_000_000
    for lang, d in dicts.items():
        words, values = list(d), list(d.values())
        assert [table.freq(w, lang) for w in words] == values, lang
        assert [frequency.dict_zipf(w, lang) for w in words[::5]] == [frequency.zipf_of(f) for f in values[::5]], lang
    rng = random.Random(11)
    absent = ["".join(rng.choice(string.ascii_lowercase + "абвгдеёжзアイウエオカキ你好") for _ in range(rng.randint(1, 8)))
              for _ in range(3000)]
    words = [*sorted(union), *absent, *[w for w in SAMPLE if w != "a\ud800b"]]
    for lang, d in dicts.items():
        got = table.freqs(words, lang).tolist()
        assert got == [d.get(w, 0.0) for w in words], lang
        assert 0.0 in got and max(got) > 0.01
    for lang, d in dicts.items():  # one at a time, the lone surrogate among them
        assert [frequency.dict_zipf(w, lang) for w in SAMPLE] == [frequency.zipf_of(d.get(w, 0.0)) for w in SAMPLE]


def test_the_languages_the_matcher_and_features_ask_for_have_a_table():
    """Every language ``dict_zipf`` is asked about by the transliteration reader, the katakana-word test and
    the aliases' frequency reads from a table, none from a dictionary."""
    from scanner.features.marks import _script_languages
    from scanner.match.translit import _LANG

    asked = set(_LANG.values()) | {"ja"}  # kana_words asks for Japanese
    for text in ("ナイキ", "ぽけもん", "나이키", "Найк", "耐克", "Nike", ""):
        asked |= set(_script_languages(text))
    assert asked == set(frequency.OTHER_SCRIPT_LANGUAGES)
    assert all(frequency.dict_table(lang) is not None for lang in asked)
    assert frequency.dict_table("en") is frequency.english_table()
    assert all(frequency.dict_table(lang) is frequency.frequency_table() for lang in frequency.EXCESS_LANGUAGES)


def test_a_language_without_a_table_reads_its_dictionary():
    """A language no table holds still gets its dictionary's value (through ``frequencies``)."""
    assert frequency.dict_table("tr") is None
    tr = wordfreq.get_frequency_dict("tr", "best")
    word = next(iter(tr))
    assert frequency.dict_zipf(word, "tr") == frequency.zipf_of(tr[word]) > 5
    assert frequency.dict_zipf("zzqxw", "tr") == 0.0


#: words wordfreq tokenizes (capitals, digits, apostrophes, hyphens, accents, several words, other scripts)
TOKENIZED = ["Nike", "iPad", "usb3", "o'neill", "café", "straße", "wi-fi", "42", "", " the", "ünlü", "東京", "водка",
             "4k", "1080p", "3.5mm", "10,000", "x-10", "l'eau", "größe", "naïve", "usb-c", "ß", "½", "mp3",
             "pour homme", "de la", "für die", "2x", "ca. 20", "air max 90", "zzqx the", "the zzqx", "can't",
             "ps5 controller", "12v 2a"]


def test_english_excess_reads_each_word_once_with_the_same_values():
    """The eight languages' Zipf values of a word as ``english_excess`` reads them (one row lookup, or one
    tokenization and one lookup per token) are ``zipf``'s in each language, which is wordfreq's
    (tests/test_frequency_table.py): for plain words across the whole frequency range, random strings and
    words wordfreq tokenizes."""
    table = frequency.frequency_table()
    assert table.langs == frequency.EXCESS_LANGUAGES
    rng = random.Random(7)
    plain = [w for w in frequency.english_table().column_words("en", lambda f: f >= 1e-8)
             if w.isascii() and w.isalpha() and w.islower()]
    plain = rng.sample(plain, 20_000)
    absent = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(1, 12))) for _ in range(2000)]
    pairs = [f"{a} {b}" for a, b in zip(rng.sample(plain, 2000), rng.sample(plain + absent, 2000), strict=True)]
    words = [*plain, *absent, *pairs, *TOKENIZED, *(w + " 2" for w in plain[:500])]
    for w in words:
        assert frequency._excess_zipfs(w) == [frequency.zipf(w, lang) for lang in frequency.EXCESS_LANGUAGES], w
    for w in TOKENIZED:
        assert (frequency._excess_zipfs(w)
                == [wordfreq.zipf_frequency(w, lang) for lang in frequency.EXCESS_LANGUAGES]), w
    assert frequency._same_tokens(frequency.EXCESS_LANGUAGES)
    assert not frequency._same_tokens(("en", "tr")) and not frequency._same_tokens(("ja", "ko"))


def test_english_excess_without_a_shared_tokenization_is_the_same(monkeypatch):
    """Were the eight tokenized differently (another wordfreq), each language is tokenized on its own."""
    monkeypatch.setattr(frequency, "_same_tokens", lambda langs: False)
    for w in TOKENIZED:
        assert frequency._excess_zipfs(w) == [frequency.zipf(w, lang) for lang in frequency.EXCESS_LANGUAGES], w


def test_preload_opens_the_other_scripts_table():
    frequency.preload()
    assert frequency.other_script_table.cache_info().currsize == 1


def test_a_scan_of_other_scripts_loads_no_wordfreq_dictionary(tmp_path):
    """A fresh process scans 20 titles in Russian, Japanese, Chinese and Korean (`scanner scan`, two batches
    in two forked scoring processes): the readings and the aliases' frequencies are asked in all four
    languages, in the workers, and wordfreq builds no dictionary there nor in the scan's process (asking for
    one fails the scan)."""
    titles = ["Кроссовки Nike Air", "ナイキ スニーカー", "耐克运动鞋", "Адидас кроссовки мужские", "阿迪达斯 运动鞋 男款",
              "アディダス スニーカー 白", "ソニー ヘッドホン ワイヤレス", "Наушники Sony беспроводные", "苹果 手机壳",
              "나이키 운동화", "ポケモンカード 151 BOX", "レゴ ブロック セット", "Лего конструктор", "乐高 积木",
              "Samsung Galaxy S21 case", "USB-C cable 2m", "スマイリー マグカップ", "ショッピング バッグ",
              "Футболка хлопок", "保温杯 500ml"]
    listings = tmp_path / "listings.csv"
    with open(listings, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["sku", "title"])
        out.writerows([f"S{i}", t] for i, t in enumerate(titles))
    asked = tmp_path / "asked.txt"
    code = ("import os, sys, wordfreq\n"
            "from scanner import frequency as F\n"
            "def refuse(*args, **kwargs):\n"
            "    raise AssertionError(f'wordfreq dictionary {args} loaded in {os.getpid()}')\n"
            "wordfreq.get_frequency_dict = refuse\n"
            "table_of = F.dict_table\n"
            "def dict_table(lang):\n"
            "    with open(os.environ['ASKED'], 'a') as f:\n"
            "        f.write(f'{os.getpid()} {lang}\\n')\n"
            "    return table_of(lang)\n"
            "F.dict_table = dict_table\n"
            "from scanner.cli import cli\n"
            "try:\n"
            "    cli.main(args=sys.argv[1:], prog_name='scanner')\n"
            "except SystemExit as exc:\n"
            "    assert not exc.code, exc.code\n"
            "print(os.getpid())\n")
    args = ["scan", str(listings), "--out", str(tmp_path / "r.xlsx"), "--csv", str(tmp_path / "r.csv"),
            "--no-history", "-q", "--partition-rows", "10", "--jobs", "2"]
    env = {**os.environ, "ASKED": str(asked)}
    run = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    parent = run.stdout.split()[-1]
    seen = [line.split() for line in asked.read_text().splitlines()]
    workers = {pid for pid, _ in seen if pid != parent}
    assert len(workers) == 2, seen  # two batches scored by two forked processes
    assert {lang for pid, lang in seen if pid in workers} == set(frequency.OTHER_SCRIPT_LANGUAGES)
    with open(tmp_path / "r.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(titles)
    assert {r["title"] for r in rows if r["risk_level"] == "high"} >= {"ナイキ スニーカー", "耐克运动鞋", "Лего конструктор"}
