"""Weak labels from real product titles (``../shared/data/titles``), generated at training time.

The title sources are research benchmarks of real offers; most records say who made the product (the
``brand`` / ``manufacturer`` field). From them we build, with fixed seeds:

1. a **brand lexicon** -- the brand fields (and the first word of multi-word brands when titles use it
   alone), plus capitalised first words of web-shop titles that recur and are not ordinary words in
   English or the other shop languages; each mark gets a data-driven **brandness**: the share of its
   mentions *without a compatibility cue* where it is the record's own brand (or, for records without a
   brand field, the first word). "universal" (brand of some remotes, an ordinary word in most titles) gets
   a low brandness, "canon" a high one;
2. **ordinary word marks** -- the most frequent alphabetic title words that are English words and not
   brands (the real register is full of them: "cable", "black", "digital");
3. a **weak corpus** -- lexicon brands (kind ``brand``), word marks (kind ``word``) and the hand-written
   corpus (famous brands and product lines); the kind is blanked for a random half of the data-derived
   marks so that the model does not lean on a field many real corpora leave empty;
4. **seller contexts** -- each record is listed once by a simulated seller: the brand's owner in a
   multi-brand catalogue (own brand in the brand field), a catalogue seller declaring someone else's brand
   in the brand field, or a generic web shop (brand field "Generic");
5. a **label per the rubric** from the mentions of lexicon marks in the title, seen from that seller: the
   seller's own marks never count; the product's own brand named by someone else, or another specific
   mark without a cue, is 2; a mark only after a compatibility cue ("for", "compatible with", ...,
   brackets) or a software platform tag is 1; a word mark or a low-brandness brand used without a cue is
   an ordinary word, 0. When the only evidence is a common English word that is also a brand ("sharp",
   "storm") in someone else's title, the rules cannot tell word from brand and the listing is left out.

Nothing here reads the devset. The labels are noisy by construction (the rules only know the lexicon);
they teach the model the shape of real titles, while the written cases teach the rubric's fine points.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from scanner.config import SellerProfile
from scanner.corpus import Corpus
from scanner.corpus.schema import MARK_COLUMNS, content_hash
from scanner.dictionary import is_dictionary_phrase
from scanner.features import MODEL_GLUE_AFTER, MODEL_GLUE_BEFORE, PLACEHOLDER_BRANDS, goods_fit
from scanner.frequency import SHOP_TITLE_LANGUAGES, word_zipf
from scanner.listings.schema import CANONICAL_COLUMNS
from scanner.match.cues import SpanCues, text_cues
from scanner.text import brand_key

_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
_JUNK = re.compile(r"\s*COL\s+\w+\s+VAL.*$")
_NOT_BRANDS = {"generic", "unknown", "none", "na", "n/a", "oem", "various", "misc", "other"}
_SPECIFIC_KINDS = ("brand", "product_line", "franchise", "character", "team")
#: Software platforms: the rubric counts a platform tag ("(mac)", "win/mac", "... windows") as a
#: compatibility reference (1), unless the platform's owner made the product.
PLATFORMS = frozenset({"windows", "mac", "macintosh", "os x", "mac os x", "linux", "unix", "android", "ios"})

#: Files (under the titles folder) and how to read them.
SOURCES = {
    "Walmart-Amazon_records.csv": {"title": "title", "brand": "brand", "category": "category"},
    "Amazon-Google_records.csv": {"title": "title", "brand": "manufacturer"},
    "Abt-Buy_records.csv": {"title": "name"},
    "wdc_titles.csv": {"title": "raw_title", "category": "category", "raw": True},
}


def _clean_wdc(raw: str) -> str:
    """The first quoted segment of a WDC raw title (``"GoPro HDMI Cable"@en ...`` -> ``GoPro HDMI Cable``)."""
    segs = [s.strip() for s in re.findall(r'"([^"]+)"', raw)]
    segs = [s for s in segs if len(s.split()) >= 2]
    return segs[0] if segs else raw.strip('" ')


def read_titles(folder: str | Path, *, wdc_sample: int | None = 6000, seed: int = 0) -> pd.DataFrame:
    """The title records of the sources present in ``folder``: source, record, title, brand, category."""
    folder = Path(folder)
    frames = []
    for name, spec in SOURCES.items():
        path = folder / name
        if not path.exists():
            continue
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        title = df[spec["title"]].astype(str)
        if spec.get("raw"):
            title = title.map(_clean_wdc)
        out = pd.DataFrame({
            "source": name.split("_")[0],
            "record": name.split("_")[0] + ":" + df.index.astype(str),
            "title": title.map(lambda t: " ".join(_JUNK.sub("", t).split())),
            "brand": df[spec["brand"]].astype(str).map(lambda b: " ".join(_JUNK.sub("", b).split()).lower())
            if "brand" in spec else "",
            "category": df[spec["category"]].astype(str).replace("all", "") if "category" in spec else "",
        })
        if spec.get("raw") and wdc_sample is not None and len(out) > wdc_sample:
            out = out.sample(wdc_sample, random_state=seed)
        frames.append(out)
    if not frames:
        return pd.DataFrame(columns=["source", "record", "title", "brand", "category"])
    recs = pd.concat(frames, ignore_index=True)
    recs = recs[recs["title"].str.len() >= 8]
    recs = recs.drop_duplicates("title").reset_index(drop=True)
    recs.loc[recs["brand"].isin(_NOT_BRANDS), "brand"] = ""
    return recs


def _toks(text: str) -> tuple[str, ...]:
    return tuple(t.casefold() for t in _WORD.findall(text))


@dataclass
class Lexicon:
    """Marks known to the weak labeller: token tuple -> (mark, owner, kind, brandness)."""

    marks: dict[tuple[str, ...], dict] = field(default_factory=dict)
    words: set[tuple[str, ...]] = field(default_factory=set)

    @property
    def longest(self) -> int:
        return max((len(k) for k in self.marks), default=0)

    def mentions(self, title: str) -> list[tuple[int, int, int, tuple[str, ...]]]:
        """Longest non-overlapping mentions: (first token, start char, end char, key)."""
        toks = [(m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(title)]
        out = []
        i = 0
        longest = self.longest
        while i < len(toks):
            for n in range(min(longest, len(toks) - i), 0, -1):
                key = tuple(t for t, _, _ in toks[i: i + n])
                if key in self.marks:
                    out.append((i, toks[i][1], toks[i + n - 1][2], key))
                    i += n
                    break
            else:
                i += 1
        return out


def _is_foreign_word(word: str) -> bool:
    """An ordinary word of another shop language ("herren", "montre"): much more common there than in
    English. Brand names are about equally common in every language."""
    from wordfreq import zipf_frequency

    other = max(zipf_frequency(word, lang) for lang in SHOP_TITLE_LANGUAGES)
    return other >= 4.0 and other >= word_zipf(word) + 1.0


def _has_cue(title: str, start: int, cue: SpanCues) -> bool:
    """A compatibility reference: the project's cue detector found one (or a clause-wide one), or the
    mention is in brackets."""
    before = title[:start]
    return bool(cue.nominative or cue.clause
                or before.count("(") + before.count("[") > before.count(")") + before.count("]"))


def _in_model_number(title: str, start: int, end: int) -> bool:
    return bool(MODEL_GLUE_AFTER.match(title[end:].lower()) or MODEL_GLUE_BEFORE.search(title[:start].lower()))


def build_lexicon(records: pd.DataFrame, written: Corpus | None = None, *, n_words: int = 500) -> Lexicon:
    """Brand lexicon (with brandness) and ordinary word marks from the title records; see the module doc."""
    lex = Lexicon()
    branded = records[records["brand"] != ""]
    counts = Counter(branded["brand"])
    for brand, n in sorted(counts.items()):
        key = _toks(brand)
        if n >= 2 and key and any(c.isalpha() for c in "".join(key)) and brand_key(brand) not in PLACEHOLDER_BRANDS:
            lex.marks.setdefault(key, {"mark": brand.upper(), "owner": brand, "kind": "brand", "source": "titles"})
    # "buffalo technology" is usually written "buffalo ..." in its titles
    firsts: Counter = Counter()
    for brand, title in zip(branded["brand"], branded["title"], strict=True):
        bt, tt = _toks(brand), _toks(title)
        if len(bt) > 1 and tt[:1] == bt[:1] and tt[: len(bt)] != bt:
            firsts[(bt[0], brand)] += 1
    for (first, brand), n in sorted(firsts.items()):
        if n >= 3 and len(first) >= 3 and (first,) not in lex.marks:
            lex.marks[(first,)] = {"mark": first.upper(), "owner": brand, "kind": "brand", "source": "titles"}
    # recurring capitalised first words of web-shop titles (WDC has no brand field): words that are rare
    # in English, or that open most of the titles they appear in, and are not ordinary foreign words
    shop = records[records["source"] == "wdc"]["title"]
    n_first: Counter = Counter()
    n_any: Counter = Counter()
    for title in shop:
        words = _WORD.findall(title)
        if words and words[0][:1].isupper():
            n_first[words[0].casefold()] += 1
        n_any.update({w.casefold() for w in words})
    for low, n in sorted(n_first.items()):
        if (n >= 8 and low.isalpha() and len(low) >= 2 and (low,) not in lex.marks and not _is_foreign_word(low)
                and (word_zipf(low) < 4.0 or n / n_any[low] >= 0.6)):
            lex.marks[(low,)] = {"mark": low.upper(), "owner": low, "kind": "brand", "source": "titles"}
    if written is not None:
        for rec in written.marks.itertuples(index=False):
            key = _toks(rec.mark)
            kind = str(rec.kind).strip().lower()
            if key and kind in _SPECIFIC_KINDS:
                lex.marks[key] = {"mark": rec.mark, "owner": rec.owner or rec.mark.lower(), "kind": kind,
                                  "source": "written", "fixed": True}
    # brandness: share of cue-free mentions where the mark is the record's brand (or its first word)
    n_self: Counter = Counter()
    n_all: Counter = Counter()
    for title, brand in zip(records["title"], records["brand"], strict=True):
        bkey = brand_key(brand)
        found = lex.mentions(title)
        cues = text_cues(title, [(start, end) for _, start, end, _ in found]) if found else []
        for (pos, start, _end, key), cue in zip(found, cues, strict=True):
            if _has_cue(title, start, cue):
                continue
            info = lex.marks[key]
            n_all[key] += 1
            is_self = (brand_key(info["owner"]) == bkey or brand_key(info["mark"]) == bkey) if bkey else pos == 0
            n_self[key] += int(is_self)
    for key, info in lex.marks.items():
        info["brandness"] = 1.0 if info.get("fixed") else (n_self[key] + 1) / (n_all[key] + 2)
    # ordinary words: frequent English title words that are not brands
    df: Counter = Counter()
    for title in records["title"]:
        df.update({t for t in _toks(title) if t.isalpha() and len(t) >= 3})
    known = {k[0] for k in lex.marks if len(k) == 1}
    known |= {w for w, n in n_first.items() if n >= 5 and n / n_any[w] >= 0.3}  # opens shop titles: brand-like
    known |= {_toks(b)[0] for b in counts if _toks(b)}
    words = [w for w, n in df.most_common() if n >= 8 and w not in known and 2.0 <= word_zipf(w) < 6.0
             and not _is_foreign_word(w)]
    # half common words ("cable", "black"), half rarer ones ("padlock", "matte"): a matcher that skips
    # ordinary English words still matches the rarer ones, and the model must see them as words too
    common = [w for w in words if word_zipf(w) >= 4.0][: n_words // 2]
    rarer = [w for w in words if word_zipf(w) < 4.0][: n_words - len(common)]
    for w in common + rarer:
        lex.words.add((w,))
        lex.marks[(w,)] = {"mark": w.upper(), "owner": "", "kind": "word", "source": "titles-words",
                           "brandness": 0.0}
    # two-word ordinary phrases ("remote control", "memory card"): registers hold those too
    pairs: Counter = Counter()
    for title in records["title"]:
        t = [w for w in _toks(title)]
        pairs.update({(a, b) for a, b in zip(t, t[1:], strict=False)
                      if a.isalpha() and b.isalpha() and len(a) >= 3 and len(b) >= 3})
    n_pairs = 0
    for (a, b), n in pairs.most_common():
        if n < 15 or n_pairs >= n_words // 4:
            break
        if a in known or b in known or (a, b) in lex.marks or min(word_zipf(a), word_zipf(b)) < 3.5:
            continue
        lex.words.add((a, b))
        lex.marks[(a, b)] = {"mark": f"{a} {b}".upper(), "owner": "", "kind": "word", "source": "titles-words",
                             "brandness": 0.0}
        n_pairs += 1
    return lex


#: Nice classes of goods sold on marketplaces, drawn for the generated marks (class overlap must not be a
#: tell of how a mark was generated).
_GOODS_CLASSES = np.array([3, 7, 8, 9, 11, 14, 16, 18, 20, 21, 24, 25, 28])


def brand_goods(records: pd.DataFrame, *, share: float = 0.3, most: int = 3) -> dict[str, str]:
    """``{brand_key: "9;28"}``: the Nice classes of each brand's own titles (records whose brand field names
    it), inferred by :func:`scanner.goods.infer_classes`: the classes holding at least ``share`` of the
    brand's summed confidence, at most ``most`` of them."""
    from scanner.goods import infer_classes

    branded = records[records["brand"].astype(str) != ""]
    if branded.empty:
        return {}
    totals: dict[str, Counter] = defaultdict(Counter)
    for bkey, goods in zip(branded["brand"].map(brand_key), infer_classes(branded["title"].tolist()), strict=True):
        for cls, w in goods.items():
            totals[bkey][cls] += w
    out = {}
    for bkey, counts in totals.items():
        total = sum(counts.values())
        top = [c for c, w in counts.most_common(most) if w >= share * total]
        if bkey and top:
            out[bkey] = ";".join(str(c) for c in sorted(top))
    return out


