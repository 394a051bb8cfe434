"""Write a file whole or not at all: into a temporary file beside it, moved over it once complete.

The move (``os.replace``) is atomic on one file system, so a write that fails part-way (a full disk, a
file-size limit) leaves the file it was to replace as it was; the temporary file is removed. The new file
gets the permissions ``open(target, "w")`` would have left (:func:`output_mode`). Used by every writer of a
user's output file (the CSV / JSON lines, the notices tables, the workbook)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO


def output_mode(target: Path) -> int:
    """The permission bits a file written at ``target`` with ``open(target, "w")`` would get: those of the
    file it replaces, else ``0o666`` less the umask (temporary files are created ``0o600``)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


def move_over(tmp: str | Path, target: Path) -> None:
    """Move the complete file ``tmp`` (in ``target``'s folder) over ``target``, with the permissions
    :func:`output_mode` gives: the last step of every whole-or-nothing write."""
    os.chmod(tmp, output_mode(target))
    os.replace(tmp, target)


def replace_text(target: Path, write: Callable[[TextIO], None]) -> None:
    """``write(fh)`` into a UTF-8 temporary file beside ``target`` (newlines as written), then moved over
    ``target``; on any failure the temporary file is removed and ``target`` left as it was."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with open(fd, "w", encoding="utf-8", newline="") as fh:
            write(fh)
        move_over(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replaceable(path: str | Path) -> Path | None:
    """The file a new ``path`` is moved over: ``path`` itself, or the file a symlink points to (the link
    stays a link); None for a device or a named pipe, written directly (there is nothing to rename over)."""
    target = Path(os.path.realpath(path))
    return None if target.exists() and not target.is_file() else target


def write_output(path: str | Path, write: Callable[[TextIO], None]) -> None:
    """Write the output file ``path`` by ``write(fh)``: with :func:`replace_text` over :func:`replaceable`,
    or directly to a device or a named pipe. An :class:`OSError` is left to the caller, who names the
    output."""
    target = replaceable(path)
    if target is None:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            write(fh)
    else:
        replace_text(target, write)
