"""The ``aliases`` column through import, compiled corpus and export; ``scanner corpus info`` breakdowns."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from scanner.cli import cli
from scanner.corpus import build_corpus, corpus_breakdown, export_corpus, load_corpus
from scanner.match import find_matches

CSV_TEXT = (
    "mark,owner,nice_classes,status,jurisdiction,kind,source,aliases\n"
    "Nike,\"Nike, Inc.\",25;28,live,US,brand,starter:apparel, ナイキ ;나이키;;Найк;耐克;ナイキ\n"
    "Lord of the Rings,Middle-earth Enterprises,9;28;41,,US,franchise,starter:toys,LOTR\n"
    "Sony,Sony Group Corporation,9,live,JP,brand,starter:electronics,\n"
    "Lego,LEGO A/S,28,live,EU,brand,starter:toys,レゴ\n"
)


def write_csv(tmp_path: Path) -> Path:
    path = tmp_path / "marks.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_csv_import_keeps_and_tidies_aliases(tmp_path):
    corpus = load_corpus(write_csv(tmp_path))
    aliases = dict(zip(corpus.marks["mark"], corpus.marks["aliases"], strict=True))
    assert aliases == {"Nike": "ナイキ;나이키;Найк;耐克", "Lord of the Rings": "LOTR", "Sony": "", "Lego": "レゴ"}


def test_compiled_corpus_and_export_keep_aliases(tmp_path):
    folder = tmp_path / "corpus"
    corpus = build_corpus([write_csv(tmp_path)], folder)
    assert "ナイキ;나이키;Найк;耐克" in corpus.marks["aliases"].tolist()
    out = tmp_path / "export.csv"
    assert export_corpus(folder, out) == 4
    with open(out, encoding="utf-8", newline="") as handle:
        rows = {r["mark"]: r for r in csv.DictReader(handle)}
    assert rows["Lord of the Rings"]["aliases"] == "LOTR" and rows["Sony"]["aliases"] == ""
    # the exported CSV reads back with the same aliases, and the matcher finds them in the compiled corpus
    again = load_corpus(out)
    assert sorted(again.marks["aliases"]) == sorted(corpus.marks["aliases"])
    m = find_matches(pd.DataFrame({"title": ["レゴ ブロック", "LOTR ring"]}), corpus, fields=("title",))
    assert sorted(zip(m["mark"], m["alias"], strict=True)) == [("Lego", "レゴ"), ("Lord of the Rings", "LOTR")]


def test_breakdown_counts(tmp_path):
    data = corpus_breakdown(write_csv(tmp_path))
    assert data["marks"] == 4
    assert len(data["nice_classes"]) == 46  # 1..45 and "none"
    assert data["nice_classes"]["28"] == 3 and data["nice_classes"]["9"] == 2 and data["nice_classes"]["1"] == 0
    assert data["nice_classes"]["none"] == 0
    assert data["jurisdiction"] == {"US": 2, "EU": 1, "JP": 1}
    assert data["status"] == {"live": 3, "(none)": 1}
    assert data["source"]["starter:toys"] == 2
    assert data["aliases"] == {"marks_with_aliases": 3, "aliases": 6}


def test_corpus_info_on_a_folder_and_a_csv(tmp_path):
    path = write_csv(tmp_path)
    folder = tmp_path / "corpus"
    assert run("corpus", "build", path, "--out", folder, "-q").exit_code == 0
    for target in (folder, path):
        result = run("corpus", "info", target)
        assert result.exit_code == 0, result.output
        assert "28:       3" in result.output and "45:       0" in result.output
        assert "per jurisdiction: US 2, EU 1, JP 1" in result.output
        assert "per source: starter:toys 2" in result.output
        assert "aliases: 6 on 3 marks" in result.output
        as_json = json.loads(run("corpus", "info", target, "--json").output)
        assert as_json["breakdown"]["nice_classes"]["25"] == 1
    assert json.loads(run("corpus", "info", folder, "--json").output)["format_version"] == 1


def test_corpus_info_defaults_to_the_starter_corpus():
    result = run("corpus", "info", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["breakdown"]
    sectors = [s for s in data["source"] if s.startswith("starter:")]
    assert "starter:toys" in sectors and data["marks"] == sum(data["source"].values())
    assert sum(1 for c in range(1, 46) if data["nice_classes"][str(c)] > 0) >= 40