def mention_goods(records: pd.DataFrame, lex: Lexicon, *, share: float = 0.3, most: int = 2) -> dict[tuple, str]:
    """``{lexicon key: "9"}``: the Nice classes of the titles that mention each lexicon mark (whatever their
    brand), inferred by :func:`scanner.goods.infer_classes`."""
    from scanner.goods import infer_classes

    totals: dict[tuple, Counter] = defaultdict(Counter)
    titles = records["title"].tolist()
    for title, goods in zip(titles, infer_classes(titles), strict=True):
        for *_, key in lex.mentions(title):
            for cls, w in goods.items():
                totals[key][cls] += w
    out = {}
    for key, counts in totals.items():
        total = sum(counts.values())
        top = [c for c, w in counts.most_common(most) if w >= share * total]
        if top:
            out[key] = ";".join(str(c) for c in sorted(top))
    return out


def weak_corpus(lex: Lexicon, written: Corpus | None = None, *, seed: int = 0, blank_kind: float = 0.5,
                word_as_brand: float = 0.15, brand_classes: dict[str, str] | None = None,
                word_classes: dict[tuple, str] | None = None, word_on_own_goods: float = 0.5,
                word_brand_elsewhere: float = 0.3, foreign_share: float = 0.08) -> Corpus:
    """The corpus the weak sets are matched against: the written corpus plus the lexicon.

    A random ``blank_kind`` share of the generated marks has no kind (as in imported registers), and a
    ``word_as_brand`` share of the ordinary-word marks is registered as kind ``brand``. A
    ``word_brand_elsewhere`` share of the brands that are dictionary words ("shark", "fossil") is registered
    for goods other than those its titles sell: the register holds the word for someone else's goods, and
    the labels then read the word in those titles as the ordinary word (see :func:`label_title`).
    Each lexicon entry gets its registered ``classes`` (a frozenset) for the labeller. A ``foreign_share`` of
    the generated marks is registered in another jurisdiction than the US (where every weak seller sells):
    ``info["elsewhere"]`` tells the labeller, which reads such a mark's use as a weaker claim (1, not 2).
    """
    rng = np.random.default_rng(seed)
    rows = []
    seen = set()
    by_mark = {brand_key(info["mark"]): info for info in lex.marks.values()}
    if written is not None:
        for rec in written.marks.to_dict("records"):
            seen.add(brand_key(rec["mark"]))
            rows.append(rec)
            if brand_key(rec["mark"]) in by_mark:
                info = by_mark[brand_key(rec["mark"])]
                info["classes"] = info.get("classes", frozenset()) | _classes(rec.get("nice_classes", ""))
    for key in sorted(lex.marks):
        info = lex.marks[key]
        if info["source"] == "written" or brand_key(info["mark"]) in seen:
            continue
        seen.add(brand_key(info["mark"]))
        kind = "" if rng.random() < blank_kind else info["kind"]
        if info["kind"] == "word" and rng.random() < word_as_brand:
            # registers are full of ordinary words registered as brands ("UNIVERSAL", "ALKALINE"): the
            # kind must not give away how a word is used in a title, the context must
            kind = "brand"
        owner = info["owner"]
        if not owner:
            # real registers name an owner for every mark, ordinary-word marks included: an empty owner
            # here would teach the model that "no owner" means "ordinary word"
            owner = f"registrant {len(rows) + 1:05d}"
        known = (brand_classes or {}).get(brand_key(info["owner"]) or brand_key(info["mark"]))
        used_on = (word_classes or {}).get(key)
        if (known and info["kind"] != "word" and is_dictionary_phrase(list(key))
                and rng.random() < word_brand_elsewhere):
            # a brand that is a dictionary word, registered (by someone) only for other goods
            own = _classes(known)
            other = [c for c in _GOODS_CLASSES if c not in own]
            classes = ";".join(str(c) for c in sorted(rng.choice(other, size=min(2, len(other)), replace=False)))
        elif known and info["kind"] != "word":
            # a brand is registered for the goods it is sold on (inferred from its own titles)
            classes = known
        elif used_on and rng.random() < word_on_own_goods:
            # ordinary words are often registered for the very goods they describe ("ALKALINE" batteries,
            # "ZOOM" cameras): goods relatedness alone must not tell a word from a brand
            classes = used_on
        else:
            # an ordinary word is registered by someone, for goods unrelated to any one listing
            classes = ";".join(str(c) for c in sorted(rng.choice(_GOODS_CLASSES, size=rng.integers(1, 3),
                                                                 replace=False)))
        info["classes"] = _classes(classes)
        jurisdiction = "US"
        if rng.random() < foreign_share:
            jurisdiction = str(rng.choice(_FOREIGN))
        info["elsewhere"] = jurisdiction != "US"
        rows.append({"mark": info["mark"], "owner": owner, "nice_classes": classes, "kind": kind,
                     "status": "live", "jurisdiction": jurisdiction, "source": "weak-" + info["source"]})
    marks = pd.DataFrame(rows)
    for col in MARK_COLUMNS:
        if col not in marks.columns:
            marks[col] = ""
    marks = marks[list(MARK_COLUMNS)].fillna("").astype(str).reset_index(drop=True)
    return Corpus(marks=marks, info={"name": "weak-titles", "content_hash": content_hash(marks),
                                     "sources": ["../shared/data/titles (generated)"], "counts": {"marks": len(marks)}})


