"""Checks made before any work starts, so that a bad path fails in one line at once, not after the scan.

- :func:`check_outputs`: every output has the extension of its format, no output is one of the input
  files, no two outputs are the same file, and each output's folder can be created and written
  (:func:`check_output_folder` for outputs that are folders);
- :func:`check_workbook`: a report given back to the scanner (``--previous``, ``decisions import``) is an
  ``.xlsx``/``.xlsm`` workbook that openpyxl can open;
- :func:`check_scan`: both, and that the listing files exist and look like exports, for everything a
  :class:`~scanner.config.ScanConfig` names.

Each raises a :class:`~scanner.errors.ScannerError` subclass naming the path (exit code 1 in the CLI).
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError, InputError

if TYPE_CHECKING:
    from .config import ScanConfig

#: The extensions each output option of ``scanner scan`` accepts (its format decides them).
SCAN_OUTPUT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "--out": (".xlsx", ".xlsm"),
    "--csv": (".csv",),
    "--json": (".jsonl", ".json"),
}
_FORMAT_NAMES = {"--out": "an Excel workbook", "--csv": "a CSV file", "--json": "a JSON lines file"}
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # old binary Office documents (.xls)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether ``a`` and ``b`` name the same file: same resolved path, or (both existing) the same inode
    (hard links, case-insensitive file systems)."""
    pa, pb = Path(a), Path(b)
    try:
        if pa.resolve() == pb.resolve():
            return True
    except OSError:
        pass
    try:
        return pa.exists() and pb.exists() and os.path.samefile(pa, pb)
    except OSError:
        return False


def check_suffix(path: Path, option: str, suffixes: tuple[str, ...]) -> None:
    """``--out report.csv`` -> one line: the extension contradicts the format written."""
    if path.suffix.lower() not in suffixes:
        found = f"not {path.suffix!r}" if path.suffix else "a name without an extension"
        raise ConfigError(
            f"{option} writes {_FORMAT_NAMES.get(option, 'a file')}: give a {' or '.join(suffixes)} name, {found}",
            path=path,
        )


