"""scanner.frequency_table: wordfreq's frequencies of several languages in one memory-mapped file."""

from __future__ import annotations

import json
import os
import random
import string
import subprocess
import sys

import pytest
import wordfreq

from scanner import frequency, frequency_table
from scanner.frequency_table import load_table

LANGS = ("sv", "nl")  # two of the scan's languages, the smaller lists (about 650,000 words together)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("table") / "t.bin"
    return path, load_table(LANGS, path)


def test_every_word_gets_wordfreqs_float(built):
    """Every word of both lists, in both columns (a word of one list is absent from the other's), and
    random strings that are mostly unknown: exactly ``get_frequency_dict(lang).get(word, 0.0)``."""
    path, table = built
    dicts = {lang: wordfreq.get_frequency_dict(lang, "best") for lang in LANGS}
    words = sorted(set().union(*dicts.values()))
    rng = random.Random(3)
    words += ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(1, 12))) for _ in range(2000)]
    words += ["", "東京", "ß", "naïve"]
    assert len(table) == len(set().union(*dicts.values()))
    for lang in LANGS:
        got = [table.freq(w, lang) for w in words]
        assert got == [dicts[lang].get(w, 0.0) for w in words], lang
        assert 0.0 in got and max(got) > 0.01


def test_the_file_is_read_back_not_made_again(built, monkeypatch):
    path, table = built
    stamp = path.stat().st_mtime_ns
    monkeypatch.setattr(frequency_table, "_make", lambda langs: pytest.fail("made again"))
    again = load_table(LANGS, path)
    assert path.stat().st_mtime_ns == stamp
    assert [again.freq(w, "nl") for w in ("fiets", "de", "zzqx")] == [table.freq(w, "nl") for w in ("fiets", "de", "zzqx")]
    assert again.freq("fiets", "nl") > 0