#: Jurisdictions drawn for the weak marks registered outside the US.
_FOREIGN = np.array(["EU", "GB", "JP", "BR", "KR", "CN"])


def _classes(text: str) -> frozenset[int]:
    return frozenset(int(c) for c in re.findall(r"\d+", str(text or "")) if 1 <= int(c) <= 45)


def _off_goods(key: tuple[str, ...], info: dict, goods: dict[int, float] | None) -> bool:
    """A dictionary-word mark on goods it is not registered for: the ordinary word ("shark plush pillow"
    with SHARK registered for vacuum cleaners). The same test as the features' ``m_word_off_goods``."""
    classes = info.get("classes")
    if not goods or not classes or not is_dictionary_phrase(list(key)):
        return False
    rel, same = goods_fit(goods, classes)
    return rel >= 0 and not same


def _ordinary(key: tuple[str, ...], info: dict, lex: Lexicon) -> bool:
    """A word mark, or a data-derived brand that is an English word and rarely names the product."""
    if key in lex.words:
        return True
    return info["brandness"] < 0.4 and word_zipf(" ".join(key)) >= 3.0


def _ambiguous(key: tuple[str, ...], info: dict) -> bool:
    """A common English word that is also a brand ("sharp", "storm"): without reading the meaning, a
    mention of it in someone else's title may be the brand or the word, so the labeller abstains."""
    return not info.get("fixed") and info["brandness"] < 0.9 and word_zipf(" ".join(key)) >= 4.0


