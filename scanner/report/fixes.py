"""A suggested fix for each risky listing, in plain words.

- a counterfeit cue ("replica", "inspired by" ... next to a mark): pull the listing;
- a mark in the brand field: set your own brand;
- a mark in the title used as the product's identity: the title rewritten without it;
- a mark in the title after a nominative cue ("for", "fits" ...): keep it only as "Compatible with <mark>",
  with a reminder to avoid logos and product photos of the brand;
- a mark in the search terms: remove it from the search terms;
- a mark in the bullet points or description: remove it, or say "compatible with" where that is true.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .evidence import FIELD_LABELS, locate_span

_SYMBOLS = "®™©℠"
_SEPARATORS = ",;:|/\\-–—·•+"
_CONNECTORS = ("compatible with", "replacement for", "designed for", "works with", "for", "by", "with",
               "from", "and", "of", "fits", "&")
_EMPTY_BRACKETS = re.compile(r"[(\[{]\s*[)\]}]")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)\]}])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[{])\s+")
_REPEATED_SEP = re.compile(r"([,;:|/\-–—·•+])(?:\s*[,;:|/\-–—·•+])+")
_CONNECTOR_BEFORE_SEP = re.compile(
    r"(?i)(?<![\w'’])(?:" + "|".join(re.escape(c) for c in _CONNECTORS) + r")\s*(?=[,;:|/\-–—·•+()\[\]{}]|$)"
)
_LEADING_CONNECTOR = re.compile(r"(?i)^(?:by|with|and|of|from|&)\b\s*")


def tidy(text: str) -> str:
    """Tidy a title after words were cut out: whitespace, empty brackets, dangling punctuation and words."""
    prev = None
    while prev != text:
        prev = text
        text = " ".join(text.split())
        text = _EMPTY_BRACKETS.sub("", text)
        text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
        text = _SPACE_AFTER_OPEN.sub(r"\1", text)
        text = _REPEATED_SEP.sub(r"\1", text)
        text = _CONNECTOR_BEFORE_SEP.sub("", text)
        text = _LEADING_CONNECTOR.sub("", text)
        text = text.strip(" " + _SEPARATORS)
    return text


def _extend_over_symbols(text: str, end: int) -> int:
    while end < len(text) and text[end] in _SYMBOLS:
        end += 1
    if text[end : end + 2] in ("'s", "’s"):
        end += 2
    return end


def _cue_start(text: str, start: int, cue: str) -> int | None:
    before = text[:start].rstrip()
    if cue and before.casefold().endswith(cue.casefold()):
        return len(before) - len(cue)
    return None


def rewrite_title(title: str, remove: Iterable[tuple[int, int]], nominative: Iterable[tuple[int, int, str]] = ()) -> str:
    """``title`` with the ``remove`` spans cut out and each nominative ``(start, end, cue)`` written as
    "compatible with <mark>"; then tidied."""
    edits: list[tuple[int, int, str]] = []
    for s, e in remove:
        e = _extend_over_symbols(title, e)
        if title[e : e + 1] in ("-", "‐") and title[e + 1 : e + 2].isalnum():  # "Lego-compatible"
            e += 1
        elif s > 0 and title[s - 1] in ("-", "‐") and title[s - 2 : s - 1].isalnum():  # "Super-Nike"
            s -= 1
        edits.append((s, e, ""))
    for s, _e, cue in nominative:
        cs = _cue_start(title, s, cue)
        if cs is None or cue.casefold() == "compatible with":
            continue
        edits.append((cs, s, "Compatible with " if cs == 0 else "compatible with "))
    out, last = [], 0
    for s, e, repl in sorted(edits):
        if s < last:  # overlapping edit: keep the first
            continue
        out.append(title[last:s])
        out.append(repl)
        last = e
    out.append(title[last:])
    return tidy("".join(out))


def _quoted(words: Iterable[str]) -> str:
    return ", ".join(f"'{w}'" for w in dict.fromkeys(w for w in words if w))


def suggest_fix(title: str, matches: list[dict[str, Any]]) -> str:
    """Plain-words advice for one listing from its third-party matches (records with MATCH_COLUMNS)."""
    if not matches:
        return ""

    def get(rec: dict[str, Any], key: str) -> str:
        value = rec.get(key, "")
        return value if isinstance(value, str) else ""

    counterfeit = [m for m in matches if get(m, "counterfeit_cue")]
    if counterfeit:
        m = counterfeit[0]
        return (f"Pull this listing: '{get(m, 'counterfeit_cue')}' next to '{get(m, 'matched_text') or get(m, 'mark')}' "
                "reads as selling a copy of a branded product. Do not relist it with that wording.")
    lines: list[str] = []
    by_field: dict[str, list[dict[str, Any]]] = {}
    for m in matches:
        by_field.setdefault(get(m, "field") or "title", []).append(m)
    if "brand" in by_field:
        owners = _quoted(get(m, "owner") for m in by_field["brand"])
        lines.append(f"Brand field: set your own brand instead of {_quoted(get(m, 'matched_text') or get(m, 'mark') for m in by_field['brand'])}"
                     + (f" (a mark of {owners})." if owners else "."))
    if "title" in by_field:
        remove, nominative, kept_marks = [], [], []
        for m in by_field["title"]:
            span = locate_span(title, m.get("start"), m.get("end"), get(m, "matched_text"))
            if span is None:
                continue
            if get(m, "nominative_cue"):
                nominative.append((*span, get(m, "nominative_cue")))
                kept_marks.append(title[span[0] : span[1]])
            else:
                remove.append(span)
        if remove or nominative:
            new_title = rewrite_title(title, remove, nominative)
            removed = _quoted(title[s:e] for s, e in remove)
            if remove and not new_title:
                lines.append(f"Title: rewrite it without {removed}; nothing is left once it is removed.")
            elif remove:
                lines.append(f"Title: remove {removed}: \u201c{new_title}\u201d")
            else:
                lines.append(f"Title: keep {_quoted(kept_marks)} only to say what it fits: \u201c{new_title}\u201d")
            if nominative:
                lines.append(f"Use {_quoted(kept_marks)} only as 'Compatible with ...', never as your brand; no "
                             "logos or photos of the brand's own products.")
    for fld in ("bullets", "description"):
        if fld in by_field:
            words = _quoted(get(m, "matched_text") for m in by_field[fld])
            nominative = all(get(m, "nominative_cue") for m in by_field[fld])
            label = FIELD_LABELS[fld].capitalize()
            lines.append(f"{label}: " + (f"keep {words} only as 'compatible with ...'." if nominative
                                         else f"remove {words}, or say 'compatible with' where that is true."))
    if "keywords" in by_field:
        lines.append(f"Search terms: remove {_quoted(get(m, 'matched_text') for m in by_field['keywords'])}.")
    for fld, ms in by_field.items():
        if fld not in ("title", "brand", "bullets", "description", "keywords"):
            lines.append(f"{fld.capitalize()}: remove {_quoted(get(m, 'matched_text') for m in ms)}.")
    return "\n".join(lines)
