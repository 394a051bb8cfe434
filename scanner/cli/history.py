"""``scanner history``, ``scanner diff``, ``scanner decisions`` — land with the report issue."""

from __future__ import annotations

import click


@click.command(hidden=True)
def history() -> None:
    """List past scans (not available yet)."""


@click.command(hidden=True)
def diff() -> None:
    """Compare two scans (not available yet)."""


@click.group(hidden=True)
def decisions() -> None:
    """Import the decisions made in a report (not available yet)."""
