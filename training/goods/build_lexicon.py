"""Rebuild ``scanner/goods/data/nice_goods.tsv`` from the Nice Classification's alphabetical list of goods.

    python training/goods/build_lexicon.py [--nice PATH]   (default: $SCANNER_SHARED_DATA or ../shared/data)

Each goods term gives its head noun phrase: the words before the first ``for``/``of``/``with``/comma/bracket
(``"figurines [statuettes] of wood, wax, plaster or plastic"`` -> ``figurine``), singular, as keys of one,
two and three words (``"toner cartridges, filled, for printers"`` -> ``cartridge``, ``toner cartridge``).
The file lists, for each key, how many terms of each class have it as their head. ``nice_words.tsv``
beside it counts, for every content word, the terms of each class containing it (the word model that
ranks a Nice head's classes by the other words, :mod:`scanner.goods.term_model`). The runtime
(:mod:`scanner.goods.lexicon`) reads only the shipped file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from scanner.goods.text import singular, words  # noqa: E402

#: ../shared/data beside the checkout, or $SCANNER_SHARED_DATA (as in tests/conftest.py).
SHARED_DATA = Path(os.environ.get("SCANNER_SHARED_DATA", REPO.parent / "shared" / "data"))
DEFAULT_NICE = SHARED_DATA / "nice" / "nice-classification-10-2015.json"
OUT = REPO / "scanner" / "goods" / "data" / "nice_goods.tsv"
WORDS_OUT = REPO / "scanner" / "goods" / "data" / "nice_words.tsv"

_BRACKETS = re.compile(r"\[[^\]]*\]|\([^)]*\)|\*")
_CUT = re.compile(
    r",|;|:|\b(?:for|of|with|used|made|not|other than|in|to|from|on|against|adapted|being|containing|based|"
    r"as|and|or|without|by|at|into|under|intended|worn|which|that)\b"
)
#: words that are never a head in a goods term (left over after cutting).
_NOT_HEAD = {"", "the", "a", "an", "non", "electric", "electrical"}


def term_keys(description: str, max_words: int = 3) -> list[str]:
    """The head noun phrase keys of one Nice goods term (shortest first), singular and lower-cased."""
    text = _BRACKETS.sub(" ", description.lower())
    head = _CUT.split(text, maxsplit=1)[0]
    ws = [singular(w) for w in words(head)]
    while ws and ws[-1] in _NOT_HEAD:
        ws.pop()
    if not ws:
        return []
    return [" ".join(ws[-n:]) for n in range(1, min(max_words, len(ws)) + 1)]


def load_goods(path: Path) -> list[tuple[str, int, str]]:
    """(basic number, class, description) of every goods term of the Nice JSON."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [(g["number"], int(g["number"][:2]), g["description"]) for g in data["goods"]]


def count_keys(goods: Iterable[tuple[str, int, str]]) -> dict[str, Counter]:
    """key -> Counter(class -> number of terms with that head)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for _number, cls, description in goods:
        for key in term_keys(description):
            counts[key][cls] += 1
    return counts


def term_words(description: str) -> set[str]:
    """The content words of one goods term (singular; brackets' content included, function words dropped)."""
    text = description.lower().replace("[", " ").replace("]", " ")
    return {singular(w) for w in words(text) if w not in _FUNCTION_WORDS and not w.isdigit() and len(w) > 1}


_FUNCTION_TEXT = (
    "for of with and or the a an not in on to from as by at into other than being use used using purpose "
    "purposes made adapted based containing without under which that its their am"
)
_FUNCTION_WORDS = set(_FUNCTION_TEXT.split())


def count_words(goods: Iterable[tuple[str, int, str]]) -> tuple[Counter, dict[str, Counter]]:
    """(terms per class, word -> Counter(class -> number of terms containing the word))."""
    per_class: Counter = Counter()
    counts: dict[str, Counter] = defaultdict(Counter)
    for _number, cls, description in goods:
        per_class[cls] += 1
        for w in term_words(description):
            counts[w][cls] += 1
    return per_class, counts


def write_words_tsv(per_class: Counter, counts: dict[str, Counter], out: Path) -> int:
    lines = [
        "# Words of the goods terms of the Nice Classification, 10th edition (version 2015), with the number of",
        "# terms of each class containing them; derived from github.com/kemitchell/nice-classification.json",
        "# (CC0-1.0; upstream: WIPO). Built by training/goods/build_lexicon.py; do not edit by hand.",
        "# word<TAB>class:terms,...   (the line '*' holds the number of terms per class)",
        "*\t" + ",".join(f"{c}:{n}" for c, n in sorted(per_class.items())),
    ]
    for w in sorted(counts):
        lines.append(w + "\t" + ",".join(f"{c}:{n}" for c, n in sorted(counts[w].items())))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(counts)


def write_tsv(counts: dict[str, Counter], out: Path) -> int:
    lines = [
        "# Head noun phrases of the goods terms of the Nice Classification, 10th edition (version 2015),",
        "# alphabetical list of goods, derived from github.com/kemitchell/nice-classification.json (CC0-1.0;",
        "# upstream: WIPO). Built by training/goods/build_lexicon.py; do not edit by hand.",
        "# key<TAB>class:terms,... (how many goods terms of each class have this head; singular, lower case)",
    ]
    for key in sorted(counts):
        classes = ",".join(f"{c}:{n}" for c, n in sorted(counts[key].items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"{key}\t{classes}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(counts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nice", type=Path, default=DEFAULT_NICE)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    goods = load_goods(args.nice)
    n = write_tsv(count_keys(goods), args.out)
    print(f"{len(goods)} goods terms -> {n} keys -> {args.out}")
    words_out = args.out.with_name(WORDS_OUT.name)
    n = write_words_tsv(*count_words(goods), words_out)
    print(f"{len(goods)} goods terms -> {n} words -> {words_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
