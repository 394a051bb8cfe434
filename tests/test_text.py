"""Normalisation (scanner.text): rules, offsets, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.text import (
    _analyze_general,
    analyze,
    analyze_columns,
    brand_key,
    column_tokens,
    compact_key,
    mark_tokens,
    normalize,
    normalize_with_offsets,
    tokenize,
)


def words(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("iPh0ne", ["iphone"]),
        ("N1ke", ["nike"]),
        ("L0gitech", ["logitech"]),
        ("B00ts", ["boots"]),
        ("$amsung", ["samsung"]),
        ("H@sbro", ["hasbro"]),
        ("PG-245", ["pg", "245"]),
        ("3x 1080p A1 4K", ["3x", "1080p", "a1", "4k"]),
        ("iPhone5", ["iphone5"]),  # a digit at the end of a word is a model number
        ("US$ 19.99", ["us", "19", "99"]),
        ("N-I-K-E", ["n", "i", "k", "e"]),
        ("N.I.K.E", ["n", "i", "k", "e"]),
        ("K-Cup", ["k", "cup"]),
        ("Hello-Kitty", ["hello", "kitty"]),
        ("Disney's", ["disney"]),
        ("Disney’s", ["disney"]),
        ("O'Neill", ["oneill"]),
        ("'quoted'", ["quoted"]),
        ("Ni\u200bke Ad\u00adidas Ca\u200dnon", ["nike", "adidas", "canon"]),
        ("Café Crème", ["cafe", "creme"]),
        ("\uff2e\uff29\uff2b\uff25", ["nike"]),  # full-width
        ("\U0001d40d\U0001d422\U0001d424\U0001d41e", ["nike"]),  # mathematical bold
        ("N\u0456k\u0435", ["nike"]),  # Cyrillic і, е in a Latin word
        ("\u0405\u043e\u0578\u0443", ["\u0455\u043e\u0578\u0443"]),  # Armenian ո is no listed look-alike
        ("\u039d\u0399\u039a\u0395", ["nike"]),  # Greek capitals only
        ("\u043c\u0430\u043c\u0430", ["mama"]),  # only look-alikes: read as Latin
        ("\u043f\u0440\u0438\u0432\u0435\u0442", ["привет"]),  # a real Russian word is left alone
        ("Nike® Air™ ©Apple", ["nike", "air", "apple"]),
        ("Under Armour colours", ["under", "armor", "colors"]),
        ("centred analysed organising", ["centered", "analyzed", "organizing"]),
        ("promise exercise advertise noise wise", ["promise", "exercise", "advertise", "noise", "wise"]),
        ("ソニー", ["ソ", "ニ", "ー"]),
        ("Straße", ["strasse"]),
        ("ØRSTED Łódź", ["orsted", "lodz"]),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_one_is_searchable_as_i_and_l() -> None:
    (tok,) = tokenize("B1ue")
    assert tok.text == "biue"
    assert tok.alts == ("blue",)
    (tok,) = tokenize("N1ke")
    assert tok.text == "nike"


def test_symbols_are_removed_but_remembered() -> None:
    a = analyze("Nike® socks, Lego(R) set, Apple (TM)")
    assert [t.text for t in a.tokens] == ["nike", "socks", "lego", "set", "apple"]
    assert [s for _, s in a.symbols] == ["®", "®", "™"]
    text = "Nike® socks, Lego(R) set, Apple (TM)"
    assert text[a.symbols[0][0]] == "®"
    assert text[a.symbols[1][0]] == "("


def test_token_spans_point_into_the_original() -> None:
    text = "Buy N1ke® shoes & Disney's Hello-Kitty"
    toks = tokenize(text)
    assert [text[t.start : t.end] for t in toks] == ["Buy", "N1ke", "shoes", "Disney", "Hello", "Kitty"]


def test_offset_map() -> None:
    text = "Nіkе® Colour, Disney's"
    nt = normalize_with_offsets(text)
    assert nt.text == "nike color disney"
    assert nt.span(0, 4) == (0, 4)
    assert text[slice(*nt.span(5, 10))] == "Colour"  # rewritten word: whole original word
    assert text[slice(*nt.span(11, 17))] == "Disney"
    assert text[slice(*nt.span(0, 17))] == "Nіkе® Colour, Disney"
    with pytest.raises(ValueError):
        nt.span(3, 3)


def test_mark_keys() -> None:
    assert mark_tokens("Hello-Kitty®") == ("hello", "kitty")
    assert compact_key("Air Pods") == compact_key("AirPods") == compact_key("AIR-PODS™") == "airpods"
    assert compact_key("M&M'S") == "mm"
    assert compact_key("®") == ""


def test_brand_key_keeps_its_meaning() -> None:
    assert brand_key("Acme-Pro ") == "acmepro"
    assert brand_key("ACME pro") == brand_key("acme-pro") == brand_key("Acme_Pro")
    assert brand_key("Café") == "cafe"


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="ascii")))
def test_ascii_fast_path_equals_general_path(text: str) -> None:
    assert analyze(text) == _analyze_general(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="ascii") | st.sampled_from("“”‘’–—…\u00a0•®™©é\u200bß")))
def test_ascii_view_equals_general_path(text: str) -> None:
    """Typographic punctuation keeps the fast path (``ß`` too, written ``ss`` with its offsets mapped back); the
    result is the same as the Unicode path."""
    assert analyze(text) == _analyze_general(text)


@pytest.mark.parametrize("text", ["Größe(R) M", "Straße's n1ke ß", "aß'ß $ßa@ß b1ue", "ß", "ßß(TM)"])
def test_sharp_s_view_equals_general_path(text: str) -> None:
    assert analyze(text) == _analyze_general(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fast_paths_equal_general_path_on_any_text(text: str) -> None:
    assert analyze(text) == _analyze_general(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_offsets_cover_the_tokens(text: str) -> None:
    nt = normalize_with_offsets(text)
    assert len(nt.starts) == len(nt.ends) == len(nt.text)
    toks = tokenize(text)
    assert nt.text == " ".join(t.text for t in toks)
    pos = 0
    for t in toks:
        start, end = nt.span(pos, pos + len(t.text))
        assert (start, end) == (t.start, t.end)
        assert 0 <= start < end <= len(text)
        pos += len(t.text) + 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdeiklnosNIKE013457@$'-. ®\u0456\u0435\u200b\u00adé"))
def test_a_token_span_normalises_to_the_token(text: str) -> None:
    for t in tokenize(text):
        assert words(text[t.start : t.end]) == [t.text]


def test_mark_tokens_reads_plain_words_as_analyze_does() -> None:
    texts = ["Hello Kitty", "iPh0ne 12", "N1ke", "B&G", "Colour Me", "Armoured", "Realise It", "A (R) B",
             "Brand(TM)", "x", "", "Café Noir", "DON'T", "$amsung", "4x4", "b1ue", "AB12CD", "M&M'S", "Cannon's"]
    for text in texts:
        assert mark_tokens(text) == tuple(t.text for t in tokenize(text)), text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="ascii") | st.sampled_from("“”‘’–—…\u00a0•®™©é\u200bßІі日")))
def test_columns_are_the_tokens(text: str) -> None:
    """analyze_columns (what the matcher lays out flat) holds exactly analyze's tokens and symbols."""
    words, starts, ends, alts, symbols = analyze_columns(text)
    a = analyze(text)
    assert column_tokens(words, starts, ends, alts) == a.tokens
    assert symbols == a.symbols
    assert alts is None or any(alts)


@pytest.mark.parametrize("text", ["Ni\x00ke shoes", "Ni\x1bke shoes", "Ni\x7fke shoes", "Ni\x00ke shoes – café"])
def test_control_characters_left_by_a_broken_export_are_invisible(text):
    # NUL, ESC, DEL inside a word do not split it (an ASCII text and a text with accents alike)
    toks = tokenize(text)
    assert toks[0].text == "nike" and text[toks[0].start : toks[0].end].replace(text[2], "") == "Nike"
    assert [t.text for t in toks][:2] == ["nike", "shoes"]


def test_tabs_and_line_breaks_still_separate_words():
    assert [t.text for t in tokenize("Nike\tshoes\nred\x0bcap\x1cx")] == ["nike", "shoes", "red", "cap", "x"]