def check_writable(path: Path, option: str) -> None:
    """Create ``path``'s folder if needed and make sure a file can be written in it (a probe file is
    created and removed); an existing ``path`` must be a file we may replace."""
    folder = path.parent
    if path.is_dir():
        raise ConfigError(f"{option} names a folder, not a file", path=path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = next((p for p in [folder, *folder.parents] if p.exists() and not p.is_dir()), folder)
        raise ConfigError(f"cannot create the {option} folder: {str(blocker)!r} is a file, not a folder",
                          path=path) from None
    except OSError as exc:
        raise ConfigError(f"cannot create the {option} folder {str(folder)!r}: {exc.strerror}", path=path) from None
    try:
        fd, probe = tempfile.mkstemp(prefix=".scanner-write-check-", dir=folder)
    except OSError as exc:
        raise ConfigError(f"cannot write in the {option} folder {str(folder)!r}: {exc.strerror}", path=path) from None
    os.close(fd)
    os.unlink(probe)
    if path.exists() and not os.access(path, os.W_OK):
        raise ConfigError(f"{option}: the file exists and cannot be replaced (permission denied)", path=path)


def check_output_folder(path: str | os.PathLike[str], option: str) -> None:
    """A folder output (``train --out``, ``corpus build --out``): it or its nearest existing parent is a
    folder we can write in (probed with a file created and removed; nothing else is created)."""
    path = Path(path)
    existing = next((p for p in [path, *path.parents] if p.exists()), None)
    if existing is None:  # pragma: no cover - the root always exists
        return
    if not existing.is_dir():
        raise ConfigError(f"cannot create the {option} folder: {str(existing)!r} is a file, not a folder", path=path)
    try:
        fd, probe = tempfile.mkstemp(prefix=".scanner-write-check-", dir=existing)
    except OSError as exc:
        raise ConfigError(f"cannot write in {str(existing)!r} ({option}): {exc.strerror}", path=path) from None
    os.close(fd)
    os.unlink(probe)


def check_outputs(outputs: Mapping[str, Path | None], inputs: Iterable[Path] = (),
                  suffixes: Mapping[str, tuple[str, ...]] | None = None) -> None:
    """Refuse, before any work, outputs that would destroy an input, collide or contradict their format.

    ``outputs`` maps the option (``"--out"``) to its path (``None``: not asked for); ``inputs`` are the
    files read; ``suffixes`` the extensions each option accepts (default :data:`SCAN_OUTPUT_SUFFIXES`;
    an option absent from it is not checked for its extension).
    """
    suffixes = SCAN_OUTPUT_SUFFIXES if suffixes is None else suffixes
    named = [(opt, Path(p)) for opt, p in outputs.items() if p is not None]
    inputs = [Path(p) for p in inputs if p is not None]
    for opt, path in named:
        for src in inputs:
            if same_file(path, src):
                raise ConfigError(f"{opt} names an input file: writing it would destroy that input; "
                                  "choose another output name", path=path)
    for i, (opt_a, a) in enumerate(named):
        for opt_b, b in named[i + 1:]:
            if same_file(a, b):
                raise ConfigError(f"{opt_a} and {opt_b} name the same file; give each output its own name", path=a)
    for opt, path in named:
        if opt in suffixes:
            check_suffix(path, opt, suffixes[opt])
    for opt, path in named:
        check_writable(path, opt)


def check_workbook(path: str | os.PathLike[str], what: str) -> Path:
    """``path`` is an Excel workbook (.xlsx/.xlsm) that openpyxl opens, or one :class:`InputError` line.

    ``what`` names the file in the message ("--previous file", "report file").
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{what} not found", path=path)
    if path.is_dir():
        raise InputError(f"{what} is a folder, not a workbook", path=path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InputError(f"cannot read the {what}: {exc.strerror}", path=path) from None
    expected = f"{what} is not a report written by `scanner scan` (an .xlsx or .xlsm workbook)"
    if head.startswith(_OLE_MAGIC):
        raise InputError(f"{expected}: it is an old binary Excel file (.xls); save it as .xlsx", path=path)
    if not head:
        raise InputError(f"{expected}: the file is empty", path=path)
    if not head.startswith(b"PK") or not zipfile.is_zipfile(path):
        kind = f"a {path.suffix} file" if path.suffix else "a file"
        raise InputError(f"{expected}: it is {kind} that is not a zip archive, as every .xlsx is", path=path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(f"{expected}: its name ends in {path.suffix or 'no extension'}; rename it to .xlsx if "
                         "it is one", path=path)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure to open is the file's fault, not ours
        msg = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(f"{expected}: openpyxl cannot open it: {msg}", path=path) from None
    wb.close()
    return path


def scan_inputs(config: ScanConfig) -> list[Path]:
    """Every file a scan reads (outputs must not be one of them)."""
    files: list[Path] = [*config.listings, *config.previous]
    for extra in (config.corpus, config.watchlist, config.profile.source, config.profile.watchlist):
        if extra is not None and Path(extra).is_file():
            files.append(Path(extra))
    return files


def check_scan(config: ScanConfig) -> None:
    """What ``run_scan`` checks before loading or reading anything: each listing file exists and looks
    like an export (its first bytes), the outputs, each ``--previous`` report, and the history folder."""
    from .listings.sniff import read_head, sniff

    for listing in config.listings:
        sniff(Path(listing), read_head(Path(listing)))
    check_outputs({"--out": config.out, "--csv": config.csv, "--json": config.json}, scan_inputs(config))
    for prev in config.previous:
        check_workbook(prev, "--previous file")
    if config.use_history:
        check_history(config.history)


def check_history(directory: str | os.PathLike[str] | None) -> None:
    """The scan history folder can be created and written, and an existing history database opens (a
    corrupt or too new one fails now, not after the scan)."""
    from .history.store import DB_NAME, HistoryStore, default_history_dir

    folder = Path(directory) if directory is not None else default_history_dir()
    check_output_folder(folder, "--history")
    if (folder / DB_NAME).exists():
        HistoryStore(folder, create=False).close()
