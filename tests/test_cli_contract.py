"""The CLI contract: exit codes 0 / 1 (bad input or usage) / 2 (internal), one-line errors, help texts."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from scanner.cli import cli


def _commands(group: click.Group, prefix: str = ""):
    for name, cmd in group.commands.items():
        if cmd.hidden:
            continue
        yield prefix + name, cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, prefix + name + " ")


@pytest.mark.parametrize("name,cmd", list(_commands(cli)))
def test_every_command_has_help(name, cmd):
    assert cmd.help and len(cmd.help.strip()) > 20, f"`scanner {name}` has no help text"
    for param in cmd.params:
        if isinstance(param, click.Option) and param.name not in ("help",):
            assert param.help, f"`scanner {name}` option {param.opts} has no help text"


def test_usage_error_exits_1():
    result = CliRunner().invoke(cli, ["scan", "--out", "x.xlsx"])
    assert result.exit_code == 1
    assert "Missing argument" in result.output


def test_missing_listing_file_is_one_line_exit_1(tmp_path):
    result = CliRunner().invoke(cli, ["scan", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "nope.txt" in lines[0]
    assert "Traceback" not in result.output


def test_internal_error_exits_2(monkeypatch, tmp_path):
    import scanner.cli.scan as scan_cmd

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(scan_cmd, "run_scan", boom)
    listing = tmp_path / "l.tsv"
    listing.write_text("item_sku\titem_name\nA1\tTitle\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["scan", str(listing), "--out", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2
    assert "internal error" in result.output and "simulated bug" in result.output
    assert "Traceback" not in result.output


def test_bad_map_option_is_exit_1(tmp_path):
    listing = tmp_path / "l.tsv"
    listing.write_text("item_sku\titem_name\nA1\tTitle\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["scan", str(listing), "--out", str(tmp_path / "r.xlsx"), "--map", "colour=X"])
    assert result.exit_code == 1
    assert "unknown field 'colour'" in result.output


def test_scan_creates_missing_output_folders(tmp_path):
    listing = tmp_path / "l.tsv"
    listing.write_text("item_sku\titem_name\nA1\tCanon ink cartridge\n", encoding="utf-8")
    out = tmp_path / "new" / "deeper" / "report.xlsx"
    csv_out = tmp_path / "other" / "results.csv"
    result = CliRunner().invoke(
        cli, ["scan", str(listing), "--out", str(out), "--csv", str(csv_out), "--no-history", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert out.is_file() and csv_out.is_file()


@pytest.mark.parametrize("name,cmd", [(n, c) for n, c in _commands(cli) if not isinstance(c, click.Group)])
def test_every_command_is_documented_in_the_readme(name, cmd):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    group, _, sub = name.rpartition(" ")
    documented = f"scanner {name}" in readme or (group and f"`scanner {group} {sub}`" in readme) or \
        (group and f"scanner {group}" in readme and f"/ `{sub}`" in readme)
    assert documented, f"`scanner {name}` is not in README.md"
    for param in cmd.params:
        if isinstance(param, click.Option) and name == "scan":
            assert any(opt in readme for opt in param.opts), f"scan option {param.opts} is not in README.md"
