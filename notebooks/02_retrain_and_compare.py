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
# # Retrain on a labels file, evaluate, compare with the shipped model
#
# Trains a model on one labelled seller (`TRAIN_SELLER`), reports its held-out (cross-validated)
# metrics, then evaluates it and the shipped default model on another labelled seller (`TEST_SELLER`)
# next to the keyword baseline. By default it uses the written example cases in `training/cases`
# (train on the catalogue seller, test on the web shop).
#
# Keep it honest: never evaluate on rows a model was trained on. The shipped model *was* trained on the
# written cases, so on the default data its figures are not a fair comparison -- point `DATA_DIR` at your
# own labelled data (for example labels made from your complaint history with `scanner notices labels`)
# for a real one.

# %% tags=["parameters"]
import os
import sys
from pathlib import Path

DATA_DIR = os.environ.get("SCANNER_NOTEBOOK_DATA", "")  # "" = the written cases shipped in the repo
TRAIN_SELLER = os.environ.get("SCANNER_NOTEBOOK_TRAIN", "catalog")
TEST_SELLER = os.environ.get("SCANNER_NOTEBOOK_TEST", "shop")
FAST = os.environ.get("SCANNER_NOTEBOOK_FAST", "") == "1"  # a few boosting rounds (used by the tests)
SAVE_TO = os.environ.get("SCANNER_NOTEBOOK_SAVE", "")  # a folder to save the retrained bundle in, or ""

# %%
ROOT = Path.cwd() if (Path.cwd() / "scanner").is_dir() else Path.cwd().parent
sys.path.insert(0, str(ROOT))
DATA = Path(DATA_DIR) if DATA_DIR else ROOT / "training" / "cases"

import pandas as pd  # noqa: E402

from scanner.model import fit, load_model, prepare, rules_model  # noqa: E402
from scanner.model.evaluation import metrics_for  # noqa: E402
from scanner.model.metrics import format_metrics  # noqa: E402


def labelled(seller: str):
    return prepare(DATA / f"labels_{seller}.csv", [DATA / f"listings_{seller}.tsv"], corpus=DATA / "corpus.csv",
                   profile=DATA / f"seller_{seller}.toml", name=seller)


train_set, test_set = labelled(TRAIN_SELLER), labelled(TEST_SELLER)
print(f"train: {len(train_set)} listings ({TRAIN_SELLER}); test: {len(test_set)} listings ({TEST_SELLER})")

# %% [markdown]
# ## Retrain
# Held-out metrics come from cross-validation: every row is scored by a model that did not see it.

# %%
params = {"max_iter": 15, "cv": 3} if FAST else {}
model = fit([train_set], params=params, name="retrained")
print("thresholds:", model.thresholds)
print(format_metrics(model.info["metrics_held_out"]["all"], "held-out (cross-validated) on the training seller"))

# %% [markdown]
# ## Evaluate on the other seller, next to the shipped model and the keyword baseline

# %%
shipped = load_model()
rows = {}
for name, m in (("retrained", model), ("shipped default", shipped), ("keyword baseline", rules_model())):
    metrics, _ = metrics_for(test_set, m)
    rows[name] = {
        "AP any risk": metrics["average_precision"]["any"],
        "AP high": metrics["average_precision"]["high"],
        "F1 any risk": metrics["any_risk"]["f1"],
        "precision high": metrics["per_level"]["high"]["precision"],
        "recall high": metrics["per_level"]["high"]["recall"],
    }
comparison = pd.DataFrame(rows).T.round(3)
print(comparison.to_string())

# %%
metrics, predictions = metrics_for(test_set, model)
print(format_metrics(metrics, f"retrained model on {TEST_SELLER}"))
predictions[predictions["label"] != predictions["risk_level"]][["title", "label", "risk_level", "reasons"]].head(10)

# %% [markdown]
# ## Save the retrained model (optional)
# `scanner scan --model DIR` then uses it. Saving refuses to overwrite an existing bundle unless forced.

# %%
if SAVE_TO:
    from scanner.model import save_bundle

    print("saved", save_bundle(model, Path(SAVE_TO)))
