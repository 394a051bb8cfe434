"""Where each match stands in its field, for all matches at once: its word position (trivia words at the
start left out), the previous and next word, whether a model number follows, brackets around it.

Every match is located in the token arrays of :class:`~scanner.features.text_context.FieldContexts` with
``np.searchsorted`` on ``field * span + offset`` keys (tokens are sorted within a field, fields one after
another), so no match scans its field's words in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..frames import Distinct
from .text_context import FieldContexts

#: A model number or year range after a mark ("Camry 2018-2023", "Latitude E6420", "911").
MODEL_REF = re.compile(r"\d")


def _model_ref(word: str) -> bool:
    return MODEL_REF.search(word) is not None


_OPEN = re.compile(r"[(\[]")
_CLOSE = re.compile(r"[)\]]")


@dataclass
class Neighbours:
    """Per match: token index of its first word, previous/next word ("" when none or trivia outside the
    content), where the next word starts (-1 when none), and a digit in one of the 3 words after it."""

    first_tok: np.ndarray
    prev_word: np.ndarray
    next_word: np.ndarray
    next_start: np.ndarray
    model_after: np.ndarray


def _local(ctx: FieldContexts, keys: np.ndarray, values: np.ndarray, side: str) -> np.ndarray:
    """Per match: how many of its field's tokens have ``keys`` position below ``values`` (``side`` as
    ``np.searchsorted``): a token index within the field."""
    g = ctx.group
    found = np.searchsorted(ctx.tok_group * ctx.span + keys, g * ctx.span + values, side=side)
    return found - ctx.offset[g]


def _word_at(ctx: FieldContexts, k: np.ndarray, valid: np.ndarray) -> np.ndarray:
    out = np.full(len(k), "", dtype=object)
    out[valid] = ctx.tok_text[ctx.offset[ctx.group[valid]] + k[valid]]
    return out


def neighbours(ctx: FieldContexts, starts: np.ndarray, ends: np.ndarray) -> Neighbours:
    """The words around each match (see :class:`Neighbours`); trivia words outside the content run count
    as no word."""
    g = ctx.group
    first, last = ctx.first[g], ctx.last[g]
    first_tok = _local(ctx, ctx.tok_end, starts, "right")  # first token ending after the match starts
    prev_k = first_tok - 1  # the last token ending at or before it
    next_k = _local(ctx, ctx.tok_start, ends, "left")  # the first token starting at or after its end
    prev_word = _word_at(ctx, prev_k, (first <= prev_k) & (prev_k <= last))
    has_next = next_k <= last
    next_word = _word_at(ctx, next_k, has_next)
    next_start = np.full(len(g), -1, dtype=np.int64)
    next_start[has_next] = ctx.tok_start[ctx.offset[g[has_next]] + next_k[has_next]]
    # a digit in the (up to) 3 content words after the match
    stop = np.minimum(next_k + 3, last + 1)
    model_after = np.zeros(len(g), dtype=bool)
    for j in range(3):
        k = next_k + j
        valid = k < stop
        model_after[valid] |= Distinct(_word_at(ctx, k, valid)[valid]).floats(_model_ref) > 0
    return Neighbours(first_tok=first_tok, prev_word=prev_word, next_word=next_word, next_start=next_start,
                      model_after=model_after)


def word_positions(ctx: FieldContexts, matcher_position: pd.Series, first_tok: np.ndarray) -> np.ndarray:
    """The matcher's word position with the trivia words at the start of the field left out (0 = first)."""
    pos = pd.to_numeric(matcher_position, errors="raise").to_numpy(dtype=float)
    raw = np.where(np.isnan(pos), 0, pos).astype(np.int64)  # int(): towards zero, as astype
    lead_trivia = np.minimum(first_tok, ctx.first[ctx.group])
    return np.maximum(raw - lead_trivia, 0)


def relative_position(ctx: FieldContexts, position: np.ndarray) -> np.ndarray:
    """Position relative to the field's content (0 = start, 1 = end)."""
    n_content = np.fromiter((f.n_content for f in ctx.fields), dtype=np.int64, count=len(ctx.fields))[ctx.group]
    return np.minimum(position / np.maximum(n_content - 1, 1), 1.0)


def in_brackets(ctx: FieldContexts, starts: np.ndarray) -> np.ndarray:
    """The match is inside brackets: more "(" and "[" than ")" and "]" before it in its field."""
    n_before = []
    for pattern in (_OPEN, _CLOSE):
        found = [(g, m.start()) for g, f in enumerate(ctx.fields) for m in pattern.finditer(f.text)]
        keys = np.array([g * ctx.span + p for g, p in found], dtype=np.int64)
        group_start = np.searchsorted(keys, ctx.group * ctx.span, side="left")
        n_before.append(np.searchsorted(keys, ctx.group * ctx.span + starts, side="left") - group_start)
    return n_before[0] > n_before[1]
