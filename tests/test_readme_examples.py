"""The code in README.md and docs/*.md runs: every ```python block is executed in a temporary folder holding
the files it names (the shipped example listings and small fixtures of this repository; no network), and
every `scanner ...` line of a shell block names a real command with real options (parsed by click)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import click
import pytest

from scanner.cli import cli

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

#: The files the examples name, as this repository's small stand-ins (name in the example -> source).
EXAMPLE_FILES = {
    "All+Listings+Report.txt": REPO / "examples" / "All+Listings+Report.txt",
    "seller.toml": REPO / "examples" / "seller.toml",
    "marks.csv": FIXTURES / "match" / "corpus.csv",
    "apc250101.zip": FIXTURES / "uspto" / "apc250101.zip",
    "notices": FIXTURES / "notices" / "mail",
}

_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.S | re.M)


def blocks(language: str) -> list[tuple[str, int, str]]:
    """``(file, line, code)`` of the fenced blocks of ``language`` ("" for unlabelled) in the docs."""
    out = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for m in _FENCE.finditer(text):
            if m.group(1) == language:
                out.append((path.name, text.count("\n", 0, m.start()) + 1, m.group(2)))
    return out


PYTHON_BLOCKS = blocks("python")


def test_the_docs_have_python_examples():
    names = {name for name, _, _ in PYTHON_BLOCKS}
    assert "README.md" in names and len(PYTHON_BLOCKS) >= 4, names


@pytest.mark.parametrize("name,line,code", PYTHON_BLOCKS, ids=[f"{n}:{ln}" for n, ln, _ in PYTHON_BLOCKS])
def test_python_example_runs(name, line, code, tmp_path, monkeypatch):
    for target, source in EXAMPLE_FILES.items():
        if target in code:
            (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / target)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__example__"}
    exec(compile(code, f"{name}:{line}", "exec"), namespace)  # noqa: S102 - our own documentation
    _check_shown_values(code, namespace)


def _check_shown_values(code: str, namespace: dict) -> None:
    """A line ``expression   # value`` (a Python literal after the comment sign), or an expression line
    followed by a line ``# value``, shows what the expression gives: check it."""
    previous = ""
    for src in code.splitlines():
        m = re.match(r"^(?P<expr>[^#=]*?)\s*#\s*(?P<value>[\[{('\"\d].*?)(?:\s{2,}\(.*\))?$", src)
        expr = (m.group("expr") or previous) if m else ""
        previous = src if src.strip() and not src.lstrip().startswith("#") and "=" not in src.split("#")[0] else ""
        if not m or not expr.strip() or expr.startswith(("from ", "import ")):
            continue
        try:
            expected = eval(m.group("value"), {})  # noqa: S307 - a literal from our own docs
        except SyntaxError:
            continue
        got = eval(expr, namespace)  # noqa: S307
        assert got == expected, f"{expr.strip()!r} gives {got!r}, the docs show {expected!r}"


def test_shown_values_are_checked():
    with pytest.raises(AssertionError, match="gives 3"):
        _check_shown_values("1 + 2   # 4", {})
    with pytest.raises(AssertionError, match="gives 3"):
        _check_shown_values("1 + 2\n# [3]", {})
    _check_shown_values("1 + 2   # 3\n1 + 2\n# 3\nx = 1  # 2\nf(x)  # what it does", {})


# ----------------------------------------------------------------------------------------------- shell lines


def command_lines() -> list[tuple[str, int, str]]:
    """``(file, line, command line)`` of every line of a shell block (unlabelled, sh, bash, console) that
    runs ``scanner`` (also after ``&&`` or as ``.venv/bin/scanner``)."""
    out = []
    for language in ("", "sh", "bash", "console"):
        for name, line, code in blocks(language):
            for i, src in enumerate(code.replace("\\\n", " ").splitlines()):
                for part in src.split("&&"):
                    part = part.strip().removeprefix("$ ")
                    if re.match(r"^(\S*/)?scanner\s", part):
                        out.append((name, line + 1 + i, part))
    return out


COMMAND_LINES = command_lines()


def check_command_line(line: str) -> None:
    """Resolve ``line``'s command through the CLI and parse its options with the command's own option
    parser, without converting values or running anything (paths need not exist): an unknown command or
    option, a missing option value or too many arguments raise ``click.UsageError``. ``[--opt VALUE]``
    (optional parts) are parsed as if given."""
    args = shlex.split(re.sub(r"\[([^\]]*)\]", r"\1", line.split(" #", 1)[0]))[1:]
    command: click.Command = cli
    # the command's own context settings (click caches each command's help option on first use)
    ctx = click.Context(cli, info_name="scanner", **cli.context_settings)
    while True:
        _, rest, _ = command.make_parser(ctx).parse_args(list(args))
        if not isinstance(command, click.Group):
            break
        if not rest:
            raise click.UsageError(f"{line!r}: no subcommand of {ctx.command_path!r}")
        sub = command.get_command(ctx, rest[0])
        if sub is None:
            raise click.UsageError(f"{line!r}: no command {ctx.command_path} {rest[0]}")
        ctx = click.Context(sub, info_name=rest[0], parent=ctx, **sub.context_settings)
        command, args = sub, rest[1:]
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    if all(a.nargs >= 0 for a in arguments) and len(rest) > sum(a.nargs for a in arguments):
        raise click.UsageError(f"{line!r}: unexpected arguments {rest}")


def test_the_docs_have_command_lines():
    assert len(COMMAND_LINES) >= 20
    assert any(c.startswith(".venv/bin/scanner scan") for _, _, c in COMMAND_LINES)


@pytest.mark.parametrize("name,line,command", COMMAND_LINES, ids=[f"{n}:{ln}" for n, ln, _ in COMMAND_LINES])
def test_command_line_names_real_command_and_options(name, line, command):
    check_command_line(command)


@pytest.mark.parametrize("line", ["scanner scna x --out r.xlsx", "scanner scan x --outt r.xlsx",
                                  "scanner corpus biuld x --out d", "scanner history --limit"])
def test_command_line_check_catches_mistakes(line):
    with pytest.raises(click.UsageError):
        check_command_line(line)
