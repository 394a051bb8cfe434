# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Explore matches and features
#
# Walks one labelled listing file through the stages the risk model sees: listings -> matches ->
# per-match features (`match_table`) -> one feature row per listing (`build_features`) -> scores and
# reasons of the shipped model. By default it reads the written example cases in `training/cases`;
# point `DATA_DIR` (or the environment variable `SCANNER_NOTEBOOK_DATA`) at a folder with
# `labels_<seller>.csv`, `listings_<seller>.tsv`, `seller_<seller>.toml` and `corpus.csv` to explore
# your own data.

# %% tags=["parameters"]
import os
import sys
from pathlib import Path

DATA_DIR = os.environ.get("SCANNER_NOTEBOOK_DATA", "")  # "" = the written cases shipped in the repo
SELLER = os.environ.get("SCANNER_NOTEBOOK_SELLER", "catalog")

# %%
ROOT = Path.cwd() if (Path.cwd() / "scanner").is_dir() else Path.cwd().parent
sys.path.insert(0, str(ROOT))
DATA = Path(DATA_DIR) if DATA_DIR else ROOT / "training" / "cases"

import pandas as pd  # noqa: E402

from scanner.config import load_profile  # noqa: E402
from scanner.corpus import load_corpus  # noqa: E402
from scanner.features import FEATURE_DOCS, build_features, match_table, strongest_matches  # noqa: E402
from scanner.labels import join_labels, read_labels  # noqa: E402
from scanner.listings import read_listings  # noqa: E402
from scanner.match import find_matches  # noqa: E402
from scanner.model import explain, load_model  # noqa: E402

pd.set_option("display.width", 160)
pd.set_option("display.max_colwidth", 80)

# %% [markdown]
# ## Listings, corpus, seller profile and labels

# %%
listings = read_listings([DATA / f"listings_{SELLER}.tsv"]).listings
corpus = load_corpus(DATA / "corpus.csv")
profile = load_profile(DATA / f"seller_{SELLER}.toml")
labels = read_labels(DATA / f"labels_{SELLER}.csv")
join = join_labels(listings, labels)
print(join.summary())
print("own brands:", ", ".join(profile.own_brands) or "none", "| marks in corpus:", len(corpus))
listings[["sku", "brand", "title"]].head()

# %% [markdown]
# ## Matches
# One row per listing x mark x field hit. `own`/`authorized` matches are never a risk.

# %%
matches = find_matches(listings, corpus, profile)
print(f"{len(matches)} matches; {int((~(matches['own'] | matches['authorized'])).sum())} third-party")
matches[["listing", "field", "matched_text", "mark", "owner", "method", "nominative_cue", "own"]].head(10)

# %% [markdown]
# ## Per-match features
# `match_table` keeps only third-party matches and derives the evidence per match: position, cues,
# casing, how common the mark is as an ordinary English word, the words around it ...

# %%
table = match_table(listings, matches, corpus, profile)
cols = ["listing", "matched_text", "kind", "m_first3", "m_cue_before", "m_mark_zipf", "m_mark_en_excess",
        "next_word", "m_next_en_excess", "strength"]
strongest_matches(table)[cols].head(12)

# %% [markdown]
# ## One feature row per listing

# %%
features = build_features(listings, matches, corpus, profile, table=table)
assert list(features.index) == list(listings.index)
print(f"{features.shape[1]} features, e.g.:")
for name in list(FEATURE_DOCS)[:5]:
    print(f"  {name}: {FEATURE_DOCS[name]}")
features.describe().T[["mean", "min", "max"]].head(15)

# %% [markdown]
# ## How a few features relate to the labels
# (Mean feature value per label; 0 = low, 1 = medium, 2 = high.)

# %%
labelled = features.loc[join.y.index].assign(label=join.y)
summary = labelled.groupby("label")[["any_title_first3_nocue", "all_nominative", "all_word_kind",
                                     "any_declared_brand", "s_mark_en_excess", "n_third_party"]].mean()
summary.round(2)

# %% [markdown]
# ## Scores and reasons of the shipped model

# %%
model = load_model()
scores = model.predict(features)
reasons = explain(listings, table, scores, matches, profile)
out = listings[["sku", "title"]].join(scores[["risk_level", "risk_score"]]).assign(reasons=reasons)
out = out.join(join.y.rename("label"))
print(pd.crosstab(out["label"], out["risk_level"]))
out.sort_values("risk_score", ascending=False).head(8)
