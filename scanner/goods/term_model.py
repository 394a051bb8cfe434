"""A small naive-Bayes word model of the Nice goods terms (``data/nice_words.tsv``).

The Nice list decides many classes by material or purpose, not by the head noun: ``figurines of wood`` are
class 20, ``of precious metal`` 14, ``of porcelain`` 21. When a title's head comes from the Nice-derived
lexicon with several classes, :func:`rerank` shares its confidence among those classes by the other words
of the title (``P(word | class)`` from the share of that class's terms containing the word). With no head
at all, :func:`guess` gives the classes the words alone point to, at a low confidence, when one class
dominates.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources

import numpy as np

ALPHA = 0.5

#: A rough prior of the classes of marketplace listings (our estimate of the share of listings on a general
#: marketplace; unlisted classes 0.005). It breaks ties between a head's classes in favour of the goods
#: that are commonly sold online (``system`` -> 9 before 12). Not used for the Nice held-out figure
#: "without marketplace prior" in docs/goods.md.
MARKET_PRIOR: dict[int, float] = {
    9: 0.20, 25: 0.15, 21: 0.08, 28: 0.08, 20: 0.06, 3: 0.05, 14: 0.05, 18: 0.05, 11: 0.04, 16: 0.04,
    24: 0.03, 5: 0.03, 12: 0.03, 8: 0.02, 7: 0.02, 6: 0.02, 10: 0.02, 30: 0.02, 26: 0.01, 27: 0.01, 15: 0.01,
    2: 0.01, 4: 0.01, 29: 0.01, 31: 0.01, 32: 0.01,
}
#: a guess from words alone counts at this share of its posterior, and only when the posterior is this high.
GUESS_CONFIDENCE = 0.4
GUESS_MIN_POSTERIOR = 0.6


class WordModel:
    """Terms per class and, per word, terms per class containing it (as vectors of log-likelihoods)."""

    def __init__(self, per_class: Mapping[int, int], counts: Mapping[str, Mapping[int, int]]):
        self.per_class = dict(per_class)
        self.classes = sorted(self.per_class)
        self.position = {c: i for i, c in enumerate(self.classes)}
        sizes = np.array([self.per_class[c] for c in self.classes], dtype=float)
        self.log_prior = np.log(sizes / sizes.sum())
        missing = np.log(ALPHA / (sizes + 2 * ALPHA))
        # log P(word present | class) for every class
        self.loglik: dict[str, np.ndarray] = {}
        for w, per in counts.items():
            vec = missing.copy()
            for c, k in per.items():
                i = self.position[c]
                vec[i] = math.log((k + ALPHA) / (sizes[i] + 2 * ALPHA))
            self.loglik[w] = vec

    def log_scores(self, words: Iterable[str]) -> np.ndarray | None:
        """Summed log-likelihoods over the known ``words`` (one entry per class in ``self.classes``), or
        None when no word is known."""
        vecs = [self.loglik[w] for w in set(words) if w in self.loglik]
        if not vecs:
            return None
        return np.sum(vecs, axis=0) if len(vecs) > 1 else vecs[0]


def _softmax(scores: Mapping[int, float]) -> dict[int, float]:
    top = max(scores.values())
    exp = {c: math.exp(s - top) for c, s in scores.items()}
    total = sum(exp.values())
    return {c: v / total for c, v in exp.items()}


def rerank(
    classes: Mapping[int, float],
    words: Iterable[str],
    model: WordModel,
    prior: Mapping[int, float] | None = MARKET_PRIOR,
) -> dict[int, float]:
    """Share the confidence mass of a head's ``classes`` by the ``words`` of the title and the marketplace
    ``prior`` (None: no prior), highest first."""
    if len(classes) < 2:
        return dict(classes)
    mass = sum(classes.values())
    top = max(classes.values())
    log_share = {c: math.log(w / mass) for c, w in classes.items()}
    if prior is not None:
        log_share = {c: v + math.log(prior.get(c, 0.005)) for c, v in log_share.items()}
    lik = model.log_scores(words)
    if lik is not None:
        log_share = {c: v + (float(lik[model.position[c]]) if c in model.position else 0.0) for c, v in log_share.items()}
    post = _softmax(log_share)
    # the best class keeps the head's best confidence; the others in proportion
    best = max(post.values())
    out = {c: round(top * p / best, 4) for c, p in post.items()}
    return {c: w for c, w in sorted(out.items(), key=lambda kv: (-kv[1], kv[0])) if w >= 0.05}


def guess(words: Iterable[str], model: WordModel) -> dict[int, float]:
    """Classes from words alone (no head found): ``{}`` unless one class has posterior >= the floor."""
    lik = model.log_scores(words)
    if lik is None:
        return {}
    scores = model.log_prior + lik
    scores = np.exp(scores - scores.max())
    best = int(scores.argmax())
    posterior = float(scores[best] / scores.sum())
    if posterior < GUESS_MIN_POSTERIOR:
        return {}
    return {model.classes[best]: round(GUESS_CONFIDENCE * posterior, 4)}


def parse_rows(rows: Iterable[list[str]]) -> WordModel:
    per_class: dict[int, int] = {}
    counts: dict[str, dict[int, int]] = {}
    for word, spec in rows:
        parsed = {int(c): int(n) for c, n in (p.split(":") for p in spec.split(","))}
        if word == "*":
            per_class = parsed
        else:
            counts[word] = parsed
    return WordModel(per_class, counts)


@lru_cache(maxsize=1)
def default_model() -> WordModel:
    text = resources.files("scanner.goods").joinpath("data", "nice_words.tsv").read_text(encoding="utf-8")
    return parse_rows(line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
