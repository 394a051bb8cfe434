"""A suggested fix for each risky listing, in plain words, by action (:mod:`scanner.actions`):

- ``pull now`` (a counterfeit cue such as "replica", "inspired by" next to a mark): pull the listing;
- ``check authorization`` (the listing declares the brand and looks genuine): check you may sell this brand
  (invoice or authorization); if not, pull it -- not "remove the brand";
- otherwise, field by field, only where a real risky match is (a lower-case ordinary-word use in the
  bullets, description or search terms -- "apples", "surface" -- is not one), naming the mark as written:
  - a mark in the brand field: set your own brand;
  - a mark in the title used as the product's identity: the title rewritten without it, and without the
    model words that only qualified it ("(2nd Generation)", "90", "Plus"), so that the title never starts
    with a dangling qualifier;
  - a mark in the title after a compatibility cue ("for", "fits" ...), or a fitment reference (a match
    with ``fitment=True``: "floor mats Toyota Camry 2018-2023"): kept as what the product fits,
    "compatible with <mark and model>" (marks inside that reference, "HP 26A ... LaserJet Pro M402n", stay
    too), with a reminder to avoid logos and product photos of the brand; "<mark> Compatible <product>"
    becomes "<product>, compatible with <mark>"; "compatible" is never written twice;
  - a mark in the search terms: remove it from the search terms;
  - a mark in the bullet points or description: remove it, or say "compatible with" where that is true.

:func:`fixed_title` is the rewritten title alone; :func:`head_noun` is the heuristic the tests use to check
that a rewritten title still names the product.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..frequency import english_excess
from ..text import brand_key
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


def _group1(m: re.Match) -> str:
    return m.group(1)


def tidy(text: str) -> str:
    """Tidy a title after words were cut out: whitespace, empty brackets, dangling punctuation and words."""
    prev = None
    while prev != text:
        prev = text
        text = " ".join(text.split())
        if "(" in text or "[" in text or "{" in text:  # the only way an empty bracket pair or an opening one starts
            text = _EMPTY_BRACKETS.sub("", text)
            text = _SPACE_BEFORE_PUNCT.sub(_group1, text)
            text = _SPACE_AFTER_OPEN.sub(_group1, text)
        else:
            text = _SPACE_BEFORE_PUNCT.sub(_group1, text)
        text = _REPEATED_SEP.sub(_group1, text)
        text = _CONNECTOR_BEFORE_SEP.sub("", text)
        lead = _LEADING_CONNECTOR.match(text)  # anchored at the start: one match at most
        if lead:
            text = text[lead.end():]
        text = text.strip(" " + _SEPARATORS)
    return text


def _extend_over_symbols(text: str, end: int) -> int:
    while end < len(text) and text[end] in _SYMBOLS:
        end += 1
    if text[end : end + 2] in ("'s", "’s"):
        end += 2
    return end


_UNITS = frozenset(["oz", "ounce", "ounces", "fl", "inch", "inches", "in", "cm", "mm", "m", "ml", "l", "liter", "liters", "litre", "lb", "lbs", "pound", "pounds", "ft", "feet", "pack", "packs", "pk", "pcs", "pc", "piece", "pieces", "count", "ct", "qt", "quart", "quarts", "gallon", "gallons", "x", "mah", "w", "v", "watt", "volt", "gb", "tb", "mb", "hz", "ghz", "yard", "yards", "sheet", "sheets", "set", "sets", "pair", "pairs", "year", "years", "month", "months", "day", "days", "hour", "hours", "h"])
_QUALIFIER_WORDS = frozenset(["plus", "pro", "max", "mini", "ultra", "lite", "se", "gen", "generation", "series", "edition", "go", "air"])
_QUALIFIER = re.compile(r"(?i)\s*[-–—:,]?\s*(?:\([^()]*\)|\[[^\[\]]*\]|\d+(?:st|nd|rd|th)\b(?:\s+gen(?:eration)?\b)?|"
                        r"\d+(?![\w.,]*\s*(?:" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")\b)\b(?![.,]\d)|"
                        r"(?:" + "|".join(_QUALIFIER_WORDS) + r")\b)")
_MODEL_TOKEN = re.compile(r"(?i)\s*(?:\([^()]*\)|[A-Z]*\d[\w-]*|" + "|".join(_QUALIFIER_WORDS) + r")\b")
_POSTFIX_COMPATIBLE = re.compile(r"(?i)\s*-?\s*compatible\b(?!\s+with\b)")
_CLAUSE_BREAK = re.compile(r"[,;|()\[\]]|\s[-–—]\s|(?i:\s(?:with|and|in|includes?)\s)")
_COMPATIBLE = re.compile(r"(?i)(?<![\w-])compatible(?![\w-])")
_LEADING_COMPATIBLE = re.compile(r"(?i)compatible\s+(?!(?:with|for|to)\b)")
#: Words of compatibility cues, never a head noun ("Cartridge Replacement for ..." -> "Cartridge").
_CUE_WORDS = frozenset(["replacement", "designed", "made", "compatible", "works", "fits", "fit", "style", "inspired"])
_HEAD_CUT = re.compile(r"(?i)\s(?:for|with|compatible|fits|works|includes?)\s|,|;|\||\(|\s[-–—]\s")
_NOT_NOUNS = frozenset(["mens", "men", "womens", "women", "kids", "kid", "boys", "girls", "unisex", "adult", "adults", "size", "black", "white", "red", "blue", "green", "pink", "navy", "grey", "gray", "brown", "gold", "silver", "purple", "yellow", "orange", "clear", "large", "small", "medium", "xl", "xxl", "new", "inch", "inches", "pack", "pcs", "count", "set", "piece", "pieces", "the", "and", "of", "a", "an"]) | _QUALIFIER_WORDS | _CUE_WORDS
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _get(rec: dict[str, Any], key: str) -> str:
    value = rec.get(key)
    return value if isinstance(value, str) else ""


def is_ordinary_use(m: dict[str, Any]) -> bool:
    """A match that is no real risk to fix: outside the title and brand field, written in lower case, and
    either another form of the word than the mark ("apples" for APPLE) or a distinctly English word
    ("surface", zipf excess >= 1.5); or a mark of kind ``word`` without a counterfeit cue."""
    get = m.get
    cue = get("counterfeit_cue")
    if isinstance(cue, str) and cue:
        return False
    kind = get("mark_kind")
    if isinstance(kind, str) and kind == "word":
        return True
    text = get("matched_text")
    if not isinstance(text, str) or not text or text != text.lower():
        return False
    fld = get("field")
    if not isinstance(fld, str) or fld in ("title", "brand", ""):
        return False
    return brand_key(text) != brand_key(_get(m, "mark") or text) or english_excess(text) >= 1.5


def _cue_start(text: str, start: int, cue: str) -> int | None:
    before = text[:start].rstrip()
    if cue and before.casefold().endswith(cue.casefold()):
        return len(before) - len(cue)
    return None


def _after_qualifiers(title: str, end: int, *, at_head: bool = True) -> int:
    """``end`` moved over the model words that only qualify the mark before it ("(2nd Generation)", "90");
    inside the title (not ``at_head``) a bracket counts only when it holds a number ("(Black)" stays)."""
    while True:
        m = _QUALIFIER.match(title, end)
        word = m.group(0).strip(" -–—:,") if m else ""
        if not word or (not at_head and word[:1] in "([" and not any(c.isdigit() for c in word)):
            return end
        end = m.end()


def _model_end(title: str, end: int, limit: int = 6) -> int:
    """``end`` moved over the model words of a reference ("26A CF226A", "Plus", "(2nd Gen)")."""
    for _ in range(limit):
        m = _MODEL_TOKEN.match(title, end)
        if not m:
            break
        end = m.end()
    return end


def rewrite_title(title: str, remove: Iterable[tuple[int, int]], nominative: Iterable[tuple[int, int, str]] = (),
                  *, fitment: Iterable[tuple[int, int]] = (), postfix: Iterable[tuple[int, int, int]] = ()) -> str:
    """``title`` with the ``remove`` spans cut out (with the model words that only qualified the mark:
    "(2nd Generation)", a bare number, "Plus"), each nominative ``(start, end, cue)`` written as "compatible with <mark>" (the first one only,
    when the title does not say "compatible with" already), each ``fitment`` span preceded by "for", and each
    ``postfix`` ``(start, reference_end, end)`` ("Pokemon Go Plus Compatible") moved to the end as
    ", compatible with <reference>"; then tidied, with one "compatible" at most."""
    edits: list[tuple[int, int, str]] = []
    appended: list[str] = []
    for s, ref_end, e in postfix:
        edits.append((s, e, ""))
        appended.append(title[s:ref_end].strip())
    removed = sorted(remove)
    head = 0  # end of the removed text at the head of the title
    for s, e in removed:
        e = _extend_over_symbols(title, e)
        if title[e : e + 1] in ("-", "‐") and title[e + 1 : e + 2].isalnum():  # "Lego-compatible"
            e += 1
        elif s > 0 and title[s - 1] in ("-", "‐") and title[s - 2 : s - 1].isalnum():  # "Super-Nike"
            s -= 1
        at_head = not tidy(title[head:s])
        e = _after_qualifiers(title, e, at_head=at_head)  # "Apple AirPods Pro (2nd Generation) ...", "iPhone 12"
        if at_head:
            head = e
        edits.append((s, e, ""))
    # "compatible" is written once at most: a cue becomes "compatible with" only when the title does not say
    # "compatible" already (a leading adjective, "Compatible Toner ...", then goes instead)
    lead_adj = _LEADING_COMPATIBLE.match(title)
    may_convert = not _COMPATIBLE.search(title, lead_adj.end() if lead_adj else 0)
    converted = False
    for s, _e, cue in sorted(nominative):
        cs = _cue_start(title, s, cue)
        if cs is None or "compatible" in cue.casefold() or converted or not may_convert:
            continue
        edits.append((cs, s, "Compatible with " if cs == 0 else "compatible with "))
        if lead_adj:
            edits.append((0, lead_adj.end(), ""))
        converted = True
    for s, _e in fitment:
        before = title[:s].rstrip().casefold()
        if not re.search(r"(?:\bfor|\bfits|\bwith|\bcompatible)$", before):
            edits.append((s, s, "for "))
    out, last = [], 0
    for s, e, repl in sorted(edits):
        if s < last:  # overlapping edit: keep the first
            continue
        out.append(title[last:s])
        out.append(repl)
        last = e
    out.append(title[last:])
    text = tidy("".join(out))
    for ref in appended:
        connector = "for" if _COMPATIBLE.search(text) else "compatible with"
        text = tidy(f"{text}, {connector} {ref}" if text else f"{connector.capitalize()} {ref}")
    return text


def _quoted(words: Iterable[str]) -> str:
    return ", ".join(f"'{w}'" for w in dict.fromkeys(w for w in words if w))


def _title_edits(title: str, matches: list[dict[str, Any]]):
    """Sort the title matches into removals, nominative references, fitment references and postfix
    references ("<mark> Compatible ..."); marks inside a reference clause stay with it."""
    located = []
    for m in matches:
        if (_get(m, "field") or "title") != "title":
            continue
        span = locate_span(title, m.get("start"), m.get("end"), _get(m, "matched_text"))
        if span is not None:
            located.append((span, m))
    located.sort(key=lambda x: x[0])
    remove, nominative, fitment, postfix, kept = [], [], [], [], []
    ref_clause_end = -1  # the end of the clause of the latest compatibility reference
    for (s, e), m in located:
        in_ref = s < ref_clause_end
        if not in_ref and m.get("fitment") is not True:  # "<mark> Compatible <product>", whatever cue the matcher saw
            ref_end = _model_end(title, e)
            after = _POSTFIX_COMPATIBLE.match(title, ref_end)
            if after:
                postfix.append((s, ref_end, after.end()))
                kept.append(title[s:e])
                ref_clause_end = max(ref_clause_end, after.end())
                continue
        if _get(m, "nominative_cue") or m.get("fitment") is True or in_ref:
            if _get(m, "nominative_cue") and not in_ref:
                nominative.append((s, e, _get(m, "nominative_cue")))
            elif m.get("fitment") is True and not in_ref:
                fitment.append((s, e))
            kept.append(title[s:e])
            brk = _CLAUSE_BREAK.search(title, e)
            ref_clause_end = max(ref_clause_end, brk.start() if brk else len(title))
            continue
        remove.append((s, e))
    return remove, nominative, fitment, postfix, kept


def fixed_title(title: str, matches: list[dict[str, Any]], *, action: str = "") -> str | None:
    """The title as the suggested fix rewrites it, or ``None`` when the fix does not rewrite the title
    (pull now, check authorization, no risky match in the title)."""
    real = [m for m in matches if not is_ordinary_use(m)]
    if action in ("pull now", "check authorization") or any(_get(m, "counterfeit_cue") for m in real):
        return None
    remove, nominative, fitment, postfix, _ = _title_edits(title, real)
    if not (remove or nominative or fitment or postfix):
        return None
    return rewrite_title(title, remove, nominative, fitment=fitment, postfix=postfix)


def head_noun(title: str, exclude: Iterable[tuple[int, int]] = ()) -> str:
    """The product's head noun, by a simple heuristic: the last word of the product phrase (the title up to
    the first "for", "with", "compatible", "fits", "works", "includes", a comma, a bracket or a dash) that has three letters or more, is
    not a colour, size, audience or pack word, and is not inside a span of ``exclude`` (the marks). ``""``
    when there is none; when every word of the first phrase is excluded, the next phrase is tried.
    "Nike Air Max 90 Mens Running Shoes White/Black Size 10" -> "Shoes"; "Canon PG-245 Black Ink Cartridge,
    Standard Yield" -> "Cartridge"."""
    spans = list(exclude)
    pos = 0
    while pos < len(title):
        cut = _HEAD_CUT.search(title, pos)
        end = cut.start() if cut else len(title)
        words = [w for w in _WORD.finditer(title, pos, end)
                 if len(w.group()) >= 3 and w.group().casefold() not in _NOT_NOUNS
                 and not any(s < w.end() and w.start() < e for s, e in spans)]
        if words:
            return words[-1].group()
        if cut is None:
            return ""
        pos = cut.end()
    return ""


