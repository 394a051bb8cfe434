"""scanner.frequency.zipf: wordfreq's zipf_frequency, with its tokenizer skipped for plain lower-case words."""

from __future__ import annotations

import random
import string

import pytest
import wordfreq

from scanner import frequency


@pytest.mark.parametrize("lang", sorted(frequency.PLAIN_WORD_LANGUAGES))
def test_plain_words_get_wordfreqs_zipf_exactly(lang):
    """Known words across the whole frequency range (every 50th plain word of the list, common and rare) and
    random strings that are mostly unknown: the same float as wordfreq gives, unknown words included."""
    plain = [w for w in frequency.frequencies(lang) if w.isascii() and w.isalpha() and w.islower()]
    rng = random.Random(lang)
    unknown = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(1, 14))) for _ in range(500)]
    words = plain[::50] + unknown
    assert len(plain[::50]) > 3000
    got = [frequency.zipf(w, lang) for w in words]
    want = [wordfreq.zipf_frequency(w, lang) for w in words]
    assert got == want
    assert any(z == 0.0 for z in got) and max(got) > 6  # both ends of the scale were compared


@pytest.mark.parametrize("word", ["Nike", "iPad", "usb3", "o'neill", "café", "straße", "wi-fi", "42", "", " the",
                                  "ünlü", "東京", "водка"])
def test_other_words_go_through_wordfreq(word):
    """Capitals, digits, punctuation, accents and other scripts are wordfreq's to tokenize."""
    for lang in ("en", "de", "fr"):
        assert frequency.zipf(word, lang) == wordfreq.zipf_frequency(word, lang)


def test_a_language_outside_the_plain_list_goes_through_wordfreq():
    """Turkish lowercases and tokenizes its own way: never the direct lookup."""
    assert "tr" not in frequency.PLAIN_WORD_LANGUAGES
    assert frequency.zipf("kapi", "tr") == wordfreq.zipf_frequency("kapi", "tr")


def test_the_helpers_read_through_it():
    """english_excess and word_zipf give what wordfreq's own function gives."""
    for word in ("universal", "alkaline", "sony", "nike", "azul", "zzqx"):
        en = wordfreq.zipf_frequency(word, "en")
        assert frequency.word_zipf(word) == en
        if en:
            others = sorted(wordfreq.zipf_frequency(word, lang) for lang in frequency.EXCESS_LANGUAGES)
            assert frequency.english_excess(word) == round(en - others[len(others) // 2], 4)
