"""Options and helpers shared by the commands."""

from __future__ import annotations

import click

from ..progress import Progress

quiet_option = click.option(
    "--quiet", "-q", is_flag=True, help="No progress or summary on stderr (for cron); errors still print."
)


def make_progress(quiet: bool) -> Progress:
    return Progress(quiet=quiet)


def existing_path(**kwargs) -> click.Path:
    """A path argument that must exist (click reports a missing one as a one-line usage error)."""
    return click.Path(exists=True, dir_okay=kwargs.pop("dir_okay", True), path_type=__import__("pathlib").Path,
                      **kwargs)
