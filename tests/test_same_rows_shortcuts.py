"""The shortcuts taken for register scale (a batch at a million marks has twenty matches per listing) give
exactly what the plain definitions give: the neighbouring words the generic-name filter reads
(``scanner.match.goods_names``), the per-distinct helpers of the match table (``scanner.frames``) and the rows
the reasons read (``scanner.model.reasons``)."""

from __future__ import annotations

import random
import re

import numpy as np
import pandas as pd
import pytest

from scanner.frames import isin_text, map_distinct, new_frame
from scanner.match import goods_names
from scanner.match.goods_names import NEAR as _NEAR
from scanner.match.goods_names import WORDS as _WORDS
from scanner.match.goods_names import words_after as _words_after
from scanner.match.goods_names import words_before as _words_before
from scanner.text import brand_key


def _plain_before(text: str, start: int) -> tuple[str, ...]:
    """The definition: the words of the ``_NEAR`` characters before ``start``, the first dropped when the
    window is cut, the last two kept."""
    lo = max(0, start - _NEAR)
    before = _WORDS.findall(text[lo:start])
    return tuple((before[1:] if lo > 0 else before)[-2:])


def _plain_after(text: str, end: int) -> tuple[str, ...]:
    hi = min(len(text), end + _NEAR)
    after = _WORDS.findall(text[end:hi])
    return tuple((after[:-1] if hi < len(text) else after)[:2])


_PIECES = ["Polo", "shirt", "men's", "O'Neill’s", "tic-tac-toe", "USB-C", "3.5mm", "for", "x", "Apple",
           "corer", "''", "’", "a'b'c", "Ω", "日本", "  ", ",", "(new)", "supercalifragilisticexpialidocious" * 2]


def _texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = [rng.choice(_PIECES) for _ in range(rng.randint(0, 40))]
        out.append("".join(w + rng.choice([" ", " ", "", "-", "  ", "'"]) for w in words))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_words_around_a_match_are_those_of_the_whole_window(seed):
    checked = 0
    for text in _texts(300, seed):
        for pos in range(len(text) + 1):
            assert _words_before(text, pos) == _plain_before(text, pos), (text, pos)
            assert _words_after(text, pos) == _plain_after(text, pos), (text, pos)
            checked += 1
    assert checked > 10_000


def test_words_around_read_across_a_cut_window():
    text = "Polo " + "word " * 30 + "Apple shirt corer"
    at = text.index("Apple")
    assert _words_before(text, at) == ("word", "word")
    assert _words_after(text, at + len("Apple")) == ("shirt", "corer")
    # the window ends inside a long word: that word is dropped, as cut
    long = "Apple " + "x" * 200
    assert _words_after(long, 5) == ()
    assert _words_before("x" * 200 + " Polo shirt", 200 + len(" Polo shirt")) == ("Polo", "shirt")


def test_generic_name_still_found_with_the_neighbouring_words():
    listings = pd.DataFrame({"title": ["Men's Polo Shirt, cotton", "POLO Ralph Lauren cap"]}, index=[10, 11])
    matches = pd.DataFrame({"listing": [10, 11], "field": ["title", "title"], "start": [6, 0], "end": [10, 4],
                            "mark": ["POLO", "POLO"], "alias": ["", ""]})
    mask = goods_names.generic_names(matches, listings)
    assert mask.tolist() == [True, False]


def _plain_generic_names(matches: pd.DataFrame, listings: pd.DataFrame) -> list[bool]:
    """The definition, one match at a time: the written words and the words around them, then goods_name."""
    out = []
    for listing, field, start, end, mark, alias in zip(matches["listing"], matches["field"], matches["start"],
                                                       matches["end"], matches["mark"], matches["alias"], strict=True):
        if field == "brand" or field not in listings.columns:
            out.append(False)
            continue
        text = str(listings.at[listing, field])
        out.append(goods_names.goods_name(tuple(_WORDS.findall(text[start:end])), _plain_before(text, start),
                                          _plain_after(text, end), alias or mark))
    return out


_GOODS_PIECES = ["Polo shirt", "Polo shirts", "Apple corer", "Tic Tac Toe", "board game", "iPad case", "Watch band",
                 "Apple Watch band", "for", "men's", "O'Neill’s", "x" * 60, " " * 47, "-" * 31, "(new)", "’", "''", "日本",
                 "3.5mm"]
