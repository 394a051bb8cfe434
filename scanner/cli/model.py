"""``scanner train`` and ``scanner evaluate``."""

from __future__ import annotations

from pathlib import Path

import click

from ..preflight import check_output_folder, check_outputs
from .common import make_progress, quiet_option
from .scan import parse_map

_corpus_option = click.option(
    "--corpus", type=click.Path(exists=True, path_type=Path),
    help="A trademark CSV or a corpus folder built by `scanner corpus build` (default: the shipped starter corpus).",
)
_config_option = click.option(
    "--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Seller profile (seller.toml) of the seller whose listings are labelled: own and authorized brands.",
)
_encoding_option = click.option("--encoding", help="Read the listing files with this encoding instead of detecting it.")
_map_option = click.option("--map", "mappings", multiple=True, metavar="FIELD=COLUMN",
                           help="Read FIELD from the column headed COLUMN (repeatable), as in `scanner scan`.")
_files = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command()
@click.argument("labels", type=_files)
@click.argument("listings", nargs=-1, required=True, type=_files)
@_corpus_option
@_config_option
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The model bundle folder to write, e.g. models/my-shop.")
@click.option("--force", is_flag=True, help="Replace a model bundle already in --out.")
@click.option("--with-cases", is_flag=True,
              help="Also train on the written example cases shipped in training/cases (source checkouts only).")
@click.option("--classifier", type=click.Choice(["hgb", "logreg"]), default="hgb", show_default=True,
              help="hgb = gradient boosting (default), logreg = logistic regression.")
@click.option("--max-iter", type=click.IntRange(1, 5000), default=250, show_default=True,
              help="Boosting rounds (hgb) or solver iterations (logreg); fewer train faster.")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True,
              help="Cross-validation folds for calibration and for the held-out metrics and thresholds.")
@click.option("--high-precision", type=click.FloatRange(0.5, 1.0), default=0.85, show_default=True,
              help="Held-out precision the 'high' threshold is chosen to reach.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed for the folds and the model.")
@_encoding_option
@_map_option
@quiet_option
def train(labels, listings, corpus, config_path, out, force, with_cases, classifier, max_iter, folds, high_precision,
          seed, encoding, mappings, quiet):
    """Train a risk model on labelled listings and save it as a bundle folder.

    LABELS is a CSV with the columns sku and label (0/1/2 or low/medium/high); LISTINGS are the listing
    exports those SKUs come from. Held-out metrics and the level thresholds are chosen by cross-validation
    and stored with the model. Use the bundle with `scanner scan --model DIR`.
    """
    from ..config import load_profile
    from ..model.training import train as train_model

    check_output_folder(out, "--out")
    progress = make_progress(quiet)
    extra = []
    if with_cases:
        from ..model.cases import CASES, written_sets

        if not CASES.is_dir():
            raise click.UsageError(f"--with-cases: no written cases at {CASES} (not a source checkout)")
        extra = written_sets(progress=progress)
    result = train_model(
        labels, list(listings), corpus=corpus, profile=load_profile(config_path), out=out, force=force,
        params={"classifier": classifier, "max_iter": max_iter, "cv": folds, "high_precision": high_precision,
                "random_state": seed},
        extra_sets=extra, encoding=encoding,
        column_map=parse_map(mappings), progress=progress,
    )
    join = result.data.join
    if join is not None:
        progress.info(join.summary())
    held = result.model.info["metrics_held_out"]["all"]
    ap = held["average_precision"]
    fmt = lambda v: "n/a" if v is None else f"{v:.3f}"  # noqa: E731
    progress.info(
        f"held-out average precision: any risk {fmt(ap['any'])}, high {fmt(ap['high'])}; "
        f"thresholds medium {result.model.thresholds['medium']:.3f}, high {result.model.thresholds['high']:.3f}"
    )
    progress.info(f"model bundle: {result.path}")


@click.command()
@click.argument("labels", type=_files)
@click.argument("listings", nargs=-1, required=True, type=_files)
@_corpus_option
@_config_option
@click.option("--model", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The model bundle folder to evaluate (default: the shipped model).")
@click.option("--baseline/--no-baseline", default=True, show_default=True,
              help="Also score the keyword baseline (any third-party mark = risk) to show the gain.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON (for machines) instead of a table.")
@click.option("--details", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write one CSV row per labelled listing: sku, title, label, level, score, reasons.")
@_encoding_option
@_map_option
@quiet_option
def evaluate(labels, listings, corpus, config_path, model, baseline, as_json, details, encoding, mappings, quiet):
    """Measure a model on labelled listings: average precision, precision/recall/F1 per level, confusion matrix.

    LABELS is a CSV with the columns sku and label (0/1/2 or low/medium/high); LISTINGS are the listing
    exports those SKUs come from. Never evaluate on the listings a model was trained on.
    """
    from ..config import load_profile
    from ..errors import ScannerError
    from ..model.evaluation import evaluate as evaluate_model

    check_outputs({"--details": details}, [labels, *listings, corpus, config_path], suffixes={})
    progress = make_progress(quiet)
    result = evaluate_model(
        labels, list(listings), corpus=corpus, profile=load_profile(config_path), model=model, baseline=baseline,
        encoding=encoding, column_map=parse_map(mappings), progress=progress,
    )
    if details is not None:
        try:
            result.predictions.to_csv(details, index=False, encoding="utf-8")
        except OSError as exc:
            raise ScannerError(f"cannot write: {exc.strerror or exc}", path=details) from None
    click.echo(result.to_json() if as_json else result.to_text())
