"""``scanner corpus`` (build / export / info) — lands with the trademark-corpus issue."""

from __future__ import annotations

import click


@click.group(hidden=True)
def corpus() -> None:
    """Build, export and inspect trademark corpora (not available yet)."""
