"""Context cues around a match, as data for the risk model (the cue text as written, or "").

Cues are found on the field's normalised tokens (so case, accents, look-alike letters and ``knock-off`` /
``knock off`` spellings do not matter) and reported as the original text they cover.

Nominative cues (the mark names what the product fits or works with):
    * before the mark: ``compatible with``, ``for use with``, ``replacement for``, ``works with``,
      ``designed for``, ``suitable for``, ``made for``, ``intended for``, ``to fit``, ``fits``, ``fit``
      (not after a garment word: ``slim fit``), ``for``, ``compatible``, ``replacement``, ``replaces``,
      ``teaches``, disclaimers (``not made by``, ``not affiliated with``, ...). Between the cue and the mark there may be other marks, model numbers (any digit) and
      filler words (``for the new Apple iPad``, ``fits 2015-2020 Ford``, ``for 13-inch MacBook``: a unit
      after a number counts with it), at most :data:`MAX_GAP` of them
      since the cue or the last list separator (``,``, ``/``, ``&``, ``and``, ``or``), and no hard
      separator (``|``, ``;``, `` - ``, newline, bullet). A model number after a mark ends the reference
      unless a list separator follows: ``for iPad 2 black`` refers to iPad only, while
      ``compatible with iPhone 14, iPhone 13`` refers to both;
    * after the mark: ``compatible`` (``HP compatible toner``, ``HP-compatible``), with at most two model
      numbers in between. ``for`` after the mark is not a cue (``Canon ink for printers`` is Canon's ink);
    * platform tags: a platform mark (Mac, Windows, Xbox, ...) inside brackets (``(mac)``), joined by a
      slash to another platform word (``win/mac``), followed by ``only``/``version``/``edition``, or
      ending a field that does not start with it (``Retrospect 7.5 disk to disk windows``).

Counterfeit cues:
    * anywhere within :data:`STRONG_WINDOW` tokens either side: ``replica``, ``fake``, ``counterfeit``,
      ``knockoff``/``knock-off``, ``dupe``, ``1:1``, ``mirror quality``, ``AAA quality``/``AAA grade``/
      ``AAA+``, ``super clone``, ``first copy``, ``master copy``, ``imitation``, ``not original``;
    * right before the mark (at most 2 tokens between): ``cheap``, ``inspired by``, ``copy of``;
    * right after the mark (at most 2 tokens between): ``style``, ``inspired``, ``copy``, ``clone``,
      ``lookalike``/``look alike``, ``dupe``.
    Counterfeit cues only attach to marks that are not ordinary English words (``classic style`` and
    ``fake flowers`` are descriptions, ``Rolex style`` is not). ``unbranded`` is not a cue: it says the item carries no brand, and it usually comes with a nominative
    reference (``unbranded replacement for ...``). ``AAA`` alone is a battery size, not a cue; ``faux``
    is a material (``faux leather``), not a cue.

Comparison cues (the listing sets itself against the mark: a classic complaint trigger in search terms):
    * before the mark (at most 2 tokens between): ``alternative to``, ``alternative for``, ``similar to``,
      ``comparable to``, ``cheaper than``, ``better than``, ``like``, ``vs``, ``versus``;
    * after the mark (at most 3 tokens between, no separator): ``alternative(s)``
      (``lululemon yoga mat alternative``).

Besides the cue texts, :func:`field_cues` says on which side the nominative cue stands (``before``,
``after``, ``platform``) and whether a nominative cue stands earlier in the same clause, farther than
the gap rules allow (``case for asus eee pad transformer tf101 android``: a weaker reference).

Other languages (the seed marketplaces: es, pt, de, fr, it, ru, ja, ko, zh) add phrases to the same tables,
written as they are typed and tokenised like a listing (:data:`LOCAL_PHRASES`): ``para``, ``compatible con``,
``für``, ``pour``, ``per``, ``для``, ``совместим с``, ... before the mark; ``対応``, ``用``, ``専用``, ``互換``,
``호환``, ``용``, ``전용``, ``专用`` after it, and ``适用于``, ``兼容``, ``适配`` before it. A Han, kana or
Hangul character is a token of its own (:mod:`scanner.text`), so a cue glued to a mark or a model number
(``iPhone15用ケース``, ``아이폰용``, ``适用于苹果``) is already a separate token, with its own span. A CJK
cue after the mark may follow Latin model words as well (``AirPods Pro 対応``). A few local cue words are
also other words and are checked in context (:data:`_NOT_BEFORE`): ``für`` only when written with its
umlaut or as ``fuer`` (``fur`` is an English word), ``用`` not in ``用品``, ``용`` not in ``용량``/``용품``/``용기``,
``風`` right after the mark only and not in ``風呂``, ``仿`` not in ``仿真``.

This is the one cue detector of the project: the matcher fills the matches table with it, and the risk
features and the weak labeller read its results (:func:`text_cues` runs it on a raw text).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..text import Token, _is_cjk, tokenize
from ..wordlists import is_trivia

MAX_GAP = 4
STRONG_WINDOW = 6

NOMINATIVE_BEFORE: tuple[tuple[str, ...], ...] = (
    ("compatible", "with"), ("for", "use", "with"), ("replacement", "for"), ("replacement", "of"),
    ("works", "with"), ("work", "with"), ("designed", "for"), ("suitable", "for"), ("made", "for"),
    ("intended", "for"), ("compatible", "for"), ("to", "fit"), ("for", "use", "in"), ("use", "with"),
    ("works", "w"), ("use", "w"), ("compatibility", "with"), ("fits",), ("fit",), ("for",),
    ("compatible",), ("replacement",), ("replaces",), ("teaches",), ("teaching",), ("compatibility",),
    # disclaimers name the mark only to say whose it is not
    ("not", "made", "by"), ("not", "manufactured", "by"), ("not", "produced", "by"), ("not", "endorsed", "by"),
    ("not", "sponsored", "by"), ("not", "affiliated", "with"), ("no", "affiliation", "with"),
)
NOMINATIVE_AFTER: tuple[tuple[str, ...], ...] = (("compatible",), ("replacement",), ("equivalent",))
#: Words that may stand between a mark and a cue after it besides model numbers and other marks
#: (``Brother TN-430 remanufactured compatible``).
AFTER_GAP_WORDS = frozenset({"remanufactured", "generic", "aftermarket", "oem", "refurbished", "premium"})
COMPARISON_BEFORE: tuple[tuple[str, ...], ...] = (
    ("alternative", "to"), ("alternative", "for"), ("similar", "to"), ("comparable", "to"), ("cheaper", "than"),
    ("better", "than"), ("like",), ("vs",), ("versus",),
)
COMPARISON_AFTER: tuple[tuple[str, ...], ...] = (("alternative",), ("alternatives",))
#: How far back (tokens) a nominative cue earlier in the same clause still counts as a weak reference.
CLAUSE_WINDOW = 10
COUNTERFEIT_STRONG: tuple[tuple[str, ...], ...] = (
    ("replica",), ("replicas",), ("fake",), ("fakes",), ("counterfeit",), ("knockoff",), ("knockoffs",),
    ("knock", "off"), ("knock", "offs"), ("dupe",), ("dupes",), ("mirror", "quality"), ("aaa", "quality"),
    ("aaa", "grade"), ("grade", "aaa"), ("super", "clone"), ("first", "copy"), ("master", "copy"),
    ("imitation",), ("not", "original"), ("1", "1"), ("aaa",),
)
COUNTERFEIT_BEFORE: tuple[tuple[str, ...], ...] = (("cheap",), ("inspired", "by"), ("copy", "of"))
COUNTERFEIT_AFTER: tuple[tuple[str, ...], ...] = (
    ("style",), ("inspired",), ("copy",), ("clone",), ("lookalike",), ("look", "alike"), ("dupe",),
)
#: Cues in the other languages of the seed marketplaces, written as typed (tokenised like a listing,
#: accents folded: ``für`` -> ``fur``, CJK one token per character). Longer phrases first.
LOCAL_PHRASES: dict[str, tuple[str, ...]] = {
    "nominative_before": (
        # es / pt
        "compatible con", "repuesto para", "apto para", "compatível com", "compativel com", "para",
        # de
        "kompatibel mit", "passend für", "passend fuer", "geeignet für", "geeignet fuer", "ersatz für",
        "ersatz fuer", "für", "fuer",
        # fr / it
        "compatible avec", "pour", "compatibile con", "per",
        # ru
        "совместим с", "совместимый с", "совместимая с", "совместимое с", "совместимые с", "совместима с",
        "совместимо с", "подходит для", "для",
        # zh
        "适用于", "兼容", "适配",
    ),
    "nominative_after": ("専用", "対応", "互換", "用", "전용", "호환", "용", "专用"),
    "counterfeit_strong": (
        "réplica", "réplique", "imitación", "imitação", "imitazione", "contrefaçon", "fälschung", "replik", "nachbildung", "копия",
        "реплика", "подделка", "スーパーコピー", "コピー品", "레플리카", "짝퉁", "高仿", "复刻",
    ),
    "counterfeit_before": ("仿",),
    "counterfeit_after": ("風",),
    "comparison_before": (
        "alternativa a", "alternative à", "alternativa para", "como", "tipo", "comme", "аналог", "как",
    ),
    "comparison_after": ("同款",),
}


def _local(group: str) -> tuple[tuple[str, ...], ...]:
    out: list[tuple[str, ...]] = []
    for phrase in LOCAL_PHRASES[group]:
        words = tuple(t.text for t in tokenize(phrase))
        if words and words not in out:
            out.append(words)
    return tuple(out)


NOMINATIVE_BEFORE = NOMINATIVE_BEFORE + _local("nominative_before")
NOMINATIVE_AFTER = NOMINATIVE_AFTER + _local("nominative_after")
COUNTERFEIT_STRONG = COUNTERFEIT_STRONG + _local("counterfeit_strong")
COUNTERFEIT_BEFORE = COUNTERFEIT_BEFORE + _local("counterfeit_before")
COUNTERFEIT_AFTER = COUNTERFEIT_AFTER + _local("counterfeit_after")
COMPARISON_BEFORE = COMPARISON_BEFORE + _local("comparison_before")
COMPARISON_AFTER = COMPARISON_AFTER + _local("comparison_after")
#: Local cues that are also parts of other words: the cue does not count when the next token is one of these.
_NOT_BEFORE: dict[tuple[str, ...], frozenset[str]] = {
    ("用",): frozenset({"品"}), ("용",): frozenset({"량", "품", "기"}), ("風",): frozenset({"呂"}),
    ("仿",): frozenset({"真"}),
}
#: Words that may stand between a mark and a CJK cue after it besides Latin model words (at most
#: :data:`CJK_AFTER_GAP` tokens): "generation" (``AirPods 第3世代 対応``, ``3세대``) and the Korean product-line
#: words "tab", "buds", "watch", "book" (``갤럭시 탭 S9 호환``, ``갤럭시 버즈 전용``), one syllable each.
CJK_GAP_WORDS = frozenset({"第", "世", "代", "세", "대", "탭", "버", "즈", "워", "치", "북"})
CJK_AFTER_GAP = 5
#: Cues that must touch the mark (no token between): single characters that are common word parts.
_ADJACENT_ONLY = frozenset({("風",)})
#: Written forms of ``fur`` that are the German cue (the plain ``fur`` is an English word).
_FUR_FORMS = frozenset({"für", "fuer"})


#: Words that may sit between a nominative cue and the mark.
FILLER = frozenset(
    ["the", "a", "an", "all", "most", "any", "select", "your", "my", "new", "newer", "older", "latest", "original", "genuine", "oem", "and", "or", "model", "models", "series", "gen", "generation", "version", "versions", "other", "brand", "name",
     # articles and "all/your" of the other seed languages (el nuevo iPhone, alle Samsung, tous les iPhone)
     "el", "los", "las", "les", "der", "den", "dem", "il", "gli", "todos", "todas", "alle", "tous", "tutti",
     "nuevo", "nueva", "novo", "nova", "neue", "neuen", "nouveau", "nouvel", "nuovo",
     # the device named before its brand ("для пылесоса Dyson", "para controle PlayStation", "pour manette PS5")
     "телефона", "смартфона", "часов", "пылесоса", "планшета", "ноутбука", "наушников", "приставки", "консоли",
     "геймпада", "принтера", "камеры", "автомобиля", "celular", "telefono", "movil", "controle", "mando", "reloj",
     "relogio", "consola", "console", "aspiradora", "aspirador", "manette", "telephone", "montre", "aspirateur"]
)
#: Units after a number (``13-inch``, ``64 GB``): part of the model description, skippable like it.
UNITS = frozenset({
    "inch", "inches", "in", "mm", "cm", "m", "ft", "feet", "gb", "tb", "mb", "kb", "ghz", "mhz", "hz", "w", "v",
    "mah", "oz", "lb", "lbs", "pack", "pcs", "pc", "x", "k", "p",
})
#: Words before ``fit`` that make it a garment fit, not "fits".
FIT_ADJECTIVES = frozenset(
    ["slim", "regular", "relaxed", "loose", "tight", "skinny", "straight", "athletic", "classic", "tailored", "modern", "comfort", "true", "wide", "boot", "easy", "perfect"]
)
PLATFORM_KEYS = frozenset(
    ["mac", "macos", "macosx", "osx", "windows", "win", "linux", "unix", "android", "ios", "ipados", "chromeos", "xbox", "xboxone", "xbox360", "xboxseriesx", "playstation", "ps2", "ps3", "ps4", "ps5", "psp", "psvita", "nintendo", "nintendoswitch", "switch", "wii", "wiiu", "gamecube", "3ds", "ds", "pc"]
)
PLATFORM_WORDS = PLATFORM_KEYS | {"pc", "win", "mac", "linux", "unix"}
_PLATFORM_AFTER = frozenset({"only", "version", "edition", "ed"})
#: Every word that can start a cue (a field without any of them has no cue).
CUE_WORDS = frozenset(
    ph[0] for group in (NOMINATIVE_BEFORE, NOMINATIVE_AFTER, COUNTERFEIT_STRONG, COUNTERFEIT_BEFORE, COUNTERFEIT_AFTER,
                        COMPARISON_BEFORE, COMPARISON_AFTER)
    for ph in group
)
_HARD_SEPARATOR = re.compile(r"[|;•\n\r\t]|\s-\s|\.\s")
#: What ends a clause for the weak, clause-wide reference (a hard separator, a comma or a bracket).
_CLAUSE_END = re.compile(r"[|;•\n\r\t,()\[\]]|\s[-–]\s|\.\s")


class SpanCues(NamedTuple):
    """The cues of one match (cue texts as written, or "")."""

    nominative: str
    counterfeit: str
    comparison: str = ""
    side: str = ""  # where the nominative cue stands: before | after | platform | ""
    clause: bool = False  # a nominative cue earlier in the same clause (weaker than ``nominative``)
_LIST_SEPARATOR = re.compile(r"[,/&+]")
_LIST_WORDS = frozenset({"and", "or", "und", "oder", "et", "ou", "и", "или"})


def _by_first_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for ph in phrases:
        out.setdefault(ph[0], []).append(ph)
    return {w: sorted(phs, key=len, reverse=True) for w, phs in out.items()}  # longer first (stable)


_COMBINED: dict[tuple[int, ...], dict[str, list[tuple[int, list[tuple[str, ...]]]]]] = {}


def _phrases_in(words: list[str], lists: tuple[tuple[tuple[str, ...], ...], ...]) -> list[list[tuple[int, int]]]:
    """For each of ``lists`` (lists of phrases), all ``(first, last)`` token positions where one of its
    phrases occurs (the first listed phrase wins at each start, so list longer phrases first). The words are
    read once for all the lists (a field with a cue word is read for seven)."""
    key = tuple(id(phrases) for phrases in lists)
    index = _COMBINED.get(key)
    if index is None:
        index = {}
        for number, phrases in enumerate(lists):
            for word, cands in _by_first_word(phrases).items():
                index.setdefault(word, []).append((number, cands))
        _COMBINED[key] = index
    out: list[list[tuple[int, int]]] = [[] for _ in lists]
    n = len(words)
    for i, w in enumerate(words):
        entries = index.get(w)
        if not entries:
            continue
        for number, cands in entries:
            for ph in cands:
                k = len(ph)
                if i + k <= n and (k == 1 or tuple(words[i : i + k]) == ph):
                    if ph in _NOT_BEFORE and i + k < n and words[i + k] in _NOT_BEFORE[ph]:
                        break
                    out[number].append((i, i + k - 1))
                    break
    return out


#: The phrase lists a field's cues are read from, in :class:`_FieldCues`'s order.
_FIELD_LISTS = (NOMINATIVE_BEFORE, NOMINATIVE_AFTER, COUNTERFEIT_STRONG, COUNTERFEIT_BEFORE, COUNTERFEIT_AFTER,
                COMPARISON_BEFORE, COMPARISON_AFTER)


def _local_ok(text: str, tokens: tuple[Token, ...], words: list[str], a: int, b: int) -> bool:
    """Context checks for local cues that are also other words (``fur``: only the German ``für``/``fuer``)."""
    if words[a] == "fur":
        return text[tokens[a].start : tokens[a].end].casefold() in _FUR_FORMS
    return True


@lru_cache(maxsize=65536)
def _cjk(word: str) -> bool:
    return any(_is_cjk(c) for c in word)


def _text(text: str, tokens: tuple[Token, ...], a: int, b: int) -> str:
    return text[tokens[a].start : tokens[b].end]


def _separated(text: str, tokens: tuple[Token, ...], a: int, b: int) -> bool:
    """A hard separator between the end of token ``a`` and the start of token ``b``."""
    if b <= a:
        return False
    return bool(_HARD_SEPARATOR.search(text, tokens[a].end, tokens[b].start))


def field_cues(
    text: str, tokens: tuple[Token, ...], spans: list[tuple[int, int, str, bool]]
) -> list[SpanCues]:
    """The :class:`SpanCues` of each match ``(first, last, key, ordinary)`` (token positions;
    ``ordinary``: the key is an ordinary English word) in one field."""
    field = _FieldCues(text, tokens, spans)
    out = []
    for first, last, key, ordinary in spans:
        # 1. nominative cue (before the mark, after it, or a platform tag)
        (nominative, side), clause = field.nominative(first, last, key)
        # 2. comparison cue, 3. counterfeit cue (not for an ordinary word)
        comparison = field.comparison(first, last)
        counterfeit = "" if ordinary else field.counterfeit(first, last)
        out.append(SpanCues(nominative, counterfeit, comparison, side, clause))
    return out


class _FieldCues:
    """The cue phrases found in one field, and the rules that tie them to a match span."""

    def __init__(self, text: str, tokens: tuple[Token, ...], spans: list[tuple[int, int, str, bool]]) -> None:
        self.text, self.tokens = text, tokens
        words = self.words = [t.text for t in tokens]
        self.in_match = [False] * len(words)
        for a, b, _, _ in spans:
            for i in range(a, b + 1):
                self.in_match[i] = True
        nom_before, self.nom_after, strong, self.cf_before, self.cf_after, self.cmp_before, self.cmp_after = \
            _phrases_in(words, _FIELD_LISTS)
        self.nom_before = [
            (a, b) for a, b in nom_before
            if not (words[a] == "fit" and b == a and a > 0 and words[a - 1] in FIT_ADJECTIVES)
            and _local_ok(text, tokens, words, a, b)
        ]
        self.strong = [(a, b) for a, b in strong if _strong_ok(text, tokens, words, a, b)]
        # the cues before a mark, nearest (last ending) first: the nearest that reaches it is its cue
        self.nom_nearest = sorted(self.nom_before, key=lambda ab: -ab[1])
        # hard separators counted gap by gap (a separator is made of characters no token holds, so it lies
        # in the gap between two tokens): "separated" is then a difference of two counts, not a search of
        # the text between (a long compatibility list made that search cubic in the field's length)
        seps = [0] * len(tokens)
        for i in range(1, len(tokens)):
            seps[i] = seps[i - 1] + (_HARD_SEPARATOR.search(text, tokens[i - 1].end, tokens[i].start) is not None)
        self.seps = seps

    def separated(self, a: int, b: int) -> bool:
        """A hard separator between the end of token ``a`` and the start of token ``b``
        (:func:`_separated`)."""
        return b > a and self.seps[b] > self.seps[a]

    def reaches(self, b: int, first: int) -> bool:
        """Does a nominative cue ending at token ``b`` reach a mark starting at ``first``?"""
        text, tokens, words, in_match = self.text, self.tokens, self.words, self.in_match
        if b >= first or self.separated(b, first):
            return False
        since, seen_mark = 0, False
        for i in range(b + 1, first):
            w = words[i]
            if w in _LIST_WORDS or _LIST_SEPARATOR.search(text, tokens[i - 1].end, tokens[i].start):
                since, seen_mark = 0, False
                if w in _LIST_WORDS:
                    continue
            if w in UNITS and not in_match[i] and any(c.isdigit() for c in words[i - 1]):
                continue  # "13-inch", "64 GB": part of the number before it
            since += 1
            if since > MAX_GAP:
                return False
            if in_match[i]:
                seen_mark = True
            elif any(c.isdigit() for c in w):
                if seen_mark and not self.list_follows(i):
                    return False
            elif w not in FILLER:
                return False
        return True

    def list_follows(self, i: int) -> bool:
        nxt = i + 1
        if nxt >= len(self.words):
            return False
        return self.words[nxt] in _LIST_WORDS or bool(
            _LIST_SEPARATOR.search(self.text, self.tokens[i].end, self.tokens[nxt].start))

    def in_clause(self, b: int, first: int) -> bool:
        """A cue ending at ``b`` earlier in the same clause as ``first``, at most CLAUSE_WINDOW tokens back."""
        return b < first and first - b <= CLAUSE_WINDOW and not _CLAUSE_END.search(
            self.text, self.tokens[b].end, self.tokens[first].start)

    def near(self, a: int, b: int, first: int, last: int, gap: int) -> bool:
        """Phrase ``a..b`` within ``gap`` tokens of the span, with no hard separator in between."""
        if b < first:
            return first - b - 1 <= gap and not self.separated(b, first)
        return a > last and a - last - 1 <= gap and not _CLAUSE_END.search(
            self.text, self.tokens[last].end, self.tokens[a].start)

    def follows(self, a: int, last: int) -> bool:
        """Does a nominative cue starting at ``a`` follow a mark ending at ``last`` closely enough?"""
        if a <= last:
            return False
        words, in_match = self.words, self.in_match
        gap = range(last + 1, a)
        local = _cjk(words[a])  # a CJK cue may also follow Latin model words: "AirPods Pro 対応"
        return len(gap) <= (CJK_AFTER_GAP if local else 3) and all(
            any(c.isdigit() for c in words[i]) or in_match[i] or words[i] in AFTER_GAP_WORDS
            or (local and (words[i].isascii() or words[i] in CJK_GAP_WORDS))
            for i in gap) and not self.separated(last, a)

    def nominative(self, first: int, last: int, key: str) -> tuple[tuple[str, str], bool]:
        """``((cue text, side), in clause)`` of the span ``first..last``."""
        best, side = None, ""
        for a, b in self.nom_nearest:
            if b >= first:
                continue
            if self.separated(b, first):
                break  # and so is every cue before this one
            if self.reaches(b, first):
                best, side = (a, b), "before"
                break
        if best is None:
            for a, b in self.nom_after:
                if self.follows(a, last):
                    best, side = (a, b), "after"
                    break
        if best is not None:
            nominative = _text(self.text, self.tokens, *best)
        else:
            nominative = _platform_tag(self.text, self.tokens, self.words, first, last, key)
            side = "platform" if nominative else ""
        clause = bool(nominative) or any(self.in_clause(b, first) for _, b in self.nom_before)
        return (nominative, side), clause

    def comparison(self, first: int, last: int) -> str:
        comparison = ""
        for a, b in self.cmp_before:
            if self.near(a, b, first, last, 2) and b < first:
                comparison = _text(self.text, self.tokens, a, b)
        if not comparison:
            for a, b in self.cmp_after:
                if self.near(a, b, first, last, 3):
                    comparison = _text(self.text, self.tokens, a, b)
                    break
        return comparison

    def counterfeit(self, first: int, last: int) -> str:
        cands = []
        for a, b in self.strong:
            dist = first - b if b < first else (a - last if a > last else 0)
            lo, hi = (b, first) if b < first else (last, a)
            if dist <= STRONG_WINDOW and not self.separated(lo, hi):
                cands.append((dist, a, b))
        for a, b in self.cf_before:
            if b < first and first - b - 1 <= 2 and not self.separated(b, first):
                cands.append((first - b, a, b))
        for a, b in self.cf_after:
            reach = 0 if tuple(self.words[a : b + 1]) in _ADJACENT_ONLY else 2
            if a > last and a - last - 1 <= reach and not self.separated(last, a):
                cands.append((a - last, a, b))
        if not cands:
            return ""
        _, a, b = min(cands)
        return _text(self.text, self.tokens, a, b)


def text_cues(text: str, spans: list[tuple[int, int]], *, ordinary: list[bool] | None = None) -> list[SpanCues]:
    """:func:`field_cues` for character spans ``[start, end)`` of a raw text (the weak labeller and notebooks
    use it): the text is tokenised like a listing field and each span mapped to the tokens it covers."""
    tokens = tuple(tokenize(text))
    token_spans = []
    for i, (start, end) in enumerate(spans):
        covered = [k for k, t in enumerate(tokens) if t.start < end and t.end > start]
        if not covered:
            token_spans.append(None)
            continue
        key = "".join(tokens[k].text for k in covered)
        token_spans.append((covered[0], covered[-1], key, bool(ordinary[i]) if ordinary else False))
    found = iter(field_cues(text, tokens, [sp for sp in token_spans if sp is not None]))
    return [next(found) if sp is not None else SpanCues("", "") for sp in token_spans]


def _strong_ok(text: str, tokens: tuple[Token, ...], words: list[str], a: int, b: int) -> bool:
    """Context checks for the strong cues that are also ordinary tokens (``1:1``, ``AAA``)."""
    if words[a : b + 1] == ["1", "1"]:
        return text[tokens[a].end : tokens[b].start].strip() == ":"
    if words[a : b + 1] == ["aaa"]:
        after = text[tokens[a].end : tokens[a].end + 1]
        nxt = words[a + 1] if a + 1 < len(words) else ""
        return after == "+" or nxt in {"replica", "copy", "quality", "grade"}
    return True


def _platform_tag(text: str, tokens: tuple[Token, ...], words: list[str], first: int, last: int, key: str) -> str:
    # a mark joined to a platform word by "-" or "/" before an edition word: "unix-hp edition"
    if (first > 0 and words[first - 1] in PLATFORM_WORDS and last + 1 < len(words) and words[last + 1] in _PLATFORM_AFTER
            and text[tokens[first - 1].end : tokens[first].start] in ("-", "/")):
        return text[tokens[first - 1].start : tokens[last + 1].end]
    if key not in PLATFORM_KEYS:
        return ""
    start, end = tokens[first].start, tokens[last].end
    # (mac), [win/mac], ( mac only )
    open_at = max(text.rfind("(", 0, start), text.rfind("[", 0, start))
    if open_at >= 0 and not re.search(r"[)\]]", text[open_at:start]):
        close = re.search(r"[)\]]", text[end:])
        if close:
            close_at = end + close.start()
            inner = text[open_at + 1 : close_at]
            if not re.search(r"[(\[]", text[end:close_at]) and len(inner.split()) <= 4:
                return text[open_at : close_at + 1]
    # win/mac, mac/pc
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    if first > 0 and before.endswith("/") and words[first - 1] in PLATFORM_WORDS:
        return text[tokens[first - 1].start : end]
    if last + 1 < len(words) and after.startswith("/") and words[last + 1] in PLATFORM_WORDS:
        return text[start : tokens[last + 1].end]
    if last + 1 < len(words) and words[last + 1] in _PLATFORM_AFTER:
        return text[start : tokens[last + 1].end]
    end_of_content = len(words)
    while end_of_content > last + 1 and is_trivia(words[end_of_content - 1]):
        end_of_content -= 1  # "... windows NEW": trivia after the last word does not move it
    if last + 1 == end_of_content and first > 0:  # a platform named last: "Retrospect 7.5 windows"
        return text[start:end]
    return ""