def label_title(title: str, brand_field: str, record_brand: str, own_keys: frozenset[str],
                lex: Lexicon, goods: dict[int, float] | None = None) -> int | None:
    """The weak label of one listing (title + declared brand) for a seller owning ``own_keys``, or
    ``None`` when the rules cannot tell (the listing is then left out of the training data). ``goods`` is
    the product's inferred Nice classes: a dictionary-word mark on goods it is not registered for is the
    ordinary word (0)."""
    rbkey = brand_key(record_brand)
    label = 0
    bfkey = brand_key(brand_field)
    declared = [key for *_, key in lex.mentions(brand_field) if not _off_goods(key, lex.marks[key], goods)]
    if bfkey and bfkey not in own_keys and bfkey not in PLACEHOLDER_BRANDS and declared:
        # a third-party brand declared in the brand field (a weaker claim where it is not registered)
        label = 2 if any(not lex.marks[key].get("elsewhere") for key in declared) else 1
    found = lex.mentions(title)
    cues = text_cues(title, [(start, end) for _, start, end, _ in found],
                     ordinary=[_ordinary(key, lex.marks[key], lex) for *_, key in found])
    mentions = []
    for (pos, start, end, key), cue in zip(found, cues, strict=True):
        info = lex.marks[key]
        okey, mkey = brand_key(info["owner"]), brand_key(info["mark"])
        if okey in own_keys or mkey in own_keys or _in_model_number(title, start, end):
            continue
        mentions.append((pos, start, end, key, info, okey or mkey, _has_cue(title, start, cue), cue))
    # a cued mention makes the owner's other mentions references too, unless one opens the title ("HP 564XL
    # ink, works with HP printers" is HP's ink): the same rule as the features' s_owner_cued
    cued_owners = {owner for *_, owner, cue, _ in mentions if cue}
    words = _WORD.findall(title)
    own_first = bool(words) and brand_key(words[0]) in own_keys
    unsure = False
    for pos, _start, end, key, info, owner, cue, spans in mentions:
        ordinary = _ordinary(key, info, lex)
        if not ordinary and (spans.counterfeit or spans.comparison):
            return 2
        is_self = bool(rbkey) and rbkey in (brand_key(info["owner"]), brand_key(info["mark"]))
        platform = " ".join(key) in PLATFORMS and not is_self
        # fitment without a cue: the seller's own brand leads, a model number or year range follows the
        # mark ("roadmark floor liners toyota camry 2018-2024"): what the product fits
        fitment = own_first and pos > 0 and any(c.isdigit() for w in _WORD.findall(title[end:])[:3] for c in w)
        if cue or (owner in cued_owners and pos > 0) or platform or fitment:
            label = max(label, 0 if ordinary else 1)
            continue
        if _off_goods(key, info, goods):
            continue  # the ordinary word on other goods ("shark plush pillow"): 0
        use = 1 if info.get("elsewhere") else 2  # registered only where the seller does not sell: weaker
        if is_self:
            label = max(label, use)
        elif not ordinary:
            if _ambiguous(key, info):
                unsure = True
            else:
                label = max(label, use)
    return None if unsure and label < 2 else label


