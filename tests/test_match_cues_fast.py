"""The cue rules' shortcuts (scanner.match.cues._FieldCues) give what the plain rules give, on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.match.cues import _FieldCues, _separated, field_cues
from scanner.text import tokenize

# words, marks, cue words and every kind of separator the rules look at
PIECES = ["for", "fits", "compatible with", "iPhone", "Galaxy", "Canon", "case", "6", "13 Pro", "and", "or",
          ", ", " / ", ". ", "; ", " - ", " | ", "\n", " ", " ", " (", ") ", "•", "replacement for", "genuine",
          "vs", "like"]
MARKS = {"iphone", "galaxy", "canon", "samsung"}


def spans_of(words: list[str]) -> list[tuple[int, int, str, bool]]:
    return [(i, i, w, False) for i, w in enumerate(words) if w in MARKS]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=60).map(" ".join))
def test_counted_separators_equal_the_search_of_the_text_between(text):
    tokens = tuple(tokenize(text))
    field = _FieldCues(text, tokens, [])
    for a in range(len(tokens)):
        for b in range(len(tokens)):
            assert field.separated(a, b) == _separated(text, tokens, a, b), (text, a, b)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=60).map(" ".join))
def test_the_nearest_reaching_cue_is_the_one_every_cue_tried_finds(text):
    tokens = tuple(tokenize(text))
    spans = spans_of([t.text for t in tokens])
    field = _FieldCues(text, tokens, spans)
    got = field_cues(text, tokens, spans)
    for (first, _, _, _), cues in zip(spans, got, strict=True):
        best = None  # every cue before the mark tried, the last-ending one that reaches it kept
        for a, b in field.nom_before:
            if field.reaches(b, first) and (best is None or b > best[1]):
                best = (a, b)
        if best is not None:
            assert cues.side == "before" and cues.nominative == text[tokens[best[0]].start : tokens[best[1]].end]
        else:
            assert cues.side != "before"


def test_a_long_compatibility_list_keeps_every_cue():
    models = [f"for iPhone {n}" for n in range(6, 16)] + [f"for Samsung Galaxy S{n}" for n in range(8, 25)]
    text = ("Fits: " + ", ".join(models) + ". ") * 40  # 40 x 27 marks, each after its own "for"
    tokens = tuple(tokenize(text))
    spans = spans_of([t.text for t in tokens])
    assert len(spans) == 40 * (10 + 2 * 17)
    assert all(c.nominative == "for" and c.side == "before" for c in field_cues(text, tokens, spans))
