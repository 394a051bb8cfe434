"""The command-line reference (``docs/cli.md``), generated from the ``--help`` of every command.

    python -m scanner.cli.reference > docs/cli.md

``tests/test_cli_reference.py`` regenerates it and fails when the checked-in file differs, so the
reference never drifts from the code: change a command's options or docstring, then rerun the line above.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import click

#: Help is formatted at this width whatever the terminal, so the file is the same on every machine.
WIDTH = 100
REGENERATE = "python -m scanner.cli.reference > docs/cli.md"


def walk(command: click.Command, parent: click.Context | None = None,
         name: str = "scanner") -> Iterator[tuple[tuple[str, ...], click.Context]]:
    """``(command path, context)`` of ``command`` and every subcommand under it, depth first, in the order
    ``--help`` lists them; each context is made as the command line would make it (the parents' settings,
    such as ``-h`` for help, are inherited), at :data:`WIDTH` columns."""
    ctx = click.Context(command, info_name=name, parent=parent, terminal_width=WIDTH, max_content_width=WIDTH,
                        **command.context_settings)
    path = (*(parent.command_path.split() if parent else ()), name)
    yield path, ctx
    if isinstance(command, click.Group):
        for sub in command.list_commands(ctx):
            yield from walk(command.get_command(ctx, sub), ctx, sub)


def help_text(ctx: click.Context) -> str:
    """What ``scanner ... --help`` prints for the command of ``ctx``."""
    return ctx.command.get_help(ctx).rstrip()


def reference() -> str:
    """The whole of ``docs/cli.md``."""
    from . import cli

    commands = list(walk(cli))
    out = ["# Command-line reference", "",
           f"Generated from `--help` by `{REGENERATE}`; do not edit by hand (a test fails when it is stale).",
           "The README explains what each command is for; this page lists every option.", ""]
    for path, _ in commands:
        out.append(f"- [`{' '.join(path)}`](#{'-'.join(path)})")
    for path, ctx in commands:
        out += ["", f"## {' '.join(path)}", "", "```text", help_text(ctx), "```"]
    return "\n".join(out) + "\n"


def main() -> None:
    sys.stdout.write(reference())


if __name__ == "__main__":
    main()