_DIGIT_FOR = {"o": "0", "i": "1", "e": "3", "a": "4", "s": "5"}


def misspell_brand(title: str, brand: str, rng: np.random.Generator) -> str:
    """``title`` with its first mention of ``brand`` misspelt the way sellers do it: a look-alike digit
    inside the word ("N1ke"), a doubled, dropped or swapped inner letter ("Addidas", "Samsnug"). Only
    single-word brands of 5+ letters that are not ordinary English words, so that the matcher's typo rules
    can still find them; otherwise the title is returned unchanged."""
    if not brand or not brand.isalpha() or len(brand) < 5 or word_zipf(brand) >= 3.0:
        return title
    found = re.search(r"(?<!\w)" + re.escape(brand) + r"(?!\w)", title, flags=re.IGNORECASE)
    if found is None:
        return title
    word = found.group()
    inner = range(1, len(word) - 1)
    kind = int(rng.integers(0, 4))
    digits = [i for i in inner if word[i].lower() in _DIGIT_FOR]
    if kind == 0 and digits:
        i = int(rng.choice(digits))
        new = word[:i] + _DIGIT_FOR[word[i].lower()] + word[i + 1:]
    elif kind == 1:
        i = int(rng.integers(1, len(word) - 1))
        new = word[:i] + word[i] + word[i:]
    elif kind == 2:
        i = int(rng.integers(1, len(word) - 1))
        new = word[:i] + word[i + 1:]
    else:
        i = int(rng.integers(1, len(word) - 2))
        new = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return title[:found.start()] + new + title[found.end():]


