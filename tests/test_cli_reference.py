"""docs/cli.md is generated from `--help` (scanner.cli.reference) and must be current; every command is in it
and in the README's command table."""

from __future__ import annotations

import re
from pathlib import Path

import click

from scanner.cli import cli
from scanner.cli.reference import REGENERATE, reference, walk

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "cli.md"


def test_docs_cli_md_is_current():
    assert DOC.is_file(), f"docs/cli.md is missing: run `{REGENERATE}`"
    assert DOC.read_text(encoding="utf-8") == reference(), f"docs/cli.md is stale: run `{REGENERATE}`"


def test_every_command_and_option_is_in_the_reference():
    text = reference()
    headings = set(re.findall(r"^## (scanner.*)$", text, re.M))
    commands = list(walk(cli))
    assert len(commands) >= 15  # scanner, corpus build/export/info/update, notices ..., history, diff, ...
    for path, ctx in commands:
        name = " ".join(path)
        assert name in headings, name
        section = text.split(f"## {name}\n", 1)[1].split("\n## ", 1)[0]
        assert f"Usage: {name} " in section
        for param in ctx.command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert any(opt in section for opt in param.opts), (name, param.opts)


def test_reference_is_independent_of_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    assert reference() == DOC.read_text(encoding="utf-8")


def test_every_top_level_command_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]
    for name in cli.list_commands(click.Context(cli, **cli.context_settings)):
        # written `scanner history` or, after another command of the row, `diff`
        assert re.search(rf"`(scanner )?{name}[` ]", table), f"README's Commands table does not list `scanner {name}`"
    assert "docs/cli.md" in table, "README's Commands section should link the generated reference"