def test_a_damaged_or_other_file_is_made_again(built, tmp_path):
    """Cut short, or a table of other languages under the name: made again, right."""
    path, table = built
    data = path.read_bytes()
    cut = tmp_path / "cut.bin"
    cut.write_bytes(data[: len(data) // 2])
    assert load_table(LANGS, cut).freq("fiets", "nl") == table.freq("fiets", "nl")
    assert cut.stat().st_size == len(data)
    other = tmp_path / "other.bin"
    head, _, body = data.partition(b"\n")
    meta = json.loads(head)
    meta["langs"] = ["nl", "sv"]
    other.write_bytes(json.dumps(meta).encode() + b"\n" + body)
    assert load_table(LANGS, other).freq("och", "sv") == wordfreq.get_frequency_dict("sv")["och"]
    assert json.loads(other.read_bytes().partition(b"\n")[0])["langs"] == list(LANGS)


def test_an_unwritable_cache_costs_only_the_time(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    table = load_table(("sv",), blocker / "t.bin")
    assert table.freq("och", "sv") == wordfreq.get_frequency_dict("sv")["och"]
    assert table.freq("fiets", "sv") == wordfreq.get_frequency_dict("sv").get("fiets", 0.0)


def test_column_words(built):
    path, table = built
    def frequent(f):
        return f >= 1e-3

    want = sorted(w for w, f in wordfreq.get_frequency_dict("nl").items() if frequent(f))
    assert sorted(table.column_words("nl", frequent)) == want and 20 < len(want) < 2000


@pytest.mark.parametrize("lang", ("en", *frequency.EXCESS_LANGUAGES))
def test_zipf_of_any_word_is_wordfreqs(lang):
    """Through the table, words wordfreq tokenizes (capitals, digits, apostrophes, hyphens, accents, several
    words, other scripts): the same float as ``wordfreq.zipf_frequency``."""
    words = ["Nike", "iPad", "usb3", "o'neill", "café", "straße", "wi-fi", "42", "", " the", "ünlü", "東京", "водка",
             "4k", "1080p", "3.5mm", "10,000", "x-10", "l'eau", "größe", "naïve", "usb-c", "ß", "½", "mp3",
             "Pour Homme", "de la", "für die", "2x", "ca. 20"]
    assert [frequency.zipf(w, lang) for w in words] == [wordfreq.zipf_frequency(w, lang) for w in words]


@pytest.mark.parametrize("lang", ["tr", "ro", "cs", "fi"])
def test_small_list_zipf_is_wordfreqs(lang):
    """Every word of the language's "small" list and words wordfreq tokenizes (Turkish dotted and dotless i,
    Romanian comma and cedilla letters): ``wordfreq.zipf_frequency(word, lang, wordlist="small")``."""
    words = list(wordfreq.get_frequency_dict(lang, "small"))
    words += ["4k", "wi-fi", "café", "ışık", "İstanbul", "Istanbul", "şcoală", "școală", "Nike", "usb3", "", "東京",
              "zzqx", "l'eau", "3.5mm"]
    assert len(words) > 20000
    assert ([frequency.small_list_zipf(w, lang) for w in words]
            == [wordfreq.zipf_frequency(w, lang, wordlist="small") for w in words])


def test_a_table_of_the_other_list_is_made_again(built, tmp_path):
    path, _ = built
    other = tmp_path / "t.bin"
    other.write_bytes(path.read_bytes())
    small = load_table(LANGS, other, "small")
    assert small.wordlist == "small" and len(small) < len(load_table(LANGS, path))
    assert small.freq("fiets", "nl") == wordfreq.get_frequency_dict("nl", "small")["fiets"]


def test_function_words_are_wordfreqs_top_words():
    """The table's column scan gives the set the top-1000 lists give."""
    want = frozenset(w for lang in ("en", *frequency.COMMON_WORD_LANGUAGES) for w in wordfreq.top_n_list(lang, 1000)
                     if frequency.zipf_of(wordfreq.get_frequency_dict(lang, "best").get(w, 0.0))
                     >= frequency.FUNCTION_WORD_ZIPF)
    assert frequency.function_words() == want and {"the", "und", "para"} <= want


def test_a_scan_loads_no_wordfreq_dictionary(tmp_path):
    """What the scoring processes read (preload and the tables opened, then the features' and the typo
    filter's lookups in every language, English words wordfreq tokenizes among them): wordfreq builds no
    dictionary, English's neither."""
    code = ("from scanner import frequency as F, dictionary as D\n"
            "from scanner.match import doubtful\n"
            "F.preload()\n"
            "F.open_tables()\n"
            "words = ['universal', 'azul', 'café', 'wi-fi', 'Nike', 'zzqx', '4k', 'kamery', 'fiyat', 'colour']\n"
            "[(F.english_excess(w), D.is_local_word(w), F.zipf(w, 'pl'), doubtful._is_word(w), F.english_zipf(w),\n"
            "  F.dict_zipf(w, 'en'), D.is_dictionary_word(w)) for w in words]\n"
            "assert doubtful._is_word('kamery') and doubtful._is_word('fiyat') and not doubtful._is_word('zzqx')\n"
            "import wordfreq\n"
            "print(wordfreq.get_frequency_dict.cache_info().currsize)\n")
    env = {**os.environ, "SCANNER_CACHE_DIR": os.environ.get("SCANNER_CACHE_DIR", str(tmp_path))}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "0"


def test_writing_a_table_removes_the_older_tables_of_the_same_lists(built, tmp_path):
    """Of the older tables of the same lists only the latest stays (another installation may still use it);
    a table of other lists and a file that is no table stay."""
    path, _ = built
    oldest, older = tmp_path / "freqtable-oldest.bin", tmp_path / "freqtable-older.bin"
    for age, file in ((200, oldest), (100, older)):
        file.write_bytes(path.read_bytes())
        os.utime(file, ns=(file.stat().st_atime_ns - age * 10**9, file.stat().st_mtime_ns - age * 10**9))
    other_lists = tmp_path / "freqtable-other.bin"
    head, _, body = path.read_bytes().partition(b"\n")
    meta = json.loads(head)
    meta["langs"] = ["sv"]
    other_lists.write_bytes(json.dumps(meta).encode() + b"\n" + body)
    junk = tmp_path / "freqtable-junk.bin"
    junk.write_bytes(b"{}\nnot a table")
    new = tmp_path / "freqtable-new.bin"
    assert load_table(LANGS, new).freq("fiets", "nl") > 0
    assert new.is_file() and not oldest.exists() and older.is_file() and other_lists.is_file() and junk.is_file()


def test_a_header_without_its_fields_is_made_again(built, tmp_path):
    path, table = built
    bad = tmp_path / "bad.bin"
    bad.write_bytes(json.dumps({"magic": "scanner frequency table", "langs": list(LANGS), "wordlist": "best"}).encode()
                    + b"\n" + b"x" * 100)
    assert load_table(LANGS, bad).freq("fiets", "nl") == table.freq("fiets", "nl")


def test_open_tables_says_when_it_makes_them(monkeypatch, tmp_path):
    """The first scan with a wordfreq version says why it takes longer; later scans say nothing."""
    import io

    from scanner.progress import Progress

    frequency.open_tables()  # this process's tables, opened from the session's cache before it moves: the
    # empty files written below must not be the ones this process has mapped
    monkeypatch.setenv("SCANNER_CACHE_DIR", str(tmp_path))
    out = io.StringIO()
    frequency.open_tables(Progress(stream=out))
    assert "making the word-frequency tables" in out.getvalue()
    assert len(frequency.TABLE_LISTS) == 4
    for langs, wordlist in frequency.TABLE_LISTS:
        where = frequency_table.table_path(langs, frequency.wordfreq_version(), wordlist)
        where.parent.mkdir(parents=True, exist_ok=True)
        where.write_bytes(b"")
    out = io.StringIO()
    frequency.open_tables(Progress(stream=out))
    assert "word-frequency" not in out.getvalue()


def test_open_tables_warns_when_the_user_cache_cannot_be_written(monkeypatch, tmp_path):
    """An unwritable cache makes the tables in memory on every scan: one warning says so and what to do."""
    import io

    from scanner.progress import Progress

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    frequency.open_tables()  # this process's tables, opened from the session's cache (not made in memory here)
    monkeypatch.setenv("SCANNER_CACHE_DIR", str(blocker / "cache"))
    out = io.StringIO()
    frequency.open_tables(Progress(stream=out))
    said = out.getvalue()
    assert "cannot be written" in said and "SCANNER_CACHE_DIR" in said and str(blocker / "cache") in said
    assert "making the word-frequency tables" not in said