@dataclass
class WeakSet:
    """Weak-labelled listings of one simulated seller."""

    name: str
    listings: pd.DataFrame
    y: pd.Series
    groups: pd.Series
    profile: SellerProfile


def weak_sets(records: pd.DataFrame, lex: Lexicon, *, n_catalogues: int = 6, seed: int = 0,
              contexts: Sequence[float] = (0.55, 0.15, 0.30), typo_share: float = 0.06) -> list[WeakSet]:
    """Split the records among simulated sellers and label each listing; one :class:`WeakSet` per seller.

    ``contexts`` are the shares of (brand owner lists it, another catalogue seller declares the brand,
    generic web shop) for records with a brand in the lexicon; other records go to the web shop. A
    ``typo_share`` of the titles get their brand misspelt (:func:`misspell_brand`), keeping the label.
    """
    rng = np.random.default_rng(seed)
    owners = sorted({brand_key(i["owner"]) for i in lex.marks.values() if i["kind"] == "brand" and i["owner"]})
    owners = [o for o in owners if o]
    group_of = {o: int(g) for o, g in zip(owners, rng.integers(0, n_catalogues, len(owners)), strict=True)}
    own_sets = [frozenset(o for o, g in group_of.items() if g == k) for k in range(n_catalogues)]
    names = [f"weak_catalogue_{k + 1}" for k in range(n_catalogues)] + ["weak_shop"]
    buckets: dict[int, list[dict]] = defaultdict(list)
    from scanner.goods import infer_classes

    all_goods = infer_classes(records["title"].tolist(), records["category"].tolist()
                              if "category" in records.columns else None)
    for rec, goods in zip(records.itertuples(index=False), all_goods, strict=True):
        bkey = brand_key(rec.brand)
        ctx = 2
        if bkey in group_of and rec.source != "wdc":
            ctx = int(rng.choice(3, p=np.asarray(contexts) / sum(contexts)))
        if ctx == 0:
            seller, brand_field = group_of[bkey], rec.brand
        elif ctx == 1:
            seller, brand_field = (group_of[bkey] + 1 + int(rng.integers(0, n_catalogues - 1))) % n_catalogues, rec.brand
        else:
            seller, brand_field = n_catalogues, "Generic"
        own = own_sets[seller] if seller < n_catalogues else frozenset()
        label = label_title(rec.title, brand_field, rec.brand, own, lex, goods)
        if label is None:
            continue
        title = rec.title
        if rng.random() < typo_share:
            # sellers misspell and obfuscate marks ("Addidas", "N1ke"); the label is the original title's
            title = misspell_brand(title, rec.brand, rng)
        buckets[seller].append({"record": rec.record, "title": title, "brand": brand_field,
                                "category": rec.category, "label": label})
    out = []
    for seller in sorted(buckets):
        rows = buckets[seller]
        listings = pd.DataFrame({c: [""] * len(rows) for c in CANONICAL_COLUMNS})
        listings["sku"] = [r["record"] for r in rows]
        listings["title"] = [r["title"] for r in rows]
        listings["brand"] = [r["brand"] for r in rows]
        listings["category"] = [r["category"] for r in rows]
        listings["marketplace"] = "US"
        listings["source_file"] = "titles"
        listings["source_row"] = np.arange(1, len(rows) + 1)
        y = pd.Series([r["label"] for r in rows], index=listings.index, dtype="int64")
        groups = pd.Series([r["record"] for r in rows], index=listings.index)
        own = own_sets[seller] if seller < n_catalogues else frozenset()
        profile = SellerProfile(name=names[seller], own_brands=tuple(sorted(own)))
        out.append(WeakSet(name=names[seller], listings=listings, y=y, groups=groups, profile=profile))
    return out