_MARKS = [("POLO", ""), ("APPLE", ""), ("IPAD", "iPad"), ("TIC TAC", ""), ("WATCH", ""), ("O'NEILL", "")]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_generic_names_of_a_batch_are_those_of_each_match(seed):
    """generic_names cuts every text into words once and finds each match's words by position: the same rows
    as the definition, for matches on whole words, matches that start or end inside a word, empty texts,
    the brand field and a field the listings lack."""
    rng = random.Random(seed)
    texts = ["".join(rng.choice(_GOODS_PIECES) + rng.choice([" ", " ", "-", "'", ", ", "\n"])
                     for _ in range(rng.randint(0, 30))) for _ in range(120)]
    listings = pd.DataFrame({"title": texts, "description": texts[::-1], "brand": ["Polo"] * len(texts)},
                            index=np.arange(len(texts)) * 7 + 3)
    rows = []
    for label, title, desc in zip(listings.index, texts, texts[::-1], strict=True):
        for field, text in (("title", title), ("description", desc), ("brand", "Polo"), ("bullets", title)):
            spans = [m.span() for m in _WORDS.finditer(text)]
            for _ in range(6):
                if spans and rng.random() < 0.8:  # on whole words, one to three of them
                    i = rng.randrange(len(spans))
                    start, end = spans[i][0], spans[min(len(spans) - 1, i + rng.randrange(3))][1]
                else:  # anywhere, also inside a word
                    start = rng.randint(0, len(text))
                    end = rng.randint(start, len(text))
                mark, alias = rng.choice(_MARKS)
                rows.append((label, field, start, end, mark, alias))
    matches = pd.DataFrame(rows, columns=["listing", "field", "start", "end", "mark", "alias"])
    got = goods_names.generic_names(matches, listings)
    want = _plain_generic_names(matches, listings)
    assert got.tolist() == want
    assert len(want) / 20 < sum(want) < len(want) / 2  # the texts hold generic names and other words


def test_generic_names_with_no_word_in_the_text():
    listings = pd.DataFrame({"title": ["", " -- ", "Polo shirt"]}, index=[1, 2, 3])
    matches = pd.DataFrame({"listing": [1, 2, 3], "field": ["title"] * 3, "start": [0, 1, 0], "end": [0, 3, 4],
                            "mark": ["POLO"] * 3, "alias": [""] * 3})
    assert goods_names.generic_names(matches, listings).tolist() == [False, False, True]
    none = pd.DataFrame({"title": ["", "--"]}, index=[1, 2])
    assert goods_names.generic_names(matches.iloc[:2], none).tolist() == [False, False]


