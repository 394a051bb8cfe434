"""English word frequencies read from a memory-mapped table (``scanner.frequency.english_table``): the very
floats, Zipf values and word sets of wordfreq's English dictionary, which no lookup loads any more."""

from __future__ import annotations

import os
import random
import string
import subprocess
import sys

import numpy as np
import pytest
import wordfreq

from scanner import frequency
from scanner import frequency_table as FT
from scanner.match import words as W

#: common, rare, absent, capitalised, non-ASCII, other scripts, digits, punctuation, empty, a lone surrogate
SAMPLE = ["the", "and", "universal", "alkaline", "sony", "seethru", "zzqx", "qwertyuiopasdf", "The", "NIKE",
          "café", "naïve", "straße", "東京", "водка", "ß", "4k", "00", "0000", "wi-fi", "o'neill", "can't", "",
          " the", "a\ud800b"]


@pytest.fixture(scope="module")
def en() -> dict[str, float]:
    return wordfreq.get_frequency_dict("en", "best")


def _words(en: dict[str, float]) -> list[str]:
    rng = random.Random(5)
    absent = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    return [*en, *SAMPLE, *absent]


def test_english_zipf_of_every_word_is_the_dictionarys(en):
    """Every word of the English list, the sample and random strings: the same floats one at a time."""
    words = _words(en)
    want = [frequency.zipf_of(en.get(w, 0.0)) for w in words]
    assert [frequency.english_zipf(w) for w in words] == want
    assert [frequency.dict_zipf(w, "en") for w in words[::7]] == want[::7]
    assert [frequency.english_table().freq(w, "en") for w in words] == [en.get(w, 0.0) for w in words]
    assert 0.0 in want and max(want) > 7


def test_english_zipfs_batch_and_one_at_a_time_are_the_dictionarys(en, monkeypatch):
    """The batch lookup (from BATCH_ROWS words on), the same call below it, and a batch holding a lone
    surrogate (pyarrow refuses it: one at a time): the same float64 values as the dictionary's."""
    words = _words(en)
    want = [frequency.zipf_of(en.get(w, 0.0)) for w in words]
    clean = [w for w in words if w != "a\ud800b"]
    assert len(clean) >= FT.BATCH_ROWS and len(clean) == len(words) - 1
    for batch in (words, clean, SAMPLE, ["the"], []):
        got = frequency.english_zipfs(batch)
        assert got.dtype == np.float64 and got.shape == (len(batch),)
        assert got.tolist() == [frequency.zipf_of(en.get(w, 0.0)) for w in batch]
    assert frequency.english_zipfs(words).tolist() == want
    monkeypatch.setattr(FT, "BATCH_ROWS", 1)  # every batch through pyarrow, the small ones too
    for batch in (SAMPLE[:-1], SAMPLE, ["the", "zzqx"]):
        assert frequency.english_zipfs(batch).tolist() == [frequency.zipf_of(en.get(w, 0.0)) for w in batch]


def test_rows_batch_is_row_one_at_a_time(monkeypatch, tmp_path):
    """A table of two languages made in memory (no file): the batch rows are row()'s, and freqs() gives
    freq()'s floats in each column."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    table = FT.load_table(("sv", "nl"), blocker / "t.bin")
    assert isinstance(table._words, bytes)
    nl = wordfreq.get_frequency_dict("nl", "best")
    words = [*list(nl)[::20], "och", "fiets", "zzqx", "", "東京"]
    monkeypatch.setattr(FT, "BATCH_ROWS", 1)
    assert table.rows(words).tolist() == [table.row(w) for w in words]
    for lang in ("sv", "nl"):
        assert table.freqs(words, lang).tolist() == [table.freq(w, lang) for w in words]


def test_cb_to_freq_is_wordfreqs():
    """The table's frequency of each bucket is wordfreq's float without importing wordfreq."""
    assert all(FT.cb_to_freq(-c) == wordfreq.cB_to_freq(-c) for c in range(0, 1200))


def test_english_word_sets_are_the_dictionarys(en):
    threshold = 10 ** (W.COMMON_ZIPF - 9)
    assert W.english_common_words() == frozenset(w for w, f in en.items() if f >= threshold)
    from wordfreq.numbers import has_digit_sequence

    dicts = [en, *(wordfreq.get_frequency_dict(lang, "best") for lang in frequency.COMMON_WORD_LANGUAGES)]
    want = frozenset(w for d in dicts for w, f in d.items()
                     if frequency.zipf_of(f) >= frequency.FUNCTION_WORD_ZIPF and not has_digit_sequence(w))
    assert frequency.function_words() == want and {"the", "and", "und", "para"} <= want


def test_common_words_made_from_the_tables_are_the_dictionarys():
    from scanner.text import normalize

    threshold = 10 ** (W.COMMON_ZIPF - 9)
    want = set(W.english_common_words())
    for lang in frequency.COMMON_WORD_LANGUAGES:
        want |= {w if w.isascii() and w.isalpha() else normalize(w)
                 for w, f in wordfreq.get_frequency_dict(lang, "best").items() if f >= threshold}
    assert W._make_common_words() == want


def test_the_index_build_and_preload_load_no_wordfreq_dictionary(tmp_path):
    """A fresh process: the match index of a small corpus (English Zipf values of its keys, the word sets
    read or made), then a scan's preload: wordfreq built no dictionary (it may be imported, for the word
    sets' streams)."""
    code = ("import sys, pandas as pd\n"
            "from scanner import frequency as F\n"
            "from scanner.corpus import Corpus\n"
            "from scanner.corpus.schema import MARK_COLUMNS\n"
            "from scanner.match.index import build_index\n"
            "marks = pd.DataFrame({c: '' for c in MARK_COLUMNS}, index=range(4))\n"
            "marks['mark'] = ['APPLE', 'SONY', 'ZZQX WIDGETS', 'UNIVERSAL']\n"
            "marks['owner'] = ['a', 'b', 'c', 'd']\n"
            "index = build_index(Corpus(marks=marks, info={'name': 'tiny'}))\n"
            "assert (index.key_zipf > 0).sum() >= 3, index.key_zipf\n"
            "F.preload()\n"
            "wf = sys.modules.get('wordfreq')\n"
            "print(0 if wf is None else wf.get_frequency_dict.cache_info().currsize)\n")
    env = {**os.environ, "SCANNER_CACHE_DIR": os.environ.get("SCANNER_CACHE_DIR", str(tmp_path))}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0"
