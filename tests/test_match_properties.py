"""Property tests: the fast matcher against a brute-force oracle, spans, inserted marks."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_match_oracle import oracle_candidates

from scanner.corpus import Corpus
from scanner.corpus.schema import MARK_COLUMNS
from scanner.match import find_candidates, find_matches
from scanner.match.index import build_index
from scanner.text import compact_key, normalize, tokenize

LETTERS = "abcdefhiklmnoprstuy"
word = st.text(alphabet=LETTERS, min_size=2, max_size=9)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def make_corpus(marks: list[dict[str, str]]) -> Corpus:
    df = pd.DataFrame([{c: m.get(c, "") for c in MARK_COLUMNS} for m in marks], columns=list(MARK_COLUMNS))
    return Corpus(marks=df.astype(str), info={"name": "hypothesis"})


@st.composite
def mark_texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(word, min_size=1, max_size=3))
    sep = draw(st.sampled_from([" ", "-", "", " & "]))
    text = sep.join(words)
    case = draw(st.sampled_from(["upper", "lower", "title"]))
    return {"upper": text.upper(), "lower": text, "title": text.title()}[case]


@st.composite
def corpora(draw: st.DrawFn) -> list[dict[str, str]]:
    texts = draw(st.lists(mark_texts(), min_size=1, max_size=8))
    return [
        {"mark": t, "owner": draw(st.sampled_from(["Owner A", "Owner B", ""])),
         "status": draw(st.sampled_from(["live", "dead", ""])), "kind": draw(st.sampled_from(["brand", "word", ""]))}
        for t in texts
    ]


def perturb(draw: st.DrawFn, w: str) -> str:
    """One random edit (delete, insert, substitute, transpose) or a digit look-alike."""
    if len(w) < 2:
        return w
    i = draw(st.integers(0, len(w) - 2))
    op = draw(st.sampled_from(["del", "ins", "sub", "swap", "leet", "s", "shuffle", "vowels", "ph", "num"]))
    c = draw(st.sampled_from(LETTERS))
    if op == "del":
        return w[:i] + w[i + 1 :]
    if op == "ins":
        return w[:i] + c + w[i:]
    if op == "sub":
        return w[:i] + c + w[i + 1 :]
    if op == "swap":
        return w[:i] + w[i + 1] + w[i] + w[i + 2 :]
    if op == "shuffle" and len(w) >= 6:  # swap two letters inside the word, not neighbours
        j = draw(st.integers(1, len(w) - 4))
        return w[:j] + w[j + 2] + w[j + 1] + w[j] + w[j + 3 :]
    if op == "vowels":  # sound-alike: every vowel but the first replaced
        out, seen = [], False
        for ch in w:
            if ch in "aeiouy" and seen:
                ch = {"a": "e", "e": "i", "i": "a", "o": "u", "u": "o", "y": "i"}[ch]
            seen = seen or ch in "aeiouy"
            out.append(ch)
        return "".join(out)
    if op == "num":  # a model number glued to the word
        return w + draw(st.sampled_from(["2", "3", "360", "12345"]))
    if op == "ph":
        return w.replace("f", "ph", 1) if "f" in w else w.replace("c", "k")
    if op == "leet":
        return w[:i] + {"o": "0", "i": "1", "e": "3", "a": "4", "s": "5", "l": "1"}.get(w[i], w[i]) + w[i + 1 :]
    return w + "s"


@st.composite
def titles(draw: st.DrawFn, corpus: list[dict[str, str]]) -> str:
    mark_words = sorted({w for m in corpus for w in normalize(m["mark"]).split()}) or ["x"]
    parts = []
    for _ in range(draw(st.integers(1, 10))):
        kind = draw(st.sampled_from(["mark", "typo", "word", "num", "mark"]))
        if kind == "mark":
            parts.append(draw(st.sampled_from(mark_words)))
        elif kind == "typo":
            parts.append(perturb(draw, draw(st.sampled_from(mark_words))))
        elif kind == "word":
            parts.append(draw(word))
        else:
            parts.append(draw(st.sampled_from(["12", "3x", "pg-245", "a1", "1080p"])))
        parts.append(draw(st.sampled_from([" ", " ", "-", ".", " / ", "'s ", "® "])))
    return "".join(parts).strip()


@SETTINGS
@given(st.data())
def test_fast_path_agrees_with_oracle(data: st.DataObject) -> None:
    marks = data.draw(corpora())
    texts = data.draw(st.lists(titles(marks), min_size=1, max_size=4))
    corpus = make_corpus(marks)
    index = build_index(corpus)
    listings = pd.DataFrame({"title": texts})
    fields, tt, cands = find_candidates(listings, index, fields=("title",))
    got = {
        (int(fields.listing[fr]), int(tt.pos[first]), int(n), index.keys[k], int(kind))
        for fr, first, n, k, kind in cands[["field_row", "first", "n", "key", "kind"]].itertuples(index=False)
    }
    assert got == oracle_candidates(texts, marks)


@SETTINGS
@given(st.data())
def test_inserted_mark_is_found_with_its_span(data: st.DataObject) -> None:
    marks = data.draw(corpora())
    corpus = make_corpus(marks)
    target = data.draw(st.sampled_from(marks))["mark"]
    words = data.draw(st.lists(st.text(min_size=1, max_size=12).filter(lambda s: not s.isspace()), max_size=6))
    at = data.draw(st.integers(0, len(words)))
    before, after = " ".join(words[:at]), " ".join(words[at:])
    title = (before + " " if before else "") + target + (" " + after if after else "")
    start = len(before) + 1 if before else 0
    m = find_matches(pd.DataFrame({"title": [title]}), corpus, fields=("title",))
    key = compact_key(target)
    hit = m[(m["start"] <= start) & (m["end"] >= start + len(target))]
    exact = hit[(hit["start"] == start) & (hit["end"] == start + len(target)) & (hit["mark_key"] == key)]
    covered = hit["covers"].str.len() > 0
    assert not exact.empty or covered.any(), (title, target, m[["matched_text", "mark_key", "covers"]])


@SETTINGS
@given(st.data())
def test_spans_slice_the_original_text(data: st.DataObject) -> None:
    marks = data.draw(corpora())
    texts = data.draw(st.lists(titles(marks), min_size=1, max_size=4))
    corpus = make_corpus(marks)
    m = find_matches(pd.DataFrame({"title": texts}), corpus, fields=("title",))
    for _, r in m.iterrows():
        text = texts[r["listing"]]
        assert text[r["start"] : r["end"]] == r["matched_text"]
        # the span, normalised on its own, gives the words that were matched
        if r["method"] in ("exact", "folded", "joined", "split"):
            toks = tokenize(r["matched_text"])
            forms = {"".join(t.text for t in toks)}
            for k, t in enumerate(toks):
                forms |= {"".join(alt if i == k else o.text for i, o in enumerate(toks)) for alt in t.alts}
            key = r["mark_key"]
            endings = {f[len(key) :] for f in forms if f.startswith(key)}
            assert any(e in ("", "s", "es") or e.isdigit() for e in endings), (r["matched_text"], key)
        assert r["position"] == len(normalize(text[: r["start"]]).split())