def test_word_spans_are_those_of_the_pattern():
    """The words read from the characters at once are the pattern's: letters of every script, digits,
    the underscore, apostrophes inside a word only, characters beyond the Basic Multilingual Plane."""
    rng = random.Random(5)
    pieces = ["Polo", "men's", "O'Neill’s", "''", "’", "a'b'c", "Ω", "日本", "_x_", "\U0001F600", "\U0001D538bc",
              "'", "x'", "'y", "١٢", "\udc80"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", "'", "’", "-"]) for _ in range(rng.randint(0, 12)))
        starts, ends = goods_names._word_spans(text)
        assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == [m.span() for m in _WORDS.finditer(text)]


def test_map_distinct_is_series_map():
    values = pd.Series(["Canon Inc.", "CANON INC", None, "Sony Group Corporation", "Canon Inc."] * 50,
                       index=np.arange(250) * 3)
    got = map_distinct(values, lambda v: brand_key(v) if isinstance(v, str) else "")
    want = values.map(lambda v: brand_key(v) if isinstance(v, str) else "")
    assert got.index.equals(values.index)
    assert got.tolist() == want.tolist()
    calls = []
    map_distinct(values, lambda v: calls.append(v) or v)
    assert len(calls) == 4  # once per distinct value, missing included


def test_word_pattern_has_no_anchor():
    # _WORDS.findall(text, pos, endpos) stands for findall(text[pos:endpos]) only for a pattern with no
    # anchor nor look-around
    assert not re.search(r"\^|\$|\\b|\\A|\\Z|\(\?<?[=!]", _WORDS.pattern)


def test_distinct_floats_are_the_function_of_every_value():
    from scanner.frames import Distinct, per_distinct

    words = np.array(["E6420", "", "Camry", "E6420", "911", ""] * 20, dtype=object)
    seen = []
    d = Distinct(words)
    got = d.floats(lambda w: seen.append(w) or float(any(c.isdigit() for c in w)))
    assert got.tolist() == [float(any(c.isdigit() for c in w)) for w in words]
    assert sorted(seen) == ["", "911", "Camry", "E6420"]
    assert per_distinct(words, len).tolist() == [float(len(w)) for w in words]
    assert Distinct(np.array([], dtype=object)).floats(len).shape == (0,)



@pytest.mark.parametrize("values", [
    ["Camry", "911", "Camry", "", "é", "e\u0301", "911"],  # a list of strings (two spellings of é kept apart)
    np.array(["Sony", "sony", "Sony", "ＳＯＮＹ"] * 3, dtype=object),
    pd.Series(["Apple Inc.", "HP Inc", "Apple Inc.", ""], dtype="str"),  # Arrow-backed: no Python strings made
    pd.Series(["Apple Inc.", "HP Inc", "Apple Inc."], dtype=object),
    pd.Series(["Apple", None, "HP", np.nan, "Apple"], dtype="str"),  # missing values: pandas' way
    ["Apple", None, "HP", float("nan"), "Apple"],
    ["a", 1, "b", 1, "a"],  # mixed types
    ["caf\udce9", "cafe", "caf\udce9"],  # a lone surrogate (no UTF-8, so not for Arrow)
    np.array([3.0, 1.0, 3.0, np.nan, -0.0, 0.0, np.nan]),  # numbers: factorized as they are
    pd.Series([2, 1, 2]),
    np.array([True, False, True]),
    np.array(["2024-01-02", "2024-01-02"], dtype="datetime64[D]"),  # neither text nor numbers: as objects
    [],
    np.array([], dtype=object),
])
def test_distinct_numbers_values_as_pandas_factorize(values):
    """Distinct's codes and distinct values are pandas' factorize of the values as objects (first occurrence
    order, a missing value counted as one value), whichever way they are numbered."""
    from scanner.frames import Distinct, _number_codes, _text_codes

    as_objects = np.asarray(values, dtype=object)
    # strings only (none missing, all UTF-8) are numbered by Arrow, anything else by pandas
    utf8 = all(isinstance(v, str) and not any("\ud800" <= c <= "\udfff" for c in v) for v in as_objects)
    assert (_text_codes(values) is not None) == utf8
    # an array or column of numbers or booleans is factorized as it is
    numbers = isinstance(values, (np.ndarray, pd.Series)) and np.asarray(values).dtype.kind in "biuf"
    assert (_number_codes(values) is not None) == numbers
    codes, uniques = pd.factorize(pd.Series(np.asarray(values, dtype=object), dtype=object), sort=False,
                                  use_na_sentinel=False)
    got = Distinct(values)
    assert got.codes.tolist() == codes.tolist()
    assert len(got.uniques) == len(uniques)
    for a, b in zip(got.uniques, uniques, strict=True):
        assert (a != a and b != b) or (a == b and type(a) is type(b))

def _choose(rows: pd.DataFrame, level: str, max_marks: int) -> dict:
    """explain's choice of marks, as written there, over whole listings."""
    out = {}
    for label, group in rows.groupby("listing", sort=False):
        seen, chosen = set(), []
        for idx, key, kind in zip(group.index, group["mark_key"], group["kind"], strict=True):
            if key in seen:
                continue
            seen.add(key)
            if chosen and level != "low" and kind == "word":
                continue
            chosen.append(idx)
            if len(chosen) == max_marks:
                break
        out[label] = chosen
    return out


@pytest.mark.parametrize("seed", range(6))
def test_explain_reads_only_rows_its_choice_can_reach(seed):
    from scanner.model.reasons import _chosen_rows

    rng = np.random.default_rng(seed)
    n = 3000
    table = pd.DataFrame({
        "listing": np.sort(rng.integers(0, 150, n)),
        "mark_key": rng.choice(["apple", "canon", "surface", "crest", "polo", "nova"], n),
        "kind": rng.choice(["word", "word", "brand", "line", "unknown"], n),
    })
    cols = table["listing"].tolist(), table["mark_key"].tolist(), table["kind"].tolist()
    for max_marks in (1, 2, 3, 5):
        for level in ("high", "low"):
            picked = _chosen_rows(*cols, dict.fromkeys(range(150), level), max_marks)
            assert len(picked) < len(table)
            want = _choose(table, level, max_marks)
            assert _choose(table.iloc[picked], level, max_marks) == want
            assert picked == [i for rows in want.values() for i in rows]


def _brand_key_by_definition(name: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKC", str(name)).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", text)


def test_brand_key_of_ascii_text_is_the_normalised_key():
    import string

    for i in range(128):
        for text in (chr(i), f"Ab{chr(i)}Z9", chr(i) * 3):
            assert brand_key(text) == _brand_key_by_definition(text), repr(text)
    rng = random.Random(5)
    for _ in range(20_000):
        text = "".join(rng.choice(string.printable) for _ in range(rng.randint(0, 12)))
        assert brand_key(text) == _brand_key_by_definition(text), repr(text)
    # and beyond ASCII, the full normalisation still runs
    for text in ("Café", "ＡＣＭＥ", "Straße", "Ⅻ Pro", "Nestlé®"):
        assert brand_key(text) == _brand_key_by_definition(text)
    assert brand_key("ＡＣＭＥ-Pro") == "acmepro"


def test_fixes_once_per_key_are_the_fix_of_every_row(monkeypatch):
    from scanner.report import excel
    from scanner.report.fixes import suggest_fix

    def match(text, start, field="title", cue="", kind="brand"):
        return {"field": field, "matched_text": text, "mark": text.upper(), "owner": f"{text} Inc.",
                "start": start, "end": start + len(text), "mark_kind": kind, "counterfeit_cue": cue,
                "nominative_cue": "", "fitment": False}

    title = "Canon PG-245 ink cartridge for Canon Pixma"
    rows = [
        (title, [match("Canon", 0)], "edit"),
        (title, [match("Canon", 0)], "edit"),  # the same: the same fix, made once
        (title, [match("Canon", 0)], "pull now"),  # another action
        (title, [match("Canon", 0, cue="replica")], "edit"),  # another match: another fix
        ("Apple slicer and corer", [match("apple", 0, field="description", kind="word")], "keep"),
        (title, [match("Canon", 0), {"field": "title", "matched_text": ["unhashable"], "start": 0}], "edit"),
        (title, [match("Canon", 0)], "edit"),
    ]
    calls = []
    monkeypatch.setattr(excel, "suggest_fix", lambda t, m, action="": calls.append(1) or suggest_fix(t, m, action=action))
    fixes = excel._Fixes([t for t, _, _ in rows], [a for _, _, a in rows])
    got = [fixes.get(t, m, a) for t, m, a in rows]
    assert got == [suggest_fix(t, m, action=a) for t, m, a in rows]
    assert len(set(got)) > 2
    assert len(calls) == 5  # rows 2 and 7 repeat row 1


def test_word_characters_are_the_patterns_for_every_code_point():
    """_word_spans reads a word character as ``str.isalnum`` or "_": what ``\\w`` matches, for every code
    point (lone surrogates included)."""
    word = re.compile(r"\w")
    table = goods_names._word_characters()
    for code in range(0x110000):
        char = chr(code)
        expected = word.fullmatch(char) is not None
        got = bool(table[code]) if code < len(table) else char.isalnum()
        assert got == expected, hex(code)


def test_equal_range_is_searchsorted_left_and_right():
    """The fuzzy index's signature lookup (values looked for in sorted order, the right end only for those
    found) gives numpy's searchsorted left and right, in the values' own order, duplicates included."""
    from scanner.match.fuzzy import equal_range

    rng = np.random.default_rng(3)
    table = np.sort(rng.integers(0, 500, 2000).astype(np.uint64))
    values = rng.integers(0, 520, 5000).astype(np.uint64)
    lo, count = equal_range(table, values)
    want_lo, want_hi = np.searchsorted(table, values, "left"), np.searchsorted(table, values, "right")
    assert lo.tolist() == want_lo.tolist()
    assert count.tolist() == (want_hi - want_lo).tolist()
    assert (count > 1).any() and (count == 0).any()
    empty_lo, empty_count = equal_range(np.zeros(0, dtype=np.uint64), values[:3])
    assert empty_lo.tolist() == [0, 0, 0] and empty_count.tolist() == [0, 0, 0]


@pytest.mark.parametrize("values", [
    ["Canon", "", None, "é ✓ 日本", "x" * 300], np.array(["a", "b"], dtype=object), [], [1, 2], ["a", np.nan],
    ["a", 1], [["a"], ["b"]], np.array([1.5, 2.5]), np.array([], dtype=object), [True, False],
])
def test_new_frame_is_the_frame_pandas_makes_of_the_same_columns(values):
    """The strings converted by Arrow in one call give pandas' own frame (values, NaN and dtypes); what
    Arrow cannot read as strings is left to pandas."""
    columns = {"v": values, "n": np.arange(len(values))}
    pd.testing.assert_frame_equal(new_frame(columns), pd.DataFrame(columns))


def _chosen_by_definition(tp: pd.DataFrame, marks: pd.DataFrame, product: dict) -> list[tuple[int, bool, int]]:
    """The definition of choose_owners, one match at a time: of the match's record and its alternatives, the
    first whose goods are the product's, else the most related, else the match's own; ``(mark_id,
    owner_chosen, owners_considered)`` per match."""
    from scanner.features import _goods_fit
    from scanner.goods import parse_classes

    out = []
    for mark_id, alts, listing in zip(tp["mark_id"], tp["alt_mark_ids"], tp["listing"], strict=True):
        cands = [int(mark_id)] + [int(x) for x in str(alts).split(";") if x]
        goods = product.get(listing, {})
        if len(cands) == 1 or not goods:
            out.append((int(mark_id), False, len(cands)))
            continue
        fits = []
        for k, c in enumerate(cands):
            text = marks["nice_classes"].get(c, "")
            rel, same = _goods_fit(goods, parse_classes("" if pd.isna(text) else str(text)))
            fits.append((not same, -rel, k))
        best = min(fits)[2]
        out.append((cands[best], best > 0, len(cands)))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_choose_owners_picks_the_record_of_the_definition(seed):
    """The candidates split and numbered as arrays, and the fit computed once per (listing, class list),
    choose the record the one-match-at-a-time definition chooses, with its owner and mark."""
    from scanner.features import choose_owners

    rng = random.Random(seed)
    class_lists = ["", "9", "9;28", "25", "7;12", "3", "35;42", None]
    marks = pd.DataFrame({"mark": [f"MARK{i}" for i in range(60)], "owner": [f"Owner {i % 17}" for i in range(60)],
                          "nice_classes": np.array([rng.choice(class_lists) for _ in range(60)], dtype=object)},
                         index=pd.RangeIndex(100, 160))
    product = {lab: dict(rng.sample([(9, 0.9), (25, 0.6), (28, 0.2), (7, 0.4), (3, 0.35)], rng.randint(0, 3)))
               for lab in range(8)}
    rows = []
    for _ in range(120):
        own = rng.randrange(100, 160)
        alts = rng.sample(range(100, 160), rng.choice([0, 0, 1, 3, 8]))
        rows.append({"listing": rng.randrange(8), "mark_id": own, "alt_mark_ids": ";".join(map(str, alts)),
                     "owner": marks.at[own, "owner"], "mark": marks.at[own, "mark"]})
    tp = pd.DataFrame(rows)
    got = choose_owners(tp, marks, product)
    want = _chosen_by_definition(tp, marks, product)
    assert list(zip(got["mark_id"].astype(int), got["owner_chosen"], got["owners_considered"], strict=True)) == want
    assert got["owner"].tolist() == [marks.at[m, "owner"] for m, _, _ in want]
    assert got["mark"].tolist() == [marks.at[m, "mark"] for m, _, _ in want]
    assert any(chosen for _, chosen, _ in want) and not all(chosen for _, chosen, _ in want)


@pytest.mark.parametrize("seed", range(4))
def test_goods_features_are_those_of_each_match(seed):
    """Computed once per distinct (product classes, category, class list), the goods features of every
    match are those of its own listing and mark, one match at a time."""
    from scanner.features import _goods_fit
    from scanner.features.goods_fit import goods_features
    from scanner.goods import category_classes, parse_classes

    rng = random.Random(seed)
    labels = [f"L{i}" for i in range(30)]
    product = {lab: dict(rng.sample([(9, 0.9), (25, 0.6), (28, 0.2), (7, 0.4)], rng.randint(0, 2)))
               for lab in labels if rng.random() < 0.8}
    categories = pd.Series([rng.choice(["Electronics", "Toys & Games", "", "Clothing", "Shoes"]) for _ in labels],
                           index=labels)
    listing = np.array([rng.choice(labels) for _ in range(300)], dtype=object)
    classes = np.array([rng.choice(["", "9", "9;28", "25", "7;12", "35"]) for _ in range(300)], dtype=object)
    for cats in (categories, None):
        got = goods_features(listing, classes, cats, product)
        for i, (lab, text) in enumerate(zip(listing, classes, strict=True)):
            goods = product.get(lab, {})
            rel, same = _goods_fit(goods, parse_classes(text))
            cat = category_classes(cats[lab]) if cats is not None else frozenset()
            want = (float(bool(cat & parse_classes(text))), rel, float(same), float(rel < 0), float(bool(goods)))
            assert tuple(got[c][i] for c in ("m_class_overlap", "m_goods_rel", "m_goods_same", "m_goods_unknown",
                                             "m_goods_known")) == want
        assert (got["m_goods_same"] > 0).any() and (got["m_goods_unknown"] > 0).any()
    assert (goods_features(listing, classes, categories, product)["m_class_overlap"] > 0).any()


@pytest.mark.parametrize("seed", range(4))
def test_coined_leads_are_those_of_each_listing(seed):
    """The title matches compared with the lead words as arrays give, for every listing (labels shared by
    listings with other titles too), what comparing its own title matches one at a time gives."""
    from scanner.features import listing as listing_features
    from scanner.features.text_context import lead_word
    from scanner.match.lost_letters import runs_on

    rng = random.Random(seed)
    leads = ["Zorvex", "Qumbly", "Nike", "Blue", "Tarnix", "Mug"]
    titles = [f"{rng.choice(leads)} {rng.choice(['running shoes', 'cup', 'case for iPhone', 'lamp'])}"
              for _ in range(40)]
    labels = [rng.randrange(30) for _ in titles]  # some labels name two listings
    listings = pd.DataFrame({"title": titles}, index=labels)
    rows = []
    for label, title in zip(labels, titles, strict=True):
        for word in title.split()[: rng.randint(0, 2)]:
            start = title.index(word)
            rows.append({"listing": label, "field": rng.choice(["title", "title", "brand"]), "start": start,
                         "end": start + len(word)})
    matches = pd.DataFrame(rows)
    no_brand = pd.Series([rng.random() < 0.8 for _ in titles], index=labels)
    got = listing_features._coined_lead(listings, matches, no_brand, {"nike"})
    title_matches: dict = {}
    for row in rows:
        if row["field"] == "title":
            title_matches.setdefault(row["listing"], []).append((row["start"], row["end"]))
    want = []
    for label, title, free in zip(labels, titles, no_brand, strict=True):
        word = lead_word(title) if free else None
        if word is None or word[2].lower() == "nike" or any(s < word[1] and e > word[0]
                                                             for s, e in title_matches.get(label, ())):
            want.append(False)
            continue
        want.append(not runs_on(title, word[0], word[1]) and listing_features._not_a_word(word[2]))
    assert got.tolist() == want and any(want) and not all(want)


@pytest.mark.parametrize("seed", range(3))
def test_isin_text_is_numpy_isin(seed):
    """Text membership by hashing gives np.isin's answer, missing values and empty strings included."""
    rng = random.Random(seed)
    pool = ["brand", "word", "", "line", "Brand", "generic", None, float("nan"), "é", "unbranded"]
    values = np.array([rng.choice(pool) for _ in range(500)], dtype=object)
    for options in (("brand", "word"), ["", "generic", "unbranded"], ("none of them",), ()):
        want = np.array([any(v == o for o in options) for v in values], dtype=bool)
        assert isin_text(values, options).tolist() == want.tolist()
        assert isin_text(list(values), set(options)).tolist() == want.tolist()


def _aggregates_by_groupby(feats: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The definition of the listing aggregates and ``s_*`` features: pandas group-bys and ``.loc``."""
    from scanner.features.aggregate import _SIMPLE
    from scanner.features.docs import PER_MATCH
    from scanner.features.listing import keys_of
    from scanner.features.strength import strongest_first

    feats = feats.copy()
    g, by = table.groupby("listing", sort=False), table["listing"]
    nominative, fake = table["m_nominative_cue"] > 0, table["m_counterfeit"] > 0
    any_cue = (table["m_nominative_cue"] + table["m_cue_before"] + table["m_cue_after"] + table["m_in_parens"]
               + table["m_cue_in_clause"] + table["m_owner_cued"]) > 0

    def put(name, series):
        feats.loc[series.index, name] = series.to_numpy(dtype=float)

    put("n_third_party", g["mark_key"].nunique())
    put("n_identity", table[~nominative].groupby("listing")["mark_key"].nunique())
    put("n_nominative", table[nominative].groupby("listing")["mark_key"].nunique())
    put("n_counterfeit", table[fake].groupby("listing")["mark_key"].nunique())
    put("n_tp_matches", g.size())
    put("n_tp_owners", table.assign(o=keys_of(table["owner"])).groupby("listing")["o"].nunique())
    put("n_word_kind", g["m_kind_word"].sum())
    strong = table["m_kind_brand"] + table["m_kind_line"] + table["m_kind_merch"]
    put("n_specific_kind", (strong > 0).astype(float).groupby(by).sum())
    put("all_word_kind", g["m_kind_word"].min())
    put("any_declared_brand", g["m_is_declared_brand"].max())
    put("any_title_first3_nocue", (table["m_first3"] * (~any_cue)).groupby(by).max())
    put("any_title_nocue", (table["m_field_title"] * (~any_cue)).groupby(by).max())
    put("any_counterfeit", g["m_counterfeit"].max())
    put("all_nominative", any_cue.astype(float).groupby(by).min())
    for name, column, how in _SIMPLE:
        put(name, getattr(g[column], how)())
    put("any_strong_kind", (strong > 0).astype(float).groupby(by).max())
    for name, fld in (("any_in_bullets", "bullets"), ("any_in_description", "description"),
                      ("any_in_keywords", "keywords")):
        put(name, (table["field"] == fld).astype(float).groupby(by).max())
    put("min_mark_zipf", g["m_mark_zipf"].min())
    put("min_mark_en_excess", g["m_mark_en_excess"].min())
    put("max_mark_tokens", g["m_mark_tokens"].max())
    put("max_similarity", g["m_similarity"].max())
    columns = ["m_" + name for name in PER_MATCH]
    strongest = table[["listing", *columns]].iloc[strongest_first(table)].set_index("listing")
    feats.loc[strongest.index, "s_present"] = 1.0
    feats.loc[strongest.index, ["s_" + name for name in PER_MATCH]] = strongest[columns].to_numpy(dtype=float)
    return feats.astype("float64")


@pytest.mark.parametrize("seed", range(4))
def test_listing_aggregates_are_the_group_bys(seed):
    """The aggregates reduced with NumPy are pandas' group-bys of the same match table: missing values in the
    columns (skipped by max and min, 0 in a sum, not counted as a distinct key), listings with no match (their
    defaults kept) and subsets some listings have no row in; a feature index that repeats a label gets the
    label's values in each of its rows."""
    from scanner.features.aggregate import _aggregates, _Groups, _strongest
    from scanner.features.docs import FEATURE_NAMES, PER_MATCH

    rng = np.random.default_rng(seed)
    labels = [f"L{i}" for i in range(40)] if seed % 2 else list(range(40))
    rows = 400
    table = pd.DataFrame({
        "listing": [labels[i] for i in rng.integers(0, 35, rows)],  # listings 35-39: no match
        "mark_key": rng.choice(["apple", "canon", "hp", None, "sony"], rows),
        "owner": rng.choice(["Apple Inc.", "APPLE INC", "Canon", "HP Inc", "Sony Corp"], rows),
        "field": rng.choice(["title", "bullets", "description", "keywords", "brand"], rows),
        "strength": rng.integers(0, 5, rows).astype(float),
    })
    names = {"m_" + name for name in PER_MATCH} | {
        "m_nominative_cue", "m_cue_before", "m_cue_after", "m_in_parens", "m_cue_in_clause", "m_owner_cued",
        "m_counterfeit", "m_kind_word", "m_kind_brand", "m_kind_line", "m_kind_merch", "m_is_declared_brand",
        "m_first3", "m_field_title", "m_comparison", "m_keywords_only", "m_fitment", "m_goods_same",
        "m_word_off_goods", "m_goods_rel", "m_goods_known", "m_class_overlap", "m_method_fuzzy", "m_symbol",
        "m_mark_zipf", "m_mark_en_excess", "m_mark_tokens", "m_similarity"}
    for name in sorted(names):
        values = rng.choice([0.0, 0.0, 1.0, 2.5, -1.0], rows)
        values[rng.random(rows) < 0.08] = np.nan
        table[name] = values
    table.loc[table["listing"] == labels[0], "m_mark_zipf"] = np.nan  # a listing whose values are all missing

    def features(index):
        feats = pd.DataFrame(0.0, index=index, columns=list(FEATURE_NAMES))
        feats["min_mark_zipf"], feats["min_mark_en_excess"] = 8.0, 3.0
        groups = _Groups(table["listing"], feats)
        _aggregates(groups, table)
        _strongest(groups, table)
        return feats, groups.features()

    feats, got = features(pd.Index(labels))
    pd.testing.assert_frame_equal(got, _aggregates_by_groupby(feats, table))
    assert got.loc[labels[36], "min_mark_zipf"] == 8.0 and np.isnan(got.loc[labels[0], "min_mark_zipf"])
    assert (got["n_identity"] > 0).any() and (got["n_counterfeit"] > 0).any()
    # a label the index repeats (which .loc could not write): every row of it gets the label's values
    _, repeated = features(pd.Index(labels + labels[:3]))
    pd.testing.assert_frame_equal(repeated.iloc[:len(labels)], got)
    pd.testing.assert_frame_equal(repeated.iloc[len(labels):], got.iloc[:3])
    with pytest.raises(KeyError, match="not in the features"):
        _Groups(table["listing"], pd.DataFrame(0.0, index=pd.Index(labels[1:]), columns=list(FEATURE_NAMES)))


@pytest.mark.parametrize("seed", range(3))
def test_rows_in_is_multiindex_isin(seed):
    """Rows looked up as one integer each are MultiIndex.isin of the same columns: numbers, Arrow-backed and
    object text (a missing value included), labels of mixed types, and columns with too many combinations
    for one integer (the MultiIndex itself)."""
    from scanner.frames import rows_in

    rng = random.Random(seed)
    n, m = 300, 200

    def columns(size):
        return [
            np.array([rng.randint(0, 30) for _ in range(size)], dtype=np.int64),
            pd.Series([rng.choice(["title", "bullets", "description"]) for _ in range(size)], dtype="str"),
            np.array([rng.choice(["Apple Inc.", "HP", "", None]) for _ in range(size)], dtype=object),
            np.array([rng.choice([1, "1", 2.5, "x"]) for _ in range(size)], dtype=object),
        ]

    left, right = columns(n), columns(m)
    want = pd.MultiIndex.from_arrays(left).isin(pd.MultiIndex.from_arrays(right))
    assert rows_in(left, right).tolist() == want.tolist()
    assert 0 < want.sum() < n
    wide = [np.arange(n, dtype=np.int64) * 7919 + k for k in range(8)]  # 300**8 combinations: over 63 bits
    wide_right = [np.concatenate([c[:50], c[:50] + 1]) for c in wide]
    assert rows_in(wide, wide_right).tolist() == pd.MultiIndex.from_arrays(wide).isin(
        pd.MultiIndex.from_arrays(wide_right)).tolist()