#: The fields of a match record :func:`suggest_fix` reads (text through :func:`_get`; ``start`` and ``end``
#: through ``int``; ``fitment`` only as ``is True``).
_FIX_FIELDS = ("counterfeit_cue", "mark_kind", "matched_text", "field", "mark", "owner", "nominative_cue", "start",
               "end")


def fix_key(title: str, matches: list[dict[str, Any]], action: str = "") -> tuple:
    """A key equal for two calls of :func:`suggest_fix` that give the same fix: the title, the action and
    the fields the fix reads of each match, in order (values that compare equal read the same: equal text,
    equal numbers; ``fitment`` is kept as ``is True``). May hold an unhashable value (then do not cache)."""
    return (title, action, tuple((*map(m.get, _FIX_FIELDS), m.get("fitment") is True) for m in matches))


def suggest_fix(title: str, matches: list[dict[str, Any]], *, action: str = "") -> str:
    """Plain-words advice for one listing from its third-party matches (records with MATCH_COLUMNS) and its
    action (:func:`scanner.actions.choose_actions`)."""
    if not matches:
        return ""
    # _get(m, "counterfeit_cue") without the call: a risky listing at a million marks has about 20 matches
    counterfeit = [m for m in matches if isinstance(cue := m.get("counterfeit_cue"), str) and cue]
    if counterfeit or action == "pull now":
        m = (counterfeit or matches)[0]
        cue = _get(m, "counterfeit_cue")
        what = f"'{cue}' next to '{_get(m, 'matched_text') or _get(m, 'mark')}'" if cue else \
            f"'{_get(m, 'matched_text') or _get(m, 'mark')}'"
        return (f"Pull this listing: {what} reads as selling a copy of a branded product. Do not relist it with "
                "that wording.")
    real = [m for m in matches if not is_ordinary_use(m)]
    if action == "check authorization":
        named = _quoted(_get(m, "matched_text") for m in real if _get(m, "field") in ("title", "brand"))
        return (f"{named or 'The brand'} is presented as this product's brand: check you may sell this brand "
                "(invoice or authorization); if not, pull it.")
    if not real:
        words = _quoted(_get(m, "matched_text") for m in matches)
        return f"No change needed where {words} is an ordinary word here, not the brand."
    lines: list[str] = []
    by_field: dict[str, list[dict[str, Any]]] = {}
    for m in real:
        by_field.setdefault(_get(m, "field") or "title", []).append(m)
    if "brand" in by_field:
        owners = _quoted(_get(m, "owner") for m in by_field["brand"])
        lines.append(f"Brand field: set your own brand instead of {_quoted(_get(m, 'matched_text') or _get(m, 'mark') for m in by_field['brand'])}"
                     + (f" (a mark of {owners})." if owners else "."))
    if "title" in by_field:
        remove, nominative, fitment, postfix, kept_marks = _title_edits(title, by_field["title"])
        if remove or nominative or fitment or postfix:
            new_title = rewrite_title(title, remove, nominative, fitment=fitment, postfix=postfix)
            removed = _quoted(title[s:e] for s, e in remove)
            if remove and not new_title:
                lines.append(f"Title: rewrite it without {removed}; nothing is left once it is removed.")
            elif remove:
                lines.append(f"Title: remove {removed}: \u201c{new_title}\u201d")
            else:
                lines.append(f"Title: keep {_quoted(kept_marks)} only to say what it fits: \u201c{new_title}\u201d")
            if kept_marks:
                lines.append(f"Use {_quoted(kept_marks)} only as 'Compatible with ...', never as your brand; no "
                             "logos or photos of the brand's own products.")
    for fld in ("bullets", "description"):
        if fld in by_field:
            words = _quoted(_get(m, "matched_text") for m in by_field[fld])
            nominative_only = all(_get(m, "nominative_cue") for m in by_field[fld])
            label = FIELD_LABELS[fld].capitalize()
            lines.append(f"{label}: " + (f"keep {words} only as 'compatible with ...'." if nominative_only
                                         else f"remove {words}, or say 'compatible with' where that is true."))
    if "keywords" in by_field:
        lines.append(f"Search terms: remove {_quoted(_get(m, 'matched_text') for m in by_field['keywords'])}.")
    for fld, ms in by_field.items():
        if fld not in ("title", "brand", "bullets", "description", "keywords"):
            lines.append(f"{fld.capitalize()}: remove {_quoted(_get(m, 'matched_text') for m in ms)}.")
    return "\n".join(lines)
